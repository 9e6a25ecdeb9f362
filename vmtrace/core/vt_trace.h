/* vt_trace.h: the page trace (--trace-out-file, docs/output-format.md):
   what a process's run gave the core, recorded so that vmtrace-sim can
   give it to the core again, with simulations the run did not have, and
   get exactly what they would have given online.

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   A trace holds every memory reference of the program (each load, store
   and instruction fetch, and what the kernel reads and writes for its
   system calls) in the order they ran, with the clock, and every other
   input of the core (mmap, munmap, mprotect, fork, exec, labels, the answers
   the other processes of the run gave about shared frames), so a replay
   rebuilds the same address space and feeds its simulations the same
   reference string as the tool fed them.  No reference is left out: which
   references a policy at a RAM size may absorb depends on the policy and
   the size, so a trace for all of them must hold them all.

   The file: an 8-byte magic "VMTRACE\2", a little-endian u32 length and
   that many bytes of JSON (the header: format version, pid, ppid, parent
   trace and the record offset where this process forked, command, start
   time, the core's vt_config) and their CRC-32C, then a stream of items,
   one byte each followed by varints where the item says so, cut into
   blocks each framed by its length and CRC-32C (docs/output-format.md has
   the byte layout).  Versions 1 and 2 ("VMTRACE\1") had neither CRC nor
   frames: they are read unchecked, and vt_trace_checked says so.  The writer is the core's, so every program that links
   the core writes and reads the same format. */

#ifndef VT_TRACE_H
#define VT_TRACE_H

#include "vt_core.h"

#define VT_TRACE_MAGIC   "VMTRACE\x02"   /* "VMTRACE\x01": versions 1 and 2 */
#define VT_TRACE_VERSION 3     /* 2: CLOCK and OOM_ADJ events (a reader of
                                   2 reads 1: they are absent there); 3:
                                   CRC-32C of the header and of each block
                                   of items, the UNMODELLED event (a reader
                                   of 3 reads 1 and 2, unchecked) */
#define VT_TRACE_FRAME   8     /* a block's frame: length, CRC-32C */

/* CRC-32C (Castagnoli) of len bytes, going on from crc (0 to begin). */
uint32_t vt_crc32c(uint32_t crc, const void *buf, size_t len);

/* ---- raw references: what the host records, one 64-bit word each ------

   The host (the tool's instrumentation) appends words to a buffer of its
   own and hands them over with vt_trace_raw: a reference (address, size
   in bytes, access kind), a reference the kernel made inside a system call
   (same layout), or a time word (the instruction count from now on: the
   simulations' clock). */
#define VT_TRAW_REF     0ULL
#define VT_TRAW_KERNEL  (1ULL << 62)
#define VT_TRAW_TIME    (2ULL << 62)
#define VT_TRAW_SB_END  (3ULL << 62)    /* a superblock ends: the next
                                           reference's begins (ticks due) */
#define VT_TRAW_CONT    (VT_TRAW_SB_END | 1)  /* the next page of the previous
                                           reference's access (the host
                                           splits a straddling access so
                                           that what the core asks about the
                                           first page lands before it) */
#define VT_TRAW_TYPE(w) ((w) & (3ULL << 62))
#define VT_TRAW(addr, size, acc) \
   (((vt_u64)(addr) & 0xffffffffffffULL) | ((vt_u64)((size) > 4095 ? 4095 : (size)) << 48) | \
    ((vt_u64)(acc) << 60))
#define VT_TRAW_ADDR(w) ((w) & 0xffffffffffffULL)
#define VT_TRAW_SIZE(w) (((w) >> 48) & 0xfff)
#define VT_TRAW_ACC(w)  ((enum vt_access)(((w) >> 60) & 3))
#define VT_TRAW_INSNS(w) ((w) & ~(3ULL << 62))

/* ---- events: the core's inputs other than references ---------------------

   Each is an opcode and unsigned fields (and a string where it says); a
   file is named by its index in the trace, defined by a FILE event. */
enum vt_tev {
   VT_TEV_NONE,
   VT_TEV_CONFIG,        /* fault_around_pages, zero_page, cold_cache, readahead */
   VT_TEV_FILE,          /* index, dev, ino, size in pages, flags (1 shmem, 2 no
                            map_pages, 4 cold), gid; path */
   VT_TEV_MMAP,          /* start, len, vm_flags, file index or 0, pgoff, populate,
                            kind | 0x100 if named | 0x200 if fixed; name */
   VT_TEV_MUNMAP,        /* start, len */
   VT_TEV_MPROTECT,      /* start, len, prot */
   VT_TEV_MREMAP,        /* old, old_len, new, new_len */
   VT_TEV_DONTNEED,      /* start, len (MADV_DONTNEED) */
   VT_TEV_MLOCK,         /* start, len, lock; +2: the call failed */
   VT_TEV_MLOCKALL,      /* current, future: 0, 1, or 2 with MCL_ONFAULT */
   VT_TEV_MUNLOCKALL,
   VT_TEV_BRK,           /* new break */
   VT_TEV_STACK,         /* stack pointer, lowest address */
   VT_TEV_RESIZE,        /* dev, ino, size in bytes (ftruncate) */
   VT_TEV_LABEL,         /* start, len; name */
   VT_TEV_UNLABEL,       /* start, len */
   VT_TEV_PHASE,         /* ; name */
   VT_TEV_COLLECT,       /* on */
   VT_TEV_FORK,          /* the parent, as it forks (fork, not vfork) */
   VT_TEV_FORK_CHILD,    /* copied: the child's first event */
   VT_TEV_RELEASE,       /* the address space goes (exit, execve) */
   VT_TEV_ANSWER,        /* kind (VT_TANS_*), value: what the run's other
                            processes said, in the order the core asked */
   VT_TEV_PARENT,        /* pid, id, offset: a forked child's first event:
                            its address space is its parent's after reading
                            the parent's trace (the one whose header has
                            that id) up to that byte offset */
   VT_TEV_POPULATE,      /* start, len, write (MADV_POPULATE_READ/WRITE) */
   VT_TEV_GUARD,         /* start, len, install (MADV_GUARD_INSTALL/REMOVE) */
   VT_TEV_THP,           /* enabled (VT_THP_*), use_zero_page, disabled
                            (vt_set_thp); absent: all off */
   VT_TEV_HUGEPAGE,      /* start, len, huge (MADV_HUGEPAGE 1, NOHUGEPAGE 0) */
   VT_TEV_THP_ORDERS,    /* orders always, madvise, inherit (vt_set_thp_orders);
                            absent: the kernel's default */
   VT_TEV_MADVISE,       /* start, len, set, clear: VMA flags (MADV_DONTFORK,
                            MADV_WIPEONFORK and their undoing) */
   VT_TEV_CLOCK,         /* wall clock, microseconds since the epoch: at the
                            trace's start and after each system call, so
                            that a tree's traces can be interleaved as
                            they ran (vmtrace-sim --tree); a replay of one
                            trace ignores it.  Format 2 on. */
   VT_TEV_OOM_ADJ,       /* the process's oom_score_adj + 1000 (0..2000): at
                            the start and when the process changes it.
                            Format 2 on. */
   VT_TEV_COLLAPSE,      /* start, len (MADV_COLLAPSE) */
   VT_TEV_REMOVE,        /* start, len (MADV_REMOVE) */
   VT_TEV_UNMODELLED,    /* ; name: the process used something whose
                            memory accesses the model cannot see (the
                            tool's run.unmodelled: "io_uring",
                            "MADV_PAGEOUT"), so its figures, and a
                            replay's, are not the kernel's.  Once per name
                            and image, where first used; a forked child's
                            trace repeats its parent's after PARENT.
                            Version 3 on; a replay changes nothing for it */
   VT_TEV_UNSHARE,       /* start, len: a pinning get_user_pages reads the
                            range (process_vm_readv on the process itself),
                            before its references (vt_gup_unshare) */
   VT_TEV_FILE_PAGES,    /* dev, ino, first page, end page, written (0),
                            punched (1), allocated (2) or dropped (3): a
                            shared-memory file's pages filled by write,
                            punched or allocated by fallocate; a cold
                            regular file's dropped by POSIX_FADV_DONTNEED
                            (vt_file_pages) */
   VT_TEV_FILE_READ,     /* dev, ino, size in bytes, pos, count: read(2) of
                            a cold regular file (vt_file_read); the file
                            defined before by a FILE event */
   VT_TEV_FILE_OPEN,     /* dev, ino: open(2) of a cold regular file the
                            process knows (vt_file_open) */
   VT_TEV_FILE_WRITE,    /* dev, ino, size in bytes before, pos, count,
                            max order: write(2) of a regular file
                            (vt_file_write); the file defined before by a
                            FILE event */
   VT_TEV_FILE_CACHED,   /* dev, ino, size in bytes, first page, pages,
                            order | 0x100 if PG_readahead | 0x200 if
                            dirty: the machine's
                            page cache held these pages of a regular file
                            in folios of that order when the run met it
                            (--page-cache=machine, vt_file_cached) */
   VT_TEV_FILE_RA,       /* dev, ino, size in bytes, readahead pages: the
                            file's disk's window (--page-cache=machine,
                            vt_file_ra_pages) */
   VT_TEV_FILE_ADVICE,   /* dev, ino, size in bytes, advice: posix_fadvise
                            of a regular file: POSIX_FADV_NORMAL (0),
                            RANDOM (1), SEQUENTIAL (2) or NOREUSE (5)
                            (vt_file_fadvise) */
   VT_TEV_NR
};
#define VT_TANS_SHARED 1      /* host op frame_shared */
#define VT_TANS_EXISTS 2      /* host op shmem_exists */
unsigned vt_trace_event_nargs(unsigned op);
bool     vt_trace_event_has_str(unsigned op);

/* ---- writing ------------------------------------------------------------ */

struct vt_trace_writer;
struct vt_trace_out {
   /* Bytes of the file, in order. */
   void (*write)(void *ctx, const void *buf, size_t len);
   /* Before an event: hand over the raw words recorded so far
      (vt_trace_raw), so that the event lands after them. */
   void (*sync)(void *ctx);
   void *ctx;
};
/* header_json: the header's JSON text (the host's: pid, command...). */
struct vt_trace_writer *vt_trace_writer_new(const struct vt_trace_out *out,
                                            const char *header_json);
void vt_trace_raw(struct vt_trace_writer *w, const vt_u64 *words, size_t n);
/* Ends the stream (an end item) and frees the writer. */
void vt_trace_writer_end(struct vt_trace_writer *w);
/* Frees the writer, writing nothing more (a forked child's copy of its
   parent's: the bytes it holds are the parent's to write). */
void vt_trace_writer_abandon(struct vt_trace_writer *w);
/* Bytes written so far (the record offset a forked child's header names). */
vt_u64 vt_trace_offset(const struct vt_trace_writer *w);

/* The core records its inputs itself once given a writer (its public
   functions call vt_trace_input when the host called them); the host only
   records raw references.  The first event: the address space's
   configuration (CONFIG), or, for a forked child (parent_pid != 0), where
   it stood in its parent's trace (PARENT): the trace whose header's "id"
   is parent_id, at byte parent_offset. */
void vt_mm_set_trace(struct vt_mm *mm, struct vt_trace_writer *w, vt_u64 parent_pid,
                     vt_u64 parent_id, vt_u64 parent_offset);
/* What only the host knows, recorded where the references recorded so far
   end: the wall clock (microseconds since the epoch) and the process's
   oom_score_adj (-1000..1000).  Nothing in the core's model changes. */
void vt_trace_clock(struct vt_mm *mm, vt_u64 us);
void vt_trace_oom_adj(struct vt_mm *mm, int adj);
/* What the model cannot see that the process used (VT_TEV_UNMODELLED). */
void vt_trace_unmodelled(struct vt_mm *mm, const char *name);

/* ---- reading -------------------------------------------------------------

   vt_trace_next yields the items in order: a reference (page address,
   access kind, whether the kernel made it, whether it is the next page of
   the previous reference's access, which then has its time and order),
   a new time, or an event, which vt_trace_apply gives to an address
   space.  Errors (a truncated or corrupt file) are reported with the byte
   offset. */
enum vt_titem_kind { VT_TI_REF, VT_TI_TIME, VT_TI_EVENT, VT_TI_END, VT_TI_ERROR };
struct vt_titem {
   enum vt_titem_kind kind;
   vt_addr        page;         /* REF: the page's address */
   enum vt_access acc;          /* REF */
   bool           kernel;       /* REF: made by the kernel in a system call */
   bool           cont;         /* REF: next page of the previous access */
   vt_u64         insns;        /* TIME */
   bool           sb_end;       /* TIME: a superblock ended here */
   vt_u64         offset;       /* the item's byte offset in the file */
   /* EVENT: decoded by vt_trace_apply (opaque here) */
   unsigned       op;
   vt_u64         arg[8];
   const char    *str;          /* valid until the next call */
   const char    *error;        /* ERROR: what is wrong */
};
struct vt_trace_reader;
struct vt_trace_in {
   /* Up to len bytes of the file into buf; 0 at its end, < 0 on error. */
   long (*read)(void *ctx, void *buf, size_t len);
   void *ctx;
};
/* NULL with *error set if the file does not begin as a trace should. */
struct vt_trace_reader *vt_trace_reader_new(const struct vt_trace_in *in,
                                            const char **error);
/* The header's JSON text. */
const char *vt_trace_header(const struct vt_trace_reader *r);
/* Whether the trace carries CRCs (version 3 on), which the reader checks
   before it decodes anything they cover: a corrupt block is an error
   naming its offset.  False: a version 1 or 2 trace, read unchecked. */
bool vt_trace_checked(const struct vt_trace_reader *r);
bool vt_trace_next(struct vt_trace_reader *r, struct vt_titem *it);
void vt_trace_reader_free(struct vt_trace_reader *r);

/* An EVENT item given to mm as the run gave it.  Answers the run's other
   processes gave (is a frame still shared, does a shared-memory page
   exist) come as events too: the replaying host's ops answer from them
   (vt_trace_answer). */
void vt_trace_apply(struct vt_mm *mm, const struct vt_titem *it);

/* ---- replaying (replay.c) -------------------------------------------------

   A process's trace replayed into a fresh address space configured as the
   header says, feeding the simulations sims[0..n) (made with
   vt_sim_create, RAM-limited or not) exactly as the tool fed them online:
   the same references, clock, order and absorbed hits, so every figure of
   vt_sim_stats equals the online run's with the same policy and sizes.
   A forked child's trace begins where its parent's stood at the fork: the
   replay reads the parent's trace (found by parent_trace, which opens the
   trace of that pid whose header's "id" is id, or returns NULL; the
   replay frees the reader when it is done with it) up to there first.  keys, if not
   NULL, is told every reference's simulation key, in order, with its
   VT_SIMA_* flags and time (for miss-ratio curves and export): this
   trace's own references only (a forked child's parent's, replayed up to
   the fork, rebuild the address space but are not told).  Returns
   0, or -1 with *error (a one-line message naming the byte offset). */
struct vt_sim;
#define VT_REPLAY_FAULTED (1u << 30)
#define VT_REPLAY_PAUSED  (1u << 29)
struct vt_replay_env {
   struct vt_trace_reader *(*parent_trace)(void *ctx, vt_u64 pid, vt_u64 id);
   /* flags: VT_SIMA_*, VT_REPLAY_FAULTED when the address space (of
      unlimited memory) took a fault for the reference, VT_REPLAY_PAUSED
      when it was made while the process's collection was paused (the
      simulations count nothing for it: vt_set_collecting) */
   void (*keys)(void *ctx, vt_u64 key, unsigned flags, vt_u64 time);
   /* With keys: a private page left the address space (unmapped, zapped
      by MADV_DONTNEED, moved by mremap): its key names another page if it
      is referenced again.  May be NULL. */
   void (*drop)(void *ctx, vt_u64 key);
   /* At the end, the address space as the replay left it (its figures). */
   void (*done)(void *ctx, const struct vt_mm *mm);
   /* Each event of this trace's own (not a parent's up to the fork), once
      applied (may be NULL). */
   void (*event)(void *ctx, const struct vt_titem *it);
   void *ctx;
};
int vt_replay(struct vt_trace_reader *r, struct vt_sim **sims, uint32_t nr_sims,
              const struct vt_replay_env *env, const char **error);

/* The same replay a step at a time (vmtrace-sim --tree interleaves the
   traces of a process tree by their CLOCK events): open does what
   vt_replay does before the trace's own items (a forked child's parent's
   trace replayed up to the fork); each step replays items up to the next
   CLOCK event and returns 1 with its value in *clock, 0 at the end, -1
   with *error on an error; close frees all (the reader stays the
   caller's).  NULL from open: *error. */
struct vt_replay *vt_replay_open(struct vt_trace_reader *r, struct vt_sim **sims,
                                 uint32_t nr_sims, const struct vt_replay_env *env,
                                 const char **error);
int  vt_replay_step(struct vt_replay *rp, vt_u64 *clock, const char **error);
struct vt_mm *vt_replay_mm(struct vt_replay *rp);
void vt_replay_close(struct vt_replay *rp);

#endif /* VT_TRACE_H */
