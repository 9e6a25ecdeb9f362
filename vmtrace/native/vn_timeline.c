/* The timeline: faults and resident pages over time, in intervals that
   double (merging neighbours) whenever the run outgrows TL_MAX of them. */
#include "vn.h"

#define TL_MAX 4096
static uint64_t tl_interval = 1000000;   /* ns */
static uint64_t tl_faults[VN_NCLASS][TL_MAX];
static uint64_t tl_rss[TL_MAX];
static size_t tl_n;
static uint64_t tl_end;

static void tl_merge(void)
{
   size_t i, n = (tl_n + 1) / 2;
   int c;
   for (i = 0; i < n; i++) {
      size_t a = 2 * i, b = 2 * i + 1;
      for (c = 0; c < VN_NCLASS; c++)
         tl_faults[c][i] = tl_faults[c][a] + (b < tl_n ? tl_faults[c][b] : 0);
      tl_rss[i] = b < tl_n ? tl_rss[b] : tl_rss[a];
   }
   for (i = n; i < TL_MAX; i++) {
      for (c = 0; c < VN_NCLASS; c++)
         tl_faults[c][i] = 0;
      tl_rss[i] = 0;
   }
   tl_n = n;
   tl_interval *= 2;
}

static size_t tl_index(uint64_t t)
{
   uint64_t rel = t > vn_run.start_ns ? t - vn_run.start_ns : 0;
   size_t i;
   while ((i = (size_t)(rel / tl_interval)) >= TL_MAX)
      tl_merge();
   if (i + 1 > tl_n) {
      size_t k;
      uint64_t last = tl_n ? tl_rss[tl_n - 1] : 0;
      for (k = tl_n; k <= i; k++)
         tl_rss[k] = last;
      tl_n = i + 1;
   }
   return i;
}

void vn_timeline_fault(int cls, uint64_t t)
{
   tl_faults[cls][tl_index(t)]++;
}

void vn_timeline_tick(uint64_t t, uint64_t rss)
{
   size_t i = tl_index(t);
   if (rss != VN_NO_RSS)
      tl_rss[i] = rss;
   if (t > tl_end)
      tl_end = t;
}

/* When sample i closed, in whole milliseconds since the start (the last
   one where the run ended, rounded up). */
static uint64_t close_ns(size_t i, uint64_t end_rel)
{
   uint64_t c = (i + 1) * tl_interval;
   if (i + 1 == tl_n && end_rel < c)
      c = (end_rel + 999999) / 1000000 * 1000000;
   return c;
}

/* The run ended at t: the last sample closes there, keeping the resident
   pages last seen (the processes are gone by now). */
void vn_timeline_end(uint64_t t)
{
   tl_index(t);
   if (t > tl_end)
      tl_end = t;
}

void vn_timeline_json(FILE *f)
{
   size_t i;
   uint64_t end_rel = tl_end > vn_run.start_ns ? tl_end - vn_run.start_ns : 0;
   double start_ms = vn_run.start_time * 1000.0;
   int c;
   static const char *names[VN_NCLASS] = { "minor", "major" };
   fprintf(f, "{\"interval_ms\": %llu, \"t_ms\": [", (unsigned long long)(tl_interval / 1000000));
   for (i = 0; i < tl_n; i++)
      fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)(close_ns(i, end_rel) / 1000000));
   fputs("], \"wall_ms\": [", f);
   for (i = 0; i < tl_n; i++)
      fprintf(f, "%s%.0f", i ? ", " : "", start_ms + (double)(close_ns(i, end_rel) / 1000000));
   fputs("], \"rss\": [", f);
   for (i = 0; i < tl_n; i++)
      fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)tl_rss[i]);
   fputs("], \"faults\": {", f);
   for (c = 0; c < VN_NCLASS; c++) {
      fprintf(f, "%s\"%s\": [", c ? ", " : "", names[c]);
      for (i = 0; i < tl_n; i++)
         fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)tl_faults[c][i]);
      fputc(']', f);
   }
   fputs("}}", f);
}
