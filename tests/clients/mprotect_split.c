/* mprotect_split: a 10-page private anonymous mapping, labelled "region".

   phase "write":  write all 10 pages
   then mprotect pages 4..5 PROT_READ (the mapping is now 3 VMAs)
   phase "write0": write page 0 again
   with argument "hold" the program exits here, still split; otherwise
   then mprotect pages 4..5 back to PROT_READ|PROT_WRITE (the kernel merges
   the three VMAs back into one)
   phase "write4": write page 4 again

   FACT vmas-split= and FACT vmas-merged= count the VMAs over the range in
   /proc/self/maps after each mprotect. */
#include "vmtest.h"

#define NPAGES 10

int main(int argc, char **argv)
{
   vmt_init();
   int hold = argc > 1 && strcmp(argv[1], "hold") == 0;
   char *p = vmt_anon(NPAGES);
   VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "region");

   vmt_begin("write");
   vmt_write_pages(p, NPAGES);
   vmt_end();

   if (mprotect(p + 4 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ) != 0)
      vmt_die("mprotect read");
   vmt_fact("vmas-split", vmt_count_vmas(p, NPAGES * VMT_PAGE));

   vmt_begin("write0");
   vmt_write_pages(p, 1);
   vmt_end();
   if (hold)
      return 0;

   if (mprotect(p + 4 * VMT_PAGE, 2 * VMT_PAGE, PROT_READ | PROT_WRITE) != 0)
      vmt_die("mprotect read-write");
   vmt_fact("vmas-merged", vmt_count_vmas(p, NPAGES * VMT_PAGE));

   vmt_begin("write4");
   vmt_write_pages(p + 4 * VMT_PAGE, 1);
   vmt_end();
   return 0;
}
