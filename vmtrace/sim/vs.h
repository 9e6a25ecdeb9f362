/* vs.h: what the files of vmtrace-sim share (docs/vmtrace-sim.md).

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   vmtrace-sim is a host program of the core (vmtrace/core): it reads page
   traces into reference streams, replays them into the core's simulations
   (vt_sim.h) one (trace, policy, size) job at a time on a pool of threads,
   computes exact miss-ratio curves for LRU and OPT in one pass each, and
   writes tables, CSV and JSON.  C11 with the C library. */

#ifndef VS_H
#define VS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vt_version.h"
#define VS_VERSION VT_VERSION

#include "vt_sim.h"
#include "vt_trace.h"
#include "vt_text.h"
#include "vt_path.h"

#define VS_NEVER UINT32_MAX          /* no next reference */
#define VS_MAX_REFS (UINT32_MAX - 1) /* references a stream may hold */

/* ---- a reference stream --------------------------------------------------

   What every input format becomes: n references, reference i (time i + 1
   in the simulations) to page id[i], a dense number given to each page in
   the order of first reference; obj[id] is the page's own number in the
   trace (libCacheSim's obj_id, vmtrace's virtual page number, the typed
   reference).  Dense ids keep the per-page arrays of the curves and the
   exports plain arrays.  4 bytes per reference, 1 more when the trace
   says which references write, 4 more when its clock is kept for export;
   8 bytes per page. */
#define VS_W    1u                   /* the reference writes */
#define VS_PAUSED 4u                 /* a vmtrace trace's reference made while
                                        its process's collection was paused:
                                        the curves follow it, count nothing */

/* What a vmtrace trace's simulations see that its stream does not hold
   (docs/vmtrace-sim.md, "Curves and simulations of a vmtrace trace"). */
struct vs_seen {
   uint64_t prefaults;               /* pages mapped without a reference */
   uint64_t populated;               /* the kernel's accesses populating a range */
   uint64_t zero_refs;               /* references to pages on the zero page */
   uint64_t locked_refs;             /* references to locked pages */
   uint64_t fault_hits;              /* references to pages the stream has (a
                                        hit on the curve where resident) that
                                        the address space faulted on: write
                                        protection, copy-on-write, a file page
                                        mapped again... */
};

/* What a vmtrace trace's process used that the model cannot see (trace
   event UNMODELLED, the tool's run.unmodelled), in the order the trace
   first names them: its figures, and a replay's, are not the kernel's. */
#define VS_UNMOD_MAX 8
struct vs_unmod {
   unsigned n;
   char     name[VS_UNMOD_MAX][32];
};
void vs_unmod_add(struct vs_unmod *u, const char *name);
/* `, "unmodelled": [...]` if any (JSON), nothing if none. */
void vs_unmod_json(FILE *f, const struct vs_unmod *u);
/* "a, b" into buf. */
const char *vs_unmod_list(const struct vs_unmod *u, char *buf, size_t len);
/* The one-line warning on stderr, if any. */
void vs_unmod_warn(const char *path, const struct vs_unmod *u);

struct vs_stream {
   char       *name;                 /* the trace as named (path, "refs") */
   const char *format;               /* "oracleGeneral", "lcs", "csv", "refs",
                                        "vmtrace" */
   uint64_t    n;                    /* references */
   uint32_t   *id;                   /* [n] */
   uint8_t    *fl;                   /* [n] VS_W, or NULL: all reads */
   uint32_t   *time;                 /* [n] the trace's clock, or NULL */
   uint64_t   *obj;                  /* [npages] */
   uint32_t    npages;               /* distinct pages referenced */
   uint64_t    skipped;              /* records of size 0 left out */
   uint32_t   *next;                 /* [n] index of the next reference to
                                        the same page, VS_NEVER; vs_next_uses */
   struct vs_vmt *vmt;               /* a vmtrace trace: what its replay needs */
   /* A vmtrace trace's private pages leave the address space (munmap,
      MADV_DONTNEED, mremap, exit): page drop_id[k] left before reference
      drop_at[k]; its next reference is a page of its own, a cold miss
      (recold counts those), as in the simulations. */
   uint64_t    ndrops, dcap, recold;
   uint64_t   *drop_at;
   uint32_t   *drop_id;
   uint8_t    *gone;                 /* [pcap] while built: dropped, not since
                                        referenced */
   char        proc_id[17];          /* a vmtrace trace: its header's "id" (16 hex
                                        digits) and "pid"; "" if none */
   uint64_t    proc_pid;
   /* A vmtrace trace: what its simulations see that the stream does not
      hold (docs/vmtrace-sim.md, "Curves and simulations of a vmtrace
      trace"): pages mapped without a reference, the kernel's accesses
      populating a range (references to the simulations), references to pages
      mapped to the shared zero page, references to locked pages. */
   bool        replayed;
   struct vs_seen seen;
   struct vs_unmod unmod;            /* a vmtrace trace's UNMODELLED events */
   uint64_t    cap, pcap;            /* allocated references, pages */
   bool        keep_time;            /* time[] is kept */
   /* the page numbering while the stream is built (vs_stream_page) */
   uint32_t   *tab;
   uint64_t    tmask;
};

void     vs_stream_init(struct vs_stream *s, const char *name, const char *format,
                        bool keep_time);
void     vs_stream_gone(struct vs_stream *s, uint64_t obj);
void     vs_stream_free(struct vs_stream *s);
/* Page id of obj was dropped before the next reference (vs_stream.drop_at). */
void     vs_stream_drop(struct vs_stream *s, uint64_t obj);
/* Cold misses: the first reference of each page, and of each after a drop. */
static inline uint64_t vs_stream_cold(const struct vs_stream *s)
{
   return (uint64_t)s->npages + s->recold;
}
/* The dense id of page obj, a new one if it was never seen. */
uint32_t vs_stream_page(struct vs_stream *s, uint64_t obj, bool *added);
/* The ids of n pages at once (at most VS_BATCH): the same as n calls of
   vs_stream_page, their table slots fetched ahead. */
#define VS_BATCH 32
void     vs_stream_pages(struct vs_stream *s, const uint64_t *objs, uint32_t n,
                         uint32_t *ids, bool *added);
/* Appends a reference; false if the stream is full (VS_MAX_REFS). */
bool     vs_stream_push(struct vs_stream *s, uint32_t id, unsigned flags,
                        uint32_t time);
/* Done building: frees the numbering, trims the arrays. */
void     vs_stream_done(struct vs_stream *s);
/* s->next from one backward pass (a page's last reference so far). */
void     vs_next_uses(struct vs_stream *s);
/* The references to pages whose hash falls below rate * 2^64 (SHARDS's
   spatial sampling: all or none of a page's references); an error if
   that keeps none. */
void     vs_stream_sample(const struct vs_stream *s, double rate,
                          struct vs_stream *out);
/* The sampling hash of a page number (splitmix64's finaliser). */
static inline uint64_t vs_hash64(uint64_t x)
{
   x += 0x9E3779B97F4A7C15ull;
   x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
   x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
   return x ^ (x >> 31);
}
uint64_t vs_sample_threshold(double rate);

/* ---- reading traces (vs_read.c, vs_vmtrace.c) ---------------------------- */

enum vs_format { VS_FMT_AUTO, VS_FMT_VMTRACE, VS_FMT_ORACLE, VS_FMT_LCS,
                 VS_FMT_CSV };
struct vs_read_opts {
   enum vs_format format;
   const char *csv_columns;          /* --csv-columns, or NULL */
   bool        keep_time;            /* the clock is kept (for export) */
   bool        check_next;           /* check libCacheSim's next-access field */
   bool        count_only;           /* a vmtrace trace: only its references
                                        and pages are counted, not kept (no
                                        job reads the stream: its
                                        simulations replay the file) */
};
/* Reads path ("-": standard input) into *s.  Returns 0, or -1 with a
   one-line message "PATH: offset N: what" in err. */
int  vs_read_trace(const char *path, const struct vs_read_opts *o,
                   struct vs_stream *s, char *err, size_t errlen);
enum vs_format vs_format_by_name(const char *name);
const char *vs_format_name(enum vs_format f);
/* --refs=7,0,1,...: a typed reference string. */
int  vs_read_refs(const char *list, struct vs_stream *s, char *err, size_t errlen);

/* A vmtrace trace (vt_trace.h) is replayed by the core itself, not turned
   into a stream; vs_vmtrace.c says whether this build can. */
int  vs_vmtrace_stream(const char *path, const struct vs_read_opts *o,
                       struct vs_stream *s, char *err, size_t errlen);
/* One simulation fed by the core's replay of the vmtrace trace of s (as
   the tool fed it online); OPT is given each page's next reference in the
   trace's clock.  With oom_stop, the simulation stops at its first
   reference out of memory, as the tool's --oom=stop stops it, and
   *stopped_at is the trace's clock there (instructions, at least 1; else
   0: up to a superblock's instructions before the tool's stopped_at).  With
   replayed, every reference reaches the simulation (the filter off: the
   same figures, more slowly) and *replayed is how many of the stream's the
   simulation took up to its stop (all of them if it did not stop).  0, or
   -1 with a one-line message. */
int  vs_vmtrace_replay(const struct vs_stream *s, struct vt_sim *sim, bool oom_stop,
                       uint64_t *stopped_at, uint64_t *replayed, char *err, size_t errlen);
/* The core's host op oom while a vmtrace trace is replayed (vs_util.c's
   host): stops the simulation if the replay on this thread was asked to. */
void vs_vmtrace_oom(void *ctx, struct vt_mm *mm, uint32_t sim, vt_addr addr);
void vs_vmtrace_free(struct vs_stream *s);
/* A vmtrace trace open for reading: the file and the reader's input,
   which lives as long as the reader (r, which may be taken: NULL). */
struct tfile {
   FILE *f;
   struct vt_trace_in in;
   struct vt_trace_reader *r;
};
/* NULL with a one-line message "PATH: offset N: what" in err. */
struct tfile *vs_trace_open(const char *path, char *err, size_t errlen);
void vs_trace_close(struct tfile *t);
/* The note on stderr for a trace without CRCs (version 1 or 2). */
void vs_trace_unchecked(const char *path);

/* ---- one memory for a process tree (vs_tree.c) ----------------------------

   --tree: the traces of a process tree replayed interleaved by their
   CLOCK events into one simulated memory per (policy, size), with Linux's
   OOM killer; writes its own table, CSV and JSON, and with export_path
   the merged stream (sampled with --sample) as a trace of export_fmt.
   Returns the exit code. */
struct vs_config;
int vs_tree_main(const struct vs_config *cfg, const char *const *paths, unsigned n,
                 const char *csv, const char *json, bool quiet, const char *export_path,
                 enum vs_format export_fmt);

/* ---- writing traces (vs_write.c) ------------------------------------------ */

int  vs_export(const struct vs_stream *s, const char *path, enum vs_format f,
               char *err, size_t errlen);

/* ---- exact miss-ratio curves (vs_mrc.c) ------------------------------------

   A curve: misses at every size from 1 page to the number of distinct
   pages, kept as its steps: misses(c) = misses[k] for the largest k with
   sizes[k] <= c (sizes[0] = 1).  Misses include the first reference to
   every page (cold misses). */
struct vs_curve {
   uint64_t  refs, cold;             /* references; distinct pages */
   uint64_t *sizes, *misses;
   uint32_t  n;
};
/* hist[d - 1] for stack distance d (1..npages); cold misses apart.
   counted: the references counted and the cold misses among them (every
   reference but those made while collection was paused, VS_PAUSED).
   *mem: the bytes held at the end (mallinfo2's count then). */
void     vs_lru_distances(const struct vs_stream *s, uint64_t *hist, uint64_t *mem,
                          uint64_t counted[2]);
void     vs_opt_distances(const struct vs_stream *s, uint64_t *hist, uint64_t *mem,
                          uint64_t counted[2]);
/* The curve of hist (bound: its entries, the stream's cold misses). */
void     vs_curve_from_hist(struct vs_curve *c, const uint64_t *hist,
                            const uint64_t counted[2], uint64_t bound);
uint64_t vs_curve_at(const struct vs_curve *c, uint64_t size);
/* A figure of a spatially sampled stream (rate in (0, 1)) scaled back to
   the whole trace; v itself at any other rate. */
uint64_t vs_sample_scale(uint64_t v, double rate);
/* A sampled stream's curve scaled back: sizes and misses (two steps that
   round to one size become one), refs and cold. */
void     vs_curve_unsample(struct vs_curve *c, double rate);
void     vs_curve_free(struct vs_curve *c);
/* A SHARDS sample's error: the exact LRU miss ratio of full against smp's
   (at round(size x rate)), at n sizes: the largest and the mean difference. */
void     vs_sample_error(const struct vs_stream *full, const struct vs_stream *smp,
                         double rate, const uint64_t *sizes, unsigned n, double *emax,
                         double *emean);

/* ---- jobs and results (vs_run.c) ------------------------------------------ */

/* One cell of the grid: a trace, a policy, a size (or, for an exact curve,
   every size).  Sizes are in pages of the whole trace; a sampled replay
   runs at size * rate and scales what it counts by 1 / rate. */
struct vs_result {
   uint32_t trace;
   const struct vt_policy_ops *policy;
   uint64_t pages;                   /* 0: an exact curve */
   bool     done;
   bool     exact;
   bool     curve_point;             /* a size of --mrc's curve only */
   uint64_t stopped_at;              /* --oom=stop: out of memory at this time */
   struct vt_sim_stats st;
   uint64_t resident;
   uint64_t refs;                    /* references replayed (scaled) */
   uint64_t sim_pages;               /* the size simulated (sampled: scaled) */
   struct vs_curve curve;            /* exact */
   double   cpu;                     /* seconds of CPU the job took */
   uint64_t mem;                     /* bytes it held at its end (--jobs=1) */
};

struct vs_config {
   const struct vt_policy_ops *policies[16];
   unsigned  nr_policies;
   uint64_t  sizes[256];             /* --pages / --ram / --frames */
   unsigned  nr_sizes;
   uint64_t  curve_sizes[256];       /* --sizes for --mrc (0: log-spaced) */
   unsigned  nr_curve_sizes;
   unsigned  curve_points;           /* log-spaced points when none given */
   bool      mrc;
   bool      explain;
   bool      anon;                   /* --page-kind=anon */
   bool      oom_stop;               /* --oom=stop */
   bool      hash_keys;              /* --key-map=hash: the core's hashes */
   bool      verbose;                /* -v: what each phase took */
   uint64_t  swap_pages;             /* 0: unlimited, unless no_swap */
   bool      no_swap;                /* --swap=0: no swap at all */
   struct vt_policy_params params[16];   /* per policy of vt_policies[] */
   double    sample;                 /* 0 or 1: none */
   unsigned  shard_k, shard_n;       /* 1/1: everything */
   unsigned  jobs;                   /* threads */
};

struct vs_trace {                    /* a trace as the results name it */
   char    *name;
   const char *format;
   const char *proc_id;              /* the process image it records (a vmtrace
                                        trace's header), "" if not known */
   uint64_t proc_pid;
   uint64_t refs, pages, skipped;
   bool     replayed;                /* a vmtrace trace: seen */
   struct vs_seen seen;              /* as vs_stream's */
   struct vs_unmod unmod;            /* as vs_stream's */
   uint64_t sampled_refs, sampled_pages;   /* --sample */
   double   err_max, err_mean;       /* --sample: LRU's error estimate */
   uint32_t err_points;
};

struct vs_run {
   struct vs_config  cfg;
   struct vs_trace  *traces;
   uint32_t          nr_traces;
   struct vs_result *res;            /* the grid, in its fixed order */
   uint64_t          nr_res;
};

/* The grid for the traces (their figures filled in): jobs in the order
   trace, policy, size; the curves' sizes decided. */
void vs_grid(struct vs_run *r);
/* Runs the jobs of this shard over the streams, cfg.jobs at a time. */
void vs_run_jobs(struct vs_run *r, struct vs_stream *streams);
/* The sizes a trace's curves are drawn at. */
unsigned vs_curve_sizes(const struct vs_config *c, uint64_t npages,
                        uint64_t *out, unsigned max);

/* Teaching mode (vs_explain.c): the step table of one policy. */
void vs_explain(FILE *f, const struct vs_stream *s, const struct vt_policy_ops *p,
                const struct vt_policy_params *params, uint64_t frames, bool anon,
                uint64_t swap_pages, bool no_swap);

/* ---- output (vs_out.c) ---------------------------------------------------- */

void vs_print_table(FILE *f, const struct vs_run *r);
int  vs_write_csv(const struct vs_run *r, const char *path, char *err, size_t errlen);
int  vs_write_json(const struct vs_run *r, const char *path, char *err, size_t errlen);
/* The figures of a result, as the table and CSV show them. */
uint64_t vs_res_faults(const struct vs_result *x);
uint64_t vs_res_major(const struct vs_result *x);
uint64_t vs_res_minor(const struct vs_result *x);

/* merge (vs_merge.c): joins the JSON files of the shards of one grid. */
int  vs_merge_main(int argc, char **argv);

/* ---- utilities (vs_util.c) ------------------------------------------------ */

extern const char *vs_prog;
/* What an "out of memory" adds: what the run keeps in memory (vs_main) */
extern const char *vs_oom_hint;          /* "vmtrace-sim" */
void *vs_alloc(size_t n);            /* zeroed; exits on failure */
void *vs_realloc(void *p, size_t n);
char *vs_strdup(const char *s);
__attribute__((noreturn, format(printf, 1, 2))) void vs_die(const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
void vs_err(char *err, size_t errlen, const char *fmt, ...);
void vs_core_init(void);

/* Numbers: digits with an optional K, M or G suffix, in powers of base
   (1024 for sizes and pages, 1000 for counts). */

/* An output file written whole or not at all: to a temporary name in the
   same directory, renamed over path at vs_out_close.  "-": standard
   output. */
/* A result file: written in place (a FIFO, /dev/null), or to a file
   without a name (unnamed: O_TMPFILE) named path when whole, or, where the
   filesystem has none, under the temporary name tmp and renamed. */
struct vs_ofile { FILE *f; char *path, *tmp; bool in_place, unnamed; };
int  vs_out_open(struct vs_ofile *o, const char *path, bool binary, char *err,
                 size_t errlen);
int  vs_out_close(struct vs_ofile *o, char *err, size_t errlen);
/* 0 if vs_out_open can write path (checked before any work), else -1 and
   the reason in err. */
int  vs_out_check(const char *path, char *err, size_t errlen);
void vs_out_abort(struct vs_ofile *o);
/* Temporary files to remove if the program dies (vs_die, signals). */
void vs_tmp_register(const char *tmp);
void vs_tmp_unregister(const char *tmp);

/* fn(arg) on nt threads at once (on this one if nt <= 1), until all end. */
void vs_run_threads(unsigned nt, void *(*fn)(void *), void *arg);

/* CPU seconds of this thread, and wall-clock seconds. */
double vs_thread_cpu(void);
double vs_wall(void);

/* JSON strings. */
void vs_json_str(FILE *f, const char *s);

#endif /* VS_H */
