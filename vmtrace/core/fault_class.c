/* fault_class.c: the fault classes (fault_classes.def) as a table, the
   names of mapping kinds and invalid-access reasons, and sums over classes.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_core.h"

const struct vt_fault_class_info vt_fault_classes[VT_NR_FC] = {
#define VT_FAULT_CLASS(id, name, kind, kernel, desc) \
   [VT_FC_##id] = { name, VT_##kind, kernel, desc },
#include "fault_classes.def"
#undef VT_FAULT_CLASS
};

const char *const vt_map_kind_names[VT_NR_MK] = {
   "text", "data", "bss", "heap", "stack", "anon", "file", "shm"
};

const char *const vt_invalid_reason_names[VT_NR_INV] = {
   "none", "unmapped", "protection", "beyond_eof", "guard"
};

static vt_u64 counts_of_kind(const struct vt_counts *c, enum vt_fc_kind kind)
{
   vt_u64 n = 0;
   for (int i = 0; i < VT_NR_FC; i++)
      if (vt_fault_classes[i].kind == kind)
         n += c->faults[i];
   return n;
}

vt_u64 vt_counts_minor(const struct vt_counts *c)
{
   return counts_of_kind(c, VT_MINOR);
}

vt_u64 vt_counts_major(const struct vt_counts *c)
{
   return counts_of_kind(c, VT_MAJOR);
}
