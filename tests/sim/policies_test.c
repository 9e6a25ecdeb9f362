/* policies_test.c: behaviour of single policies on hand-made strings (the
   property tests compare every policy with its naive model; these check
   the models themselves against what the algorithms are known to do).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "sim_test.h"
#include "naive.h"

#define A VT_SIMA_ANON
#define W VT_SIMA_WRITE

static struct vt_sim_config config(const char *policy, vt_u64 ram)
{
   struct vt_sim_config c = { .policy = vt_policy_find(policy),
                              .ram_pages = ram };
   vt_policy_params_default(&c.params);
   return c;
}

/* Faults of keys[0..n) (reads of file pages, reference i at time i + 1). */
struct str { const vt_u64 *k; int n; };

static vt_u64 str_next_use(void *ctx, vt_u64 key, vt_u64 now)
{
   const struct str *s = ctx;
   for (int i = (int)now; i < s->n; i++)
      if (s->k[i] == key)
         return (vt_u64)i + 1;
   return VT_SIM_NO_PAGE;
}

static vt_u64 faults_of(const char *policy, unsigned frames, const vt_u64 *k,
                        int n, vt_u64 seed)
{
   struct vt_sim_config c = config(policy, frames);
   c.params.seed = seed;
   c.params.period = 16;
   c.params.tau = 8;
   struct drv d;
   drv_init(&d, &c, true);
   struct str s = { k, n };
   vt_sim_set_future(d.s, str_next_use, &s);
   static bool seen[DRV_MAX_KEYS];
   memset(seen, 0, sizeof seen);
   for (int i = 0; i < n; i++) {
      int base = seen[k[i]] ? -1 : VT_FC_FILE_READ;
      seen[k[i]] = true;
      drv_ref(&d, k[i], 0, 0, (vt_u64)i + 1, base, NULL);
   }
   vt_u64 f = sim_faults(d.s);
   drv_destroy(&d);
   return f;
}

static void random_string(vt_u64 *k, int n, unsigned universe, vt_u64 seed)
{
   vt_u64 r = seed, hot = 0;
   for (int i = 0; i < n; i++) {
      if (t_rand(&r) % 10 == 0)
         hot = t_rand(&r) % universe;
      k[i] = 1 + (t_rand(&r) % 3 ? (hot + t_rand(&r) % 5) % universe
                                 : t_rand(&r) % universe);
   }
}

static void test_stack_and_bound(void)
{
   static vt_u64 k[3000];
   bool lru_stack = true, opt_stack = true, bound = true;
   for (vt_u64 seed = 1; seed <= 20; seed++) {
      random_string(k, 3000, 40, seed);
      vt_u64 prev_lru = ~0ull, prev_opt = ~0ull;
      for (unsigned fr = 1; fr <= 24; fr += 1 + fr / 4) {
         vt_u64 l = faults_of("lru", fr, k, 3000, seed);
         vt_u64 o = faults_of("opt", fr, k, 3000, seed);
         lru_stack &= l <= prev_lru;
         opt_stack &= o <= prev_opt;
         prev_lru = l;
         prev_opt = o;
         for (int i = 0; vt_policies[i]; i++)
            bound &= faults_of(vt_policies[i]->name, fr, k, 3000, seed) >= o;
      }
   }
   t_ok(lru_stack, "policies: LRU faults never grow with more frames "
        "(a stack algorithm), 20 strings");
   t_ok(opt_stack, "policies: OPT faults never grow with more frames, "
        "20 strings");
   t_ok(bound, "policies: no policy beats OPT, 20 strings, 1 to 24 frames");
}

static void test_random_seed(void)
{
   static vt_u64 k[2000];
   random_string(k, 2000, 30, 5);
   vt_u64 a = faults_of("random", 8, k, 2000, 42);
   vt_u64 b = faults_of("random", 8, k, 2000, 42);
   bool differ = false;
   for (vt_u64 s = 43; s < 53; s++)
      differ |= faults_of("random", 8, k, 2000, s) != a;
   t_ok(a == b, "random: the same seed gives the same run");
   t_ok(differ, "random: other seeds give other runs");
}

static void test_arc_scan(void)
{
   /* A hot set of 6 pages, each referenced twice (into T2), then a long
      scan of new pages, then the hot set again: ARC keeps it, LRU not. */
   static vt_u64 k[400];
   int n = 0;
   for (int r = 0; r < 2; r++)
      for (vt_u64 h = 1; h <= 6; h++)
         k[n++] = h;
   for (vt_u64 s = 100; s < 200; s++)
      k[n++] = s;
   for (vt_u64 h = 1; h <= 6; h++)
      k[n++] = h;
   vt_u64 arc = faults_of("arc", 10, k, n, 1);
   vt_u64 lru = faults_of("lru", 10, k, n, 1);
   t_eq(arc, 6 + 100, "arc: a one-time scan does not flush the pages "
        "referenced twice");
   t_eq(lru, 6 + 100 + 6, "lru: the same scan flushes them");
}

/* PD_LRU (pd & 3) of the LINUX policy: the list a page is on. */
static unsigned lru_of(struct vt_sim *s, vt_u64 key)
{
   vt_u64 w = sim_pword(s, key);
   return w == 99 ? 99 : (unsigned)(w & 3);
}

static void test_linux(void)
{
   enum { IA, AA, IF, AF };
   struct vt_sim_config c = config("linux", 4);
   struct drv d;
   drv_init(&d, &c, false);
   vt_u64 t = 0;
   for (vt_u64 k = 1; k <= 4; k++)
      drv_ref(&d, k, 0, 0, ++t, VT_FC_FILE_READ, NULL);
   t_ok(lru_of(d.s, 1) == IF && lru_of(d.s, 4) == IF,
        "linux: new file pages start on the inactive list");
   /* Fault 5: scan from the tail (1): all referenced by their fault:
      each gets PG_referenced and rotates; then 1 again, bit clear: out. */
   drv_ref(&d, 5, 0, 0, ++t, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 1) && sim_has(d.s, 2),
        "linux: a page referenced only by its fault goes after one rotation");
   /* 2 is referenced again: next scan finds the bit with PG_referenced:
      activated; 3 goes. */
   drv_ref(&d, 2, 0, 0, ++t, -1, NULL);
   drv_ref(&d, 6, 0, 0, ++t, VT_FC_FILE_READ, NULL);
   t_ok(lru_of(d.s, 2) == AF && !sim_has(d.s, 3),
        "linux: referenced again after a scan: promoted to the active list");
   /* Refault: 3's shadow holds age 2; its own eviction and 4's since:
      distance 2 > the workingset size (the active list: 1 page). */
   drv_ref(&d, 3, 0, 0, ++t, -1, NULL);
   t_ok(sim_has(d.s, 3) && lru_of(d.s, 3) == IF && !sim_has(d.s, 4),
        "linux: a refault farther than the workingset size starts inactive");
   drv_destroy(&d);

   /* The same through a mapping without recency (MADV_RANDOM,
      MADV_SEQUENTIAL: vma_has_recency is false, folio_referenced skips
      it): the scan sees no reference, so 1 goes at once, and 2,
      referenced again, is not promoted: it goes next (first in, first
      out). */
   drv_init(&d, &c, false);
   t = 0;
   for (vt_u64 k = 1; k <= 4; k++)
      drv_ref(&d, k, VT_SIMA_NORECENCY, 0, ++t, VT_FC_FILE_READ, NULL);
   drv_ref(&d, 5, VT_SIMA_NORECENCY, 0, ++t, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 1) && sim_has(d.s, 2) && lru_of(d.s, 2) == IF,
        "linux: a reference through a mapping without recency is not seen by reclaim");
   drv_ref(&d, 2, VT_SIMA_NORECENCY, 0, ++t, -1, NULL);
   drv_ref(&d, 6, VT_SIMA_NORECENCY, 0, ++t, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 2) && sim_has(d.s, 3),
        "linux: referenced again without recency: not promoted, evicted first in, first out");
   drv_destroy(&d);

   /* 6 frames: fault 10 rotates 1..6 (PG_referenced) and evicts 1 (shadow
      0, age 1); 2, 3, 4 referenced; fault 11 activates them (age 4) and
      evicts 5 (shadow 4, age 5). */
   c = config("linux", 6);
   drv_init(&d, &c, false);
   t = 0;
   for (vt_u64 k = 1; k <= 6; k++)
      drv_ref(&d, k, 0, 0, ++t, VT_FC_FILE_READ, NULL);
   drv_ref(&d, 10, 0, 0, ++t, VT_FC_FILE_READ, NULL);
   for (vt_u64 k = 2; k <= 4; k++)
      drv_ref(&d, k, 0, 0, ++t, -1, NULL);
   drv_ref(&d, 11, 0, 0, ++t, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 1) && !sim_has(d.s, 5) && lru_of(d.s, 2) == AF &&
        lru_of(d.s, 3) == AF && lru_of(d.s, 4) == AF,
        "linux: pages referenced across scans are activated");
   /* 5 refaults: 6 is evicted (age 6): distance 2 <= 3 active pages. */
   drv_ref(&d, 5, 0, 0, ++t, -1, NULL);
   t_ok(!sim_has(d.s, 6) && lru_of(d.s, 5) == AF,
        "linux: a refault within the workingset size starts active");
   /* 1 refaults: the active list (4) outgrew the inactive one (2): its
      tail, 2, is demoted with its bit cleared; the scan rotates 10 and 11
      and evicts 2 (age 8); distance 8 > 3: 1 starts inactive. */
   drv_ref(&d, 1, 0, 0, ++t, -1, NULL);
   t_ok(!sim_has(d.s, 2) && lru_of(d.s, 1) == IF && lru_of(d.s, 10) == IF,
        "linux: the active list is aged when it outgrows the inactive one");
   drv_destroy(&d);

   /* Swappiness: with both types always available, swappiness / 200 of
      the victims would be anonymous (smooth weighted round-robin) if
      reclaiming cost nothing; but every anonymous victim here is written to
      swap, a cost (lru_note_cost) that weighs the balance towards file
      pages, so fewer are: exactly as many as the naive model says (run in
      step), between 1 and the bare share.  0 and 200 are exact: no weight
      can give the other type a victim.  New pages come in the swappiness
      proportion, so both types stay. */
   static const unsigned sw[] = { 0, 60, 100, 200 };
   static const vt_u64 share[] = { 0, 30, 50, 100 };
   for (int i = 0; i < 4; i++) {
      static struct naive nv;
      c = config("linux", 20);
      c.params.swappiness = sw[i];
      drv_init(&d, &c, false);
      nv_init(&nv, "linux", 20, 0, &c.params);
      t = 0;
      vt_u64 mark_d = 0, mark_n = 0;
      for (vt_u64 k = 0; k < 120; k++) {
         vt_u64 key = k < 20 ? 1000 + k : 2000 + (k - 20);
         bool anon = k < 20 ? (k % 2) != 0
                            : ((k - 19) * sw[i] / 200 != (k - 20) * sw[i] / 200);
         int cls;
         drv_ref(&d, key, anon ? A | W : 0, 0, ++t, anon ? VT_FC_ANON : VT_FC_FILE_READ, NULL);
         nv_access(&nv, key, anon ? A | W : 0, t, anon ? VT_FC_ANON : VT_FC_FILE_READ, &cls);
         if (k == 19) {
            mark_d = vt_sim_stats(d.s)->swap_outs;
            mark_n = nv.st.swap_outs;
         }
      }
      vt_u64 got = vt_sim_stats(d.s)->swap_outs - mark_d;
      vt_u64 model = nv.st.swap_outs - mark_n;
      bool ok = got == model &&
                (sw[i] == 0 || sw[i] == 200 ? got == share[i] : got >= 1 && got < share[i]);
      t_ok(ok, "linux: swappiness %u: %llu of 100 victims anonymous (model %llu, bare share %llu)",
           sw[i], (unsigned long long)got, (unsigned long long)model,
           (unsigned long long)share[i]);
      drv_destroy(&d);
   }
   /* Swappiness 0: anonymous pages go once no file page is left. */
   c = config("linux", 4);
   c.params.swappiness = 0;
   drv_init(&d, &c, false);
   t = 0;
   drv_ref(&d, 1, A | W, 0, ++t, VT_FC_ANON, NULL);
   drv_ref(&d, 2, A | W, 0, ++t, VT_FC_ANON, NULL);
   drv_ref(&d, 3, 0, 0, ++t, VT_FC_FILE_READ, NULL);
   drv_ref(&d, 4, A | W, 0, ++t, VT_FC_ANON, NULL);
   drv_ref(&d, 5, A | W, 0, ++t, VT_FC_ANON, NULL);
   t_ok(!sim_has(d.s, 3) && vt_sim_stats(d.s)->swap_outs == 0,
        "linux: swappiness 0 takes the file page first");
   drv_ref(&d, 6, A | W, 0, ++t, VT_FC_ANON, NULL);
   t_ok(vt_sim_stats(d.s)->swap_outs == 1,
        "linux: swappiness 0 swaps once no file page is left");
   drv_destroy(&d);
}

static void test_nru_aging(void)
{
   /* NRU, period 10: pages 1 (read), 2 (written), 3 (read); tick at 10;
      then 1 read again.  Classes: 1 = R (2), 2 = M (1), 3 = none (0):
      3 goes, then (3's replacement 4 is R) 2, then 1 before 4. */
   struct vt_sim_config c = config("nru", 3);
   c.params.period = 10;
   struct drv d;
   drv_init(&d, &c, false);
   drv_ref(&d, 1, 0, 0, 1, VT_FC_FILE_READ, NULL);
   drv_ref(&d, 2, W, 0, 2, VT_FC_FILE_SHARED, NULL);
   drv_ref(&d, 3, 0, 0, 3, VT_FC_FILE_READ, NULL);
   drv_ref(&d, 1, 0, 0, 11, -1, NULL);
   drv_ref(&d, 4, 0, 0, 12, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 3), "nru: the page in class 0 goes first");
   drv_ref(&d, 5, 0, 0, 13, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 2), "nru: then class 1 (dirty, not referenced)");
   drv_ref(&d, 6, 0, 0, 14, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 1) && sim_has(d.s, 4),
        "nru: then class 2, oldest first");
   drv_destroy(&d);

   /* AGING, period 10: 1 referenced in periods 1 and 2, 2 only in
      period 2, 3 only in period 1: counters 0xC0, 0x80, 0x40: 3 goes. */
   c = config("aging", 3);
   c.params.period = 10;
   drv_init(&d, &c, false);
   drv_ref(&d, 1, 0, 0, 1, VT_FC_FILE_READ, NULL);
   drv_ref(&d, 3, 0, 0, 2, VT_FC_FILE_READ, NULL);
   drv_ref(&d, 1, 0, 0, 11, -1, NULL);
   drv_ref(&d, 2, 0, 0, 12, VT_FC_FILE_READ, NULL);
   vt_sim_advance(d.s, 20);
   t_ok(sim_pword(d.s, 1) == 0xC0 && sim_pword(d.s, 2) == 0x80 &&
        sim_pword(d.s, 3) == 0x40, "aging: the counters after two "
        "ticks");
   drv_ref(&d, 4, 0, 0, 21, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 3), "aging: the smallest counter goes");
   drv_destroy(&d);
}

void test_policies(void)
{
   test_stack_and_bound();
   test_random_seed();
   test_arc_scan();
   test_linux();
   test_nru_aging();
}
