/* vt_text.h: numbers and text as every vmtrace program reads and writes
   them: the tool (no C library), vmtrace-sim and vmtrace-native.
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VT_TEXT_H
#define VT_TEXT_H

#include <stdbool.h>
#include <stdint.h>

/* Digits with an optional k/K, M or G suffix, in powers of base: 1024 for
   byte sizes (which also take m and g, "KiB" and a trailing "B"), 1000 for
   counts.  False for anything else, or a value past 64 bits. */
bool vt_parse_number(const char *s, uint64_t base, uint64_t *out);

/* v in decimal with its digits grouped by threes, "1,234,567", as the
   tool's log prints counts (Valgrind's "%'llu") and vmtrace-sim's and
   vmtrace-native's logs and tables do too; returns buf. */
#define VT_COUNT_TEXT 27                   /* 20 digits, 6 commas, the NUL */
const char *vt_count_text(uint64_t v, char buf[VT_COUNT_TEXT]);

/* The length of the well-formed UTF-8 sequence at s (1 to 4), or 0 if the
   byte there does not begin one (RFC 3629: no overlong forms, no
   surrogates, nothing above U+10FFFF).  A NUL ends a sequence. */
unsigned vt_utf8_len(const unsigned char *s);

#endif
