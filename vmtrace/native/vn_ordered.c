/* The backlog: records are copied out of the ring buffers as soon as
   possible (so the kernel does not drop samples while we unwind) into
   this arena, each collection sorted by time across the CPUs, and handled
   from here in slices between collections (perf's ordered events). */
#include "vn.h"

#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>

struct rec {
   uint64_t time;
   uint64_t seq;
   size_t off;      /* into the arena */
};

static uint8_t *arena;
static size_t arena_len, arena_cap;
static struct rec *recs;
static size_t nrecs, cap_recs, recs_done;
static uint64_t seq;
static size_t appended;   /* records added by the current collection */
static const size_t backlog_limit = (size_t)1 << 31;   /* bytes */

static int rec_cmp(const void *a, const void *b)
{
   const struct rec *x = a, *y = b;
   if (x->time != y->time)
      return x->time < y->time ? -1 : 1;
   return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int vn_backlog_full(void)
{
   return arena_len > backlog_limit;
}

uint8_t *vn_backlog_reserve(size_t n)
{
   if (recs_done == nrecs) {
      arena_len = 0;
      nrecs = recs_done = 0;
   }
   if (arena_len + n > arena_cap) {
      /* drop the bytes of handled records: those below every pending one
         (a collection is sorted by time, not by offset) */
      size_t k, low = arena_len;
      for (k = recs_done; k < nrecs; k++)
         if (recs[k].off < low)
            low = recs[k].off;
      if (low > arena_cap / 2) {
         memmove(arena, arena + low, arena_len - low);
         for (k = recs_done; k < nrecs; k++)
            recs[k].off -= low;
         arena_len -= low;
      }
   }
   if (arena_len + n > arena_cap) {
      arena_cap = (arena_len + n) * 2;
      arena = vn_xrealloc(arena, arena_cap);
   }
   return arena + arena_len;
}

void vn_backlog_commit(size_t keep, uint64_t time)
{
   if (nrecs == cap_recs) {
      if (recs_done > cap_recs / 2) {
         memmove(recs, recs + recs_done, (nrecs - recs_done) * sizeof *recs);
         nrecs -= recs_done;
         recs_done = 0;
      } else {
         cap_recs = cap_recs ? cap_recs * 2 : 1024;
         recs = vn_xrealloc(recs, cap_recs * sizeof *recs);
      }
   }
   recs[nrecs].time = time;
   recs[nrecs].seq = seq++;
   recs[nrecs].off = arena_len;
   nrecs++;
   appended++;
   arena_len += keep;
}

void vn_backlog_sort_new(void)
{
   if (appended)
      qsort(recs + (nrecs - appended), appended, sizeof *recs, rec_cmp);
   appended = 0;
}

/* Handles records of the backlog for up to budget_ns nanoseconds (all of
   them with 0); returns how many are left. */
size_t vn_backlog_process(uint64_t budget_ns)
{
   uint64_t until = budget_ns ? vn_mono_ns() + budget_ns : 0;
   size_t n = 0;
   while (recs_done < nrecs) {
      const struct perf_event_header *h = (const void *)(arena + recs[recs_done].off);
      vn_record_handle(h, (const uint8_t *)h + sizeof *h);
      recs_done++;
      if (until && (++n & 15) == 0 && vn_mono_ns() >= until)
         break;
   }
   return nrecs - recs_done;
}

void vn_backlog_drain(void)
{
   vn_perf_collect();
   vn_backlog_process(0);
}
