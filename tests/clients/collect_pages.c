/* collect_pages MODE [N]: pages referenced while collection is paused,
   while it is on, and both (VMTRACE_STOP_COLLECTION /
   VMTRACE_START_COLLECTION).  Run with --collect-atstart=no, the program
   starts paused.  Every labelled region is a private anonymous mapping of
   its own, and every page of it is referenced once in each step that
   names it (so once per epoch of the working set at most).

   mix [N]      four regions: "paused" (N pages, default 7), "collecting"
                (5), "both" (4), "zero" (6).
                phase "p1" (paused): write "paused" and "both", read "zero"
                  (the zero page);
                START; phase "c1": write "collecting", read "both";
                STOP;  phase "p2": write "paused" again, write pages 0..1
                  of "zero" (copied from the zero page);
                START; phase "c2": write all of "zero" (pages 2..5 still
                  map the zero page).
   fork         an 8-page "buf" written while paused (phase "write");
                fork (paused).  The child writes pages 0..2 while paused
                ("child-paused"), starts collecting and writes pages 0..5
                ("child-on"), and exits.  The parent, once the child has
                exited, starts collecting and writes all 8 ("after-child").
   never        a 5-page "never" written (phase "write"); collection is
                never started.
   fork-never   an 8-page "buf" written (phase "write"); fork; the child
                writes pages 0..2 ("child-write") and exits; the parent,
                once it has, writes all 8 ("after-child").  Collection is
                never started.
   Natively the kernel counts every step (ORACLE lines). */
#include "vmtest.h"

static void mix(size_t n_paused)
{
   enum { M = 5, K = 4, Z = 6 };
   char *paused = vmt_anon(n_paused);
   char *collecting = vmt_anon(M);
   char *both = vmt_anon(K);
   char *zero = vmt_anon(Z);
   VMTRACE_LABEL(paused, n_paused * VMT_PAGE, "paused");
   VMTRACE_LABEL(collecting, M * VMT_PAGE, "collecting");
   VMTRACE_LABEL(both, K * VMT_PAGE, "both");
   VMTRACE_LABEL(zero, Z * VMT_PAGE, "zero");

   vmt_begin("p1");
   vmt_write_pages(paused, n_paused);
   vmt_write_pages(both, K);
   vmt_read_pages(zero, Z);
   vmt_end();

   VMTRACE_START_COLLECTION();
   vmt_begin("c1");
   vmt_write_pages(collecting, M);
   vmt_read_pages(both, K);
   vmt_end();

   VMTRACE_STOP_COLLECTION();
   vmt_begin("p2");
   vmt_write_pages(paused, n_paused);
   vmt_write_pages(zero, 2);
   vmt_end();

   VMTRACE_START_COLLECTION();
   vmt_begin("c2");
   vmt_write_pages(zero, Z);
   vmt_end();
}

static void forked(void)
{
   enum { N = 8 };
   vmt_set_role("parent");
   char *p = vmt_anon(N);
   VMTRACE_LABEL(p, N * VMT_PAGE, "buf");
   vmt_begin("write");
   vmt_write_pages(p, N);
   vmt_end();

   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-paused");
      vmt_write_pages(p, 3);
      vmt_end();
      VMTRACE_START_COLLECTION();
      vmt_begin("child-on");
      vmt_write_pages(p, 6);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
   VMTRACE_START_COLLECTION();
   vmt_begin("after-child");
   vmt_write_pages(p, N);
   vmt_end();
}

static void fork_never(void)
{
   enum { N = 8 };
   vmt_set_role("parent");
   char *p = vmt_anon(N);
   VMTRACE_LABEL(p, N * VMT_PAGE, "buf");
   vmt_begin("write");
   vmt_write_pages(p, N);
   vmt_end();
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_begin("child-write");
      vmt_write_pages(p, 3);
      vmt_end();
      vmt_child_exit();
   }
   vmt_reap(pid);
   vmt_begin("after-child");
   vmt_write_pages(p, N);
   vmt_end();
}

static void never(void)
{
   enum { N = 5 };
   char *p = vmt_anon(N);
   VMTRACE_LABEL(p, N * VMT_PAGE, "never");
   vmt_begin("write");
   vmt_write_pages(p, N);
   vmt_end();
}

int main(int argc, char **argv)
{
   if (argc < 2)
      vmt_die("usage: collect_pages mix [N] | fork | fork-never | never");
   vmt_init();
   if (!strcmp(argv[1], "mix"))
      mix(argc > 2 ? (size_t)atol(argv[2]) : 7);
   else if (!strcmp(argv[1], "fork"))
      forked();
   else if (!strcmp(argv[1], "never"))
      never();
   else if (!strcmp(argv[1], "fork-never"))
      fork_never();
   else
      vmt_die("unknown mode %s", argv[1]);
   return 0;
}
