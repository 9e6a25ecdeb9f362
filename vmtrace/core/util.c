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
   [VT_FC_ANON] = { "anon", VT_MINOR, "do_anonymous_page",
      "first touch of private anonymous memory: a zero-filled page" },
   [VT_FC_ZERO] = { "zero", VT_MINOR, "do_anonymous_page",
      "first read of private anonymous memory: the shared zero page" },
   [VT_FC_FILE_READ] = { "file_read", VT_MINOR, "do_read_fault",
      "read of a file or shared-memory page (with fault-around)" },
   [VT_FC_FILE_COW] = { "file_cow", VT_MINOR, "do_cow_fault",
      "first access to a private file page is a write: copied" },
   [VT_FC_FILE_SHARED] = { "file_shared", VT_MINOR, "do_shared_fault",
      "first access to a shared file page is a write" },
   [VT_FC_WP_COPY] = { "wp_copy", VT_MINOR, "wp_page_copy",
      "write to a read-only mapped page that must be copied" },
   [VT_FC_WP_REUSE] = { "wp_reuse", VT_MINOR, "wp_page_reuse",
      "write to a read-only mapped anonymous page nobody else maps" },
   [VT_FC_WP_SHARED] = { "wp_shared", VT_MINOR, "wp_page_shared",
      "first write to a clean shared file page (dirty tracking)" },
   [VT_FC_SWAP_IN] = { "swap_in", VT_MAJOR, "do_swap_page",
      "page read back from swap" },
   [VT_FC_FILE_MAJOR] = { "file_major", VT_MAJOR, "filemap_fault",
      "file page not in the page cache: read from the file" },
   [VT_FC_INVALID] = { "invalid", VT_INVALID_KIND, "bad_area",
      "access outside any VMA or against its protection (SIGSEGV)" },
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
