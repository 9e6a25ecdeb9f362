/* vmtrace-native: the real kernel's page faults, recorded with
   perf_event_open's minor-faults / major-faults software events and
   unwound with libunwind.  Internal declarations shared by its files. */
#ifndef VN_H
#define VN_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define VN_VERSION "0.1.0"
#define VN_PAGE 4096u

/* ---- options ---------------------------------------------------------- */
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

/* ---- utilities (vn_main.c) ------------------------------------------ */
void vn_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void vn_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vn_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *vn_xmalloc(size_t n);
void *vn_xcalloc(size_t n, size_t size);
void *vn_xrealloc(void *p, size_t n);
char *vn_xstrdup(const char *s);
uint64_t vn_mono_ns(void);     /* CLOCK_MONOTONIC, the events' clock */
double vn_wall_s(void);

/* ---- fault classes --------------------------------------------------- */
enum { VN_MINOR = 0, VN_MAJOR = 1, VN_NCLASS = 2 };

struct vn_faults { uint64_t n[VN_NCLASS]; };

/* ---- processes and their mappings (vn_proc.c) ------------------------ */
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
   double start_time, end_time;  /* end_time < 0: no exit seen */
   int exited;
   struct vn_faults faults;
   uint64_t peak_rss;
   struct vn_map **maps;      /* every mapping ever, creation order */
   size_t nmaps, cap_maps;
   int maps_read;             /* /proc/PID/maps read since the last exec */
   char *exe_name;            /* the program's file (first mapped at exec) */
   uint64_t exe_end;          /* end of its image (and bss) */
   int exec_done;             /* the image is set up: it has run */
   void *unwind_as;           /* libunwind address space, by vn_unwind.c */
   int statm_fd, status_fd;
};

struct vn_proc *vn_proc_find(pid_t pid);
struct vn_proc *vn_proc_new(pid_t pid, pid_t ppid, double start);
void vn_proc_fork(pid_t pid, pid_t ppid, double when);
void vn_proc_exit(pid_t pid, double when);
void vn_proc_exec(pid_t pid, const char *comm);
void vn_proc_comm(pid_t pid, const char *comm);
int vn_is_heap(pid_t pid, uint64_t start);
void vn_proc_mmap(pid_t pid, uint64_t start, uint64_t len, uint64_t pgoff,
                  uint32_t prot, const char *name);
/* The live mapping of `proc` covering `addr`, reading /proc/PID/maps once
   per exec if the recorded ones do not cover it; NULL if none does. */
struct vn_map *vn_map_lookup(struct vn_proc *proc, uint64_t addr);
/* Counts one fault at `addr` in `proc`; sp is the user stack pointer
   (0 if unknown), used to place faults on a stack nobody recorded. */
void vn_fault(struct vn_proc *proc, int cls, uint64_t addr, uint64_t sp);
extern struct vn_proc **vn_procs;
extern size_t vn_nprocs;

/* Resident pages now (sum over live processes), VN_NO_RSS if none was
   readable; updates the peaks. */
#define VN_NO_RSS UINT64_MAX
uint64_t vn_poll_rss(void);

/* ---- the kernel's side (vn_perf.c) ------------------------------------ */
struct pollfd;
int vn_perf_open(pid_t child);      /* -1 after saying why */
int vn_perf_fill_pollfds(struct pollfd *p, int max);
void vn_perf_collect(void);         /* ring buffers -> backlog */
size_t vn_perf_process(uint64_t budget_ns);   /* backlog left */
void vn_perf_drain(void);           /* collect, then all of the backlog */
void vn_perf_finish(struct vn_faults *counted, uint64_t *lost);
uint64_t vn_perf_reported_lost(void);
extern uint64_t vn_recorded;        /* samples handled */

/* ---- ELF files and unwinding (vn_unwind.c) --------------------------- */
struct vn_elf *vn_elf_get(const char *path);
const char *vn_elf_path(const struct vn_elf *e);
/* The function the ELF's symbol tables (or its debug file's) put at its
   own address rel, or NULL. */
const char *vn_elf_symbol(struct vn_elf *e, uint64_t rel);
/* Runtime address → address in the ELF file's own numbering (what
   addr2line takes), given the mapping the address is in. */
uint64_t vn_elf_rel(const struct vn_map *m, uint64_t addr);
/* Unwinds one sample.  regs: the x86-64 user registers in perf's order
   (see VN_REGS_MASK); stack: `size` bytes copied from regs[SP] upward.
   Writes at most `max` return addresses into ips; returns the count. */
#define VN_NREGS 17
unsigned vn_unwind(struct vn_proc *proc, const uint64_t *regs,
                   const uint8_t *stack, uint64_t size,
                   uint64_t *ips, unsigned max);
void vn_unwind_forget(struct vn_proc *proc);   /* at exec */

/* ---- fault sites (vn_sites.c) ---------------------------------------- */
/* ips[0] is the faulting instruction, the rest return addresses. */
void vn_site_add(struct vn_proc *proc, int cls, const uint64_t *ips, unsigned n);

/* ---- timeline (vn_proc.c) -------------------------------------------- */
void vn_timeline_fault(int cls, uint64_t mono_ns);
void vn_timeline_tick(uint64_t mono_ns, uint64_t rss);
void vn_timeline_end(uint64_t mono_ns);

/* ---- output (vn_output.c) -------------------------------------------- */
struct vn_run {
   char **argv;
   double start_time, end_time;
   uint64_t start_ns;
   int exit_signal;           /* 0: exited with exit_code */
   int exit_code;
   struct vn_faults counted;  /* read from the counters */
   uint64_t recorded, lost;
   uint64_t peak_rss;
   long ru_minflt, ru_majflt, ru_maxrss;
   const char *kernel;
};
extern struct vn_run vn_run;
void vn_write_output(const char *path);
void vn_sites_json(FILE *f);
void vn_timeline_json(FILE *f);
void vn_json_str(FILE *f, const char *s);

#endif
