/* vt_tool.h: what the Valgrind tool's files share.
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VT_TOOL_H
#define VT_TOOL_H

#include "pub_tool_basics.h"
#include "pub_tool_tooliface.h"
#include "pub_tool_debuginfo.h"
#include "vt_core.h"

#include "vt_version.h"
#ifndef VT_VALGRIND_VERSION
#define VT_VALGRIND_VERSION "unknown"
#endif

/* The filter in front of the simulator (the core's struct vt_filter):
   its tables are checked inline by the generated code (vt_instrument.c);
   instruction fetches have their own table, so the working set sees code
   and data references apart. */
extern struct vt_filter vt_flt;

#include "vt_sim.h"
struct vt_out;
#define VT_MAX_SIMS_PER_LIST 16
struct vt_options {
   /* simulated memory */
   UInt         nr_ram, nr_pol;
   ULong        ram_pages[VT_MAX_SIMS_PER_LIST];
   const HChar *ram_text[VT_MAX_SIMS_PER_LIST];   /* as the user wrote them */
   ULong        swap_pages;          /* 0: unlimited, unless no_swap */
   Bool         no_swap;             /* --swap=0 */
   const HChar *swap_text;           /* as written, or "unlimited" */
   Bool         swap_given;
   const HChar *sim_option;      /* the first --oom or policy parameter given */
   const struct vt_policy_ops *policies[VT_MAX_SIMS_PER_LIST];
   Bool         policy_given;        /* --policy (else linux, the default) */
   Bool         oom_stop;
   const HChar *out_file;
   const HChar *cg_out_file;        /* NULL: none */
   const HChar *callgrind_out_file; /* NULL: none */
   const HChar *trace_out_file;     /* NULL: none */
   UInt         fault_stack_depth;
   Bool         timeline;
   UInt         heatmap_rows;
   UInt         nr_tau;
   ULong        tau[VT_MAX_TAUS];
   ULong        fault_around_bytes;
   Bool         zero_page;
   Int          thp;                /* VT_THP_*; -1: the machine's setting */
   Int          thp_zero_page;      /* 0, 1; -1: the machine's setting */
   /* per folio order 2..9 (16 KiB .. 2 MiB): VT_THP_SIZE_*, -1: the
      machine's hugepages-<size>kB/enabled */
   Int          thp_size[VT_PMD_ORDER + 1];
   /* --thp-compare: VT_THP_* of the second address space, -1: none; its
      sizes VT_THP_SIZE_*, -1: as the first's */
   Int          thp_cmp;
   Int          thp_cmp_size[VT_PMD_ORDER + 1];
   const HChar *thp_cmp_arg;         /* the --thp-compare given */
   Bool         thp_given;           /* --thp (else the machine's setting) */
   const HChar *timeline_option;     /* the first --ws-tau, --heatmap-rows=N>0 */
   Bool         cold_cache;
   Bool         machine_cache;    /* --page-cache=machine (cold_cache too) */
   UInt         readahead_pages;
   const HChar *readahead_arg;       /* --readahead as given */
   Bool         fast_path;
   Bool         tlb;                 /* --tlb: the TLB model (vt_tlb.c) */
   Bool         collect_atstart;
   UInt         progress_ms;         /* 0: none; VT_PROGRESS_AUTO */
   Int          verbose;
};
#define VT_PROGRESS_AUTO (~0u)    /* every 2 s if the log is a terminal */
extern struct vt_options vt_clo;
enum { VT_THP_SIZE_NEVER, VT_THP_SIZE_MADVISE, VT_THP_SIZE_ALWAYS, VT_THP_SIZE_INHERIT };
extern const HChar *const vt_thp_size_modes[4];
/* vt_options.c */
Bool vt_process_cmd_line_option(const HChar *arg);
void vt_print_usage(void);
void vt_print_debug_usage(void);
/* What option parsing had to say (a duplicate dropped): printed once the
   log is set up. */
void vt_options_warn(void);
void vt_options_check_policy_params(void);
/* The parameters of a policy: its declared defaults, as options set them. */
const struct vt_policy_params *vt_policy_params_of(const struct vt_policy_ops *ops);

extern struct vt_mm vt_mm;
/* The clock: guest instructions executed and memory references made.
   The generated code adds each superblock's counts at every exit.  Where
   a sample check exists and nothing reads the clock inline (the packed
   clock, vt_instrument.c's clock_packed), it adds one word, vt_clock:
   (instructions << VT_CLOCK_SHIFT) + references, a single add per exit
   instead of two; vt_sample_init drains its references into
   vt_refs_drained before they can reach the instructions' bits
   (VT_CLOCK_DRAIN), and its instructions into vt_insns_drained only in
   steps of 2^38 (vt_clock_drain: the default run's epoch mark is read from
   them).  Elsewhere the code adds to the drained counters
   themselves and vt_clock stays 0.  Either way the exact counts are: */
#define vt_insns (vt_insns_drained + (vt_clock >> VT_CLOCK_SHIFT))
#define vt_refs  (vt_refs_drained + (vt_clock & VT_CLOCK_REFS))
#define VT_CLOCK_SHIFT 24
#define VT_CLOCK_REFS  ((1ULL << VT_CLOCK_SHIFT) - 1)
/* The references one guest instruction makes, at most (its fetch and its
   data accesses: VEX's largest are the AVX2 gathers' 8 loads and xsave's
   components); vt_instrument.c asserts it of every instruction. */
#define VT_CLOCK_INSN_REFS 255
/* Instructions between two drains, at most, not counting the superblock
   that crosses it (VEX's superblocks have at most 100 instructions,
   --vex-guest-max-insns; vt_instrument.c asserts VT_CLOCK_SB_INSNS): the
   references since a drain stay below VT_CLOCK_INSN_REFS * (2^15 + 1000)
   = 8,611,840 < 2^24, so they never carry into the instructions' bits. */
#define VT_CLOCK_DRAIN (1ULL << 15)
#define VT_CLOCK_SB_INSNS 1000u
extern ULong vt_clock;
extern ULong vt_clock_limit;      /* vt_sample_tick is due once vt_clock
                                     reaches it (the packed clock) */
extern ULong vt_insns_drained, vt_refs_drained;
void vt_clock_drain(void);
void vt_clock_reset(void);        /* a forked child's clock starts at 0 */
extern Addr vt_fault_ip;           /* the instruction in vt_miss, else 0 */
extern Addr vt_fault_addr;         /* the byte its reference of the page asks for */
extern ULong vt_misses;           /* references the filter let through */
extern ULong vt_tlb_clock;        /* --tlb: the next reference's number, less
                                     its position in the superblock
                                     (vt_tlb_set_time) */

/* vt_filter.c: the miss handler and the kernel's accesses */
VG_REGPARM(3) void vt_miss(Addr a, UWord arg, Addr ip);
VG_REGPARM(2) void vt_miss_packed(Addr a, UWord p);
/* The same, then (--tlb) the fetch next (vt_miss_fetch's constant) if
   its page's entry is not in the filter (vt_instrument.c's cover_next) */
VG_REGPARM(3) void vt_miss_packed_next(Addr a, UWord p, UWord next);
/* The same for an instruction fetch, whose address is the instruction's:
   one argument (the packed constant) to set up instead of two. */
VG_REGPARM(1) void vt_miss_fetch(UWord p);
/* vt_miss_packed's argument: the instruction (below 4 GiB) in bits 0-31,
   the access size (below 128) in 32-38, in 39-41 how many positions back
   the instruction's own fetch was if that was a later fetch from the page
   of the superblock's last fetch check whose stamp is still to be made (d:
   1-7; 0 none; only with vt_flt.stamp_after), its kind in 42-43 (3: such
   a later fetch, vt_refetch), its position in the superblock (below 1024)
   in 44-53, the pending instructions (below 1024) in 54-63. */
#define VT_MISS_PACK(ip, size, d, acc, pos, pending)                               \
   ((ULong)(ip) | ((ULong)(size) << 32) | ((ULong)(d) << 39) | ((ULong)(acc) << 42) | \
    ((ULong)(pos) << 44) | ((ULong)(pending) << 54))
#define VT_PACK_SIZE_MAX 128u
#define VT_PACK_D_MAX    8u
#define VT_PACK_SIZE(p)    (((p) >> 32) & 0x7f)
#define VT_PACK_D(p)       (((p) >> 39) & 7)
#define VT_PACK_ACC(p)     ((enum vt_access)(((p) >> 42) & 3))
#define VT_PACK_POS(p)     (((p) >> 44) & 0x3ff)
#define VT_PACK_PENDING(p) ((p) >> 54)
#define VT_PACK_REFETCH  3u
/* A superblock's later instruction fetch from the page of its last fetch
   check, when vt_flt.refetch says the entry may be gone: checked here
   (the packed constant of vt_miss_fetch, kind VT_PACK_REFETCH). */
VG_REGPARM(1) void vt_refetch(UWord p);
void vt_tlb_invalidate(void *ctx, struct vt_mm *mm, vt_addr start, vt_addr end);
void vt_access_range(Addr a, SizeT len, enum vt_access acc);

/* vt_thpcmp.c: --thp-compare, a second address space under another THP
   setting, fed what the first gets (NULL: the option is off).  VT_BOTH
   makes a core call on the first address space and then on the second. */
extern struct vt_mm *vt_cmp_mm;
extern Bool vt_cmp_in;               /* a call on the second is in progress */
void vt_cmp_enter(void);             /* its clock set, vt_cmp_in */
#define VT_BOTH(fn, ...)                                    \
   do {                                                     \
      fn(&vt_mm, __VA_ARGS__);                              \
      if (vt_cmp_mm) {                                      \
         vt_cmp_enter();                                    \
         fn(vt_cmp_mm, __VA_ARGS__);                        \
         vt_cmp_in = False;                                 \
      }                                                     \
   } while (0)
void vt_cmp_init(const struct vt_config *primary);
void vt_mmap_both(const struct vt_mmap_req *q);
void vt_cmp_set_thp_disabled(Bool disabled);
void vt_cmp_sample(UInt k);
void vt_cmp_merge(UInt n);
void vt_cmp_fork_prepare(void);
void vt_cmp_fork_child(Bool copied);
void vt_cmp_release(void);
Bool vt_cmp_present(void);
void vt_cmp_write_json(struct vt_out *o, UInt n_samples);
void vt_cmp_summary(void);

/* vt_record.c: --trace-out-file */
#define VT_REC_WORDS  65536
#define VT_REC_SB_MAX 4096     /* records a superblock may make, at most */
extern ULong  vt_rec_buf[VT_REC_WORDS];
extern ULong *vt_rec_ptr;
extern Bool   vt_recording;
void  vt_rec_flush(void);
void  vt_rec_start(void);
ULong vt_rec_trace_id(void);
void  vt_rec_end(void);
void  vt_rec_child(Int parent_pid);
void  vt_rec_cont(void);
void  vt_rec_kernel(Addr a, SizeT len, enum vt_access acc);
void  vt_rec_clock(void);
void  vt_rec_oom_adj_write(Int fd);
void  vt_rec_unmodelled(UInt what);     /* VT_UNMODELLED_*: into the trace */

/* vt_instrument.c */
void vt_instrument_thread_start(ThreadId tid);   /* the anchor's slot */
IRSB *vt_instrument(VgCallbackClosure *closure, IRSB *sb,
                    const VexGuestLayout *layout,
                    const VexGuestExtents *vge,
                    const VexArchInfo *archinfo_host,
                    IRType gWordTy, IRType hWordTy);

/* vt_aspace.c: startup segments, brk, the stack; the mapping syscalls */
void vt_aspace_init(void);
void vt_new_mem_startup(Addr a, SizeT len, Bool rr, Bool ww, Bool xx,
                        ULong di_handle);
void vt_new_mem_brk(Addr a, SizeT len, ThreadId tid);
void vt_die_mem_brk(Addr a, SizeT len);
void vt_pre_thread_first_insn(ThreadId tid);
void vt_pre_mmap(ThreadId tid, UInt sysno, UWord *args);
void vt_sys_mmap(ThreadId tid, UWord *args, UWord res);
void vt_sys_munmap(ThreadId tid, UWord *args, UWord res);
void vt_sys_mprotect(ThreadId tid, UWord *args, UWord res);
void vt_sys_mprotect_failed(ThreadId tid, UInt sysno, UWord *args, SysRes res);
void vt_sys_mremap(ThreadId tid, UWord *args, UWord res);
void vt_sys_madvise(ThreadId tid, UWord *args, UWord res);
void vt_sys_madvise_failed(ThreadId tid, UInt sysno, UWord *args, SysRes res);
void vt_sys_prctl(ThreadId tid, UWord *args, UWord res);
void vt_sys_mlock(ThreadId tid, UWord *args, UWord res);
void vt_sys_munlock(ThreadId tid, UWord *args, UWord res);
void vt_sys_mlock_failed(ThreadId tid, UInt sysno, UWord *args, SysRes res);
void vt_sys_mlockall(ThreadId tid, UWord *args, UWord res);
void vt_sys_munlockall(ThreadId tid, UWord *args, UWord res);
void vt_sys_shmat(ThreadId tid, UWord *args, UWord res);
void vt_sys_shmdt(ThreadId tid, UWord *args, UWord res);

/* vt_syscall.c: the table of system-call handlers */
void vt_pre_syscall(ThreadId tid, UInt sysno, UWord *args, UInt nArgs);
void vt_post_syscall(ThreadId tid, UInt sysno, UWord *args, UInt nArgs,
                     SysRes res);
Bool vt_syscall_defer_read(ThreadId tid, Addr a, SizeT len);
extern Bool vt_exec_pending;       /* writing the output before execve */
Bool vt_tracing_children(void);     /* --trace-children=yes (vt_syscall.c) */

/* vt_collect.c: collection paused and resumed */
void  vt_collect_init(void);       /* --collect-atstart */
void  vt_collect_set(Bool on);     /* VMTRACE_START/STOP_COLLECTION */
void  vt_collect_child(void);      /* a forked child's start */
Bool  vt_collect_partial(void);    /* collection was off at some time */
ULong vt_collect_insns(void);      /* instructions executed while collecting */
UInt  vt_collect_periods(void);   /* periods of collection begun (0: it never started) */
struct vt_out;
void  vt_collect_write(struct vt_out *o);   /* run.collection, if partial */
void  vt_collect_print(void);               /* the log's Collection: line */
/* What the process used that the model cannot see, so that some of its
   figures are not the kernel's: each said once in the log (the warning)
   and named in run.unmodelled (bit i: vt_unmodelled_names[i]). */
enum { VT_UNMODELLED_IO_URING, VT_UNMODELLED_PAGEOUT, VT_NR_UNMODELLED };
extern UInt vt_unmodelled;
extern const HChar *const vt_unmodelled_names[VT_NR_UNMODELLED];
void vt_note_unmodelled(UInt what, const HChar *warning);

/* vt_signal.c: how the client ends */
extern Int  vt_fatal_signal;       /* the signal the client is about to die of */
extern Int  vt_exit_code;          /* from exit_group / exit */
extern Bool vt_exit_seen;
void vt_signal_fatal(Int sig, Bool forced);
void vt_signal_delivered(Int sig);
void vt_signal_exit(Int code, Bool whole_process);
void vt_signal_sigaction(UWord sig, const UWord *act);
void vt_signal_sigprocmask(UWord how, const ULong *set);
void vt_signal_child(void);
void vt_thread_created(ThreadId tid, ThreadId child);
void vt_thread_exited(ThreadId tid);
VG_REGPARM(1) void vt_signal_sync(UWord sig);

#define VT_CALLOC(cc, n, sz) VG_(calloc)((cc), (n), (sz))

/* vt_fork.c */
extern ULong vt_fork_time;
extern Bool  vt_is_forked_child;
extern Bool  vt_is_vfork_child;
extern Int   vt_ppid;
/* The children this process reaped (wait4), with their status. */
struct vt_child { Int pid, status; };
#define VT_MAX_CHILDREN 1024
extern struct vt_child vt_children[VT_MAX_CHILDREN];
extern UInt vt_nr_children;
void  vt_child_reaped(Int pid, Int status);
void  vt_fork_pre(ThreadId tid, UInt sysno, UWord *args);
void  vt_fork_post(ThreadId tid, UInt sysno, UWord *args, SysRes res);
void  vt_fork_child_hook(ThreadId tid);
void  vt_vfork_note_fault(vt_addr addr, enum vt_access acc);
void  vt_vfork_release(void);

/* vt_sharelog.c: what the processes of a run share (the core's host ops
   frames_*, shmem_*, file_map), PSS and USS */
void   vt_share_frames_fork(void *ctx, vt_u64 *ids, UInt n_new, const vt_u64 *old,
                            UInt n_old);
bool   vt_share_frame_shared(void *ctx, vt_u64 id);
void   vt_share_frame_release(void *ctx, vt_u64 id);
vt_u64 vt_share_shmem_new_gid(void *ctx);
void   vt_share_shmem_created(void *ctx, vt_u64 gid, vt_u64 pgoff);
void   vt_share_shmem_removed(void *ctx, vt_u64 gid, vt_u64 first, vt_u64 end);
bool   vt_share_shmem_exists(void *ctx, vt_u64 gid, vt_u64 pgoff);
void   vt_share_file_map(void *ctx, const struct vt_file *f, vt_u64 pgoff, int delta);
void   vt_share_file_resized(void *ctx, const struct vt_file *f, vt_u64 size_pages);
void   vt_share_file_punched(void *ctx, const struct vt_file *f, vt_u64 first, vt_u64 end);
void   vt_share_shootdown(void);
void   vt_share_syscall_done(UInt sysno);
void   vt_share_child(void);
void   vt_share_fork(Bool copying);
void   vt_share_borrowed(void);
void   vt_share_exit(void);
void   vt_share_inherit(void);
void   vt_share_refresh(void);
void   vt_share_pss(ULong *pss_x1000, ULong *uss);
ULong  vt_share_dup(void);
Bool   vt_share_logging(void);
Int    vt_share_out_of_reach(Int fd);

/* vt_sites.c: fault sites (sim 0: the unlimited model; k: simulation
   k - 1) and the Cachegrind-format file */
void vt_sites_record(UInt sim, enum vt_fault_class cls);
void vt_sites_sim_fault(void *ctx, struct vt_mm *mm, uint32_t sim, vt_addr addr,
                        enum vt_fault_class cls);
UInt vt_stack_trace(ThreadId tid, Addr *ips, UInt depth, DiEpoch ep);

/* vt_memsim.c */
void  vt_memsim_init(void);
void  vt_memsim_oom(void *ctx, struct vt_mm *mm, uint32_t sim, vt_addr addr);
ULong vt_memsim_next_tick(void);
void  vt_memsim_advance(ULong now);
void  vt_memsim_child(void);
void  vt_memsim_summary(Bool verbose);
void  vt_memsim_write_json(struct vt_out *o);
UInt  vt_memsim_count(void);
/* "POLICY.RAM" of simulation i (RAM as --ram wrote it), in buf. */
const HChar *vt_memsim_name(UInt i, HChar *buf, SizeT size);
void vt_sites_write_json(struct vt_out *o, UInt sim);
Bool vt_sites_write_cg(const HChar *name);
Bool vt_sites_write_callgrind(const HChar *name);
/* The model's (sim 0) or a simulation's faults per source line, the first
   max printed; returns the number of lines with faults. */
UInt vt_sites_print_lines(UInt sim, UInt max, const HChar *indent);
void vt_sites_child(void);

/* vt_tlb.c: the TLB model's options, misses per instruction, output */
#define VT_TLB_NR_EV 4        /* DTlbMiss ITlbMiss DTlbWalk ITlbWalk */
Bool vt_tlb_option(const HChar *arg);
void vt_tlb_usage(void);
void vt_tlb_init(void);
const HChar *vt_tlb_geometry_option(void);   /* the first --tlb-cpu/--tlb-l* given */
void vt_tlb_on_miss(void *ctx, struct vt_mm *mm, vt_addr addr, enum vt_access acc, bool walk);
void vt_tlb_child(void);
UInt vt_tlb_ips(Addr **ips, ULong (**ev)[VT_TLB_NR_EV]);
void vt_tlb_out_counts(struct vt_out *o, enum vt_tlb_scope scope, ULong id);
void vt_tlb_write_json(struct vt_out *o);
void vt_tlb_write_timeline(struct vt_out *o, const struct vt_wset *w, UInt n);
void vt_tlb_summary(void);
/* vt_progress.c: the progress line (--progress) */
extern ULong vt_progress_next;     /* when vt_sample_tick calls vt_progress_tick */
void vt_progress_init(void);
void vt_progress_tick(void);
void vt_progress_child(void);
void vt_progress_clear(void);
/* vt_sample.c */
#define VT_SAMPLE_INTERVAL (1ULL << 14)   /* the first sample's length */
extern ULong vt_next_sample;
void vt_sample_tick(void);
void vt_sample_exit_tick(void);
void vt_sample_tick_due(void);
extern Bool vt_clock_mark;        /* vt_instrument.c: no sample check */
void vt_instrument_init(void);
void vt_sample_init(void);
void vt_sample_final(void);
void vt_sample_now(void);
Bool vt_sample_block_begin(void);
void vt_sample_block_end(void);
void vt_sample_resume(ULong wall_ms);
void vt_sample_now_at(ULong wall_ms);
ULong vt_wall_ms(void);            /* vt_main.c: milliseconds since the epoch */

/* vt_out.c: the one writer of output files (temporary name, renamed
   when whole) */
struct vt_out;
struct vt_out *vt_out_open(const HChar *name, const HChar *what);
void vt_out_str(struct vt_out *o, const HChar *s);
void vt_out_fmt(struct vt_out *o, const HChar *fmt, ...) PRINTF_CHECK(2, 3);
void vt_out_json_str(struct vt_out *o, const HChar *s);
const HChar *vt_errno_text(UWord err);
const HChar *vt_log_name(const HChar *name, HChar *buf, SizeT size);
HChar *vt_image_file_name(const HChar *option, const HChar *pattern, Bool exec);
HChar *vt_out_target(const HChar *name, Bool *in_place);
void vt_out_sweep(const HChar *target, const HChar *template);
HChar *vt_read_whole(const HChar *path, const HChar *cc);
/* The filesystem type of device dev, as /proc/self/mountinfo names it. */
Bool vt_fs_type(ULong dev, HChar *type, SizeT n);
/* Whether the running kernel is at least major.minor. */
Bool vt_kernel_at_least(UInt major, UInt minor);
Bool vt_fd_path(Int fd, HChar *path, SizeT size);   /* vt_aspace.c */
Bool vt_shmem_file(const HChar *path, ULong dev);
/* vt_pcache.c: --page-cache=machine's probe of the machine's page cache */
void vt_pcache_init(void);
void vt_pcache_meet_fd(Int fd);
/* The readahead window of a file on device dev: its disk's read_ahead_kb
   / 4, or --readahead's if given or the disk cannot be told. */
UInt vt_pcache_disk_ra(ULong dev);
void vt_pcache_meet_path(const HChar *path);
void vt_out_u64s(struct vt_out *o, const HChar *key, const vt_u64 *v, UInt n);
Bool vt_out_close(struct vt_out *o, const HChar *what);

/* vt_output.c: the vmtrace.out file, one writer per section */
void vt_out_faults(struct vt_out *o, const struct vt_counts *c);
void vt_out_stack(struct vt_out *o, DiEpoch ep, const Addr *ips, UInt n);
const HChar *vt_acc_name(Int acc);
void vt_perms_str(uint32_t vm_flags, HChar *buf);
/* What vt_write_output wrote, for the summary: names (NULL: not asked
   for) and whether each was written whole. */
struct vt_written {
   HChar *out, *cg, *callgrind;
   Bool   out_ok, cg_ok, callgrind_ok;
};
void vt_write_output(Int exitcode, struct vt_written *w);
void vt_written_free(struct vt_written *w);
extern ULong vt_start_time_ms;

/* vt_summary.c: the log */
void vt_child_reset_output(void);
#define VT_STACK_DEPTH 12
struct vt_invalid_rec {
   Addr  addr;
   Int   acc, reason;
   ULong time;
   UInt  n_ips;
   Addr  ips[VT_STACK_DEPTH];
   DiEpoch ep;
};
#define VT_MAX_INVALID_RECS 100
extern struct vt_invalid_rec vt_invalid_recs[VT_MAX_INVALID_RECS];
extern UInt vt_nr_invalid_recs;
void vt_on_fault(void *ctx, struct vt_mm *mm, vt_addr addr, enum vt_access acc,
                 enum vt_fault_class cls, int reason);
void vt_print_summary(Int exitcode, const struct vt_written *w);
void vt_finish(Int exitcode);
#endif
