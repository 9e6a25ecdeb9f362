/* seedprog.c: a tiny program whose page traces are the fuzz target's seeds
   (tests/trace/fuzz-seeds/): no C library (raw system calls, so a trace is
   a few kilobytes and the fuzz target replays thousands a second), and in
   a few hundred instructions every kind of trace event: anonymous and file
   mappings, mprotect, mremap, MADV_DONTNEED, MADV_POPULATE_WRITE, guard
   regions (where the kernel has them), MADV_WIPEONFORK and MADV_DONTFORK,
   mlock, brk, ftruncate, a label
   and a phase, a clock at every system call and a new oom_score_adj
   (CLOCK, OOM_ADJ: format 2), and a fork whose child writes pages its parent still maps
   (the answers of the other process), once across two of them.
   The seeds were made with
     gcc -static -nostdlib -O1 -fno-stack-protector -I vmtrace/tool \
         tests/trace/seedprog.c -o /tmp/seedprog
     ./vg-in-place --tool=vmtrace -q --vmtrace-out-file=/tmp/seed-out.%p \
         --trace-out-file=tests/trace/fuzz-seeds/trace.%p /tmp/seedprog
   (trace.* in format 2, before 2026-12-06; trace3.* in format 3, with
   CRCs, by the same command with --trace-out-file=.../trace3.%p).
   SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "vmtrace.h"

#define PG 4096

static long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
   long ret;
   register long r10 __asm__("r10") = d;
   register long r8 __asm__("r8") = e;
   register long r9 __asm__("r9") = f;
   __asm__ volatile("syscall" : "=a"(ret)
                    : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                    : "rcx", "r11", "memory");
   return ret;
}
#define SYS(nr, ...) sys6_(nr, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define sys6_(nr, a, b, c, d, e, f, ...) \
   sys6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

static void finish(int code)
{
   SYS(SYS_exit_group, code);
   for (;;)
      ;
}

void _start(void)
{
   char *a = (char *)SYS(SYS_mmap, 0, 8 * PG, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if ((unsigned long)a > -4096UL)
      finish(1);
   VMTRACE_LABEL(a, 8 * PG, "a");
   VMTRACE_PHASE("write");
   for (int i = 0; i < 8; i++)
      a[i * PG] = (char)i;
   char *b = (char *)SYS(SYS_mremap, a, 8 * PG, 12 * PG, MREMAP_MAYMOVE);
   if ((unsigned long)b > -4096UL)
      finish(2);
   SYS(SYS_mprotect, b + 6 * PG, 2 * PG, PROT_READ);
   SYS(SYS_madvise, b + 4 * PG, PG, MADV_DONTNEED);
   SYS(SYS_mlock, b, PG);

   long fd = SYS(SYS_open, "/tmp", O_TMPFILE | O_RDWR, 0600);
   if (fd >= 0 && SYS(SYS_ftruncate, fd, 4 * PG) == 0) {
      char *f = (char *)SYS(SYS_mmap, 0, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
      if ((unsigned long)f < -4096UL) {
         f[0] = 1;
         (void)*(volatile char *)(f + 2 * PG);
         SYS(SYS_ftruncate, fd, PG);
         SYS(SYS_munmap, f, 4 * PG);
      }
      SYS(SYS_close, fd);
   }
   char *brk0 = (char *)SYS(SYS_brk, 0);
   if ((char *)SYS(SYS_brk, brk0 + 3 * PG) == brk0 + 3 * PG) {
      for (int i = 0; i < 3; i++)
         brk0[i * PG] = 1;
      SYS(SYS_brk, brk0 + PG);
   }

   SYS(SYS_madvise, b + 8 * PG, 2 * PG, 23 /* MADV_POPULATE_WRITE */);
   SYS(SYS_madvise, b + 10 * PG, PG, 102 /* MADV_GUARD_INSTALL */);
   SYS(SYS_madvise, b + 10 * PG, PG, 103 /* MADV_GUARD_REMOVE */);
   long adj = SYS(SYS_open, "/proc/self/oom_score_adj", O_WRONLY, 0);
   if (adj >= 0) {                                      /* an OOM_ADJ event */
      SYS(SYS_write, adj, "1", 1);
      SYS(SYS_close, adj);
   }
   SYS(SYS_madvise, b + 3 * PG, PG, MADV_WIPEONFORK);   /* the child's is empty */
   SYS(SYS_madvise, b + 5 * PG, PG, MADV_DONTFORK);     /* the child lacks it */
   long pid = SYS(SYS_fork, 0);
   if (pid == 0) {
      VMTRACE_PHASE("child");
      *(volatile uint64_t *)(b + PG - 4) = 42;          /* two copies */
      b[2 * PG] = 3;
      finish(0);
   }
   SYS(SYS_wait4, pid, 0, 0, 0);
   VMTRACE_PHASE("after");
   b[PG] = 5;                                          /* reused */
   SYS(SYS_munmap, b, 12 * PG);
   finish(0);
}
