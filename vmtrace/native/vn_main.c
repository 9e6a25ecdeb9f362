/* vmtrace-native: the steps of a run, each a function: check the output
   path, start PROG (held before its exec), set up the recorder, let PROG
   run, record until it ends, finish the figures, write the record, and end
   the way PROG did. */
#include "vn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

struct vn_run vn_run;

/* PROG's process, forked and waiting for the word to exec. */
struct prog {
   pid_t pid;
   int go;          /* write a byte: exec */
   int exec_err;    /* read: errno of a failed exec, or EOF */
};

/* Fail on a bad %q{VAR}, a directory the record cannot go to, or a path
   that is a directory, before running anything.  (A regular file is
   replaced by renaming over it; anything else, a pipe or /dev/null, is
   written in place and must be writable.) */
static void check_out_file(void)
{
   char *probe = vn_expand_name(vn_opt.out_file, 0);
   char *slash = strrchr(probe, '/');
   const char *dir = ".";
   struct stat st;
   if (stat(probe, &st) == 0 && S_ISDIR(st.st_mode))
      vn_die("cannot write '%s': %s", vn_opt.out_file, strerror(EISDIR));
   if (stat(probe, &st) == 0 && !S_ISREG(st.st_mode) && access(probe, W_OK) < 0)
      vn_die("cannot write '%s': %s", vn_opt.out_file, strerror(errno));
   if (slash) {
      slash[1] = '\0';
      dir = probe;
   }
   if (access(dir, W_OK | X_OK) < 0)
      vn_die("cannot write '%s': %s (directory %s)", vn_opt.out_file, strerror(errno), dir);
   free(probe);
}

/* The file execvp would run for NAME (a name without a slash is looked
   up in $PATH, as execvp does), or NULL: then execvp reports the error. */
static char *program_path(const char *name)
{
   const char *path = getenv("PATH");
   const char *p;
   if (strchr(name, '/'))
      return strdup(name);
   if (!path)
      path = "/bin:/usr/bin";
   for (p = path;; ) {
      const char *end = strchr(p, ':');
      size_t len = end ? (size_t)(end - p) : strlen(p);
      char *full = vn_xcalloc(len + strlen(name) + 3, 1);
      struct stat st;
      memcpy(full, len ? p : ".", len ? len : 1);
      strcat(full, "/");
      strcat(full, name);
      if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
         return full;
      free(full);
      if (!end)
         return NULL;
      p = end + 1;
   }
}

/* The kernel removes a process's perf events at an exec that makes it
   non-dumpable (fs/exec.c: a set-user-ID or set-group-ID program that
   changes our ids, file capabilities, a program we cannot read), unless
   fs.suid_dumpable is 1: the record would show no fault at all, the
   program having run.  Such a PROG is refused before it runs. */
static void check_program(const char *name)
{
   char *path = program_path(name);
   const char *why = NULL;
   struct stat st;
   struct statvfs vfs;
   char head[2];
   int fd, dumpable = 0;
   FILE *f;
   if (!path || stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
      free(path);
      return;               /* execvp says what is wrong */
   }
   f = fopen("/proc/sys/fs/suid_dumpable", "r");
   if (f) {
      if (fscanf(f, "%d", &dumpable) != 1)
         dumpable = 0;
      fclose(f);
   }
   fd = open(path, O_RDONLY | O_CLOEXEC);
   if (fd < 0 && faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) < 0) {
      why = "it cannot be read (execute-only)";
   } else if (fd >= 0 && read(fd, head, 2) == 2 && head[0] == '#' && head[1] == '!') {
      why = NULL;           /* a script: the kernel ignores its set-ID bits */
   } else if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1
              && !(statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_NOSUID))) {
      if ((st.st_mode & S_ISUID) && st.st_uid != geteuid())
         why = "it is set-user-ID";
      else if ((st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP) && st.st_gid != getegid())
         why = "it is set-group-ID";
      else if (geteuid() != 0 && getxattr(path, "security.capability", NULL, 0) >= 0)
         why = "it has file capabilities";
   }
   if (fd >= 0)
      close(fd);
   if (why && dumpable != 1)
      vn_die("cannot record '%s': %s, and the kernel stops perf events at such an exec "
             "(fs.suid_dumpable=1 lets them go on)", name, why);
   free(path);
}

static void note_kernel(void)
{
   static struct utsname uts;
   vn_run.kernel = uname(&uts) == 0 ? uts.release : "";
}

/* ---- signals ------------------------------------------------------------ */

static volatile sig_atomic_t got_signal;

/* A signal the terminal sends (Ctrl-C, Ctrl-\) goes to the whole
   foreground process group, the program included: only one sent to
   vmtrace-native alone (kill) is passed on. */
static void on_signal(int sig, siginfo_t *si, void *uc)
{
   (void)uc;
   if (si && si->si_code == SI_KERNEL)
      return;
   got_signal = sig;
}

static const int passed_on[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static struct sigaction passed_on_before[4];

/* Signals meant for the program go to it; we keep recording.  Taken
   before PROG's process is forked: one that came while the recorder was
   being set up killed vmtrace-native and left PROG running, unrecorded.
   One that comes before PROG runs is passed on once it does. */
static void pass_signals_on(void)
{
   struct sigaction sa;
   size_t k;
   memset(&sa, 0, sizeof sa);
   sa.sa_sigaction = on_signal;
   sa.sa_flags = SA_SIGINFO | SA_RESTART;
   sigemptyset(&sa.sa_mask);
   for (k = 0; k < 4; k++)
      sigaction(passed_on[k], &sa, &passed_on_before[k]);
}

/* In PROG's process, before the exec: the dispositions it would have had
   without us (an ignored one stays ignored through exec). */
static void restore_signals(void)
{
   size_t k;
   for (k = 0; k < 4; k++)
      sigaction(passed_on[k], &passed_on_before[k], NULL);
}

/* Forks PROG's process, which waits until the events are attached (they
   start counting at its exec). */
static struct prog start_program(char **argv)
{
   struct prog p;
   struct sigaction dfl, chld;
   int go[2], err[2];
   if (pipe2(go, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
      vn_die("pipe: %s", strerror(errno));
   /* SIGCHLD ignored (inherited so across our exec) would have the kernel
      reap PROG itself, and wait4 would never see it end: we take the
      default; PROG gets the disposition it would have had without us. */
   memset(&dfl, 0, sizeof dfl);
   dfl.sa_handler = SIG_DFL;
   sigemptyset(&dfl.sa_mask);
   sigaction(SIGCHLD, &dfl, &chld);
   fflush(NULL);
   p.pid = fork();
   if (p.pid < 0)
      vn_die("fork: %s", strerror(errno));
   if (p.pid == 0) {
      char c;
      int e;
      close(go[1]);
      close(err[0]);
      if (read(go[0], &c, 1) != 1)
         _exit(127);
      if (chld.sa_handler == SIG_IGN)
         sigaction(SIGCHLD, &chld, NULL);
      restore_signals();
      execvp(argv[0], argv);
      e = errno;
      if (write(err[1], &e, sizeof e) < 0)
         _exit(127);
      _exit(127);
   }
   close(go[0]);
   close(err[1]);
   p.go = go[1];
   p.exec_err = err[0];
   /* The log speaks for the program, as Valgrind's does: ==PID== is its pid. */
   vn_set_log_pid(p.pid);
   return p;
}

/* The events on PROG's process, our file limit and our priority. */
static void set_up_recorder(pid_t child)
{
   /* Two /proc files stay open per live process of the tree (the
      program keeps its own limit). */
   struct rlimit rl;
   if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      setrlimit(RLIMIT_NOFILE, &rl);
   }
   vn_proc_new(child, getpid(), 0);
   vn_exit_stats_open();
   if (vn_perf_open(child) < 0) {
      kill(child, SIGKILL);
      waitpid(child, NULL, 0);
      exit(1);
   }
   if (vn_opt.realtime) {
      /* A program that keeps both CPUs busy (a fork storm) would starve
         the recorder and the kernel would drop samples: record at the
         lowest real-time priority where allowed.  Nothing we start later
         (addr2line) keeps it. */
      struct sched_param sp = { .sched_priority = 1 };
      if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp) < 0 && vn_opt.verbosity > 1)
         vn_info("recording at normal priority (SCHED_FIFO: %s)", strerror(errno));
   }
}

/* Lets PROG exec: the clock starts; a failed exec is our error (exit 127
   or 126). */
static void let_program_run(struct prog *p, char **argv)
{
   char c = 'g';
   int e = 0;
   ssize_t r;
   vn_run.start_ns = vn_mono_ns();
   vn_run.start_time = vn_wall_s();
   vn_proc_find(p->pid)->start_time = vn_run.start_time;
   if (write(p->go, &c, 1) != 1)
      vn_die("cannot start the program: %s", strerror(errno));
   close(p->go);
   do
      r = read(p->exec_err, &e, sizeof e);
   while (r < 0 && errno == EINTR);
   close(p->exec_err);
   if (r == (ssize_t)sizeof e) {
      waitpid(p->pid, NULL, 0);
      /* as the shell, env and valgrind say it: 127 not found, 126 found
         but not runnable */
      vn_die_with(e == ENOENT ? 127 : 126, "cannot run '%s': %s", argv[0], strerror(e));
   }
   if (vn_opt.verbosity > 0) {
      size_t len = 1, k;
      char *cmd;
      for (k = 0; argv[k]; k++)
         len += strlen(argv[k]) + 1;
      cmd = vn_xcalloc(len, 1);
      for (k = 0; argv[k]; k++) {
         if (k)
            strcat(cmd, " ");
         strcat(cmd, argv[k]);
      }
      vn_info("vmtrace-native-%s, the real kernel's page faults (perf_event_open, libunwind)",
              VN_VERSION);
      vn_info("Command: %s", cmd);
      free(cmd);
   }
}

/* ---- recording ---------------------------------------------------------- */

/* Resident pages every millisecond, or less often: a large tree's /proc
   files take a while to read, and they get no more than a twentieth of
   the time. */
static void tick(uint64_t *next_tick)
{
   uint64_t now = vn_mono_ns(), spent, gap = 1000000;   /* 1 ms */
   if (now < *next_tick)
      return;
   vn_timeline_tick(now, vn_poll_rss());
   spent = vn_mono_ns() - now;
   if (20 * spent > gap)
      gap = 20 * spent;
   while (*next_tick <= now)
      *next_tick += gap;
}

/* Records until PROG ends; its wait status and rusage.  Returns the time
   it was seen to end. */
static uint64_t record_until_exit(pid_t child, int *status, struct rusage *ru)
{
   uint64_t next_tick = vn_run.start_ns;
   for (;;) {
      struct pollfd pfd[1024];
      int nfd, timeout;
      uint64_t now;
      pid_t w;

      if (got_signal) {
         kill(child, got_signal);
         got_signal = 0;
      }
      vn_perf_collect();
      tick(&next_tick);
      do
         w = wait4(child, status, WNOHANG, ru);
      while (w < 0 && errno == EINTR);
      if (w < 0)
         vn_die("cannot wait for the program: %s", strerror(errno));
      if (w == child) {
         uint64_t end_ns = vn_mono_ns();
         vn_run.end_time = vn_wall_s();
         return end_ns;
      }
      /* Unwinding is the slow part (tens of microseconds a sample): half
         a millisecond of it at a time, copying the ring buffers out in
         between, so that they never fill while the backlog waits. */
      if (vn_backlog_process(500000) > 0)
         continue;
      nfd = vn_perf_fill_pollfds(pfd, 1023);
      if (vn_exit_stats_fd() >= 0) {
         pfd[nfd].fd = vn_exit_stats_fd();
         pfd[nfd].events = POLLIN;
         pfd[nfd].revents = 0;
         nfd++;
      }
      now = vn_mono_ns();
      timeout = next_tick > now ? (int)((next_tick - now + 999999) / 1000000) : 0;
      poll(pfd, (nfds_t)nfd, timeout);
   }
}

/* The backlog worked off, the counters read, the totals settled. */
static void finish_figures(pid_t child, uint64_t end_ns, int status, const struct rusage *ru)
{
   struct vn_faults rec = { { 0, 0 } };
   size_t k;
   int running = 0;

   /* the backlog: every record was written before the exit */
   vn_backlog_drain();
   vn_proc_exit(child, end_ns, vn_run.end_time);
   if (vn_proc_find(child)->stopped_at_exec)
      vn_proc_find(child)->end_time = vn_run.end_time;   /* not when its recording stopped */
   vn_timeline_end(end_ns);
   vn_perf_finish(&vn_run.counted, &vn_run.lost);
   vn_run.recorded = vn_recorded;
   /* A process of the tree still running when PROG ended (a daemon it
      left behind) goes on counting after the end, and the counters
      include it: then the totals are the faults recorded until the end
      (and those the kernel said it dropped). */
   for (k = 0; k < vn_nprocs; k++) {
      vn_run.unrecorded += vn_proc_unrecorded(vn_procs[k]);
      rec.n[VN_MINOR] += vn_procs[k]->faults.n[VN_MINOR];
      rec.n[VN_MAJOR] += vn_procs[k]->faults.n[VN_MAJOR];
      running |= !vn_procs[k]->exited;
      vn_run.left_running += !vn_procs[k]->exited;
   }
   if (running) {
      vn_run.counted = rec;
      vn_run.lost = vn_perf_reported_lost();
      vn_run.counted.n[VN_MINOR] += vn_run.lost;   /* kinds unknown: counted minor */
   }
   if (WIFSIGNALED(status))
      vn_run.exit_signal = WTERMSIG(status);
   else
      vn_run.exit_code = WEXITSTATUS(status);
   vn_run.ru_minflt = ru->ru_minflt;
   vn_run.ru_majflt = ru->ru_majflt;
   vn_run.ru_maxrss = ru->ru_maxrss;
   /* Polling can miss the top of a quick peak; the kernel's own high-water
      marks cannot. */
   vn_rss_finish(child, ru->ru_maxrss);
   vn_exit_stats_close();
}

/* Processes whose recording the kernel stopped at the exec of a set-ID
   program: one warning, naming the first. */
static void warn_stopped(void)
{
   const struct vn_proc *first = NULL;
   size_t k, n = 0;
   char count[160], num[VT_COUNT_TEXT];
   for (k = 0; k < vn_nprocs; k++)
      if (vn_procs[k]->stopped_at_exec && n++ == 0)
         first = vn_procs[k];
   if (!first)
      return;
   if (first->kernel_faults_seen && first->descendants)
      snprintf(count, sizeof count, "%s faults of it and of the %u process%s it started "
               "after are", vt_count_text(vn_proc_unrecorded(first), num), first->descendants,
               first->descendants == 1 ? "" : "es");
   else if (first->kernel_faults_seen)
      snprintf(count, sizeof count, "%s of its faults are",
               vt_count_text(vn_proc_unrecorded(first), num));
   else if (vn_exit_stats_had())
      snprintf(count, sizeof count, "an unknown number of its faults (it was still running "
               "when the program ended) are");
   else
      snprintf(count, sizeof count, "an unknown number of its faults (no exit accounting: run "
               "as root) are");
   vn_warn("pid %d (%s) exec'd a set-ID program, and the kernel stopped recording it there: "
           "%s not in the record (unrecorded)%s", (int)first->pid, first->comm, count,
           n > 1 ? "; so did other processes of the tree, see totals.unrecorded" : "");
}

/* Writes the record and says what it holds. */
static void write_record(pid_t child)
{
   char *out = vn_expand_name(vn_opt.out_file, child);
   uint64_t tot = vn_run.counted.n[VN_MINOR] + vn_run.counted.n[VN_MAJOR];
   /* counts as the tool's log prints them (Valgrind's "%'llu": 1,234,567) */
   char num[4][VT_COUNT_TEXT];
   vn_write_output(out);
   vn_info("faults: %s minor, %s major, %s total in %s process%s",
           vt_count_text(vn_run.counted.n[VN_MINOR], num[0]),
           vt_count_text(vn_run.counted.n[VN_MAJOR], num[1]), vt_count_text(tot, num[2]),
           vt_count_text(vn_nprocs, num[3]), vn_nprocs == 1 ? "" : "es");
   vn_info("peak resident: %s pages", vt_count_text(vn_run.peak_rss, num[0]));
   if (vn_run.lost && vn_opt.mmap_pages_shrunk)
      vn_warn("%s fault samples were lost (the ring buffers overflowed): "
              "totals are exact, sites and mappings are short of them; the "
              "locked-memory limit (kernel.perf_event_mlock_kb) allowed only "
              "%s KiB of ring buffer per CPU: run as root or raise it",
              vt_count_text(vn_run.lost, num[0]),
              vt_count_text((uint64_t)vn_opt.mmap_pages * 4, num[1]));
   else if (vn_run.lost)
      vn_warn("%s fault samples were lost (the ring buffers overflowed): "
              "totals are exact, sites and mappings are short of them; "
              "try a larger --mmap-pages, or --call-graph=fp or none",
              vt_count_text(vn_run.lost, num[0]));
   warn_stopped();
   if (vn_run.left_running)
      vn_warn("%zu process%s of the tree %s still running when the program ended (a daemon "
              "it left): %s faults and children after that are not in the record "
              "(end_time null)", vn_run.left_running, vn_run.left_running == 1 ? "" : "es",
              vn_run.left_running == 1 ? "was" : "were",
              vn_run.left_running == 1 ? "its" : "their");
   vn_info("output: %s", out);
   free(out);
}

/* Ends the way the program did, as a shell would see it: by its signal
   (SIGKILL too), without a core file of ours. */
static int exit_like_program(void)
{
   if (vn_run.exit_signal) {
      struct rlimit no_core = { 0, 0 };
      sigset_t just;
      signal(vn_run.exit_signal, SIG_DFL);
      fflush(NULL);
      setrlimit(RLIMIT_CORE, &no_core);
      sigemptyset(&just);
      sigaddset(&just, vn_run.exit_signal);
      sigprocmask(SIG_UNBLOCK, &just, NULL);
      raise(vn_run.exit_signal);
      return 128 + vn_run.exit_signal;   /* a signal that does not kill */
   }
   return vn_run.exit_code;
}

int main(int argc, char **argv)
{
   int first, status = 0;
   struct rusage ru;
   struct prog prog;
   uint64_t end_ns;

   first = vn_parse_options(argc, argv);
   if (first >= argc)
      vn_die("no program to run (usage: vmtrace-native [options] -- PROG [ARGS...])");
   vn_perf_check_options();
   check_out_file();
   check_program(argv[first]);
   note_kernel();
   vn_run.argv = argv + first;

   pass_signals_on();
   prog = start_program(argv + first);
   set_up_recorder(prog.pid);
   let_program_run(&prog, argv + first);
   end_ns = record_until_exit(prog.pid, &status, &ru);
   finish_figures(prog.pid, end_ns, status, &ru);
   write_record(prog.pid);
   return exit_like_program();
}
