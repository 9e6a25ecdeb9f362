/* scan.c: page-replacement scenarios for tests/memsim/run.
     scan N K          write N anonymous pages, then K-1 more passes over them
     remap N M [P]     write N anonymous pages, then N others; with M = 1
                       move the first N elsewhere (mremap); with P, write P
                       pages more ("press") and read the N others once;
                       read the first N once
     locked L N K      mlock L pages and write them, scan N pages K times,
                       then read the locked pages again
     file              read a 256-page file through a 64 KiB-aligned
                       private mapping (for --page-cache=cold)
     twice F M         read a 64-page file through one mapping, and with
                       M=1 through a second one too
     huge N            N 2 MiB-aligned huge pages' worth of anonymous memory
                       given MADV_HUGEPAGE; one byte written in each
     hotcold H C K     two anonymous mappings, "hot" of H pages and "cold" of
                       C: K passes of, for j = 0..C-1, a write to cold page
                       j then to hot page j mod H; then exit_group at once
     forkhotcold P H C K   write P anonymous pages ("parent"), map "hot" and
                       "cold" (untouched), fork: the child runs hotcold H C K,
                       the parent waits for it and exits
     unrolled N K A    K writes, the j'th to page j mod N of an anonymous
                       mapping, by a loop of 6 instructions that VEX unrolls
                       (a superblock of several iterations, an exit between
                       two); with A = 1 the write is a movaps, whose
                       alignment check is an exit before the store within
                       the instruction; then exit_group at once */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vmtrace.h"

#define PG 4096UL

static inline __attribute__((always_inline)) volatile char *anon(size_t pages,
                                                                  const char *label)
{
   volatile char *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (p == MAP_FAILED)
      exit(2);
   VMTRACE_LABEL(p, pages * PG, label);
   return p;
}

static void scan(volatile char *p, size_t n, int k)
{
   for (int pass = 0; pass < k; pass++)
      for (size_t i = 0; i < n; i++)
         p[i * PG] = (char)pass;
}

/* The hotcold loop, alone on its page of code, touching no stack, and
   leaving by the exit_group system call itself: while it runs the only
   pages referenced are the two mappings' and this page of code, and none
   after it (the C library's exit would fault pages back in). */
__attribute__((noinline, noreturn, aligned(4096)))
static void hotcold(volatile char *hot, size_t h, volatile char *cold, size_t c, long k)
{
   for (long pass = 0; pass < k; pass++)
      for (size_t j = 0; j < c; j++) {
         cold[j * PG] = 1;
         hot[(j % h) * PG] = 1;
      }
   for (;;)
      __asm__ volatile("syscall" : : "a"(231L), "D"(0L) : "rcx", "r11", "memory");
}

/* The unrolled loop, alone on its page of code, touching no stack, and
   leaving by exit_group: while it runs the only pages referenced are the
   mapping's and this page of code. */
__attribute__((noinline, noreturn, aligned(4096)))
static void unrolled(volatile char *p, unsigned long end, long k, int sse)
{
   if (sse)
      __asm__ volatile("xor %%eax, %%eax\n\t"
                       "xor %%r11d, %%r11d\n\t"
                       "1: movaps %%xmm0, (%0,%%rax)\n\t"
                       "add $4096, %%rax\n\t"
                       "cmp %1, %%rax\n\t"
                       "cmovae %%r11, %%rax\n\t"
                       "dec %2\n\t"
                       "jnz 1b\n\t"
                       : "+r"(p), "+r"(end), "+r"(k) : : "rax", "r11", "xmm0", "memory");
   else
      __asm__ volatile("xor %%eax, %%eax\n\t"
                       "xor %%r11d, %%r11d\n\t"
                       "1: movb $1, (%0,%%rax)\n\t"
                       "add $4096, %%rax\n\t"
                       "cmp %1, %%rax\n\t"
                       "cmovae %%r11, %%rax\n\t"
                       "dec %2\n\t"
                       "jnz 1b\n\t"
                       : "+r"(p), "+r"(end), "+r"(k) : : "rax", "r11", "memory");
   for (;;)
      __asm__ volatile("syscall" : : "a"(231L), "D"(0L) : "rcx", "r11", "memory");
}

int main(int argc, char **argv)
{
   if ((argc == 4 || argc == 5) && !strcmp(argv[1], "remap")) {
      /* remap N M [P]: write N anonymous pages ("area"), then N others
         ("push"); with M = 1 move the area elsewhere with mremap; with P,
         write P pages of a third mapping ("press"), then read "push" once;
         then read the area once */
      size_t n = strtoul(argv[2], 0, 10);
      size_t press = argc == 5 ? strtoul(argv[4], 0, 10) : 0;
      volatile char *a = anon(n, "area");
      volatile char *b = anon(n, "push");
      scan(a, n, 1);
      scan(b, n, 1);
      if (atoi(argv[3])) {
         void *to = mmap(NULL, n * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
         if (to == MAP_FAILED)
            exit(2);
         a = mremap((void *)a, n * PG, n * PG, MREMAP_MAYMOVE | MREMAP_FIXED, to);
         if (a == MAP_FAILED)
            exit(2);
      }
      char sum = 0;
      if (press) {
         scan(anon(press, "press"), press, 1);
         for (size_t i = 0; i < n; i++)
            sum += b[i * PG];
      }
      for (size_t i = 0; i < n; i++)
         sum += a[i * PG];
      return sum;
   }
   if (argc == 4 && !strcmp(argv[1], "scan")) {
      size_t n = strtoul(argv[2], 0, 10);
      VMTRACE_PHASE("scan");
      scan(anon(n, "scan"), n, atoi(argv[3]));
      return 0;
   }
   if (argc == 5 && !strcmp(argv[1], "locked")) {
      size_t l = strtoul(argv[2], 0, 10), n = strtoul(argv[3], 0, 10);
      volatile char *lk = anon(l, "locked");
      VMTRACE_PHASE("lock");
      if (mlock((void *)lk, l * PG) != 0)
         return 3;
      VMTRACE_PHASE("scan");
      scan(anon(n, "scan"), n, atoi(argv[4]));
      VMTRACE_PHASE("reread");
      int s = 0;
      for (size_t i = 0; i < l; i++)
         s += lk[i * PG];
      return s == 12345;
   }
   if (argc == 4 && !strcmp(argv[1], "twice")) {
      /* a 64-page file mapped twice (the second mapping only if argv[3] is
         1), every page read through each mapping */
      char buf[PG];
      memset(buf, 1, sizeof buf);
      int fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0600);
      for (int i = 0; i < 64; i++)
         if (write(fd, buf, PG) != (ssize_t)PG)
            return 4;
      int s = 0;
      for (int m = 0; m < 1 + atoi(argv[3]); m++) {
         volatile char *f = mmap(NULL, 64 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
         for (size_t i = 0; i < 64; i++)
            s += f[i * PG];
      }
      return s == 12345;
   }
   if (argc == 5 && !strcmp(argv[1], "hotcold")) {
      size_t h = strtoul(argv[2], 0, 10), c = strtoul(argv[3], 0, 10);
      volatile char *hot = anon(h, "hot"), *cold = anon(c, "cold");
      hotcold(hot, h, cold, c, atol(argv[4]));
   }
   if (argc == 6 && !strcmp(argv[1], "forkhotcold")) {
      size_t p = strtoul(argv[2], 0, 10), h = strtoul(argv[3], 0, 10),
             c = strtoul(argv[4], 0, 10);
      scan(anon(p, "parent"), p, 1);
      volatile char *hot = anon(h, "hot"), *cold = anon(c, "cold");
      pid_t pid = fork();
      if (pid < 0)
         return 5;
      if (pid == 0)
         hotcold(hot, h, cold, c, atol(argv[5]));
      int st;
      return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 6;
   }
   if (argc == 5 && !strcmp(argv[1], "unrolled")) {
      size_t n = strtoul(argv[2], 0, 10);
      unrolled(anon(n, "unrolled"), n * PG, atol(argv[3]), atoi(argv[4]));
   }
   if (argc == 3 && !strcmp(argv[1], "huge")) {
      size_t n = strtoul(argv[2], 0, 10), hp = 2UL << 20;
      char *res = mmap(NULL, (n + 1) * hp, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (res == MAP_FAILED)
         return 2;
      char *at = (char *)(((unsigned long)res + hp - 1) & ~(hp - 1));
      volatile char *p = mmap(at, n * hp, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (p == MAP_FAILED || madvise((void *)p, n * hp, MADV_HUGEPAGE) != 0)
         return 3;
      VMTRACE_LABEL(p, n * hp, "huge");
      VMTRACE_PHASE("touch");
      for (size_t i = 0; i < n; i++)
         p[i * hp] = 1;
      return 0;
   }
   if (argc == 3 && !strcmp(argv[1], "file")) {
      char buf[PG];
      memset(buf, 1, sizeof buf);
      int fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0600);
      for (int i = 0; i < 256; i++)
         if (write(fd, buf, PG) != (ssize_t)PG)
            return 4;
      /* dropped from the page cache (under --page-cache=cold the model
         follows the writes and the advice, as the kernel does) */
      if (fsync(fd) != 0 || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) != 0)
         return 5;
      char *res = mmap(NULL, 2UL << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      char *at = (char *)(((unsigned long)res + 65535) & ~65535UL);
      volatile char *f = mmap(at, 256 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
      VMTRACE_LABEL(f, 256 * PG, "file");
      VMTRACE_PHASE("read");
      int s = 0;
      for (size_t i = 0; i < 256; i++)
         s += f[i * PG];
      return s == 12345;
   }
   return 1;
}
