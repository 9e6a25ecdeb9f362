/* mm_sims.c: feeding the simulations of limited physical memory (vt_sim.h)
   with what the address-space model sees: references with the fault class
   the unlimited model took, pages mapped without a reference (fault-around),
   pages that go (unmap, MADV_DONTNEED), mlock.

   Keys: an anonymous page is its virtual page number (each process
   simulates its own memory limit); a page-cache page (a file's, or shared
   memory's) is its (file, offset), so every mapping of it in the process
   finds the same frame, and it stays cached when unmapped, counted
   against RAM until the policy evicts it, as the page cache does.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"
#include "vt_sim.h"

#define PCACHE_KEY_BIT VT_SIM_KEY_PCACHE

static bool is_pcache(const struct vt_vma *v, vt_pte pte)
{
   return (pte & VT_PTE_FILE) && v->vm_file;
}

/* With a pool (one memory for several address spaces), a file known by
   its device and inode is that in every one of them: its creation number,
   which differs from one address space to another, is left out. */
static vt_u64 pcache_key(const struct vt_file *f, vt_u64 pgoff, bool pool)
{
   vt_u64 seq = pool && (f->dev || f->ino) ? 0 : (vt_u64)f->seq << 17;
   vt_u64 id = f->shmem && f->gid ? f->gid
             : (f->dev * 0x9E3779B97F4A7C15ULL) ^ f->ino ^ seq;
   vt_u64 h = (id ^ (pgoff * 0xC2B2AE3D27D4EB4FULL)) * 0x100000001B3ULL;
   return (h ^ (h >> 29)) | PCACHE_KEY_BIT;
}

static vt_u64 key_of(const struct vt_mm *mm, const struct vt_vma *v, vt_addr addr,
                     vt_pte pte)
{
   if (is_pcache(v, pte))
      return pcache_key(v->vm_file, vt_linear_page_index(v, addr), mm->pool != NULL);
   return addr >> VT_PAGE_SHIFT;
}

/* Where a page-cache key is mapped, for the filter's invalidation: the
   last address seen, or "several" (then the whole filter goes). */
#define RMAP_SEVERAL (~(vt_addr)0)
static void rmap_note(struct vt_mm *mm, vt_u64 key, vt_addr addr)
{
   bool added;
   struct vt_hash_ent *e = vt_hash_put(&mm->rmap, key, &added);
   if (added)
      e->val = addr & VT_PAGE_MASK;
   else if (e->val != (addr & VT_PAGE_MASK))
      e->val = RMAP_SEVERAL;
}

/* ---- the simulations' clock -------------------------------------------------

   The host's clock (sim_now, sim_order, the filter's stamps) plus
   mm->sim_base: a forked child's simulations go on from its parent's time
   at the fork while its own clock starts at 0 (vt_core.h).  Everything
   below that passes a time or an order to a simulation passes these;
   what the address space keeps (sims_tick_min) is on the host's clock. */
static inline vt_u64 sims_time(const struct vt_mm *mm, vt_u64 t)
{
   return t + mm->sim_base;
}

static inline vt_u64 sims_order(const struct vt_mm *mm, vt_u64 order)
{
   return order + (mm->sim_base << VT_STAMP_SHIFT);
}

/* ---- what the simulations share of a page --------------------------------

   Every simulation sees the same references.  A reference to a page that
   is resident, referenced (and, for a write, dirty) in every running
   simulation, under the same flags, with no tick due, changes in each only
   what the reference itself is: the frame's last_ref, last_order and refs,
   which only the policies that need every reference read (VT_POL_EVERY:
   LRU, LFU, ARC; OPT offline).  Such a page is "settled": its entry in
   sims_shared->page says so (aux: SP_READ, SP_WRITE for writes too, and
   the flags it was settled under), set when every simulation answered
   VT_SIMR_CACHEABLE to a reference, cleared when any of them invalidates
   the key (evicted, referenced bit cleared, written back), drops or locks
   it.  A reference to a settled page reaches no simulation: one lookup,
   whatever the number of simulations.  If a simulation needs every
   reference, the reference is held in a pending entry of the page (count,
   last time and order, on the simulations' clock; val: entry + 1), and
   the pending entries, in the order of their last reference, are
   delivered (vt_sim_note_hits) to those simulations before anything else
   reaches any simulation: before any other reference, drop or lock, and
   before any decision (owner flush_hits).  So each simulation sees the same calls in the same order
   as if every reference had reached it, with a page's held references
   merged into one call at the place of the last, as the filter's hits
   are.  Without the fast path (the core's filter off) nothing is settled:
   the tests that compare both modes compare this too. */

#define SP_READ        1u
#define SP_WRITE       2u
#define SP_FLAGS_SHIFT 8

#define PEND_NONE (~(uint32_t)0)
struct pend {
   vt_u64   key, n, last, order;
   uint32_t prev, next;             /* in the order of the last reference;
                                       next: the free list too */
};

struct vt_sims_shared {
   struct vt_hash page;             /* key -> val: pending + 1; aux: SP_* */
   struct pend   *pend;
   uint32_t       cap, free, head, tail;
   bool           flushing;
};

static struct vt_sims_shared *shared_new(void)
{
   struct vt_sims_shared *sh = vt_alloc(sizeof *sh);
   vt_hash_init(&sh->page, 512);
   sh->free = sh->head = sh->tail = PEND_NONE;
   return sh;
}

void vt_mm_sims_destroy(struct vt_mm *mm)
{
   struct vt_sims_shared *sh = mm->sims_shared;
   if (!sh)
      return;
   vt_hash_destroy(&sh->page);
   vt_free(sh->pend);
   vt_free(sh);
   mm->sims_shared = NULL;
}

/* A reference held for key (e: its entry). */
static void pend_add(struct vt_sims_shared *sh, struct vt_hash_ent *e, vt_u64 key,
                     vt_u64 n, vt_u64 last, vt_u64 order)
{
   uint32_t i;
   if (e->val) {
      i = (uint32_t)(e->val - 1);
      struct pend *p = &sh->pend[i];
      p->n += n;
      if (last > p->last)
         p->last = last;
      if (order > p->order)
         p->order = order;
      if (i == sh->tail)
         return;
      /* unlink, to go to the tail */
      if (p->prev == PEND_NONE)
         sh->head = p->next;
      else
         sh->pend[p->prev].next = p->next;
      sh->pend[p->next].prev = p->prev;
   } else {
      if (sh->free == PEND_NONE) {
         uint32_t c = sh->cap ? 2 * sh->cap : 64;
         sh->pend = vt_realloc_array(sh->pend, sh->cap, c, sizeof *sh->pend);
         for (uint32_t k = sh->cap; k < c; k++)
            sh->pend[k].next = k + 1 < c ? k + 1 : PEND_NONE;
         sh->free = sh->cap;
         sh->cap = c;
      }
      i = sh->free;
      sh->free = sh->pend[i].next;
      e->val = (vt_u64)i + 1;
      struct pend *p = &sh->pend[i];
      p->key = key;
      p->n = n;
      p->last = last;
      p->order = order;
   }
   struct pend *p = &sh->pend[i];
   p->next = PEND_NONE;
   p->prev = sh->tail;
   if (sh->tail == PEND_NONE)
      sh->head = i;
   else
      sh->pend[sh->tail].next = i;
   sh->tail = i;
}

void vt_mm_sims_flush(struct vt_mm *mm)
{
   struct vt_sims_shared *sh = mm->sims_shared;
   if (!sh || sh->head == PEND_NONE || sh->flushing)
      return;
   sh->flushing = true;
   uint32_t i = sh->head;
   sh->head = sh->tail = PEND_NONE;
   while (i != PEND_NONE) {
      struct pend p = sh->pend[i];
      struct vt_hash_ent *e = vt_hash_get(&sh->page, p.key);
      VT_ASSERT(e && e->val == (vt_u64)i + 1);
      e->val = 0;
      sh->pend[i].next = sh->free;
      sh->free = i;
      for (uint32_t k = 0; k < mm->nr_sims; k++)
         if (!mm->sim_stopped[k] &&
             (vt_sim_config(mm->sims[k])->policy->needs & VT_POL_EVERY))
            vt_sim_note_hits(mm->sims[k], p.key, p.n, p.last, p.order);
      i = p.next;
   }
   sh->flushing = false;
}

/* key is no longer settled. */
static void unsettle(struct vt_mm *mm, vt_u64 key)
{
   struct vt_sims_shared *sh = mm->sims_shared;
   struct vt_hash_ent *e = sh ? vt_hash_get(&sh->page, key) : NULL;
   if (e)
      e->aux = 0;
}

/* Where the page a simulation knows by key is mapped: an anonymous key
   is its page number, a page-cache key's address is rmap's; RMAP_SEVERAL
   where it is not known. */
static vt_addr key_addr(const struct vt_mm *mm, vt_u64 key)
{
   if (!(key & PCACHE_KEY_BIT))
      return key << VT_PAGE_SHIFT;
   const struct vt_hash_ent *e = mm->rmap.e ? vt_hash_get(&mm->rmap, key) : NULL;
   return e ? e->val : RMAP_SEVERAL;
}

/* The filter entries of a simulation's key must go. */
void vt_mm_sims_invalidate_key(struct vt_mm *mm, vt_u64 key)
{
   unsettle(mm, key);
   vt_addr addr = key_addr(mm, key);
   if (addr != RMAP_SEVERAL)
      vt_invalidate(mm, addr, addr + VT_PAGE_SIZE);
   else
      vt_invalidate(mm, 0, (vt_addr)1 << 47);    /* not known: all of it */
}

static void owner_invalidate(void *ctx, vt_u64 key)
{
   vt_mm_sims_invalidate_key(ctx, key);
}

static void owner_flush_hits(void *ctx, struct vt_sim *s)
{
   struct vt_mm *mm = ctx;
   (void)s;
   if (mm->filter)
      vt_filter_deliver(mm->filter);
   else if (vt_host->flush_hits)
      vt_host->flush_hits(vt_host_ctx, mm);
   vt_mm_sims_flush(mm);
}

static void owner_flush_pending(void *ctx, struct vt_sim *s)
{
   (void)s;
   vt_mm_sims_flush(ctx);
}

/* A VT_POL_LAZY_HITS victim's candidate, or a page whose referenced bit
   is cleared: the hits the filter absorbed to its page (key_addr), then
   the references they leave pending for settled pages.  Where the
   address is not known, all of them.  An address space without a filter
   absorbs none of its own (the host's, flushed as before, are another's). */
static bool owner_take_hits(void *ctx, struct vt_sim *s, vt_u64 key)
{
   struct vt_mm *mm = ctx;
   if (!mm->filter) {
      owner_flush_hits(ctx, s);
      return false;
   }
   if (!mm->filter->count_hits)
      return false;            /* it holds none (CLOCK's bit cleared alone) */
   vt_addr addr = key_addr(mm, key);
   bool any = addr == RMAP_SEVERAL ? vt_filter_deliver(mm->filter)
                                   : vt_filter_deliver_page(mm->filter, addr);
   if (any)
      vt_mm_sims_flush(mm);
   return any;
}

void vt_mm_add_sim(struct vt_mm *mm, struct vt_sim *s)
{
   mm->sims = vt_realloc_array(mm->sims, mm->nr_sims, mm->nr_sims + 1,
                               sizeof *mm->sims);
   mm->sim_stopped = vt_realloc_array(mm->sim_stopped, mm->nr_sims,
                                      mm->nr_sims + 1, 1);
   mm->sims[mm->nr_sims++] = s;
   vt_sim_set_quiet(s, !mm->collecting);
   mm->sims_tick_min = 0;           /* not known yet */
   if (vt_sim_config(s)->policy->needs & VT_POL_EVERY)
      mm->sims_every = true;
   if (vt_sim_config(s)->policy->needs & VT_POL_COUNTS)
      mm->sims_counts = true;
   /* The new simulation has none of the pages: nothing is settled.  (One
      simulation alone gains too: a settled page's reference is a lookup
      here, and for a policy that needs every reference a pending entry,
      where LRU's own reference costs more: sqlite3 at --ram=1G
      --policy=lru 2.66 -> 2.45 s of user CPU with the pages settled.) */
   vt_mm_sims_flush(mm);
   vt_mm_sims_destroy(mm);
   mm->sims_shared = shared_new();
   if (!mm->rmap.e)
      vt_hash_init(&mm->rmap, 512);
   if (!mm->sims_ra.e)
      vt_hash_init(&mm->sims_ra, 16);
   struct vt_sim_owner o = { owner_invalidate, NULL, owner_flush_hits, mm, owner_flush_pending,
                             owner_take_hits };
   vt_sim_set_owner(s, &o);
}

void vt_mm_set_pool(struct vt_mm *mm, const struct vt_mm_pool *pool)
{
   mm->pool = pool;
   vt_invalidate(mm, 0, (vt_addr)1 << 47);
}

void vt_mm_stop_sim(struct vt_mm *mm, uint32_t i)
{
   VT_ASSERT(i < mm->nr_sims);
   mm->sim_stopped[i] = 1;
}

static unsigned page_flags(const struct vt_vma *v, vt_pte pte)
{
   unsigned f = 0;
   if (pte & VT_PTE_ZERO)
      f |= VT_SIMA_ZERO;
   else if (!(pte & VT_PTE_FILE) || (v->vm_file && v->vm_file->shmem))
      f |= VT_SIMA_ANON;                 /* swap-backed */
   if (v->vm_flags & VT_VM_LOCKED)
      f |= VT_SIMA_LOCKED;
   if (v->vm_flags & VT_VM_EXEC)
      f |= VT_SIMA_EXEC;
   /* vma_has_recency: reclaim does not look at the accessed bits of a
      mapping advised MADV_RANDOM or MADV_SEQUENTIAL, nor of one of a
      file advised POSIX_FADV_NOREUSE (folio_referenced skips it, Linux
      6.3 on) */
   if ((v->vm_flags & (VT_VM_SEQ_READ | VT_VM_RAND_READ)) ||
       (v->vm_file && v->vm_file->ra.noreuse))
      f |= VT_SIMA_NORECENCY;
   return f;
}

vt_u64 vt_mm_sims_next_tick(const struct vt_mm *mm, uint32_t i)
{
   vt_u64 t = vt_sim_next_tick(mm->sims[i]);
   if (t == VT_SIM_NO_PAGE)
      return t;
   return t > mm->sim_base ? t - mm->sim_base : 0;
}

void vt_mm_sims_advance(struct vt_mm *mm, uint32_t i, vt_u64 now)
{
   vt_sim_advance(mm->sims[i], sims_time(mm, now));
}

/* After a reference reached the simulations: when the next tick is due
   (they may have ticked, or the host advanced them), on the host's clock. */
static void tick_min_update(struct vt_mm *mm)
{
   vt_u64 min = VT_SIM_NO_PAGE;
   for (uint32_t i = 0; i < mm->nr_sims; i++) {
      vt_u64 t = vt_mm_sims_next_tick(mm, i);
      if (!mm->sim_stopped[i] && t < min)
         min = t;
   }
   mm->sims_tick_min = min;
}

/* After a reference reached the simulations: whether the page is settled
   now. */
static void settle(struct vt_mm *mm, struct vt_sims_shared *sh, vt_u64 key,
                   bool prefault, bool settled, unsigned flags, unsigned sp)
{
   if (prefault)
      return;
   if (settled) {
      struct vt_hash_ent *e = vt_hash_put(&sh->page, key, NULL);
      e->aux = ((vt_u64)(flags & ~VT_SIMA_WRITE) << SP_FLAGS_SHIFT) | SP_READ |
               (sp & SP_WRITE);
   } else {
      unsettle(mm, key);
   }
}

/* ---- a simulation's read-around -----------------------------------------

   The unlimited model's page cache keeps every page it read, so its
   readahead (pcache.c) runs once per page of a file.  A simulation evicts
   them, and natively the fault that brings one back is a page-cache miss
   like the first: filemap_fault reads around it (do_sync_mmap_readahead),
   and the pages it reads are cached, not mapped, until a minor fault or
   fault-around maps them.  Each simulation does that for itself: its
   refault of a file page reads the window's pages it evicted back in
   (VT_SIMA_READAHEAD), unmapped, and a reference to one of them is a
   minor fault that maps the cached pages of its fault-around window; its
   mmap_miss of the file (the kernel's f_ra.mmap_miss) stops the read-
   around where misses outnumber hits by VT_MMAP_LOTSAMISS.  The read-
   around's window keeps the kernel's readahead state (in the simulation's
   own struct vt_file_ra of the file: the window and mmap_miss) and marks its page start + size -
   async_size PG_readahead (VT_SIMA_RA_MARK) if it reads it: fault-around
   leaves that page unmapped, and the program's minor fault on it starts
   the asynchronous readahead (page_cache_async_ra), whose window marks its
   first page, and so on while the program reads on.  Not modelled: the
   readahead state and marks of MADV_SEQUENTIAL's and MADV_HUGEPAGE's
   windows (they read as before, unmarked), the large folios of later
   windows (but their alignment, which trims a window's end), and pages
   the simulation never held. */
static struct vt_file_ra *sim_ra(struct vt_mm *mm, const struct vt_file *f, uint32_t i)
{
   bool added;
   struct vt_hash_ent *e = vt_hash_put(&mm->sims_ra, (vt_u64)f->seq << 20 | i, &added);
   if (added) {
      if (mm->nr_sims_ra == mm->cap_sims_ra) {
         uint32_t c = mm->cap_sims_ra ? 2 * mm->cap_sims_ra : 8;
         mm->sims_ra_state = vt_realloc_array(mm->sims_ra_state, mm->cap_sims_ra, c,
                                              sizeof *mm->sims_ra_state);
         mm->cap_sims_ra = c;
      }
      vt_memset(&mm->sims_ra_state[mm->nr_sims_ra], 0, sizeof *mm->sims_ra_state);
      e->val = ++mm->nr_sims_ra;
   }
   return &mm->sims_ra_state[e->val - 1];
}

/* Simulation i reads [start, end) of the file (not beyond its end): the
   pages it evicted come back, but for skip (the faulting page, in already);
   the one at mark (if any: ~0 for none) is marked PG_readahead if it comes
   back, as page_cache_ra_order marks only a folio it allocates. */
static void sim_ra_read(struct vt_mm *mm, uint32_t i, const struct vt_vma *v, vt_u64 start,
                        vt_u64 end, vt_u64 mark, vt_u64 skip, vt_u64 now)
{
   const struct vt_file *f = v->vm_file;
   if (end > f->size_pages)
      end = f->size_pages;
   for (vt_u64 off = start; off < end; off++)
      if (off != skip &&
          (vt_sim_access(mm->sims[i], pcache_key(f, off, false),
                         VT_SIMA_READAHEAD | (off == mark ? VT_SIMA_RA_MARK : 0),
                         v->mapping, now, -1, NULL) & VT_SIMR_OOM))
         break;
}

static void sim_read_around(struct vt_mm *mm, uint32_t i, const struct vt_vma *v,
                            vt_addr addr, vt_u64 now)
{
   struct vt_file *f = v->vm_file;
   unsigned ra_pages = f->ra.ra_pages, fl = v->vm_flags;
   vt_u64 pgoff = vt_linear_page_index(v, addr), start, end, mark = ~(vt_u64)0;
   if (f->shmem)
      return;                           /* shmem_fault (SysV's too): no readahead */
   if (fl & VT_VM_HUGEPAGE) {
      /* PMD-sized folios from the aligned index: two, one under
         VM_RAND_READ, even with readahead off */
      start = pgoff & ~(vt_u64)((1u << VT_PMD_ORDER) - 1);
      end = start + ((vt_u64)1 << VT_PMD_ORDER) * (fl & VT_VM_RAND_READ ? 1 : 2);
   } else if ((fl & (VT_VM_RAND_READ | VT_VM_EXEC)) == VT_VM_RAND_READ || !ra_pages) {
      return;
   } else if (fl & VT_VM_SEQ_READ) {
      /* page_cache_sync_ra of ra_pages from the page; under
         POSIX_FADV_RANDOM force_page_cache_ra reads as many */
      start = pgoff;
      end = pgoff + ra_pages;
   } else {
      struct vt_file_ra *ra = sim_ra(mm, f, i);
      if (ra->mmap_miss < VT_MMAP_LOTSAMISS * 10)
         ra->mmap_miss++;
      if (ra->mmap_miss > VT_MMAP_LOTSAMISS)
         return;
      if (fl & VT_VM_EXEC) {
         /* from the page on, not beyond the VMA, nothing asynchronous */
         vt_u64 vend = v->vm_pgoff + ((v->vm_end - v->vm_start) >> VT_PAGE_SHIFT);
         start = pgoff > v->vm_pgoff ? pgoff : v->vm_pgoff;
         end = start + ra_pages < vend ? start + ra_pages : vend;
         ra->async_size = 0;
      } else {
         start = pgoff > ra_pages / 2 ? pgoff - ra_pages / 2 : 0;
         end = start + ra_pages;
         ra->async_size = ra_pages / 4;
         if (ra->async_size)
            mark = end - ra->async_size;
      }
      ra->start = start;
      ra->size = end - start;
      ra->order = 0;
   }
   sim_ra_read(mm, i, v, start, end, mark, pgoff, now);
}

struct sim_has_ctx { struct vt_sim *s; const struct vt_file *f; };

static bool sim_has_page(const void *ctx, vt_u64 pgoff)
{
   const struct sim_has_ctx *c = ctx;
   return vt_sim_has(c->s, pcache_key(c->f, pgoff, false));
}

/* page_cache_async_ra in simulation i: its fault at addr found the page
   marked PG_readahead (do_async_mmap_readahead; not through a
   MADV_RANDOM mapping, nor with readahead off): the next window, as the
   unlimited model's (vt_async_ra_window), from the pages the simulation
   holds; its folios' order capped as page_cache_ra_order caps it (only
   their alignment is followed), its first page marked. */
static void sim_async_ra(struct vt_mm *mm, uint32_t i, const struct vt_vma *v,
                         vt_addr addr, vt_u64 now)
{
   struct vt_file *f = v->vm_file;
   vt_u64 max_pages = f->ra.ra_pages, index = vt_linear_page_index(v, addr);
   if ((v->vm_flags & VT_VM_RAND_READ) || !max_pages || f->shmem)
      return;
   struct vt_file_ra *ra = sim_ra(mm, f, i);
   struct sim_has_ctx c = { mm->sims[i], f };
   if (!vt_async_ra_window(ra, max_pages, index, 1, max_pages, f->size_pages,
                           sim_has_page, &c) ||
       ra->start >= f->size_pages || !ra->size)
      return;
   ra->order = vt_ra_order_cap(ra->order, ra->size);
   sim_ra_read(mm, i, v, ra->start, ra->start + ra->size, ra->start, ~(vt_u64)0, now);
}

/* A simulation's minor fault on a page of its page cache that no PTE
   maps (the unlimited model took none): fault-around maps the cached,
   unmapped pages of its window within the file (do_fault_around's,
   vt_fault_around_range) but those marked PG_readahead, and the pages
   mapped count as hits against mmap_miss (the faulting page too:
   do_async_mmap_readahead's). */
static void sim_fault_around(struct vt_mm *mm, uint32_t i, const struct vt_vma *v,
                             vt_addr addr, vt_u64 now)
{
   struct vt_file *f = v->vm_file;
   struct vt_vma kv;
   vt_addr start, end;
   vt_u64 mapped = 1;
   if (mm->cfg.fault_around_pages > 1) {
      vt_fault_around_range(mm, v, addr, &kv, &start, &end);
      for (vt_addr a = start; a < end; a += VT_PAGE_SIZE) {
         vt_u64 pgoff = vt_linear_page_index(&kv, a);
         if (a != (addr & VT_PAGE_MASK) && pgoff < f->size_pages &&
             vt_sim_map_cached(mm->sims[i], pcache_key(f, pgoff, false), now))
            mapped++;
      }
   }
   struct vt_file_ra *ra = sim_ra(mm, f, i);
   ra->mmap_miss = ra->mmap_miss > mapped ? ra->mmap_miss - mapped : 0;
}

/* Simulation i reads file pages for its reference to key at addr (read,
   its read-around or asynchronous readahead), the faulting page held
   meanwhile, as the kernel holds its locked folio (or a reference on it),
   so reclaim cannot take it (nor, here, the read's victims: the reference
   has been answered, and the filter may cache it).  False if the answer
   no longer holds after what the read's reclaim did (LINUX deactivates
   even a held page, its bit cleared: vt_sim_cacheable). */
static bool sim_read_held(struct vt_mm *mm, uint32_t i, const struct vt_vma *v, vt_addr addr,
                          vt_u64 key, unsigned flags,
                          void (*read)(struct vt_mm *, uint32_t, const struct vt_vma *,
                                       vt_addr, vt_u64))
{
   bool pin = !(flags & VT_SIMA_LOCKED);
   if (pin)
      vt_sim_lock(mm->sims[i], key, true);
   read(mm, i, v, addr, sims_time(mm, mm->sim_now));
   if (pin)
      vt_sim_lock(mm->sims[i], key, false);
   return vt_sim_cacheable(mm->sims[i], key, flags) != 0;
}

/* A reference (or, with prefault, a page mapped without one).  Narrows
   *res to what the filter may cache for every simulation. */
void vt_mm_sims_ref(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr,
                 vt_pte pte, enum vt_access acc, int cls, bool prefault,
                 unsigned *res)
{
   unsigned flags = page_flags(v, pte);
   if (prefault)
      flags |= VT_SIMA_PREFAULT;
   else if (acc == VT_ACC_WRITE)
      flags |= VT_SIMA_WRITE;
   bool cacheable = !mm->sims_every || mm->cfg.notes_hits;
   vt_u64 key = key_of(mm, v, addr, pte);
   if (mm->pool) {
      mm->pool->ref(mm->pool->ctx, mm, key, flags, v->mapping, prefault ? -1 : cls);
      if (res)
         *res &= ~(VT_RES_CACHE_READ | VT_RES_CACHE_WRITE);
      return;
   }
   if (key & PCACHE_KEY_BIT)
      rmap_note(mm, key, addr);
   struct vt_sims_shared *sh = mm->sims_shared;
   unsigned sp = acc == VT_ACC_WRITE ? SP_WRITE : SP_READ;
   /* (Without the fast path, --fast-path=no, every reference reaches
      every simulation.) */
   if (sh && !prefault && cls < 0 && mm->sim_now < mm->sims_tick_min &&
       !(mm->filter && !mm->filter->on)) {
      struct vt_hash_ent *e = vt_hash_get(&sh->page, key);
      if (e && (e->aux & sp) &&
          (unsigned)(e->aux >> SP_FLAGS_SHIFT) == (flags & ~VT_SIMA_WRITE)) {
         /* settled: every simulation would answer VT_SIMR_CACHEABLE */
         if (mm->sims_every)
            pend_add(sh, e, key, 1, sims_time(mm, mm->sim_now), sims_order(mm, mm->sim_order));
         if (res) {
            if (!cacheable)
               *res &= ~(VT_RES_CACHE_READ | VT_RES_CACHE_WRITE);
            if (acc != VT_ACC_WRITE)
               *res &= ~VT_RES_CACHE_WRITE;
         }
         return;
      }
   }
   vt_mm_sims_flush(mm);
   bool settled = !prefault;
   for (uint32_t i = 0; i < mm->nr_sims; i++) {
      if (mm->sim_stopped[i])
         continue;
      vt_sim_set_order(mm->sims[i], sims_order(mm, mm->sim_order));
      int scls = -1;
      unsigned r = vt_sim_access(mm->sims[i], key, flags, v->mapping,
                                 sims_time(mm, mm->sim_now), prefault ? -1 : cls, &scls);
      if (!(r & VT_SIMR_CACHEABLE)) {
         cacheable = false;
         settled = false;
      }
      if ((r & VT_SIMR_FAULT) && scls >= 0 && vt_fault_classes[scls].kind == VT_MAJOR &&
          vt_host->sim_fault && mm->collecting)
         vt_host->sim_fault(vt_host_ctx, mm, i, addr, (enum vt_fault_class)scls);
      if ((r & VT_SIMR_OOM) && vt_host->oom)
         vt_host->oom(vt_host_ctx, mm, i, addr);
      if (!(key & PCACHE_KEY_BIT))
         continue;
      if ((r & VT_SIMR_FAULT) && scls == VT_FC_FILE_MAJOR && cls != VT_FC_FILE_MAJOR) {
         if (!sim_read_held(mm, i, v, addr, key, flags, sim_read_around))
            cacheable = settled = false;
      }
      else if ((r & VT_SIMR_MAPPED) && cls < 0)
         sim_fault_around(mm, i, v, addr, sims_time(mm, mm->sim_now));
      /* The page was marked PG_readahead (whether or not the unlimited
         model faulted too): filemap_fault reads the next window */
      if ((r & VT_SIMR_READAHEAD) && !sim_read_held(mm, i, v, addr, key, flags, sim_async_ra))
         cacheable = settled = false;
   }
   tick_min_update(mm);
   if (sh)
      settle(mm, sh, key, prefault, settled, flags, sp);
   if (res) {
      if (!cacheable)
         *res &= ~(VT_RES_CACHE_READ | VT_RES_CACHE_WRITE);
      /* A read tells a simulation nothing about dirtiness: the first write
         after it must reach the simulations. */
      if (acc != VT_ACC_WRITE)
         *res &= ~VT_RES_CACHE_WRITE;
   }
}

void vt_mm_sims_note_hits(struct vt_mm *mm, vt_addr addr, vt_u64 n, vt_u64 last,
                       vt_u64 order)
{
   const struct vt_vma *v = vt_find_vma(mm, addr);
   vt_pte *pte = v ? vt_pte_lookup(mm, addr, false) : NULL;
   if (!pte || !(*pte & VT_PTE_PRESENT) || n == 0)
      return;
   if (mm->pool)
      return;                          /* nothing is absorbed then */
   last = sims_time(mm, last);
   order = sims_order(mm, order);
   vt_u64 key = key_of(mm, v, addr, *pte);
   struct vt_sims_shared *sh = mm->sims_shared;
   struct vt_hash_ent *e = sh && !(mm->filter && !mm->filter->on)
                           ? vt_hash_get(&sh->page, key) : NULL;
   if (e && (e->aux & SP_READ) &&
       (unsigned)(e->aux >> SP_FLAGS_SHIFT) == page_flags(v, *pte)) {
      pend_add(sh, e, key, n, last, order);
      return;
   }
   vt_mm_sims_flush(mm);
   for (uint32_t i = 0; i < mm->nr_sims; i++)
      if (!mm->sim_stopped[i])
         vt_sim_note_hits(mm->sims[i], key, n, last, order);
}

bool vt_mm_sims_take_all(const struct vt_mm *mm)
{
   for (uint32_t i = 0; i < mm->nr_sims; i++) {
      const struct vt_sim_config *c = vt_sim_config(mm->sims[i]);
      const struct vt_policy_ops *p = c->policy;
      if (p && (((p->needs & VT_POL_EVERY) && !(p->needs & VT_POL_LAZY_HITS)) ||
                (p->tick && c->params.period)))
         return true;
   }
   return false;
}

/* A page leaves the address space: an anonymous page is gone; a page-
   cache page stays cached (evictable) in the simulations. */
void vt_mm_sims_drop(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr, vt_pte pte)
{
   if (mm->pool) {
      mm->pool->drop(mm->pool->ctx, mm, key_of(mm, v, addr, pte));
      return;
   }
   if (is_pcache(v, pte))
      return;
   vt_u64 key = addr >> VT_PAGE_SHIFT;
   if (!mm->nr_sims) {               /* a replay giving keys (its curves) */
      if (mm->replay)
         vt_replay_dropped(mm->replay, key);
      return;
   }
   vt_mm_sims_flush(mm);
   if (mm->sims_shared)
      vt_hash_del(&mm->sims_shared->page, key);
   for (uint32_t i = 0; i < mm->nr_sims; i++)
      vt_sim_drop(mm->sims[i], key);
}

void vt_mm_prefault(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr, vt_pte pte)
{
   mm->prefaults++;
   if (vt_mm_sims_on(mm))
      vt_mm_sims_ref(mm, v, addr, pte, VT_ACC_READ, -1, true, NULL);
}

/* mremap moves the page at addr to `to`: a pool that follows moves keeps
   it the same page; so does each simulation (keyed by address) where it
   can (vt_sim_move: a resident page keeps its frame, its bits and its
   place, an evicted one stays out); where one cannot (an ARC ghost at the
   new key), every simulation sees the page leave its old key and mapped,
   without a reference, at the new one. */
void vt_mm_sims_move(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr, vt_addr to,
                     vt_pte pte)
{
   if (mm->pool && mm->pool->move) {
      mm->pool->move(mm->pool->ctx, mm, key_of(mm, v, addr, pte), key_of(mm, v, to, pte));
      return;
   }
   /* A page a simulation holds out moves out: its swap entry goes with the
      PTE (move_ptes), so its next touch there is a swap-in; the drop then
      finds nothing of it at the old key, and the prefault leaves an
      evicted page out. */
   if (mm->nr_sims) {
      vt_u64 from_key = key_of(mm, v, addr, pte), to_key = key_of(mm, v, to, pte);
      if (from_key != to_key) {
         /* the hits the filter absorbed to the page, at its old address,
            reach every simulation before any renames it */
         if (mm->filter && mm->filter->count_hits)
            vt_filter_deliver_page(mm->filter, addr);
         vt_mm_sims_flush(mm);
         bool movable = true;
         for (uint32_t i = 0; i < mm->nr_sims && movable; i++)
            movable = vt_sim_movable(mm->sims[i], from_key, to_key);
         if (movable) {
            if (mm->sims_shared) {
               vt_hash_del(&mm->sims_shared->page, from_key);
               vt_hash_del(&mm->sims_shared->page, to_key);
            }
            for (uint32_t i = 0; i < mm->nr_sims; i++)
               vt_sim_move(mm->sims[i], from_key, to_key);
            return;
         }
         for (uint32_t i = 0; i < mm->nr_sims; i++)
            vt_sim_move_evicted(mm->sims[i], from_key, to_key);
      }
   }
   vt_mm_sims_drop(mm, v, addr, pte);
   vt_mm_prefault(mm, v, to, pte);  /* (a replay giving keys only: counted) */
}

void vt_mm_sims_lock(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr,
                  vt_pte pte, bool locked)
{
   vt_u64 key = key_of(mm, v, addr, pte);
   if (mm->pool) {
      mm->pool->lock(mm->pool->ctx, mm, key, locked);
      return;
   }
   vt_mm_sims_flush(mm);
   unsettle(mm, key);
   for (uint32_t i = 0; i < mm->nr_sims; i++)
      vt_sim_lock(mm->sims[i], key, locked);
}

/* The key and VT_SIMA_* flags the simulations know the page at addr by, as
   it is mapped now (false: not mapped). */
bool vt_mm_sims_key(struct vt_mm *mm, vt_addr addr, enum vt_access acc, vt_u64 *key,
                    unsigned *flags)
{
   const struct vt_vma *v = vt_find_vma(mm, addr);
   vt_pte *pte = v ? vt_pte_lookup(mm, addr, false) : NULL;
   if (!pte || !(*pte & VT_PTE_PRESENT))
      return false;
   *key = key_of(mm, v, addr, *pte);
   *flags = page_flags(v, *pte) | (acc == VT_ACC_WRITE ? VT_SIMA_WRITE : 0);
   return true;
}
