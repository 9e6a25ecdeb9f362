/* lib.c: the few C library functions the core needs, written out (the core
   links into a Valgrind tool, which has no C library).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_core.h"

/* The compiler's own (inline for small constant sizes, else a call to
   memset and memcpy: the C library's in a host program, Valgrind's core's
   in the tool, which defines both for the code the compiler makes). A
   loop a byte at a time cost the replay 9 % of its time in clearing each
   trace item. */
void *vt_memset(void *d, int c, size_t n)
{
   return __builtin_memset(d, c, n);
}

void *vt_memcpy(void *d, const void *s, size_t n)
{
   return __builtin_memcpy(d, s, n);
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
   char *d = vt_alloc(n);
   vt_memcpy(d, s, n);
   return d;
}

void *vt_realloc_array(void *p, size_t old_n, size_t new_n, size_t elem)
{
   void *q = vt_alloc(new_n * elem);
   if (p) {
      vt_memcpy(q, p, (old_n < new_n ? old_n : new_n) * elem);
      vt_free(p);
   }
   return q;
}
