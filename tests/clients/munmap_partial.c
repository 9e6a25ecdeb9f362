/* munmap_partial: a 10-page private anonymous mapping, labelled "region",
   is written (phase "write"), pages 3..6 (four pages) are unmapped, and the
   six pages left (0-2, 7-9) are written again (phase "rewrite").
   Prints FACT vmas= (VMAs over the original range, from /proc/self/maps)
   and FACT resident= (mincore over the two pieces) after the munmap. */
#include "vmtest.h"

#define NPAGES 10

int main(void)
{
   vmt_init();
   char *p = vmt_anon(NPAGES);
   VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "region");

   vmt_begin("write");
   vmt_write_pages(p, NPAGES);
   vmt_end();

   if (munmap(p + 3 * VMT_PAGE, 4 * VMT_PAGE) != 0)
      vmt_die("munmap");
   vmt_fact("vmas", vmt_count_vmas(p, NPAGES * VMT_PAGE));

   vmt_begin("rewrite");
   vmt_write_pages(p, 3);
   vmt_write_pages(p + 7 * VMT_PAGE, 3);
   vmt_end();

   vmt_fact("resident", vmt_resident(p, 3 * VMT_PAGE) +
                        vmt_resident(p + 7 * VMT_PAGE, 3 * VMT_PAGE));
   return 0;
}
