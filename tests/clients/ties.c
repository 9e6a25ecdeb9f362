/* ties: references that give two pages the same time and order, for the
   policies that need every reference (LRU, LFU, ARC): an unaligned 8-byte
   load across each boundary of PAIRS page pairs (both pages referenced
   by one access), then a single load from one page of each pair, in an
   order that changes every round, so that which page of a pair goes first
   matters.  Which of two such pages a policy takes first is decided by the
   order they reached it (the straddling access's first page first): the
   same in every mode (--fast-path=yes and =no, the replay).
   Arguments: PAIRS ROUNDS. */
#include "vmtest.h"

typedef uint64_t __attribute__((aligned(1), may_alias)) vmt_u64_unaligned;

int main(int argc, char **argv)
{
   vmt_init();
   if (argc != 3)
      vmt_die("usage: ties PAIRS ROUNDS");
   long pairs = atol(argv[1]), rounds = atol(argv[2]);
   if (pairs < 1 || rounds < 1)
      vmt_die("ties: PAIRS and ROUNDS must be positive");
   char *p = vmt_anon((size_t)(2 * pairs));
   for (long i = 0; i < 2 * pairs; i++)
      p[i * VMT_PAGE] = 1;
   uint32_t x = 12345;
   vmt_begin("ties");
   for (long r = 0; r < rounds; r++) {
      for (long k = 0; k < pairs; k++)
         vmt_sink = *(volatile vmt_u64_unaligned *)(p + (2 * k + 1) * VMT_PAGE - 4);
      for (long k = 0; k < pairs; k++) {
         x = x * 1103515245u + 12345u;
         long j = (long)((x >> 16) % (uint32_t)pairs);
         vmt_sink = *(volatile char *)(p + (2 * j + ((x >> 8) & 1)) * VMT_PAGE + 64);
      }
   }
   vmt_end();
   return 0;
}
