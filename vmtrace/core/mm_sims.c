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

/* The filter entries of a simulation's key must go. */
void vt_mm_sims_invalidate_key(struct vt_mm *mm, vt_u64 key)
{
   if (!(key & PCACHE_KEY_BIT)) {
      vt_invalidate(mm, key << VT_PAGE_SHIFT, (key + 1) << VT_PAGE_SHIFT);
      return;
   }
   const struct vt_hash_ent *e = mm->rmap.e ? vt_hash_get(&mm->rmap, key) : NULL;
   if (e && e->val != RMAP_SEVERAL)
      vt_invalidate(mm, e->val, e->val + VT_PAGE_SIZE);
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
}

void vt_mm_add_sim(struct vt_mm *mm, struct vt_sim *s)
{
   mm->sims = vt_realloc_array(mm->sims, mm->nr_sims, mm->nr_sims + 1,
                               sizeof *mm->sims);
   mm->sim_stopped = vt_realloc_array(mm->sim_stopped, mm->nr_sims,
                                      mm->nr_sims + 1, 1);
   mm->sims[mm->nr_sims++] = s;
   if (vt_sim_config(s)->policy->needs & VT_POL_EVERY)
      mm->sims_every = true;
   if (!mm->rmap.e)
      vt_hash_init(&mm->rmap, 512);
   struct vt_sim_owner o = { owner_invalidate, NULL, owner_flush_hits, mm };
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
   return f;
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
   for (uint32_t i = 0; i < mm->nr_sims; i++) {
      if (mm->sim_stopped[i])
         continue;
      vt_sim_set_order(mm->sims[i], mm->sim_order);
      int scls = -1;
      unsigned r = vt_sim_access(mm->sims[i], key, flags,
                                 v->mapping, mm->sim_now, prefault ? -1 : cls, &scls);
      if (!(r & VT_SIMR_CACHEABLE))
         cacheable = false;
      if ((r & VT_SIMR_FAULT) && scls >= 0 && vt_fault_classes[scls].kind == VT_MAJOR &&
          vt_host->sim_fault)
         vt_host->sim_fault(vt_host_ctx, mm, i, addr, (enum vt_fault_class)scls);
      if ((r & VT_SIMR_OOM) && vt_host->oom)
         vt_host->oom(vt_host_ctx, mm, i, addr);
   }
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
   vt_u64 key = key_of(mm, v, addr, *pte);
   for (uint32_t i = 0; i < mm->nr_sims; i++)
      if (!mm->sim_stopped[i])
         vt_sim_note_hits(mm->sims[i], key, n, last, order);
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
   for (uint32_t i = 0; i < mm->nr_sims; i++)
      vt_sim_drop(mm->sims[i], addr >> VT_PAGE_SHIFT);
}

void vt_mm_sims_lock(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr,
                  vt_pte pte, bool locked)
{
   vt_u64 key = key_of(mm, v, addr, pte);
   if (mm->pool) {
      mm->pool->lock(mm->pool->ctx, mm, key, locked);
      return;
   }
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
