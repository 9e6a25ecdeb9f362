/* mremap_move: a 10-page private anonymous mapping is written at its first
   address (label "src", phase "write"), moved with
   mremap(MREMAP_MAYMOVE|MREMAP_FIXED) to an address inside a reservation,
   written at the new address (label "dst", phase "move-write"), then grown
   in place to 20 pages (plain mremap, no MAYMOVE: the 10 pages after it are
   unmapped first) and the new 10 pages written (label "grown", phase
   "grow-write").  FACT vmas= counts the VMAs over the grown 20 pages. */
#include "vmtest.h"

#define NPAGES 10

int main(void)
{
   vmt_init();
   char *src = vmt_anon(NPAGES);
   char *dst = vmt_place(2 * NPAGES * VMT_PAGE, VMT_PAGE, 0);
   VMTRACE_LABEL(src, NPAGES * VMT_PAGE, "src");

   vmt_begin("write");
   vmt_write_pages(src, NPAGES);
   vmt_end();

   void *r = mremap(src, NPAGES * VMT_PAGE, NPAGES * VMT_PAGE,
                    MREMAP_MAYMOVE | MREMAP_FIXED, dst);
   if (r != dst)
      vmt_die("mremap move");
   VMTRACE_LABEL(dst, NPAGES * VMT_PAGE, "dst");

   vmt_begin("move-write");
   vmt_write_pages(dst, NPAGES);
   vmt_end();

   /* the rest of the reservation after dst goes, so dst can grow in place */
   if (munmap(dst + NPAGES * VMT_PAGE, NPAGES * VMT_PAGE) != 0)
      vmt_die("munmap");
   r = mremap(dst, NPAGES * VMT_PAGE, 2 * NPAGES * VMT_PAGE, 0);
   if (r != dst)
      vmt_die("mremap grow");
   VMTRACE_LABEL(dst + NPAGES * VMT_PAGE, NPAGES * VMT_PAGE, "grown");
   vmt_fact("vmas", vmt_count_vmas(dst, 2 * NPAGES * VMT_PAGE));

   vmt_begin("grow-write");
   vmt_write_pages(dst + NPAGES * VMT_PAGE, NPAGES);
   vmt_end();
   return 0;
}
