/* exec_target ROLE: the program other processes exec (fork_exec, a shell):
   a 10-page private anonymous mapping "region", written in phase "write";
   ROLE names the process in its ORACLE lines. */
#include "vmtest.h"

#define NPAGES 10

int main(int argc, char **argv)
{
   vmt_init();
   if (argc != 2)
      vmt_die("usage: exec_target ROLE");
   vmt_set_role(argv[1]);
   char *p = vmt_anon(NPAGES);
   VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "region");

   vmt_begin("write");
   vmt_write_pages(p, NPAGES);
   vmt_end();
   return 0;
}
