/* vt_main.c: vmtrace's registration with Valgrind, its options, client
   requests, and the host interface of the simulator core.

   vmtrace: a Valgrind tool that simulates Linux's page tables under every
   memory access of a program.
   Copyright (C) 2026 the vmtrace developers.

   This program is free software; you can redistribute it and/or modify it
   under the terms of the GNU General Public License as published by the
   Free Software Foundation; either version 2 of the License, or (at your
   option) any later version.  See the file COPYING.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_tooliface.h"
#include "valgrind.h"
#include "vmtrace.h"
#include "vt_tool.h"

struct vt_mm vt_mm;
struct vt_options vt_clo = {
   .out_file = "vmtrace.out.%p",
   .fault_around_bytes = 65536,
   .zero_page = True,
   .readahead_pages = 32,
   .fast_path = True,
   .collect_atstart = True,
   .fault_stack_depth = 12,
   .timeline = True,
   .heatmap_rows = 256,
   .nr_tau = 3,
   .tau = { 100000, 1000000, 10000000 },
   .oom_stop = True,
};


/* ---- the core's host interface -------------------------------------- */

static void *host_alloc(size_t n)
{
   return VG_(calloc)("vt.core", 1, n);
}

static void host_free(void *p)
{
   VG_(free)(p);
}

__attribute__((noreturn)) static void host_panic(const char *msg)
{
   VG_(tool_panic)((HChar *)msg);
   for (;;)
      ;
}

static void host_flush_hits(void *ctx, struct vt_mm *mm)
{
   (void)ctx; (void)mm;
   vt_hits_flush();      /* the references the filter absorbed */
}

static const struct vt_host_ops host_ops = {
   .alloc = host_alloc,
   .free = host_free,
   .panic = host_panic,
   .invalidate = vt_tlb_invalidate,
   .fault = vt_on_fault,
   .oom = vt_memsim_oom,
   .flush_hits = host_flush_hits,
   .frames_fork = vt_share_frames_fork,
   .frame_shared = vt_share_frame_shared,
   .frame_release = vt_share_frame_release,
   .file_map = vt_share_file_map,
   .shmem_new_gid = vt_share_shmem_new_gid,
   .shmem_created = vt_share_shmem_created,
   .shmem_exists = vt_share_shmem_exists,
};

/* ---- options ---------------------------------------------------------- */

/* Digits with an optional k/K, M or G suffix, in powers of `base`; for
   byte sizes (base 1024) also "KiB" and a trailing "B". */
static Bool parse_number(const HChar *s, ULong base, ULong *out)
{
   ULong v = 0;
   if (*s < '0' || *s > '9')
      return False;
   for (; *s >= '0' && *s <= '9'; s++) {
      if (v > (~0ULL - 9) / 10)
         return False;
      v = v * 10 + (ULong)(*s - '0');
   }
   ULong mult = 1;
   switch (*s) {
   case 'k': case 'K': mult = base; s++; break;
   case 'M': mult = base * base; s++; break;
   case 'G': mult = base * base * base; s++; break;
   case 'm': case 'g':
      if (base == 1024) {
         mult = *s == 'm' ? base * base : base * base * base;
         s++;
      }
      break;
   default: break;
   }
   if (base == 1024) {
      if (*s == 'i' && mult > 1)
         s++;                              /* KiB, MiB, GiB */
      if ((*s == 'B' || *s == 'b') && s[1] == 0)
         s++;
   }
   if (*s || (v && mult > ~0ULL / v))
      return False;
   *out = v * mult;
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
   while (*p) {
      SizeT len = 0;
      while (p[len] && p[len] != ',')
         len++;
      if (len == 0 || len >= 32 || n == max)
         VG_(fmsg_bad_option)(arg, "give 1 to %u comma-separated values, e.g. %s\n",
                              max, example);
      VG_(memcpy)(items[n], p, len);
      items[n++][len] = 0;
      p += len;
      if (*p == ',')
         p++;
   }
   if (n == 0)
      VG_(fmsg_bad_option)(arg, "needs at least one value, e.g. %s\n", example);
   return n;
}

/* --ws-tau=100k,1M,10M: working-set windows in instructions. */
static void parse_taus(const HChar *arg, const HChar *list)
{
   HChar items[MAX_ITEMS][32];
   UInt n = split_list(arg, list, items, VT_MAX_TAUS, "100k,1M,10M");
   for (UInt i = 0; i < n; i++)
      if (!parse_count(items[i], &vt_clo.tau[i]) || vt_clo.tau[i] == 0)
         VG_(fmsg_bad_option)(arg, "'%s' is not a window in instructions "
                              "(e.g. 100k, 1M)\n", items[i]);
   vt_clo.nr_tau = n;
}

/* --ram=256M,1G: page counts of the simulations' RAM sizes. */
static void parse_sizes(const HChar *arg, const HChar *list, ULong *out,
                        UInt *n_out)
{
   HChar items[MAX_ITEMS][32];
   UInt n = split_list(arg, list, items, VT_MAX_SIMS_PER_LIST, "256M,1G");
   for (UInt i = 0; i < n; i++) {
      ULong b = 0;
      if (!parse_size(items[i], &b) || b < 4096)
         VG_(fmsg_bad_option)(arg, "'%s' is not a size of at least 4K (K, M, G "
                              "suffixes are powers of 1024)\n", items[i]);
      out[i] = b >> VT_PAGE_SHIFT;
   }
   *n_out = n;
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
   n = split_list(arg, list, items, VT_MAX_SIMS_PER_LIST, "lru,clock,linux");
   for (UInt i = 0; i < n; i++) {
      const struct vt_policy_ops *ops = vt_policy_find(items[i]);
      if (!ops)
         VG_(fmsg_bad_option)(arg, "unknown policy '%s' (fifo, lru, lfu, random, "
                              "clock, nru, aging, wsclock, linux, arc, or all)\n",
                              items[i]);
      if (ops->needs & VT_POL_FUTURE)
         VG_(fmsg_bad_option)(arg, "policy '%s' needs the future: it runs only "
                              "in offline replay of a recorded trace\n", items[i]);
      vt_clo.policies[i] = ops;
   }
   vt_clo.nr_pol = n;
}

static Bool parse_yesno(const HChar *arg, const HChar *opt, Bool *out)
{
   SizeT n = VG_(strlen)(opt);
   if (VG_(strncmp)(arg, opt, n) != 0 || arg[n] != '=')
      return False;
   const HChar *v = arg + n + 1;
   if (!VG_(strcmp)(v, "yes"))
      *out = True;
   else if (!VG_(strcmp)(v, "no"))
      *out = False;
   else
      VG_(fmsg_bad_option)(arg, "%s takes 'yes' or 'no', not '%s'\n", opt, v);
   return True;
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
         return True;
      }
   return False;
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

static Bool vt_process_cmd_line_option(const HChar *arg)
{
   if (policy_param_option(arg))
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
   } else if (VG_STR_CLO(arg, "--cg-out-file", vt_clo.cg_out_file)) {
      if (!vt_clo.cg_out_file[0])
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
   } else if (VG_STR_CLO(arg, "--ws-tau", size_arg)) {
      parse_taus(arg, size_arg);
   } else if (VG_STR_CLO(arg, "--ram", size_arg)) {
      parse_sizes(arg, size_arg, vt_clo.ram_pages, &vt_clo.nr_ram);
   } else if (VG_STR_CLO(arg, "--swap", size_arg)) {
      ULong b = 0;
      if (!VG_(strcmp)(size_arg, "unlimited"))
         b = 0;
      else if (!parse_size(size_arg, &b) || b < 4096)
         VG_(fmsg_bad_option)(arg, "--swap takes a size of at least 4K (K, M, G "
                              "suffixes) or 'unlimited'\n");
      vt_clo.swap_pages = b >> VT_PAGE_SHIFT;
   } else if (VG_STR_CLO(arg, "--policy", size_arg)) {
      parse_policies(arg, size_arg);
   } else if (VG_STR_CLO(arg, "--oom", size_arg)) {
      if (!VG_(strcmp)(size_arg, "stop"))
         vt_clo.oom_stop = True;
      else if (!VG_(strcmp)(size_arg, "continue"))
         vt_clo.oom_stop = False;
      else
         VG_(fmsg_bad_option)(arg, "--oom takes 'stop' or 'continue'\n");
   } else if (VG_STR_CLO(arg, "--page-cache", size_arg)) {
      if (!VG_(strcmp)(size_arg, "warm"))
         vt_clo.cold_cache = False;
      else if (!VG_(strcmp)(size_arg, "cold"))
         vt_clo.cold_cache = True;
      else
         VG_(fmsg_bad_option)(arg, "--page-cache takes 'warm' or 'cold'\n");
   } else if (VG_STR_CLO(arg, "--readahead", size_arg)) {
      ULong v = 0;
      if (!parse_count(size_arg, &v) || v > 65536)
         VG_(fmsg_bad_option)(arg, "--readahead takes a number of pages from 0 to 65536\n");
      vt_clo.readahead_pages = (UInt)v;
   } else if (parse_yesno(arg, "--timeline", &vt_clo.timeline)) {
   } else if (parse_yesno(arg, "--zero-page", &vt_clo.zero_page)) {
   } else if (parse_yesno(arg, "--fast-path", &vt_clo.fast_path)) {
   } else if (parse_yesno(arg, "--collect-atstart", &vt_clo.collect_atstart)) {
   } else {
      return False;
   }
   return True;
}

static void vt_print_usage(void)
{
   VG_(printf)(
"    --vmtrace-out-file=<file>   output file name [vmtrace.out.%%p]\n"
"    --fault-around=<bytes>      file read faults map this much around the\n"
"                                faulting page, as Linux does; 0 = off [64K]\n"
"    --zero-page=yes|no          reads of untouched anonymous memory map the\n"
"                                shared zero page [yes]\n"
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
"    --cg-out-file=<file>        also write faults per source line in\n"
"                                Cachegrind's format (cg_annotate) [none]\n"
"  simulated memory (every --policy runs with every --ram size):\n"
"    --ram=<size>[,<size>...]    RAM sizes to simulate (K/M/G) [unlimited]\n"
"    --swap=<size>|unlimited     swap space [unlimited]\n"
"    --policy=<name>[,...]|all   fifo lru lfu random clock nru aging\n"
"                                wsclock linux arc [linux]\n"
"    --oom=stop|continue         a simulation out of memory stops [stop]\n"
"    --page-cache=warm|cold      file pages start in the page cache, or must\n"
"                                be read (major faults) [warm]\n"
"    --readahead=<pages>         read-around on a major fault [32]\n");
   VG_(printf)("  parameters of the policies:\n");
   print_policy_params_usage();
}

static void vt_print_debug_usage(void)
{
   VG_(printf)("    (none)\n");
}

/* ---- client requests -------------------------------------------------- */

/* Copies a NUL-terminated client string, or returns NULL if it is not
   readable client memory. */
static HChar *client_string(Addr a)
{
   HChar buf[256];
   SizeT n = 0;
   for (; n + 1 < sizeof buf; n++) {
      if (!VG_(am_is_valid_for_client)(a + n, 1, VKI_PROT_READ))
         return NULL;
      buf[n] = *(const HChar *)(a + n);
      if (!buf[n])
         break;
   }
   buf[n] = 0;
   return VG_(strdup)("vt.name", buf);
}

static Bool vt_handle_client_request(ThreadId tid, UWord *args, UWord *ret)
{
   (void)tid;
   if (!VG_IS_TOOL_USERREQ('V', 'T', args[0]))
      return False;
   *ret = 0;
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   switch (args[0]) {
   case VMTRACE_USERREQ__LABEL: {
      HChar *name = client_string(args[3]);
      if (!name) {
         VG_(umsg)("VMTRACE_LABEL: the name is not a readable string; ignored\n");
         return True;
      }
      vt_label(&vt_mm, args[1], args[2], name);
      VG_(free)(name);
      break;
   }
   case VMTRACE_USERREQ__UNLABEL:
      vt_unlabel(&vt_mm, args[1], args[2]);
      break;
   case VMTRACE_USERREQ__PHASE: {
      HChar *name = client_string(args[1]);
      if (!name) {
         VG_(umsg)("VMTRACE_PHASE: the name is not a readable string; ignored\n");
         return True;
      }
      vt_set_phase(&vt_mm, name);
      VG_(free)(name);
      break;
   }
   case VMTRACE_USERREQ__START_COLLECTION:
      vt_set_collecting(&vt_mm, True);
      break;
   case VMTRACE_USERREQ__STOP_COLLECTION:
      vt_set_collecting(&vt_mm, False);
      break;
   case VMTRACE_USERREQ__RUNNING:
      *ret = 1;
      break;
   default:
      VG_(umsg)("warning: unknown vmtrace client request %#lx\n", args[0]);
      return False;
   }
   return True;
}

/* ---- memory the kernel touches for the client -------------------------- */

static void vt_pre_mem_read(CorePart part, ThreadId tid, const HChar *s,
                            Addr a, SizeT len)
{
   (void)s;
   /* Inside a system call the kernel reads only what it transfers (and
      /dev/null reads nothing): noted now, charged after the call. */
   if (part == Vg_CoreSysCall && vt_syscall_defer_read(tid, a, len))
      return;
   vt_access_range(a, len, VT_ACC_READ);
}

static void vt_pre_mem_read_asciiz(CorePart part, ThreadId tid, const HChar *s,
                                   Addr a)
{
   (void)part; (void)tid; (void)s;
   /* The kernel reads up to the NUL, page by page. */
   for (Addr p = a;; p = (p & VT_PAGE_MASK) + VT_PAGE_SIZE) {
      Addr pend = (p & VT_PAGE_MASK) + VT_PAGE_SIZE;
      vt_access_range(p, 1, VT_ACC_READ);
      if (!VG_(am_is_valid_for_client)(p, 1, VKI_PROT_READ))
         return;
      for (Addr q = p; q < pend; q++)
         if (*(const HChar *)q == 0)
            return;
   }
}

static void vt_post_mem_write(CorePart part, ThreadId tid, Addr a, SizeT len)
{
   (void)part; (void)tid;
   vt_access_range(a, len, VT_ACC_WRITE);
}

static void vt_pre_deliver_signal(ThreadId tid, Int sigNo, Bool alt_stack)
{
   (void)tid; (void)alt_stack;
   if (sigNo == vt_fatal_signal)
      vt_fatal_signal = 0;           /* the client handles it */
}

/* ---- start and end ---------------------------------------------------- */

static void vt_post_clo_init(void)
{
   if (vt_clo.nr_pol && !vt_clo.nr_ram) {
      VG_(fmsg)("Bad option: --policy needs --ram: with unlimited memory no "
                "page is ever replaced\n");
      VG_(exit)(1);
   }
   if (vt_clo.nr_ram && !vt_clo.nr_pol) {
      vt_clo.policies[0] = &vt_policy_linux;
      vt_clo.nr_pol = 1;
   }
   struct vt_config cfg = {
      .fault_around_pages = (unsigned)(vt_clo.fault_around_bytes >> VT_PAGE_SHIFT),
      .notes_hits = vt_clo.fast_path,
      .zero_page = vt_clo.zero_page,
      .cold_cache = vt_clo.cold_cache,
      .readahead_pages = vt_clo.readahead_pages,
   };
   vt_core_init(&host_ops, NULL);
   vt_mm_init(&vt_mm, &cfg);
   vt_set_collecting(&vt_mm, vt_clo.collect_atstart);
   vt_tlb_flush();
   vt_memsim_init();
   vt_hits_init();
   if (vt_clo.timeline) {
      struct vt_wset_config wc = {
         .interval = 1ULL << 14,
         .max_samples = 4096,
         .nr_tau = vt_clo.nr_tau,
         .max_heat_rows = vt_clo.heatmap_rows,
      };
      for (UInt i = 0; i < vt_clo.nr_tau; i++)
         wc.tau[i] = vt_clo.tau[i];
      vt_wset_init(&vt_mm, &wc);
      vt_sample_init();
   }
   vt_start_time_ms = vt_wall_ms();
}

ULong vt_wall_ms(void)
{
   struct vki_timeval tv;
   if (VG_(gettimeofday)(&tv, NULL) != 0)
      return 0;
   return (ULong)tv.tv_sec * 1000 + (ULong)tv.tv_usec / 1000;
}

/* The process ends (exitcode) or its image is replaced (vt_exec_pending):
   figures out, shared frames let go. */
void vt_finish(Int exitcode)
{
   vt_sample_final();
   vt_share_refresh();
   if (VG_(clo_verbosity) > 0)
      vt_print_summary(exitcode);
   vt_write_output(exitcode);
   vt_share_exit();
}

static void vt_fini(Int exitcode)
{
   (void)exitcode;             /* always 0 from Valgrind */
   vt_finish(vt_exit_code);
}

static void vt_pre_clo_init(void)
{
   VG_(details_name)("vmtrace");
   VG_(details_version)(VT_VERSION);
   VG_(details_description)("a page-table and page-fault simulator");
   VG_(details_copyright_author)("Copyright (C) 2026, the vmtrace developers; GPL-2.0-or-later.");
   VG_(details_bug_reports_to)("the vmtrace issue tracker");
   VG_(details_avg_translation_sizeB)(400);

   VG_(basic_tool_funcs)(vt_post_clo_init, vt_instrument, vt_fini);
   VG_(needs_command_line_options)(vt_process_cmd_line_option, vt_print_usage,
                                   vt_print_debug_usage);
   VG_(needs_client_requests)(vt_handle_client_request);
   VG_(needs_syscall_wrapper)(vt_pre_syscall, vt_post_syscall);

   VG_(track_new_mem_startup)(vt_new_mem_startup);
   VG_(track_new_mem_brk)(vt_new_mem_brk);
   VG_(track_die_mem_brk)(vt_die_mem_brk);
   VG_(track_pre_mem_read)(vt_pre_mem_read);
   VG_(track_pre_mem_read_asciiz)(vt_pre_mem_read_asciiz);
   VG_(track_post_mem_write)(vt_post_mem_write);
   VG_(track_pre_thread_first_insn)(vt_pre_thread_first_insn);
   VG_(track_pre_deliver_signal)(vt_pre_deliver_signal);
   VG_(atfork)(NULL, NULL, vt_fork_child_hook);
}

VG_DETERMINE_INTERFACE_VERSION(vt_pre_clo_init)
