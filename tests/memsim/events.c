/* events.c: address-space events that map pages in, each issued by a
   system call that follows 40 register-only instructions in the same
   superblock, for tests/trace/run (the simulations' clock at an event).
     events MODE [fork]
   MODE populate: 6 rounds of: 24 pages of an anonymous mapping written,
   a loop of register-only instructions, then an 8-page mmap with
   MAP_POPULATE; MODE mlock: the same with an 8-page mmap then mlock of
   it; MODE dontneed: MADV_DONTNEED of 3 of the 24 pages.  Each round ends
   by reading 8 of the 24 pages.  With "fork" a forked child does it, the
   parent waiting.
   SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096L
#define INC4 "inc %%r11\n\tinc %%r11\n\tinc %%r11\n\tinc %%r11\n\t"
#define INC40 INC4 INC4 INC4 INC4 INC4 INC4 INC4 INC4 INC4 INC4

static volatile unsigned long sink;

static void spin(long n)
{
   unsigned long x = 1;
   for (long i = 0; i < n; i++)
      x = x * 6364136223846793005UL + 1442695040888963407UL;
   sink = x;
}

/* n turns of a register-only loop, 40 instructions more, then system call
   nr (three arguments, then r10, r8, r9) */
static long raw(long nr, long a, long b, long c, long d, long e, long f, long n)
{
   register long r10 __asm__("r10") = d;
   register long r8 __asm__("r8") = e;
   register long r9 __asm__("r9") = f;
   long ret = nr;
   __asm__ volatile("1: dec %%rcx\n\tjnz 1b\n\t" INC40 "syscall"
                    : "+a"(ret), "+c"(n)
                    : "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                    : "r11", "memory");
   return ret;
}

static int work(int mode)
{
   volatile char *a = mmap(NULL, 24 * PG, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (a == MAP_FAILED)
      return 2;
   for (int r = 0; r < 6; r++) {
      for (int i = 0; i < 24; i++) {
         a[i * PG] = 1;
         spin(37 + i * 13 + r * 7);
      }
      long n = 5000 + r * 1711;
      if (mode == 0) {
         long b = raw(9, 0, 8 * PG, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0, n);
         if (b < 0 && b > -4096)
            return 3;
         spin(3001);
         *(volatile char *)b = 1;
      } else if (mode == 1) {
         char *b = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
         if (b == MAP_FAILED || raw(149, (long)b, 8 * PG, 0, 0, 0, 0, n) != 0)
            return 3;
         spin(3001);
         *(volatile char *)b = 1;
      } else {
         if (raw(28, (long)(a + (r % 4) * 4 * PG), 3 * PG, MADV_DONTNEED, 0, 0, 0, n))
            return 3;
         spin(3001);
      }
      for (int i = 0; i < 24; i += 3) {
         sink += a[((i * 7 + r) % 24) * PG];
         spin(211 + i);
      }
   }
   return 0;
}

int main(int argc, char **argv)
{
   if (argc < 2)
      return 1;
   int mode = !strcmp(argv[1], "populate") ? 0 : !strcmp(argv[1], "mlock") ? 1
            : !strcmp(argv[1], "dontneed") ? 2 : -1;
   if (mode < 0)
      return 1;
   if (argc < 3)
      return work(mode);
   pid_t pid = fork();
   if (pid < 0)
      return 5;
   if (pid == 0)
      _exit(work(mode));
   int st;
   return waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 6;
}
