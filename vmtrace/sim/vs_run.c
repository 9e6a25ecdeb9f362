/* vs_run.c: the grid of (trace, policy, size) jobs, its shards, and running
   them on a pool of threads, each job one simulation of the core fed a
   whole stream (or one exact curve).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <malloc.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "vs.h"

unsigned vs_curve_sizes(const struct vs_config *c, uint64_t npages, uint64_t *out,
                        unsigned max)
{
   unsigned n = 0;
   if (c->nr_curve_sizes) {
      for (unsigned i = 0; i < c->nr_curve_sizes && n < max; i++)
         out[n++] = c->curve_sizes[i];
      return n;
   }
   /* Log-spaced from 1 page to every distinct page, each size once. */
   unsigned pts = c->curve_points ? c->curve_points : 2;
   for (unsigned k = 0; k < pts && n < max; k++) {
      double x = pts == 1 ? (double)npages
                          : pow((double)npages, (double)k / (double)(pts - 1));
      uint64_t v = (uint64_t)llround(x);
      if (v < 1)
         v = 1;
      if (!n || v > out[n - 1])
         out[n++] = v;
   }
   return n;
}

static bool is_exact(const struct vt_policy_ops *p)
{
   return !strcmp(p->name, "lru") || !strcmp(p->name, "opt");
}

/* The grid, in a fixed order all shards agree on: per trace, per policy,
   its exact curve (--mrc, LRU and OPT), then its sizes (--pages, --ram,
   --frames), then the curve's sizes for the others (--mrc). */
void vs_grid(struct vs_run *r)
{
   const struct vs_config *c = &r->cfg;
   uint64_t n = 0, cap = 64;
   r->res = vs_alloc(cap * sizeof *r->res);
   for (uint32_t t = 0; t < r->nr_traces; t++) {
      uint64_t csizes[256];
      /* The whole trace's pages (a sampled stream has fewer). */
      unsigned ncs = c->mrc ? vs_curve_sizes(c, r->traces[t].pages, csizes, 256) : 0;
      for (unsigned p = 0; p < c->nr_policies; p++) {
         const struct vt_policy_ops *pol = c->policies[p];
         uint64_t want[512];
         unsigned nw = 0;
         bool exact = c->mrc && is_exact(pol);
         if (exact)
            want[nw++] = 0;
         unsigned nplain = nw + c->nr_sizes;
         for (unsigned s = 0; s < c->nr_sizes; s++)
            want[nw++] = c->sizes[s];
         if (c->mrc && !exact)
            for (unsigned s = 0; s < ncs; s++) {
               bool dup = false;
               for (unsigned k = 0; k < c->nr_sizes; k++)
                  dup |= c->sizes[k] == csizes[s];
               if (!dup)
                  want[nw++] = csizes[s];
            }
         for (unsigned w = 0; w < nw; w++) {
            if (n == cap) {
               cap *= 2;
               r->res = vs_realloc(r->res, cap * sizeof *r->res);
            }
            struct vs_result *x = &r->res[n++];
            memset(x, 0, sizeof *x);
            x->trace = t;
            x->policy = pol;
            x->pages = want[w];
            x->exact = want[w] == 0;
            x->curve_point = w >= nplain;
         }
      }
   }
   r->nr_res = n;
}

/* ---- one job ---------------------------------------------------------------- */

struct future { const struct vs_stream *s; };

/* Bytes the C library has handed out: what a job holds is the difference
   (alone on its thread: -v's figure is a job's with --jobs=1). */
static uint64_t heap_bytes(void)
{
   struct mallinfo2 m = mallinfo2();
   return m.uordblks + m.hblkhd;
}

/* OPT's oracle: the time of the next reference to key after now.  The
   simulation asks at the reference it is handling (time now = index + 1),
   so the answer is that reference's next use; any other question is
   answered by a search. */
static vt_u64 next_use(void *ctx, vt_u64 key, vt_u64 now)
{
   const struct vs_stream *s = ((struct future *)ctx)->s;
   if (now >= 1 && now <= s->n && s->id[now - 1] == key)
      return s->next[now - 1] == VS_NEVER ? VT_SIM_NO_PAGE : (vt_u64)s->next[now - 1] + 1;
   for (uint64_t i = now; i < s->n; i++)
      if (s->id[i] == key)
         return i + 1;
   return VT_SIM_NO_PAGE;
}

/* A sample's faults by class, divided by R: the total (minor and major)
   rounded once, as the exact-sampled curve's misses are, and shared out
   among the classes by the largest remainder (Hamilton's method: each its
   floor, then one more each to those of the largest fractions, the first
   in the classes' order among equal ones), so that they add up to it;
   rounded each on its own, they could add up to 1 more or less than the
   curve (until 2026-12-06).  Invalid accesses are no part of the total. */
static void scale_faults(vt_u64 *f, double rate)
{
   double frac[VT_NR_FC];
   uint64_t sum = 0, floors = 0;
   for (int k = 0; k < VT_NR_FC; k++)
      if (vt_fault_classes[k].kind != VT_INVALID)
         sum += f[k];
   uint64_t total = vs_sample_scale(sum, rate);
   for (int k = 0; k < VT_NR_FC; k++) {
      if (vt_fault_classes[k].kind == VT_INVALID) {
         f[k] = vs_sample_scale(f[k], rate);
         frac[k] = -1;
         continue;
      }
      double q = (double)f[k] / rate;
      f[k] = (vt_u64)floor(q);
      frac[k] = q - (double)f[k];
      floors += f[k];
   }
   for (; floors < total; floors++) {
      int best = -1;
      for (int k = 0; k < VT_NR_FC; k++)
         if (frac[k] >= 0 && (best < 0 || frac[k] > frac[best]))
            best = k;
      if (best < 0)
         break;
      f[best]++;
      frac[best] = -1;   /* one more at most: the floors are short of the total by
                            less than the number of classes */
   }
}

static uint64_t major_faults(const vt_u64 *f)
{
   uint64_t m = 0;
   for (int k = 0; k < VT_NR_FC; k++)
      if (vt_fault_classes[k].kind == VT_MAJOR)
         m += f[k];
   return m;
}

/* A sample's refaults, divided by R: the major faults that were refaults,
   their share of the scaled major faults, so that refaults stay at most the
   major faults as in the sample (all of them when every major fault was
   one).  Rounded on their own, 1 refault and 1 major fault of the sample at
   R = 0.4 read 3 refaults beside 2 major faults (until 2026-12-06).  Two
   parts by the largest remainder, the refaults first among equals: the
   share q rounded half up. */
static uint64_t scale_refaults(uint64_t refaults, uint64_t majors, uint64_t scaled_majors)
{
   if (!majors)
      return 0;
   if (refaults >= majors)
      return scaled_majors;
   return (uint64_t)floor((double)refaults * (double)scaled_majors / (double)majors + 0.5);
}

static void run_sim(const struct vs_run *r, const struct vs_stream *s, struct vs_result *x)
{
   const struct vs_config *c = &r->cfg;
   double rate = c->sample;
   uint64_t pages = x->pages, swap = c->swap_pages;
   if (rate > 0 && rate < 1) {
      /* The sample stands for the whole trace in a memory R times as
         large, with R times the swap: both are numbers of pages. */
      pages = (uint64_t)llround((double)pages * rate);
      if (pages < 1)
         pages = 1;
      if (swap) {
         swap = (uint64_t)llround((double)swap * rate);
         if (swap < 1)
            swap = 1;
      }
   }
   int pi = 0;
   while (vt_policies[pi] != x->policy)
      pi++;
   struct vt_sim_config cfg = {
      .policy = x->policy, .ram_pages = pages, .swap_pages = swap,
      .no_swap = c->no_swap,
      .key_limit = c->hash_keys ? 0 : s->npages, .params = c->params[pi],
   };
   if (rate > 0 && rate < 1 && !s->vmt) {
      /* Times count the sample's references, R times as sparse as the
         trace's: a period of P references of the trace is P x R here. */
      vt_u64 *tp[] = { &cfg.params.period, &cfg.params.tau };
      for (unsigned k = 0; k < 2; k++)
         if (*tp[k]) {
            double d = (double)*tp[k] * rate;
            vt_u64 v = d < 9e18 ? (vt_u64)llround(d) : (vt_u64)d;
            *tp[k] = v ? v : 1;
         }
   }
   uint64_t m0 = heap_bytes();
   if (s->vmt) {
      /* A vmtrace trace: the core replays it into the simulation, which
         finds pages by their virtual page numbers (no key limit). */
      cfg.key_limit = 0;
      struct vt_sim *sim = vt_sim_create(&cfg, NULL);
      char err[512];
      if (vs_vmtrace_replay(s, sim, c->oom_stop, &x->stopped_at, NULL, err, sizeof err))
         vs_die("%s", err);
      x->mem = heap_bytes() - m0;
      x->st = *vt_sim_stats(sim);
      x->resident = vt_sim_resident(sim);
      x->refs = s->n;
      x->sim_pages = pages;
      vt_sim_destroy(sim);
      if (x->stopped_at) {
         /* Stopped out of memory: how many of the stream's references it
            took is told by a replay of every reference to it (the fast
            path's replay says the clock only), which only a stopped
            simulation pays for. */
         uint64_t again;
         sim = vt_sim_create(&cfg, NULL);
         if (vs_vmtrace_replay(s, sim, true, &again, &x->refs, err, sizeof err))
            vs_die("%s", err);
         vt_sim_destroy(sim);
      }
      return;
   }
   struct vt_sim *sim = vt_sim_create(&cfg, NULL);
   struct future fut = { s };
   if (x->policy->needs & VT_POL_FUTURE)
      vt_sim_set_future(sim, next_use, &fut);
   unsigned base = c->anon ? VT_SIMA_ANON : 0;
   const uint32_t *id = s->id;
   const uint8_t *fl = s->fl;
   uint64_t n = s->n;
   /* The hot loop: a reference a call; the first to a page is the minor
      fault of a page never seen (base_cls -1, docs/policies.md). */
   for (uint64_t i = 0; i < n; i++) {
      unsigned flags = base | (fl && (fl[i] & VS_W) ? VT_SIMA_WRITE : 0);
      unsigned rr = vt_sim_access(sim, id[i], flags, 0, i + 1, -1, NULL);
      if ((rr & VT_SIMR_OOM) && c->oom_stop) {
         x->stopped_at = i + 1;
         break;
      }
   }
   x->mem = heap_bytes() - m0;
   x->st = *vt_sim_stats(sim);
   x->resident = vt_sim_resident(sim);
   x->refs = x->stopped_at ? x->stopped_at : n;
   x->sim_pages = pages;
   vt_sim_destroy(sim);
   if (rate > 0 && rate < 1) {
      uint64_t majors = major_faults(x->st.faults);
      scale_faults(x->st.faults, rate);
      x->st.refaults = scale_refaults(x->st.refaults, majors, major_faults(x->st.faults));
      x->st.evictions = vs_sample_scale(x->st.evictions, rate);
      x->st.swap_outs = vs_sample_scale(x->st.swap_outs, rate);
      x->st.writebacks = vs_sample_scale(x->st.writebacks, rate);
      x->st.oom_events = vs_sample_scale(x->st.oom_events, rate);
      /* at most the RAM: the sample's frames, round(pages x R) and at
         least 1, divided by R can be more (1 page at R = 0.4: 3 resident
         pages, until 2026-12-06) */
      x->st.peak_resident = vs_sample_scale(x->st.peak_resident, rate);
      if (x->st.peak_resident > x->pages)
         x->st.peak_resident = x->pages;
      x->resident = vs_sample_scale(x->resident, rate);
      if (x->resident > x->pages)
         x->resident = x->pages;
      x->refs = vs_sample_scale(x->refs, rate);
      x->stopped_at = vs_sample_scale(x->stopped_at, rate);
   }
}

static void run_exact(const struct vs_run *r, const struct vs_stream *s, struct vs_result *x)
{
   uint64_t m0 = heap_bytes();
   uint64_t *hist = vs_alloc(((size_t)vs_stream_cold(s) + 1) * sizeof *hist);
   uint64_t counted[2];
   if (!strcmp(x->policy->name, "lru"))
      vs_lru_distances(s, hist, &x->mem, counted);
   else
      vs_opt_distances(s, hist, &x->mem, counted);
   x->mem -= m0;
   vs_curve_from_hist(&x->curve, hist, counted, vs_stream_cold(s));
   free(hist);
   vs_curve_unsample(&x->curve, r->cfg.sample);
   x->refs = x->curve.refs;
}

struct pool {
   const struct vs_run *r;
   struct vs_stream    *streams;     /* sampled where --sample */
   uint64_t            *order;       /* the jobs of this shard */
   uint64_t             n;
   atomic_uint_fast64_t next;
};

static void *worker(void *arg)
{
   struct pool *p = arg;
   for (;;) {
      uint64_t k = atomic_fetch_add(&p->next, 1);
      if (k >= p->n)
         return NULL;
      struct vs_result *x = &p->r->res[p->order[k]];
      const struct vs_stream *s = &p->streams[x->trace];
      double t0 = vs_thread_cpu();
      if (x->exact)
         run_exact(p->r, s, x);
      else
         run_sim(p->r, s, x);
      x->cpu = vs_thread_cpu() - t0;
      x->done = true;
      if (p->r->cfg.verbose) {
         char what[64];
         if (x->exact)
            snprintf(what, sizeof what, "%s exact curve", x->policy->name);
         else
            snprintf(what, sizeof what, "%s at %llu pages", x->policy->name,
                     (unsigned long long)x->pages);
         fprintf(stderr, "%s: %s: %s: %.3f s CPU (%.1f M references/s), %.1f MB "
                 "(%.1f bytes a page)\n", vs_prog, s->name, what, x->cpu,
                 (double)s->n / x->cpu / 1e6, (double)x->mem / 1e6,
                 s->npages ? (double)x->mem / (double)s->npages : 0.0);
      }
   }
}

/* The heaviest first, so that the last jobs to finish are short ones:
   exact curves, then by size. */
static const struct vs_run *sort_run;
static int by_weight(const void *a, const void *b)
{
   const struct vs_result *x = &sort_run->res[*(const uint64_t *)a];
   const struct vs_result *y = &sort_run->res[*(const uint64_t *)b];
   if (x->exact != y->exact)
      return x->exact ? -1 : 1;
   if (x->pages != y->pages)
      return x->pages > y->pages ? -1 : 1;
   return *(const uint64_t *)a < *(const uint64_t *)b ? -1 : 1;
}

void vs_run_jobs(struct vs_run *r, struct vs_stream *streams)
{
   const struct vs_config *c = &r->cfg;
   struct pool p = { .r = r, .streams = streams };
   p.order = vs_alloc((r->nr_res ? r->nr_res : 1) * sizeof *p.order);
   for (uint64_t j = 0; j < r->nr_res; j++)
      if (j % c->shard_n == c->shard_k - 1)
         p.order[p.n++] = j;
   sort_run = r;
   qsort(p.order, p.n, sizeof *p.order, by_weight);
   /* OPT's simulations need every reference's next use. */
   for (uint64_t k = 0; k < p.n; k++) {
      const struct vs_result *x = &r->res[p.order[k]];
      if (!x->exact && (x->policy->needs & VT_POL_FUTURE))
         vs_next_uses(&streams[x->trace]);
   }
   atomic_init(&p.next, 0);
   unsigned nt = c->jobs ? c->jobs : 1;
   if (nt > p.n)
      nt = (unsigned)(p.n ? p.n : 1);
   vs_run_threads(nt, worker, &p);
   free(p.order);
}
