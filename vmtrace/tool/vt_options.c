/* vt_options.c: vmtrace's command-line options (docs/manual.md).  The
   parameters of the replacement policies come from the policies
   themselves (struct vt_policy_param).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_tooliface.h"
#include "vt_tool.h"

struct vt_options vt_clo = {
   .out_file = "vmtrace.out.%p",
   .fault_around_bytes = 65536,
   .zero_page = True,
   .thp = -1,
   .thp_zero_page = -1,
   .thp_size = { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 },
   .thp_cmp = -1,
   .thp_cmp_size = { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 },
   .readahead_pages = 32,
   .fast_path = True,
   .collect_atstart = True,
   .fault_stack_depth = 12,
   .timeline = True,
   .heatmap_rows = 256,
   .nr_tau = 3,
   .tau = { 100000, 1000000, 10000000 },
   .oom_stop = True,
   .swap_text = "unlimited",
   .progress_ms = VT_PROGRESS_AUTO,
};

/* Warnings of the option parsing, printed by vt_options_warn once
   Valgrind has set up the log (--log-file): before, they would go to
   stderr. */
#define MAX_WARNINGS 8
static HChar *warnings[MAX_WARNINGS];
static UInt nr_warnings;

static void warn(const HChar *arg, const HChar *what, const HChar *same,
                 const HChar *once)
{
   if (nr_warnings == MAX_WARNINGS)
      return;
   SizeT n = VG_(strlen)(arg) + VG_(strlen)(what) + VG_(strlen)(same) +
             VG_(strlen)(once) + 64;
   HChar *w = VG_(malloc)("vt.clo.warn", n);
   if (VG_(strcmp)(what, same))
      VG_(snprintf)(w, n, "%s: '%s' is the same as '%s': %s", arg, what, same, once);
   else
      VG_(snprintf)(w, n, "%s: '%s' is given twice: %s", arg, what, once);
   warnings[nr_warnings++] = w;
}

void vt_options_warn(void)
{
   for (UInt i = 0; i < nr_warnings; i++)
      VG_(umsg)("Warning: %s\n", warnings[i]);
}


/* ---- options ---------------------------------------------------------- */

/* Digits with an optional suffix (vt_text.h). */
static Bool parse_number(const HChar *s, ULong base, ULong *out)
{
   uint64_t v;
   if (!vt_parse_number(s, base, &v))
      return False;
   *out = v;
   return True;
}

/* Seconds with up to three decimals ("5", "0.25"), in milliseconds. */
static Bool parse_seconds(const HChar *s, ULong *ms)
{
   ULong v = 0;
   UInt decimals = 0;
   Bool point = False;
   if (*s < '0' || *s > '9')
      return False;
   for (; *s; s++) {
      if (*s == '.' && !point) {
         point = True;
         continue;
      }
      if (*s < '0' || *s > '9' || (point && ++decimals > 3) || v > 1000000000ULL)
         return False;
      v = v * 10 + (ULong)(*s - '0');
   }
   for (; decimals < 3; decimals++)
      v *= 10;
   *ms = v;
   return True;
}

static Bool parse_size(const HChar *s, ULong *out)   /* bytes: K = 1024 */
{
   return parse_number(s, 1024, out);
}

static Bool parse_count(const HChar *s, ULong *out)  /* counts: k = 1000 */
{
   return parse_number(s, 1000, out);
}

/* Splits a comma-separated option value into at most `max` items of
   fewer than 32 characters; a bad list ends the run naming `example`. */
#define MAX_ITEMS 16
static UInt split_list(const HChar *arg, const HChar *list, HChar items[][32],
                       UInt max, const HChar *example)
{
   UInt n = 0;
   const HChar *p = list;
   for (;;) {
      SizeT len = 0;
      while (p[len] && p[len] != ',')
         len++;
      if (len == 0 || len >= 32 || n == max)   /* "1M,", ",1M", "1M,,2M" */
         VG_(fmsg_bad_option)(arg, "give 1 to %u comma-separated values, e.g. %s\n",
                              max, example);
      VG_(memcpy)(items[n], p, len);
      items[n++][len] = 0;
      p += len;
      if (!*p)
         return n;
      p++;                                  /* the comma */
   }
}

/* --ws-tau=100k,1M,10M: working-set windows in instructions. */
static void parse_taus(const HChar *arg, const HChar *list)
{
   HChar items[MAX_ITEMS][32];
   UInt given = split_list(arg, list, items, VT_MAX_TAUS, "100k,1M,10M"), n = 0;
   UInt text_of[VT_MAX_TAUS];
   for (UInt i = 0; i < given; i++) {
      ULong tau = 0;
      if (!parse_count(items[i], &tau) || tau == 0)
         VG_(fmsg_bad_option)(arg, "'%s' is not a window in instructions "
                              "(e.g. 100k, 1M)\n", items[i]);
      /* 1M,1000k: one window, counted and reported once, as --ram's sizes */
      UInt j = 0;
      while (j < n && vt_clo.tau[j] != tau)
         j++;
      if (j < n) {
         warn(arg, items[i], items[text_of[j]], "it is counted once");
         continue;
      }
      text_of[n] = i;
      vt_clo.tau[n++] = tau;
   }
   vt_clo.nr_tau = n;
   /* Every window is honoured to the end of the run at a granularity of
      at most a sixteenth of the smallest (vt_wset_granularity), or
      refused here. */
   if (!vt_wset_granularity(vt_clo.tau, n, VT_SAMPLE_INTERVAL)) {
      ULong lo = ~0ULL, hi = 0;
      for (UInt i = 0; i < n; i++) {
         lo = vt_clo.tau[i] < lo ? vt_clo.tau[i] : lo;
         hi = vt_clo.tau[i] > hi ? vt_clo.tau[i] : hi;
      }
      if (lo < 16 * VT_WSET_MIN_EPOCH)
         VG_(fmsg_bad_option)(arg, "a window of %llu instructions is too short: the working "
                              "set is counted in epochs of a sixteenth of the smallest window, "
                              "at least %u instructions, so windows start at %u\n",
                              lo, VT_WSET_MIN_EPOCH, 16 * VT_WSET_MIN_EPOCH);
      ULong g = vt_wset_granularity(&lo, 1, VT_SAMPLE_INTERVAL);
      VG_(fmsg_bad_option)(arg, "windows from %llu to %llu instructions: the working set "
                           "is counted in epochs of %llu instructions (a sixteenth of the "
                           "smallest window, at most %llu), and a window may span at most "
                           "%u of them, %llu instructions\n", lo, hi, g,
                           VT_SAMPLE_INTERVAL, VT_WSET_MAX_EPOCHS,
                           g * VT_WSET_MAX_EPOCHS);
   }
}

const HChar *const vt_thp_size_modes[4] = { "never", "madvise", "always", "inherit" };

/* SIZE:MODE items (16K to 2M) from items[first] on into sizes[order]:
   --thp-size's and --thp-compare's. */
static void parse_size_modes(const HChar *arg, const HChar *opt, HChar items[][32],
                             UInt first, UInt n, Int *sizes)
{
   Int given[VT_PMD_ORDER + 1];   /* the item that named each size, or -1 */
   for (UInt o = 0; o <= VT_PMD_ORDER; o++)
      given[o] = -1;
   for (UInt i = first; i < n; i++) {
      HChar *colon = VG_(strchr)(items[i], ':');
      ULong b = 0;
      Int mode = -1;
      if (colon) {
         *colon = 0;
         for (Int k = 0; k < 4; k++)
            if (!VG_(strcmp)(colon + 1, vt_thp_size_modes[k]))
               mode = k;
      }
      UInt order = 0;
      if (colon && parse_size(items[i], &b))
         while (order <= VT_PMD_ORDER && (VT_PAGE_SIZE << order) != b)
            order++;
      if (mode < 0 || order < 2 || order > VT_PMD_ORDER)
         VG_(fmsg_bad_option)(arg, "%s takes SIZE:MODE items, SIZE a power of two "
                              "from 16K to 2M, MODE always, inherit, madvise or never\n",
                              opt);
      /* 64K:always,64K:never: which one the user meant is not ours to
         guess; the same mode twice is harmless, as a --ram size twice */
      if (given[order] >= 0 && sizes[order] != mode)
         VG_(fmsg_bad_option)(arg, "%s names the size %s twice, as %s and as %s\n", opt,
                              items[given[order]], vt_thp_size_modes[sizes[order]],
                              vt_thp_size_modes[mode]);
      if (given[order] >= 0)
         warn(arg, items[i], items[given[order]], "it is set once");
      given[order] = (Int)i;
      sizes[order] = mode;
   }
}

/* --thp-size=64K:always,2M:inherit: hugepages-<size>kB/enabled for the
   anonymous folio sizes named (16K to 2M). */
static void parse_thp_sizes(const HChar *arg, const HChar *list)
{
   HChar items[MAX_ITEMS][32];
   UInt n = split_list(arg, list, items, 8, "64K:always,2M:inherit");
   parse_size_modes(arg, "--thp-size", items, 0, n, vt_clo.thp_size);
}

/* --thp-compare=never or madvise,64K:always: the second address space's
   enabled, then its sizes as --thp-size gives them. */
static void parse_thp_compare(const HChar *arg, const HChar *list)
{
   HChar items[MAX_ITEMS][32];
   UInt n = split_list(arg, list, items, 9, "never or madvise,64K:always");
   Int mode = !VG_(strcmp)(items[0], "always")    ? VT_THP_ALWAYS
              : !VG_(strcmp)(items[0], "madvise") ? VT_THP_MADVISE
              : !VG_(strcmp)(items[0], "never")   ? VT_THP_NEVER : -1;
   if (mode < 0)
      VG_(fmsg_bad_option)(arg, "--thp-compare takes 'always', 'madvise' or 'never', then "
                           "optionally SIZE:MODE items as --thp-size does\n");
   vt_clo.thp_cmp = mode;
   parse_size_modes(arg, "--thp-compare", items, 1, n, vt_clo.thp_cmp_size);
}

/* A memory size (RAM, swap) is frames or slots: a size that is not a
   whole number of pages is refused, naming the sizes around it, rather
   than rounded down without a word (--ram=5000 was one page). */
static void check_whole_pages(const HChar *arg, const HChar *item, ULong b)
{
   if (b & (VT_PAGE_SIZE - 1))
      VG_(fmsg_bad_option)(arg, "'%s' is not a whole number of 4K pages (%llu bytes; "
                           "%lluK and %lluK are)\n", item, b, (b >> VT_PAGE_SHIFT) * 4,
                           ((b >> VT_PAGE_SHIFT) + 1) * 4);
}

/* --ram=256M,1G: page counts of the simulations' RAM sizes, and the
   sizes as written (the log and the files show them so).  A size given
   twice (1M,1024K) runs once. */
static void parse_sizes(const HChar *arg, const HChar *list)
{
   HChar items[MAX_ITEMS][32];
   UInt n = split_list(arg, list, items, VT_MAX_SIMS_PER_LIST, "256M,1G"), k = 0;
   for (UInt i = 0; i < n; i++) {
      ULong b = 0;
      if (!parse_size(items[i], &b) || b < 4096)
         VG_(fmsg_bad_option)(arg, "'%s' is not a size of at least 4K (K, M, G "
                              "suffixes are powers of 1024)\n", items[i]);
      check_whole_pages(arg, items[i], b);
      /* A frame is a 32-bit index, VT_SIM_NO_FRAME none: 16384G met the
         core's assertion at the first simulation (until 2026-12-06). */
      if (b >> VT_PAGE_SHIFT >= VT_SIM_NO_FRAME)
         VG_(fmsg_bad_option)(arg, "'%s' is more pages than a simulation holds "
                              "(%u, 16 TiB less 8 KiB)\n", items[i], VT_SIM_NO_FRAME - 1);
      UInt j = 0;
      while (j < k && vt_clo.ram_pages[j] != b >> VT_PAGE_SHIFT)
         j++;
      if (j < k) {
         warn(arg, items[i], vt_clo.ram_text[j], "it runs once");
         continue;
      }
      vt_clo.ram_pages[k] = b >> VT_PAGE_SHIFT;
      vt_clo.ram_text[k++] = VG_(strdup)("vt.clo.ram", items[i]);
   }
   vt_clo.nr_ram = k;
}

/* --policy=lru,clock or all (every policy that runs online). */
static void parse_policies(const HChar *arg, const HChar *list)
{
   UInt n = 0;
   if (!VG_(strcmp)(list, "all")) {
      for (UInt i = 0; vt_policies[i]; i++)
         if (!(vt_policies[i]->needs & VT_POL_FUTURE))
            vt_clo.policies[n++] = vt_policies[i];
      vt_clo.nr_pol = n;
      return;
   }
   HChar items[MAX_ITEMS][32];
   UInt given = split_list(arg, list, items, VT_MAX_SIMS_PER_LIST, "lru,clock,linux");
   for (UInt i = 0; i < given; i++) {
      const struct vt_policy_ops *ops = vt_policy_find(items[i]);
      if (!ops)
         VG_(fmsg_bad_option)(arg, "unknown policy '%s' (fifo, lru, lfu, random, "
                              "clock, nru, aging, wsclock, linux, arc, or all)\n",
                              items[i]);
      if (ops->needs & VT_POL_FUTURE)
         VG_(fmsg_bad_option)(arg, "policy '%s' needs the future: it runs only "
                              "in offline replay of a recorded trace\n", items[i]);
      UInt j = 0;
      while (j < n && vt_clo.policies[j] != ops)
         j++;
      if (j < n)
         warn(arg, items[i], items[i], "it runs once");   /* lru,lru: one simulation */
      else
         vt_clo.policies[n++] = ops;
   }
   vt_clo.nr_pol = n;
}

/* The parameters each policy declares, per policy (vt_policies order). */
#define MAX_POLICIES 16
static struct vt_policy_params policy_params[MAX_POLICIES];
static Bool policy_params_ready;

static UInt policy_index(const struct vt_policy_ops *ops)
{
   UInt i = 0;
   while (vt_policies[i] && vt_policies[i] != ops)
      i++;
   tl_assert(vt_policies[i] && i < MAX_POLICIES);
   return i;
}

const struct vt_policy_params *vt_policy_params_of(const struct vt_policy_ops *ops)
{
   UInt i = policy_index(ops);
   if (!policy_params_ready) {
      for (UInt k = 0; vt_policies[k]; k++)
         vt_policy_params_init(vt_policies[k], &policy_params[k]);
      policy_params_ready = True;
   }
   return &policy_params[i];
}

/* The first of each policy's parameters given (vt_policies order). */
static const HChar *param_given[MAX_POLICIES];

/* --<option>=N of a parameter some policy declares. */
static Bool policy_param_option(const HChar *arg)
{
   for (UInt i = 0; vt_policies[i]; i++)
      for (UInt k = 0; k < vt_policies[i]->nr_params; k++) {
         const struct vt_policy_param *d = &vt_policies[i]->params[k];
         SizeT n = VG_(strlen)(d->option);
         if (arg[0] != '-' || arg[1] != '-' || VG_(strncmp)(arg + 2, d->option, n) ||
             arg[2 + n] != '=')
            continue;
         ULong v = 0;
         if (!parse_count(arg + 3 + n, &v) || v < d->min || v > d->max) {
            if (d->max == ~0ULL)
               VG_(fmsg_bad_option)(arg, "--%s takes a number%s\n", d->option,
                                    d->min ? " > 0" : "");
            else
               VG_(fmsg_bad_option)(arg, "--%s takes a number from %llu to %llu\n",
                                    d->option, d->min, d->max);
         }
         vt_policy_params_of(vt_policies[i]);
         *vt_policy_param_ptr(&policy_params[i], d) = v;
         if (!param_given[i])
            param_given[i] = arg;
         if (!vt_clo.sim_option)
            vt_clo.sim_option = arg;   /* Valgrind keeps its arguments */
         return True;
      }
   return False;
}

/* A parameter of a policy no simulation runs changes nothing: until
   2026-12-06 --ram=1M --policy=lru --aging-period=5 ran LRU as if the
   option were not there.  Refused as the parameters without --ram are;
   called once the policies are known (the default, linux, included). */
void vt_options_check_policy_params(void)
{
   for (UInt i = 0; vt_policies[i]; i++) {
      if (!param_given[i])
         continue;
      UInt k = 0;
      while (k < vt_clo.nr_pol && vt_clo.policies[k] != vt_policies[i])
         k++;
      if (k < vt_clo.nr_pol)
         continue;
      HChar names[160] = "";
      for (k = 0; k < vt_clo.nr_pol; k++) {
         if (VG_(strlen)(names) + VG_(strlen)(vt_clo.policies[k]->name) + 3 > sizeof names)
            break;
         VG_(strcat)(names, k ? "," : "");
         VG_(strcat)(names, vt_clo.policies[k]->name);
      }
      VG_(fmsg)("Bad option: %s is a parameter of the %s policy, which does not run "
                "(--policy=%s%s)\n", param_given[i], vt_policies[i]->name, names,
                vt_clo.policy_given ? "" : ", the default");
      VG_(exit)(1);
   }
}

/* The usage lines of the policies' parameters. */
static void print_policy_params_usage(void)
{
   for (UInt i = 0; vt_policies[i]; i++)
      for (UInt k = 0; k < vt_policies[i]->nr_params; k++) {
         const struct vt_policy_param *d = &vt_policies[i]->params[k];
         HChar opt[64], def[32];
         VG_(snprintf)(opt, sizeof opt, "--%s=<n>", d->option);
         if (d->def && d->def % 1000000 == 0)
            VG_(snprintf)(def, sizeof def, "%lluM", d->def / 1000000);
         else
            VG_(snprintf)(def, sizeof def, "%llu", d->def);
         VG_(printf)("    %-27s %s [%s]\n", opt, d->help, def);
      }
}

Bool vt_process_cmd_line_option(const HChar *arg)
{
   if (policy_param_option(arg) || vt_tlb_option(arg))
      return True;
   const HChar *size_arg = NULL;   /* not 'val': the CLO macros declare one */
   if (VG_STR_CLO(arg, "--vmtrace-out-file", vt_clo.out_file)) {
      if (!vt_clo.out_file[0])
         VG_(fmsg_bad_option)(arg, "the output file name is empty\n");
   } else if (VG_STR_CLO(arg, "--fault-around", size_arg)) {
      ULong b = 0;
      if (!parse_size(size_arg, &b))
         VG_(fmsg_bad_option)(arg, "--fault-around takes a size in bytes "
                              "(e.g. 65536 or 64K), not '%s'\n", size_arg);
      if (b != 0 && (b < 4096 || b > (2ULL << 20) || (b & (b - 1))))
         VG_(fmsg_bad_option)(arg, "--fault-around must be 0 or a power of "
                              "two from 4096 to 2M bytes\n");
      vt_clo.fault_around_bytes = b;
   } else if (VG_STR_CLO(arg, "--trace-out-file", vt_clo.trace_out_file)) {
      if (!vt_clo.trace_out_file[0])
         VG_(fmsg_bad_option)(arg, "the file name is empty\n");
   } else if (VG_STR_CLO(arg, "--cg-out-file", vt_clo.cg_out_file)) {
      if (!vt_clo.cg_out_file[0])
         VG_(fmsg_bad_option)(arg, "the file name is empty\n");
   } else if (VG_STR_CLO(arg, "--callgrind-out-file", vt_clo.callgrind_out_file)) {
      if (!vt_clo.callgrind_out_file[0])
         VG_(fmsg_bad_option)(arg, "the file name is empty\n");
   } else if (VG_STR_CLO(arg, "--fault-stack-depth", size_arg)) {
      ULong d = 0;
      if (!parse_count(size_arg, &d) || d > 64)
         VG_(fmsg_bad_option)(arg, "--fault-stack-depth takes a number of "
                              "frames from 0 to 64\n");
      vt_clo.fault_stack_depth = (UInt)d;
   } else if (VG_STR_CLO(arg, "--heatmap-rows", size_arg)) {
      ULong d = 0;
      if (!parse_count(size_arg, &d) || d > 65536)
         VG_(fmsg_bad_option)(arg, "--heatmap-rows takes a number from 0 "
                              "(no heatmap) to 65536\n");
      vt_clo.heatmap_rows = (UInt)d;
      if (d && !vt_clo.timeline_option)
         vt_clo.timeline_option = arg;
   } else if (VG_STR_CLO(arg, "--ws-tau", size_arg)) {
      parse_taus(arg, size_arg);
      if (!vt_clo.timeline_option)
         vt_clo.timeline_option = arg;
   } else if (VG_STR_CLO(arg, "--ram", size_arg)) {
      parse_sizes(arg, size_arg);
   } else if (VG_STR_CLO(arg, "--swap", size_arg)) {
      /* 0: no swap at all (the commonest setup); unlimited: never full */
      ULong b = 0;
      if (VG_(strcmp)(size_arg, "unlimited") &&
          (!parse_size(size_arg, &b) || (b && b < 4096)))
         VG_(fmsg_bad_option)(arg, "--swap takes 0 (no swap), a size of at least 4K "
                              "(K, M, G suffixes) or 'unlimited'\n");
      check_whole_pages(arg, size_arg, b);
      vt_clo.swap_pages = b >> VT_PAGE_SHIFT;
      vt_clo.no_swap = VG_(strcmp)(size_arg, "unlimited") && b == 0;
      vt_clo.swap_text = size_arg;
      vt_clo.swap_given = True;
   } else if (VG_STR_CLO(arg, "--policy", size_arg)) {
      parse_policies(arg, size_arg);
      vt_clo.policy_given = True;
   } else if VG_XACT_CLO(arg, "--oom=stop", vt_clo.oom_stop, True) {
      vt_clo.sim_option = vt_clo.sim_option ? vt_clo.sim_option : arg;
   } else if VG_XACT_CLO(arg, "--oom=continue", vt_clo.oom_stop, False) {
      vt_clo.sim_option = vt_clo.sim_option ? vt_clo.sim_option : arg;
   } else if VG_XACT_CLO(arg, "--page-cache=warm", vt_clo.cold_cache, False) {
      vt_clo.machine_cache = False;
   } else if VG_XACT_CLO(arg, "--page-cache=cold", vt_clo.cold_cache, True) {
      vt_clo.machine_cache = False;
   } else if VG_XACT_CLO(arg, "--page-cache=machine", vt_clo.cold_cache, True) {
      vt_clo.machine_cache = True;
   } else if (VG_STR_CLO(arg, "--oom", size_arg)) {
      VG_(fmsg_bad_option)(arg, "--oom takes 'stop' or 'continue'\n");
   } else if (VG_STR_CLO(arg, "--page-cache", size_arg)) {
      VG_(fmsg_bad_option)(arg, "--page-cache takes 'warm', 'cold' or 'machine'\n");
   } else if (VG_STR_CLO(arg, "--readahead", size_arg)) {
      ULong v = 0;
      if (!parse_count(size_arg, &v) || v > 65536)
         VG_(fmsg_bad_option)(arg, "--readahead takes a number of pages from 0 to 65536\n");
      vt_clo.readahead_pages = (UInt)v;
      vt_clo.readahead_arg = arg;
   } else if VG_XACT_CLO(arg, "--progress=auto", vt_clo.progress_ms, VT_PROGRESS_AUTO) {
   } else if VG_XACT_CLO(arg, "--progress=no", vt_clo.progress_ms, 0) {
   } else if (VG_STR_CLO(arg, "--progress", size_arg)) {
      ULong ms = 0;
      if (!parse_seconds(size_arg, &ms) || ms == 0 || ms > 86400000)
         VG_(fmsg_bad_option)(arg, "--progress takes a number of seconds (e.g. 10 or "
                              "0.5, at most a day), 'auto' or 'no'\n");
      vt_clo.progress_ms = (UInt)ms;
   } else if VG_BOOL_CLO(arg, "--timeline", vt_clo.timeline) {
   } else if VG_XACT_CLO(arg, "--thp=never", vt_clo.thp, VT_THP_NEVER) {
      vt_clo.thp_given = True;
   } else if VG_XACT_CLO(arg, "--thp=madvise", vt_clo.thp, VT_THP_MADVISE) {
      vt_clo.thp_given = True;
   } else if VG_XACT_CLO(arg, "--thp=always", vt_clo.thp, VT_THP_ALWAYS) {
      vt_clo.thp_given = True;
   } else if (VG_STR_CLO(arg, "--thp", size_arg)) {
      VG_(fmsg_bad_option)(arg, "--thp takes 'always', 'madvise' or 'never'\n");
   } else if (VG_STR_CLO(arg, "--thp-compare", size_arg)) {
      parse_thp_compare(arg, size_arg);
      vt_clo.thp_cmp_arg = arg;
   } else if (VG_STR_CLO(arg, "--thp-size", size_arg)) {
      parse_thp_sizes(arg, size_arg);
   } else if VG_XACT_CLO(arg, "--thp-zero-page=yes", vt_clo.thp_zero_page, 1) {
   } else if VG_XACT_CLO(arg, "--thp-zero-page=no", vt_clo.thp_zero_page, 0) {
   } else if (VG_STR_CLO(arg, "--thp-zero-page", size_arg)) {
      VG_(fmsg_bad_option)(arg, "--thp-zero-page takes 'yes' or 'no'\n");
   } else if VG_BOOL_CLO(arg, "--zero-page", vt_clo.zero_page) {
   } else if VG_BOOL_CLO(arg, "--fast-path", vt_clo.fast_path) {
   } else if VG_BOOL_CLO(arg, "--collect-atstart", vt_clo.collect_atstart) {
   } else {
      return False;
   }
   return True;
}

void vt_print_usage(void)
{
   VG_(printf)(
"    --vmtrace-out-file=<file>   output file name [vmtrace.out.%%p]\n"
"    --fault-around=<bytes>      file read faults map this much around the\n"
"                                faulting page, as Linux does; 0 = off [64K]\n"
"    --zero-page=yes|no          reads of untouched anonymous memory map the\n"
"                                shared zero page [yes]\n"
"    --thp=always|madvise|never  transparent huge pages for anonymous memory,\n"
"                                as /sys/kernel/mm/transparent_hugepage/enabled\n"
"                                [this machine's setting]\n"
"    --thp-size=<size>:<mode>[,...]  multi-size THP: anonymous folios of 16K to\n"
"                                2M always, inherit (as --thp), madvise or\n"
"                                never, as hugepages-<size>kB/enabled [this\n"
"                                machine's]\n"
"    --thp-zero-page=yes|no      reads of an untouched 2 MiB range map the huge\n"
"                                zero page (use_zero_page) [this machine's]\n"
"    --thp-compare=always|madvise|never[,<size>:<mode>...]  also simulate the\n"
"                                address space under this THP setting (sizes as\n"
"                                --thp-size; others as the run's): its faults,\n"
"                                RSS and page tables beside the run's [none]\n"
"    --fast-path=yes|no          filter accesses that cannot change anything\n"
"                                through an inline software TLB [yes]\n"
"    --collect-atstart=yes|no    count events from the start, or only after\n"
"                                VMTRACE_START_COLLECTION() [yes]\n"
"    --timeline=yes|no           sample resident pages, faults and the\n"
"                                working set over time [yes]\n"
"    --ws-tau=<n>[,<n>...]       working-set windows in instructions\n"
"                                (k/M/G suffixes) [100k,1M,10M]\n"
"    --heatmap-rows=<n>          address rows of the heatmap; 0 = none [256]\n"
"    --fault-stack-depth=<n>     frames recorded per fault site; 0 = none [12]\n"
"    --trace-out-file=<file>     also record the page trace, every reference\n"
"                                and mapping change, for vmtrace-sim [none]\n"
"    --cg-out-file=<file>        also write faults per source line in\n"
"                                Cachegrind's format (cg_annotate) [none]\n"
"    --callgrind-out-file=<file> also write faults per function with their\n"
"                                callers in Callgrind's format\n"
"                                (callgrind_annotate, KCachegrind) [none]\n"
"    --progress=<seconds>|auto|no  a progress line every so many seconds\n"
"                                (instructions, faults, resident pages);\n"
"                                auto: every 2 s if the log is a terminal [auto]\n"
"  simulated memory (every --policy runs with every --ram size):\n"
"    --ram=<size>[,<size>...]    RAM sizes to simulate (K/M/G), whole 4K pages\n"
"                                [unlimited]\n"
"    --swap=<size>|0|unlimited   swap space; 0: none [unlimited]\n"
"    --policy=<name>[,...]|all   fifo lru lfu random clock nru aging\n"
"                                wsclock linux arc [linux]\n"
"    --oom=stop|continue         a simulation out of memory stops [stop]\n"
"    --page-cache=warm|cold|machine  file pages start in the page cache, or\n"
"                                must be read (major faults), or are where the\n"
"                                machine's page cache holds them [warm]\n"
"    --readahead=<pages>         read-around on a major fault; machine, and\n"
"                                warm's pages a run adds to a file: the\n"
"                                file's disk's unless given [32]\n");
   VG_(printf)("  the TLB:\n");
   vt_tlb_usage();
   VG_(printf)("  parameters of the policies:\n");
   print_policy_params_usage();
}

void vt_print_debug_usage(void)
{
   VG_(printf)("    (none)\n");
}
