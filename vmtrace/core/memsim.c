/* memsim.c: feeding the simulations of limited physical memory (vt_sim.h)
   with what the address-space model sees: references with the fault class
   the unlimited model took, pages mapped without a reference (fault-around),
   pages that go (unmap, MADV_DONTNEED), mlock.  Pages are keyed by their
   virtual page number, so each process simulates its own memory limit.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"
#include "vt_sim.h"

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
   bool cacheable = !mm->sims_every;
   for (uint32_t i = 0; i < mm->nr_sims; i++) {
      if (mm->sim_stopped[i])
         continue;
      unsigned r = vt_sim_access(mm->sims[i], addr >> VT_PAGE_SHIFT, flags,
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

void vt_sims_drop(struct vt_mm *mm, vt_addr addr)
{
   for (uint32_t i = 0; i < mm->nr_sims; i++)
      vt_sim_drop(mm->sims[i], addr >> VT_PAGE_SHIFT);
}

void vt_sims_lock(struct vt_mm *mm, vt_addr addr, bool locked)
{
   for (uint32_t i = 0; i < mm->nr_sims; i++)
      vt_sim_lock(mm->sims[i], addr >> VT_PAGE_SHIFT, locked);
}
