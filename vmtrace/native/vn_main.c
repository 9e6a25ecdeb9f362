/* vmtrace-native: options, running the program, the recording loop. */
#include "vn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <sched.h>
#include <unistd.h>

/* vn_perf.c */

struct vn_options vn_opt = {
   .out_file = "vmtrace-native.out.%p",
   .call_graph = VN_CG_DWARF,
   .stack_depth = 12,
   .stack_bytes = 8192,
   .mmap_pages = 8192,
   .verbosity = 1,
   .realtime = 1,
};
struct vn_run vn_run;
static pid_t self_pid;

void vn_die(const char *fmt, ...)
{
   va_list ap;
   fputs("vmtrace-native: ", stderr);
   va_start(ap, fmt);
   vfprintf(stderr, fmt, ap);
   va_end(ap);
   fputc('\n', stderr);
   exit(1);
}

void vn_warn(const char *fmt, ...)
{
   va_list ap;
   fprintf(stderr, "==%d== warning: ", (int)self_pid);
   va_start(ap, fmt);
   vfprintf(stderr, fmt, ap);
   va_end(ap);
   fputc('\n', stderr);
}

void vn_info(const char *fmt, ...)
{
   va_list ap;
   if (vn_opt.verbosity < 1)
      return;
   fprintf(stderr, "==%d== ", (int)self_pid);
   va_start(ap, fmt);
   vfprintf(stderr, fmt, ap);
   va_end(ap);
   fputc('\n', stderr);
}

void *vn_xmalloc(size_t n)
{
   void *p = malloc(n ? n : 1);
   if (!p)
      vn_die("out of memory (%zu bytes)", n);
   return p;
}

void *vn_xcalloc(size_t n, size_t size)
{
   void *p = calloc(n ? n : 1, size ? size : 1);
   if (!p)
      vn_die("out of memory (%zu x %zu bytes)", n, size);
   return p;
}

void *vn_xrealloc(void *p, size_t n)
{
   p = realloc(p, n ? n : 1);
   if (!p)
      vn_die("out of memory (%zu bytes)", n);
   return p;
}

char *vn_xstrdup(const char *s)
{
   size_t n = strlen(s) + 1;
   return memcpy(vn_xmalloc(n), s, n);
}

uint64_t vn_mono_ns(void)
{
   struct timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double vn_wall_s(void)
{
   struct timespec ts;
   clock_gettime(CLOCK_REALTIME, &ts);
   return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- options ------------------------------------------------------------ */

static const char usage[] =
"usage: vmtrace-native [options] [--] PROG [ARGS...]\n"
"\n"
"Runs PROG natively and records the page faults the kernel takes in it and\n"
"in the processes it forks, with the call stack of each, into one file that\n"
"vmtrace-report reads (alone, or beside a valgrind --tool=vmtrace run of the\n"
"same program for a simulated-vs-measured comparison).\n"
"\n"
"  --out-file=<file>         where the record goes; %p is PROG's pid,\n"
"                            %q{VAR} an environment variable [vmtrace-native.out.%p]\n"
"  --call-graph=dwarf|fp|none  how stacks are unwound: libunwind over a copy\n"
"                            of the user stack, frame pointers, or not at all [dwarf]\n"
"  --stack-depth=<n>         frames kept per fault, 1..256 [12]\n"
"  --stack-bytes=<n>         user stack copied per fault for dwarf, 512..65528 [8192]\n"
"  --mmap-pages=<n>          ring buffer pages per CPU, a power of two\n"
"                            [256 MiB over all CPUs, 512..8192 each]\n"
"  --realtime=yes|no         record at real-time priority (SCHED_FIFO 1) where\n"
"                            allowed, so a busy program cannot starve it [yes]\n"
"  -q, --quiet               print only errors\n"
"  -v, --verbose             say more\n"
"  -h, --help                this help\n"
"      --version             the version\n";

static unsigned long parse_count(const char *opt, const char *v,
                                 unsigned long lo, unsigned long hi)
{
   char *end;
   unsigned long n;
   if (*v == '\0' || *v == '-' || *v == '+')
      vn_die("bad option value: %s takes a number, not '%s'", opt, v);
   errno = 0;
   n = strtoul(v, &end, 10);
   if (errno || *end)
      vn_die("bad option value: %s takes a number, not '%s'", opt, v);
   if (n < lo || n > hi)
      vn_die("bad option value: %s must be between %lu and %lu, not %s", opt, lo, hi, v);
   return n;
}

static int parse_options(int argc, char **argv)
{
   int i;
   for (i = 1; i < argc; i++) {
      const char *a = argv[i];
      const char *v;
      if (strcmp(a, "--") == 0)
         return i + 1;
      if (a[0] != '-' || a[1] == '\0')
         return i;
      if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
         fputs(usage, stdout);
         exit(0);
      } else if (strcmp(a, "--version") == 0) {
         printf("vmtrace-native-%s\n", VN_VERSION);
         exit(0);
      } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
         vn_opt.verbosity = 0;
      } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
         vn_opt.verbosity = 2;
      } else if (strncmp(a, "--out-file=", 11) == 0) {
         v = a + 11;
         if (!*v)
            vn_die("bad option value: --out-file needs a file name");
         vn_opt.out_file = v;
      } else if (strncmp(a, "--call-graph=", 13) == 0) {
         v = a + 13;
         if (strcmp(v, "dwarf") == 0)
            vn_opt.call_graph = VN_CG_DWARF;
         else if (strcmp(v, "fp") == 0)
            vn_opt.call_graph = VN_CG_FP;
         else if (strcmp(v, "none") == 0)
            vn_opt.call_graph = VN_CG_NONE;
         else
            vn_die("bad option value: --call-graph takes dwarf, fp or none, not '%s'", v);
      } else if (strncmp(a, "--stack-depth=", 14) == 0) {
         vn_opt.stack_depth = (unsigned)parse_count("--stack-depth", a + 14, 1, 256);
      } else if (strncmp(a, "--stack-bytes=", 14) == 0) {
         vn_opt.stack_bytes = (unsigned)parse_count("--stack-bytes", a + 14, 512, 65528);
         vn_opt.stack_bytes &= ~7u;
      } else if (strcmp(a, "--realtime=yes") == 0) {
         vn_opt.realtime = 1;
      } else if (strcmp(a, "--realtime=no") == 0) {
         vn_opt.realtime = 0;
      } else if (strncmp(a, "--realtime=", 11) == 0) {
         vn_die("bad option value: --realtime takes yes or no, not '%s'", a + 11);
      } else if (strncmp(a, "--mmap-pages=", 13) == 0) {
         unsigned long n = parse_count("--mmap-pages", a + 13, 1, 1ul << 20);
         if (n & (n - 1))
            vn_die("bad option value: --mmap-pages must be a power of two, not %lu", n);
         vn_opt.mmap_pages = n;
         vn_opt.mmap_pages_set = 1;
      } else {
         vn_die("unknown option '%s' (vmtrace-native --help lists them)", a);
      }
   }
   return i;
}

/* The output file name: %p → pid, %q{VAR} → $VAR, %% → %. */
static char *expand_name(const char *fmt, pid_t pid)
{
   size_t cap = strlen(fmt) + 64, n = 0;
   char *out = vn_xmalloc(cap);
   const char *p;
   for (p = fmt; *p; p++) {
      char buf[32];
      const char *add = NULL;
      size_t len;
      if (*p == '%' && p[1] == 'p') {
         snprintf(buf, sizeof buf, "%d", (int)pid);
         add = buf;
         p++;
      } else if (*p == '%' && p[1] == '%') {
         add = "%";
         p++;
      } else if (*p == '%' && p[1] == 'q' && p[2] == '{') {
         const char *close = strchr(p + 3, '}');
         char var[256];
         if (!close || (size_t)(close - (p + 3)) >= sizeof var || close == p + 3)
            vn_die("bad option value: --out-file has a malformed %%q{VAR} in '%s'", fmt);
         memcpy(var, p + 3, (size_t)(close - (p + 3)));
         var[close - (p + 3)] = '\0';
         add = getenv(var);
         if (!add)
            vn_die("--out-file refers to %%q{%s}, but $%s is not set", var, var);
         p = close;
      } else if (*p == '%') {
         vn_die("bad option value: --out-file has an unknown %%%c in '%s'",
                p[1] ? p[1] : ' ', fmt);
      } else {
         buf[0] = *p;
         buf[1] = '\0';
         add = buf;
      }
      len = strlen(add);
      if (n + len + 1 > cap) {
         cap = (n + len + 1) * 2;
         out = vn_xrealloc(out, cap);
      }
      memcpy(out + n, add, len);
      n += len;
   }
   out[n] = '\0';
   return out;
}

/* ---- running PROG ------------------------------------------------------- */

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

int main(int argc, char **argv)
{
   int first, go[2], err[2];
   pid_t child;
   char *out;
   int status = 0;
   struct rusage ru;
   struct utsname uts;
   uint64_t next_tick, end_ns = 0;
   struct sigaction sa;
   static char kernel[sizeof uts.release];

   self_pid = getpid();
   first = parse_options(argc, argv);
   if (first >= argc)
      vn_die("no program to run (usage: vmtrace-native [options] -- PROG [ARGS...])");
   /* Fail on a bad %q{VAR}, or a directory the record cannot go to,
      before running anything. */
   {
      char *probe = expand_name(vn_opt.out_file, 0);
      char *slash = strrchr(probe, '/');
      const char *dir = ".";
      if (slash) {
         slash[1] = '\0';
         dir = probe;
      }
      if (access(dir, W_OK | X_OK) < 0)
         vn_die("cannot write '%s': %s (directory %s)", vn_opt.out_file, strerror(errno), dir);
      free(probe);
   }

   if (uname(&uts) == 0) {
      memcpy(kernel, uts.release, sizeof kernel);
      vn_run.kernel = kernel;
   } else {
      vn_run.kernel = "";
   }
   vn_run.argv = argv + first;

   if (pipe2(go, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
      vn_die("pipe: %s", strerror(errno));
   fflush(NULL);
   child = fork();
   if (child < 0)
      vn_die("fork: %s", strerror(errno));
   if (child == 0) {
      char c;
      int e;
      close(go[1]);
      close(err[0]);
      /* Wait until the events are attached; they start counting at exec. */
      if (read(go[0], &c, 1) != 1)
         _exit(127);
      execvp(argv[first], argv + first);
      e = errno;
      if (write(err[1], &e, sizeof e) < 0)
         _exit(127);
      _exit(127);
   }
   close(go[0]);
   close(err[1]);
   /* The log speaks for the program, as Valgrind's does: ==PID== is its pid. */
   self_pid = child;
   /* Two /proc files stay open per live process of the tree (the
      program keeps its own limit). */
   {
      struct rlimit rl;
      if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
         rl.rlim_cur = rl.rlim_max;
         setrlimit(RLIMIT_NOFILE, &rl);
      }
   }

   vn_proc_new(child, getpid(), 0);
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
   vn_run.start_ns = vn_mono_ns();
   vn_run.start_time = vn_wall_s();
   vn_proc_find(child)->start_time = vn_run.start_time;
   {
      char c = 'g';
      int e = 0;
      ssize_t r;
      if (write(go[1], &c, 1) != 1)
         vn_die("cannot start the program: %s", strerror(errno));
      close(go[1]);
      do
         r = read(err[0], &e, sizeof e);
      while (r < 0 && errno == EINTR);
      close(err[0]);
      if (r == (ssize_t)sizeof e) {
         waitpid(child, NULL, 0);
         vn_die("cannot run '%s': %s", argv[first], strerror(e));
      }
   }
   if (vn_opt.verbosity > 0) {
      int k;
      vn_info("vmtrace-native-%s, the real kernel's page faults (perf_event_open, libunwind)",
              VN_VERSION);
      fprintf(stderr, "==%d== Command:", (int)child);
      for (k = first; k < argc; k++)
         fprintf(stderr, " %s", argv[k]);
      fputs("\n", stderr);
   }

   /* Signals meant for the program go to it; we keep recording. */
   memset(&sa, 0, sizeof sa);
   sa.sa_sigaction = on_signal;
   sa.sa_flags = SA_SIGINFO;
   sigaction(SIGINT, &sa, NULL);
   sigaction(SIGTERM, &sa, NULL);
   sigaction(SIGHUP, &sa, NULL);
   sigaction(SIGQUIT, &sa, NULL);

   next_tick = vn_run.start_ns;
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
      now = vn_mono_ns();
      if (now >= next_tick) {
         uint64_t spent, gap = 1000000;   /* 1 ms */
         vn_timeline_tick(now, vn_poll_rss());
         /* a large tree's /proc files take a while to read: poll no more
            than a twentieth of the time */
         spent = vn_mono_ns() - now;
         if (20 * spent > gap)
            gap = 20 * spent;
         while (next_tick <= now)
            next_tick += gap;
      }
      do
         w = wait4(child, &status, WNOHANG, &ru);
      while (w < 0 && errno == EINTR);
      if (w == child) {
         end_ns = vn_mono_ns();
         vn_run.end_time = vn_wall_s();
         break;
      }
      /* Unwinding is the slow part (tens of microseconds a sample): half
         a millisecond of it at a time, copying the ring buffers out in
         between, so that they never fill while the backlog waits. */
      if (vn_perf_process(500000) > 0)
         continue;
      nfd = vn_perf_fill_pollfds(pfd, 1024);
      now = vn_mono_ns();
      timeout = next_tick > now ? (int)((next_tick - now + 999999) / 1000000) : 0;
      poll(pfd, (nfds_t)nfd, timeout);
   }
   /* the backlog: every record was written before the exit */
   vn_perf_drain();
   vn_proc_exit(child, vn_run.end_time);
   vn_timeline_end(end_ns);
   vn_perf_finish(&vn_run.counted, &vn_run.lost);
   vn_run.recorded = vn_recorded;
   {
      /* A process of the tree still running when PROG ended (a daemon it
         left behind) goes on counting after the end, and the counters
         include it: then the totals are the faults recorded until the end
         (and those the kernel said it dropped). */
      struct vn_faults rec = { { 0, 0 } };
      size_t k;
      int running = 0;
      for (k = 0; k < vn_nprocs; k++) {
         rec.n[VN_MINOR] += vn_procs[k]->faults.n[VN_MINOR];
         rec.n[VN_MAJOR] += vn_procs[k]->faults.n[VN_MAJOR];
         running |= !vn_procs[k]->exited;
      }
      if (running) {
         vn_run.counted = rec;
         vn_run.lost = vn_perf_reported_lost();
         vn_run.counted.n[VN_MINOR] += vn_run.lost;   /* kinds unknown: counted minor */
      }
   }
   if (WIFSIGNALED(status)) {
      vn_run.exit_signal = WTERMSIG(status);
   } else {
      vn_run.exit_code = WEXITSTATUS(status);
   }
   vn_run.ru_minflt = ru.ru_minflt;
   vn_run.ru_majflt = ru.ru_majflt;
   vn_run.ru_maxrss = ru.ru_maxrss;
   /* Polling can miss the top of a quick peak; the kernel's own high-water
      mark cannot (it covers the children PROG waited for too, so it says
      something about PROG alone only when there were none). */
   if (vn_nprocs == 1 && (uint64_t)ru.ru_maxrss / 4 > vn_procs[0]->peak_rss)
      vn_procs[0]->peak_rss = (uint64_t)ru.ru_maxrss / 4;

   out = expand_name(vn_opt.out_file, child);
   vn_write_output(out);
   {
      uint64_t tot = vn_run.counted.n[VN_MINOR] + vn_run.counted.n[VN_MAJOR];
      vn_info("faults: %llu minor, %llu major, %llu total in %zu process%s",
              (unsigned long long)vn_run.counted.n[VN_MINOR],
              (unsigned long long)vn_run.counted.n[VN_MAJOR],
              (unsigned long long)tot, vn_nprocs, vn_nprocs == 1 ? "" : "es");
      vn_info("peak resident: %llu pages", (unsigned long long)vn_run.peak_rss);
      if (vn_run.lost && vn_opt.mmap_pages_shrunk)
         vn_warn("%llu fault samples were lost (the ring buffers overflowed): "
                 "totals are exact, sites and mappings are short of them; the "
                 "locked-memory limit (kernel.perf_event_mlock_kb) allowed only "
                 "%lu KiB of ring buffer per CPU: run as root or raise it",
                 (unsigned long long)vn_run.lost, vn_opt.mmap_pages * 4);
      else if (vn_run.lost)
         vn_warn("%llu fault samples were lost (the ring buffers overflowed): "
                 "totals are exact, sites and mappings are short of them; "
                 "try a larger --mmap-pages, or --call-graph=fp or none",
                 (unsigned long long)vn_run.lost);
      vn_info("output: %s", out);
   }
   free(out);
   if (vn_run.exit_signal) {
      /* Die the way the program did, as a shell would see it. */
      signal(vn_run.exit_signal, SIG_DFL);
      fflush(NULL);
      if (vn_run.exit_signal != SIGKILL && vn_run.exit_signal != SIGSTOP) {
         struct rlimit no_core = { 0, 0 };
         setrlimit(RLIMIT_CORE, &no_core);
         raise(vn_run.exit_signal);
      }
      return 128 + vn_run.exit_signal;
   }
   return vn_run.exit_code;
}
