/* tree_oom MODE [ADJ]: a parent and its child that touch known numbers of
   private anonymous pages in a fixed order, for vmtrace-sim --tree's OOM
   killer (tests/vmtrace-sim/run, group "tree").  Transparent huge pages are
   off (PR_SET_THP_DISABLE), so every page is one 4 KiB fault.

   The parent writes the S = 1000 pages of "a"; fork.  The child, with ADJ
   given, first writes ADJ to its /proc/self/oom_score_adj; then
     MODE share: reads all S pages of "a" (frames it shares copy-on-write)
                 and writes its first W = 100 (copied: 100 frames of its own);
     MODE copy_: writes all S pages of "a" (S frames of its own);
   then writes the C = 1000 pages of its own "b", tells the parent (a pipe)
   and waits for it (another pipe).  The parent, once told, writes the
   P = 3000 pages of its own "d", lets the child go and reaps it.

   The pipes order every step across the two processes, so the traces'
   clocks (taken at every system call) order them too: all the child's
   pages come before any of "d". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

enum { PAGE = 4096, S = 1000, W = 100, C = 1000, P = 3000 };

static char *region(size_t pages)
{
   char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                  -1, 0);
   if (p == MAP_FAILED) {
      perror("mmap");
      exit(2);
   }
   return p;
}

static void write_pages(char *p, size_t pages)
{
   for (size_t i = 0; i < pages; i++)
      ((volatile char *)p)[i * PAGE] = 1;
}

static unsigned read_pages(const char *p, size_t pages)
{
   unsigned sum = 0;
   for (size_t i = 0; i < pages; i++)
      sum += ((const volatile char *)p)[i * PAGE];
   return sum;
}

static void xpipe(int fd[2])
{
   if (pipe(fd)) {
      perror("pipe");
      exit(2);
   }
}

int main(int argc, char **argv)
{
   if (argc < 2 || (strcmp(argv[1], "share") && strcmp(argv[1], "copy_"))) {
      fprintf(stderr, "usage: tree_oom share|copy_ [ADJ]\n");
      return 2;
   }
   int share = !strcmp(argv[1], "share");
   prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
   int c2p[2], p2c[2];
   xpipe(c2p);
   xpipe(p2c);
   char *a = region(S);
   write_pages(a, S);
   pid_t pid = fork();
   if (pid < 0) {
      perror("fork");
      return 2;
   }
   char token = 1;
   if (pid == 0) {
      if (argc > 2) {
         int fd = open("/proc/self/oom_score_adj", O_WRONLY);
         if (fd < 0 || write(fd, argv[2], strlen(argv[2])) != (ssize_t)strlen(argv[2])) {
            perror("oom_score_adj");
            _exit(2);
         }
         close(fd);
      }
      if (share) {
         if (read_pages(a, S) != S)
            _exit(3);
         write_pages(a, W);
      } else {
         write_pages(a, S);
      }
      char *b = region(C);
      write_pages(b, C);
      if (write(c2p[1], &token, 1) != 1 || read(p2c[0], &token, 1) != 1)
         _exit(2);
      _exit(0);
   }
   if (read(c2p[0], &token, 1) != 1)
      return 2;
   char *d = region(P);
   write_pages(d, P);
   if (write(p2c[1], &token, 1) != 1)
      return 2;
   int status;
   if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
      return 2;
   return 0;
}
