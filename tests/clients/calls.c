/* calls.c: faults whose functions and callers are known, for tests/log/run
   (the Callgrind-format file, the fault sites of each simulation, the log
   summary and the progress line).
     calls       run under --collect-atstart=no: a warm-up runs every
                 function once without faulting (its code and stack pages
                 come in uncounted), then collection starts and each fault
                 below is a first write to an untouched page of a private
                 anonymous mapping (an anon fault):
                    leaf(p, n)   n pages, on its one line               self n
                    mid(p)       leaf(p, 2), leaf(p + 2, 3)             5
                    top(p)       mid, leaf(p + 5, 4), one page itself   10 (self 1)
                    rec(p, 3)    one page at depths 3, 2 and 1, then
                                 leaf(p + 3, 1) at depth 0              4 (self 3)
                    main         top, rec, one page itself              15 (self 1)
                 so leaf takes 10 in all: 5 from mid, 4 from top, 1 from rec.
     scan N K    writes N pages of a fresh mapping K times over, in scan()
     arenas K S  maps K anonymous areas of S pages each and writes all of
                 every one: K identical mappings of S anon faults each
     spread K    writes 1024 pages of a fresh mapping K times over, each
                 page by its own store instruction, all on one source line
                 (in spread()): 1024 fault sites with distinct first frames
                 that the Cachegrind file and the summary merge into one line
     spin MS     runs (computing) for MS milliseconds of wall time */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "vmtrace.h"

#define PG 4096UL
#if defined(__clang__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE __attribute__((noinline, noclone))
#endif
/* After a call that ends a function: no tail call, so every caller stays
   on the stack. */
#define NO_TAIL_CALL() __asm__ volatile("" ::: "memory")

static volatile char *fresh(size_t pages)
{
   void *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (p == MAP_FAILED)
      exit(2);
   return p;
}

NOINLINE void leaf(volatile char *p, int n)
{
   for (int i = 0; i < n; i++)
      p[i * PG] = 1;
}

NOINLINE void mid(volatile char *p, int scale)
{
   leaf(p, 2 * scale);
   leaf(p + 2 * PG, 3 * scale);
   NO_TAIL_CALL();
}

NOINLINE void top(volatile char *p, int scale)
{
   mid(p, scale);
   leaf(p + 5 * PG, 4 * scale);
   if (scale)
      p[9 * PG] = 1;
   NO_TAIL_CALL();
}

NOINLINE void rec(volatile char *p, int depth, int scale)
{
   if (depth == 0) {
      leaf(p, scale);
   } else {
      if (scale)
         p[0] = 1;
      rec(p + PG, depth - 1, scale);
   }
   NO_TAIL_CALL();
}

/* The stack pages the calls above will use, present before counting. */
NOINLINE void warm_stack(void)
{
   volatile char pad[16 * PG];
   for (size_t i = 0; i < sizeof pad; i += PG)
      pad[i] = 0;
   NO_TAIL_CALL();
}

NOINLINE void scan(volatile char *p, size_t n, int k)
{
   for (int pass = 0; pass < k; pass++)
      for (size_t i = 0; i < n; i++)
         p[i * PG] = (char)pass;
}

/* 1024 stores, one instruction each, all on the line that expands STORES */
#define S1(k) p[(k) * PG] = (char)pass;
#define S4(k) S1(k) S1((k) + 1) S1((k) + 2) S1((k) + 3)
#define S16(k) S4(k) S4((k) + 4) S4((k) + 8) S4((k) + 12)
#define S64(k) S16(k) S16((k) + 16) S16((k) + 32) S16((k) + 48)
#define S256(k) S64(k) S64((k) + 64) S64((k) + 128) S64((k) + 192)
#define STORES S256(0) S256(256) S256(512) S256(768)
#define SPREAD_PAGES 1024

NOINLINE void spread(volatile char *p, int k)
{
   for (int pass = 0; pass < k; pass++) {
      STORES   /* the spread stores */
   }
}

static double now_ms(void)
{
   struct timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
   if (argc == 2 && !strcmp(argv[1], "calls")) {
      volatile char *a = fresh(16);
      warm_stack();
      top(a, 0);                 /* the warm-up: code pages, no data */
      rec(a, 3, 0);
      VMTRACE_START_COLLECTION();
      top(a, 1);                 /* pages 0-9 */
      rec(a + 10 * PG, 3, 1);    /* pages 10-13 */
      a[14 * PG] = 1;            /* main's own */
      VMTRACE_STOP_COLLECTION();
      return 0;
   }
   if (argc == 4 && !strcmp(argv[1], "scan")) {
      size_t n = strtoul(argv[2], 0, 10);
      scan(fresh(n), n, atoi(argv[3]));
      return 0;
   }
   if (argc == 4 && !strcmp(argv[1], "arenas")) {
      int k = atoi(argv[2]);
      size_t s = strtoul(argv[3], 0, 10);
      for (int i = 0; i < k; i++)
         leaf(fresh(s), (int)s);
      return 0;
   }
   if (argc == 3 && !strcmp(argv[1], "spread")) {
      spread(fresh(SPREAD_PAGES), atoi(argv[2]));
      return 0;
   }
   if (argc == 3 && !strcmp(argv[1], "spin")) {
      double end = now_ms() + atof(argv[2]);
      volatile unsigned long x = 0;
      while (now_ms() < end)
         for (int i = 0; i < 100000; i++)
            x += (unsigned long)i;
      return 0;
   }
   return 1;
}
