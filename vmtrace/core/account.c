/* account.c: counting a fault or a first touch into every figure it
   belongs to: the process's total, its mapping's, the current phase's and,
   if a label covers the address, the label's and the label's in the phase.
   The host hears of every fault counted (host op fault).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"

static struct vt_label *label_at(struct vt_mm *mm, vt_addr addr)
{
   uint32_t lo = vt_first_ending_above(mm->lranges, mm->nr_lranges, sizeof *mm->lranges,
                                       offsetof(struct vt_label_range, end), addr);
   if (lo < mm->nr_lranges && mm->lranges[lo].start <= addr)
      return &mm->labels[mm->lranges[lo].label];
   return NULL;
}

static struct vt_counts *label_phase(struct vt_mm *mm, struct vt_label *l)
{
   if (!l->per_phase)
      l->per_phase = vt_alloc(mm->cap_phases * sizeof *l->per_phase);
   return &l->per_phase[mm->cur_phase];
}

void vt_count_fault(struct vt_mm *mm, struct vt_mapping *m, vt_addr addr,
                    enum vt_access acc, enum vt_fault_class cls, int reason)
{
   if (!mm->collecting)
      return;
   mm->total.faults[cls]++;
   mm->phases[mm->cur_phase].c.faults[cls]++;
   if (m)
      m->c.faults[cls]++;
   struct vt_label *l = label_at(mm, addr);
   if (l) {
      l->c.faults[cls]++;
      label_phase(mm, l)->faults[cls]++;
   }
   if (vt_host->fault)
      vt_host->fault(vt_host_ctx, mm, addr, acc, cls, reason);
}

void vt_count_touch(struct vt_mm *mm, struct vt_mapping *m, vt_addr addr)
{
   if (!mm->collecting)
      return;
   mm->total.touched++;
   mm->phases[mm->cur_phase].c.touched++;
   m->c.touched++;
   struct vt_label *l = label_at(mm, addr);
   if (l) {
      l->c.touched++;
      label_phase(mm, l)->touched++;
   }
}

void vt_count_tlb(struct vt_mm *mm, vt_addr addr, enum vt_access acc, bool walk,
                  const struct vt_mapping *m)
{
   if (!mm->collecting)
      return;
   const struct vt_vma *v = m ? NULL : vt_find_vma(mm, addr);
   vt_u64 mapping = m ? m->id : v ? v->mapping : VT_TLB_NONE;
   struct vt_label *l = label_at(mm, addr);
   vt_tlb_count_miss(mm, mm->cur_phase, mapping,
                     l ? (vt_u64)(l - mm->labels) : VT_TLB_NONE, acc == VT_ACC_EXEC, walk);
   if (vt_host->tlb_miss)
      vt_host->tlb_miss(vt_host_ctx, mm, addr, acc, walk);
}
