/* vt_main.c: vmtrace's registration with Valgrind, client
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
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_tooliface.h"
#include "valgrind.h"
#include "vmtrace.h"
#include "vt_tool.h"

struct vt_mm vt_mm;

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
   vt_filter_deliver(&vt_flt);      /* the references the filter absorbed */
}

static const struct vt_host_ops host_ops = {
   .alloc = host_alloc,
   .free = host_free,
   .panic = host_panic,
   .invalidate = vt_tlb_invalidate,
   .fault = vt_on_fault,
   .oom = vt_memsim_oom,
   .sim_fault = vt_sites_sim_fault,
   .flush_hits = host_flush_hits,
   .frames_fork = vt_share_frames_fork,
   .frame_shared = vt_share_frame_shared,
   .frame_release = vt_share_frame_release,
   .file_map = vt_share_file_map,
   .shmem_new_gid = vt_share_shmem_new_gid,
   .shmem_created = vt_share_shmem_created,
   .shmem_exists = vt_share_shmem_exists,
   .shmem_removed = vt_share_shmem_removed,
   .file_resized = vt_share_file_resized,
   .file_punched = vt_share_file_punched,
   .tlb_miss = vt_tlb_on_miss,
};

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
      if (args[1] + args[2] < args[1]) {
         VG_(umsg)("VMTRACE_LABEL: the range %#lx + %lu wraps around the address "
                   "space; ignored\n", args[1], args[2]);
         return True;
      }
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
      if (args[1] + args[2] < args[1]) {
         VG_(umsg)("VMTRACE_UNLABEL: the range %#lx + %lu wraps around the address "
                   "space; ignored\n", args[1], args[2]);
         return True;
      }
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
      vt_collect_set(True);
      break;
   case VMTRACE_USERREQ__STOP_COLLECTION:
      vt_collect_set(False);
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
   /* Valgrind's translator reads the first byte of each superblock it
      translates (again after a discarded translation): the instruction
      fetch the client makes there next, not a load (it made the text page
      a data page of the working set).  A jump to a bad address is an
      invalid exec access. */
   if (part == Vg_CoreTranslate) {
      vt_access_range(a, len, VT_ACC_EXEC);
      return;
   }
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
   vt_share_shootdown();             /* a signal another process sent */
   vt_signal_delivered(sigNo);       /* the client handles it */
}

/* ---- start and end ---------------------------------------------------- */

/* An output file that could not be written is refused before the client
   runs: the name must expand (%p, %q{VAR}), must not be a directory, and a
   file must be creatable in its directory (probed with a temporary file,
   removed at once).  The temporary files a killed run left for it go
   (vt_out_sweep). */
static void check_output_path(const HChar *option, const HChar *template)
{
   HChar *name = VG_(expand_file_name)(option, template);
   Bool in_place;
   HChar *target = vt_out_target(name, &in_place);
   struct vg_stat st;
   if (in_place && !sr_isError(VG_(stat)(target, &st)) && VKI_S_ISDIR(st.mode)) {
      VG_(fmsg)("Bad option: %s=%s: cannot write '%s' (is a directory)\n", option,
                template, name);
      VG_(exit)(1);
   }
   if (in_place) {                   /* /dev/null, a FIFO: written as it is */
      VG_(free)(target);
      VG_(free)(name);
      return;
   }
   vt_out_sweep(target, template);   /* what a killed run left */
   SizeT n = VG_(strlen)(target) + 48;
   HChar *probe = VG_(malloc)("vt.probe", n);
   VG_(snprintf)(probe, n, "%s.probe.%d", target, VG_(getpid)());
   SysRes sr = VG_(open)(probe, VKI_O_CREAT | VKI_O_EXCL | VKI_O_WRONLY, 0600);
   if (sr_isError(sr)) {
      VG_(fmsg)("Bad option: %s=%s: cannot create '%s' (%s)\n", option, template, name,
                vt_errno_text(sr_Err(sr)));
      VG_(exit)(1);
   }
   VG_(close)((Int)sr_Res(sr));
   VG_(unlink)(probe);
   VG_(free)(probe);
   VG_(free)(target);
   VG_(free)(name);
}

/* Two outputs that name one file would write one file: the trace, which
   streams during the run to NAME.tmp.PID, lost its bytes when the output
   file was written under the same temporary name at exit ("writing the
   trace file ... failed ... no file left", exit status 0), and the
   Cachegrind-format file replaced the vmtrace.out file without a word
   (until 2026-12-06).  So they are refused before the client runs.  Names
   are the same file when their folders are (by device and inode: "x",
   "./x" and "/cwd/x" alike) and their last components are; names written
   in place (/dev/null, /dev/stdout) may be shared. */
static void check_distinct_outputs(void)
{
   const HChar *opt[4] = { "--vmtrace-out-file", "--trace-out-file", "--cg-out-file",
                           "--callgrind-out-file" };
   const HChar *tpl[4] = { vt_clo.out_file, vt_clo.trace_out_file, vt_clo.cg_out_file,
                           vt_clo.callgrind_out_file };
   HChar *name[4] = { NULL }, *target[4] = { NULL };
   ULong dev[4] = { 0 }, ino[4] = { 0 };
   for (Int i = 0; i < 4; i++) {
      if (!tpl[i])
         continue;
      Bool in_place;
      name[i] = VG_(expand_file_name)(opt[i], tpl[i]);
      target[i] = vt_out_target(name[i], &in_place);
      HChar *slash = VG_(strrchr)(target[i], '/');
      struct vg_stat st;
      if (slash)
         *slash = 0;
      Bool dir_ok = !sr_isError(VG_(stat)(slash ? (target[i][0] ? target[i] : "/") : ".",
                                          &st));
      if (slash)
         *slash = '/';
      if (in_place || !dir_ok) {
         VG_(free)(target[i]);
         target[i] = NULL;
         continue;
      }
      dev[i] = st.dev;
      ino[i] = st.ino;
      for (Int j = 0; j < i; j++) {
         if (!target[j] || dev[j] != dev[i] || ino[j] != ino[i])
            continue;
         const HChar *bi = VG_(strrchr)(target[i], '/'), *bj = VG_(strrchr)(target[j], '/');
         if (VG_(strcmp)(bi ? bi + 1 : target[i], bj ? bj + 1 : target[j]))
            continue;
         VG_(fmsg)("Bad option: %s=%s names the file of %s=%s ('%s'): give each "
                   "output its own\n", opt[i], tpl[i], opt[j], tpl[j], name[i]);
         VG_(exit)(1);
      }
   }
   for (Int i = 0; i < 4; i++) {
      VG_(free)(name[i]);
      VG_(free)(target[i]);
   }
}

/* The first word of a sysfs file of transparent_hugepage, the bracketed
   one if it lists choices ("always [madvise] never"); "" if unreadable. */
static void read_thp_knob(const HChar *name, HChar *word, SizeT size)
{
   HChar path[96], buf[128];
   VG_(snprintf)(path, sizeof path, "/sys/kernel/mm/transparent_hugepage/%s", name);
   word[0] = 0;
   SysRes sr = VG_(open)(path, VKI_O_RDONLY, 0);
   if (sr_isError(sr))
      return;
   Int n = VG_(read)((Int)sr_Res(sr), buf, sizeof buf - 1);
   VG_(close)((Int)sr_Res(sr));
   if (n <= 0)
      return;
   buf[n] = 0;
   const HChar *s = VG_(strchr)(buf, '[');
   s = s ? s + 1 : buf;
   SizeT i = 0;
   while (s[i] && s[i] != ']' && s[i] != ' ' && s[i] != '\n' && i + 1 < size) {
      word[i] = s[i];
      i++;
   }
   word[i] = 0;
}

/* --thp and --thp-zero-page not given: as the kernel would behave here. */
static void thp_defaults(void)
{
   HChar w[32];
   if (vt_clo.thp < 0) {
      read_thp_knob("enabled", w, sizeof w);
      vt_clo.thp = !VG_(strcmp)(w, "always") ? VT_THP_ALWAYS
                 : !VG_(strcmp)(w, "madvise") ? VT_THP_MADVISE : VT_THP_NEVER;
   }
   for (UInt o = 2; o <= VT_PMD_ORDER; o++) {
      if (vt_clo.thp_size[o] >= 0)
         continue;
      HChar knob[48];
      VG_(snprintf)(knob, sizeof knob, "hugepages-%llukB/enabled",
                    (ULong)(VT_PAGE_SIZE << o) >> 10);
      read_thp_knob(knob, w, sizeof w);
      vt_clo.thp_size[o] = VT_THP_SIZE_NEVER;
      for (Int k = 0; k < 4; k++)
         if (!VG_(strcmp)(w, vt_thp_size_modes[k]))
            vt_clo.thp_size[o] = k;
      /* a kernel without mTHP has no such files: the PMD size inherits */
      if (!w[0] && o == VT_PMD_ORDER)
         vt_clo.thp_size[o] = VT_THP_SIZE_INHERIT;
   }
   if (vt_clo.thp_zero_page < 0) {
      read_thp_knob("use_zero_page", w, sizeof w);
      vt_clo.thp_zero_page = !VG_(strcmp)(w, "1");
   }
}

/* prctl(PR_SET_THP_DISABLE) is inherited across fork and kept across
   execve (MMF_DISABLE_THP is in MMF_INIT_MASK): a process started with it
   set, by its parent or by itself before an exec, has no huge pages.  The
   kernel shows it as "THP_enabled: 0" in /proc/self/status. */
static Bool thp_disabled_at_start(void)
{
   HChar buf[4096];
   SysRes sr = VG_(open)("/proc/self/status", VKI_O_RDONLY, 0);
   if (sr_isError(sr))
      return False;
   Int n = VG_(read)((Int)sr_Res(sr), buf, sizeof buf - 1);
   VG_(close)((Int)sr_Res(sr));
   if (n <= 0)
      return False;
   buf[n] = 0;
   const HChar *s = VG_(strstr)(buf, "\nTHP_enabled:");
   if (!s)
      return False;
   s += 14;
   while (*s == ' ' || *s == '\t')
      s++;
   return *s == '0';
}

static uint16_t thp_orders(Int mode)
{
   uint16_t m = 0;
   for (UInt o = 2; o <= VT_PMD_ORDER; o++)
      if (vt_clo.thp_size[o] == mode)
         m |= (uint16_t)(1u << o);
   return m;
}

static void vt_post_clo_init(void)
{
   thp_defaults();
   check_output_path("--vmtrace-out-file", vt_clo.out_file);
   if (vt_clo.cg_out_file)
      check_output_path("--cg-out-file", vt_clo.cg_out_file);
   if (vt_clo.callgrind_out_file)
      check_output_path("--callgrind-out-file", vt_clo.callgrind_out_file);
   if (vt_clo.trace_out_file)
      check_output_path("--trace-out-file", vt_clo.trace_out_file);
   check_distinct_outputs();
   if (vt_clo.nr_pol && !vt_clo.nr_ram) {
      VG_(fmsg)("Bad option: --policy needs --ram: with unlimited memory no "
                "page is ever replaced\n");
      VG_(exit)(1);
   }
   if (vt_clo.swap_given && !vt_clo.nr_ram) {
      VG_(fmsg)("Bad option: --swap needs --ram: with unlimited memory nothing "
                "is ever swapped\n");
      VG_(exit)(1);
   }
   /* Both files place each fault by its stack: without frames they said
      the run took no fault at all ("summary: 0 0 0 0", until 2026-12-06). */
   if (vt_clo.fault_stack_depth == 0 && (vt_clo.cg_out_file || vt_clo.callgrind_out_file)) {
      VG_(fmsg)("Bad option: %s needs fault stacks: with --fault-stack-depth=0 no fault "
                "has a source line\n", vt_clo.cg_out_file ? "--cg-out-file" :
                "--callgrind-out-file");
      VG_(exit)(1);
   }
   /* Options of what is not simulated were ignored until 2026-12-06, as
      --policy and --swap are not. */
   if (vt_clo.sim_option && !vt_clo.nr_ram) {
      VG_(fmsg)("Bad option: %s needs --ram: with unlimited memory nothing is "
                "ever evicted\n", vt_clo.sim_option);
      VG_(exit)(1);
   }
   if (vt_tlb_geometry_option() && !vt_clo.tlb) {
      VG_(fmsg)("Bad option: %s needs --tlb=yes: without it no TLB is simulated\n",
                vt_tlb_geometry_option());
      VG_(exit)(1);
   }
   /* Readahead reads file pages into the cold page cache, and into the
      warm one the pages the run adds to a file (since 2026-12-07; taken
      and unused until 2026-12-06, refused under the warm cache until
      2026-12-07). */
   /* Both accepted and unused until 2026-12-06: the working set and the
      heatmap are the timeline's. */
   if (vt_clo.timeline_option && !vt_clo.timeline) {
      VG_(fmsg)("Bad option: %s needs --timeline=yes: without the timeline no working "
                "set or heatmap is kept\n", vt_clo.timeline_option);
      VG_(exit)(1);
   }
   /* A second address space under the run's own --thp only repeats the
      run's figures (accepted until 2026-12-06).  Against the machine's
      setting it is taken: the same command is a comparison elsewhere. */
   if (vt_clo.thp_cmp >= 0 && vt_clo.thp_given && vt_clo.thp_cmp == vt_clo.thp) {
      Bool same = True;
      for (UInt o = 2; o <= VT_PMD_ORDER; o++)
         same &= vt_clo.thp_cmp_size[o] < 0 || vt_clo.thp_cmp_size[o] == vt_clo.thp_size[o];
      if (same) {
         VG_(fmsg)("Bad option: %s is the run's own THP setting (--thp=%s, the same "
                   "sizes): both address spaces would be the same\n", vt_clo.thp_cmp_arg,
                   vt_clo.thp == VT_THP_ALWAYS ? "always"
                   : vt_clo.thp == VT_THP_MADVISE ? "madvise" : "never");
         VG_(exit)(1);
      }
   }
   if (vt_clo.thp_cmp >= 0 && vt_clo.tlb) {
      VG_(fmsg)("Bad option: --thp-compare cannot be combined with --tlb=yes: the TLB "
                "is modelled for one address space only\n");
      VG_(exit)(1);
   }
   if (vt_clo.nr_ram && !vt_clo.nr_pol) {
      vt_clo.policies[0] = &vt_policy_linux;
      vt_clo.nr_pol = 1;
   }
   vt_options_check_policy_params();
   vt_options_warn();
   vt_share_inherit();        /* an exec'd image: the run's log, if passed on */
   struct vt_config cfg = {
      .fault_around_pages = (unsigned)(vt_clo.fault_around_bytes >> VT_PAGE_SHIFT),
      .notes_hits = vt_clo.fast_path,
      .zero_page = vt_clo.zero_page,
      .thp = (unsigned)vt_clo.thp,
      .thp_zero_page = vt_clo.thp_zero_page == 1,
      .thp_disabled = thp_disabled_at_start(),
      .thp_orders_always = thp_orders(VT_THP_SIZE_ALWAYS),
      .thp_orders_madvise = thp_orders(VT_THP_SIZE_MADVISE),
      .thp_orders_inherit = thp_orders(VT_THP_SIZE_INHERIT),
      .thp_orders_given = true,
      .cold_cache = vt_clo.cold_cache,
      .readahead_pages = vt_clo.readahead_pages,
   };
   vt_core_init(&host_ops, NULL);
   vt_mm_init(&vt_mm, &cfg);
   vt_filter_init(&vt_flt, &vt_mm, vt_clo.fast_path);
   vt_set_collecting(&vt_mm, vt_clo.collect_atstart);   /* (empties the filter) */
   vt_cmp_init(&cfg);
   vt_collect_init();
   vt_tlb_init();
   vt_pcache_init();
   vt_memsim_init();
   vt_filter_start(&vt_flt);
   if (vt_clo.timeline) {
      struct vt_wset_config wc = {
         .interval = VT_SAMPLE_INTERVAL,
         .max_samples = 4096,
         .epoch = vt_wset_granularity(vt_clo.tau, vt_clo.nr_tau, VT_SAMPLE_INTERVAL),
         .nr_tau = vt_clo.nr_tau,
         .max_heat_rows = vt_clo.heatmap_rows,
         .max_heat_cols = 2048,
      };
      for (UInt i = 0; i < vt_clo.nr_tau; i++)
         wc.tau[i] = vt_clo.tau[i];
      vt_wset_init(&vt_mm, &wc);
   }
   vt_start_time_ms = vt_wall_ms();
   vt_ppid = VG_(getppid)();
   vt_rec_start();
   vt_instrument_init();
   vt_progress_init();
   /* The first sample, the simulations' first periodic tick (NRU, AGING,
      WSClock), which --timeline=no needs as much: without it the filter
      absorbed references a tick should have made visible, and the
      progress line's first look at the clock. */
   vt_sample_init();
}

ULong vt_wall_ms(void)
{
   struct vki_timeval tv;
   if (VG_(gettimeofday)(&tv, NULL) != 0)
      return 0;
   return (ULong)tv.tv_sec * 1000 + (ULong)tv.tv_usec / 1000;
}

/* A client may lower its own RLIMIT_FSIZE, which binds the tool's writes
   too (the log, when it is a file, and the output files: a write beyond
   the limit fails with EFBIG).  If it lowered only the soft limit, the
   tool raises it to the hard one while it writes and puts it back after
   (an exec'd image gets the client's limit); if the hard limit is low too,
   the output file's write fails and is reported (vt_out_close). */
#define VT_RLIMIT_FSIZE 1          /* RLIMIT_FSIZE, which vki does not name */

static Bool fsize_lift(struct vki_rlimit *saved)
{
   if (VG_(getrlimit)(VT_RLIMIT_FSIZE, saved) != 0 || saved->rlim_cur >= saved->rlim_max)
      return False;
   struct vki_rlimit up = { saved->rlim_max, saved->rlim_max };
   return VG_(setrlimit)(VT_RLIMIT_FSIZE, &up) == 0;
}

/* The process ends (exitcode) or its image is replaced (vt_exec_pending):
   figures out, shared frames let go. */
void vt_finish(Int exitcode)
{
   vt_vfork_release();         /* a vfork parent waits for this */
   vt_progress_clear();
   struct vki_rlimit fsize;
   Bool lifted = fsize_lift(&fsize);
   vt_sample_final();
   vt_share_refresh();
   struct vt_written w;
   vt_write_output(exitcode, &w);       /* first: the summary says where it went */
   if (VG_(clo_verbosity) > 0)
      vt_print_summary(exitcode, &w);
   vt_written_free(&w);
   vt_share_exit();
   vt_rec_end();
   if (lifted)
      VG_(setrlimit)(VT_RLIMIT_FSIZE, &fsize);
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
   /* Superblocks end at every jump (--vex-guest-chase=no by default, as
      Callgrind has it): chasing into a call or a jump copies the code
      behind it into every superblock that reaches it, and each copy is
      translated with its checks; without, Python's and sqlite3's runs
      translate less (docs/manual.md, Speed).  --vex-guest-chase=yes
      still overrides it. */
   VG_(clo_vex_control).guest_chase = False;

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
   VG_(track_pre_thread_ll_create)(vt_thread_created);
   VG_(track_pre_thread_ll_exit)(vt_thread_exited);
   VG_(track_pre_deliver_signal)(vt_pre_deliver_signal);
   VG_(atfork)(NULL, NULL, vt_fork_child_hook);
}

VG_DETERMINE_INTERFACE_VERSION(vt_pre_clo_init)
