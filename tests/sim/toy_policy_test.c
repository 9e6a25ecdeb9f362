/* toy_policy_test.c: a policy a newcomer adds by following
   docs/hacking.md ("A replacement policy"): LIFO, which evicts the page
   brought in last.  Only its state and its four operations are written;
   the base (struct vt_policy) grows and frees what it holds.  It is run
   here without being listed in vt_policies, on strings traced by hand.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "sim_test.h"

/* Step 1: the state, on the base. */
struct lifo {
   struct vt_policy base;
   struct vt_flist  stack;          /* head: brought in last */
};

/* Step 2: create, and the operations. */
static void *lifo_create(struct vt_sim *s, uint32_t nr_frames,
                         const struct vt_policy_params *p)
{
   (void)p;
   struct lifo *st = vt_policy_new(s, nr_frames, sizeof *st);
   vt_flist_init(&st->stack);
   return st;
}

static void lifo_insert(void *v, uint32_t f)
{
   struct lifo *st = v;
   vt_flist_push_head(st->base.fr, &st->stack, f);
}

static void lifo_remove(void *v, uint32_t f)
{
   struct lifo *st = v;
   vt_flist_del(st->base.fr, &st->stack, f);
}

static uint32_t lifo_victim(void *v, vt_u64 now)
{
   struct lifo *st = v;
   (void)now;
   for (uint32_t f = st->stack.head; f != VT_SIM_NO_FRAME; f = st->base.fr[f].link[1])
      if (vt_sim_evictable(st->base.s, f)) {
         lifo_remove(st, f);
         return f;
      }
   return VT_SIM_NO_FRAME;
}

/* Step 3: the ops table (what vt_policies would list). */
static const struct vt_policy_ops toy_lifo = {
   .name = "lifo", .needs = 0, .create = lifo_create,
   .insert = lifo_insert, .remove = lifo_remove, .victim = lifo_victim,
};

static vt_u64 lifo_faults(const int *keys, int n, unsigned frames, bool fast)
{
   struct vt_sim_config cfg = { .policy = &toy_lifo, .ram_pages = frames };
   vt_policy_params_init(&toy_lifo, &cfg.params);
   struct drv d;
   drv_init(&d, &cfg, fast);
   for (int i = 0; i < n; i++)
      drv_ref(&d, (vt_u64)keys[i], 0, 0, (vt_u64)i + 1, -1, NULL);
   vt_u64 f = sim_faults(d.s);
   drv_destroy(&d);
   return f;
}

/* A policy with shadow words (VT_POL_SHADOW, as LINUX): FIFO, whose
   victim leaves the word it is given in shadow_next; insert() records the
   word a refaulting page brings back. */
static uint32_t shadow_next, shadow_seen;
static bool shadow_refault;

static void *shf_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   return lifo_create(s, nr_frames, p);
}

static void shf_insert(void *v, uint32_t f)
{
   struct lifo *st = v;
   shadow_refault = vt_sim_incoming_shadow(st->base.s, &shadow_seen);
   vt_flist_push_tail(st->base.fr, &st->stack, f);      /* oldest at the head */
}

static uint32_t shf_victim(void *v, vt_u64 now)
{
   struct lifo *st = v;
   (void)now;
   uint32_t f = st->stack.head;
   if (f != VT_SIM_NO_FRAME) {
      lifo_remove(st, f);
      vt_sim_set_shadow(st->base.s, shadow_next);
   }
   return f;
}

static const struct vt_policy_ops toy_shadow_fifo = {
   .name = "shadow-fifo", .needs = VT_POL_SHADOW, .create = shf_create,
   .insert = shf_insert, .remove = lifo_remove, .victim = shf_victim,
};

/* vt_sim_clamp_shadows, with the hash tables and with a key limit: two
   pages evicted with words 5 and 0xFFFFFF00; clamped at now 10 to 100
   behind: 5 is 5 behind and stays, 0xFFFFFF00 is 266 behind (10 + 256)
   and becomes 10 - 100 = 0xFFFFFFA6; the refaults bring those back. */
static void test_shadow_clamp(void)
{
   for (int dense = 0; dense < 2; dense++) {
      struct vt_sim_config cfg = { .policy = &toy_shadow_fifo, .ram_pages = 1,
                                   .key_limit = dense ? 16 : 0 };
      struct vt_sim *s = vt_sim_create(&cfg, NULL);
      shadow_next = 5;
      vt_sim_access(s, 1, VT_SIMA_ANON, 0, 1, -1, NULL);
      vt_sim_access(s, 2, VT_SIMA_ANON, 0, 2, -1, NULL);   /* 1 out: 5 */
      shadow_next = 0xFFFFFF00u;
      vt_sim_access(s, 3, VT_SIMA_ANON, 0, 3, -1, NULL);   /* 2 out */
      vt_sim_clamp_shadows(s, 10, 100);
      shadow_next = 0;
      vt_sim_access(s, 1, VT_SIMA_ANON, 0, 4, -1, NULL);
      t_ok(shadow_refault && shadow_seen == 5,
           "shadow words (%s): one 5 behind a clamp to 100 keeps its word (got %u)",
           dense ? "key limit" : "tables", shadow_seen);
      vt_sim_access(s, 2, VT_SIMA_ANON, 0, 5, -1, NULL);
      t_ok(shadow_refault && shadow_seen == 0xFFFFFFA6u,
           "shadow words (%s): one 266 behind is clamped to 100 behind, 0xFFFFFFA6 "
           "(got %#x)", dense ? "key limit" : "tables", shadow_seen);
      vt_sim_access(s, 9, VT_SIMA_ANON, 0, 6, -1, NULL);
      t_ok(!shadow_refault, "shadow words (%s): a page never evicted brings none",
           dense ? "key limit" : "tables");
      vt_sim_destroy(s);
   }
}

void test_toy_policy(void)
{
   /* Belady's string.  3 frames: 1 2 3 fault (3); 4 replaces 3, the last
      in (4); 1 2 hit; 5 replaces 4 (5); 1 2 hit; 3 replaces 5 (6), 4
      replaces 3 (7), 5 replaces 4 (8): 8.  4 frames: 1 2 3 4 (4); 1 2 hit;
      5 replaces 4 (5); 1 2 3 hit; 4 replaces 5 (6); 5 replaces 4 (7): 7. */
   static const int belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
   /* The string of Silberschatz et al., 3 frames: 7 0 1 (3); 2 (4) 0; 3
      (5) 0; 4 (6); 2 (7); 3 (8) 0 3; 2 (9); 1 (10); 2 (11) 0; 1 (12) 7 0 1:
      12; the pages 7 and 0, in first, are never replaced. */
   static const int sgg[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0,
                              1, 7, 0, 1 };
   for (int fast = 0; fast < 2; fast++) {
      t_eq(lifo_faults(belady, 12, 3, fast), 8,
           "toy policy (docs/hacking.md): LIFO on Belady's string, 3 frames%s",
           fast ? ", filtered" : "");
      t_eq(lifo_faults(belady, 12, 4, fast), 7,
           "toy policy: LIFO on Belady's string, 4 frames%s", fast ? ", filtered" : "");
      t_eq(lifo_faults(sgg, 20, 3, fast), 12,
           "toy policy: LIFO on the string of Silberschatz et al., 3 frames%s",
           fast ? ", filtered" : "");
   }
   /* More frames than the base allocated at first: it grows them. */
   int many[200];
   for (int i = 0; i < 200; i++)
      many[i] = i % 100;
   t_eq(lifo_faults(many, 200, 64, false), 100 + 37,
        "toy policy: LIFO keeps pages 0..62 over a cyclic scan of 100 pages with "
        "64 frames: 100 cold faults + 37 in the second pass");
   test_shadow_clamp();
}
