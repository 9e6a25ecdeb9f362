/* vfork MODE: a 300-page private anonymous mapping "buf" written by the
   parent (phase "write"), then a child that shares the address space:

   vfork        vfork(); the child calls _exit(0) at once (it writes
                nothing of its parent's)
   spawn        posix_spawn() of /bin/true (glibc: clone(CLONE_VM|CLONE_VFORK))
   vfork-write  vfork(); the child (role "child") writes the first 4 pages
                of "lent", an 8-page mapping the parent has not touched
                (phase "child-write"), then calls _exit(0)
   vfork-exec   as vfork-write, then the child execs a missing file
                (which fails: the child goes on, as after any failed
                exec), writes pages 4..5 of "lent" (phase "after-failed-
                exec") and execs /bin/true

   The parent waits for the child, then writes the 300 pages of "buf"
   again and, in the last two modes, all 8 pages of "lent" (phase
   "after-child").  Role "parent".
   A vfork child shares its parent's memory: what it writes is the
   parent's, so it prints its ORACLE lines with write(2) from its own
   stack buffer (stdio's buffer is the parent's) and sets nothing the
   parent reads afterwards without setting it again. */
#include "vmtest.h"

#include <spawn.h>

#define NPAGES 300
#define NLENT 8

extern char **environ;

/* A phase of the vfork child: getrusage around the writes, the ORACLE
   line written directly. */
static VMT_NOINLINE void child_phase(const char *phase, char *p, size_t n)
{
   struct rusage r0, r1;
   VMTRACE_PHASE(phase);
   getrusage(RUSAGE_SELF, &r0);
   vmt_write_pages(p, n);
   getrusage(RUSAGE_SELF, &r1);
   if (!vmt_under_valgrind()) {
      char line[128];
      int len = snprintf(line, sizeof line, "ORACLE child:%s minflt=%ld majflt=%ld\n", phase,
                         r1.ru_minflt - r0.ru_minflt, r1.ru_majflt - r0.ru_majflt);
      if (write(1, line, (size_t)len) != len)
         _exit(3);
   }
}

int main(int argc, char **argv)
{
   vmt_init();
   vmt_set_role("parent");
   if (argc != 2 || (strcmp(argv[1], "vfork") && strcmp(argv[1], "spawn") &&
                     strcmp(argv[1], "vfork-write") && strcmp(argv[1], "vfork-exec")))
      vmt_die("usage: vfork vfork|spawn|vfork-write|vfork-exec");

   char *p = vmt_anon(NPAGES);
   VMTRACE_LABEL(p, NPAGES * VMT_PAGE, "buf");
   int writes = strcmp(argv[1], "vfork-write") == 0 || strcmp(argv[1], "vfork-exec") == 0;
   char *lent = NULL;
   if (writes) {
      lent = vmt_anon(NLENT);
      VMTRACE_LABEL(lent, NLENT * VMT_PAGE, "lent");
   }
   vmt_begin("write");
   vmt_write_pages(p, NPAGES);
   vmt_end();

   fflush(stdout);
   pid_t pid;
   if (strcmp(argv[1], "spawn") == 0) {
      char *const cargv[] = {"true", NULL};
      int e = posix_spawn(&pid, "/bin/true", NULL, NULL, cargv, environ);
      if (e != 0) {
         errno = e;
         vmt_die("posix_spawn /bin/true");
      }
   } else {
      int execs = strcmp(argv[1], "vfork-exec") == 0;
      pid = vfork();
      if (pid == 0) {
         if (writes)
            child_phase("child-write", lent, 4);
         if (execs) {
            char *const cargv[] = {"true", NULL};
            execve("/nonexistent/vmtrace-vfork-test", cargv, environ);
            child_phase("after-failed-exec", lent + 4 * VMT_PAGE, 2);
            execve("/bin/true", cargv, environ);
            _exit(4);
         }
         _exit(0);
      }
      if (pid < 0)
         vmt_die("vfork");
   }
   vmt_reap(pid);

   vmt_begin("after-child");
   vmt_write_pages(p, NPAGES);
   if (writes)
      vmt_write_pages(lent, NLENT);
   vmt_end();
   return 0;
}
