/* vt_internal.h: what the core's files share with each other.
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VT_INTERNAL_H
#define VT_INTERNAL_H
#include "vt_core.h"

/* host.c: the host's operations (vt_core_init) */
extern const struct vt_host_ops *vt_host;
extern void *vt_host_ctx;

static inline void vt_invalidate(struct vt_mm *mm, vt_addr start, vt_addr end)
{
   if (mm->filter)
      vt_filter_invalidate(mm->filter, start, end);
   else if (vt_host->invalidate)
      vt_host->invalidate(vt_host_ctx, mm, start, end);
}

/* A page-cache page mapped (+1) or unmapped (-1) in this process. */
static inline void vt_file_mapped(const struct vt_file *f, vt_u64 pgoff, int delta)
{
   if (vt_host->file_map)
      vt_host->file_map(vt_host_ctx, f, pgoff, delta);
}

/* The index of the first of n address ranges (an array from base, stride
   bytes apart, each with its end address at byte end_off) that ends above
   addr; n if none.  The ranges are sorted and disjoint. */
static inline uint32_t vt_first_ending_above(const void *base, uint32_t n, size_t stride,
                                             size_t end_off, vt_addr addr)
{
   uint32_t lo = 0, hi = n;
   while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      if (*(const vt_addr *)((const char *)base + mid * stride + end_off) <= addr)
         lo = mid + 1;
      else
         hi = mid;
   }
   return lo;
}

/* trace.c: a public function records its call (when the process is traced
   and the host made the call, not the core itself: mm->in_api counts the
   core's own), and the host's answers as the core gets them. */
struct vt_mmap_req;
void vt_trace_input(struct vt_mm *mm, unsigned op, const vt_u64 *args, const char *str);
void vt_trace_input_mmap(struct vt_mm *mm, const struct vt_mmap_req *r);
void vt_trace_answer(struct vt_mm *mm, unsigned kind, vt_u64 value);
/* The file's FILE event, if the trace has none yet (an event that names
   a file by device and inode, before any mapping of it named it). */
void vt_trace_file(struct vt_mm *mm, struct vt_file *f);
/* What the run's other processes say (host ops frame_shared and
   shmem_exists), or, in a replay, what they said (replay.c); recorded in a
   traced process. */
bool vt_ask_shared(struct vt_mm *mm, vt_u64 frame_id);
bool vt_ask_exists(struct vt_mm *mm, vt_u64 gid, vt_u64 pgoff);
/* Shared memory pages [first, end) of f are gone: the run's other
   processes (and this one's later questions) are told; nothing in a
   replay, whose answers were recorded. */
void vt_tell_shmem_removed(struct vt_mm *mm, const struct vt_file *f, vt_u64 first,
                           vt_u64 end);
/* This process resized f, or punched pages [first, end) out of it (host
   ops file_resized, file_punched); nothing in a replay. */
void vt_tell_file_resized(struct vt_mm *mm, const struct vt_file *f, vt_u64 size_pages);
void vt_tell_file_punched(struct vt_mm *mm, const struct vt_file *f, vt_u64 first,
                          vt_u64 end);
#define VT_API(mm, body) do { (mm)->in_api++; body; (mm)->in_api--; } while (0)

/* An input over a range with one argument (mprotect, mlock, madvise's
   advice): recorded in the page trace as the event tev (start, len, arg),
   then done by body(mm, start, len, arg). */
#define VT_RANGE_INPUT(mm, tev, body, start, len, arg)            \
   do {                                                          \
      vt_u64 args_[] = { (start), (len), (arg) };                \
      vt_trace_input((mm), (tev), args_, NULL);                  \
      VT_API((mm), body((mm), (start), (len), (arg)));            \
   } while (0)

/* MMAP_LOTSAMISS: after this many more misses than hits, mmap faults stop
   reading around (pcache.c, and each simulation's own, mm_sims.c). */
#define VT_MMAP_LOTSAMISS 100

/* linear_page_index: the file offset, in pages, of addr in VMA v. */
static inline vt_u64 vt_linear_page_index(const struct vt_vma *v, vt_addr addr)
{
   return v->vm_pgoff + ((addr - v->vm_start) >> VT_PAGE_SHIFT);
}

/* account.c: a first-level TLB miss (and walk) of a reference to addr */
void vt_count_tlb(struct vt_mm *mm, vt_addr addr, enum vt_access acc, bool walk,
                  const struct vt_mapping *m);  /* addr's mapping if known, else NULL */

/* pgtable.c */
vt_pte *vt_pte_lookup(struct vt_mm *mm, vt_addr addr, bool alloc);
/* Our PMD entry of the 2 MiB holding addr (NULL if its PMD table is not
   made). */
void  **vt_pmd_slot(struct vt_mm *mm, vt_addr addr);
/* Our PTE tables.  A table's 512 entries are kept in 32 chunks of
   VT_PTE_CHUNK (16), each 16 PTEs and then their 16 companion words
   (vt_pte_ext): 256 bytes, made when an entry of it is first wanted.  A
   whole table (512 PTEs and their words, 8 KiB) made for its first entry
   cost 8 KiB for each page of a program that touches one page per 2 MiB
   (a sparse heap, a hash table over a huge reservation); a chunk costs
   about 300 (tests/perf/README.md, "Memory of a simulation").  A chunk
   never moves while its table lives, so the address of a PTE stays good
   (the filter keeps them: vt_filter_where).  A PMD entry holds NULL; or,
   while its table has one chunk, that chunk, tagged: bit 0 set, the
   chunk's number from bit VT_PTAB_CHUNK_NR_SHIFT (the host's allocations
   lie below 2^56 and are 8-byte aligned: asserted); or else the table's
   directory: 32 pointers to its chunks, NULL where none is made (256
   bytes). */
#define VT_PTAB_ONE_CHUNK      ((uintptr_t)1)
#define VT_PTAB_CHUNK_NR_SHIFT 56

static inline vt_pte *vt_ptab_one_chunk(uintptr_t e)
{
   return (vt_pte *)(e & ~(VT_PTAB_ONE_CHUNK | ~(uintptr_t)0 << VT_PTAB_CHUNK_NR_SHIFT));
}

/* Chunk c of the PTE table whose PMD entry is *slot, or NULL if not made. */
static inline vt_pte *vt_ptab_chunk(void *const *slot, unsigned c)
{
   uintptr_t e = (uintptr_t)*slot;
   if (e & VT_PTAB_ONE_CHUNK)
      return e >> VT_PTAB_CHUNK_NR_SHIFT == c ? vt_ptab_one_chunk(e) : NULL;
   return e ? ((vt_pte **)e)[c] : NULL;
}

/* Makes chunk c of the table of *slot (not made yet). */
vt_pte *vt_ptab_chunk_make(void **slot, unsigned c);

/* Entry i of the PTE table whose PMD entry is *slot: NULL if its chunk is
   not made, unless alloc. */
static inline vt_pte *vt_ptab_entry(void **slot, unsigned i, bool alloc)
{
   vt_pte *k = vt_ptab_chunk(slot, i / VT_PTE_CHUNK);
   if (!k) {
      if (!alloc)
         return NULL;
      k = vt_ptab_chunk_make(slot, i / VT_PTE_CHUNK);
   }
   return k + i % VT_PTE_CHUNK;
}
void    vt_free_pgtables(struct vt_mm *mm, vt_addr start, vt_addr end);
void    vt_split_huge_pmd(struct vt_mm *mm, struct vt_vma *v, vt_addr addr);
/* fault.c: MADV_COLLAPSE of the kernel's PMD of v at base. */
bool    vt_collapse_pmd(struct vt_mm *mm, struct vt_vma *v, vt_addr base);
bool    vt_collapse_shmem_pmd(struct vt_mm *mm, struct vt_vma *v, vt_addr base);
/* The PTE of page i of the kernel's PTE table whose first page is at base
   (2 MiB of address space from base, across two of our tables when base
   is not aligned: a VMA's vm_koff), its table made if need be. */
vt_pte *vt_kpte(struct vt_mm *mm, vt_addr base, unsigned i);
/* The kernel's PTE table holding addr of a VMA of vm_koff koff is in use
   (pte_alloc: a PTE is about to be set there); the kernel's tables of
   vm_koff koff reaching into [start, end) that no VMA of that vm_koff
   reaches into any more are freed (free_pgtables). */
void    vt_kpt_alloc(struct vt_mm *mm, vt_addr addr, vt_addr koff);
void    vt_kpt_free(struct vt_mm *mm, vt_addr start, vt_addr end, vt_addr koff);
void    vt_pgtable_init(struct vt_mm *mm);
void    vt_pgtable_destroy(struct vt_mm *mm);

/* vma.c */
uint32_t vt_vma_lower(const struct vt_mm *mm, vt_addr addr);
bool     vt_vma_intersects(const struct vt_mm *mm, vt_addr start, vt_addr end);
struct vt_vma *vt_find_vma_fault(struct vt_mm *mm, vt_addr addr);
void     vt_zap_range(struct vt_mm *mm, struct vt_vma *vma, vt_addr start,
                      vt_addr end, bool keep_touched);
void     vt_share_anon_vma(struct vt_mm *mm, vt_addr start, vt_addr end);
void     vt_kernel_vma(const struct vt_mm *mm, const struct vt_vma *v, struct vt_vma *kv);
/* fault.c: do_fault_around's window around addr in VMA v: the kernel's VMA
   of v (*kv: the model's neighbours it merges) and the addresses
   [*start, *end) of the window (within *kv and its PTE table). */
void     vt_fault_around_range(const struct vt_mm *mm, const struct vt_vma *v, vt_addr addr,
                               struct vt_vma *kv, vt_addr *start, vt_addr *end);
void     vt_anon_vma_prepare(struct vt_mm *mm, struct vt_vma *v);

/* fault.c */
unsigned vt_do_access(struct vt_mm *mm, vt_addr addr, enum vt_access acc,
                      bool user_ref);
/* The same, and where the page is (for the filter, filter.c): its PTE and
   mapping, filled in when the result lets a filter cache the page.  Both
   stay valid as long as a filter entry for the page does: the PTE table
   is freed, and the mapping folded, only after the page is unmapped, which
   invalidates the entry. */
unsigned vt_access_at(struct vt_mm *mm, vt_addr addr, enum vt_access acc,
                      bool user_ref, struct vt_filter_where *where);
void     vt_populate(struct vt_mm *mm, vt_addr start, vt_addr end);
bool     vt_populate_strict(struct vt_mm *mm, vt_addr start, vt_addr end);

/* fork.c */
void vt_frame_put(struct vt_mm *mm, uint32_t idx);

/* wset.c */
void vt_wset_ref(struct vt_mm *mm, struct vt_mapping *m, vt_addr addr,
                 vt_pte *ptep, enum vt_access acc);
/* The heatmap's count of the page at addr of mapping m, referenced for
   the first time in the open epoch, when *row (if row is not NULL) is not
   the row it was counted in before (vt_wset_ref_row): the row looked up
   (or made), counted, and stored in *row. */
void vt_wset_heat_find(struct vt_wset *w, struct vt_mapping *m, vt_addr addr, uint32_t *row);

/* A page whose last reference of one kind was in epoch `last` (0: none)
   is referenced in the open epoch: it enters the windows it was not in. */
static inline void vt_wset_enter(struct vt_wset *w, vt_u64 *ring, vt_u64 *sum, uint32_t last)
{
   vt_u64 age = last ? w->ep - last : ~(vt_u64)0;
   uint32_t now = w->ep_slot;
   if (age < w->nr_ring)        /* last's slot: last % nr_ring, no division */
      ring[now >= age ? now - age : now + w->nr_ring - age]--;
   ring[now]++;
   for (uint32_t i = 0; i < w->cfg.nr_tau; i++)
      if (age >= w->win[i])
         sum[i]++;
}

/* vt_wset_ref with the heatmap row the page was last counted in as its
   filter entry caches it (struct vt_filter_where.heat_row): a hint, taken
   only if that row still has the page's key (keys are unique, so it is
   then the row the hash would give), and updated.  Inline: the filter's
   epoch-only references (filter.c) come here for every page and epoch. */
static inline __attribute__((always_inline)) void
vt_wset_ref_row(struct vt_mm *mm, struct vt_mapping *m, vt_addr addr, vt_pte *ptep,
                enum vt_access acc, uint32_t *row)
{
   /* Collection paused: the reference is no figure's, the working set's
      and the heatmap's neither (the page's epochs stay as they were, so
      its first reference once collecting again counts). */
   if (!mm->collecting)
      return;
   struct vt_wset *w = mm->ws;
   vt_u64 *ext = vt_pte_ext(ptep);
   uint32_t code = (uint32_t)*ext, data = (uint32_t)(*ext >> 32);
   bool first_in_epoch = code != w->ep && data != w->ep;
   if (acc == VT_ACC_EXEC) {
      if (code == w->ep)
         return;
      vt_wset_enter(w, w->ring_code, w->sum_code, code);
      code = w->ep;
   } else {
      if (data == w->ep)
         return;
      vt_wset_enter(w, w->ring_data, w->sum_data, data);
      data = w->ep;
   }
   *ext = code | ((vt_u64)data << 32);
   if (!first_in_epoch || !w->cfg.max_heat_rows)
      return;
   if (row && *row < w->nr_rows) {
      /* the row's key: wset.c's heat() */
      vt_u64 chunk = ((addr - (m->start & VT_PAGE_MASK)) >> VT_PAGE_SHIFT) >> w->chunk_shift;
      if (addr < m->start)
         chunk = 0;
      if (w->rows[*row].chunk == chunk && w->rows[*row].mapping == m->id) {
         w->heat_open[*row]++;
         return;
      }
   }
   vt_wset_heat_find(w, m, addr, row);
}
void vt_wset_forget(struct vt_mm *mm, vt_pte *ptep);
void vt_wset_child(struct vt_mm *mm);
void vt_wset_rename_mapping(struct vt_mm *mm, uint32_t from, uint32_t to);

/* pcache.c */
bool vt_pcache_has(struct vt_mm *mm, const struct vt_file *f, vt_u64 pgoff);
void vt_pcache_add(struct vt_file *f, vt_u64 pgoff);
/* The folio holding a cached page (false if the page is not cached): its
   first page, its size and whether it is marked PG_readahead. */
bool vt_pcache_folio(struct vt_mm *mm, const struct vt_file *f, vt_u64 pgoff,
                     vt_u64 *first, vt_u64 *nr, bool *readahead);
/* filemap_fault's part for a cold file's page pgoff faulted through VMA v:
   readahead (synchronous if the page is not cached, asynchronous if its
   folio is marked); true if the page had to be read (a major fault). */
bool vt_pcache_fault(struct vt_file *f, const struct vt_vma *v, vt_u64 pgoff);
/* get_next_ra_size: the next asynchronous readahead window after one of
   cur pages, at most max. */
vt_u64 vt_get_next_ra_size(vt_u64 cur, vt_u64 max);
/* page_cache_ra_order's folio order for a window of size pages. */
unsigned vt_ra_order_cap(unsigned order, vt_u64 size);
/* page_cache_async_ra's next window in ra (a file's state in the
   unlimited model or a simulation's), the marked folio at index (nr
   pages) reached; has(ctx, pgoff): page pgoff is cached.  False: none. */
bool vt_async_ra_window(struct vt_file_ra *ra, vt_u64 max_pages, vt_u64 index, vt_u64 nr,
                        vt_u64 req_count, vt_u64 size_pages,
                        bool (*has)(const void *ctx, vt_u64 pgoff), const void *ctx);
/* filemap_map_pages mapped nr cached pages: so many fewer misses. */
void vt_pcache_mapped(struct vt_file *f, vt_u64 nr);
/* filemap_read of count bytes at pos: the readahead a cold file's read
   starts, and where it stopped (ra->prev_pos). */
void vt_pcache_read(struct vt_file *f, vt_u64 pos, vt_u64 count);
/* generic_perform_write of count bytes at pos: the folios it makes for
   pages not cached, of orders up to max_order. */
void vt_pcache_write(struct vt_file *f, vt_u64 pos, vt_u64 count, unsigned max_order);
void vt_pcache_cached(struct vt_file *f, vt_u64 first, vt_u64 nr, unsigned order,
                      unsigned flags);
void vt_pcache_clean(struct vt_file *f, vt_u64 first, vt_u64 end);
/* A write fault through a shared mapping dirtied the folio of page pgoff
   of a cold file (it stays through POSIX_FADV_DONTNEED until cleaned). */
void vt_pcache_dirty(struct vt_file *f, vt_u64 pgoff);
/* POSIX_FADV_DONTNEED of pages [first, end) of a cold file: the folios
   wholly inside that no PTE of this process maps leave the cache. */
void vt_pcache_drop(struct vt_mm *mm, struct vt_file *f, vt_u64 first, vt_u64 end);
/* The file known by (dev, ino), or NULL (vma.c). */
struct vt_file *vt_file_find(struct vt_mm *mm, vt_u64 dev, vt_u64 ino);

/* mm_sims.c */
/* Does anything simulate limited memory for mm (its simulations, or a
   pool it shares with other address spaces)? */
static inline bool vt_mm_sims_on(const struct vt_mm *mm)
{
   return mm->nr_sims || mm->pool;
}
/* A reference to a page that every simulation holds as it did when a
   reference last reached them (the filter's entry still holds it: any
   invalidation empties it) would change in them only what an absorbed
   hit does (vt_sim_note_hits), unless one of them ticks first (and
   nothing is absorbed for a pool). */
static inline bool vt_mm_sims_quiet(const struct vt_mm *mm)
{
   return !mm->pool && (!mm->nr_sims || mm->sim_now < mm->sims_tick_min);
}
/* Does a simulation take every absorbed reference before its decisions
   (ARC, LFU, OPT: sim.c's get_frame), or before a tick (NRU, AGING)?  LRU
   takes its victim's (VT_POL_LAZY_HITS), the referenced bit's policies
   none. */
bool vt_mm_sims_take_all(const struct vt_mm *mm);
/* A page mapped without a reference (fault-around, populate, a folio's
   other pages): counted in mm->prefaults, and given to the simulations as
   a prefault. */
void vt_mm_prefault(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr, vt_pte pte);
void vt_mm_sims_ref(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr,
                 vt_pte pte, enum vt_access acc, int cls, bool prefault,
                 unsigned *res);
bool vt_mm_sims_key(struct vt_mm *mm, vt_addr addr, enum vt_access acc, vt_u64 *key,
                    unsigned *flags);
struct vt_replay;
bool vt_replay_answer(struct vt_replay *rp, unsigned kind);
/* A private page left the address space of a replay that gives its host
   the references' keys (vt_replay_env.drop). */
void vt_replay_dropped(struct vt_replay *rp, vt_u64 key);
void vt_mm_sims_drop(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr, vt_pte pte);
void vt_mm_sims_move(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr, vt_addr to,
                     vt_pte pte);
void vt_mm_sims_lock(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr,
                  vt_pte pte, bool locked);
/* Deliver the references held for the simulations that need every one
   (before anything else reaches a simulation). */
void vt_mm_sims_flush(struct vt_mm *mm);
void vt_mm_sims_destroy(struct vt_mm *mm);

/* account.c */
void vt_count_fault(struct vt_mm *mm, struct vt_mapping *m, vt_addr addr,
                    enum vt_access acc, enum vt_fault_class cls, int reason);
void vt_count_touch(struct vt_mm *mm, struct vt_mapping *m, vt_addr addr);

/* label.c */
void vt_labels_init(struct vt_mm *mm);
void vt_labels_destroy(struct vt_mm *mm);

static inline void vt_rss_add(struct vt_mm *mm, struct vt_mapping *m, vt_s64 d)
{
   mm->rss += (vt_u64)d;
   m->resident += (vt_u64)d;
   mm->rss_kind[m->kind] += (vt_u64)d;
   if (mm->rss > mm->peak_rss) {
      mm->peak_rss = mm->rss;
      mm->peak_rss_at = mm->now;
   }
}

#endif
