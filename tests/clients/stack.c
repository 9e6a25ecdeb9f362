/* stack MODE: growing the main thread's stack by recursion.

   Each level of grow() has a 64 KiB local array and writes one byte of
   every page it spans (and its last byte), then calls the next level; the
   arrays of consecutive levels are separated only by the few bytes of a
   frame (return address, saved registers), so every page from the top of
   the recursion down to the lowest byte written is written.  The last level
   is the first whose array starts at or below a page-aligned target T; it
   writes only the bytes of its array at or above T and calls nothing, and
   nothing of its frame lies below its array (gcc -O1 keeps its scalars in
   registers and puts the array at the stack pointer), so the lowest page
   written is exactly [T, T + 4096).

   S is the page holding the stack pointer of main when it starts.
   phase "prime"   recursion down to T1 = S - 512 KiB: the pages above T1
                   that vmt_init (natively) or the program's start (under
                   Valgrind) did not touch yet
   phase "grow"    recursion down to T2 = T1 - 1 MiB: the 256 pages
                   [T2, T1) are written for the first time
   phase "regrow"  the same recursion again
   The label "stack" covers [T2, T1), labelled before "prime" (when it is
   still below the stack's VMA).

   stack grow   as above
   stack skip   the same program without the "grow" and "regrow"
                recursions (their phases are entered and left, empty); the
                argument has the same length, so that the stack starts at
                the same address in both. */
#include "vmtest.h"

#define FRAME (64 * 1024)
#define KiB 1024

static uintptr_t target;       /* page-aligned */

static VMT_NOINLINE void grow(void)
{
   volatile unsigned char buf[FRAME];
   uintptr_t lo = (uintptr_t)buf;
   if (lo > target) {
      buf[FRAME - 1] = 1;
      for (size_t i = 0; i < FRAME; i += VMT_PAGE)
         buf[i] = 1;
      grow();
      vmt_sink += buf[0];
   } else {
      /* lo <= target: the bytes of the array at or above T, one per page
         and the last (the array may even end at T when the frame above
         stopped just short of it: then nothing here) */
      for (uintptr_t a = target; a < lo + FRAME; a += VMT_PAGE)
         buf[a - lo] = 1;
      if (lo + FRAME - 1 >= target)
         buf[FRAME - 1] = 1;
   }
}

int main(int argc, char **argv)
{
   vmt_init();
   if (argc != 2 || (strcmp(argv[1], "grow") && strcmp(argv[1], "skip")))
      vmt_die("usage: stack grow|skip");
   int full = strcmp(argv[1], "grow") == 0;
   volatile char here = 0;
   uintptr_t s = (uintptr_t)&here & ~(uintptr_t)(VMT_PAGE - 1);
   uintptr_t t1 = s - 512 * KiB, t2 = t1 - 1024 * KiB;
   VMTRACE_LABEL(t2, t1 - t2, "stack");
   vmt_info_addr("stack-label", (const void *)t2);

   vmt_begin("prime");
   target = t1;
   grow();
   vmt_end();

   vmt_begin("grow");
   if (full) {
      target = t2;
      grow();
   }
   vmt_end();

   vmt_begin("regrow");
   if (full)
      grow();
   vmt_end();
   return here;
}
