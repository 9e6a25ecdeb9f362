/* text.c: numbers and text as every vmtrace program reads and writes them
   (vt_text.h).  No C library: the tool and vmtrace-native link it too.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_text.h"

bool vt_parse_number(const char *s, uint64_t base, uint64_t *out)
{
   uint64_t v = 0;
   if (*s < '0' || *s > '9')
      return false;
   for (; *s >= '0' && *s <= '9'; s++) {
      uint64_t d = (uint64_t)(*s - '0');
      if (v > (UINT64_MAX - d) / 10)       /* the whole 64-bit range */
         return false;
      v = v * 10 + d;
   }
   uint64_t mult = 1;
   switch (*s) {
   case 'k': case 'K': mult = base; s++; break;
   case 'M': mult = base * base; s++; break;
   case 'G': mult = base * base * base; s++; break;
   case 'm': case 'g':                     /* 1m is a mebibyte, not a milli-count */
      if (base == 1024) {
         mult = *s == 'm' ? base * base : base * base * base;
         s++;
      }
      break;
   default: break;
   }
   if (base == 1024) {
      if (*s == 'i' && mult > 1)
         s++;                              /* KiB, MiB, GiB */
      if ((*s == 'B' || *s == 'b') && s[1] == 0)
         s++;
   }
   if (*s || (v && mult > UINT64_MAX / v))
      return false;
   *out = v * mult;
   return true;
}

const char *vt_count_text(uint64_t v, char buf[VT_COUNT_TEXT])
{
   char digits[20];
   unsigned n = 0, k = 0;
   do {
      digits[n++] = (char)('0' + v % 10);
      v /= 10;
   } while (v);
   while (n) {                             /* most significant first */
      buf[k++] = digits[--n];
      if (n && n % 3 == 0)
         buf[k++] = ',';
   }
   buf[k] = 0;
   return buf;
}

unsigned vt_utf8_len(const unsigned char *s)
{
   unsigned n;
   unsigned char lo = 0x80, hi = 0xbf;
   if (s[0] < 0x80)
      return 1;
   if (s[0] >= 0xc2 && s[0] <= 0xdf)
      n = 2;
   else if (s[0] >= 0xe0 && s[0] <= 0xef) {
      n = 3;
      if (s[0] == 0xe0) lo = 0xa0;
      if (s[0] == 0xed) hi = 0x9f;
   } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
      n = 4;
      if (s[0] == 0xf0) lo = 0x90;
      if (s[0] == 0xf4) hi = 0x8f;
   } else
      return 0;
   if (s[1] < lo || s[1] > hi)
      return 0;
   for (unsigned i = 2; i < n; i++)
      if (s[i] < 0x80 || s[i] > 0xbf)
         return 0;
   return n;
}
