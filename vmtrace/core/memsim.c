/* memsim.c: feeding the simulations of limited physical memory (vt_sim.h)
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

#define PCACHE_KEY_BIT (1ULL << 63)

static bool is_pcache(const struct vt_vma *v, vt_pte pte)
{
   return (pte & VT_PTE_FILE) && v->vm_file;
}

static vt_u64 pcache_key(const struct vt_file *f, vt_u64 pgoff)
{
   vt_u64 id = f->shmem && f->gid ? f->gid
             : (f->dev * 0x9E3779B97F4A7C15ULL) ^ f->ino ^ ((vt_u64)(uintptr_t)f << 17);
   vt_u64 h = (id ^ (pgoff * 0xC2B2AE3D27D4EB4FULL)) * 0x100000001B3ULL;
   return (h ^ (h >> 29)) | PCACHE_KEY_BIT;
}

static vt_u64 key_of(const struct vt_vma *v, vt_addr addr, vt_pte pte)
{
   if (is_pcache(v, pte))
      return pcache_key(v->vm_file, v->vm_pgoff + ((addr - v->vm_start) >> VT_PAGE_SHIFT));
   return addr >> VT_PAGE_SHIFT;
}

/* Where a page-cache key is mapped, for the filter's invalidation: the
   last address seen, or "several" (then the whole filter goes). */
#define RMAP_SEVERAL (~(vt_addr)0)
static void rmap_note(struct vt_mm *mm, vt_u64 key, vt_addr addr)
{
   if (2 * (mm->rmap_n + 1) > mm->rmap_cap) {
      uint32_t ocap = mm->rmap_cap;
      vt_u64 *ok = mm->rmap_key;
      vt_addr *oa = mm->rmap_addr;
      mm->rmap_cap = ocap ? ocap * 2 : 1024;
      mm->rmap_key = vt_host_alloc(mm->rmap_cap * sizeof *mm->rmap_key);
      mm->rmap_addr = vt_host_alloc(mm->rmap_cap * sizeof *mm->rmap_addr);
      mm->rmap_n = 0;
      for (uint32_t i = 0; i < ocap; i++)
         if (ok[i])
            rmap_note(mm, ok[i], oa[i]);
      vt_host_free(ok);
      vt_host_free(oa);
   }
   for (uint32_t h = (uint32_t)(key >> 7) & (mm->rmap_cap - 1);; h = (h + 1) & (mm->rmap_cap - 1)) {
      if (mm->rmap_key[h] == key) {
         if (mm->rmap_addr[h] != (addr & VT_PAGE_MASK))
            mm->rmap_addr[h] = RMAP_SEVERAL;
         return;
      }
      if (!mm->rmap_key[h]) {
         mm->rmap_key[h] = key;
         mm->rmap_addr[h] = addr & VT_PAGE_MASK;
         mm->rmap_n++;
         return;
      }
   }
}

/* The filter entries of a simulation's key must go. */
void vt_sims_invalidate_key(struct vt_mm *mm, vt_u64 key)
{
   if (!(key & PCACHE_KEY_BIT)) {
      vt_invalidate(mm, key << VT_PAGE_SHIFT, (key + 1) << VT_PAGE_SHIFT);
      return;
   }
   if (mm->rmap_cap)
      for (uint32_t h = (uint32_t)(key >> 7) & (mm->rmap_cap - 1);; h = (h + 1) & (mm->rmap_cap - 1)) {
         if (!mm->rmap_key[h])
            break;
         if (mm->rmap_key[h] == key) {
            if (mm->rmap_addr[h] != RMAP_SEVERAL) {
               vt_invalidate(mm, mm->rmap_addr[h], mm->rmap_addr[h] + VT_PAGE_SIZE);
               return;
            }
            break;
         }
      }
   vt_invalidate(mm, 0, (vt_addr)1 << 47);       /* not known: all of it */
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
void vt_sims_ref(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr,
                 vt_pte pte, enum vt_access acc, int cls, bool prefault,
                 unsigned *res)
{
   unsigned flags = page_flags(v, pte);
   if (prefault)
      flags |= VT_SIMA_PREFAULT;
   else if (acc == VT_ACC_WRITE)
      flags |= VT_SIMA_WRITE;
   bool cacheable = !mm->sims_every || mm->hits_noted;
   vt_u64 key = key_of(v, addr, pte);
   if (key & PCACHE_KEY_BIT)
      rmap_note(mm, key, addr);
   for (uint32_t i = 0; i < mm->nr_sims; i++) {
      if (mm->sim_stopped[i])
         continue;
      vt_sim_set_order(mm->sims[i], mm->sim_order);
      unsigned r = vt_sim_access(mm->sims[i], key, flags,
                                 v->mapping, mm->sim_now, prefault ? -1 : cls, NULL);
      if (!(r & VT_SIMR_CACHEABLE))
         cacheable = false;
      if ((r & VT_SIMR_OOM) && mm->on_oom)
         mm->on_oom(mm->host_ctx, i, addr);
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

void vt_sims_note_hits(struct vt_mm *mm, vt_addr addr, vt_u64 n, vt_u64 last,
                       vt_u64 order)
{
   const struct vt_vma *v = vt_find_vma(mm, addr);
   vt_pte *pte = v ? vt_pte_lookup(mm, addr, false) : NULL;
   if (!pte || !(*pte & VT_PTE_PRESENT) || n == 0)
      return;
   vt_u64 key = key_of(v, addr, *pte);
   for (uint32_t i = 0; i < mm->nr_sims; i++)
      if (!mm->sim_stopped[i])
         vt_sim_note_hits(mm->sims[i], key, n, last, order);
}

/* A page leaves the address space: an anonymous page is gone; a page-
   cache page stays cached (evictable) in the simulations. */
void vt_sims_drop(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr, vt_pte pte)
{
   if (is_pcache(v, pte))
      return;
   for (uint32_t i = 0; i < mm->nr_sims; i++)
      vt_sim_drop(mm->sims[i], addr >> VT_PAGE_SHIFT);
}

void vt_sims_lock(struct vt_mm *mm, const struct vt_vma *v, vt_addr addr,
                  vt_pte pte, bool locked)
{
   vt_u64 key = key_of(v, addr, pte);
   for (uint32_t i = 0; i < mm->nr_sims; i++)
      vt_sim_lock(mm->sims[i], key, locked);
}
