/* tlbmaps: two mappings walked against a TLB of known geometry, for the
   report's TLB figures per mapping, label and phase (tests/report/run runs
   it with --tlb=yes --tlb-l1d=64:64 --tlb-l2=none: one fully associative
   64-entry LRU data TLB, no second level, so every miss is a walk).

   A is 96 private anonymous pages, B 48, each between PROT_NONE neighbours
   (no merge) and labelled "a" and "b".  Phase "fill" writes A's pages then
   B's, one page at a time: a page never referenced before is in no TLB, so
   each write misses once (1 miss and 1 walk per page).  A 64-page scratch
   mapping written at the start is then unmapped: 64 present pages are more
   than the kernel's tlb_single_page_flush_ceiling (33), so the whole TLB
   is flushed.  Phase "walk" reads A 3 times over in order (96 > 64 entries:
   LRU evicts every page before its next use, all 3 x 96 miss), then B 5
   times (48 <= 64: its first round misses, 48, the rest hit).  The loops
   keep everything else in registers, so the mappings' figures are:
     A  96 + 288 = 384 misses and walks, B  48 + 48 = 96, scratch 64.

     make check builds it (check_PROGRAMS); tests/report/run runs it. */
#include "vmtest.h"

enum { A_PAGES = 96, A_ROUNDS = 3, B_PAGES = 48, B_ROUNDS = 5, SCRATCH = 64 };

static VMT_NOINLINE void walk(const char *p, size_t n, long rounds)
{
   const volatile unsigned char *q = (const volatile unsigned char *)p;
   unsigned long sum = 0;
   for (long r = 0; r < rounds; r++)
      for (size_t i = 0; i < n; i++)
         sum += q[i * VMT_PAGE];
   vmt_sink = sum;
}

int main(void)
{
   char *scratch = vmt_anon(SCRATCH);
   vmt_write_pages(scratch, SCRATCH);
   char *a = vmt_anon(A_PAGES);
   char *b = vmt_anon(B_PAGES);
   VMTRACE_LABEL(a, A_PAGES * VMT_PAGE, "a");
   VMTRACE_LABEL(b, B_PAGES * VMT_PAGE, "b");
   vmt_begin("fill");
   vmt_write_pages(a, A_PAGES);
   vmt_write_pages(b, B_PAGES);
   vmt_end();
   if (munmap(scratch, SCRATCH * VMT_PAGE) != 0)
      vmt_die("munmap");
   vmt_begin("walk");
   walk(a, A_PAGES, A_ROUNDS);
   walk(b, B_PAGES, B_ROUNDS);
   vmt_end();
   return 0;
}
