/* vfork MODE: a 300-page private anonymous mapping "buf" written by the
   parent (phase "write"), then a child that shares the address space:

   vfork   vfork(); the child calls _exit(0) at once (anything else in a
           vfork child is undefined behaviour; it writes nothing)
   spawn   posix_spawn() of /bin/true (glibc: clone(CLONE_VM|CLONE_VFORK))

   The parent waits for the child, then writes the 300 pages again
   (phase "after-child").  Role "parent". */
#include "vmtest.h"

#include <spawn.h>

#define NPAGES 300

extern char **environ;

int main(int argc, char **argv)
{
   vmt_init();
   vmt_set_role("parent");
   if (argc != 2 || (strcmp(argv[1], "vfork") && strcmp(argv[1], "spawn")))
      vmt_die("usage: vfork vfork|spawn");

   char *p = vmt_anon(NPAGES);
   VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "buf");
   vmt_begin("write");
   vmt_write_pages(p, NPAGES);
   vmt_end();

   fflush(stdout);
   pid_t pid;
   if (strcmp(argv[1], "vfork") == 0) {
      pid = vfork();
      if (pid == 0)
         _exit(0);
      if (pid < 0)
         vmt_die("vfork");
   } else {
      char *const cargv[] = {"true", NULL};
      int e = posix_spawn(&pid, "/bin/true", NULL, NULL, cargv, environ);
      if (e != 0) {
         errno = e;
         vmt_die("posix_spawn /bin/true");
      }
   }
   vmt_reap(pid);

   vmt_begin("after-child");
   vmt_write_pages(p, NPAGES);
   vmt_end();
   return 0;
}
