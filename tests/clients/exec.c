/* exec: a 10-page private anonymous mapping labelled "region" is written
   (phase "write"), then the process execs /bin/true, which exits 0. */
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

   fflush(stdout);
   char *const argv[] = {"true", NULL};
   execv("/bin/true", argv);
   vmt_die("execv /bin/true");
}
