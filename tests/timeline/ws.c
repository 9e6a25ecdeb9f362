/* ws.c: working-set scenarios for tests/timeline/run.
     ws P ITER SWITCH   write P pages of a region in a loop ITER times; with
                        SWITCH=1 the second half of the iterations uses P
                        other pages (a new phase of the program) */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include "vmtrace.h"

#define PG 4096UL

int main(int argc, char **argv)
{
   if (argc != 4)
      return 1;
   size_t p = strtoul(argv[1], 0, 10);
   long iter = atol(argv[2]);
   int sw = atoi(argv[3]);
   volatile char *a = mmap(NULL, 2 * p * PG, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (a == MAP_FAILED)
      return 2;
   for (long k = 0; k < iter; k++) {
      volatile char *set = (sw && k >= iter / 2) ? a + p * PG : a;
      if (k == iter / 2)
         VMTRACE_PHASE("second");
      for (size_t i = 0; i < p; i++)
         set[i * PG] = (char)k;
   }
   return 0;
}
