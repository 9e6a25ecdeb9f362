/* label.c: labels (VMTRACE_LABEL: named address ranges) and phases
   (VMTRACE_PHASE: named stretches of time), as the client requests them.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"
#include "vt_trace.h"

static uint32_t label_id(struct vt_mm *mm, const char *name)
{
   for (uint32_t i = 0; i < mm->nr_labels; i++)
      if (!vt_strcmp(mm->labels[i].name, name))
         return i;
   if (mm->nr_labels == mm->cap_labels) {
      uint32_t cap = mm->cap_labels ? mm->cap_labels * 2 : 16;
      mm->labels = vt_realloc_array(mm->labels, mm->nr_labels, cap,
                                    sizeof *mm->labels);
      mm->cap_labels = cap;
   }
   struct vt_label *l = &mm->labels[mm->nr_labels];
   vt_memset(l, 0, sizeof *l);
   l->name = vt_strdup(name);
   return mm->nr_labels++;
}

static void lrange_insert(struct vt_mm *mm, uint32_t pos,
                          const struct vt_label_range *r)
{
   if (mm->nr_lranges == mm->cap_lranges) {
      uint32_t cap = mm->cap_lranges ? mm->cap_lranges * 2 : 16;
      mm->lranges = vt_realloc_array(mm->lranges, mm->nr_lranges, cap,
                                     sizeof *r);
      mm->cap_lranges = cap;
   }
   for (uint32_t j = mm->nr_lranges; j > pos; j--)
      mm->lranges[j] = mm->lranges[j - 1];
   mm->lranges[pos] = *r;
   mm->nr_lranges++;
}

static void unlabel_body(struct vt_mm *mm, vt_addr start, vt_addr len)
{
   vt_addr end = start + len;
   uint32_t i = 0;
   while (i < mm->nr_lranges) {
      struct vt_label_range *r = &mm->lranges[i];
      if (r->end <= start || r->start >= end) {
         i++;
         continue;
      }
      if (r->start < start && r->end > end) {      /* split in two */
         struct vt_label_range hi = { end, r->end, r->label };
         r->end = start;
         lrange_insert(mm, i + 1, &hi);
         return;
      }
      if (r->start < start) {
         r->end = start;
         i++;
      } else if (r->end > end) {
         r->start = end;
         i++;
      } else {
         for (uint32_t j = i; j + 1 < mm->nr_lranges; j++)
            mm->lranges[j] = mm->lranges[j + 1];
         mm->nr_lranges--;
      }
   }
}

void vt_unlabel(struct vt_mm *mm, vt_addr start, vt_addr len)
{
   vt_u64 args_[] = { start, len };
   vt_trace_input(mm, VT_TEV_UNLABEL, args_, NULL);
   VT_API(mm, unlabel_body(mm, start, len));
}

static void label_body(struct vt_mm *mm, vt_addr start, vt_addr len, const char *name)
{
   if (len == 0)
      return;
   uint32_t id = label_id(mm, name);
   struct vt_label *l = &mm->labels[id];
   if (l->nr_ranges == l->cap_ranges) {
      uint32_t cap = l->cap_ranges ? l->cap_ranges * 2 : 4;
      l->ranges = vt_realloc_array(l->ranges, l->nr_ranges, cap,
                                   sizeof *l->ranges);
      l->cap_ranges = cap;
   }
   l->ranges[l->nr_ranges][0] = start;
   l->ranges[l->nr_ranges][1] = start + len;
   l->nr_ranges++;
   vt_unlabel(mm, start, len);
   uint32_t pos = 0;
   while (pos < mm->nr_lranges && mm->lranges[pos].start < start)
      pos++;
   struct vt_label_range r = { start, start + len, id };
   lrange_insert(mm, pos, &r);
}

void vt_label(struct vt_mm *mm, vt_addr start, vt_addr len, const char *name)
{
   vt_u64 args_[] = { start, len };
   vt_trace_input(mm, VT_TEV_LABEL, args_, name);
   VT_API(mm, label_body(mm, start, len, name));
}

static void set_phase_body(struct vt_mm *mm, const char *name)
{
   for (uint32_t i = 0; i < mm->nr_phases; i++)
      if (!vt_strcmp(mm->phases[i].name, name)) {
         mm->cur_phase = i;
         return;
      }
   if (mm->nr_phases == mm->cap_phases) {
      uint32_t cap = mm->cap_phases ? mm->cap_phases * 2 : 8;
      mm->phases = vt_realloc_array(mm->phases, mm->nr_phases, cap,
                                    sizeof *mm->phases);
      for (uint32_t i = 0; i < mm->nr_labels; i++)
         if (mm->labels[i].per_phase)
            mm->labels[i].per_phase = vt_realloc_array(
               mm->labels[i].per_phase, mm->cap_phases, cap,
               sizeof *mm->labels[i].per_phase);
      mm->cap_phases = cap;
   }
   struct vt_phase *p = &mm->phases[mm->nr_phases];
   vt_memset(p, 0, sizeof *p);
   p->name = vt_strdup(name);
   mm->cur_phase = mm->nr_phases++;
}

void vt_set_phase(struct vt_mm *mm, const char *name)
{
   vt_trace_input(mm, VT_TEV_PHASE, NULL, name);
   VT_API(mm, set_phase_body(mm, name));
}

void vt_labels_init(struct vt_mm *mm)
{
   vt_set_phase(mm, "main");
}

void vt_labels_destroy(struct vt_mm *mm)
{
   for (uint32_t i = 0; i < mm->nr_labels; i++) {
      vt_free(mm->labels[i].name);
      vt_free(mm->labels[i].per_phase);
      vt_free(mm->labels[i].ranges);
   }
   vt_free(mm->labels);
   vt_free(mm->lranges);
   for (uint32_t i = 0; i < mm->nr_phases; i++)
      vt_free(mm->phases[i].name);
   vt_free(mm->phases);
}
