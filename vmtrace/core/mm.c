/* mm.c: creating and destroying an address space.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"

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

void vt_mm_destroy(struct vt_mm *mm)
{
   vt_pgtable_destroy(mm);
   vt_host_free(mm->vmas);
   for (uint32_t i = 0; i < mm->nr_maps; i++)
      vt_host_free(mm->maps[i]);
   vt_host_free(mm->maps);
   vt_host_free(mm->free_ids);
   vt_host_free(mm->frames);
   while (mm->files) {
      struct vt_file *f = mm->files;
      mm->files = f->next;
      vt_host_free(f->path);
      vt_host_free(f);
   }
   vt_labels_destroy(mm);
}
