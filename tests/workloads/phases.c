/* phases.c: the workload README.md runs vmtrace on.  It goes through
   phases whose page behaviour is easy to predict, labelling its memory
   with vmtrace.h so the figures of each phase stand apart from the C
   library's:
     fill     write a 16 MiB array          4096 anon faults
     scan     read it again                 no faults
     sparse   read every 16th page of a fresh 16 MiB area: zero-page faults
     touchup  write those pages             256 wp_copy faults
     file     read this program's own file  a few file_read faults (fault-around)
     free     madvise(MADV_DONTNEED) half the array, write it again
                                             2048 anon faults */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmtrace.h"

#define PAGE 4096UL
#define ARRAY_PAGES 4096UL

int main(int argc, char **argv)
{
   (void)argc;
   size_t len = ARRAY_PAGES * PAGE;
   volatile char *a = mmap(NULL, len, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   volatile char *b = mmap(NULL, len, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (a == MAP_FAILED || b == MAP_FAILED) {
      perror("mmap");
      return 1;
   }
   VMTRACE_LABEL(a, len, "array");
   VMTRACE_LABEL(b, len, "sparse");
   unsigned long sum = 0;

   VMTRACE_PHASE("fill");
   for (size_t i = 0; i < len; i += 64)
      a[i] = (char)i;
   VMTRACE_PHASE("scan");
   for (size_t i = 0; i < len; i += 64)
      sum += (unsigned char)a[i];
   VMTRACE_PHASE("sparse");
   for (size_t i = 0; i < len; i += 16 * PAGE)
      sum += (unsigned char)b[i];
   VMTRACE_PHASE("touchup");
   for (size_t i = 0; i < len; i += 16 * PAGE)
      b[i] = 1;

   VMTRACE_PHASE("file");
   int fd = open(argv[0], O_RDONLY);
   struct stat st;
   if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0) {
      volatile char *f = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (f != MAP_FAILED) {
         VMTRACE_LABEL(f, (size_t)st.st_size, "self");
         for (off_t i = 0; i < st.st_size; i += (off_t)PAGE)
            sum += (unsigned char)f[i];
         munmap((void *)f, (size_t)st.st_size);
      }
      close(fd);
   }

   VMTRACE_PHASE("free");
   madvise((void *)a, len / 2, MADV_DONTNEED);
   for (size_t i = 0; i < len / 2; i += PAGE)
      a[i] = 2;
   printf("phases: checksum %lu\n", sum);
   return 0;
}
