/* unmap_reuse: pages that leave the address space and come back at the
   same addresses.  A 16-page mapping "keep" stays; a 64-page mapping
   "cycle" is written, "keep" read, and "cycle" unmapped and mapped again
   at the same address (MAP_FIXED), three times; then written once more,
   dropped with MADV_DONTNEED and written again, unmapped and mapped again
   and written once more.  Every
   page of "cycle" written after it left is a new page: a fault in every
   simulation at every size (tests/vmtrace-sim: the exact curves agree). */
#include "vmtest.h"

#define KEEP 16
#define CYCLE 64

int main(void)
{
   vmt_init();
   char *keep = vmt_anon(KEEP);
   char *cyc = vmt_anon(CYCLE);
   for (int r = 0; r < 3; r++) {
      vmt_write_pages(cyc, CYCLE);
      vmt_read_pages(keep, KEEP);
      if (munmap(cyc, CYCLE * VMT_PAGE) != 0)
         vmt_die("munmap");
      if (mmap(cyc, CYCLE * VMT_PAGE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != cyc)
         vmt_die("mmap fixed");
   }
   vmt_write_pages(cyc, CYCLE);
   vmt_read_pages(keep, KEEP);
   if (madvise(cyc, CYCLE * VMT_PAGE, MADV_DONTNEED) != 0)
      vmt_die("madvise");
   vmt_write_pages(cyc, CYCLE);
   vmt_read_pages(keep, KEEP);
   if (munmap(cyc, CYCLE * VMT_PAGE) != 0)
      vmt_die("munmap");
   if (mmap(cyc, CYCLE * VMT_PAGE, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != cyc)
      vmt_die("mmap fixed");
   vmt_write_pages(cyc, CYCLE);
   vmt_read_pages(keep, KEEP);
   return 0;
}
