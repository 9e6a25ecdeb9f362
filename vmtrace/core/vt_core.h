/* vt_core.h: the portable page-table simulator shared by the Valgrind tool
   and the host programs.

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   The core uses no C library and no Valgrind header: only the compiler's
   freestanding headers and the small host interface below, which each
   program linking the core provides (the tool with VG_(malloc), host
   programs with malloc).  Names follow Linux (mm/memory.c, mm/mmap.c):
   vm_area_struct becomes struct vt_vma, a PTE is a vt_pte, and so on. */

#ifndef VT_CORE_H
#define VT_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vt_text.h"

typedef unsigned long long vt_u64;
typedef long long          vt_s64;
typedef vt_u64 vt_addr;
typedef vt_u64 vt_pte;

/* ---- the host interface ---------------------------------------------- */

struct vt_mm;
struct vt_file;
enum vt_access { VT_ACC_READ = 0, VT_ACC_WRITE = 1, VT_ACC_EXEC = 2 };
enum vt_fault_class {
#define VT_FAULT_CLASS(id, name, kind, kernel, desc) VT_FC_##id,
#include "fault_classes.def"
#undef VT_FAULT_CLASS
   VT_NR_FC
};

/* Everything the core needs of the program it is linked into (the tool:
   VG_(malloc), its filter, the run's shared log; a host program: malloc),
   handed over once by vt_core_init before anything else.  alloc, free and
   panic are required; any other member may be NULL: nothing to tell, or
   nothing shared with other processes.  The callbacks get the host's ctx
   and, where it matters, the address space concerned. */
struct vt_host_ops {
   void *(*alloc)(size_t n);          /* zeroed; never NULL (the host aborts) */
   void  (*free)(void *p);
   void  (*panic)(const char *msg) __attribute__((noreturn));

   /* PTEs of [start, end) lost rights a filter may have cached (present,
      write, accessed, dirty), or a simulation needs to see the next
      reference to a page there. */
   void (*invalidate)(void *ctx, struct vt_mm *mm, vt_addr start, vt_addr end);
   /* Every fault counted (invalid ones too, with their VT_INV_* reason). */
   void (*fault)(void *ctx, struct vt_mm *mm, vt_addr addr, enum vt_access acc,
                 enum vt_fault_class cls, int reason);
   /* Simulation number sim of mm ran out of memory bringing in addr. */
   void (*oom)(void *ctx, struct vt_mm *mm, uint32_t sim, vt_addr addr);
   /* Simulation number sim of mm took a major fault of class cls
      (swap_in, file_major) at addr, which the unlimited model may not
      have taken: where a memory limit costs.  May be NULL. */
   void (*sim_fault)(void *ctx, struct vt_mm *mm, uint32_t sim, vt_addr addr,
                     enum vt_fault_class cls);
   /* Deliver the references the filter absorbed (vt_mm_sims_note_hits),
      before a simulation decides anything (mm->hits_noted). */
   void (*flush_hits)(void *ctx, struct vt_mm *mm);

   /* The processes of a run simulate apart, yet share frames copy-on-write
      after fork, shared memory and page-cache pages: whether another
      process still holds one is the host's knowledge.
      At fork: n_new frames get fresh global ids (written into ids[]) held
      by parent and child; the n_old ids in old[] gain the child as holder. */
   void (*frames_fork)(void *ctx, vt_u64 *ids, uint32_t n_new,
                       const vt_u64 *old, uint32_t n_old);
   bool (*frame_shared)(void *ctx, vt_u64 id);     /* another holds it? */
   void (*frame_release)(void *ctx, vt_u64 id);    /* this one no longer */
   /* A page-cache page of f at pgoff was mapped (+1) or unmapped (-1)
      here: other processes may map it too (PSS divides it among them). */
   void (*file_map)(void *ctx, const struct vt_file *f, vt_u64 pgoff, int delta);
   /* Shared memory objects get ids all processes of the run know them by
      (0: not shared); which of their pages exist is shared knowledge. */
   vt_u64 (*shmem_new_gid)(void *ctx);
   void (*shmem_created)(void *ctx, vt_u64 gid, vt_u64 pgoff);
   bool (*shmem_exists)(void *ctx, vt_u64 gid, vt_u64 pgoff);
   /* Pages [first, end) of the object are gone (truncated, punched): for
      every process, until something creates them again.  May be NULL. */
   void (*shmem_removed)(void *ctx, vt_u64 gid, vt_u64 first, vt_u64 end);
   /* This process changed f for every process that maps it: its size is
      now size_pages (truncate, ftruncate, a write or fallocate past its
      end), or pages [first, end) of shared memory were punched out of it
      (fallocate, MADV_REMOVE).  Linux zaps every process's mappings of
      the pages gone (unmap_mapping_range): the host tells the run's other
      processes, which make the same change in their own models
      (vt_file_resize, vt_file_pages, vt_madvise_remove) while it ignores
      what those calls tell it back.  Not called in a replay.  May be
      NULL. */
   void (*file_resized)(void *ctx, const struct vt_file *f, vt_u64 size_pages);
   void (*file_punched)(void *ctx, const struct vt_file *f, vt_u64 first, vt_u64 end);
   /* The TLB model (vt_tlb.h) missed in its first level on a reference to
      addr, and walked the page table if walk: every miss counted. */
   void (*tlb_miss)(void *ctx, struct vt_mm *mm, vt_addr addr, enum vt_access acc,
                    bool walk);
};
void vt_core_init(const struct vt_host_ops *ops, void *ctx);

/* The core's own allocation and panic, through the host. */
void *vt_alloc(size_t n);
void  vt_free(void *p);
void  vt_panic(const char *msg) __attribute__((noreturn));

#define VT_STR2(x) #x
#define VT_STR(x) VT_STR2(x)
#define VT_ASSERT(c)                                                     \
   do {                                                                  \
      if (!(c))                                                          \
         vt_panic("vmtrace core: assertion '" #c "' failed at "     \
                       __FILE__ ":" VT_STR(__LINE__));                   \
   } while (0)

/* Small libc replacements (the core may not call libc). */
void  *vt_memset(void *d, int c, size_t n);
void  *vt_memcpy(void *d, const void *s, size_t n);
size_t vt_strlen(const char *s);
int    vt_strcmp(const char *a, const char *b);
char  *vt_strdup(const char *s);
void  *vt_realloc_array(void *p, size_t old_n, size_t new_n, size_t elem);

/* ---- the hash table (hash.c) ------------------------------------------ */

/* From 64-bit keys (never VT_HASH_EMPTY) to two words of the user's.
   Entry pointers stay valid until the next put or del. */
#define VT_HASH_EMPTY (~(vt_u64)0)
struct vt_hash_ent { vt_u64 key, val, aux; };
struct vt_hash { struct vt_hash_ent *e; vt_u64 n, mask; unsigned shift; };
void vt_hash_init(struct vt_hash *m, vt_u64 expected);
void vt_hash_destroy(struct vt_hash *m);
struct vt_hash_ent *vt_hash_get(const struct vt_hash *m, vt_u64 key);
/* Finds or adds key (a new entry has val = aux = 0). */
struct vt_hash_ent *vt_hash_put(struct vt_hash *m, vt_u64 key, bool *added);
bool vt_hash_del(struct vt_hash *m, vt_u64 key);
/* Deletes every key at or above from. */
void vt_hash_del_from(struct vt_hash *m, vt_u64 from);

/* ---- pages ------------------------------------------------------------ */

#define VT_PAGE_SHIFT 12
#define VT_PAGE_SIZE  ((vt_addr)1 << VT_PAGE_SHIFT)
#define VT_PAGE_MASK  (~(VT_PAGE_SIZE - 1))
#define VT_PTRS_PER_TABLE 512
#define VT_PAGE_ALIGN(a) (((a) + VT_PAGE_SIZE - 1) & VT_PAGE_MASK)
/* A PMD maps 2 MiB: one PTE table's reach (HPAGE_PMD_SIZE). */
#define VT_HPAGE_SHIFT 21
#define VT_HPAGE_SIZE  ((vt_addr)1 << VT_HPAGE_SHIFT)
#define VT_HPAGE_MASK  (~(VT_HPAGE_SIZE - 1))

/* PTE bits.  The hardware-like ones mirror x86 (_PAGE_PRESENT, _PAGE_RW,
   _PAGE_USER, _PAGE_ACCESSED, _PAGE_DIRTY); the others are the software
   state Linux keeps in the PTE or in struct page. */
#define VT_PTE_PRESENT  (1u << 0)
#define VT_PTE_WRITE    (1u << 1)
#define VT_PTE_USER     (1u << 2)
#define VT_PTE_ACCESSED (1u << 3)
#define VT_PTE_DIRTY    (1u << 4)
#define VT_PTE_FILE     (1u << 5)   /* maps a page-cache page */
#define VT_PTE_LOCKED   (1u << 6)   /* in an mlocked VMA */
#define VT_PTE_COW      (1u << 7)   /* anon page shared copy-on-write */
#define VT_PTE_SWAPPED  (1u << 8)   /* not present, contents in swap */
#define VT_PTE_HUGE     (1u << 9)   /* mapped by a huge PMD: all 512 PTEs
                                       of the table have it, or none */
#define VT_PTE_ZERO     (1u << 10)  /* maps the shared zero page */
#define VT_PTE_TOUCHED  (1u << 11)  /* referenced while collecting since
                                       mapped (kept over MADV_DONTNEED):
                                       "pages touched" */
#define VT_PTE_GUARD    (1u << 12)  /* not present: a guard region's marker
                                       (MADV_GUARD_INSTALL, PTE_MARKER_GUARD):
                                       an access is SIGSEGV; kept over
                                       MADV_DONTNEED, gone with munmap */
#define VT_PTE_FLAGS_MASK ((vt_pte)0x1fff)
/* A VT_PTE_COW PTE holds, above the flags, the index of its frame in
   mm->frames: an anonymous page shared with other processes since fork. */
#define VT_PTE_FRAME_SHIFT 13
#define VT_PTE_FRAME(p)    ((uint32_t)((p) >> VT_PTE_FRAME_SHIFT))
/* The companion word of a PTE: the epoch (struct vt_wset.ep) in which the
   page was last referenced by an instruction fetch (low 32 bits) and by
   data (high); 0: none.  Our PTE tables are made in chunks of
   VT_PTE_CHUNK entries (pgtable.c), each chunk its PTEs then their
   companion words. */
#define VT_PTE_CHUNK       16
#define vt_pte_ext(ptep)   ((ptep) + VT_PTE_CHUNK)

/* ---- fault classes (fault_classes.def) ------------------------------ */

enum vt_fc_kind { VT_MINOR, VT_MAJOR, VT_INVALID };

struct vt_fault_class_info {
   const char     *name;        /* JSON key, e.g. "wp_copy" */
   enum vt_fc_kind kind;
   const char     *kernel;      /* the Linux function that handles it */
   const char     *description;
};
extern const struct vt_fault_class_info vt_fault_classes[VT_NR_FC];

struct vt_counts {
   vt_u64 faults[VT_NR_FC];
   vt_u64 touched;            /* pages referenced for the first time
                                 while collecting (VT_PTE_TOUCHED) */
};
vt_u64 vt_counts_minor(const struct vt_counts *c);
vt_u64 vt_counts_major(const struct vt_counts *c);

/* ---- files, mappings, VMAs ------------------------------------------ */

/* file_ra_state: the readahead window of a file, and the access hints
   posix_fadvise gave it (one per file here, following its latest open:
   the kernel's are per open file, file->f_ra and file->f_mode), pcache.c. */
struct vt_file_ra {
   vt_u64   start, size, async_size;
   unsigned order;               /* of the folios the window was read in */
   unsigned mmap_miss;           /* mmap faults that missed, less hits */
   unsigned ra_pages;            /* the window's maximum (read_ahead_kb;
                                    twice that after POSIX_FADV_SEQUENTIAL) */
   unsigned bdi_ra_pages;        /* the disk's window (bdi->ra_pages), which
                                    POSIX_FADV_NORMAL restores */
   bool     seq;                 /* POSIX_FADV_SEQUENTIAL doubled ra_pages */
   bool     random;              /* POSIX_FADV_RANDOM (FMODE_RANDOM): a
                                    synchronous readahead reads just what
                                    was asked (force_page_cache_ra) */
   bool     noreuse;             /* POSIX_FADV_NOREUSE (FMODE_NOREUSE):
                                    reclaim does not see the references of
                                    the file's mappings (vma_has_recency) */
   bool     read_seen;           /* a read(2) left prev_pos (else it is -1) */
   vt_u64   prev_pos;            /* where the last read(2) stopped, in bytes */
};

struct vt_file {                 /* like struct file + its inode */
   vt_u64 dev, ino;
   vt_u64 size_pages;          /* pages of data (i_size rounded up) */
   char    *path;
   bool     shmem;               /* shared anonymous memory, tmpfs, SysV shm:
                                    no dirty tracking, no warm page cache */
   bool     cold;                /* a regular file under --page-cache=cold */
   vt_u64   warm_pages;          /* a regular file under the warm page
                                    cache: its pages below this (its size
                                    when the run met it, less if the run
                                    truncated it) are cached, in order-0
                                    folios unless cache says otherwise;
                                    the pages the run added past it (a
                                    hole ftruncate or fallocate made, a
                                    write past the end) are cached only
                                    where cache has them, as a cold
                                    file's are.  0 for cold files and
                                    shared memory */
   bool     large_folios;        /* its page cache may hold folios larger
                                    than a page: cold files (readahead's)
                                    and a file a write or readahead gave
                                    one (vt_file_write, a warm file's new
                                    pages) */
   bool     sysv_shm;            /* a SysV segment: its VMAs have
                                    shm_vm_ops, with no ->map_pages (no
                                    fault-around) and a ->close (a merge
                                    never removes one: vma.c) */
   struct vt_hash cache;         /* shmem, cold files: pages in the page
                                    cache and their folios (pcache.c) */
   struct vt_hash falloc;        /* shmem: pages fallocate allocated that
                                    are not uptodate yet (not in cache) */
   struct vt_file_ra ra;         /* cold files: readahead */
   vt_u64   gid;                 /* shmem: an id all processes of the run
                                    share (host ops shmem_new_gid), or 0 */
   uint32_t refs;
   uint32_t seq;                 /* made this many files after the first:
                                    names it in simulation keys, the same
                                    in every run and replay */
   struct vt_file *next;
};

/* vm_flags */
#define VT_VM_READ      0x0001u
#define VT_VM_WRITE     0x0002u
#define VT_VM_EXEC      0x0004u
#define VT_VM_SHARED    0x0008u
/* A shared mapping that may never be written: of a file opened read-only
   (do_mmap clears VM_MAYWRITE and VM_SHARED) or a SysV segment attached
   SHM_RDONLY.  It refuses MADV_REMOVE (EACCES) and mprotect(PROT_WRITE). */
#define VT_VM_NOMAYWRITE 0x0020u
/* MAP_NORESERVE (VM_NORESERVE): never accounted (VM_ACCOUNT), so never
   one VMA with an accounted neighbour. */
#define VT_VM_NORESERVE 0x0040u
/* VM_ACCOUNT: given by mmap to a private writable mapping, by mprotect
   to a private one made writable (not MAP_NORESERVE), and taken away
   only by mprotect making an anonymous VMA without an anon_vma
   read-only (since 2026-12-06): a VMA with it and one without are never
   one VMA (before 2026-12-06 told by the mapping's history, flags_ever,
   which a part never writable does not share). */
#define VT_VM_ACCOUNT   0x200000u
#define VT_VM_GROWSDOWN 0x0100u
#define VT_VM_LOCKED    0x2000u
#define VT_VM_LOCKONFAULT 0x80000u  /* mlockall(MCL_ONFAULT): locked, never populated */
#define VT_VM_LOCKED_MASK (VT_VM_LOCKED | VT_VM_LOCKONFAULT)
#define VT_VM_SEQ_READ  0x8000u   /* MADV_SEQUENTIAL */
#define VT_VM_RAND_READ 0x40000u  /* MADV_RANDOM: no readahead */
#define VT_VM_ANON_VMA  0x10000u  /* has had anonymous pages (anon_vma) */
/* The kernel holds this VMA apart from the one before it, though their
   flags are alike now: a forked child's, whose VMAs differed by VM_LOCKED
   in the parent (dup_mmap copies each VMA and merges none).  Cleared
   where the kernel would merge them: a call that changes its flags or
   its neighbour's, a mapping made beside it. */
#define VT_VM_APART     0x100000u
#define VT_VM_DONTCOPY   0x20000u     /* MADV_DONTFORK: a forked child lacks it */
#define VT_VM_WIPEONFORK 0x2000000u   /* MADV_WIPEONFORK: a forked child's is empty */
#define VT_VM_HUGEPAGE   0x20000000u  /* madvise(MADV_HUGEPAGE) */
#define VT_VM_NOHUGEPAGE 0x40000000u  /* madvise(MADV_NOHUGEPAGE) */
#define VT_VM_PROT_MASK (VT_VM_READ | VT_VM_WRITE | VT_VM_EXEC)

enum vt_map_kind {
   VT_MK_TEXT, VT_MK_DATA, VT_MK_BSS, VT_MK_HEAP, VT_MK_STACK,
   VT_MK_ANON, VT_MK_FILE, VT_MK_SHM, VT_NR_MK
};
extern const char *const vt_map_kind_names[VT_NR_MK];

/* One mmap call / startup segment / the heap / the stack: the unit the
   figures are kept for.  Its VMAs may be split by mprotect and munmap. */
struct vt_mapping {
   uint32_t         id;
   vt_addr          start, end;      /* as created (heap, stack: widest) */
   uint32_t         flags_ever;      /* union of vm_flags of its VMAs */
   enum vt_map_kind kind;
   struct vt_file  *file;
   vt_u64         pgoff;           /* file offset in pages at start */
   const char      *name;            /* "[heap]", "[stack]", path or "" */
   vt_u64         created_at, unmapped_at;
   uint32_t         nr_vmas;         /* live VMAs; 0 = unmapped */
   vt_u64         resident;        /* present PTEs, zero page excluded */
   vt_u64         instances;       /* mappings folded into this record */
   struct vt_counts c;
};

/* Mappings unmapped entirely stay listed; past this many, those with the
   same kind, name and file are folded into one record (instances > 1) so a
   program that maps and unmaps in a loop keeps a bounded footprint. */
#define VT_MAX_RETIRED_MAPPINGS 4096

struct vt_vma {                      /* like vm_area_struct */
   vt_addr         vm_start, vm_end;
   uint32_t        vm_flags;
   struct vt_file *vm_file;          /* NULL: private anonymous */
   vt_u64        vm_pgoff;         /* file offset of vm_start, in pages */
   uint32_t        mapping;          /* index into mm->maps */
   /* Where the kernel would have put this VMA, as an offset modulo 2 MiB:
      an address here plus vm_koff is, modulo 2 MiB, the address the same
      page would have natively (thp_get_unmapped_area aligns what Valgrind
      places as it likes).  What depends on an address's place in its PTE
      table (huge PMDs, mTHP folios, fault-around, large file folios)
      reckons with the kernel's address.  0 for what the caller placed. */
   uint32_t        vm_koff;
   /* Which anon_vma the VMA has (VT_VM_ANON_VMA), 0 none: Linux merges
      two VMAs only where at most one has one or both the same
      (is_mergeable_anon_vma); numbered from mm->anon_vma_seq. */
   uint32_t        anon_vma;
};

/* ---- labels and phases ---------------------------------------------- */

struct vt_label {
   char            *name;
   struct vt_counts c;
   struct vt_counts *per_phase;      /* [mm->nr_phases_cap] or NULL */
   vt_addr         (*ranges)[2];     /* as labelled, for the output */
   uint32_t         nr_ranges, cap_ranges;
};

struct vt_label_range { vt_addr start, end; uint32_t label; };

struct vt_phase {
   char            *name;
   struct vt_counts c;
};

/* ---- samples over time (wset.c) --------------------------------------- */

#define VT_MAX_TAUS 8
struct vt_wset_config {
   vt_u64   interval;        /* first sample length, in instructions */
   uint32_t max_samples;     /* when full, neighbours merge, interval x2 */
   vt_u64   epoch;           /* the working set's and heatmap's granularity
                                g, in instructions: a power of two that
                                divides interval (vt_wset_granularity) */
   uint32_t nr_tau;
   vt_u64   tau[VT_MAX_TAUS];/* working-set windows, in instructions */
   uint32_t max_heat_rows;   /* 0: no heatmap */
   uint32_t max_heat_cols;   /* when full, neighbours merge, epochs x2 */
   uint32_t epoch_limit;     /* renumber the pages' epochs when the open
                                one reaches this (0: near 2^32; tests set
                                it small) */
};

/* The granularity g for these windows: the largest power of two at most
   interval and at most the smallest tau / 16, so WS(t, tau) counts whole
   epochs of g instructions (tau rounded up to a multiple of g: at most a
   sixteenth more).  0 if it cannot be honoured: a window below
   VT_WSET_MIN_EPOCH * 16 instructions, or one longer than
   VT_WSET_MAX_EPOCHS epochs (the ring of counters it would need). */
#define VT_WSET_MIN_EPOCH  256u
#define VT_WSET_MAX_EPOCHS (1u << 20)
vt_u64 vt_wset_granularity(const vt_u64 *tau, uint32_t nr_tau, vt_u64 interval);
/* The epochs of g instructions a window of tau covers: ceil(tau / g). */
static inline vt_u64 vt_wset_epochs(vt_u64 tau, vt_u64 g) { return (tau + g - 1) / g; }

#define VT_HEAT_OTHER (~(uint32_t)0)   /* the row of mappings beyond the limit */
struct vt_heat_row {
   uint32_t mapping;
   vt_u64   chunk;           /* page offset in the mapping >> chunk_shift */
   vt_u64  *counts;          /* [max_heat_cols]: page-epochs (below) */
};

/* A simulation's figures at each sample (struct vt_wset.sims[i]): states
   at the sample's end (resident frames, swap-backed ones among them, swap
   slots in use) and events during it. */
enum { VT_SS_RESIDENT, VT_SS_ANON, VT_SS_SWAP_USED, VT_SS_MINOR, VT_SS_SWAP_IN,
       VT_SS_FILE_MAJOR, VT_SS_SWAP_OUT, VT_SS_EVICTIONS, VT_NR_SS };
#define VT_SS_FIRST_EVENT VT_SS_MINOR
extern const char *const vt_sim_series_names[VT_NR_SS];
struct vt_sim_series {
   vt_u64 *col[VT_NR_SS];    /* [max_samples] each */
   vt_u64  last[VT_NR_SS];   /* the event counts at the last sample */
};

struct vt_wset {
   struct vt_wset_config cfg;
   vt_u64   interval;
   uint32_t nr;              /* samples closed; the open one is index nr */
   /* column arrays, [max_samples] each */
   vt_u64  *t, *wall_ms, *touched, *pss_x1000, *uss, *dup;
   vt_u64  *rss[VT_NR_MK];
   vt_u64  *faults[VT_NR_FC];
   vt_u64  *ws_code[VT_MAX_TAUS], *ws_data[VT_MAX_TAUS];
   /* --tlb=yes (mm->tlb when vt_wset_init ran), else NULL: first-level
      misses and walks per sample, [0] data, [1] instruction */
   vt_u64  *tlb_miss[2], *tlb_walk[2];
   vt_u64   tlb_last[4];
   struct vt_counts last;    /* totals at the last sample */
   /* Epochs of cfg.epoch instructions: the open one is epoch_abs
      (counted from 0 at the process's start) and, in the pages'
      companion words, ep (from 1, renumbered at cfg.epoch_limit). */
   vt_u64   epoch_abs;
   uint32_t ep;
   uint32_t ep_slot;         /* ep % nr_ring: the open epoch's ring slot */
   /* The working set: ring_*[e % nr_ring] counts the pages whose last
      code / data reference is in epoch e, for the last nr_ring epochs;
      sum_*[i] the pages whose last reference is in the last win[i]
      epochs, the open one included: WS(t, tau_i). */
   uint32_t nr_ring;
   vt_u64  *ring_code, *ring_data;
   vt_u64   win[VT_MAX_TAUS];
   vt_u64   sum_code[VT_MAX_TAUS], sum_data[VT_MAX_TAUS];
   /* heatmap rows: (mapping, chunk) -> row index through row_hash.
      counts[c] holds, summed over the col_epochs epochs of column c, the
      pages of the row referenced in each epoch. */
   struct vt_heat_row *rows;
   uint32_t nr_rows;
   /* The open column's counts, by row, not yet added to the rows' counts
      (vt_wset_heat_sync): one dense array, where the rows' own columns
      lie max_heat_cols words apart and so share the few cache sets of
      their column. */
   vt_u64  *heat_open;
   struct vt_hash row_hash;
   unsigned chunk_shift;     /* pages per chunk = 1 << chunk_shift */
   vt_u64   col_epochs;      /* epochs per column */
   uint32_t heat_col;        /* the open column, epoch_abs / col_epochs */
   /* the simulations' figures (mm->sims[i]), as many as have been seen */
   struct vt_sim_series *sims;
   uint32_t nr_sims;
};

/* ---- the address space ---------------------------------------------- */

struct vt_mm;

enum { VT_INV_NONE = 0, VT_INV_UNMAPPED = 1, VT_INV_PROTECTION = 2,
       VT_INV_BEYOND_EOF = 3, VT_INV_GUARD = 4, VT_NR_INV };
extern const char *const vt_invalid_reason_names[VT_NR_INV];

struct vt_config {
   unsigned fault_around_pages;      /* 1 = off; a power of two <= 512 */
   bool     notes_hits;              /* the host's filter counts the references
                                        it absorbs and delivers them (with
                                        their time and order) through
                                        vt_mm_sims_note_hits before every
                                        decision of a simulation (host op
                                        flush_hits) and before a page's
                                        identity may change: then it may cache
                                        pages even for simulations that need
                                        every reference */
   bool     zero_page;
   bool     cold_cache;              /* regular files start uncached */
   unsigned readahead_pages;         /* read-around on a major fault */
   /* Transparent huge pages (/sys/kernel/mm/transparent_hugepage):
      enabled (VT_THP_*), use_zero_page, and the process's
      prctl(PR_SET_THP_DISABLE) (MMF_DISABLE_THP).  Set by vt_set_thp. */
   unsigned thp;
   bool     thp_zero_page;
   bool     thp_disabled;
   /* Multi-size THP (hugepages-<size>kB/enabled): bit n set for the orders
      n (2..9: 16 KiB .. 2 MiB folios) that are "always", "madvise" or
      "inherit" (follow thp); an order in none of them is "never".  Not
      given: the kernel's default, the PMD order inheriting, the other
      orders never. */
   uint16_t thp_orders_always, thp_orders_madvise, thp_orders_inherit;
   bool     thp_orders_given;
};
enum { VT_THP_NEVER = 0, VT_THP_MADVISE = 1, VT_THP_ALWAYS = 2 };
#define VT_PMD_ORDER 9
#define VT_THP_ORDERS_ANON ((uint16_t)(((1u << (VT_PMD_ORDER + 1)) - 1) & ~3u))

struct vt_mm {                       /* like mm_struct */
   struct vt_config cfg;

   struct vt_vma *vmas;              /* sorted by vm_start, disjoint */
   uint32_t       nr_vmas, cap_vmas;
   uint32_t       anon_vma_seq;      /* the last struct vt_vma.anon_vma given */
   uint32_t       def_flags;         /* VT_VM_LOCKED (| VT_VM_LOCKONFAULT) after
                                        mlockall(MCL_FUTURE [| MCL_ONFAULT]) */

   void         **pgd;               /* 4-level radix tree of tables */
   vt_u64       nr_pt[4], peak_pt[4];   /* tables per level: pgd..pte (the
                                           pte level the kernel's: kpt) */
   struct vt_hash kpt;               /* the kernel's PTE tables in use, by the
                                        page where each begins (pgtable.c) */
   vt_u64       kpt_last;            /* the key last found there */

   struct vt_mapping **maps;        /* by id; NULL: a slot folding freed */
   uint32_t       nr_maps, cap_maps;
   uint32_t      *free_ids;
   uint32_t       nr_free_ids, cap_free_ids;
   uint32_t       nr_retired, retire_limit;
   struct vt_file *files;
   uint32_t       nr_files_made;     /* vt_file.seq of the next */
   bool           fresh_files;       /* a warm regular file has grown past
                                        its warm part (vt_file.warm_pages):
                                        its reads matter (vt_file_read) */

   vt_addr        start_brk, brk;    /* heap: [start_brk, PAGE_ALIGN(brk)) */
   int32_t        heap_vma_map;      /* mapping id of [heap] or -1 */
   vt_addr        stack_guard_low;   /* the stack may grow down to here */

   struct vt_label *labels;
   uint32_t        nr_labels, cap_labels;
   struct vt_label_range *lranges;   /* sorted, disjoint */
   uint32_t        nr_lranges, cap_lranges;

   struct vt_phase *phases;
   uint32_t        nr_phases, cap_phases, cur_phase;

   vt_u64         prefaults;         /* pages mapped without a reference
                                        (fault-around, populate, a large
                                        folio's other pages, a page moved by
                                        mremap): the simulations take each as
                                        a prefault, which a reference stream
                                        (vmtrace-sim's curves) does not hold */
   vt_u64         populated;         /* accesses the kernel made populating
                                        (MAP_POPULATE, MAP_LOCKED, mlock,
                                        MADV_POPULATE_*): references, and
                                        faults, to the simulations; not in
                                        the trace's reference stream */
   bool           collecting;        /* figures are counted (vt_set_collecting) */
   struct vt_counts total;
   vt_u64       rss, peak_rss;
   vt_u64       peak_rss_at;         /* the time (now) peak_rss was first reached */

   struct vt_wset *ws;               /* NULL: no sampling */
   vt_u64         rss_kind[VT_NR_MK];

   vt_u64        *frames;            /* global id per frame index */
   uint8_t       *frame_live;        /* 1 while the frame index is in use */
   uint32_t       nr_frames, cap_frames, free_frame;  /* free list via ids */
   vt_u64         nr_cow;            /* PTEs mapping shared frames */

   struct vt_sim **sims;             /* limited-memory simulations */
   uint32_t       nr_sims;
   uint8_t       *sim_stopped;       /* per simulation: stopped (OOM) */
   bool           sims_every;        /* one needs every reference */
   bool           sims_counts;       /* one reads their number (VT_POL_COUNTS) */
   struct vt_hash rmap;              /* page-cache key -> address (mm_sims.c) */
   struct vt_hash sims_ra;           /* (file, simulation) -> 1 + its index
                                        in sims_ra_state */
   struct vt_file_ra *sims_ra_state; /* each simulation's own readahead state
                                        of a file (mm_sims.c: the window
                                        and mmap_miss) */
   uint32_t       nr_sims_ra, cap_sims_ra;
   struct vt_sims_shared *sims_shared;  /* what every simulation shares of
                                        a page: settled, pending hits
                                        (mm_sims.c) */
   vt_u64         sims_tick_min;     /* no simulation ticks before (may be
                                        lower than the truth, never higher:
                                        mm_sims.c) */
   const struct vt_mm_pool *pool;    /* one memory for several address
                                        spaces (vt_sim.h): instead of sims */

   /* The clock: set through vt_set_clock only.  now is the virtual time
      of what happens next (instructions), for the figures; sim_now the
      time the simulations see, which the host advances only where it can
      also run their periodic work (the tool: a superblock's entry, and its
      exits, where its counters move), so filtered and unfiltered runs
      agree; sim_order the order of the reference being
      passed on, finer than time (vt_sim_set_order). */
   vt_u64         now, sim_now, sim_order;
   /* What the simulations' clock adds to sim_now (and, shifted by
      VT_STAMP_SHIFT, to sim_order and the filter's stamps): 0, or in a
      forked child its parent's simulated time at the fork (fork.c).  The
      child's clock, and every figure it times, starts at 0; its
      simulations, which begin with the parent's pages stamped with the
      parent's clock, see time go on, so that what the child references
      is more recent than what it does not.  mm_sims.c adds it where time
      reaches a simulation; nothing else sees it. */
   vt_u64         sim_base;

   struct vt_filter *filter;         /* the host's filter, if it is the core's
                                        (vt_filter_init): invalidated and
                                        its hits delivered directly */
   struct vt_tlb *tlb;               /* the TLB model (vt_tlb.h), or NULL */
   struct vt_trace_writer *trace;    /* recording the inputs (vt_trace.h) */
   struct vt_replay *replay;         /* replaying them: the answers */
   unsigned       in_api;            /* depth of the core's calls to itself */
};

/* Result of vt_access: which rights a filter may cache for the page. */
#define VT_RES_CACHE_READ  1u
#define VT_RES_CACHE_WRITE 2u
#define VT_RES_FAULT       4u   /* a (valid) fault was taken */
#define VT_RES_INVALID     8u   /* the access is invalid: SIGSEGV/EFAULT */

void     vt_mm_init(struct vt_mm *mm, const struct vt_config *cfg);
void     vt_mm_destroy(struct vt_mm *mm);

/* The clock (see struct vt_mm): set before each event the host passes on.
   Called for every reference that reaches the core: inline. */
static inline void vt_set_clock(struct vt_mm *mm, vt_u64 now, vt_u64 sim_now,
                                vt_u64 order)
{
   mm->now = now;
   mm->sim_now = sim_now;
   mm->sim_order = order;
}
/* Count figures (VMTRACE_START_COLLECTION) or not. */
void     vt_set_collecting(struct vt_mm *mm, bool on);

/* One reference to the page containing addr. */
unsigned vt_access(struct vt_mm *mm, vt_addr addr, enum vt_access acc);
/* Whether that reference would be served rather than fail (SIGSEGV,
   SIGBUS; in a system call EFAULT); changes nothing.  Below a stack VMA,
   true: the fault decides whether the stack grows. */
bool     vt_access_ok(const struct vt_mm *mm, vt_addr addr, enum vt_access acc);

/* Address-space changes, as the syscalls do them; ranges are page
   aligned by the caller (the syscalls fail otherwise). */
struct vt_mmap_req {
   vt_addr          start, len;
   uint32_t         vm_flags;        /* VT_VM_* */
   struct vt_file  *file;            /* NULL for anonymous */
   vt_u64         pgoff;
   bool             populate;        /* MAP_POPULATE / MAP_LOCKED */
   enum vt_map_kind kind;            /* or VT_NR_MK to infer */
   const char      *name;            /* NULL to infer */
   bool             fixed;           /* placed by the caller (MAP_FIXED, the
                                        loader's segments), not the kernel */
   bool             hint;            /* an address asked for (not MAP_FIXED)
                                        that the kernel keeps to: for a file,
                                        one met; for anonymous memory, any
                                        (vm_koff stays 0) */
};
int  vt_mmap(struct vt_mm *mm, const struct vt_mmap_req *req);
void vt_munmap(struct vt_mm *mm, vt_addr start, vt_addr len);
void vt_mprotect(struct vt_mm *mm, vt_addr start, vt_addr len, uint32_t prot);
/* mremap: new_addr | VT_MREMAP_CHOSEN when the host, not the caller,
   chose where the range moved (MREMAP_MAYMOVE without MREMAP_FIXED): the
   moved range then lies where the kernel's get_unmapped_area would have
   put it (its vm_koff); without it the caller's address is the kernel's
   too, as a MAP_FIXED mapping's is. */
#define VT_MREMAP_CHOSEN 1u
void vt_mremap(struct vt_mm *mm, vt_addr old, vt_addr old_len,
               vt_addr new_addr, vt_addr new_len);
void vt_madvise_dontneed(struct vt_mm *mm, vt_addr start, vt_addr len);
/* A pinning get_user_pages reading [start, start + len) (process_vm_readv's
   remote side), before its references: the unshare faults of the private
   anonymous pages mapped copy-on-write since a fork.  Returns their number. */
vt_u64 vt_gup_unshare(struct vt_mm *mm, vt_addr start, vt_addr len);
/* madvise's VMA flags (MADV_DONTFORK, MADV_WIPEONFORK and their undoing):
   the VMAs of the range get `set` and lose `clear`. */
void vt_madvise_flags(struct vt_mm *mm, vt_addr start, vt_addr len, uint32_t set,
                      uint32_t clear);
/* MADV_POPULATE_READ (write false) / MADV_POPULATE_WRITE: fault the pages
   in from start, as read or write faults (counted, no references), up to
   the first page GUP cannot fault in (no VMA, no read or write right, a
   guard marker, beyond the end of the file): the call then fails there.
   Returns the pages done. */
vt_u64 vt_madvise_populate(struct vt_mm *mm, vt_addr start, vt_addr len, bool write);
/* MADV_GUARD_INSTALL (install true) / MADV_GUARD_REMOVE over the VMAs of
   [start, start + len), holes skipped; installing stops at an mlocked VMA
   (the kernel's EINVAL there). */
void vt_madvise_guard(struct vt_mm *mm, vt_addr start, vt_addr len, bool install);
/* madvise(MADV_HUGEPAGE) (huge) or MADV_NOHUGEPAGE (!huge): the VMAs of
   the range, split at its edges, gain VM_HUGEPAGE or VM_NOHUGEPAGE. */
void vt_madvise_hugepage(struct vt_mm *mm, vt_addr start, vt_addr len, bool huge);
/* madvise(MADV_COLLAPSE): the range's anonymous memory collapsed into huge
   pages now, as Linux 6.18 does (vma.c, collapse_part). */
void vt_madvise_collapse(struct vt_mm *mm, vt_addr start, vt_addr len);
/* The THP settings (vt_config.thp, thp_zero_page, thp_disabled): given
   after vt_mm_init (recorded in the page trace when not all off), and
   again when prctl(PR_SET_THP_DISABLE) changes them. */
void vt_set_thp(struct vt_mm *mm, unsigned thp, bool zero_page, bool disabled);
/* The per-size settings (vt_config.thp_orders_*), likewise. */
void vt_set_thp_orders(struct vt_mm *mm, uint16_t always, uint16_t madvise,
                       uint16_t inherit);
void vt_mlock(struct vt_mm *mm, vt_addr start, vt_addr len, bool lock);
/* An mlock (lock) or munlock that failed with ENOMEM after the kernel's
   walk began (a hole, or a page mlock could not fault in): the part of
   the work the kernel did (vma.c says which). */
void vt_mlock_failed(struct vt_mm *mm, vt_addr start, vt_addr len, bool lock);
void vt_madvise_remove(struct vt_mm *mm, vt_addr start, vt_addr len);
void vt_mlockall(struct vt_mm *mm, bool current, bool future, bool onfault);
void vt_munlockall(struct vt_mm *mm);
void vt_set_brk(struct vt_mm *mm, vt_addr new_brk);
/* The VMA holding the stack pointer sp becomes [stack], able to grow down
   (expand_stack) as far as lowest.  False if no VMA holds sp. */
bool vt_set_stack(struct vt_mm *mm, vt_addr sp, vt_addr lowest);

struct vt_file *vt_file_get(struct vt_mm *mm, vt_u64 dev, vt_u64 ino,
                            const char *path, vt_u64 size_bytes, bool shmem);
struct vt_file *vt_file_new_shmem(struct vt_mm *mm, const char *name,
                                  vt_u64 size_bytes);
/* The file (dev, ino) now holds size_bytes (ftruncate, truncate): pages past
   its new end leave the page cache and every mapping of it (as
   truncate_pagecache does), and touching them is SIGBUS. */
void vt_file_resize(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, vt_u64 size_bytes);
/* The regular file (dev, ino) at path grew from old_bytes to new_bytes
   (ftruncate, truncate, fallocate): a file the model does not know yet is
   made with its old size first, so that under the warm page cache the
   pages past it are new (not cached: vt_file.warm_pages); then
   vt_file_resize. */
void vt_file_grown(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                   vt_u64 old_bytes, vt_u64 new_bytes);
/* read(2) (pread, readv, ...) asked for count bytes at pos of the regular
   file (dev, ino) at path, size_bytes long: under --page-cache=cold, the
   readahead it starts (pcache.c); under the warm page cache only for a
   file the model knows that has pages past its warm part (the others are
   cached whole). */
void vt_file_read(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                  vt_u64 size_bytes, vt_u64 pos, vt_u64 count);
/* write(2) (pwrite64, writev, ...) put count bytes at pos of the regular
   file (dev, ino) at path, size_bytes long before the call, on a
   filesystem whose page cache takes folios up to max_order (0: order-0
   pages only): the folios it gave the pages that were not cached
   (pcache.c).  vt_file_write_matters says whether it changes anything:
   under the warm page cache only a write that makes large folios or
   reaches pages the file did not have when the run met it. */
bool vt_file_write_matters(const struct vt_mm *mm, vt_u64 dev, vt_u64 ino,
                           vt_u64 size_bytes, vt_u64 pos, vt_u64 count, unsigned max_order);
void vt_file_write(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                   vt_u64 size_bytes, vt_u64 pos, vt_u64 count, unsigned max_order);
/* --page-cache=machine: the page cache as the machine held it when the
   run first met the regular file (dev, ino) at path, size_bytes long
   (vmtrace-pcache's probe): pages [first, first + nr) are cached, in
   naturally aligned folios of 2^order pages (nr a multiple), the first
   page of each marked PG_readahead if flags has VT_CACHED_READAHEAD, and
   every page dirty if VT_CACHED_DIRTY.  Pages the model holds already
   are left as they are. */
#define VT_CACHED_READAHEAD 1u
#define VT_CACHED_DIRTY     2u
void vt_file_cached(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                    vt_u64 size_bytes, vt_u64 first, vt_u64 nr, unsigned order,
                    unsigned flags);
/* posix_fadvise(POSIX_FADV_WILLNEED) of pages [first, first + nr) of the
   regular file (dev, ino) under a cold page cache: force_page_cache_ra
   reads those not cached, at most the file's readahead window of them from
   first, not past the end, in order-0 folios (page_cache_ra_unbounded at
   the mapping's minimum order); the readahead state stays as it was.
   Recorded as the pages cached (VT_TEV_FILE_CACHED). */
void vt_file_willneed(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                      vt_u64 size_bytes, vt_u64 first, vt_u64 nr);
/* --page-cache=machine: the readahead window of the file's disk (its
   bdi's read_ahead_kb / 4), in pages, for the regular file (dev, ino). */
void vt_file_ra_pages(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                      vt_u64 size_bytes, unsigned ra_pages);
/* open(2) of the regular file (dev, ino): under --page-cache=cold its
   readahead state starts afresh, and under every page cache the hints
   posix_fadvise gave it go (the kernel's are per open file). */
void vt_file_open(struct vt_mm *mm, vt_u64 dev, vt_u64 ino);
/* posix_fadvise(advice) of the regular file (dev, ino) at path, size_bytes
   long, for the advice that changes the open file's mode or window
   (generic_fadvise): VT_FADV_NORMAL (the disk's window again, RANDOM and
   NOREUSE undone), VT_FADV_RANDOM (FMODE_RANDOM), VT_FADV_SEQUENTIAL (the
   window doubled, RANDOM undone), VT_FADV_NOREUSE (FMODE_NOREUSE).  The
   advice's range does not matter: it is the whole open file's.  Other
   advice is ignored here. */
#define VT_FADV_NORMAL     0u
#define VT_FADV_RANDOM     1u
#define VT_FADV_SEQUENTIAL 2u
#define VT_FADV_NOREUSE    5u
void vt_file_fadvise(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, const char *path,
                     vt_u64 size_bytes, unsigned advice);
/* Whether the model knows the regular file (dev, ino) under the warm
   page cache with pages past its warm part (the run added them: they are
   read with readahead): then its disk's readahead window, in pages. */
bool vt_file_fresh(const struct vt_mm *mm, vt_u64 dev, vt_u64 ino, unsigned *ra_pages);
/* Whether the model knows the file (dev, ino) (it was mapped): then its
   size in pages and whether it is shared memory. */
bool vt_file_known(const struct vt_mm *mm, vt_u64 dev, vt_u64 ino, vt_u64 *size_pages,
                   bool *shmem);
/* Pages [first, end) of the shared-memory file (dev, ino) written by a
   system call (VT_FILE_WRITTEN: now in the object's page cache), punched
   out of it (VT_FILE_PUNCHED, fallocate(FALLOC_FL_PUNCH_HOLE): gone from
   every shared mapping of it here and from the object) or allocated
   (VT_FILE_ALLOCATED, fallocate: not uptodate, unless an earlier
   fallocate allocated it).  For a regular file only VT_FILE_DROPPED,
   under --page-cache=cold: POSIX_FADV_DONTNEED (vt_pcache_drop), and
   under every page cache VT_FILE_CLEANED and VT_FILE_WRITEBACK. */
#define VT_FILE_WRITTEN   0u
#define VT_FILE_PUNCHED   1u
#define VT_FILE_ALLOCATED 2u
#define VT_FILE_DROPPED   3u   /* POSIX_FADV_DONTNEED of a cold regular file */
#define VT_FILE_CLEANED   4u   /* fsync and its kin: a regular file's pages
                                  written back: clean in a cold page cache
                                  (vt_pcache_clean), their shared PTEs
                                  clean and write-protected (mkclean) */
#define VT_FILE_WRITEBACK 5u   /* writeback begun, not waited for
                                  (POSIX_FADV_DONTNEED, sync_file_range
                                  without SYNC_FILE_RANGE_WAIT_AFTER): the
                                  shared PTEs' mkclean only */
void vt_file_pages(struct vt_mm *mm, vt_u64 dev, vt_u64 ino, vt_u64 first, vt_u64 end,
                   unsigned op);

const struct vt_vma *vt_find_vma(const struct vt_mm *mm, vt_addr addr);
vt_pte vt_get_pte(const struct vt_mm *mm, vt_addr addr);

/* fork (not vfork or clone(CLONE_VM), which share the address space and
   copy nothing): marks the parent's private anonymous pages copy-on-write,
   as copy_page_range does for VMAs that have an anon_vma. */
void vt_fork_prepare(struct vt_mm *mm);
/* In the child: start fresh figures (the simulations' too) and, if the
   memory image was copied (not vfork), drop what Linux does not copy
   (PTEs of VMAs without anonymous pages, mlock).  Called with the clock
   still the parent's at the fork (sim_now: the parent's time, which
   becomes the child's sim_base); the clock is the child's, 0, after. */
void vt_fork_child(struct vt_mm *mm, bool copied);
/* The address space goes (exit, execve): frames are released. */
void vt_release_frames(struct vt_mm *mm);

/* Sampling: vt_wset_init once; then the host closes a sample whenever the
   clock passes vt_wset_next(mm), and then, when it passes
   vt_wset_next_epoch(mm), begins a new epoch with vt_wset_epoch; after
   either it must make the first reference to each page reach vt_access
   again, or at least vt_wset_ref (vt_filter_epoch_at).  A regular sample closes an epoch too: the
   interval is a multiple of the epoch. */
void   vt_wset_init(struct vt_mm *mm, const struct vt_wset_config *cfg);
vt_u64 vt_wset_next(const struct vt_mm *mm);
vt_u64 vt_wset_next_epoch(const struct vt_mm *mm);
void   vt_wset_epoch(struct vt_mm *mm, vt_u64 now);
/* The heatmap's columns so far (the open one included), and the epochs
   each holds (the last one: the epochs begun in it). */
uint32_t vt_wset_heat_cols(const struct vt_mm *mm);
vt_u64   vt_wset_heat_col_epochs(const struct vt_mm *mm, uint32_t c);
/* The rows' counts (struct vt_heat_row.counts) brought up to date: before
   reading them. */
void     vt_wset_heat_sync(struct vt_mm *mm);
/* What the host knows of the sample's moment: the wall clock, PSS (x1000)
   and USS, and dup, the pages that the processes of the run count more
   than once in their resident sets (the sum over shared pages of holders
   minus one, as the run's processes last told), so that the tree's
   resident memory is the sum of its processes' RSS minus dup. */
struct vt_sample_host { vt_u64 wall_ms, pss_x1000, uss, dup; };
void   vt_wset_sample(struct vt_mm *mm, vt_u64 now, const struct vt_sample_host *h);

/* Simulations of limited memory (vt_sim.h) fed by this address space
   (mm_sims.c); the host creates them (vt_sim_create with a NULL owner) and
   destroys them after vt_mm_destroy. */
struct vt_sim;
void vt_mm_add_sim(struct vt_mm *mm, struct vt_sim *s);
/* Simulation i no longer runs (it ran out of memory, --oom=stop). */
void vt_mm_stop_sim(struct vt_mm *mm, uint32_t i);
/* n references to the page at addr that the host's filter absorbed, the
   last at time last and in order `order` (see sim_order): delivered to
   every running simulation (vt_config.notes_hits). */
void vt_mm_sims_note_hits(struct vt_mm *mm, vt_addr addr, vt_u64 n, vt_u64 last,
                          vt_u64 order);
/* The periodic work of simulation i (NRU, AGING) on the host's clock
   (sim_now's, without sim_base): when it next ticks (0: due now;
   VT_SIM_NO_PAGE: never), and advancing it to the host's time now. */
vt_u64 vt_mm_sims_next_tick(const struct vt_mm *mm, uint32_t i);
void   vt_mm_sims_advance(struct vt_mm *mm, uint32_t i, vt_u64 now);

/* ---- the filter (filter.c) ----------------------------------------------

   A software TLB in front of vt_access: a direct-mapped table of page
   addresses per access kind (read, write, exec).  An entry for page p
   means a reference of that kind to p cannot change any simulated state or
   figure (vt_access said so: VT_RES_CACHE_*), so the host drops it; the
   host op invalidate empties entries whose rights changed.  With a
   simulation that needs every reference (LRU, LFU, ARC, OPT: mm->sims_every)
   the host also stamps each absorbed reference in its slot ((time <<
   VT_STAMP_SHIFT) | its position in the time step) and counts it; the
   counts are delivered (vt_mm_sims_note_hits) before any decision of a
   simulation (host op flush_hits: vt_filter_deliver), before a slot is
   refilled or emptied, and before the page's identity may change, so the
   policies decide as if every reference had reached them.  The tool checks
   the tables inline in generated code; a host program (the replay) with
   vt_filter_ref.

   Epochs of the working set (vt_wset_epoch): the first reference to each
   page in an epoch must reach the simulator.  An entry holds the page
   address with the mark of the epoch it was filled in above it
   (VT_FILTER_TAG: the epoch's number mod VT_FILTER_MARKS, times 2^48), and
   a reference hits only an entry of the open epoch's mark, so a new epoch
   (vt_filter_epoch_at) changes the mark instead of emptying the tables.
   A miss on an entry of an earlier mark is a
   reference that can change nothing but the working set and the heatmap
   (the entry's rights still hold: invalidation empties entries of any
   mark), so without simulations it goes to them directly, with the PTE
   and mapping kept beside the entry, instead of through vt_access. */
#define VT_FILTER_ENTRIES 256u   /* per kind, with hits counted (LFU: the
                                    counts are scanned too) */
#define VT_FILTER_TLB     1024u  /* per kind with the TLB model (tlb.c's
                                    stamps and owners have as many) */
#define VT_FILTER_STAMPED 1024u  /* per kind with hits stamped after the
                                    call (vt_filter_set_stamp_after): they
                                    are delivered by a scan of every slot
                                    at each decision */
#define VT_FILTER_MAX     4096u  /* per kind otherwise (vt_filter_start):
                                    the fewer misses, the fewer helper
                                    calls (16 MiB of pages a kind: xz -6
                                    of 2 MiB, whose match finder spans
                                    more than the 4 MiB of 1,024 slots,
                                    takes 1.3 million conflict misses
                                    instead of 5.3) */
#define VT_FILTER_OCC       256u /* slots the occupied list names */
#define VT_FILTER_OCC_RETRY 64u  /* scans before the list is tried again */
/* An entry: the page's address plus its epoch's mark times 2^48 (above
   any user address), so that the inline check is one subtraction:
   (address + mark * 2^48) - entry is at most 4096 - size exactly when the
   entry holds the access's page under the open mark and the access lies
   within it (vt_instrument.c).  An empty slot's value leaves at least 2^63
   there whatever the address and mark; its page bits are no user page. */
#define VT_FILTER_MARK_SHIFT 48
#define VT_FILTER_PAGE_MASK (VT_PAGE_MASK & (((vt_u64)1 << VT_FILTER_MARK_SHIFT) - 1))
#define VT_FILTER_EMPTY   (((vt_u64)1 << 63) | VT_FILTER_PAGE_MASK)
#define VT_FILTER_MARKS   0x10000u /* marks: the epoch's number mod 2^16 */
#define VT_FILTER_TAG(page, mark) ((page) | ((vt_u64)(mark) << VT_FILTER_MARK_SHIFT))
#define VT_FILTER_TAG_PAGE(tag)   ((tag) & VT_FILTER_PAGE_MASK)
#define VT_STAMP_SHIFT    16
#define VT_POS_MAX        0x3fffu
/* The order of a reference (sim_order, the filter's hit stamps): its time
   step (the superblock's instruction count) and its place in it.  A system
   call's kernel references come between two superblocks, at the count the
   next one starts from: they take place 0 of its time step, and the
   superblock's own references (the pos'th checked access) places 1 and up,
   so the kernel's rank before the block that follows the call. */
#define VT_ORDER(time, pos)    (((vt_u64)(time) << VT_STAMP_SHIFT) | ((vt_u64)(pos) + 1))
#define VT_ORDER_KERNEL(time)  ((vt_u64)(time) << VT_STAMP_SHIFT)
struct vt_filter_where {
   vt_pte *ptep;
   struct vt_mapping *m;
   uint32_t heat_row;        /* the heatmap row its page was last counted
                                in (a hint: vt_wset_ref_row) */
};
struct vt_filter {
   vt_u64 tag[3][VT_FILTER_MAX];          /* by enum vt_access: VT_FILTER_TAG */
   vt_u64 hit_stamp[3][VT_FILTER_MAX];
   vt_u64 hit_count[3][VT_FILTER_MAX];
   /* With stamp_after: the latest order a slot's stamps were accounted up
      to (a miss at the slot, a delivery); a stamp at or below it is no
      new hit. */
   vt_u64 hit_floor[3][VT_FILTER_MAX];
   /* --tlb=yes: the TLB model's stamps (vt_tlb_stamps), here so that the
      host's inline check addresses them as its tags */
   vt_u64 tlb_stamp[3][VT_FILTER_TLB];
   unsigned nr;                     /* slots per kind in use: a power of
                                       two, at most VT_FILTER_MAX */
   struct vt_filter_where *where;   /* [3 * VT_FILTER_MAX]: beside
                                       each entry, its page's PTE and
                                       mapping (allocated, so that the
                                       tool's image keeps its size) */
   /* With count_hits: the slots that may hold a page, so that a delivery
      visits those instead of scanning every slot (a simulation of a few
      frames keeps few pages in the filter, and delivers at each of its
      many faults).  occ[0, occ_n): kind * VT_FILTER_MAX + slot of each
      slot filled since the list was last pruned, each once (in_occ);
      with occ_over (more than VT_FILTER_OCC) the deliveries scan, and
      every VT_FILTER_OCC_RETRY scans the list is made again from the
      tags if they hold few enough. */
   uint16_t *occ;                   /* [VT_FILTER_OCC] */
   uint8_t  *in_occ;                /* [3 * VT_FILTER_MAX] */
   unsigned  occ_n, occ_scans;
   bool      occ_over;
   vt_u64 mark;               /* the open epoch's, < VT_FILTER_MARKS */
   vt_u64 mark_tag;           /* VT_FILTER_TAG(0, mark): what the generated
                                 code adds to an address */
   vt_u64 mark_base;          /* the epoch the tables were last emptied in
                                 (vt_filter_epoch_at) */
   bool   on;                 /* absorb references at all (--fast-path) */
   bool   count_hits;         /* stamp and count them (vt_filter_start) */
   bool   stamp_after;        /* with count_hits, not count_n: the
                                 generated code stores a check's stamp
                                 after its miss call too, hit or miss (no
                                 condition), except a fetch check within a
                                 page: its slot is stamped, as for the
                                 later fetches from the page, at the
                                 block's next fetch check or exit, or by
                                 a data miss of their instruction; so
                                 a slot's stamp may be one already
                                 accounted (hit_floor), or be in an empty
                                 slot (ignored) */
   vt_u64 refetch_tag;        /* mark_tag, or VT_FILTER_EMPTY if an
                                 instruction fetch entry may have been
                                 emptied, or a fetch left its page out,
                                 since the generated code last relied on
                                 it: then a superblock's later fetch from
                                 the page of its last fetch check is
                                 checked in C (the tool's vt_refetch; the
                                 generated code compares this word with the
                                 mark it holds in a register) */
   bool   count_n;            /* with count_hits: the generated code counts
                                 them too (a policy reads the number:
                                 VT_POL_COUNTS); else it only stamps them,
                                 and a slot's non-zero stamp (VT_ORDER is
                                 never 0) says it holds hits */
   struct vt_mm *mm;
   /* A second address space the host feeds the same references (the
      tool's --thp-compare), or NULL: each reference that misses is passed
      to also() too, which returns that space's VT_RES_* for it, and a page
      is cached only with the rights both results allow.  Its host op
      invalidate must empty this filter's entries as mm's does. */
   unsigned (*also)(void *ctx, vt_addr page_addr, enum vt_access acc);
   void    *also_ctx;
};
void vt_filter_init(struct vt_filter *f, struct vt_mm *mm, bool on);
void vt_filter_destroy(struct vt_filter *f);
/* Once the simulations are added: whether hits must be counted. */
void vt_filter_start(struct vt_filter *f);
/* Every slot's counted hits to the simulations; true if there were any. */
bool vt_filter_deliver(struct vt_filter *f);
/* The hits the filter absorbed to the page at page_addr, delivered (the
   slots of every kind that hold it); true if there were any. */
bool vt_filter_deliver_page(struct vt_filter *f, vt_addr page_addr);
/* Hits delivered, every entry emptied. */
void vt_filter_flush(struct vt_filter *f);
void vt_filter_invalidate(struct vt_filter *f, vt_addr start, vt_addr end);
/* The clock went back (a forked child's starts at 0): no stamp is
   accounted yet (stamp_after). */
void vt_filter_clock_reset(struct vt_filter *f);
/* Working-set epoch number n (the clock / the epoch's length) begins
   (after vt_wset_epoch): the mark becomes n mod VT_FILTER_MARKS, so no
   entry hits until a reference refills it; every VT_FILTER_MARKS - 1
   epochs (and when n goes back: a forked child's clock starts at 0) the
   tables are emptied, so no entry of an earlier round can look current. */
void vt_filter_epoch_at(struct vt_filter *f, vt_u64 n);
/* The page leaves the data tables (read, write) or the instruction one:
   the TLB model's entry for it left the first level. */
void vt_filter_drop(struct vt_filter *f, vt_addr page_addr, bool exec);
/* A reference to the page at page_addr that the filter did not absorb:
   to vt_access (the clock set already), and the slot refilled if it may. */
void vt_filter_miss(struct vt_filter *f, vt_addr page_addr, enum vt_access acc);
/* The same for the reference the filter misses most (and so checked first
   by a host's miss handler): its slot holds the page under an earlier
   epoch's mark, and nothing simulates limited memory nor the TLB, so what
   it changes is only the working set's and the heatmap's counts for the
   open epoch (vt_filter_miss would do the same).  False, having done
   nothing, for any other reference: then it goes to vt_filter_miss. */
bool vt_filter_epoch_miss(struct vt_filter *f, vt_addr page_addr, enum vt_access acc);
/* After vt_filter_start, before any reference: hits are stamped after the
   call (stamp_after), with no counts. */
void vt_filter_set_stamp_after(struct vt_filter *f);
/* A reference as a host without generated code makes it: absorbed (and
   counted, with its stamp) if the filter holds the page, else a miss. */
static inline void vt_filter_ref(struct vt_filter *f, vt_addr page_addr,
                                 enum vt_access acc, vt_u64 stamp)
{
   unsigned i = (unsigned)(page_addr >> VT_PAGE_SHIFT) & (f->nr - 1);
   if (f->tag[acc][i] == VT_FILTER_TAG(page_addr, f->mark)) {
      if (f->count_hits) {
         f->hit_stamp[acc][i] = stamp;
         if (!f->stamp_after)
            f->hit_count[acc][i]++;
      }
      return;
   }
   /* as the tool's miss handlers (vt_filter.c's epoch_only): the epoch's
      first reference to a page the slot holds, first */
   if (!vt_filter_epoch_miss(f, page_addr, acc))
      vt_filter_miss(f, page_addr, acc);
   /* stamp_after: as the tool's generated code, the stamp after the miss
      too (its own order: below the slot's floor) */
   if (f->stamp_after)
      f->hit_stamp[acc][i] = stamp;
}

/* stamp_after: a hit the generated code did not stamp (a superblock's
   later fetch from a page), at order: stamped if the slot holds the page
   (delivered then if it is above the slot's floor). */
static inline void vt_filter_stamp(struct vt_filter *f, enum vt_access t, vt_addr page_addr,
                                   vt_u64 order)
{
   unsigned i = (unsigned)(page_addr >> VT_PAGE_SHIFT) & (f->nr - 1);
   if (f->tag[t][i] != VT_FILTER_EMPTY && VT_FILTER_TAG_PAGE(f->tag[t][i]) == page_addr &&
       order > f->hit_stamp[t][i])
      f->hit_stamp[t][i] = order;
}

/* Labels and phases (client requests). */
void vt_label(struct vt_mm *mm, vt_addr start, vt_addr len, const char *name);
void vt_unlabel(struct vt_mm *mm, vt_addr start, vt_addr len);
void vt_set_phase(struct vt_mm *mm, const char *name);

/* Page-table walking for the writers: calls fn for every PTE slot that
   is non-zero in [start, end). */
typedef void (*vt_pte_fn)(void *ctx, vt_addr addr, vt_pte *ptep);
void vt_walk_ptes(struct vt_mm *mm, vt_addr start, vt_addr end,
                  vt_pte_fn fn, void *ctx);
/* Pages mapped by huge PMDs now, the huge zero page's excepted (smaps'
   AnonHugePages / 4 KiB): a walk of the page table. */
vt_u64 vt_anon_huge_pages(struct vt_mm *mm);
/* Page-cache pages of regular files mapped by PMDs now (smaps'
   FilePmdMapped / 4 KiB), and of shared memory (ShmemPmdMapped / 4 KiB). */
vt_u64 vt_file_pmd_pages(struct vt_mm *mm);
vt_u64 vt_shmem_pmd_pages(struct vt_mm *mm);

#include "vt_tlb.h"

#endif /* VT_CORE_H */
