/* forkcalls.c: N system calls in a process that has forked, for
   tests/perf/forkcalls (what each call costs under vmtrace once a run's
   processes share the frame log: vt_sharelog.c).
   usage: forkcalls getppid|sigprocmask|none N
   Forks a child that exits at once, reaps it, then makes N calls of the
   kind named (none: the same loop without a call) and prints
   "MODE N SECONDS" (CLOCK_MONOTONIC around the loop).
   SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
   if (argc != 3) {
      fprintf(stderr, "usage: forkcalls getppid|sigprocmask|none N\n");
      return 2;
   }
   const char *mode = argv[1];
   long n = atol(argv[2]);
   int kind = !strcmp(mode, "getppid") ? 1 : !strcmp(mode, "sigprocmask") ? 2
            : !strcmp(mode, "none") ? 0 : -1;
   if (kind < 0 || n < 1) {
      fprintf(stderr, "forkcalls: bad mode or count\n");
      return 2;
   }
   pid_t c = fork();
   if (c < 0)
      return 1;
   if (c == 0)
      _exit(0);
   waitpid(c, NULL, 0);
   sigset_t none;
   sigemptyset(&none);
   struct timespec a, b;
   clock_gettime(CLOCK_MONOTONIC, &a);
   volatile long sink = 0;
   for (long i = 0; i < n; i++) {
      if (kind == 1)
         sink += syscall(SYS_getppid);
      else if (kind == 2)
         sink += syscall(SYS_rt_sigprocmask, SIG_BLOCK, &none, NULL, 8);
      else
         sink += i;
   }
   clock_gettime(CLOCK_MONOTONIC, &b);
   printf("%s %ld %.3f\n", mode, n, (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
   return 0;
}
