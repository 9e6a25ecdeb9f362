/* vt_tlb.h: the TLB model (tlb.c): data and instruction TLBs of a
   configurable CPU, their second level(s), flushes as Linux's x86 code
   does them, and the misses and page walks they count.
   SPDX-License-Identifier: GPL-2.0-or-later

   A TLB level is one to three arrays, each set-associative with LRU
   replacement inside a set, holding the page sizes it is given (4 KiB,
   2 MiB, 1 GiB); an array of E entries and W ways has E / W sets (any
   number: a 1,536-entry 12-way array has 128 sets) and a page of size S at
   virtual address va (the kernel's: a VMA's vm_koff added for 2 MiB) goes
   to set (va >> S) mod sets.  A reference looks up
   the first level of its side (data or instruction) in the array for the
   page's size; on a miss, the second level (shared by both sides, or one
   per side); on a miss there too the page table is walked (4 levels for a
   4 KiB page, 3 when a 2 MiB PMD ends the walk, 2 for a 1 GiB PUD) and the
   entry filled into both levels; a second-level hit fills the first.  A
   level with no array for a page's size is passed over (a miss there,
   nothing filled).  docs/manual.md "The TLB" says what is not modelled. */
#ifndef VT_TLB_H
#define VT_TLB_H

enum { VT_TLB_4K, VT_TLB_2M, VT_TLB_1G, VT_TLB_NR_SIZES };
/* the levels: first data, first instruction, second data (or shared),
   second instruction (when not shared) */
enum { VT_TLB_L1D, VT_TLB_L1I, VT_TLB_L2D, VT_TLB_L2I, VT_TLB_NR_LEVELS };
#define VT_TLB_MAX_ARRAYS 3

struct vt_tlb_geom {
   uint32_t entries, ways;   /* ways divides entries */
   uint8_t  sizes;           /* bit VT_TLB_4K... */
};
struct vt_tlb_config {
   const char *name;                       /* the preset's, or "custom" */
   struct {
      uint32_t nr;                         /* arrays; 0: no such level */
      struct vt_tlb_geom a[VT_TLB_MAX_ARRAYS];
   } lv[VT_TLB_NR_LEVELS];                 /* lv[VT_TLB_L2I].nr 0: L2 shared */
};

/* The presets (vt_tlb_presets[i].name: "skylake", "zen2"...), the last
   one followed by an entry with a NULL name. */
extern const struct vt_tlb_config vt_tlb_presets[];
const struct vt_tlb_config *vt_tlb_preset(const char *name);
/* One level's arrays from "ENTRIES:WAYS[:SIZES][,ENTRIES:WAYS[:SIZES]...]"
   (SIZES: 4K, 2M, 1G joined by '/'; default all three); NULL, or the
   reason it is not valid (a constant string). */
const char *vt_tlb_parse_level(struct vt_tlb_config *c, int level, const char *s);
/* NULL, or why the configuration cannot be simulated (a page size in two
   arrays of one level, no first level...). */
const char *vt_tlb_check(const struct vt_tlb_config *c);

/* What the TLB counts for the process (while it collects figures);
   index [0] data, [1] instruction. */
struct vt_tlb_stats {
   vt_u64 accesses[2];       /* references the model saw (not those the
                                filter absorbed: the host adds them) */
   vt_u64 l1_miss[2];
   vt_u64 l2_hit[2];
   vt_u64 walks[2][VT_TLB_NR_SIZES];   /* by the size of the page found */
   vt_u64 flushes_full, flushes_pages; /* flush_tlb_mm_range's two ways */
};

struct vt_tlb;
struct vt_mm;
/* The process's TLB (NULL: not simulated); empty. */
struct vt_tlb *vt_tlb_new(const struct vt_tlb_config *c);
void vt_tlb_free(struct vt_tlb *t);
void vt_mm_set_tlb(struct vt_mm *mm, struct vt_tlb *t);
const struct vt_tlb_stats *vt_tlb_stats(const struct vt_tlb *t);
const struct vt_tlb_config *vt_tlb_config(const struct vt_tlb *t);
/* The page walk's depth for a page of this size: 4, 3 or 2 levels. */
static inline unsigned vt_tlb_walk_depth(unsigned size) { return 4 - size; }

/* The core's own (filter.c, vma.c, fork.c) */
/* A reference vt_access answered res: through the TLB.  True if the filter
   may hold the page for the kinds of reference res allows: its entry is
   in the first level of its side, and the filter's pages leave it when
   their entry does (an entry that leaves a first level drops them).  A
   reference the filter absorbs is then a first-level hit, which changes
   nothing but the entry's time: the host writes that time into the stamp
   beside the filter's slot (vt_tlb_stamps), and the TLB reads the stamps
   back only to choose a victim in a set (a fill). */
struct vt_mapping;
bool vt_tlb_ref(struct vt_mm *mm, vt_addr page, enum vt_access acc, unsigned res,
                const vt_pte *ptep,             /* the page's PTE, if known, else NULL */
                const struct vt_mapping *m);    /* its mapping, the same */
/* A reference to a page the filter holds for it (under an earlier epoch's
   mark: vt_filter_epoch_at; or the kernel's), whose PTE is *ptep: a hit in
   the first level, recorded as the inline check records one. */
void vt_tlb_held_ref(struct vt_mm *mm, vt_addr page, enum vt_access acc, const vt_pte *ptep);
/* The host's number of the reference about to reach the model: every
   reference, absorbed or not, has its own, increasing in the order they
   are made (a straddling access's pages share one: the model orders
   them).  The stamps the host writes for absorbed references are these
   numbers; a host that never sets it gets the model's own order (and must
   not let the filter absorb references). */
void vt_tlb_set_time(struct vt_mm *mm, vt_u64 n);
/* The stamps of the filter's table for this kind of access: stamp[slot]
   = n on a reference the filter absorbs there (the filter's tlb_stamp if
   the address space had its filter when given the TLB). */
vt_u64 *vt_tlb_stamps(struct vt_tlb *t, enum vt_access acc);
/* The filter's side (filter.c).  The core's answer for a page (it would
   change nothing) outlives the filter's entry, which also goes when the
   page's TLB entry leaves the first level: the TLB keeps it in a table of
   its own, like the filter's (`known`, with the epoch's mark), which only
   the core's invalidations empty.  A reference the filter let through to
   a page known there needs no vt_access: only the TLB sees it
   (vt_tlb_known_ref: 0 if the page is not known, else what the filter
   may cache for it, or VT_RES_FAULT if nothing: the first level has no
   array for its size).  A page known under an older epoch's mark is
   taken too if old (no simulations, no second address space): its
   reference is then also the working set's, made from the PTE and
   mapping kept with it, which *w receives as the filter's entry does. */
struct vt_filter_where;
unsigned vt_tlb_known_ref(struct vt_mm *mm, vt_addr page, enum vt_access acc, bool old,
                          struct vt_filter_where *w);
void vt_tlb_known_set(struct vt_mm *mm, vt_addr page, enum vt_access acc, unsigned res,
                      const struct vt_filter_where *w);
void vt_tlb_known_forget(struct vt_mm *mm, vt_addr start, vt_addr end);
/* Before the PTEs of [start, end) change (munmap, MADV_DONTNEED, mprotect,
   mremap): the flush the kernel's mmu_gather does for the PTEs present
   there (flush_tlb_mm_range: their span, page by page up to
   tlb_single_page_flush_ceiling pages, else all). */
void vt_tlb_flush_mapped(struct vt_mm *mm, vt_addr start, vt_addr end);
/* Everything (flush_tlb_mm: fork write-protects the parent's pages; a
   fresh mm). */
void vt_tlb_flush_mm(struct vt_mm *mm);
/* A new process (the forked child): empty, its figures zero. */
void vt_tlb_reset(struct vt_mm *mm);

#define VT_TLB_FLUSH_CEILING 33    /* tlb_single_page_flush_ceiling */

/* The misses and walks counted (while the process collects figures) for
   the process, a phase, a mapping, a label, a label in a phase.  Kept here
   rather than in struct vt_counts, so that without --tlb nothing the core
   allocates changes size. */
enum vt_tlb_scope { VT_TLB_TOTAL, VT_TLB_PHASE, VT_TLB_MAPPING, VT_TLB_LABEL,
                    VT_TLB_LABEL_PHASE };
struct vt_tlb_counts { vt_u64 miss[2], walk[2]; };   /* [0] data, [1] instruction */
/* id: the phase's index, the mapping's id, the label's index, or
   label << 24 | phase.  All zero if none counted (or no TLB). */
void vt_tlb_counts(const struct vt_mm *mm, enum vt_tlb_scope scope, vt_u64 id,
                   struct vt_tlb_counts *out);
/* A first-level miss (walk: and a walk) counted for the current phase,
   mapping and label (VT_TLB_NONE: no mapping, no label); the process's
   own are the model's (vt_tlb_stats). */
#define VT_TLB_NONE (~(vt_u64)0)
void vt_tlb_count_miss(struct vt_mm *mm, vt_u64 phase, vt_u64 mapping, vt_u64 label, bool exec,
                       bool walk);
/* Mapping from's figures added to mapping to's (a retired mapping folded
   into another, vma.c); from's are gone. */
void vt_tlb_fold_mapping(struct vt_mm *mm, vt_u64 from, vt_u64 to);

#endif /* VT_TLB_H */
