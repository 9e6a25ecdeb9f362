/* madv_dontneed: a 10-page private anonymous mapping, labelled "region", is
   written (phase "write"), dropped with madvise(MADV_DONTNEED), and written
   again (phase "rewrite"). */
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

   if (madvise(p, NPAGES * VMT_PAGE, MADV_DONTNEED) != 0)
      vmt_die("madvise");

   vmt_begin("rewrite");
   vmt_write_pages(p, NPAGES);
   vmt_end();
   return 0;
}
