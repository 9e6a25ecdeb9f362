/* host.c: the host interface for the native tests, TAP output and the
   fake host (struct drv).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "sim_test.h"

static void *host_alloc(size_t n)
{
   void *p = calloc(1, n ? n : 1);
   if (!p) {
      fprintf(stderr, "out of memory\n");
      abort();
   }
   return p;
}

__attribute__((noreturn)) static void host_panic(const char *msg)
{
   fprintf(stderr, "panic: %s\n", msg);
   abort();
}

/* The core's host: memory and panic only (the simulations are driven
   directly, through struct vt_sim_owner). */
const struct vt_host_ops test_host_ops = { .alloc = host_alloc, .free = free,
                                           .panic = host_panic };

/* ---- TAP ---- */

static int t_n;
int t_failures;

static void t_vline(bool cond, const char *fmt, va_list ap)
{
   printf("%s %d - ", cond ? "ok" : "not ok", ++t_n);
   vprintf(fmt, ap);
   putchar('\n');
   if (!cond)
      t_failures++;
   fflush(stdout);
}

void t_ok(bool cond, const char *fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   t_vline(cond, fmt, ap);
   va_end(ap);
}

bool t_eq(vt_u64 got, vt_u64 expected, const char *fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   t_vline(got == expected, fmt, ap);
   va_end(ap);
   if (got != expected)
      printf("# expected %llu, got %llu\n", expected, got);
   return got == expected;
}

void t_diag(const char *fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   printf("# ");
   vprintf(fmt, ap);
   putchar('\n');
   va_end(ap);
}

vt_u64 t_rand(vt_u64 *state)
{
   vt_u64 x = *state;
   x ^= x >> 12;
   x ^= x << 25;
   x ^= x >> 27;
   *state = x;
   return x * 0x2545F4914F6CDD1Dull;
}

/* ---- frames ---- */

const struct vt_pframe *sim_frame(struct vt_sim *s, vt_u64 key)
{
   struct vt_pframe *fr = vt_sim_frames(s);
   for (uint32_t f = 0; f < vt_sim_nr_frames(s); f++)
      if (fr[f].key == key)
         return &fr[f];
   return NULL;
}

const struct vt_fstamp *sim_stamp(struct vt_sim *s, vt_u64 key)
{
   const struct vt_pframe *fr = sim_frame(s, key);
   struct vt_fstamp *st = vt_sim_stamps(s);
   return fr && st ? &st[fr - vt_sim_frames(s)] : NULL;
}

const vt_u64 *sim_refs(struct vt_sim *s, vt_u64 key)
{
   const struct vt_pframe *fr = sim_frame(s, key);
   vt_u64 *refs = vt_sim_refs(s);
   return fr && refs ? &refs[fr - vt_sim_frames(s)] : NULL;
}

vt_u64 sim_pword(struct vt_sim *s, vt_u64 key)
{
   const struct vt_pframe *fr = sim_frame(s, key);
   return fr ? vt_sim_policy_word(s, (uint32_t)(fr - vt_sim_frames(s))) : 99;
}

bool sim_has(struct vt_sim *s, vt_u64 key)
{
   return sim_frame(s, key) != NULL;
}

vt_u64 sim_faults(struct vt_sim *s)
{
   vt_u64 n = 0;
   for (int c = 0; c < VT_NR_FC; c++)
      n += vt_sim_stats(s)->faults[c];
   return n;
}

/* ---- the fake host ---- */

static void drv_invalidate(void *ctx, vt_u64 key)
{
   struct drv *d = ctx;
   d->invalidations++;
   if (key < DRV_MAX_KEYS) {
      d->cached[key] = 0;
      if (d->pend_n[key] && !d->contract_broken) {
         /* Hits absorbed before a state change must have been delivered. */
         d->contract_broken = true;
         snprintf(d->why, sizeof d->why,
                  "invalidate(%llu) with %llu undelivered hits", key,
                  d->pend_n[key]);
      }
   }
}

static void drv_oom(void *ctx, struct vt_sim *s, vt_u64 key)
{
   struct drv *d = ctx;
   (void)s;
   d->ooms++;
   d->last_oom_key = key;
}

void drv_flush(struct drv *d)
{
   d->flushes++;
   for (vt_u64 k = d->max_key; k-- > 0;)
      if (d->pend_n[k]) {
         vt_u64 n = d->pend_n[k];
         d->pend_n[k] = 0;
         vt_sim_note_hits(d->s, k, n, d->pend_last[k], 0);
      }
}

static void drv_flush_hits(void *ctx, struct vt_sim *s)
{
   struct drv *d = ctx;
   (void)s;
   drv_flush(d);
}

void drv_init(struct drv *d, const struct vt_sim_config *cfg, bool fast)
{
   memset(d, 0, sizeof *d);
   d->fast = fast;
   struct vt_sim_owner h = {
      .invalidate = drv_invalidate, .oom = drv_oom,
      .flush_hits = drv_flush_hits, .ctx = d,
   };
   d->s = vt_sim_create(cfg, &h);
}

void drv_destroy(struct drv *d)
{
   vt_sim_destroy(d->s);
   d->s = NULL;
}

unsigned drv_ref(struct drv *d, vt_u64 key, unsigned flags, uint32_t mapping,
                 vt_u64 now, int base_cls, int *cls)
{
   if (cls)
      *cls = -1;
   if (key < DRV_MAX_KEYS && key >= d->max_key)
      d->max_key = key + 1;
   /* A tick due: time must reach the simulation first. */
   if (now >= vt_sim_next_tick(d->s))
      vt_sim_advance(d->s, now);
   bool plain = !(flags & (VT_SIMA_PREFAULT | VT_SIMA_ZERO)) && base_cls < 0;
   unsigned need = (flags & VT_SIMA_WRITE) ? 2 : 1;
   if (d->fast && plain && key < DRV_MAX_KEYS && d->cached[key] >= need) {
      d->pend_n[key]++;
      d->pend_last[key] = now;
      d->absorbed++;
      return 0;
   }
   /* Earlier hits of this page go first (time order per page). */
   if (key < DRV_MAX_KEYS && d->pend_n[key]) {
      vt_u64 n = d->pend_n[key];
      d->pend_n[key] = 0;
      vt_sim_note_hits(d->s, key, n, d->pend_last[key], 0);
   }
   unsigned r = vt_sim_access(d->s, key, flags, mapping, now, base_cls, cls);
   if (d->fast && key < DRV_MAX_KEYS && (r & VT_SIMR_CACHEABLE) &&
       !(flags & VT_SIMA_ZERO))
      d->cached[key] = (uint8_t)need;
   return r;
}

bool drv_check(struct drv *d)
{
   if (d->contract_broken)
      return false;
   for (vt_u64 k = 0; k < d->max_key; k++) {
      if (!d->cached[k])
         continue;
      const struct vt_pframe *fr = sim_frame(d->s, k);
      const char *bad = !fr ? "not resident"
                        : !fr->referenced ? "referenced bit clear"
                        : d->cached[k] == 2 && !fr->dirty ? "clean" : NULL;
      if (bad) {
         d->contract_broken = true;
         snprintf(d->why, sizeof d->why, "page %llu cached but %s", k, bad);
         return false;
      }
   }
   return true;
}
