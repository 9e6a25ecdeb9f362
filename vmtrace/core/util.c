/* util.c: libc replacements and the fault-class table.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_core.h"

void *vt_memset(void *d, int c, size_t n)
{
   unsigned char *p = d;
   while (n--)
      *p++ = (unsigned char)c;
   return d;
}

void *vt_memcpy(void *d, const void *s, size_t n)
{
   unsigned char *p = d;
   const unsigned char *q = s;
   while (n--)
      *p++ = *q++;
   return d;
}

size_t vt_strlen(const char *s)
{
   size_t n = 0;
   while (s[n])
      n++;
   return n;
}

int vt_strcmp(const char *a, const char *b)
{
   while (*a && *a == *b)
      a++, b++;
   return (unsigned char)*a - (unsigned char)*b;
}

char *vt_strdup(const char *s)
{
   size_t n = vt_strlen(s) + 1;
   char *d = vt_host_alloc(n);
   vt_memcpy(d, s, n);
   return d;
}

void *vt_realloc_array(void *p, size_t old_n, size_t new_n, size_t elem)
{
   void *q = vt_host_alloc(new_n * elem);
   if (p) {
      vt_memcpy(q, p, (old_n < new_n ? old_n : new_n) * elem);
      vt_host_free(p);
   }
   return q;
}

const struct vt_fault_class_info vt_fault_classes[VT_NR_FC] = {
#define VT_FAULT_CLASS(id, name, kind, kernel, desc) \
   [VT_FC_##id] = { name, VT_##kind, kernel, desc },
#include "fault_classes.def"
#undef VT_FAULT_CLASS
};

const char *const vt_map_kind_names[VT_NR_MK] = {
   "text", "data", "bss", "heap", "stack", "anon", "file", "shm"
};

const char *const vt_invalid_reason_names[4] = {
   "none", "unmapped", "protection", "beyond_eof"
};

vt_u64 vt_counts_minor(const struct vt_counts *c)
{
   vt_u64 n = 0;
   for (int i = 0; i < VT_NR_FC; i++)
      if (vt_fault_classes[i].kind == VT_MINOR)
         n += c->faults[i];
   return n;
}

vt_u64 vt_counts_major(const struct vt_counts *c)
{
   vt_u64 n = 0;
   for (int i = 0; i < VT_NR_FC; i++)
      if (vt_fault_classes[i].kind == VT_MAJOR)
         n += c->faults[i];
   return n;
}
