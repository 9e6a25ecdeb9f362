/* torture_proc MODE [ARG]: process trees.  Roles in ORACLE and FACT lines
   as named below; every process orders its steps with pipes and waitpid.

   storm N         an N-page "region" written by the parent ("write"); N
                   children forked, all alive at once, each waiting on one
                   pipe; released together, child i (role child<i>) labels
                   page i "slice", writes it ("slice") and exits with
                   status i; the parent reaps them in fork order, then
                   writes all N pages ("after-children").  FACT
                   parent:status<i>= each child's exit status
   depth N         an N-page "region" written by the root (level 0,
                   "write"); level k (k = 1..N, role level<k>) labels page
                   k-1 "level<k>", writes it ("slice"), forks level k+1
                   (below N), waits for it and exits with its status + 1
                   (level N exits 0); the root writes all N pages
                   ("after-children") and exits with level 1's status + 1
   orphan          the root makes itself a child subreaper and writes a
                   10-page "region" ("write"); its child ("middle") forks a
                   grandchild and exits at once, orphaning it; once the
                   root has reaped the middle it lets the grandchild
                   ("orphan") go, which writes pages 0..4 ("orphan-write")
                   and exits 3; the root reaps it as its own (the
                   subreaper's), then writes all 10 pages ("after-children").
                   The orphan prints INFO reparented=1 if its parent is the
                   root by then (FACT orphan:reparented natively)
   exec-chain N    labels 4 fresh pages "region" and writes them (role
                   n<N>, phase "image"); if N > 0 execs itself with N - 1
                   (image 2 first tries /nonexistent, which fails with
                   ENOENT), else exits 5
   exec-fail KIND  an 8-page "region": pages 0..3 written ("before"), then
                   an execve that fails (KIND enoent: a missing file;
                   eacces: a file without execute permission; dir: a
                   directory; enoexec: an executable file that is neither
                   ELF nor #!; short-elf: one that begins with the ELF
                   magic but is shorter than an ELF header; blank-shebang:
                   "#!" and blanks), INFO errno=; then pages 0..7 written
                   ("after"); exits 0
   execvp-path     writes a 4-page "region" ("write"), then execvp("sh",
                   {"sh", DIR}) with PATH = /nonexistent, DIR/eacces
                   (holding a sh without execute permission), DIR/enoexec
                   (holding an executable sh script without #!): ENOENT,
                   EACCES, then ENOEXEC, on which glibc runs the script with
                   /bin/sh; the script removes DIR (made in $TMPDIR) and
                   exits 7
   spawnp-path     writes a 4-page "region" ("write"), then posix_spawnp of
                   sh -c 'exit 3' with PATH = /nonexistent, DIR/eacces,
                   /bin; reaps the child (exit 3) and removes DIR
   vfork-fail      writes a 4-page "region" ("write"); a vfork child whose
                   execve of /nonexistent fails calls _exit(127); the parent
                   reaps it and writes the region again ("after-child")
   fork-exec-fail  writes a 100-page "region" ("write"); a forked child's
                   execve of /nonexistent fails (ENOENT), and the child,
                   still itself, writes the region ("child-write") and
                   exits; the parent reaps it and writes the region again
                   ("after-child")
   sigterm-child   a child that waits in pause(); the parent, once
                   /proc/PID/syscall shows it there, sends it SIGTERM and
                   reaps it (FACT parent:status)
   sigkill-child   the same with SIGKILL
   cow-peak N      an N-page "region" (N a multiple of 4) written by the
                   parent ("write"); fork; the child writes its first half
                   ("child-write") and blocks reading a pipe; the parent,
                   woken, writes the third quarter ("parent-write") and
                   blocks; the child, woken, measures its region's Pss
                   (FACT child:region-pss=, pages) and blocks again; the
                   parent measures its own (FACT parent:region-pss=) and
                   lets the child exit, then reaps it
   wait-statuses   three children: one exits 3, one calls abort(), one
                   stores to address 0; the parent reaps them in order
                   (FACT parent:status<i>)
   fork-threads    two threads each write 8 pages of a 16-page "region"
                   ("threads") and wait in a read (the main thread waits
                   until /proc shows them there); it forks; the child
                   writes all 16 pages ("child-write") and exits; the parent
                   writes the 16 pages ("after-child") and exits, the
                   threads still waiting
   threads-in-child  a 10-page "mine" written by the parent ("write"); the
                   child of a fork starts three threads, which each
                   write their own 8 pages of a 24-page "region"
                   ("threads": the first two; "exit-thread": the third,
                   which then calls exit(6) while the child's main thread
                   waits in a read); the parent reaps the child (status 6)
                   and writes "mine" again ("after-child")

   clone-vm        clone(CLONE_VM | SIGCHLD) of a child that returns 7
                   (FACT parent:status): Valgrind cannot run it
   exec-self       execs /proc/self/exe, which exits 3: under Valgrind
                   that is the tool's executable

   Core dumps are turned off (RLIMIT_CORE 0): a dump (Valgrind's vgcore)
   in the working directory would be a file the run leaves behind. */
#include "vmtest.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

extern char **environ;

static int wait_status(pid_t pid)
{
   int st;
   if (waitpid(pid, &st, 0) != pid)
      vmt_die("waitpid %d", (int)pid);
   return st;
}

/* The status as a number: the exit code, or 128 + the signal. */
static long status_code(int st)
{
   return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char *region(size_t n)
{
   char *p = vmt_anon(n);
   VMTRACE_LABEL(p, n * VMT_PAGE, "region");
   return p;
}

static void write_phase(const char *phase, char *p, size_t n)
{
   vmt_begin(phase);
   vmt_write_pages(p, n);
   vmt_end();
}

/* ---- storm, depth, orphan ------------------------------------------------- */

static void storm(int n)
{
   char *p = region((size_t)n);
   write_phase("write", p, (size_t)n);
   struct vmt_chan go;
   vmt_chan_open(&go);
   pid_t kids[64];
   for (int i = 0; i < n; i++) {
      kids[i] = vmt_fork();
      if (kids[i] == 0) {
         char role[16];
         snprintf(role, sizeof role, "child%d", i);
         vmt_set_role(role);
         vmt_wait(&go);
         VMTRACE_LABEL(p + i * VMT_PAGE, VMT_PAGE, "slice");
         write_phase("slice", p + i * VMT_PAGE, 1);
         fflush(stdout);
         _exit(i);
      }
   }
   for (int i = 0; i < n; i++)
      vmt_post(&go);
   for (int i = 0; i < n; i++) {
      char key[16];
      snprintf(key, sizeof key, "status%d", i);
      vmt_fact(key, status_code(wait_status(kids[i])));
   }
   write_phase("after-children", p, (size_t)n);
}

static int depth_level(char *p, int k, int n)
{
   char role[32], label[32];
   snprintf(role, sizeof role, "level%d", k);
   snprintf(label, sizeof label, "level%d", k);
   vmt_set_role(role);
   VMTRACE_LABEL(p + (k - 1) * VMT_PAGE, VMT_PAGE, label);
   write_phase("slice", p + (k - 1) * VMT_PAGE, 1);
   if (k == n)
      return 0;
   pid_t pid = vmt_fork();
   if (pid == 0) {
      int code = depth_level(p, k + 1, n);
      fflush(stdout);
      _exit(code);
   }
   return (int)status_code(wait_status(pid)) + 1;
}

static int depth(int n)
{
   char *p = region((size_t)n);
   write_phase("write", p, (size_t)n);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      int code = depth_level(p, 1, n);
      fflush(stdout);
      _exit(code);
   }
   int code = (int)status_code(wait_status(pid)) + 1;
   write_phase("after-children", p, (size_t)n);
   return code;
}

static void orphan(void)
{
   if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
      vmt_die("PR_SET_CHILD_SUBREAPER");
   pid_t root = getpid();
   char *p = region(10);
   write_phase("write", p, 10);
   struct vmt_chan go;
   vmt_chan_open(&go);
   pid_t middle = vmt_fork();
   if (middle == 0) {
      vmt_set_role("middle");
      pid_t pid = vmt_fork();
      if (pid == 0) {
         vmt_set_role("orphan");
         vmt_wait(&go);
         int re = getppid() == root;
         printf("INFO reparented=%d\n", re);
         vmt_fact("reparented", re);
         write_phase("orphan-write", p, 5);
         fflush(stdout);
         _exit(3);
      }
      fflush(stdout);
      _exit(0);
   }
   vmt_fact("status-middle", status_code(wait_status(middle)));
   vmt_post(&go);
   int st;
   pid_t pid = wait(&st);
   if (pid < 0)
      vmt_die("wait for the orphan");
   vmt_fact("status-orphan", status_code(st));
   write_phase("after-children", p, 10);
}

/* ---- exec ------------------------------------------------------------------- */

static int exec_chain(const char *self, int n)
{
   char role[16], arg[16];
   snprintf(role, sizeof role, "n%d", n);
   vmt_set_role(role);
   char *p = region(4);
   write_phase("image", p, 4);
   if (n == 0)
      return 5;
   snprintf(arg, sizeof arg, "%d", n - 1);
   char *args[] = {(char *)self, "exec-chain", arg, NULL};
   fflush(stdout);
   if (n == 2) {
      execv("/nonexistent/torture_proc", args);
      if (errno != ENOENT)
         vmt_die("exec of a missing file");
   }
   execv(self, args);
   vmt_die("execv %s", self);
   return 2;
}

/* A file in $TMPDIR holding text with these permissions; returns its path
   (static storage). */
static const char *tmp_file(const char *dir, const char *name, const char *text, int mode)
{
   static char path[4096];
   snprintf(path, sizeof path, "%s/%s", dir, name);
   int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
   if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
       fchmod(fd, (mode_t)mode) != 0)
      vmt_die("create %s", path);
   close(fd);
   return path;
}

static const char *tmpdir(void)
{
   const char *d = getenv("TMPDIR");
   return d && *d ? d : "/tmp";
}

static void exec_fail(const char *kind)
{
   char *p = region(8);
   write_phase("before", p, 4);
   char dir[4096];
   snprintf(dir, sizeof dir, "%s/torture-exec", tmpdir());
   if (mkdir(dir, 0700) != 0)
      vmt_die("mkdir %s", dir);
   const char *path;
   if (strcmp(kind, "enoent") == 0)
      path = "/nonexistent/program";
   else if (strcmp(kind, "eacces") == 0)
      path = tmp_file(dir, "prog", "#!/bin/sh\nexit 0\n", 0644);
   else if (strcmp(kind, "dir") == 0)
      path = dir;
   else if (strcmp(kind, "enoexec") == 0)
      path = tmp_file(dir, "prog", "exit 0\n", 0755);
   else if (strcmp(kind, "short-elf") == 0)
      path = tmp_file(dir, "prog", "\177ELF garbage", 0755);
   else if (strcmp(kind, "blank-shebang") == 0)
      path = tmp_file(dir, "prog", "#!  \n", 0755);
   else
      vmt_die("exec-fail enoent|eacces|dir|enoexec|short-elf|blank-shebang");
   char *args[] = {(char *)path, NULL};
   fflush(stdout);
   execv(path, args);
   int e = errno;
   printf("INFO errno=%d\n", e);
   if (strcmp(kind, "dir") != 0 && strcmp(kind, "enoent") != 0 && unlink(path) != 0)
      vmt_die("unlink %s", path);
   if (rmdir(dir) != 0)
      vmt_die("rmdir %s", dir);
   write_phase("after", p, 8);
}

/* DIR/eacces/sh without execute permission, DIR/enoexec/sh an executable
   script without #! that removes DIR and exits 7. */
static void make_path_dirs(const char *dir, int enoexec)
{
   char sub[8192], script[16384];
   if (mkdir(dir, 0700) != 0)
      vmt_die("mkdir %s", dir);
   snprintf(sub, sizeof sub, "%s/eacces", dir);
   if (mkdir(sub, 0700) != 0)
      vmt_die("mkdir %s", sub);
   tmp_file(sub, "sh", "exit 99\n", 0644);
   if (enoexec) {
      snprintf(sub, sizeof sub, "%s/enoexec", dir);
      if (mkdir(sub, 0700) != 0)
         vmt_die("mkdir %s", sub);
      snprintf(script, sizeof script, "/bin/rm -r '%s' && exit 7\nexit 98\n", dir);
      tmp_file(sub, "sh", script, 0755);
   }
}

static void execvp_path(void)
{
   char *p = region(4);
   write_phase("write", p, 4);
   char dir[4096], path[8300];
   snprintf(dir, sizeof dir, "%s/torture-path", tmpdir());
   make_path_dirs(dir, 1);
   snprintf(path, sizeof path, "/nonexistent:%s/eacces:%s/enoexec", dir, dir);
   if (setenv("PATH", path, 1) != 0)
      vmt_die("setenv");
   char *args[] = {"sh", NULL};
   fflush(stdout);
   execvp("sh", args);
   vmt_die("execvp sh");
}

static void spawnp_path(void)
{
   char *p = region(4);
   write_phase("write", p, 4);
   char dir[4096], path[8300], sub[8300], lib[8300];
   snprintf(dir, sizeof dir, "%s/torture-path", tmpdir());
   make_path_dirs(dir, 0);
   snprintf(path, sizeof path, "PATH=/nonexistent:%s/eacces:/bin", dir);
   char *args[] = {"sh", "-c", "exit 3", NULL};
   /* LD_LIBRARY_PATH passed on (tests/golden/run sets it): without it the
      shell's loader reads /etc/ld.so.cache, whose size changes with every
      package installed, and so do the shell's figures */
   const char *ld = getenv("LD_LIBRARY_PATH");
   snprintf(lib, sizeof lib, "LD_LIBRARY_PATH=%s", ld ? ld : "");
   char *env[] = {path, ld ? lib : NULL, NULL};
   pid_t pid;
   fflush(stdout);
   int e = posix_spawnp(&pid, "sh", NULL, NULL, args, env);
   if (e != 0) {
      errno = e;
      vmt_die("posix_spawnp sh");
   }
   vmt_fact("status", status_code(wait_status(pid)));
   snprintf(sub, sizeof sub, "%s/eacces/sh", dir);
   if (unlink(sub) != 0)
      vmt_die("unlink %s", sub);
   snprintf(sub, sizeof sub, "%s/eacces", dir);
   if (rmdir(sub) != 0 || rmdir(dir) != 0)
      vmt_die("rmdir %s", dir);
}

/* An execve that fails with ENOENT; its errno. */
static int exec_missing(void)
{
   char *args[] = {"program", NULL};
   execv("/nonexistent/program", args);
   return errno;
}

static void vfork_fail(void)
{
   char *p = region(4);
   write_phase("write", p, 4);
   fflush(stdout);
   pid_t pid = vfork();
   if (pid == 0) {
      exec_missing();
      _exit(127);
   }
   if (pid < 0)
      vmt_die("vfork");
   vmt_fact("status", status_code(wait_status(pid)));
   write_phase("after-child", p, 4);
}

static void fork_exec_fail(void)
{
   char *p = region(100);
   write_phase("write", p, 100);
   fflush(stdout);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_fact("errno", exec_missing());
      write_phase("child-write", p, 100);
      vmt_child_exit();
   }
   if (pid < 0)
      vmt_die("fork");
   vmt_fact("status", status_code(wait_status(pid)));
   write_phase("after-child", p, 100);
}

/* ---- signals between processes -------------------------------------------- */

static void signal_child(int sig)
{
   struct vmt_chan ready;
   vmt_chan_open(&ready);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      vmt_post(&ready);
      for (;;)
         pause();
   }
   vmt_wait(&ready);
   /* Only once the child waits in pause() (/proc/PID/syscall names the
      call a task is blocked in: 34), so that it dies at the same place in
      every run; usleep at least once, so that the pages it touches are
      touched in every run. */
   usleep(500);
   for (int tries = 0;; tries++) {
      char path[64], buf[64] = "";
      snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
      FILE *f = fopen(path, "r");
      if (f) {
         if (!fgets(buf, sizeof buf, f))
            buf[0] = 0;
         fclose(f);
      }
      if (strncmp(buf, "34 ", 3) == 0)
         break;
      if (tries == 20000)
         vmt_die("the child does not wait in pause(): %s says %s", path, buf);
      usleep(500);
   }
   if (kill(pid, sig) != 0)
      vmt_die("kill");
   vmt_fact("status", status_code(wait_status(pid)));
}

static void wait_statuses(void)
{
   for (int i = 0; i < 3; i++) {
      pid_t pid = vmt_fork();
      if (pid == 0) {
         if (i == 0)
            _exit(3);
         if (i == 1)
            abort();
         *(volatile int *)(uintptr_t)vmt_sink = 1;     /* vmt_sink is 0 */
         _exit(97);
      }
      char key[16];
      snprintf(key, sizeof key, "status%d", i);
      vmt_fact(key, status_code(wait_status(pid)));
   }
}

/* ---- threads and fork ------------------------------------------------------ */

/* Waits until task tid of this process is blocked in read(fd): its
   /proc/self/task/TID/syscall line is "0 0x<fd> ..." (the call's number and
   arguments; under Valgrind a thread waiting for Valgrind's lock reads a
   pipe too, but another one). */
static void wait_blocked_in_read(pid_t tid, int fd)
{
   char path[64], want[32];
   snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
   snprintf(want, sizeof want, "0 0x%x ", fd);
   usleep(500);     /* at least once: the pages it touches are always touched */
   for (int tries = 0;; tries++) {
      char buf[128] = "";
      FILE *f = fopen(path, "r");
      if (f) {
         if (!fgets(buf, sizeof buf, f))
            buf[0] = 0;
         fclose(f);
      }
      if (strncmp(buf, want, strlen(want)) == 0)
         return;
      if (tries == 20000)
         vmt_die("task %d does not wait in read(%d): %s says %s", (int)tid, fd, path, buf);
      usleep(500);
   }
}

struct worker {
   pid_t tid;
   pthread_t t;
   char *pages;
   size_t n;
   struct vmt_chan go, done, end;
   int exit_code;              /* after writing, exit(exit_code) if > 0 */
};

static void *work(void *arg)
{
   struct worker *w = arg;
   w->tid = gettid();
   vmt_post(&w->done);         /* started: its stack is faulted in */
   vmt_wait(&w->go);
   vmt_write_pages(w->pages, w->n);
   if (w->exit_code > 0) {
      fflush(stdout);
      exit(w->exit_code);
   }
   vmt_post(&w->done);
   vmt_wait(&w->end);
   return NULL;
}

static void start_workers(struct worker *w, int n, char *p, size_t each)
{
   for (int i = 0; i < n; i++) {
      w[i].pages = p + (size_t)i * each * VMT_PAGE;
      w[i].n = each;
      vmt_chan_open(&w[i].go);
      vmt_chan_open(&w[i].done);
      vmt_chan_open(&w[i].end);
      if (pthread_create(&w[i].t, NULL, work, &w[i]) != 0)
         vmt_die("pthread_create");
      vmt_wait(&w[i].done);
   }
}

static void fork_threads(void)
{
   struct worker w[2];
   memset(w, 0, sizeof w);
   char *p = region(16);
   start_workers(w, 2, p, 8);
   vmt_begin("threads");
   for (int i = 0; i < 2; i++)
      vmt_post(&w[i].go);
   for (int i = 0; i < 2; i++)
      vmt_wait(&w[i].done);
   vmt_end();
   /* Each has returned from its post and waits: nothing it does races
      with the fork (glibc writes the thread's descriptor as a write
      returns). */
   for (int i = 0; i < 2; i++)
      wait_blocked_in_read(w[i].tid, w[i].end.fd[0]);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      write_phase("child-write", p, 16);
      vmt_child_exit();
   }
   vmt_fact("status", status_code(wait_status(pid)));
   write_phase("after-child", p, 16);
   /* The threads still wait (in read); exit ends them there.  Joining
      them would make two threads write the same page first (the thread's
      descriptor, by its own exit and by pthread_join), in an order the
      scheduler picks. */
}

static void threads_in_child(void)
{
   char *mine = vmt_anon(10);
   VMTRACE_LABEL(mine, 10 * VMT_PAGE, "mine");
   write_phase("write", mine, 10);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      struct worker w[3];
      memset(w, 0, sizeof w);
      char *p = region(24);
      w[2].exit_code = 6;
      start_workers(w, 3, p, 8);
      vmt_begin("threads");
      for (int i = 0; i < 2; i++)
         vmt_post(&w[i].go);
      for (int i = 0; i < 2; i++)
         vmt_wait(&w[i].done);
      vmt_end();
      vmt_begin("exit-thread");   /* no ORACLE line: the thread ends all */
      struct vmt_chan never;
      vmt_chan_open(&never);
      vmt_post(&w[2].go);
      vmt_wait(&never);           /* (not pthread_join: see fork_threads) */
      _exit(96);
   }
   vmt_fact("status", status_code(wait_status(pid)));
   vmt_fact("exclusive-after-child", vmt_exclusive(mine, 10));
   write_phase("after-child", mine, 10);
}

/* ---- what Valgrind cannot run ------------------------------------------------ */

static char clone_stack[64 * 1024];

static int clone_child(void *arg)
{
   (void)arg;
   return 7;
}

static void clone_vm(void)
{
   pid_t pid = clone(clone_child, clone_stack + sizeof clone_stack, CLONE_VM | SIGCHLD, NULL);
   if (pid < 0)
      vmt_die("clone");
   vmt_fact("status", status_code(wait_status(pid)));
}

static int exec_self(int again)
{
   if (again)
      return 3;
   char *args[] = {"torture_proc", "exec-self", "again", NULL};
   fflush(stdout);
   execv("/proc/self/exe", args);
   vmt_die("execv /proc/self/exe");
   return 2;
}

/* ---- the tree's memory while processes block --------------------------- */

static void cow_peak(size_t n)
{
   if (n == 0 || n % 4)
      vmt_die("cow-peak: N a multiple of 4");
   char *p = region(n);
   write_phase("write", p, n);
   struct vmt_chan up, down;
   vmt_chan_open(&up);
   vmt_chan_open(&down);
   pid_t pid = vmt_fork();
   if (pid == 0) {
      vmt_set_role("child");
      write_phase("child-write", p, n / 2);
      vmt_post(&up);
      vmt_wait(&down);                  /* the parent writes meanwhile */
      vmt_fact("region-pss", vmt_smaps_pages(p, "Pss"));
      vmt_post(&up);
      vmt_wait(&down);
      vmt_child_exit();
   }
   vmt_wait(&up);
   write_phase("parent-write", p + n / 2 * VMT_PAGE, n / 4);
   vmt_post(&down);
   vmt_wait(&up);                       /* the child measures meanwhile */
   vmt_fact("region-pss", vmt_smaps_pages(p, "Pss"));
   vmt_post(&down);
   if (wait_status(pid) != 0)
      vmt_die("the child failed");
}

int main(int argc, char **argv)
{
   vmt_init();
   struct rlimit no_core = {0, 0};
   setrlimit(RLIMIT_CORE, &no_core);
   const char *mode = argc >= 2 ? argv[1] : "";
   const char *arg = argc >= 3 ? argv[2] : "";
   if (strcmp(mode, "exec-chain") != 0)
      vmt_set_role("parent");
   if (strcmp(mode, "storm") == 0)
      storm(atoi(arg));
   else if (strcmp(mode, "depth") == 0)
      return depth(atoi(arg));
   else if (strcmp(mode, "orphan") == 0)
      orphan();
   else if (strcmp(mode, "exec-chain") == 0)
      return exec_chain(argv[0], atoi(arg));
   else if (strcmp(mode, "exec-fail") == 0)
      exec_fail(arg);
   else if (strcmp(mode, "execvp-path") == 0)
      execvp_path();
   else if (strcmp(mode, "spawnp-path") == 0)
      spawnp_path();
   else if (strcmp(mode, "vfork-fail") == 0)
      vfork_fail();
   else if (strcmp(mode, "fork-exec-fail") == 0)
      fork_exec_fail();
   else if (strcmp(mode, "sigterm-child") == 0)
      signal_child(SIGTERM);
   else if (strcmp(mode, "sigkill-child") == 0)
      signal_child(SIGKILL);
   else if (strcmp(mode, "cow-peak") == 0)
      cow_peak((size_t)atol(arg));
   else if (strcmp(mode, "wait-statuses") == 0)
      wait_statuses();
   else if (strcmp(mode, "fork-threads") == 0)
      fork_threads();
   else if (strcmp(mode, "threads-in-child") == 0)
      threads_in_child();
   else if (strcmp(mode, "clone-vm") == 0)
      clone_vm();
   else if (strcmp(mode, "exec-self") == 0)
      return exec_self(argc >= 3);
   else
      vmt_die("usage: torture_proc MODE [ARG] (see the top of torture_proc.c)");
   return 0;
}
