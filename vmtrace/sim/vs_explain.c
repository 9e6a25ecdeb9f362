/* vs_explain.c: teaching mode's step table, as operating-systems textbooks
   draw it: one column a reference, one row a frame, the faults marked and
   each victim named.  The frames are the simulation's own: a page brought
   in takes the frame its victim left, so a row is a physical frame.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vs.h"

struct future { const struct vs_stream *s; };

/* A line of the table, written without its trailing blanks. */
struct line { char *p; size_t n, cap; };

__attribute__((format(printf, 2, 3)))
static void line_put(struct line *l, const char *fmt, ...)
{
   va_list ap;
   for (;;) {
      va_start(ap, fmt);
      int k = vsnprintf(l->p ? l->p + l->n : NULL, l->p ? l->cap - l->n : 0, fmt, ap);
      va_end(ap);
      if (l->p && (size_t)k < l->cap - l->n) {
         l->n += (size_t)k;
         return;
      }
      l->cap = 2 * (l->cap + (size_t)k + 16);
      l->p = vs_realloc(l->p, l->cap);
   }
}

static void line_end(struct line *l, FILE *f)
{
   while (l->n && l->p[l->n - 1] == ' ')
      l->n--;
   fwrite(l->p, 1, l->n, f);
   fputc('\n', f);
   l->n = 0;
}

static vt_u64 next_use(void *ctx, vt_u64 key, vt_u64 now)
{
   const struct vs_stream *s = ((struct future *)ctx)->s;
   for (uint64_t i = now; i < s->n; i++)   /* reference i is at time i + 1 */
      if (s->id[i] == key)
         return i + 1;
   return VT_SIM_NO_PAGE;
}

void vs_explain(FILE *f, const struct vs_stream *s, const struct vt_policy_ops *p,
                const struct vt_policy_params *params, uint64_t frames, bool anon,
                uint64_t swap_pages, bool no_swap)
{
   uint64_t n = s->n;
   /* cell[k * n + i]: frame k's page after reference i (+1; 0: free), with
      its referenced bit for the policies that see references through it. */
   uint64_t *cell = vs_alloc(frames * n * sizeof *cell);
   uint8_t *bit = vs_alloc(frames * n);
   uint8_t *fault = vs_alloc(n);
   uint64_t *victim = vs_alloc(n * sizeof *victim);   /* page + 1 */
   struct vt_sim_config cfg = { .policy = p, .ram_pages = frames,
                                .swap_pages = swap_pages, .no_swap = no_swap,
                                .params = *params };
   struct vt_sim *sim = vt_sim_create(&cfg, NULL);
   struct future fut = { s };
   vt_sim_set_future(sim, next_use, &fut);
   bool show_bits = (p->needs & VT_POL_REFBIT) != 0;
   uint64_t faults = 0, width = 1, *before = vs_alloc(frames * sizeof *before);
   for (uint64_t i = 0; i < n; i++) {
      const struct vt_pframe *fr = vt_sim_frames(sim);
      uint32_t nf = vt_sim_nr_frames(sim);
      for (uint64_t k = 0; k < frames; k++)
         before[k] = k < nf && fr[k].key != VT_SIM_NO_PAGE ? fr[k].key + 1 : 0;
      unsigned flags = (anon ? VT_SIMA_ANON : 0) |
                       (s->fl && (s->fl[i] & VS_W) ? VT_SIMA_WRITE : 0);
      unsigned r = vt_sim_access(sim, s->id[i], flags, 0, i + 1, -1, NULL);
      fault[i] = (r & VT_SIMR_FAULT) ? 1 : (r & VT_SIMR_OOM) ? 2 : 0;
      faults += fault[i] == 1;
      fr = vt_sim_frames(sim);
      nf = vt_sim_nr_frames(sim);
      for (uint64_t k = 0; k < frames; k++) {
         uint64_t now = k < nf && fr[k].key != VT_SIM_NO_PAGE ? fr[k].key + 1 : 0;
         cell[k * n + i] = now;
         bit[k * n + i] = now && fr[k].referenced;
         if (before[k] && before[k] != now)
            victim[i] = before[k];
      }
      char tmp[32];
      int w = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)s->obj[s->id[i]]);
      if ((uint64_t)w > width)
         width = (uint64_t)w;
   }
   const struct vt_sim_stats *st = vt_sim_stats(sim);
   fprintf(f, "%s, %llu frame%s: %llu fault%s, %llu eviction%s%s\n", p->name,
           (unsigned long long)frames, frames == 1 ? "" : "s",
           (unsigned long long)faults, faults == 1 ? "" : "s",
           (unsigned long long)st->evictions, st->evictions == 1 ? "" : "s",
           show_bits ? " (* referenced bit set)" : "");
   int cw = (int)width + (show_bits ? 1 : 0);
   char label[32], v[48];
   struct line l = { 0 };
   line_put(&l, "  %-9s", "reference");
   for (uint64_t i = 0; i < n; i++)
      line_put(&l, " %*llu", cw, (unsigned long long)s->obj[s->id[i]]);
   line_end(&l, f);
   for (uint64_t k = 0; k < frames; k++) {
      snprintf(label, sizeof label, "frame %llu", (unsigned long long)k);
      line_put(&l, "  %-9s", label);
      for (uint64_t i = 0; i < n; i++) {
         uint64_t c = cell[k * n + i];
         v[0] = 0;
         if (c)
            snprintf(v, sizeof v, "%llu%s", (unsigned long long)s->obj[c - 1],
                     show_bits && bit[k * n + i] ? "*" : "");
         line_put(&l, " %*s", cw, v);
      }
      line_end(&l, f);
   }
   line_put(&l, "  %-9s", "fault");
   for (uint64_t i = 0; i < n; i++)
      line_put(&l, " %*s", cw, fault[i] == 1 ? "F" : fault[i] == 2 ? "OOM" : "");
   line_end(&l, f);
   line_put(&l, "  %-9s", "victim");
   for (uint64_t i = 0; i < n; i++) {
      v[0] = 0;
      if (victim[i])
         snprintf(v, sizeof v, "%llu", (unsigned long long)s->obj[victim[i] - 1]);
      line_put(&l, " %*s", cw, v);
   }
   line_end(&l, f);
   fputc('\n', f);
   free(l.p);
   vt_sim_destroy(sim);
   free(cell);
   free(bit);
   free(fault);
   free(victim);
   free(before);
}
