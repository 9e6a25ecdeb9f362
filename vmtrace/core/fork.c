/* fork.c: fork's copy-on-write sharing (copy_page_range, copy_present_pte),
   the child's view of the copied address space, and the frames that the
   processes of a run share.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"
#include "vt_trace.h"
#include "vt_sim.h"

/* Frame indices are recycled through a free list threaded through
   mm->frames (an entry holds the next free index + 1). */
static uint32_t frame_alloc(struct vt_mm *mm)
{
   uint32_t idx;
   if (mm->free_frame) {
      idx = mm->free_frame - 1;
      mm->free_frame = (uint32_t)mm->frames[idx];
   } else {
      if (mm->nr_frames == mm->cap_frames) {
         uint32_t cap = mm->cap_frames ? mm->cap_frames * 2 : 1024;
         mm->frames = vt_realloc_array(mm->frames, mm->nr_frames, cap,
                                       sizeof *mm->frames);
         mm->frame_live = vt_realloc_array(mm->frame_live, mm->nr_frames, cap, 1);
         mm->cap_frames = cap;
      }
      idx = mm->nr_frames++;
   }
   mm->frames[idx] = 0;
   mm->frame_live[idx] = 1;
   mm->nr_cow++;
   return idx;
}

void vt_frame_put(struct vt_mm *mm, uint32_t idx)
{
   if (vt_host->frame_release)
      vt_host->frame_release(vt_host_ctx, mm->frames[idx]);
   mm->frames[idx] = mm->free_frame;
   mm->frame_live[idx] = 0;
   mm->free_frame = idx + 1;
   mm->nr_cow--;
}

struct fork_ctx {
   struct vt_mm *mm;
   uint32_t *new_idx; uint32_t nr_new, cap_new;
   vt_u64   *old;     uint32_t nr_old, cap_old;
};

static void fork_pte(void *vctx, vt_addr addr, vt_pte *ptep)
{
   struct fork_ctx *c = vctx;
   vt_pte pte = *ptep;
   (void)addr;
   if (!(pte & VT_PTE_PRESENT) || (pte & (VT_PTE_ZERO | VT_PTE_FILE)))
      return;
   if (pte & VT_PTE_COW) {
      if (c->nr_old == c->cap_old) {
         uint32_t cap = c->cap_old ? c->cap_old * 2 : 256;
         c->old = vt_realloc_array(c->old, c->nr_old, cap, sizeof *c->old);
         c->cap_old = cap;
      }
      c->old[c->nr_old++] = c->mm->frames[VT_PTE_FRAME(pte)];
      return;
   }
   uint32_t idx = frame_alloc(c->mm);
   if (c->nr_new == c->cap_new) {
      uint32_t cap = c->cap_new ? c->cap_new * 2 : 256;
      c->new_idx = vt_realloc_array(c->new_idx, c->nr_new, cap, sizeof *c->new_idx);
      c->cap_new = cap;
   }
   c->new_idx[c->nr_new++] = idx;
   *ptep = (pte & VT_PTE_FLAGS_MASK & ~(vt_pte)VT_PTE_WRITE) | VT_PTE_COW |
           ((vt_pte)idx << VT_PTE_FRAME_SHIFT);
}

/* A VMA whose pages fork copies into the child (vma_needs_copy): one
   with an anon_vma, i.e. private with anonymous pages, or any VMA given
   guard regions (madvise_guard_install prepares one, so that the markers
   reach the child).  The others the child faults in again.  dup_mmap
   skips a VM_DONTCOPY VMA (MADV_DONTFORK: the child lacks it) and gives a
   VM_WIPEONFORK one an empty page table and no anon_vma: the parent's
   pages there are not write-protected either. */
static bool copied_at_fork(const struct vt_vma *v)
{
   return !(v->vm_flags & (VT_VM_DONTCOPY | VT_VM_WIPEONFORK)) &&
          (v->vm_flags & VT_VM_ANON_VMA);
}

/* The VMAs Linux holds as one share their anon_vma (vt_share_anon_vma):
   whatever faults gave one part since the last change of the VMAs, fork
   copies the PTEs of every part. */
static void share_anon_vmas(struct vt_mm *mm)
{
   if (mm->nr_vmas)
      vt_share_anon_vma(mm, mm->vmas[0].vm_start, mm->vmas[mm->nr_vmas - 1].vm_end);
}

static void fork_prepare_body(struct vt_mm *mm)
{
   share_anon_vmas(mm);
   struct fork_ctx c = { mm, NULL, 0, 0, NULL, 0, 0 };
   for (uint32_t i = 0; i < mm->nr_vmas; i++)
      if (copied_at_fork(&mm->vmas[i]))
         vt_walk_ptes(mm, mm->vmas[i].vm_start, mm->vmas[i].vm_end, fork_pte, &c);
   vt_u64 *ids = vt_alloc((c.nr_new ? c.nr_new : 1) * sizeof *ids);
   if (vt_host->frames_fork && (c.nr_new || c.nr_old))
      vt_host->frames_fork(vt_host_ctx, ids, c.nr_new, c.old, c.nr_old);
   for (uint32_t i = 0; i < c.nr_new; i++)
      mm->frames[c.new_idx[i]] = ids[i];
   vt_free(ids);
   vt_free(c.new_idx);
   vt_free(c.old);
   if (mm->nr_vmas)
      vt_invalidate(mm, 0, mm->vmas[mm->nr_vmas - 1].vm_end);
   vt_tlb_flush_mm(mm);             /* dup_mmap: flush_tlb_mm(oldmm) */
}

void vt_fork_prepare(struct vt_mm *mm)
{
   vt_trace_input(mm, VT_TEV_FORK, NULL, NULL);
   VT_API(mm, fork_prepare_body(mm));
}

static void child_pte(void *vctx, vt_addr addr, vt_pte *ptep)
{
   (void)vctx; (void)addr;
   /* Fresh figures: nothing referenced yet; the child's PTEs are old and
      not locked (a vfork child's are the parent's, but it has not yet
      referenced them itself either). */
   *ptep &= ~(vt_pte)(VT_PTE_TOUCHED | VT_PTE_ACCESSED | VT_PTE_LOCKED);
}

static void zero_counts(struct vt_counts *c)
{
   vt_memset(c, 0, sizeof *c);
}

/* A page of a VMA fork did not copy that an earlier fork had shared: the
   child never held it, so it lets it go without a release. */
static void forget_shared(void *vctx, vt_addr addr, vt_pte *ptep)
{
   struct vt_mm *mm = vctx;
   (void)addr;
   if (*ptep & VT_PTE_COW) {
      uint32_t idx = VT_PTE_FRAME(*ptep);
      mm->frames[idx] = mm->free_frame;
      mm->frame_live[idx] = 0;
      mm->free_frame = idx + 1;
      mm->nr_cow--;
      *ptep &= VT_PTE_FLAGS_MASK & ~(vt_pte)VT_PTE_COW;
   }
}

/* copy_huge_pmd leaves a file's PMD out of the child ("can be re-filled
   on fault"): the child's copy of a copied VMA lacks them. */
static void drop_file_pmds(struct vt_mm *mm, struct vt_vma *v)
{
   for (vt_addr a = ((v->vm_start + v->vm_koff + VT_HPAGE_SIZE - 1) & VT_HPAGE_MASK) - v->vm_koff;
        a + VT_HPAGE_SIZE <= v->vm_end; a += VT_HPAGE_SIZE)
      if ((vt_get_pte(mm, a) & (VT_PTE_PRESENT | VT_PTE_HUGE | VT_PTE_FILE)) ==
          (VT_PTE_PRESENT | VT_PTE_HUGE | VT_PTE_FILE))
         vt_zap_range(mm, v, a, a + VT_HPAGE_SIZE, false);
}

static void fork_child_body(struct vt_mm *mm, bool copied)
{
   /* (a replay makes the child from its parent's trace without the
      parent's fork_prepare: the same sharing here) */
   if (copied) {
      share_anon_vmas(mm);
      /* Locks are not inherited (below), and dup_mmap merges nothing:
         VMAs side by side that VM_LOCKED told apart stay two. */
      for (uint32_t i = mm->nr_vmas; i-- > 1;) {
         struct vt_vma *v = &mm->vmas[i];
         if (((v[-1].vm_flags ^ v->vm_flags) & VT_VM_LOCKED_MASK) &&
             v[-1].vm_end == v->vm_start)
            v->vm_flags |= VT_VM_APART;
      }
   }
   for (uint32_t i = 0; i < mm->nr_vmas; i++) {
      struct vt_vma *v = &mm->vmas[i];
      if (copied) {
         v->vm_flags &= ~VT_VM_LOCKED_MASK;   /* locks are not inherited */
         if (!copied_at_fork(v)) {
            vt_walk_ptes(mm, v->vm_start, v->vm_end, forget_shared, mm);
            vt_zap_range(mm, v, v->vm_start, v->vm_end, false);
         } else if (v->vm_file) {
            drop_file_pmds(mm, v);
         }
         if (v->vm_flags & VT_VM_WIPEONFORK) {
            v->vm_flags &= ~VT_VM_ANON_VMA;
            v->anon_vma = 0;
         }
      }
      vt_walk_ptes(mm, v->vm_start, v->vm_end, child_pte, NULL);
   }
   /* MADV_DONTFORK: the VMA is not the child's at all. */
   for (uint32_t i = copied ? mm->nr_vmas : 0; i > 0; i--) {
      struct vt_vma *v = &mm->vmas[i - 1];
      if (v->vm_flags & VT_VM_DONTCOPY)
         vt_munmap(mm, v->vm_start, v->vm_end - v->vm_start);
   }
   if (copied)
      mm->def_flags &= ~VT_VM_LOCKED_MASK;
   zero_counts(&mm->total);
   for (uint32_t i = 0; i < mm->nr_phases; i++)
      zero_counts(&mm->phases[i].c);
   for (uint32_t i = 0; i < mm->nr_labels; i++) {
      struct vt_label *l = &mm->labels[i];
      zero_counts(&l->c);
      if (l->per_phase)
         vt_memset(l->per_phase, 0, mm->cap_phases * sizeof *l->per_phase);
   }
   for (uint32_t i = 0; i < mm->nr_maps; i++)
      if (mm->maps[i])
         zero_counts(&mm->maps[i]->c);
   vt_wset_child(mm);
   for (uint32_t i = 0; i < mm->nr_sims; i++)
      vt_sim_clear_stats(mm->sims[i]);
   mm->peak_rss = mm->rss;
   mm->peak_rss_at = mm->now;
   for (int l = 0; l < 4; l++)
      mm->peak_pt[l] = mm->nr_pt[l];
   if (mm->nr_vmas)
      vt_invalidate(mm, 0, mm->vmas[mm->nr_vmas - 1].vm_end);
   /* The child's clock starts at 0: no stamp of its is accounted yet.  Its
      simulations' goes on from the parent's at the fork, the host's clock
      still (vt_fork_child), so that every page the child references ranks
      after the parent's pages it does not (LRU, LFU and ARC's stamps,
      WSCLOCK's last use, NRU's and AGING's next tick). */
   if (mm->filter)
      vt_filter_clock_reset(mm->filter);
   mm->sim_base += mm->sim_now;
   mm->sim_now = mm->sim_order = 0;
   mm->sims_tick_min = 0;           /* not known on the child's clock yet */
   vt_tlb_reset(mm);                /* a new mm: nothing cached (no PCID) */
}

void vt_fork_child(struct vt_mm *mm, bool copied)
{
   vt_u64 args_[] = { copied };
   vt_trace_input(mm, VT_TEV_FORK_CHILD, args_, NULL);
   VT_API(mm, fork_child_body(mm, copied));
}

static void release_pte(void *vctx, vt_addr addr, vt_pte *ptep)
{
   struct vt_mm *mm = vctx;
   (void)addr;
   if (*ptep & VT_PTE_COW) {
      vt_frame_put(mm, VT_PTE_FRAME(*ptep));
      *ptep &= VT_PTE_FLAGS_MASK & ~(vt_pte)VT_PTE_COW;
   }
}

static void release_frames_body(struct vt_mm *mm)
{
   if (!mm->nr_cow)
      return;
   for (uint32_t i = 0; i < mm->nr_vmas; i++)
      vt_walk_ptes(mm, mm->vmas[i].vm_start, mm->vmas[i].vm_end, release_pte, mm);
}

void vt_release_frames(struct vt_mm *mm)
{
   vt_trace_input(mm, VT_TEV_RELEASE, NULL, NULL);
   VT_API(mm, release_frames_body(mm));
}
