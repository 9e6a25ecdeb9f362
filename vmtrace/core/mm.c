/* mm.c: creating and destroying an address space.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"
#include "vt_trace.h"
#include "vt_sim.h"

void vt_mm_init(struct vt_mm *mm, const struct vt_config *cfg)
{
   vt_memset(mm, 0, sizeof *mm);
   mm->cfg = *cfg;
   if (mm->cfg.fault_around_pages == 0)
      mm->cfg.fault_around_pages = 1;
   mm->heap_vma_map = -1;
   mm->retire_limit = VT_MAX_RETIRED_MAPPINGS;
   mm->collecting = true;
   vt_pgtable_init(mm);
   vt_labels_init(mm);
}

static void set_collecting_body(struct vt_mm *mm, bool on)
{
   if (mm->collecting == on)
      return;
   mm->collecting = on;
   /* The memory goes on, the figures pause: the simulations count nothing
      either while paused.  A filter entry filled in the other state may
      not absorb a reference: the first reference to a page once
      collecting must count it touched, in the working set and the heatmap
      (vt_access_at, vt_wset_ref_row). */
   for (uint32_t i = 0; i < mm->nr_sims; i++)
      vt_sim_set_quiet(mm->sims[i], !on);
   vt_invalidate(mm, 0, (vt_addr)1 << 47);
}

void vt_set_collecting(struct vt_mm *mm, bool on)
{
   vt_u64 args_[] = { on };
   vt_trace_input(mm, VT_TEV_COLLECT, args_, NULL);
   VT_API(mm, set_collecting_body(mm, on));
}

void vt_mm_destroy(struct vt_mm *mm)
{
   vt_tlb_free(mm->tlb);
   vt_pgtable_destroy(mm);
   vt_free(mm->vmas);
   for (uint32_t i = 0; i < mm->nr_maps; i++)
      vt_free(mm->maps[i]);
   vt_free(mm->maps);
   vt_free(mm->free_ids);
   vt_free(mm->frames);
   vt_free(mm->sims);           /* the simulations are the host's */
   vt_mm_sims_destroy(mm);
   vt_free(mm->sim_stopped);
   if (mm->rmap.e)
      vt_hash_destroy(&mm->rmap);
   if (mm->sims_ra.e)
      vt_hash_destroy(&mm->sims_ra);
   vt_free(mm->sims_ra_state);
   vt_free(mm->frame_live);
   if (mm->ws) {
      struct vt_wset *w = mm->ws;
      vt_free(w->t); vt_free(w->wall_ms); vt_free(w->touched);
      vt_free(w->pss_x1000); vt_free(w->uss); vt_free(w->dup);
      for (int k = 0; k < VT_NR_MK; k++)
         vt_free(w->rss[k]);
      for (int c = 0; c < VT_NR_FC; c++)
         vt_free(w->faults[c]);
      for (int x = 0; x < 2; x++) {
         vt_free(w->tlb_miss[x]);
         vt_free(w->tlb_walk[x]);
      }
      for (uint32_t i = 0; i < w->cfg.nr_tau; i++) {
         vt_free(w->ws_code[i]);
         vt_free(w->ws_data[i]);
      }
      vt_free(w->ring_code); vt_free(w->ring_data);
      for (uint32_t i = 0; i < w->nr_sims; i++)
         for (int k = 0; k < VT_NR_SS; k++)
            vt_free(w->sims[i].col[k]);
      vt_free(w->sims);
      for (uint32_t r = 0; r < w->nr_rows; r++)
         vt_free(w->rows[r].counts);
      vt_free(w->rows);
      vt_free(w->heat_open);
      if (w->row_hash.e)
         vt_hash_destroy(&w->row_hash);
      vt_free(w);
   }
   while (mm->files) {
      struct vt_file *f = mm->files;
      mm->files = f->next;
      vt_free(f->path);
      if (f->cache.e)
         vt_hash_destroy(&f->cache);
      if (f->falloc.e)
         vt_hash_destroy(&f->falloc);
      vt_free(f);
   }
   vt_labels_destroy(mm);
}
