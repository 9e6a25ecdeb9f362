/* vs_stream.c: reference streams: building one (a dense number per page),
   the next-use index OPT needs, and SHARDS's spatial sampling.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vs.h"

void vs_stream_init(struct vs_stream *s, const char *name, const char *format,
                    bool keep_time)
{
   memset(s, 0, sizeof *s);
   s->name = vs_strdup(name);
   s->format = format;
   s->keep_time = keep_time;
}

void vs_stream_free(struct vs_stream *s)
{
   free(s->name);
   free(s->id);
   free(s->fl);
   free(s->time);
   free(s->obj);
   free(s->next);
   free(s->tab);
   free(s->drop_at);
   free(s->drop_id);
   free(s->gone);
   vs_vmtrace_free(s);
   memset(s, 0, sizeof *s);
}

/* The numbering: an open-addressing table of ids + 1 (0: empty) keyed by
   obj[id], at most 3/4 full: 4 to 11 bytes a page while the stream is
   built, on top of obj's 8. */
static void tab_grow(struct vs_stream *s)
{
   uint64_t cap = s->tab ? 2 * (s->tmask + 1) : 1024;
   uint32_t *t = vs_alloc(cap * sizeof *t);
   for (uint32_t id = 0; id < s->npages; id++) {
      uint64_t i = vs_hash64(s->obj[id]) & (cap - 1);
      while (t[i])
         i = (i + 1) & (cap - 1);
      t[i] = id + 1;
   }
   free(s->tab);
   s->tab = t;
   s->tmask = cap - 1;
}

uint32_t vs_stream_page(struct vs_stream *s, uint64_t obj, bool *added)
{
   if (!s->tab)
      tab_grow(s);
   uint64_t i = vs_hash64(obj) & s->tmask;
   for (; s->tab[i]; i = (i + 1) & s->tmask)
      if (s->obj[s->tab[i] - 1] == obj) {
         if (added)
            *added = false;
         return s->tab[i] - 1;
      }
   if (s->npages == UINT32_MAX - 1)
      vs_die("%s: more than %u distinct pages", s->name, UINT32_MAX - 1);
   if (s->npages == s->pcap) {
      uint64_t old = s->pcap;
      s->pcap = s->pcap ? 2 * s->pcap : 1024;
      s->obj = vs_realloc(s->obj, s->pcap * sizeof *s->obj);
      if (s->gone) {
         s->gone = vs_realloc(s->gone, s->pcap);
         memset(s->gone + old, 0, s->pcap - old);
      }
   }
   uint32_t id = s->npages++;
   s->obj[id] = obj;
   s->tab[i] = id + 1;
   if (4 * (uint64_t)s->npages > 3 * (s->tmask + 1))
      tab_grow(s);
   if (added)
      *added = true;
   return id;
}

/* A page's lookup is two dependent misses in tables larger than the
   caches (its slot, then obj[] to compare): for a batch, the slots are
   fetched first, then the pages they name, then each is looked up. */
void vs_stream_pages(struct vs_stream *s, const uint64_t *objs, uint32_t n, uint32_t *ids,
                     bool *added)
{
   if (!s->tab)
      tab_grow(s);
   uint64_t h[VS_BATCH];
   for (uint32_t i = 0; i < n; i++) {
      h[i] = vs_hash64(objs[i]) & s->tmask;
      __builtin_prefetch(&s->tab[h[i]]);
   }
   for (uint32_t i = 0; i < n; i++)
      if (s->tab[h[i]])
         __builtin_prefetch(&s->obj[s->tab[h[i]] - 1]);
   for (uint32_t i = 0; i < n; i++)
      ids[i] = vs_stream_page(s, objs[i], &added[i]);
}

/* The dense id + 1 of page obj, 0 if it was never referenced. */
static uint32_t stream_find(const struct vs_stream *s, uint64_t obj)
{
   if (!s->tab)
      return 0;
   uint64_t i = vs_hash64(obj) & s->tmask;
   for (; s->tab[i] && s->obj[s->tab[i] - 1] != obj; i = (i + 1) & s->tmask)
      ;
   return s->tab[i];
}

/* A page left, marked only (a stream that only counts). */
void vs_stream_gone(struct vs_stream *s, uint64_t obj)
{
   uint32_t k = stream_find(s, obj);
   if (!k)
      return;
   if (!s->gone)
      s->gone = vs_alloc(s->pcap);
   s->gone[k - 1] = 1;
}

void vs_stream_drop(struct vs_stream *s, uint64_t obj)
{
   uint32_t k = stream_find(s, obj);
   if (!k)
      return;                         /* never referenced: nothing to forget */
   uint32_t id = k - 1;
   if (!s->gone)
      s->gone = vs_alloc(s->pcap);
   if (s->gone[id])
      return;
   s->gone[id] = 1;
   if (s->ndrops == s->dcap) {
      s->dcap = s->dcap ? 2 * s->dcap : 256;
      s->drop_at = vs_realloc(s->drop_at, s->dcap * sizeof *s->drop_at);
      s->drop_id = vs_realloc(s->drop_id, s->dcap * sizeof *s->drop_id);
   }
   s->drop_at[s->ndrops] = s->n;
   s->drop_id[s->ndrops++] = id;
}

bool vs_stream_push(struct vs_stream *s, uint32_t id, unsigned flags, uint32_t time)
{
   if (s->gone && s->gone[id]) {
      s->gone[id] = 0;
      s->recold++;
   }
   if (s->n >= VS_MAX_REFS)
      return false;
   if (s->n == s->cap) {
      uint64_t old = s->cap;
      s->cap = s->cap ? 2 * s->cap : 4096;
      if (s->cap > VS_MAX_REFS)
         s->cap = VS_MAX_REFS;
      s->id = vs_realloc(s->id, s->cap * sizeof *s->id);
      if (s->keep_time)
         s->time = vs_realloc(s->time, s->cap * sizeof *s->time);
      if (s->fl) {
         s->fl = vs_realloc(s->fl, s->cap);
         memset(s->fl + old, 0, s->cap - old);
      }
   }
   if (flags && !s->fl)
      s->fl = vs_alloc(s->cap);
   s->id[s->n] = id;
   if (s->time)
      s->time[s->n] = time;
   if (s->fl)
      s->fl[s->n] = (uint8_t)flags;
   s->n++;
   return true;
}

void vs_stream_done(struct vs_stream *s)
{
   free(s->tab);
   s->tab = NULL;
   free(s->gone);
   s->gone = NULL;
   if (s->n && s->id) {
      s->id = vs_realloc(s->id, s->n * sizeof *s->id);
      if (s->time)
         s->time = vs_realloc(s->time, s->n * sizeof *s->time);
      if (s->fl)
         s->fl = vs_realloc(s->fl, s->n);
   }
   s->cap = s->id ? s->n : 0;
   if (s->npages) {
      s->obj = vs_realloc(s->obj, (size_t)s->npages * sizeof *s->obj);
      s->pcap = s->npages;
   }
}

void vs_next_uses(struct vs_stream *s)
{
   if (s->next || !s->n)
      return;
   uint32_t *last = malloc((size_t)s->npages * sizeof *last);
   if (!last)
      vs_die("out of memory");
   memset(last, 0xff, (size_t)s->npages * sizeof *last);   /* VS_NEVER */
   s->next = vs_alloc(s->n * sizeof *s->next);
   for (uint64_t i = s->n; i-- > 0;) {
      uint32_t p = s->id[i];
      s->next[i] = last[p];
      last[p] = (uint32_t)i;
   }
   free(last);
}

/* ---- SHARDS: spatially hashed sampling (Waldspurger et al., FAST 2015) --- */

uint64_t vs_sample_threshold(double rate)
{
   if (rate >= 1.0)
      return UINT64_MAX;
   return (uint64_t)ldexpl((long double)rate, 64);
}

void vs_stream_sample(const struct vs_stream *s, double rate, struct vs_stream *out)
{
   uint64_t t = vs_sample_threshold(rate);
   vs_stream_init(out, s->name, s->format, s->time != NULL);
   out->skipped = s->skipped;
   uint8_t *keep = vs_alloc(s->npages ? s->npages : 1);
   for (uint32_t p = 0; p < s->npages; p++)
      keep[p] = t == UINT64_MAX || vs_hash64(s->obj[p]) < t;
   for (uint64_t i = 0; i < s->n; i++) {
      if (!keep[s->id[i]])
         continue;
      uint32_t q = vs_stream_page(out, s->obj[s->id[i]], NULL);
      vs_stream_push(out, q, s->fl ? s->fl[i] : 0, s->time ? s->time[i] : 0);
   }
   free(keep);
   /* curves of no reference would read "no misses" */
   if (!out->n && s->n)
      vs_die("%s: --sample=%g keeps none of its %u pages (no page's hash falls below the "
             "rate): give a larger rate", s->name, rate, s->npages);
   vs_stream_done(out);
}
