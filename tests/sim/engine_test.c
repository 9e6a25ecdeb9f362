/* engine_test.c: the accounting of sim.c: swap, writebacks, refaults,
   OOM, locks, the zero page, prefaults, drops, the CACHEABLE contract,
   ticks, and the helpers policies use.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "sim_test.h"

#define A  VT_SIMA_ANON
#define W  VT_SIMA_WRITE
#define L  VT_SIMA_LOCKED

static struct vt_sim_config config(const char *policy, vt_u64 ram,
                                   vt_u64 swap)
{
   struct vt_sim_config c = { .policy = vt_policy_find(policy),
                              .ram_pages = ram, .swap_pages = swap };
   vt_policy_params_default(&c.params);
   return c;
}

/* The "unlimited model" for the tests: the first reference to a page is a
   minor fault of this class, later ones find it present. */
struct first { bool seen[DRV_MAX_KEYS]; };

static int base_of(struct first *f, vt_u64 key, unsigned flags)
{
   if (f->seen[key])
      return -1;
   f->seen[key] = true;
   return (flags & VT_SIMA_ANON) ? VT_FC_ANON : VT_FC_FILE_READ;
}

static unsigned ref(struct drv *d, struct first *f, vt_u64 key,
                    unsigned flags, vt_u64 now, int *cls)
{
   return drv_ref(d, key, flags, (uint32_t)(key / 100), now,
                  base_of(f, key, flags), cls);
}

static void test_swap_balance(void)
{
   /* A dirty anonymous set larger than RAM, written then read back. */
   for (int pi = 0; vt_policies[pi]; pi++) {
      const char *pol = vt_policies[pi]->name;
      struct vt_sim_config c = config(pol, 8, 0);
      struct drv d;
      struct first f = { { false } };
      drv_init(&d, &c, true);
      vt_u64 t = 0, N = 20;
      for (vt_u64 k = 1; k <= N; k++)
         ref(&d, &f, k, A | W, ++t, NULL);
      for (vt_u64 k = 1; k <= N; k++)
         ref(&d, &f, k, A, ++t, NULL);
      drv_flush(&d);
      const struct vt_sim_stats *st = vt_sim_stats(d.s);
      /* A read swap-in keeps its slot (swap never half full here: it is
         unlimited), so a page is written to swap once, at its first
         eviction, and evicted again clean it writes nothing: every slot
         taken is still held, by a page out or by one read back, and each
         eviction is a write or follows a swap-in not resident now. */
      vt_u64 out_now = N - vt_sim_resident(d.s);
      vt_u64 swapins = st->faults[VT_FC_SWAP_IN], used = vt_sim_swap_used(d.s);
      bool ok = st->swap_outs <= N && used == st->swap_outs && used >= out_now &&
                st->evictions == st->swap_outs + swapins - (used - out_now) &&
                st->writebacks == 0 && st->refaults == swapins &&
                st->faults[VT_FC_ANON] == N && vt_sim_resident(d.s) == 8;
      t_ok(ok, "engine: %s: each of 20 anonymous pages written to swap once, written "
           "and re-read in 8 frames (read swap-ins keep their slots)", pol);
      if (!ok)
         t_diag("swap_outs %llu swap_ins %llu in swap %llu evictions %llu",
                st->swap_outs, st->faults[VT_FC_SWAP_IN],
                vt_sim_swap_used(d.s), st->evictions);
      for (vt_u64 k = 1; k <= N; k++)
         vt_sim_drop(d.s, k);
      t_ok(vt_sim_swap_used(d.s) == 0 && vt_sim_resident(d.s) == 0,
           "engine: %s: dropping every page frees every frame and slot", pol);
      drv_destroy(&d);
   }
   /* LRU, exactly: 20 pages, 8 frames, a cyclic write then a cyclic read:
      every reference faults. */
   struct vt_sim_config c = config("lru", 8, 0);
   struct drv d;
   struct first f = { { false } };
   drv_init(&d, &c, false);
   vt_u64 t = 0;
   for (vt_u64 k = 1; k <= 20; k++)
      ref(&d, &f, k, A | W, ++t, NULL);
   for (vt_u64 k = 1; k <= 20; k++)
      ref(&d, &f, k, A, ++t, NULL);
   const struct vt_sim_stats *st = vt_sim_stats(d.s);
   t_eq(st->faults[VT_FC_SWAP_IN], 20, "engine: lru: re-reading 20 pages "
        "through 8 frames swaps every one in");
   /* 1..12 written out by the writes, 13..20 by the reads' swap-ins; the
      pages read back keep their slots (do_swap_page on a read fault with
      swap not half full), so evicted again clean they write nothing */
   t_eq(st->swap_outs, 20, "engine: lru: 12 + 8 swap-outs, each page written once");
   t_eq(vt_sim_swap_used(d.s), 20, "engine: lru: 20 slots held: 12 by pages out, 8 by "
        "pages read back");
   drv_destroy(&d);
   /* LRU, 2 frames: write 1 2 3 4 (1 and 2 written out), then read 1 2 3 4
      1 2.  With 8 slots (never half full): the reads of 1 and 2 evict 3
      and 4, dirty (written), and every later eviction is of a page read
      back, clean with its copy: 4 swap-outs, 4 slots held, 8 evictions
      (every swap-in freeing its slot: 8 swap-outs, 2 slots).  With 6:
      read 1 evicts 3 (3 slots used: not half full, 1 keeps its slot);
      read 2 evicts 4 (4 used: half full, 2's slot freed); read 3 evicts 1
      (clean with its copy: nothing written; 3 keeps its slot); read 4
      evicts 2 (no copy: written, 4 used: 4's freed); read 1 evicts 3
      (its copy); read 2 evicts 4 (written).  6 swap-outs, 3 slots held (1,
      2 and 3's... as counted below), 8 evictions. */
   struct { unsigned slots; vt_u64 outs, used; } sw[] = { { 8, 4, 4 }, { 6, 6, 3 } };
   for (int i = 0; i < 2; i++) {
      c = config("lru", 2, sw[i].slots);
      drv_init(&d, &c, false);
      struct first f2 = { { false } };
      t = 0;
      for (vt_u64 k = 1; k <= 4; k++)
         ref(&d, &f2, k, A | W, ++t, NULL);
      static const vt_u64 reads[] = { 1, 2, 3, 4, 1, 2 };
      for (int r = 0; r < 6; r++)
         ref(&d, &f2, reads[r], A, ++t, NULL);
      st = vt_sim_stats(d.s);
      bool ok = st->swap_outs == sw[i].outs && vt_sim_swap_used(d.s) == sw[i].used &&
                st->evictions == 8;
      t_ok(ok, "engine: lru: %u slots: a read swap-in keeps its slot while swap is at most "
           "half full (%llu swap-outs, %llu slots held, 8 evictions)", sw[i].slots,
           (unsigned long long)sw[i].outs, (unsigned long long)sw[i].used);
      if (!ok)
         t_diag("swap_outs %llu in swap %llu evictions %llu", st->swap_outs,
                vt_sim_swap_used(d.s), st->evictions);
      drv_destroy(&d);
   }
}

static void test_swap_full(void)
{
   /* LRU, 4 frames, 1 swap slot: F1 A1 A2 F2, then A3 evicts F1, A4 evicts
      A1 (swap now full), A5 must take F2 (LRU would take A2), A6: OOM. */
   struct vt_sim_config c = config("lru", 4, 1);
   struct drv d;
   struct first f = { { false } };
   drv_init(&d, &c, false);
   vt_u64 t = 0;
   ref(&d, &f, 1, W, ++t, NULL);        /* F1, dirty */
   ref(&d, &f, 11, A | W, ++t, NULL);   /* A1 */
   ref(&d, &f, 12, A | W, ++t, NULL);   /* A2 */
   ref(&d, &f, 2, 0, ++t, NULL);        /* F2, clean */
   ref(&d, &f, 13, A | W, ++t, NULL);   /* A3: evicts F1 (writeback) */
   t_ok(!sim_has(d.s, 1) && vt_sim_stats(d.s)->writebacks == 1,
        "engine: swap: the dirty file page goes first, written back");
   ref(&d, &f, 14, A | W, ++t, NULL);   /* A4: evicts A1 into the slot */
   t_ok(!sim_has(d.s, 11) && vt_sim_swap_used(d.s) == 1,
        "engine: swap: an anonymous page takes the only slot");
   ref(&d, &f, 15, A | W, ++t, NULL);   /* A5: swap full: F2 goes */
   t_ok(!sim_has(d.s, 2) && sim_has(d.s, 12),
        "engine: swap full: a file page is chosen over the LRU anonymous "
        "page");
   int cls;
   unsigned r = ref(&d, &f, 16, A | W, ++t, &cls);
   t_ok(r == VT_SIMR_OOM && !sim_has(d.s, 16) && cls == VT_FC_ANON,
        "engine: swap full and only anonymous pages: OOM, not brought in");
   t_eq(vt_sim_stats(d.s)->oom_events, 1, "engine: OOM counted once");
   t_eq(d.ooms, 1, "engine: the host is told of the OOM");
   t_eq(d.last_oom_key, 16, "engine: ... with the page's key");
   t_eq(vt_sim_stats(d.s)->faults[VT_FC_ANON], 5,
        "engine: the failed fault is not counted (as mm_account_fault)");
   /* Swapping A1 in with a frame free: its slot is freed. */
   vt_sim_drop(d.s, 12);
   r = ref(&d, &f, 11, A, ++t, &cls);
   t_ok(r & VT_SIMR_FAULT && cls == VT_FC_SWAP_IN && vt_sim_swap_used(d.s) == 0,
        "engine: swap-in frees the slot");
   drv_destroy(&d);

   /* Every policy: with swap full, evictions are of file pages only, and
      OOM comes when none is left. */
   for (int pi = 0; vt_policies[pi]; pi++) {
      const char *pol = vt_policies[pi]->name;
      c = config(pol, 6, 2);
      drv_init(&d, &c, true);
      struct first f2 = { { false } };
      t = 0;
      for (vt_u64 k = 1; k <= 4; k++)      /* fill swap: 6 frames, 8 anon */
         ref(&d, &f2, 10 + k, A | W, ++t, NULL);
      for (vt_u64 k = 1; k <= 3; k++)
         ref(&d, &f2, k, W, ++t, NULL);
      for (vt_u64 k = 5; k <= 8; k++)
         ref(&d, &f2, 10 + k, A | W, ++t, NULL);
      /* Now swap is full: count what goes. */
      bool only_file = vt_sim_swap_used(d.s) == 2;
      vt_u64 outs = vt_sim_stats(d.s)->swap_outs;
      unsigned res = 0;
      for (vt_u64 k = 20; k < 40 && !(res & VT_SIMR_OOM); k++)
         res = ref(&d, &f2, k, A | W, ++t, NULL);
      only_file &= vt_sim_stats(d.s)->swap_outs == outs;
      t_ok(only_file && (res & VT_SIMR_OOM),
           "engine: %s: swap full: only file pages are evicted, then OOM",
           pol);
      drv_destroy(&d);
   }
}

static void test_locked(void)
{
   for (int pi = 0; vt_policies[pi]; pi++) {
      const char *pol = vt_policies[pi]->name;
      struct vt_sim_config c = config(pol, 8, 0);
      c.params.period = 5;
      c.params.tau = 3;
      struct drv d;
      struct first f = { { false } };
      drv_init(&d, &c, true);
      vt_u64 t = 0, r = 77;
      for (vt_u64 k = 1; k <= 5; k++)
         ref(&d, &f, k, L | (k % 2 ? A : 0), ++t, NULL);
      bool kept = true;
      for (int i = 0; i < 2000; i++) {
         vt_u64 k = 1 + t_rand(&r) % 30;
         unsigned fl = (k % 2 ? A : 0) | (t_rand(&r) % 2 ? W : 0) |
                       (k <= 5 ? L : 0);
         ref(&d, &f, k, fl, ++t, NULL);
         for (vt_u64 j = 1; j <= 5; j++)
            kept &= sim_has(d.s, j);
      }
      t_ok(kept, "engine: %s: locked pages are never evicted", pol);
      /* Lock the other three too: no victim, OOM. */
      for (vt_u64 k = 6; k <= 30; k++)
         vt_sim_drop(d.s, k);
      for (vt_u64 k = 6; k <= 8; k++)
         ref(&d, &f, k, L, ++t, NULL);
      unsigned res = ref(&d, &f, 50, A | W, ++t, NULL);
      t_ok(res == VT_SIMR_OOM && vt_sim_resident(d.s) == 8,
           "engine: %s: every frame locked: OOM", pol);
      /* munlock one: it can go. */
      vt_sim_lock(d.s, 7, false);
      res = ref(&d, &f, 50, A | W, ++t, NULL);
      t_ok((res & VT_SIMR_FAULT) && !sim_has(d.s, 7),
           "engine: %s: after munlock the page can be evicted", pol);
      drv_destroy(&d);
   }
}

static void test_cyclic(void)
{
   /* N pages scanned k times with RAM < N: LRU (and FIFO, CLOCK) fault on
      every reference. */
   static const char *const pols[] = { "lru", "fifo", "clock" };
   for (int pi = 0; pi < 3; pi++) {
      for (unsigned ram = 1; ram < 10; ram += 4) {
         struct vt_sim_config c = config(pols[pi], ram, 0);
         struct drv d;
         struct first f = { { false } };
         drv_init(&d, &c, true);
         vt_u64 t = 0, N = 10, prev = 0;
         bool ok = true;
         for (int k = 1; k <= 5; k++) {
            for (vt_u64 key = 1; key <= N; key++)
               ref(&d, &f, key, 0, ++t, NULL);
            vt_u64 now_f = sim_faults(d.s);
            ok &= now_f - prev == N;
            prev = now_f;
         }
         t_ok(ok, "engine: %s, %u frames: a cyclic scan over 10 pages "
              "faults 10 times per pass", pols[pi], ram);
         drv_destroy(&d);
      }
   }
}

static void test_cacheable(void)
{
   struct vt_sim_config c = config("clock", 2, 0);
   struct drv d;
   struct first f = { { false } };
   drv_init(&d, &c, false);
   unsigned r = ref(&d, &f, 1, 0, 1, NULL);
   t_ok(r == (VT_SIMR_FAULT | VT_SIMR_CACHEABLE),
        "cacheable: a read fault leaves the page cacheable for reads");
   r = ref(&d, &f, 1, W, 2, NULL);
   t_ok(r == VT_SIMR_CACHEABLE && sim_frame(d.s, 1)->dirty,
        "cacheable: the first write reaches the simulation, sets dirty, "
        "then writes are cacheable");
   r = ref(&d, &f, 2, VT_SIMA_PREFAULT, 3, NULL);
   t_ok(r == 0 && sim_has(d.s, 2) && sim_frame(d.s, 2)->referenced,
        "cacheable: a prefault is not cacheable (no reference of the "
        "program's), though its bit is set (a young PTE)");
   vt_u64 inv = d.invalidations;
   r = ref(&d, &f, 3, 0, 4, NULL);     /* clock sweeps: clears 1's bit */
   t_ok(d.invalidations >= inv + 2,
        "cacheable: clearing a referenced bit and evicting invalidate");
   /* Each policy: after any reference the page is cacheable. */
   for (int pi = 0; vt_policies[pi]; pi++) {
      struct vt_sim_config c2 = config(vt_policies[pi]->name, 4, 0);
      struct drv d2;
      struct first f2 = { { false } };
      drv_init(&d2, &c2, false);
      bool ok = true;
      for (vt_u64 t = 1; t < 50; t++) {
         vt_u64 k = 1 + t % 3;
         unsigned rr = ref(&d2, &f2, k, t % 4 == 0 ? W : 0, t, NULL);
         ok &= (rr & VT_SIMR_CACHEABLE) != 0;
      }
      t_ok(ok, "cacheable: %s: every reference to a resident page returns "
           "CACHEABLE", vt_policies[pi]->name);
      drv_destroy(&d2);
   }
   drv_destroy(&d);
   /* Unlimited RAM: never evicts, always cacheable. */
   struct vt_sim_config cu = config("lru", 0, 0);
   drv_init(&d, &cu, true);
   struct first fu = { { false } };
   bool ok = true;
   for (vt_u64 k = 1; k < 3000; k++)
      ok &= (ref(&d, &fu, k, W | (k % 2 ? A : 0), k, NULL) &
             VT_SIMR_CACHEABLE) != 0;
   t_ok(ok && vt_sim_resident(d.s) == 2999 &&
        vt_sim_stats(d.s)->evictions == 0 &&
        vt_sim_stats(d.s)->peak_resident == 2999,
        "engine: unlimited RAM keeps every page");
   drv_destroy(&d);
}

static void test_zero_prefault(void)
{
   /* LFU: a policy whose frames keep their reference counts (vt_sim_refs). */
   struct vt_sim_config c = config("lfu", 2, 0);
   struct drv d;
   drv_init(&d, &c, false);
   int cls;
   unsigned r = drv_ref(&d, 5, A | VT_SIMA_ZERO, 0, 1, VT_FC_ZERO, &cls);
   t_ok(r == (VT_SIMR_FAULT | VT_SIMR_CACHEABLE) && cls == VT_FC_ZERO &&
        vt_sim_resident(d.s) == 0,
        "zero page: the fault is counted, no frame is used");
   r = drv_ref(&d, 5, A | VT_SIMA_ZERO, 0, 2, -1, &cls);
   t_ok(r == VT_SIMR_CACHEABLE && cls == -1 && sim_faults(d.s) == 1,
        "zero page: a later read costs nothing");
   r = drv_ref(&d, 5, A | W, 0, 3, VT_FC_WP_COPY, &cls);
   t_ok((r & VT_SIMR_FAULT) && cls == VT_FC_WP_COPY && sim_has(d.s, 5),
        "zero page: the write copies it into a frame (wp_copy)");
   /* Prefault: brought in, no fault, no reference, but its PTE young
      (x86), so its referenced bit is set. */
   r = drv_ref(&d, 6, VT_SIMA_PREFAULT, 0, 4, -1, &cls);
   const struct vt_pframe *fr = sim_frame(d.s, 6);
   t_ok(r == 0 && fr && *sim_refs(d.s, 6) == 0 && fr->referenced &&
        sim_faults(d.s) == 2,
        "prefault: mapped, no fault, no reference counted, referenced bit set");
   r = drv_ref(&d, 6, 0, 0, 5, -1, &cls);
   t_ok(r == VT_SIMR_CACHEABLE && *sim_refs(d.s, 6) == 1,
        "prefault: the first reference is a hit");
   r = drv_ref(&d, 7, 0, 0, 6, VT_FC_FILE_READ, &cls);   /* evicts 5 */
   r = drv_ref(&d, 5, A | VT_SIMA_PREFAULT, 0, 7, -1, &cls);
   t_ok(r == 0 && !sim_has(d.s, 5),
        "prefault: an evicted page is not brought back by fault-around");
   r = drv_ref(&d, 5, A, 0, 8, -1, &cls);
   t_ok((r & VT_SIMR_FAULT) && cls == VT_FC_SWAP_IN,
        "prefault: ... its next reference is a major fault");
   drv_destroy(&d);
   /* Prefault with every frame locked: nothing, no OOM. */
   c = config("lru", 1, 0);
   drv_init(&d, &c, false);
   drv_ref(&d, 1, L, 0, 1, VT_FC_FILE_READ, NULL);
   r = drv_ref(&d, 2, VT_SIMA_PREFAULT, 0, 2, -1, NULL);
   t_ok(r == 0 && !sim_has(d.s, 2) && vt_sim_stats(d.s)->oom_events == 0,
        "prefault: no frame to spare: not mapped, no OOM");
   drv_destroy(&d);
   /* CLOCK, 3 frames: 1 read, 2 prefaulted (young), 3 and 4 read.  The
      hand finds every bit set, clears them and takes 1, the oldest: the
      prefaulted page has the second chance a read page has (before,
      its bit clear, 2 went first). */
   c = config("clock", 3, 0);
   drv_init(&d, &c, false);
   drv_ref(&d, 1, 0, 0, 1, VT_FC_FILE_READ, NULL);
   drv_ref(&d, 2, VT_SIMA_PREFAULT, 0, 2, -1, NULL);
   drv_ref(&d, 3, 0, 0, 3, VT_FC_FILE_READ, NULL);
   drv_ref(&d, 4, 0, 0, 4, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 1) && sim_has(d.s, 2) && sim_has(d.s, 3) && sim_has(d.s, 4),
        "prefault: clock gives a prefaulted page its second chance (1 evicted, not 2)");
   /* 2's and 3's bits cleared by that sweep, 2 is mapped again by
      fault-around (still resident): young again, so the next sweep
      passes it and takes 3. */
   drv_ref(&d, 2, VT_SIMA_PREFAULT, 0, 5, -1, NULL);
   t_ok(sim_frame(d.s, 2)->referenced && !sim_frame(d.s, 3)->referenced &&
        sim_faults(d.s) == 3,
        "prefault: a resident page mapped again has its bit set, no fault");
   drv_ref(&d, 5, 0, 0, 6, VT_FC_FILE_READ, NULL);
   t_ok(sim_has(d.s, 2) && !sim_has(d.s, 3) && sim_has(d.s, 5),
        "prefault: ... and clock passes it again (3 evicted)");
   drv_destroy(&d);
}

static void test_refaults(void)
{
   struct vt_sim_config c = config("fifo", 2, 0);
   struct drv d;
   struct first f = { { false } };
   drv_init(&d, &c, false);
   int cls;
   ref(&d, &f, 1, 0, 1, NULL);
   ref(&d, &f, 2, A, 2, NULL);
   ref(&d, &f, 3, 0, 3, NULL);                     /* evicts 1 */
   ref(&d, &f, 1, 0, 4, &cls);                     /* evicts 2 */
   t_ok(cls == VT_FC_FILE_MAJOR && vt_sim_stats(d.s)->refaults == 1,
        "refault: an evicted file page faults back as file_major");
   ref(&d, &f, 2, A, 5, &cls);
   t_ok(cls == VT_FC_SWAP_IN && vt_sim_stats(d.s)->refaults == 2,
        "refault: an evicted anonymous page faults back as swap_in");
   /* Evicted, and the unlimited model reports a minor fault (a write to a
      page it maps read-only): the page must still be read in: major. */
   ref(&d, &f, 3, 0, 6, NULL);                     /* 3 resident, 1 goes */
   drv_ref(&d, 1, W, 0, 7, VT_FC_WP_SHARED, &cls);
   t_ok(cls == VT_FC_FILE_MAJOR && vt_sim_stats(d.s)->faults[VT_FC_WP_SHARED] == 0,
        "refault: a minor fault of the unlimited model on an evicted page "
        "is a major fault here");
   /* Never seen here, present for the unlimited model: minor. */
   drv_ref(&d, 40, 0, 0, 8, -1, &cls);
   t_ok(cls == VT_FC_FILE_READ, "unseen page present in the unlimited "
        "model: file_read");
   drv_ref(&d, 41, A, 0, 9, -1, &cls);
   t_ok(cls == VT_FC_ANON, "unseen anonymous page present in the unlimited "
        "model: anon");
   /* An invalid access touches nothing. */
   unsigned ri = drv_ref(&d, 77, 0, 0, 10, VT_FC_INVALID, &cls);
   t_ok(ri == 0 && cls == -1 && !sim_has(d.s, 77) &&
        vt_sim_stats(d.s)->faults[VT_FC_INVALID] == 0,
        "an invalid access changes nothing");
   /* Dropped pages are forgotten. */
   vt_sim_drop(d.s, 1);
   vt_sim_drop(d.s, 2);
   drv_ref(&d, 1, 0, 0, 10, VT_FC_FILE_READ, &cls);
   t_ok(cls == VT_FC_FILE_READ, "drop: a dropped evicted page is no "
        "longer a refault");
   t_eq(vt_sim_stats(d.s)->refaults, 4, "refault: 4 refaults counted");
   drv_destroy(&d);
}

/* A read-around's pages (VT_SIMA_READAHEAD): only a file page evicted
   here comes back, unmapped and unreferenced, without a fault or a
   counted refault; the reference that finds it is the minor fault that
   maps it (VT_SIMR_MAPPED); vt_sim_map_cached maps one for fault-around. */
static void test_readahead(void)
{
   struct vt_sim_config c = config("lru", 3, 0);
   struct drv d;
   struct first f = { { false } };
   drv_init(&d, &c, false);
   int cls;
   for (vt_u64 k = 1; k <= 5; k++)
      ref(&d, &f, k, k == 5 ? A : 0, k, NULL);     /* 1 and 2 evicted */
   unsigned r = vt_sim_access(d.s, 1, VT_SIMA_READAHEAD, 0, 6, -1, &cls);
   t_ok(r == 0 && cls == -1 && sim_has(d.s, 1) && !sim_has(d.s, 3) &&
        vt_sim_stats(d.s)->refaults == 0 && vt_sim_stats(d.s)->faults[VT_FC_FILE_MAJOR] == 0,
        "read-around: an evicted file page comes back (LRU evicts 3), no fault, "
        "no refault counted");
   r = vt_sim_access(d.s, 3, VT_SIMA_READAHEAD, 0, 7, -1, NULL);
   r |= vt_sim_access(d.s, 9, VT_SIMA_READAHEAD, 0, 7, -1, NULL);
   t_ok(sim_has(d.s, 3) && !sim_has(d.s, 9) && vt_sim_stats(d.s)->evictions == 4,
        "read-around: a page never held stays out, an evicted one comes in");
   r = drv_ref(&d, 1, 0, 0, 8, -1, &cls);
   t_ok((r & VT_SIMR_MAPPED) && (r & VT_SIMR_FAULT) && cls == VT_FC_FILE_READ &&
        (r & VT_SIMR_CACHEABLE),
        "read-around: the first reference to its page is a minor file_read that maps it");
   r = drv_ref(&d, 1, 0, 0, 9, -1, &cls);
   t_ok(!(r & (VT_SIMR_MAPPED | VT_SIMR_FAULT)) && cls == -1,
        "read-around: the next reference finds it mapped");
   t_ok(vt_sim_map_cached(d.s, 3, 10) && !vt_sim_map_cached(d.s, 3, 11) &&
        !vt_sim_map_cached(d.s, 1, 11),
        "read-around: fault-around maps an unmapped page once, a mapped one never");
   r = drv_ref(&d, 3, W, 0, 12, -1, &cls);
   t_ok(!(r & VT_SIMR_MAPPED) && cls == -1, "read-around: a page fault-around mapped "
        "takes no fault");
   /* The anonymous page 5, evicted: a read-around never brings it. */
   vt_sim_access(d.s, 9, 0, 0, 13, VT_FC_FILE_READ, NULL);
   vt_sim_access(d.s, 10, 0, 0, 14, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 5) && vt_sim_access(d.s, 5, VT_SIMA_READAHEAD, 0, 15, -1, NULL) == 0 &&
        !sim_has(d.s, 5), "read-around: an evicted anonymous page stays out");
   t_eq(vt_sim_stats(d.s)->refaults, 0, "read-around: no refault counted");
   drv_destroy(&d);

   /* ARC: no read-around (its ghost lists stand for demand fetches). */
   c = config("arc", 2, 0);
   struct first g = { { false } };
   drv_init(&d, &c, false);
   for (vt_u64 k = 1; k <= 3; k++)
      ref(&d, &g, k, 0, k, NULL);
   vt_sim_access(d.s, 1, VT_SIMA_READAHEAD, 0, 4, -1, NULL);
   t_ok(!sim_has(d.s, 1), "read-around: none under ARC");
   drv_destroy(&d);
}

/* A read-around's page marked PG_readahead (VT_SIMA_RA_MARK): marked only
   if the read brings it in; fault-around (vt_sim_map_cached) and a
   prefault leave it unmapped, so the reference to it is the minor fault
   that maps it and reports the mark (VT_SIMR_READAHEAD), once. */
static void test_readahead_mark(void)
{
   struct vt_sim_config c = config("lru", 4, 0);
   struct drv d;
   struct first f = { { false } };
   drv_init(&d, &c, false);
   int cls;
   for (vt_u64 k = 1; k <= 6; k++)
      ref(&d, &f, k, 0, k, NULL);                   /* 1 and 2 evicted */
   vt_sim_access(d.s, 1, VT_SIMA_READAHEAD | VT_SIMA_RA_MARK, 0, 7, -1, NULL);
   vt_sim_access(d.s, 2, VT_SIMA_READAHEAD, 0, 7, -1, NULL);
   vt_sim_access(d.s, 6, VT_SIMA_READAHEAD | VT_SIMA_RA_MARK, 0, 7, -1, NULL);
   t_ok(sim_has(d.s, 1) && sim_has(d.s, 2) && !vt_sim_map_cached(d.s, 1, 8) &&
        vt_sim_map_cached(d.s, 2, 8),
        "readahead mark: fault-around leaves the marked page unmapped, maps the other");
   vt_sim_access(d.s, 1, VT_SIMA_PREFAULT, 0, 9, -1, NULL);
   unsigned r = drv_ref(&d, 1, 0, 0, 10, -1, &cls);
   t_ok((r & VT_SIMR_MAPPED) && (r & VT_SIMR_READAHEAD) && (r & VT_SIMR_FAULT) &&
        cls == VT_FC_FILE_READ,
        "readahead mark: a prefault leaves it too; the reference is the minor fault "
        "that maps it and reports the mark");
   r = drv_ref(&d, 1, 0, 0, 11, -1, &cls);
   t_ok(!(r & (VT_SIMR_MAPPED | VT_SIMR_READAHEAD | VT_SIMR_FAULT)),
        "readahead mark: cleared, the page mapped");
   r = drv_ref(&d, 6, 0, 0, 12, -1, &cls);
   t_ok(!(r & (VT_SIMR_MAPPED | VT_SIMR_READAHEAD | VT_SIMR_FAULT)),
        "readahead mark: a page the read did not bring in (resident) is not marked");
   drv_destroy(&d);
}

static void test_writeback_and_mapping(void)
{
   struct vt_sim_config c = config("fifo", 2, 0);
   struct drv d;
   drv_init(&d, &c, false);
   drv_ref(&d, 100, W, 1, 1, VT_FC_FILE_SHARED, NULL);
   drv_ref(&d, 200, 0, 2, 2, VT_FC_FILE_READ, NULL);
   drv_ref(&d, 300, 0, 3, 3, VT_FC_FILE_READ, NULL);   /* evicts 100 */
   drv_ref(&d, 400, 0, 3, 4, VT_FC_FILE_READ, NULL);   /* evicts 200 */
   drv_ref(&d, 500, 0, 3, 5, VT_FC_FILE_READ, NULL);   /* evicts 300 */
   t_eq(vt_sim_stats(d.s)->writebacks, 1,
        "writeback: only the dirty file page is written back");
   vt_u64 counts[5];
   vt_sim_evictions_by_mapping(d.s, counts, 5);
   t_ok(counts[0] == 0 && counts[1] == 1 && counts[2] == 1 &&
        counts[3] == 1 && counts[4] == 0, "evictions are counted per mapping");
   /* A private file page copied on write becomes anonymous. */
   drv_ref(&d, 400, A | W, 3, 6, VT_FC_WP_COPY, NULL);
   const struct vt_pframe *fr = sim_frame(d.s, 400);
   t_ok(fr && fr->anon && fr->dirty, "copy on write: the page becomes "
        "anonymous and dirty in its frame");
   drv_ref(&d, 600, 0, 3, 7, VT_FC_FILE_READ, NULL);
   drv_ref(&d, 700, 0, 3, 8, VT_FC_FILE_READ, NULL);
   t_ok(vt_sim_stats(d.s)->swap_outs == 1, "copy on write: evicted as an "
        "anonymous page (to swap)");
   /* 100 (mapping 1) comes back: a refault of mapping 1.  Folded into
      mapping 4, its counts and its frame go there: FIFO of 2 frames then
      evicts 100 at the second new page, an eviction of mapping 4. */
   vt_u64 rf[5];
   drv_ref(&d, 100, 0, 1, 9, VT_FC_FILE_READ, NULL);
   vt_sim_refaults_by_mapping(d.s, rf, 5);
   t_ok(rf[0] == 0 && rf[1] == 1 && rf[2] == 0 && rf[3] == 0 && rf[4] == 0,
        "refaults are counted per mapping, to the one faulting the page back");
   vt_sim_rename_mapping(d.s, 1, 4);
   drv_ref(&d, 800, 0, 3, 10, VT_FC_FILE_READ, NULL);
   drv_ref(&d, 900, 0, 3, 11, VT_FC_FILE_READ, NULL);
   vt_sim_evictions_by_mapping(d.s, counts, 5);
   vt_sim_refaults_by_mapping(d.s, rf, 5);
   t_ok(counts[1] == 0 && counts[4] == 2 && rf[1] == 0 && rf[4] == 1,
        "a folded mapping's evictions, refaults and resident pages count to "
        "the mapping it folded into");
   drv_destroy(&d);

   /* WSCLOCK: an old dirty page is written back and stays; the next sweep
      evicts it clean. */
   c = config("wsclock", 2, 0);
   c.params.tau = 5;
   drv_init(&d, &c, false);
   drv_ref(&d, 1, W, 0, 1, VT_FC_FILE_SHARED, NULL);
   drv_ref(&d, 2, W, 0, 2, VT_FC_FILE_SHARED, NULL);
   drv_ref(&d, 3, 0, 0, 20, VT_FC_FILE_READ, NULL);
   /* t=20: sweep 1: clear R of 1, 2 (last use 20); no victim: the oldest
      clean page: none, so the first from the hand: page 1, written back at
      eviction. */
   t_ok(!sim_has(d.s, 1) && vt_sim_stats(d.s)->writebacks == 1,
        "wsclock: all recently used, none clean: the page at the hand goes");
   drv_ref(&d, 4, 0, 0, 40, VT_FC_FILE_READ, NULL);
   /* t=40: hand at 2 (R clear, age 20 > 5, dirty): write scheduled; 3 (R
      set): cleared; back at 2: no victim in the turn -> oldest clean: 2. */
   t_ok(!sim_has(d.s, 2) && sim_has(d.s, 3) &&
        vt_sim_stats(d.s)->writebacks == 2,
        "wsclock: an old dirty page is written back, then evicted clean");
   drv_destroy(&d);

   /* WSCLOCK's fallback among pages that share a time of last use: the
      first from the hand, whatever order they were given it in.  5
      frames, tau 5; pages 1-5 come in at t=1..5 (3 written), the hand at
      1. */
   c = config("wsclock", 5, 0);
   c.params.tau = 5;
   drv_init(&d, &c, false);
   for (vt_u64 k = 1; k <= 5; k++)
      drv_ref(&d, k, k == 3 ? W : 0, 0, k,
              k == 3 ? VT_FC_FILE_SHARED : VT_FC_FILE_READ, NULL);
   /* t=6: the turn clears all five (last use 6), none old: the clean page
      used longest ago, first from the hand: 1.  The hand at 2; 6 comes in
      behind it (the ring from the hand: 2 3 4 5 6). */
   drv_ref(&d, 6, 0, 0, 6, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 1), "wsclock: a turn clears every page: the first "
        "from the hand goes");
   for (vt_u64 k = 2; k <= 5; k++)
      if (k != 3)
         drv_ref(&d, k, 0, 0, 7, -1, NULL);
   /* t=13: every page is old (last use 6 <= 13 - 5 - 1); the hand clears
      2 (last use 13), writes 3 back, clears 4, 5 and 6 (R since it came
      in): no victim in the turn; the oldest clean page is 3 (just
      written).  The hand at 4; 7 comes in behind it: the ring from the
      hand 4 5 6 2 7, all last used at 13, given that time in the order
      2 4 5 6 7. */
   drv_ref(&d, 7, 0, 0, 13, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 3) && vt_sim_stats(d.s)->writebacks == 1,
        "wsclock: the page written back in a turn without a victim goes");
   /* t=14: none old; the turn clears 7 (last use 14); the oldest clean
      pages, last used at 13, are 4 5 6 2 from the hand: 4 (not 2, given
      the time first).  Again at t=14: the hand at 5, 8 behind it (R):
      the turn clears 8; of 5 6 2, 5. */
   drv_ref(&d, 8, 0, 0, 14, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 4) && sim_has(d.s, 2),
        "wsclock: among pages that share a time of last use, the first "
        "from the hand goes, not the first given it");
   drv_ref(&d, 9, 0, 0, 14, VT_FC_FILE_READ, NULL);
   t_ok(!sim_has(d.s, 5) && sim_has(d.s, 2) && sim_has(d.s, 6),
        "wsclock: ... and at a second fault at the same time, the next "
        "from the hand");
   drv_destroy(&d);
}

static void test_ticks(void)
{
   struct vt_sim_config c = config("aging", 4, 0);
   c.params.period = 10;
   struct drv d;
   drv_init(&d, &c, false);
   t_eq(vt_sim_next_tick(d.s), 10, "ticks: the first at the period");
   drv_ref(&d, 1, 0, 0, 1, VT_FC_FILE_READ, NULL);
   vt_sim_advance(d.s, 10);
   t_eq(sim_pword(d.s, 1), 0x80, "aging: a tick shifts the referenced "
        "bit into bit 7");
   t_ok(!sim_frame(d.s, 1)->referenced, "aging: ... and clears it");
   vt_sim_advance(d.s, 35);
   t_eq(sim_pword(d.s, 1), 0x20, "aging: two more ticks by t=35");
   t_eq(vt_sim_next_tick(d.s), 40, "ticks: next at 40");
   vt_sim_advance(d.s, 1000000);
   t_eq(sim_pword(d.s, 1), 0, "aging: a long jump ages to 0");
   t_eq(vt_sim_next_tick(d.s), 1000010, "ticks: next after the jump");
   drv_destroy(&d);
   c = config("lru", 4, 0);
   c.params.period = 10;
   drv_init(&d, &c, false);
   t_eq(vt_sim_next_tick(d.s), VT_SIM_NO_PAGE, "ticks: none for LRU");
   drv_destroy(&d);
}

static void test_hash(void)
{
   struct vt_hash m;
   vt_hash_init(&m, 4);
   static vt_u64 val[5000];
   static bool in[5000];
   vt_u64 r = 99;
   bool ok = true;
   for (int i = 0; i < 200000 && ok; i++) {
      vt_u64 k = t_rand(&r) % 5000;
      vt_u64 key = k * 4096 + 7;   /* keys with structure */
      switch (t_rand(&r) % 3) {
      case 0: {
         bool added;
         struct vt_hash_ent *e = vt_hash_put(&m, key, &added);
         ok &= added == !in[k];
         e->val = val[k] = t_rand(&r);
         in[k] = true;
         break;
      }
      case 1:
         ok &= vt_hash_del(&m, key) == in[k];
         in[k] = false;
         break;
      default: {
         struct vt_hash_ent *e = vt_hash_get(&m, key);
         ok &= in[k] ? e && e->val == val[k] : !e;
      }
      }
   }
   vt_u64 n = 0;
   for (int k = 0; k < 5000; k++)
      n += in[k];
   t_ok(ok && m.n == n, "kmap: 200000 random operations agree with an array");
   vt_hash_destroy(&m);
}

static void test_table(void)
{
   static const char *const names[] = { "fifo", "lru", "lfu", "random",
      "clock", "nru", "aging", "wsclock", "linux", "arc", "opt" };
   bool ok = true;
   int i;
   for (i = 0; vt_policies[i]; i++)
      ok &= i < 11 && strcmp(vt_policies[i]->name, names[i]) == 0 &&
            vt_policy_find(names[i]) == vt_policies[i];
   t_ok(ok && i == 11 && !vt_policy_find("belady"),
        "policies: the table in order, found by name");
   struct vt_policy_params p;
   vt_policy_params_default(&p);
   t_ok(p.swappiness == 60 && p.seed == 1 && p.period && p.tau,
        "policies: parameter defaults");
   t_ok(vt_policy_opt.needs & VT_POL_FUTURE && vt_policy_lru.needs &
        VT_POL_EVERY && vt_policy_clock.needs & VT_POL_REFBIT,
        "policies: needs flags");
}

static void test_no_swap(void)
{
   /* Every policy, 4 frames and no swap (--swap=0): F1 A1 A2 A3, then A4
      can only take F1's frame (the anonymous pages cannot be written
      anywhere), A5 finds nothing evictable: OOM.  No swap-out, ever. */
   for (int pi = 0; vt_policies[pi]; pi++) {
      if (vt_policies[pi]->needs & VT_POL_FUTURE)
         continue;
      struct vt_sim_config c = config(vt_policies[pi]->name, 4, 0);
      c.no_swap = true;
      struct drv d;
      struct first f = { { false } };
      drv_init(&d, &c, false);
      vt_u64 t = 0;
      ref(&d, &f, 1, 0, ++t, NULL);           /* F1, clean */
      ref(&d, &f, 11, A | W, ++t, NULL);
      ref(&d, &f, 12, A | W, ++t, NULL);
      ref(&d, &f, 13, A | W, ++t, NULL);
      int cls;
      unsigned r = ref(&d, &f, 14, A | W, ++t, &cls);
      bool ok = (r & VT_SIMR_FAULT) && !sim_has(d.s, 1) && sim_has(d.s, 14);
      r = ref(&d, &f, 15, A | W, ++t, &cls);
      ok = ok && r == VT_SIMR_OOM && !sim_has(d.s, 15);
      const struct vt_sim_stats *st = vt_sim_stats(d.s);
      ok = ok && st->swap_outs == 0 && vt_sim_swap_used(d.s) == 0 &&
           st->evictions == 1 && st->oom_events == 1 && vt_sim_swap_full(d.s);
      t_ok(ok, "engine: %s: no swap: only the file page is evicted, then OOM",
           vt_policies[pi]->name);
      if (!ok)
         t_diag("evictions %llu swap_outs %llu oom %llu", st->evictions,
                st->swap_outs, st->oom_events);
      drv_destroy(&d);
   }
   /* swap_pages 0 without no_swap is unlimited: the same string swaps. */
   struct vt_sim_config c = config("lru", 4, 0);
   struct drv d;
   struct first f = { { false } };
   drv_init(&d, &c, false);
   for (vt_u64 k = 11; k <= 20; k++)
      ref(&d, &f, k, A | W, k, NULL);
   t_eq(vt_sim_stats(d.s)->swap_outs, 6,
        "engine: swap_pages 0 is unlimited: 10 dirty pages through 4 frames, 6 swapped");
   t_ok(!vt_sim_swap_full(d.s), "engine: unlimited swap is never full");
   drv_destroy(&d);
}

void test_engine(void)
{
   test_table();
   test_hash();
   test_swap_balance();
   test_swap_full();
   test_no_swap();
   test_locked();
   test_cyclic();
   test_cacheable();
   test_zero_prefault();
   test_refaults();
   test_readahead();
   test_readahead_mark();
   test_writeback_and_mapping();
   test_ticks();
}
