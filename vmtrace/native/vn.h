/* vmtrace-native: the real kernel's page faults, recorded with
   perf_event_open's minor-faults / major-faults software events and
   unwound with libunwind.  Internal declarations shared by its files.

   One concern a file, in perf's layout:
     vn_main.c      the steps of a run: options, the recorder, the program,
                    recording until it ends, the record (perf's builtin)
     vn_options.c   options, usage, the output file's name
     vn_util.c      messages, allocation, clocks
     vn_table.c     the one hash table every lookup uses
     vn_perf.c      the events and their ring buffers (evsel, mmap)
     vn_tracepoint.c  the mremap tracepoint's id (tracefs)
     vn_taskstats.c the kernel's accounting record of each exit
     vn_ordered.c   the backlog: records in time order (ordered-events)
     vn_records.c   what each record means (session's dispatch)
     vn_proc.c      the processes of the tree (machine, thread)
     vn_maps.c      their mappings and the faults in them (maps)
     vn_rss.c       resident pages: polling, shared address spaces, peaks
     vn_timeline.c  faults and resident pages over time
     vn_elf.c       ELF files: segments and symbols (symbol-elf)
     vn_unwind.c    libunwind over a recorded stack (unwind-libunwind)
     vn_sites.c     fault sites: stacks aggregated, and written
     vn_srcline.c   naming frames: addr2line, c++filt (srcline)
     vn_output.c    the output file */
#ifndef VN_H
#define VN_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "../core/vt_text.h"
#include "../core/vt_version.h"
#define VN_VERSION VT_VERSION
#define VN_PAGE 4096u

/* ---- options (vn_options.c) ------------------------------------------- */
enum vn_call_graph { VN_CG_NONE, VN_CG_FP, VN_CG_DWARF };

struct vn_options {
   const char *out_file;      /* --out-file, with %p and %q{VAR} */
   enum vn_call_graph call_graph;
   unsigned stack_depth;      /* frames kept per fault */
   unsigned stack_bytes;      /* user stack copied per fault (dwarf) */
   unsigned long mmap_pages;  /* ring buffer data pages per CPU */
   int mmap_pages_set;        /* given by --mmap-pages */
   int mmap_pages_shrunk;     /* made smaller to fit the locked-memory limit */
   int verbosity;             /* 0 -q, 1 default, 2 -v */
   int realtime;              /* --realtime */
};
extern struct vn_options vn_opt;

/* Parses argv; returns the index of PROG.  Exits with a one-line error on
   bad input, and for --help and --version. */
int vn_parse_options(int argc, char **argv);
/* The output file name: %p → pid, %q{VAR} → $VAR, %% → %. */
char *vn_expand_name(const char *fmt, pid_t pid);

/* ---- utilities (vn_util.c) -------------------------------------------- */
void vn_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* the same, exiting with code */
void vn_die_with(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
void vn_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vn_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vn_set_log_pid(pid_t pid);   /* the ==PID== of the log lines */
pid_t vn_log_pid(void);
void *vn_xmalloc(size_t n);
void *vn_xcalloc(size_t n, size_t size);
void *vn_xrealloc(void *p, size_t n);
/* An array of `n` elements of `size` bytes with room for `*cap`, given
   room for one more (doubling). */
void *vn_grow(void *p, size_t n, size_t *cap, size_t size);
char *vn_xstrdup(const char *s);
uint64_t vn_mono_ns(void);     /* CLOCK_MONOTONIC, the events' clock */
double vn_wall_s(void);
double vn_wall_of(uint64_t mono_ns);   /* an event's time, as wall-clock time */
/* Fields of a record, which need not be aligned. */
static inline uint64_t vn_get64(const uint8_t *p)
{
   uint64_t v;
   __builtin_memcpy(&v, p, 8);
   return v;
}
static inline uint32_t vn_get32(const uint8_t *p)
{
   uint32_t v;
   __builtin_memcpy(&v, p, 4);
   return v;
}

/* ---- the hash table (vn_table.c) -------------------------------------- */
/* Every lookup of vmtrace-native goes through this one table: processes by
   pid, pages faulted per mapping, ELF files and mapping names by path,
   code locations and fault sites.  It holds indices into an array its
   user owns, so entries stay where the user put them (an index is a stable
   name, and the array keeps the order of insertion, which the output
   follows); the table only finds them.  Open addressing with linear
   probing, never more than half full: a miss ends within a few probes. */
struct vn_table {
   uint32_t *slot;            /* index + 1; 0 is empty */
   size_t cap, used;          /* cap: 0 or a power of two */
   /* the hash of the entry at index (to move it when the table grows),
      and whether the entry at index is key */
   uint64_t (*hash)(uint32_t index);
   int (*same)(uint32_t index, const void *key);
};
uint64_t vn_hash_u64(uint64_t x);
uint64_t vn_hash_add(uint64_t h, uint64_t v);   /* h combined with v */
uint64_t vn_hash_str(const char *s);
/* The index of the entry that is key, or -1. */
int64_t vn_table_find(const struct vn_table *t, uint64_t hash, const void *key);
/* The index of the entry that is key; if there is none, new_index becomes
   key's and is returned (the caller then puts the entry there). */
uint32_t vn_table_intern(struct vn_table *t, uint64_t hash, const void *key, uint32_t new_index);
/* index becomes key's, replacing the entry that was key's, if any. */
void vn_table_put(struct vn_table *t, uint64_t hash, const void *key, uint32_t index);

/* ---- fault classes ---------------------------------------------------- */
enum { VN_MINOR = 0, VN_MAJOR = 1, VN_NCLASS = 2 };

struct vn_faults { uint64_t n[VN_NCLASS]; };

/* ---- processes (vn_proc.c) and their mappings (vn_maps.c) ------------- */
struct vn_elf;

enum vn_kind { VN_K_FILE, VN_K_ANON, VN_K_HEAP, VN_K_STACK, VN_K_UNKNOWN };

/* What one mmap (or one segment found in /proc/PID/maps) created. */
struct vn_map {
   uint64_t start, end, pgoff;
   char *name;                /* as /proc/PID/maps names it */
   enum vn_kind kind;
   int exec;
   struct vn_elf *elf;        /* the ELF file, for unwinding (or NULL) */
   struct vn_faults faults;
   uint64_t pages_faulted;
   uint32_t id;               /* unique over the run */
   int live;                  /* still in its process's address space */
};

struct vn_proc {
   pid_t pid, ppid;
   char comm[17];
   unsigned execs;
   unsigned threads;          /* live, as the fork and exit records count them */
   double start_time, end_time;  /* end_time < 0: no exit seen */
   uint64_t end_ns;           /* the exit's CLOCK_MONOTONIC time */
   int exited;
   struct vn_faults faults;
   uint64_t peak_rss;
   struct vn_map **maps;      /* every mapping ever, creation order */
   size_t nmaps, cap_maps;
   struct vn_map **live;      /* the live ones, by address (vn_maps.c) */
   size_t nlive, cap_live;
   struct vn_map *unknown;    /* faults in no known mapping, or NULL */
   int maps_read;             /* /proc/PID/maps read since the last exec */
   uint64_t maps_fruitless_ns;  /* when reading it again for a stray fault did not help */
   char *exe_name;            /* the program's file (first mapped at exec) */
   uint64_t exe_end;          /* end of its image (and bss) */
   int exec_done;             /* the image is set up: it has run */
   int mm_own;                /* known not to share its parent's address space */
   int unforked;              /* made by a sample before its fork record (vn_proc.c) */
   int exec_unmapped;         /* an exec seen, and no mapping or fault since */
   /* The kernel removed its events at an exec (a set-ID program: a
      non-dumpable exec, fs/exec.c): its record ends there, its process
      does not.  What the kernel counted of it comes with its threads'
      exits (taskstats), which are after the stop. */
   int stopped_at_exec;
   double stop_time;          /* when (end_time becomes its real end if seen) */
   uint64_t kernel_faults;    /* its threads' faults, as the kernel counted them,
                                 and, stopped, its descendants' after the stop */
   unsigned descendants;      /* stopped: processes it started after, seen to end */
   int kernel_faults_seen;    /* stopped: its leader's exit after the stop was seen */
   void *unwind_as;           /* libunwind address space, by vn_unwind.c */
   int statm_fd, status_fd;
};

extern struct vn_proc **vn_procs;
extern size_t vn_nprocs;
struct vn_proc *vn_proc_find(pid_t pid);
struct vn_proc *vn_proc_new(pid_t pid, pid_t ppid, double start);
void vn_proc_fork(pid_t pid, pid_t ppid, double when);
/* The process a fault sample of pid at t_ns is of: the one known, or a
   placeholder that the fork record, when it comes, adopts. */
struct vn_proc *vn_proc_of_sample(pid_t pid, uint64_t t_ns);
/* A thread of pid made or ended (at t_ns): the process ends with its last
   thread, which need not be the first (pthread_exit in main). */
void vn_thread_fork(pid_t pid);
void vn_thread_exit(pid_t pid, uint64_t t_ns);
void vn_proc_exit(pid_t pid, uint64_t t_ns, double when);
/* The kernel's accounting of one thread's exit (taskstats): the
   high-water mark of its process's resident set, its faults. */
struct vn_exit_stats;
void vn_proc_exit_stats(const struct vn_exit_stats *s);
/* The faults of a process the kernel counted but the record does not
   have (its recording stopped at a set-ID exec); 0 if none. */
uint64_t vn_proc_unrecorded(const struct vn_proc *p);
void vn_proc_exec(pid_t pid, const char *comm);
void vn_proc_comm(pid_t pid, const char *comm);

/* vn_maps.c */
int vn_is_heap(pid_t pid, uint64_t start);
void vn_proc_mmap(pid_t pid, uint64_t start, uint64_t len, uint64_t pgoff,
                  uint32_t prot, const char *name);
/* A successful mremap(old, old_len, new_len, flags) that returned new
   (lengths in whole pages, as the kernel rounds them). */
void vn_proc_mremap(pid_t pid, uint64_t old, uint64_t old_len, uint64_t new_len,
                    uint64_t flags, uint64_t new);
void vn_maps_copy(struct vn_proc *child, const struct vn_proc *parent);   /* at fork */
void vn_maps_forget(struct vn_proc *p);                                    /* at exec */
/* The live mapping of `proc` covering `addr`, reading /proc/PID/maps once
   per exec if the recorded ones do not cover it; NULL if none does. */
struct vn_map *vn_map_lookup(struct vn_proc *proc, uint64_t addr);
/* Counts one fault at `addr` in `proc` at t_ns; sp is the user stack
   pointer (0 if unknown), used to place faults on a stack nobody recorded. */
void vn_fault(struct vn_proc *proc, int cls, uint64_t addr, uint64_t sp, uint64_t t_ns);

/* ---- resident pages (vn_rss.c) ---------------------------------------- */
/* Resident pages now (sum over live processes), VN_NO_RSS if none was
   readable; updates the peaks. */
#define VN_NO_RSS UINT64_MAX
void vn_rss_open(struct vn_proc *p);
void vn_rss_close(struct vn_proc *p);
uint64_t vn_poll_rss(void);
/* The peaks once PROG (pid prog) has ended with wait4's ru_maxrss. */
void vn_rss_finish(pid_t prog, long ru_maxrss_kib);

/* ---- the kernel's peaks at exit (vn_taskstats.c) ---------------------- */
int vn_exit_stats_open(void);        /* -1: none to be had */
int vn_exit_stats_had(void);         /* whether they were had */
int vn_exit_stats_fd(void);          /* for poll; -1 if none */
void vn_exit_stats_collect(void);    /* into the backlog */
void vn_exit_stats_close(void);

/* ---- the kernel's side (vn_perf.c) ------------------------------------ */
struct pollfd;
struct perf_event_header;
void vn_perf_check_options(void);  /* dies if a sample cannot fit */
int vn_perf_open(pid_t child);      /* -1 after saying why */
int vn_perf_fill_pollfds(struct pollfd *p, int max);
void vn_perf_collect(void);         /* ring buffers -> backlog */
void vn_perf_finish(struct vn_faults *counted, uint64_t *lost);
uint64_t vn_perf_reported_lost(void);
/* What a sample's identifier says it is: a fault of class VN_MINOR or
   VN_MAJOR, the exit from mremap, or -1. */
enum { VN_EV_MREMAP_EXIT = VN_NCLASS };
int vn_perf_event_of(uint64_t id);
extern uint64_t vn_sample_type, vn_regs_mask;
/* An mremap exit's sample: after identifier, ip, tid and time, the ABI
   and these user registers, in this order (perf's numbering, ascending):
   AX (the result), DX (new_len), SI (old_len), DI (addr), R8 (new_addr),
   R10 (flags). */
enum { VN_MR_AX, VN_MR_DX, VN_MR_SI, VN_MR_DI, VN_MR_R8, VN_MR_R10, VN_MR_NREGS };

/* ---- tracepoints (vn_tracepoint.c) ------------------------------------ */
/* The id of syscalls:sys_exit_mremap; 0: found. */
int vn_tracepoint_mremap_exit(uint64_t *id);
extern int vn_mremap_traced;
/* ---- the backlog (vn_ordered.c) --------------------------------------- */
/* Room for a record of n bytes; vn_backlog_commit enters the first `keep`
   of them with its time. */
uint8_t *vn_backlog_reserve(size_t n);
void vn_backlog_commit(size_t keep, uint64_t time);
int vn_backlog_full(void);
void vn_backlog_sort_new(void);     /* orders what the last collection added */
size_t vn_backlog_process(uint64_t budget_ns);   /* backlog left */
void vn_backlog_drain(void);        /* collect, then all of the backlog */

/* ---- what the records mean (vn_records.c) ----------------------------- */
/* A record of vmtrace-native's own in the backlog (the kernel's types are
   small numbers): a task's exit accounting (vn_taskstats.c), this struct
   after the header. */
#define VN_RECORD_EXIT_STATS 0x4001
struct vn_exit_stats {
   uint32_t tgid, tid;        /* the process, and the thread that exited */
   uint32_t ppid;             /* its parent's pid, as the kernel says at the exit */
   uint32_t btime;            /* when the thread began: wall-clock seconds */
   uint64_t hiwater_kib;      /* the high-water mark of the process's resident set */
   uint64_t minflt, majflt;   /* the thread's faults since its fork (or clone) */
   uint64_t etime_us;         /* from the thread's start to its exit */
   uint64_t t_ns;             /* when the record was read (CLOCK_MONOTONIC) */
};
void vn_record_handle(const struct perf_event_header *h, const uint8_t *body);
uint64_t vn_records_lost(void);     /* PERF_RECORD_LOST / LOST_SAMPLES */
extern uint64_t vn_recorded;        /* samples handled */

/* ---- ELF files (vn_elf.c) and unwinding (vn_unwind.c) ----------------- */
struct vn_elf *vn_elf_get(const char *path);
const char *vn_elf_path(const struct vn_elf *e);
char *vn_elf_readable_path(const struct vn_elf *e, int *tmp);
/* The function the ELF's symbol tables (or its debug file's) put at its
   own address rel, or NULL. */
const char *vn_elf_symbol(struct vn_elf *e, uint64_t rel);
/* Runtime address → address in the ELF file's own numbering (what
   addr2line takes), given the mapping the address is in. */
uint64_t vn_elf_rel(const struct vn_map *m, uint64_t addr);
/* The ELF file's .eh_frame_hdr search table: its address and entries
   (0 if none), and a word of the file at its own address vaddr. */
int vn_elf_eh_table(const struct vn_elf *e, uint64_t *hdr_vaddr, uint64_t *table_vaddr,
                    uint64_t *fde_count);
int vn_elf_read_word(const struct vn_elf *e, uint64_t vaddr, uint64_t *val);
/* Unwinds one sample.  regs: the x86-64 user registers in perf's order
   (see vn_perf.c); stack: `size` bytes copied from regs[SP] upward.
   Writes at most `max` return addresses into ips; returns the count. */
#define VN_NREGS 17
enum { VN_REG_SP = 7, VN_REG_IP = 8 };   /* their places in that order */
unsigned vn_unwind(struct vn_proc *proc, const uint64_t *regs,
                   const uint8_t *stack, uint64_t size,
                   uint64_t *ips, unsigned max);
void vn_unwind_forget(struct vn_proc *proc);   /* at exec */

/* ---- fault sites (vn_sites.c) and their names (vn_srcline.c) ---------- */
/* A code location: (ELF, its own address), or a bare address outside any
   ELF file.  Shown with the first runtime address it was seen at. */
struct vn_frame {
   struct vn_elf *elf;
   const char *objname;       /* the mapping's name, or NULL */
   uint64_t rel, abs;
   char *text;                /* "0xADDR: ..." once named */
   char *a2l_fn, *a2l_file;
   unsigned a2l_line;
};
extern struct vn_frame *vn_frames;
extern size_t vn_nframes;
/* ips[0] is the faulting instruction, the rest return addresses. */
void vn_site_add(struct vn_proc *proc, int cls, const uint64_t *ips, unsigned n);
void vn_name_frames(void);          /* sets every frame's text */

/* ---- timeline (vn_timeline.c) ----------------------------------------- */
void vn_timeline_fault(int cls, uint64_t mono_ns);
void vn_timeline_tick(uint64_t mono_ns, uint64_t rss);
void vn_timeline_end(uint64_t mono_ns);

/* ---- output (vn_output.c) --------------------------------------------- */
struct vn_run {
   char **argv;
   double start_time, end_time;
   uint64_t start_ns;
   int exit_signal;           /* 0: exited with exit_code */
   int exit_code;
   struct vn_faults counted;  /* read from the counters */
   uint64_t recorded, lost;
   uint64_t unrecorded;       /* faults of processes whose recording stopped at an exec */
   size_t left_running;       /* processes of the tree running when PROG ended */
   uint64_t peak_rss;
   long ru_minflt, ru_majflt, ru_maxrss;
   const char *kernel;
};
extern struct vn_run vn_run;
void vn_write_output(const char *path);
void vn_sites_json(FILE *f);
void vn_timeline_json(FILE *f);
void vn_json_str(FILE *f, const char *s);
int vn_utf8_char(const unsigned char *p);

#endif
