/* lib.c: the few C library functions the core needs, written out (the core
   links into a Valgrind tool, which has no C library).
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
