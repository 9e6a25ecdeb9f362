/* vs_main.c: vmtrace-sim's command line (docs/vmtrace-sim.md) and what it
   runs: read the traces, export, simulate the grid of this shard, write
   the results; teaching mode; merge.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vs.h"

static void usage(FILE *f)
{
   fprintf(f,
"usage: vmtrace-sim [options] TRACE...        replay page traces\n"
"       vmtrace-sim --refs=7,0,1,... --frames=3[,4...] [--explain]\n"
"       vmtrace-sim merge [--csv=FILE] [--json=FILE] RESULT.json...\n"
"\n"
"  TRACE: a vmtrace trace (--trace-out-file), libCacheSim's oracleGeneral or\n"
"  lcs, or CSV; - reads standard input.\n"
"\n"
"  --policy=LIST|all           fifo lru lfu random clock nru aging wsclock linux\n"
"                              arc opt [all; --mrc without RAM sizes: lru,opt]\n"
"  --pages=N,...               RAM sizes in pages (K, M, G: x 1024)\n"
"  --ram=SIZE,...              RAM sizes in bytes, whole 4K pages (K, M, G: x 1024)\n"
"  --frames=N,...              the same as --pages (teaching mode's word)\n"
"  --swap=SIZE|0|unlimited     swap for anonymous pages (0: none) [unlimited]\n"
"  --page-kind=file|anon       what the pages of a trace without kinds are [file]\n"
"  --oom=stop|continue         a simulation out of memory stops, or goes on [stop]\n"
"  --tree                      the traces are one process tree's: replay them\n"
"                              interleaved by their clocks into one memory, with\n"
"                              Linux's OOM killer [policy lru]\n");
   for (int i = 0; vt_policies[i]; i++)
      for (unsigned k = 0; k < vt_policies[i]->nr_params; k++) {
         const struct vt_policy_param *d = &vt_policies[i]->params[k];
         char opt[64];
         snprintf(opt, sizeof opt, "--%s=N", d->option);
         fprintf(f, "  %-27s %s [%llu]\n", opt, d->help, d->def);
      }
   fprintf(f,
"                              (times count references here, not instructions;\n"
"                              k, M, G: x 1000)\n");
   fprintf(f,
"  --mrc                       miss-ratio curves: LRU and OPT exact at every size,\n"
"                              the others simulated at --sizes\n"
"  --sizes=N,...               the curves' sizes in pages [--points log-spaced]\n"
"  --points=N                  log-spaced sizes from 1 page to all pages [20]\n"
"  --sample=R                  replay the pages whose hash is below R (SHARDS), at\n"
"                              sizes x R, counts / R; 0 < R <= 1\n"
"  --format=auto|vmtrace|oracleGeneral|lcs|csv   the traces' format [auto]\n"
"  --csv-columns=NAME,...      CSV columns: time,obj_id[,op] or role=NAME\n"
"  --no-check-next             do not check libCacheSim's next-access fields\n"
"  --export=FILE               write the (sampled) trace to FILE (--tree: the merged stream)\n"
"  --export-format=oracleGeneral|lcs|csv   [from FILE's name, else oracleGeneral]\n"
"  --refs=LIST                 a reference string (7,0,1,...; 3w: a write)\n"
"  --explain                   the step table of each policy (teaching mode)\n"
"  --csv=FILE|-                one row per (policy, size)\n"
"  --json=FILE|-               results and curves for vmtrace-report\n"
"  --shard=K/N                 run the K-th of N slices of the job grid\n"
"  --jobs=N                    simulations at once [the online CPUs]\n"
"  --key-map=dense|hash        pages found by index or by the core's hash [dense]\n"
"  -q, --quiet                 no table\n"
"  -v, --verbose               what reading and each simulation took, and memory\n"
"  --help, --version\n");
}

struct cli {
   struct vs_config cfg;
   const char *policy_arg;
   struct vs_read_opts ro;
   const char *refs, *export_path, *csv, *json;
   int export_fmt;
   bool quiet;
   bool tree;
   const char **traces;
   unsigned nr_traces;
   /* what the checks after parsing name: the first of each policy's
      parameters given (vt_policies order), --swap and --oom as given */
   const char *param_given[16];
   const char *swap_arg, *oom_arg;
   const char *format_arg;          /* --format as given */
};

/* "a,b,c" into items (no empty one). */
static unsigned split_list(const char *opt, const char *list, char items[][64],
                           unsigned max)
{
   unsigned n = 0;
   const char *p = list;
   for (;;) {
      size_t len = strcspn(p, ",");
      if (len == 0 || len >= 64 || n == max)
         vs_die("%s: give 1 to %u comma-separated values, e.g. %s=%s", opt, max, opt,
                strcmp(opt, "--policy") ? "1,2" : "lru,opt");
      memcpy(items[n], p, len);
      items[n++][len] = 0;
      p += len;
      if (!*p)
         return n;
      p++;
   }
}

/* A memory size in bytes (--ram, --swap) is frames or slots: one that is
   not a whole number of pages is refused, naming the sizes around it, as
   the tool's are (until 2026-12-06 both rounded it down without a word:
   --ram=5000 was one page). */
static void check_whole_pages(const char *opt, const char *item, uint64_t b)
{
   if (b & 4095)
      vs_die("%s: '%s' is not a whole number of 4K pages (%llu bytes; %lluK and %lluK are)",
             opt, item, (unsigned long long)b, (unsigned long long)(b >> 12) * 4,
             (unsigned long long)((b >> 12) + 1) * 4);
}

/* The sizes given so far, as written: a size given twice (2,2, or 8K as
   --ram and 2 as --pages, or 4K,4096: both 1 page) is refused, as a policy
   given twice is (until 2026-12-06 it made duplicate rows). */
struct given_sizes {
   const char *opt[256];
   char item[256][64];
};

static unsigned parse_pages(const char *opt, const char *list, uint64_t *sizes,
                            unsigned *nr, struct given_sizes *g, bool bytes)
{
   char items[256][64];
   unsigned n = split_list(opt, list, items, 256 - *nr);
   for (unsigned i = 0; i < n; i++) {
      uint64_t v = 0;
      if (bytes) {
         if (!vt_parse_number(items[i], 1024, &v) || v < 4096)
            vs_die("%s: '%s' is not a size of at least 4K (K, M, G suffixes are powers "
                   "of 1024)", opt, items[i]);
         check_whole_pages(opt, items[i], v);
         v >>= 12;
      } else if (!vt_parse_number(items[i], 1024, &v) || v == 0) {
         vs_die("%s: '%s' is not a number of pages of at least 1", opt, items[i]);
      }
      if (v >= VT_SIM_NO_FRAME)
         vs_die("%s: '%s' is more pages than a simulation holds (%u)", opt, items[i],
                VT_SIM_NO_FRAME - 1);
      for (unsigned k = 0; k < *nr; k++) {
         if (sizes[k] != v)
            continue;
         if (g->opt[k] == opt && !strcmp(g->item[k], items[i]))
            vs_die("%s: '%s' is given twice", opt, items[i]);
         vs_die("%s: '%s' is the same size as %s%s'%s' (%llu page%s)", opt, items[i],
                g->opt[k] == opt ? "" : g->opt[k], g->opt[k] == opt ? "" : " ",
                g->item[k], (unsigned long long)v, v == 1 ? "" : "s");
      }
      g->opt[*nr] = opt;
      memcpy(g->item[*nr], items[i], sizeof g->item[*nr]);
      sizes[(*nr)++] = v;
   }
   return n;
}

/* A second --policy adds to the first, as a second --ram adds sizes
   (until 2026-12-06 it replaced it: --policy=lru --policy=opt ran opt
   alone, without a word); a policy named twice is refused either way. */
static void parse_policies(struct cli *c, const char *list)
{
   struct vs_config *cfg = &c->cfg;
   if (!strcmp(list, "all")) {
      for (int i = 0; vt_policies[i]; i++) {
         for (unsigned k = 0; k < cfg->nr_policies; k++)
            if (cfg->policies[k] == vt_policies[i])
               vs_die("--policy: '%s' is given twice (--policy=all names every policy)",
                      vt_policies[i]->name);
         cfg->policies[cfg->nr_policies++] = vt_policies[i];
      }
      return;
   }
   char items[16][64];
   unsigned n = split_list("--policy", list, items, 16);
   for (unsigned i = 0; i < n; i++) {
      const struct vt_policy_ops *p = vt_policy_find(items[i]);
      if (!p && !strcmp(items[i], "all"))
         vs_die("--policy: 'all' is every policy: give it alone (--policy=all)");
      if (!p)
         vs_die("--policy: unknown policy '%s' (fifo, lru, lfu, random, clock, nru, aging, "
                "wsclock, linux, arc, opt, or all)", items[i]);
      for (unsigned k = 0; k < cfg->nr_policies; k++)
         if (cfg->policies[k] == p)
            vs_die("--policy: '%s' is given twice", items[i]);
      cfg->policies[cfg->nr_policies++] = p;
   }
}

static bool policy_param_option(struct cli *c, const char *arg)
{
   for (int i = 0; vt_policies[i]; i++)
      for (unsigned k = 0; k < vt_policies[i]->nr_params; k++) {
         const struct vt_policy_param *d = &vt_policies[i]->params[k];
         size_t n = strlen(d->option);
         if (strncmp(arg, "--", 2) || strncmp(arg + 2, d->option, n) || arg[2 + n] != '=')
            continue;
         uint64_t v = 0;
         if (!vt_parse_number(arg + 3 + n, 1000, &v) || v < d->min || v > d->max) {
            if (d->max == ~0ull)
               vs_die("--%s takes a number%s (k, M, G: x 1000)", d->option,
                      d->min ? " > 0" : "");
            vs_die("--%s takes a number from %llu to %llu", d->option, d->min, d->max);
         }
         *vt_policy_param_ptr(&c->cfg.params[i], d) = v;
         if (!c->param_given[i])
            c->param_given[i] = arg;
         return true;
      }
   return false;
}

/* Whether arg ("--NAME=...") names a policy's parameter. */
static bool policy_param_option_name(const char *arg)
{
   for (int i = 0; vt_policies[i]; i++)
      for (unsigned k = 0; k < vt_policies[i]->nr_params; k++) {
         const char *o = vt_policies[i]->params[k].option;
         size_t n = strlen(o);
         if (!strncmp(arg + 2, o, n) && arg[2 + n] == '=')
            return true;
      }
   return false;
}

/* Options of simulations that do not run changed nothing (until
   2026-12-06 --policy=lru --aging-period=5 replayed LRU as if the option
   were not there, and --export alone took --policy, --swap and --oom):
   refused, once the policies are known (the defaults included). */
static void check_simulated(const struct cli *c)
{
   const struct vs_config *cfg = &c->cfg;
   if (!cfg->nr_sizes && !cfg->mrc) {
      const char *opt = c->swap_arg ? c->swap_arg : c->oom_arg;
      for (int i = 0; !opt && vt_policies[i]; i++)
         opt = c->param_given[i];
      if (opt || c->policy_arg)
         vs_die("%s%s: nothing is simulated: --export alone writes the trace (give RAM "
                "sizes, --pages, --ram or --frames, or --mrc)", opt ? opt : "--policy=",
                opt ? "" : c->policy_arg);
   }
   for (int i = 0; vt_policies[i]; i++) {
      if (!c->param_given[i])
         continue;
      unsigned k = 0;
      while (k < cfg->nr_policies && cfg->policies[k] != vt_policies[i])
         k++;
      if (k < cfg->nr_policies)
         continue;
      char names[256] = "";
      for (k = 0; k < cfg->nr_policies; k++)
         snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? "," : "",
                  cfg->policies[k]->name);
      vs_die("%s is a parameter of the %s policy, which does not run (--policy=%s%s)",
             c->param_given[i], vt_policies[i]->name, names,
             c->policy_arg ? "" : ", the default");
   }
}

static const char *value(const char *arg, const char *name)
{
   size_t n = strlen(name);
   return !strncmp(arg, name, n) && arg[n] == '=' ? arg + n + 1 : NULL;
}

static void parse_args(struct cli *c, int argc, char **argv)
{
   struct vs_config *cfg = &c->cfg;
   cfg->shard_k = cfg->shard_n = 1;
   cfg->curve_points = 20;
   cfg->oom_stop = true;
   long cpus = sysconf(_SC_NPROCESSORS_ONLN);
   cfg->jobs = cpus > 0 ? (unsigned)cpus : 1;
   for (int i = 0; vt_policies[i]; i++)
      vt_policy_params_init(vt_policies[i], &cfg->params[i]);
   c->ro.check_next = true;
   c->export_fmt = -1;
   c->traces = vs_alloc((size_t)argc * sizeof *c->traces);
   bool opts_done = false;
   static struct given_sizes sizes_given, curve_sizes_given;
   bool points_given = false;
   for (int i = 1; i < argc; i++) {
      const char *a = argv[i], *v;
      if (opts_done || a[0] != '-' || !strcmp(a, "-")) {
         c->traces[c->nr_traces++] = a;
      } else if (!strcmp(a, "--")) {
         opts_done = true;
      } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
         usage(stdout);
         exit(0);
      } else if (!strcmp(a, "--version")) {
         printf("vmtrace-sim %s\n", VS_VERSION);
         exit(0);
      } else if (policy_param_option(c, a)) {
      } else if ((v = value(a, "--policy"))) {
         c->policy_arg = v;
         parse_policies(c, v);
      } else if ((v = value(a, "--pages")) || (v = value(a, "--frames"))) {
         parse_pages(a[2] == 'p' ? "--pages" : "--frames", v, cfg->sizes, &cfg->nr_sizes,
                     &sizes_given, false);
      } else if ((v = value(a, "--ram"))) {
         parse_pages("--ram", v, cfg->sizes, &cfg->nr_sizes, &sizes_given, true);
      } else if ((v = value(a, "--sizes"))) {
         cfg->nr_curve_sizes = 0;
         parse_pages("--sizes", v, cfg->curve_sizes, &cfg->nr_curve_sizes,
                     &curve_sizes_given, false);
      } else if ((v = value(a, "--points"))) {
         uint64_t n;
         if (!vt_parse_number(v, 1000, &n) || n < 2 || n > 256)
            vs_die("--points takes a number of sizes from 2 to 256");
         cfg->curve_points = (unsigned)n;
         points_given = true;
      } else if ((v = value(a, "--swap"))) {
         uint64_t b = 0;
         if (strcmp(v, "unlimited") &&
             (!vt_parse_number(v, 1024, &b) || (b && b < 4096)))
            vs_die("--swap takes 0 (no swap), a size of at least 4K (K, M, G suffixes) or "
                   "'unlimited'");
         check_whole_pages("--swap", v, b);
         c->swap_arg = a;
         cfg->swap_pages = b >> 12;
         cfg->no_swap = strcmp(v, "unlimited") && !b;
      } else if ((v = value(a, "--page-kind"))) {
         if (strcmp(v, "file") && strcmp(v, "anon"))
            vs_die("--page-kind takes 'file' or 'anon'");
         cfg->anon = !strcmp(v, "anon");
      } else if ((v = value(a, "--oom"))) {
         if (strcmp(v, "stop") && strcmp(v, "continue"))
            vs_die("--oom takes 'stop' or 'continue'");
         c->oom_arg = a;
         cfg->oom_stop = !strcmp(v, "stop");
      } else if ((v = value(a, "--key-map"))) {
         if (strcmp(v, "dense") && strcmp(v, "hash"))
            vs_die("--key-map takes 'dense' or 'hash'");
         cfg->hash_keys = !strcmp(v, "hash");
      } else if (!strcmp(a, "--tree")) {
         c->tree = true;
      } else if (!strcmp(a, "--mrc")) {
         cfg->mrc = true;
      } else if ((v = value(a, "--sample"))) {
         char *end;
         double r = strtod(v, &end);
         if (!*v || *end || !(r > 0 && r <= 1))
            vs_die("--sample takes a rate R with 0 < R <= 1, e.g. 0.01");
         cfg->sample = r;
      } else if ((v = value(a, "--format"))) {
         int f = (int)vs_format_by_name(v);
         if (f < 0)
            vs_die("--format: unknown format '%s' (auto, vmtrace, oracleGeneral, lcs, csv)", v);
         c->ro.format = (enum vs_format)f;
         c->format_arg = a;
      } else if ((v = value(a, "--csv-columns"))) {
         c->ro.csv_columns = v;
      } else if (!strcmp(a, "--no-check-next")) {
         c->ro.check_next = false;
      } else if ((v = value(a, "--export"))) {
         if (!*v)
            vs_die("--export: the file name is empty");
         c->export_path = v;
      } else if ((v = value(a, "--export-format"))) {
         int f = (int)vs_format_by_name(v);
         if (f != VS_FMT_ORACLE && f != VS_FMT_LCS && f != VS_FMT_CSV)
            vs_die("--export-format takes oracleGeneral, lcs or csv");
         c->export_fmt = f;
      } else if ((v = value(a, "--refs"))) {
         c->refs = v;
      } else if (!strcmp(a, "--explain")) {
         cfg->explain = true;
      } else if ((v = value(a, "--csv"))) {
         if (!*v)
            vs_die("--csv: the file name is empty");
         c->csv = v;
      } else if ((v = value(a, "--json"))) {
         if (!*v)
            vs_die("--json: the file name is empty");
         c->json = v;
      } else if ((v = value(a, "--shard"))) {
         /* Digits only: sscanf's %u took "-1" as 4294967295 and "+1", " 1"
            too (until 2026-12-06 --shard=1/-1 ran as 1 of 4294967295). */
         char kt[32] = "", nt[32] = "";
         const char *slash = strchr(v, '/');
         uint64_t k = 0, n = 0;
         if (slash && (size_t)(slash - v) < sizeof kt) {
            memcpy(kt, v, (size_t)(slash - v));
            snprintf(nt, sizeof nt, "%s", slash + 1);
         }
         if (!slash || strspn(kt, "0123456789") != strlen(kt) ||
             strspn(nt, "0123456789") != strlen(nt) || !vt_parse_number(kt, 1, &k) ||
             !vt_parse_number(nt, 1, &n) || n < 1 || k < 1 || k > n || n > UINT32_MAX)
            vs_die("--shard takes K/N with 1 <= K <= N, e.g. --shard=2/8");
         cfg->shard_k = (unsigned)k;
         cfg->shard_n = (unsigned)n;
      } else if ((v = value(a, "--jobs"))) {
         uint64_t n;
         if (!vt_parse_number(v, 1000, &n) || n < 1 || n > 1024)
            vs_die("--jobs takes a number of threads from 1 to 1024");
         cfg->jobs = (unsigned)n;
      } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
         cfg->verbose = true;
      } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
         c->quiet = true;
      } else {
         /* A value option given its value as the next argument: say so,
            not that the option is unknown (until 2026-12-06 '--pages 2'
            was "unknown option '--pages'"). */
         static const char *const valued[] = {
            "--policy", "--pages", "--frames", "--ram", "--sizes", "--points", "--swap",
            "--page-kind", "--oom", "--key-map", "--sample", "--format", "--csv-columns",
            "--export", "--export-format", "--refs", "--csv", "--json", "--shard", "--jobs",
         };
         for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++)
            if (!strcmp(a, valued[k]))
               vs_die("%s takes its value after '=' (%s=...), not as the next argument", a,
                      a);
         char eq[64];
         snprintf(eq, sizeof eq, "%s=0", a);
         if (!strncmp(a, "--", 2) && strlen(a) < 60 && policy_param_option_name(eq))
            vs_die("%s takes its value after '=' (%s=N), not as the next argument", a, a);
         vs_die("unknown option '%s' (--help lists them)", a);
      }
   }
   if (c->csv && c->json && !strcmp(c->csv, "-") && !strcmp(c->json, "-"))
      vs_die("--csv=- and --json=- cannot both write to standard output");
   if (c->refs && c->nr_traces)
      vs_die("--refs replays the string it is given: give no TRACE with it");
   /* Taken and unused until 2026-12-06, as --csv-columns was. */
   if (c->refs && c->format_arg)
      vs_die("%s is the traces' format, and --refs is a reference string", c->format_arg);
   if (c->refs && !c->ro.check_next)
      vs_die("--no-check-next is about the next-access fields of oracleGeneral and lcs "
             "traces, and --refs is a reference string");
   if (cfg->nr_curve_sizes && points_given)
      vs_die("--points spaces the curves' sizes that --sizes gives: give one of them");
   if (!c->refs && !c->nr_traces)
      vs_die("no trace given (--help for usage)");
   for (unsigned i = 0, stdin_seen = 0; i < c->nr_traces; i++)
      if (!strcmp(c->traces[i], "-") && stdin_seen++)
         vs_die("-: standard input is given twice (it can be read once)");
   /* One file given twice (by any spelling): its rows twice, as a size
      twice made them (until 2026-12-06); --tree refused it already. */
   for (unsigned i = 0; i < c->nr_traces; i++) {
      struct stat si, sj;
      if (!strcmp(c->traces[i], "-") || stat(c->traces[i], &si) || !S_ISREG(si.st_mode))
         continue;
      for (unsigned j = 0; j < i; j++)
         if (strcmp(c->traces[j], "-") && !stat(c->traces[j], &sj) &&
             si.st_dev == sj.st_dev && si.st_ino == sj.st_ino)
            vs_die("%s: the trace is given twice (as %s too)", c->traces[i], c->traces[j]);
   }
   if (c->tree)
      for (unsigned i = 0; i < c->nr_traces; i++)
         if (!strcmp(c->traces[i], "-"))
            vs_die("-: --tree replays vmtrace traces, which must be files (standard input "
                   "cannot be read twice)");
   /* A result written over a trace it reads (--csv=t.csv for t.csv):
      refused before anything is read (until 2026-12-06 the trace was
      replaced by the results). */
   const char *outs[3][2] = { { "--csv", c->csv }, { "--json", c->json },
                              { "--export", c->export_path } };
   for (int o = 0; o < 3; o++) {
      struct stat so, st;
      if (!outs[o][1] || !strcmp(outs[o][1], "-") || stat(outs[o][1], &so) ||
          !S_ISREG(so.st_mode))      /* a terminal both read and written is no slip */
         continue;
      for (unsigned i = 0; i < c->nr_traces; i++)
         if (strcmp(c->traces[i], "-") && !stat(c->traces[i], &st) &&
             st.st_dev == so.st_dev && st.st_ino == so.st_ino)
            vs_die("%s=%s would write over the trace %s: give another file", outs[o][0],
                   outs[o][1], c->traces[i]);
   }
   for (int o = 0; o < 3; o++) {
      char err[1024];
      if (outs[o][1] && vs_out_check(outs[o][1], err, sizeof err))
         vs_die("%s", err);
   }
   /* The curves' sizes without the curves were ignored until 2026-12-06
      (--sizes=64,128 simulated nothing at those sizes). */
   if ((cfg->nr_curve_sizes || points_given) && !cfg->mrc)
      vs_die("%s sets the miss-ratio curves' sizes: give --mrc (RAM sizes to simulate are "
             "--pages, --ram or --frames)", cfg->nr_curve_sizes ? "--sizes" : "--points");
   /* The format of an export that is not written was ignored until
      2026-12-06, as the curves' sizes without the curves were. */
   if (c->export_fmt >= 0 && !c->export_path)
      vs_die("--export-format is the format of --export's file: give --export=FILE");
   if (c->export_path) {
      /* A compressed file's name for an uncompressed file: libCacheSim
         decompresses *.zst by its name, and would fail (until 2026-12-06
         t.oracleGeneral.zst was written uncompressed). */
      static const char *const packed[] = { ".zst", ".zstd", ".gz", ".xz", ".bz2", ".lz4" };
      size_t n = strlen(c->export_path);
      for (size_t k = 0; k < sizeof packed / sizeof packed[0]; k++) {
         size_t m = strlen(packed[k]);
         if (n > m && !strcasecmp(c->export_path + n - m, packed[k]))
            vs_die("--export: %s: vmtrace-sim writes no compressed file: export to a name "
                   "without %s, then compress it (zstd FILE)", c->export_path, packed[k]);
      }
   }
   if (c->export_path && !c->tree && c->nr_traces + (c->refs ? 1 : 0) != 1)
      vs_die("--export writes one trace: give exactly one (or --tree: the merged stream)");
   if (cfg->explain && !c->refs && c->nr_traces != 1)
      vs_die("--explain draws the table of one reference string (--refs or one TRACE)");
   if (cfg->explain && !cfg->nr_sizes)
      vs_die("--explain needs --frames (or --pages)");
   if (c->tree) {
      if (c->ro.csv_columns)
         vs_die("--tree replays vmtrace traces: --csv-columns names a CSV trace's columns");
      if (!c->ro.check_next)
         vs_die("--tree replays vmtrace traces: --no-check-next is about the next-access "
                "fields of oracleGeneral and lcs traces");
      if (c->refs || cfg->explain)
         vs_die("--tree replays the traces of a process tree into one memory: not with "
                "--refs or --explain");
      if (cfg->sample > 0 && cfg->sample < 1 && !cfg->mrc && !c->export_path)
         vs_die("--tree: --sample samples the merged stream's exact curves or its "
                "--export: give --mrc or --export");
      if (!cfg->nr_sizes && !cfg->mrc && !c->export_path)
         vs_die("--tree needs the memory's size (--pages or --ram), --mrc or --export");
      if (!c->policy_arg)
         parse_policies(c, cfg->mrc && !cfg->nr_sizes ? "lru,opt" : "lru");
      check_simulated(c);
      return;
   }
   if (!cfg->nr_sizes && !cfg->mrc && !c->export_path)
      vs_die("give RAM sizes (--pages, --ram, --frames) or --mrc, or --export");
   if (!c->policy_arg)
      parse_policies(c, cfg->mrc && !cfg->nr_sizes ? "lru,opt" : "all");
   check_simulated(c);
   c->ro.keep_time = c->export_path != NULL;
   /* A vmtrace trace's simulations replay its file; its references are
      kept only for what reads them (OPT's future, the curves, an export,
      the step table, sampling): 4 to 21 bytes a reference otherwise. */
   bool future = false;
   for (unsigned i = 0; i < cfg->nr_policies; i++)
      future |= (cfg->policies[i]->needs & VT_POL_FUTURE) != 0;
   c->ro.count_only = !future && !cfg->mrc && !c->export_path && !cfg->explain &&
                      !(cfg->sample > 0);
   if (!c->ro.count_only)
      vs_oom_hint = "OPT, --mrc, --export, --explain and --sample keep every reference "
                    "in memory (4 to 21 bytes each: docs/vmtrace-sim.md)";
}

/* The sampled curve's error at the curve's sizes (vs_sample_error). */
static void sample_error(const struct vs_config *cfg, const struct vs_stream *full,
                         const struct vs_stream *smp, struct vs_trace *tr)
{
   uint64_t sizes[256];
   unsigned n = vs_curve_sizes(cfg, full->npages, sizes, 256);
   tr->err_points = n;
   vs_sample_error(full, smp, cfg->sample, sizes, n, &tr->err_max, &tr->err_mean);
}

static enum vs_format export_format(const struct cli *c)
{
   if (c->export_fmt >= 0)
      return (enum vs_format)c->export_fmt;
   const char *p = c->export_path;
   size_t n = strlen(p);
   /* As the reader tells a format by its name: T.CSV is a CSV (until
      2026-12-06 it was written as oracleGeneral, which the reader then
      took for a CSV that is not text). */
   if (n >= 4 && !strcasecmp(p + n - 4, ".csv"))
      return VS_FMT_CSV;
   if (n >= 4 && !strcasecmp(p + n - 4, ".lcs"))
      return VS_FMT_LCS;
   return VS_FMT_ORACLE;
}

/* This image's peak resident memory: VmHWM, its own address space's high
   water mark.  getrusage's ru_maxrss also holds the image before execve (a
   fork of a large parent, e.g. a Python test, counts that parent's pages). */
static long peak_rss_kib(void)
{
   FILE *f = fopen("/proc/self/status", "r");
   char line[256];
   long kib = -1;
   while (f && fgets(line, sizeof line, f))
      if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
         break;
   if (f)
      fclose(f);
   if (kib < 0) {
      struct rusage ru;
      getrusage(RUSAGE_SELF, &ru);
      kib = ru.ru_maxrss;
   }
   return kib;
}

int main(int argc, char **argv)
{
   vs_core_init();
   if (argc > 1 && !strcmp(argv[1], "merge"))
      return vs_merge_main(argc - 1, argv + 1);
   struct cli c;
   memset(&c, 0, sizeof c);
   parse_args(&c, argc, argv);
   struct vs_config *cfg = &c.cfg;
   if (c.tree)
      return vs_tree_main(cfg, c.traces, c.nr_traces, c.csv, c.json, c.quiet,
                          c.export_path, c.export_path ? export_format(&c) : VS_FMT_ORACLE);
   char err[1024];
   unsigned nt = c.refs ? 1 : c.nr_traces;
   struct vs_stream *streams = vs_alloc(nt * sizeof *streams);
   struct vs_run run;
   memset(&run, 0, sizeof run);
   run.cfg = *cfg;
   run.nr_traces = nt;
   run.traces = vs_alloc(nt * sizeof *run.traces);
   for (unsigned t = 0; t < nt; t++) {
      double c0 = vs_thread_cpu(), w0 = vs_wall();
      int rc = c.refs ? vs_read_refs(c.refs, &streams[t], err, sizeof err)
                      : vs_read_trace(c.traces[t], &c.ro, &streams[t], err, sizeof err);
      if (rc)
         vs_die("%s", err);
      struct vs_trace *tr = &run.traces[t];
      tr->name = streams[t].name;
      tr->format = streams[t].format;
      tr->proc_id = streams[t].proc_id;
      tr->proc_pid = streams[t].proc_pid;
      tr->refs = streams[t].n;
      tr->pages = streams[t].npages;
      tr->skipped = streams[t].skipped;
      tr->replayed = streams[t].replayed;
      tr->seen = streams[t].seen;
      tr->unmod = streams[t].unmod;
      vs_unmod_warn(tr->name, &tr->unmod);
      if (cfg->verbose)
         fprintf(stderr, "%s: read %s: %llu references to %llu pages in %.3f s CPU, "
                 "%.3f s\n", vs_prog, tr->name, (unsigned long long)tr->refs,
                 (unsigned long long)tr->pages, vs_thread_cpu() - c0, vs_wall() - w0);
   }
   /* CSV columns named for traces none of which is CSV were ignored
      until 2026-12-06. */
   if (c.ro.csv_columns) {
      unsigned t = 0;
      while (t < nt && strcmp(run.traces[t].format, "csv"))
         t++;
      if (t == nt)
         vs_die("--csv-columns names the columns of a CSV trace, and %s", nt == 1 ?
                (c.refs ? "--refs is a reference string" : "the trace is not CSV") :
                "none of the traces is CSV");
   }
   /* Next-access fields checked in traces that have none were ignored
      until 2026-12-06, as --csv-columns was. */
   if (!c.ro.check_next) {
      unsigned t = 0;
      while (t < nt && strcmp(run.traces[t].format, "oracleGeneral") &&
             strcmp(run.traces[t].format, "lcs"))
         t++;
      if (t == nt)
         vs_die("--no-check-next is about the next-access fields of oracleGeneral and lcs "
                "traces, and %s", nt == 1 ? "the trace is neither" : "none of the traces is");
   }
   /* Spatial sampling: the sampled streams replace the traces'. */
   bool sampled = cfg->sample > 0 && cfg->sample < 1;
   struct vs_stream *work = streams;
   if (sampled) {
      for (unsigned t = 0; t < nt; t++)
         if (streams[t].vmt)
            vs_die("--sample: %s is a vmtrace trace, whose simulations replay it whole; "
                   "sample its --export instead", streams[t].name);
      work = vs_alloc(nt * sizeof *work);
      for (unsigned t = 0; t < nt; t++) {
         vs_stream_sample(&streams[t], cfg->sample, &work[t]);
         run.traces[t].sampled_refs = work[t].n;
         run.traces[t].sampled_pages = work[t].npages;
         if (cfg->shard_k == 1 && (cfg->mrc || cfg->nr_sizes))
            sample_error(cfg, &streams[t], &work[t], &run.traces[t]);
      }
   }
   if (c.export_path) {
      vs_next_uses(&work[0]);
      if (vs_export(&work[0], c.export_path, export_format(&c), err, sizeof err))
         vs_die("%s", err);
      if (!c.quiet && !cfg->nr_sizes && !cfg->mrc)
         fprintf(stderr, "%s: wrote %llu references to %llu pages to %s (%s)\n", vs_prog,
                 (unsigned long long)work[0].n, (unsigned long long)work[0].npages,
                 c.export_path, vs_format_name(export_format(&c)));
      if (!cfg->nr_sizes && !cfg->mrc)
         return 0;
   }
   if (cfg->explain) {
      if (work[0].n > 200)
         vs_die("--explain draws a column a reference: give at most 200 (this trace has "
                "%llu)", (unsigned long long)work[0].n);
      for (unsigned p = 0; p < cfg->nr_policies; p++) {
         int pi = 0;
         while (vt_policies[pi] != cfg->policies[p])
            pi++;
         for (unsigned s = 0; s < cfg->nr_sizes; s++)
            vs_explain(stdout, &work[0], cfg->policies[p], &cfg->params[pi], cfg->sizes[s],
                       cfg->anon, cfg->swap_pages, cfg->no_swap);
      }
   }
   vs_grid(&run);
   vs_run_jobs(&run, work);
   /* The table, unless standard output carries the CSV or the JSON. */
   bool stdout_taken = (c.csv && !strcmp(c.csv, "-")) || (c.json && !strcmp(c.json, "-"));
   if (!c.quiet && !stdout_taken)
      vs_print_table(stdout, &run);
   if (c.csv && vs_write_csv(&run, c.csv, err, sizeof err))
      vs_die("%s", err);
   if (c.json && vs_write_json(&run, c.json, err, sizeof err))
      vs_die("%s", err);
   if (fflush(stdout) || ferror(stdout))
      vs_die("standard output: write error");
   if (cfg->verbose) {
      uint64_t pages = 0;
      for (unsigned t = 0; t < nt; t++)
         pages += run.traces[t].pages;
      long kib = peak_rss_kib();
      fprintf(stderr, "%s: peak memory %ld KiB (%.1f bytes a page of the traces)\n",
              vs_prog, kib, pages ? kib * 1024.0 / (double)pages : 0.0);
   }
   return 0;
}
