/* vmtrace-native's options: the defaults, the usage text, the parser,
   and the output file's name pattern. */
#include "vn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct vn_options vn_opt = {
   .out_file = "vmtrace-native.out.%p",
   .call_graph = VN_CG_DWARF,
   .stack_depth = 12,
   .stack_bytes = 8192,
   .mmap_pages = 8192,
   .verbosity = 1,
   .realtime = 1,
};

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
"  --stack-bytes=<size>      user stack copied per fault for dwarf, 512..65528\n"
"                            bytes (K suffix: 1024) [8K]\n"
"  --mmap-pages=<n>          ring buffer pages per CPU, a power of two from 1\n"
"                            to 1048576 [256 MiB over all CPUs, 512..8192 each]\n"
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
   if (*v < '0' || *v > '9')   /* strtoul would take a sign or blanks */
      vn_die("bad option value: %s takes a number, not '%s'", opt, v);
   errno = 0;
   n = strtoul(v, &end, 10);
   if (errno || *end)
      vn_die("bad option value: %s takes a number, not '%s'", opt, v);
   if (n < lo || n > hi)
      vn_die("bad option value: %s must be between %lu and %lu, not %s", opt, lo, hi, v);
   return n;
}

/* A size in bytes as the tool's size options and vmtrace-sim's take one
   (vt_parse_number: 8192, 8K, 8KiB; K, M, G in powers of 1024). */
static unsigned long parse_size(const char *opt, const char *v,
                                unsigned long lo, unsigned long hi)
{
   uint64_t n;
   if (!vt_parse_number(v, 1024, &n))
      vn_die("bad option value: %s takes a size in bytes (K, M, G suffixes are powers of "
             "1024), not '%s'", opt, v);
   if (n < lo || n > hi)
      vn_die("bad option value: %s must be between %lu and %lu bytes, not %s", opt, lo, hi, v);
   return (unsigned long)n;
}

/* The stack options of an unwinding that does not use them changed
   nothing (until 2026-12-06 --call-graph=none --stack-depth=5 and
   --call-graph=fp --stack-bytes=1024 ran without a word): refused, once
   every option is read.  depth, bytes: the options as given, or NULL. */
static void check_stack_options(const char *depth, const char *bytes)
{
   if (bytes && vn_opt.call_graph != VN_CG_DWARF)
      vn_die("bad option value: %s: only --call-graph=dwarf copies the user stack", bytes);
   if (depth && vn_opt.call_graph == VN_CG_NONE)
      vn_die("bad option value: %s: --call-graph=none keeps no stack, only the faulting "
             "instruction", depth);
}

/* An option that takes a value, named without one. */
static int takes_value(const char *a)
{
   static const char *const named[] = { "--out-file", "--call-graph", "--stack-depth",
                                        "--stack-bytes", "--realtime", "--mmap-pages" };
   for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
      if (!strcmp(a, named[k]))
         return 1;
   return 0;
}

int vn_parse_options(int argc, char **argv)
{
   int i;
   const char *depth = NULL, *bytes = NULL;
   for (i = 1; i < argc; i++) {
      const char *a = argv[i];
      const char *v;
      if (strcmp(a, "--") == 0) {
         check_stack_options(depth, bytes);
         return i + 1;
      }
      if (a[0] != '-' || a[1] == '\0')
         break;
      if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
         fputs(usage, stdout);
         exit(0);
      } else if (strcmp(a, "--version") == 0) {
         printf("vmtrace-native %s\n", VN_VERSION);
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
         depth = a;
      } else if (strncmp(a, "--stack-bytes=", 14) == 0) {
         vn_opt.stack_bytes = (unsigned)parse_size("--stack-bytes", a + 14, 512, 65528);
         vn_opt.stack_bytes &= ~7u;
         bytes = a;
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
      } else if (takes_value(a)) {
         /* "--out-file FILE", as many programs take it (vmtrace-sim says
            the same): an unknown option '--out-file' until 2026-12-06 */
         vn_die("%s takes its value after '=' (%s=...)", a, a);
      } else {
         vn_die("unknown option '%s' (vmtrace-native --help lists them)", a);
      }
   }
   check_stack_options(depth, bytes);
   return i;
}

char *vn_expand_name(const char *fmt, pid_t pid)
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
      } else if (*p == '%' && p[1] == '\0') {
         vn_die("bad option value: --out-file ends in a lone %% in '%s' (%%%% writes a %%)",
                fmt);
      } else if (*p == '%') {
         vn_die("bad option value: --out-file has an unknown %%%c in '%s'", p[1], fmt);
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
