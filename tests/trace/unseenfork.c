/* unseenfork.c MODE: a process that uses what vmtrace cannot see
   (run.unmodelled: io_uring, MADV_PAGEOUT) and forks, for the trace's
   UNMODELLED events (tests/trace/run).
     before   io_uring_setup (a ring of 4 entries, closed unused), then
              MADV_PAGEOUT over 4 written anonymous pages, then fork: the
              child writes the 4 pages and exits; the parent waits.
     after    fork first: the child gives MADV_PAGEOUT over the 4 pages
              and writes them again; the parent waits and uses nothing.
   Exits 0, or 1 with a line on stderr if a call fails.
   SPDX-License-Identifier: GPL-2.0-or-later */
#define _GNU_SOURCE
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static void die(const char *what)
{
   perror(what);
   exit(1);
}

static void write_pages(char *p, int n, int v)
{
   for (int i = 0; i < n; i++)
      p[i * 4096] = (char)v;
}

static void pageout(char *p)
{
   if (madvise(p, 4 * 4096, MADV_PAGEOUT) != 0)
      die("madvise(MADV_PAGEOUT)");
}

int main(int argc, char **argv)
{
   int before = argc > 1 && !strcmp(argv[1], "before");
   if (argc != 2 || (!before && strcmp(argv[1], "after"))) {
      fprintf(stderr, "usage: unseenfork before|after\n");
      return 2;
   }
   char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (p == MAP_FAILED)
      die("mmap");
   write_pages(p, 4, 1);
   if (before) {
      struct io_uring_params par;
      memset(&par, 0, sizeof par);
      int ring = (int)syscall(__NR_io_uring_setup, 4, &par);
      if (ring < 0)
         die("io_uring_setup");
      close(ring);
      pageout(p);
   }
   pid_t pid = fork();
   if (pid < 0)
      die("fork");
   if (pid == 0) {
      if (!before)
         pageout(p);
      write_pages(p, 4, 2);
      _exit(0);
   }
   int st;
   if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
      die("the child");
   return 0;
}
