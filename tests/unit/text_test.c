/* text_test.c: numbers and UTF-8 as every vmtrace program reads them
   (vmtrace/core/text.c): the tool's options, vmtrace-sim's and the JSON
   writers' escaping all rely on these.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static bool num(const char *s, uint64_t base, uint64_t *v)
{
   *v = 12345;
   return vt_parse_number(s, base, v);
}

static void test_sizes(void)
{
   uint64_t v;
   EXPECT_TRUE(num("4096", 1024, &v)); EXPECT_EQ(4096, v);
   EXPECT_TRUE(num("4k", 1024, &v)); EXPECT_EQ(4 * 1024, v);
   EXPECT_TRUE(num("4KiB", 1024, &v)); EXPECT_EQ(4 * 1024, v);
   EXPECT_TRUE(num("16m", 1024, &v)); EXPECT_EQ(16ull << 20, v);
   EXPECT_TRUE(num("16MB", 1024, &v)); EXPECT_EQ(16ull << 20, v);
   EXPECT_TRUE(num("2g", 1024, &v)); EXPECT_EQ(2ull << 30, v);
   EXPECT_TRUE(num("2GiB", 1024, &v)); EXPECT_EQ(2ull << 30, v);
   EXPECT_TRUE(num("100b", 1024, &v)); EXPECT_EQ(100, v);
   /* 2^64 - 1 bytes is 16 EiB - 1: 16777216 TiB, 17179869184 GiB = 2^64 */
   EXPECT_TRUE(num("18446744073709551615", 1024, &v)); EXPECT_EQ(UINT64_MAX, v);
   EXPECT_FALSE(num("18446744073709551616", 1024, &v));
   EXPECT_TRUE(num("17179869183G", 1024, &v)); EXPECT_EQ((17179869183ull) << 30, v);
   EXPECT_FALSE(num("17179869184G", 1024, &v));
   EXPECT_EQ(12345, v);                 /* untouched on failure */
   EXPECT_TRUE(num("0G", 1024, &v)); EXPECT_EQ(0, v);
   const char *bad[] = { "", "k", "-1", " 1", "1 ", "1KK", "1Bi", "1iB", "1.5M", "1T", "0x10",
                         "1MiBB", "1i" };
   for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
      if (num(bad[i], 1024, &v))
         diagf("# size \"%s\" accepted as %llu", bad[i], (unsigned long long)v), cur_fail = true;
}

static void test_counts(void)
{
   uint64_t v;
   EXPECT_TRUE(num("20k", 1000, &v)); EXPECT_EQ(20000, v);
   EXPECT_TRUE(num("20K", 1000, &v)); EXPECT_EQ(20000, v);
   EXPECT_TRUE(num("3M", 1000, &v)); EXPECT_EQ(3000000, v);
   EXPECT_TRUE(num("1G", 1000, &v)); EXPECT_EQ(1000000000, v);
   /* a count has no milli and no bytes */
   EXPECT_FALSE(num("3m", 1000, &v));
   EXPECT_FALSE(num("1g", 1000, &v));
   EXPECT_FALSE(num("1KiB", 1000, &v));
   EXPECT_FALSE(num("1kB", 1000, &v));
   EXPECT_TRUE(num("18446744073709551615", 1000, &v)); EXPECT_EQ(UINT64_MAX, v);
   EXPECT_FALSE(num("18446744073709552k", 1000, &v)); /* 1.8446744073709552e19 > 2^64 - 1 */
}

/* Grouped by threes from the right, as "%'llu" prints in the C locale's
   en_US form and Valgrind's log: the boundaries of each group, and 2^64 - 1
   (18446744073709551615: 20 digits, 6 commas). */
static void test_count_text(void)
{
   char b[VT_COUNT_TEXT];
   static const struct { uint64_t v; const char *s; } t[] = {
      { 0, "0" }, { 7, "7" }, { 999, "999" }, { 1000, "1,000" }, { 9999, "9,999" },
      { 12345, "12,345" }, { 100000, "100,000" }, { 999999, "999,999" },
      { 1000000, "1,000,000" }, { 1234567, "1,234,567" }, { 1000001, "1,000,001" },
      { 18446744073709551615ull, "18,446,744,073,709,551,615" },
   };
   for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
      const char *got = vt_count_text(t[i].v, b);
      if (got != b || strcmp(got, t[i].s) != 0)
         diagf("# %llu printed as \"%s\", not \"%s\"", (unsigned long long)t[i].v, got,
               t[i].s), cur_fail = true;
   }
   EXPECT_EQ(VT_COUNT_TEXT, strlen(vt_count_text(UINT64_MAX, b)) + 1);
}

static unsigned u8(const char *s)
{
   return vt_utf8_len((const unsigned char *)s);
}

/* RFC 3629's table: the well-formed sequences, and the nearest ill-formed
   ones on each side of every boundary. */
static void test_utf8(void)
{
   EXPECT_EQ(1, u8("a"));
   EXPECT_EQ(1, u8("\x7f"));
   EXPECT_EQ(0, u8("\x80"));                 /* a continuation byte alone */
   EXPECT_EQ(0, u8("\xc0\x80"));             /* overlong NUL */
   EXPECT_EQ(0, u8("\xc1\xbf"));             /* overlong U+007F */
   EXPECT_EQ(2, u8("\xc2\x80"));             /* U+0080 */
   EXPECT_EQ(2, u8("\xc3\xa9"));             /* e acute */
   EXPECT_EQ(0, u8("\xc3"));                 /* cut short by the NUL */
   EXPECT_EQ(0, u8("\xe0\x9f\xbf"));         /* overlong U+07FF */
   EXPECT_EQ(3, u8("\xe0\xa0\x80"));         /* U+0800 */
   EXPECT_EQ(3, u8("\xed\x9f\xbf"));         /* U+D7FF */
   EXPECT_EQ(0, u8("\xed\xa0\x80"));         /* U+D800, a surrogate */
   EXPECT_EQ(3, u8("\xef\xbf\xbf"));         /* U+FFFF */
   EXPECT_EQ(0, u8("\xe2\x82"));             /* cut short */
   EXPECT_EQ(0, u8("\xf0\x8f\xbf\xbf"));     /* overlong U+FFFF */
   EXPECT_EQ(4, u8("\xf0\x90\x80\x80"));     /* U+10000 */
   EXPECT_EQ(4, u8("\xf4\x8f\xbf\xbf"));     /* U+10FFFF */
   EXPECT_EQ(0, u8("\xf4\x90\x80\x80"));     /* U+110000 */
   EXPECT_EQ(0, u8("\xf5\x80\x80\x80"));
   EXPECT_EQ(0, u8("\xff"));
   EXPECT_EQ(0, u8("\xf0\x90\x80"));         /* cut short */
   EXPECT_EQ(0, u8("\xf0\x90\x80\x41"));     /* an ASCII byte inside */
}

void text_tests(void)
{
   run_test("text: byte sizes: k/m/g, KiB, B, the whole 64-bit range and nothing past it", test_sizes);
   run_test("text: counts: k, M, G in thousands; no m, g or bytes", test_counts);
   run_test("text: counts printed with commas between groups of three digits", test_count_text);
   run_test("text: UTF-8 sequences as RFC 3629 allows them, and the nearest that are not", test_utf8);
}
