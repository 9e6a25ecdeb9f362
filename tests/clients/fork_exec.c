/* fork_exec: the parent writes a 10-page private anonymous mapping "mine"
   (phase "write"), then forks; the child execs exec_target (from the
   directory of argv[0]) with role "exec"; the parent, once the child has
   exited, writes "mine" again (phase "after-child").  Role "parent". */
#include "vmtest.h"

#include <libgen.h>

#define NPAGES 10

int main(int argc, char **argv)
{
   vmt_init();
   vmt_set_role("parent");
   if (argc != 1)
      vmt_die("usage: fork_exec");
   char target[4096];
   char self[4096];
   snprintf(self, sizeof self, "%s", argv[0]);
   snprintf(target, sizeof target, "%s/exec_target", dirname(self));

   char *p = vmt_anon(NPAGES);
   VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "mine");
   vmt_begin("write");
   vmt_write_pages(p, NPAGES);
   vmt_end();

   pid_t pid = vmt_fork();
   if (pid == 0) {
      char *const cargv[] = {target, "exec", NULL};
      execv(target, cargv);
      vmt_die("execv %s", target);
   }
   vmt_reap(pid);
   vmt_fact("exclusive-after-child", vmt_exclusive(p, NPAGES));
   vmt_begin("after-child");
   vmt_write_pages(p, NPAGES);
   vmt_end();
   return 0;
}
