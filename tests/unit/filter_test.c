/* filter_test.c: the filter's hits as the tool's generated code stamps
   them when no policy counts them (vt_filter's stamp_after: a stamp after
   every check, hit or miss), against the victims LRU and ARC must choose.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"
#include "vt_sim.h"

static vt_u64 order_now;

/* One reference at the next order, as the tool's check makes it. */
static void ref(struct vt_filter *f, vt_addr a, enum vt_access acc)
{
   order_now++;
   vt_set_clock(f->mm, order_now, order_now, VT_ORDER(order_now, 0));
   vt_filter_ref(f, a, acc, VT_ORDER(order_now, 0));
}

/* An address space of npages anonymous pages, one simulation of policy
   with frames frames (*s) and a filter on it that stamps as the generated
   code does when no policy counts hits. */
static struct vt_mm *pol_setup(const char *policy, vt_u64 npages, vt_u64 frames,
                               struct vt_sim **s, struct vt_filter *f)
{
   struct vt_mm *mm = mm_new(1, true);
   mm->cfg.notes_hits = true;              /* as the tool's and the replay's */
   map_anon(mm, BASE, npages, RW);
   struct vt_sim_config cfg = { .policy = vt_policy_find(policy), .ram_pages = frames };
   vt_policy_params_init(cfg.policy, &cfg.params);
   *s = vt_sim_create(&cfg, NULL);
   vt_mm_add_sim(mm, *s);
   vt_filter_init(f, mm, true);
   vt_filter_start(f);
   EXPECT_TRUE(f->count_hits && !f->count_n);
   vt_filter_set_stamp_after(f);
   order_now = 0;
   return mm;
}

static void teardown(struct vt_filter *f, struct vt_mm *mm, struct vt_sim *s)
{
   vt_filter_destroy(f);
   mm_free(mm);
   vt_sim_destroy(s);
}

/* The end of a case: kept was resident (its reference takes no frame:
   still evictions), gone was not (one more eviction). */
static void expect_kept_gone(struct vt_filter *f, struct vt_sim *s, enum vt_access acc,
                             vt_addr kept, vt_addr gone, vt_u64 evictions)
{
   ref(f, kept, acc);
   EXPECT_EQ(evictions, vt_sim_stats(s)->evictions);
   ref(f, gone, acc);
   EXPECT_EQ(evictions + 1, vt_sim_stats(s)->evictions);
}

/* Page X in the read table and page P in the write table share a slot.
   X is hit (stamped) after Y's fault, then in a new epoch P's write, which
   finds P under the older mark (it stays: its own hits need not be
   delivered), copies P into the read slot: X's hit must be delivered
   before it is overwritten, or LRU takes X's last reference for the miss
   before Y's and evicts X instead of Y.  Three frames. */
static void t_stamp_after_other_slot(void)
{
   struct vt_sim *s;
   struct vt_filter f;
   struct vt_mm *mm = pol_setup("lru", 2 * VT_FILTER_MAX, 3, &s, &f);
   const vt_addr P = BASE, X = BASE + (vt_addr)f.nr * PG, Y = BASE + PG,
                 Z = BASE + 2 * PG;
   ref(&f, X, VT_ACC_WRITE);               /* faults: anonymous frames */
   ref(&f, P, VT_ACC_WRITE);               /* P in both data slots */
   ref(&f, X, VT_ACC_READ);                /* X in the read slot, P in the write one */
   EXPECT_EQ(VT_FILTER_TAG(X, f.mark), f.tag[VT_ACC_READ][0]);
   EXPECT_EQ(VT_FILTER_TAG(P, f.mark), f.tag[VT_ACC_WRITE][0]);
   ref(&f, Y, VT_ACC_WRITE);
   ref(&f, X, VT_ACC_READ);                /* a hit: X's last reference */
   vt_filter_epoch_at(&f, 1);
   ref(&f, P, VT_ACC_WRITE);               /* P stays; the read slot becomes P's */
   EXPECT_EQ(VT_FILTER_TAG(P, f.mark), f.tag[VT_ACC_READ][0]);
   EXPECT_EQ(3, vt_sim_stats(s)->faults[VT_FC_ANON]);
   EXPECT_EQ(0, vt_sim_stats(s)->evictions);
   ref(&f, Z, VT_ACC_WRITE);               /* full: LRU evicts Y (X came after it) */
   EXPECT_EQ(1, vt_sim_stats(s)->evictions);
   expect_kept_gone(&f, s, VT_ACC_READ, X, Y, 1);
   teardown(&f, mm, s);
}

/* A page that stays in its slot: its own hits are not delivered at the
   epoch's first reference to it (that reference says as much), but that
   reference reaches the simulation.  LRU, two frames: A, B, A (a hit, now
   after B), a new epoch, B (it stays, and is the later again): C's fault
   evicts A, which it would not if B's reference were lost. */
static void t_stamp_after_stays(void)
{
   struct vt_sim *s;
   struct vt_filter f;
   struct vt_mm *mm = pol_setup("lru", 16, 2, &s, &f);
   const vt_addr A = BASE, B = BASE + PG, C = BASE + 2 * PG;
   ref(&f, A, VT_ACC_WRITE);
   ref(&f, B, VT_ACC_WRITE);
   ref(&f, A, VT_ACC_WRITE);               /* a hit */
   vt_filter_epoch_at(&f, 1);
   ref(&f, B, VT_ACC_WRITE);               /* B stays, now the later one */
   ref(&f, C, VT_ACC_WRITE);               /* evicts A */
   EXPECT_EQ(1, vt_sim_stats(s)->evictions);
   expect_kept_gone(&f, s, VT_ACC_WRITE, B, A, 1);
   teardown(&f, mm, s);
}

/* LRU takes only its candidate's absorbed hits before it evicts
   (VT_POL_LAZY_HITS): the others' can only make their pages more recent.
   Three frames: A, B, C written (faults); A and B are hit (absorbed:
   stamped, not delivered); D's fault finds A the least recent as far as
   LRU knows, takes A's hit (now after C), then B's (after A's), and
   evicts C.  The hits read (the read table's slots), then written (the
   write table's).  Without the candidate's hits LRU would evict A; with
   only the first candidate's, B. */
static void t_lazy_candidate(void)
{
   for (int kinds = 0; kinds < 2; kinds++) {
      struct vt_sim *s;
      struct vt_filter f;
      struct vt_mm *mm = pol_setup("lru", 16, 3, &s, &f);
      EXPECT_EQ(VT_FILTER_MAX, f.nr);      /* LRU alone: the larger table */
      const vt_addr A = BASE, B = BASE + PG, C = BASE + 2 * PG, D = BASE + 3 * PG;
      enum vt_access k = kinds ? VT_ACC_WRITE : VT_ACC_READ;
      ref(&f, A, VT_ACC_WRITE);
      ref(&f, B, VT_ACC_WRITE);
      ref(&f, C, VT_ACC_WRITE);
      ref(&f, A, k);                       /* hits */
      ref(&f, B, k);
      EXPECT_EQ(VT_FILTER_TAG(A, f.mark), f.tag[k][0]);
      EXPECT_EQ(0, vt_sim_stats(s)->evictions);
      ref(&f, D, VT_ACC_WRITE);            /* evicts C */
      EXPECT_EQ(1, vt_sim_stats(s)->evictions);
      ref(&f, A, k);
      ref(&f, B, k);
      EXPECT_EQ(1, vt_sim_stats(s)->evictions);
      ref(&f, C, VT_ACC_WRITE);
      EXPECT_EQ(2, vt_sim_stats(s)->evictions);
      teardown(&f, mm, s);
   }
}

/* CLOCK beside LRU (so the filter stamps hits): an absorbed hit reaches
   CLOCK before the hand clears the page's bit, not after (the page's
   invalidation would deliver it as a later reference and set the bit
   again).  CLOCK with two frames, LRU with plenty: A, B written, A hit
   (absorbed); C's fault: the hand clears A's bit and B's, comes back to A
   and evicts it (with the hit set again after the clear it would take B).
   So B is resident and A is not. */
static void t_refbit_hit_before_clear(void)
{
   struct vt_mm *mm = mm_new(1, true);
   mm->cfg.notes_hits = true;
   map_anon(mm, BASE, 16, RW);
   struct vt_sim_config lc = { .policy = vt_policy_find("lru"), .ram_pages = 8 },
                        cc = { .policy = vt_policy_find("clock"), .ram_pages = 2 };
   vt_policy_params_init(lc.policy, &lc.params);
   vt_policy_params_init(cc.policy, &cc.params);
   struct vt_sim *lru = vt_sim_create(&lc, NULL), *clock = vt_sim_create(&cc, NULL);
   vt_mm_add_sim(mm, lru);
   vt_mm_add_sim(mm, clock);
   struct vt_filter f;
   vt_filter_init(&f, mm, true);
   vt_filter_start(&f);
   vt_filter_set_stamp_after(&f);
   EXPECT_EQ(VT_FILTER_MAX, f.nr);         /* no policy scans the stamps */
   order_now = 0;
   const vt_addr A = BASE, B = BASE + PG, C = BASE + 2 * PG;
   ref(&f, A, VT_ACC_WRITE);
   ref(&f, B, VT_ACC_WRITE);
   ref(&f, A, VT_ACC_WRITE);               /* a hit */
   EXPECT_EQ(VT_FILTER_TAG(A, f.mark), f.tag[VT_ACC_WRITE][0]);
   ref(&f, C, VT_ACC_WRITE);               /* CLOCK evicts A */
   EXPECT_EQ(1, vt_sim_stats(clock)->evictions);
   ref(&f, B, VT_ACC_WRITE);
   EXPECT_EQ(1, vt_sim_stats(clock)->evictions);
   ref(&f, A, VT_ACC_WRITE);
   EXPECT_EQ(2, vt_sim_stats(clock)->evictions);
   EXPECT_EQ(0, vt_sim_stats(lru)->evictions);
   vt_filter_destroy(&f);
   mm_free(mm);
   vt_sim_destroy(lru);
   vt_sim_destroy(clock);
}

/* A system call's references share one order (VT_ORDER_KERNEL), and LRU
   takes the page it learnt of first among equals.  In one call the kernel
   reads A (resident, settled: its reference waits as a pending entry) and
   then writes B, a new page that a free frame takes: A's reference must
   reach LRU before B comes in, as it would with every reference passed on
   in order (vt_mm_sims_ref delivers the pending references before B's
   reaches the simulation, and the simulation asks for them again before
   B comes in: flush_pending), or B counts as the earlier (the test fails
   without both).  LRU,
   three frames: A, C, the call (A, then B), C again (a hit), D's fault
   evicts A, the least recent (B came after it); then A faults and B does
   not. */
static void t_kernel_refs_share_an_order(void)
{
   struct vt_sim *s;
   struct vt_filter f;
   struct vt_mm *mm = pol_setup("lru", 16, 3, &s, &f);
   const vt_addr A = BASE, B = BASE + PG, C = BASE + 2 * PG, D = BASE + 3 * PG;
   ref(&f, A, VT_ACC_WRITE);
   ref(&f, C, VT_ACC_WRITE);
   order_now++;                     /* the system call, between superblocks */
   vt_set_clock(mm, order_now, order_now, VT_ORDER_KERNEL(order_now));
   vt_filter_miss(&f, A, VT_ACC_READ);
   vt_filter_miss(&f, B, VT_ACC_WRITE);
   EXPECT_EQ(3, vt_sim_stats(s)->faults[VT_FC_ANON]);
   ref(&f, C, VT_ACC_WRITE);               /* a hit */
   ref(&f, D, VT_ACC_WRITE);               /* evicts A */
   EXPECT_EQ(1, vt_sim_stats(s)->evictions);
   expect_kept_gone(&f, s, VT_ACC_WRITE, B, A, 1);
   teardown(&f, mm, s);
}

/* ARC reads |T1| when a page comes into a free frame (case IV keeps the
   directory within bounds: |T1| + |B1| >= c drops B1's LRU ghost), so a
   T1 page's absorbed hit, which moves it to T2, must be delivered before
   (VT_POL_INSERT_READS).  Three frames, p = 0.  A B C into T1; A hit (T2);
   D evicts B (T1's LRU, |T1| = 2 > p) into B1; A dropped (a frame free);
   C hit (T2: T1 = [D], B1 = [B]); E comes into the free frame: |T1| +
   |B1| = 2 < 3, B stays a ghost; B refaults from B1: p = 1, frames full,
   T1's LRU D goes (|T1| = 2 > 1) into B1, B into T2 (T1 = [E], T2 =
   [C, B], B1 = [D]); F: |T1| + |B1| = 2 < 3, |T1| = 1 is not above p, so
   T2's LRU C goes; then C faults again.  With C's hit late, E's insert
   dropped B's ghost, B came back into T1 with p = 0, and F evicted E:
   C stayed. */
static void t_arc_insert_reads(void)
{
   struct vt_sim *s;
   struct vt_filter f;
   struct vt_mm *mm = pol_setup("arc", 16, 3, &s, &f);
   const vt_addr A = BASE, B = BASE + PG, C = BASE + 2 * PG, D = BASE + 3 * PG,
                 E = BASE + 4 * PG, F = BASE + 5 * PG;
   ref(&f, A, VT_ACC_WRITE);
   ref(&f, B, VT_ACC_WRITE);
   ref(&f, C, VT_ACC_WRITE);
   ref(&f, A, VT_ACC_WRITE);               /* a hit */
   ref(&f, D, VT_ACC_WRITE);               /* evicts B */
   EXPECT_EQ(1, vt_sim_stats(s)->evictions);
   vt_madvise_dontneed(mm, A, PG);         /* a frame free */
   EXPECT_EQ(2, vt_sim_resident(s));
   ref(&f, C, VT_ACC_WRITE);               /* a hit */
   ref(&f, E, VT_ACC_WRITE);               /* the free frame */
   EXPECT_EQ(1, vt_sim_stats(s)->evictions);
   ref(&f, B, VT_ACC_WRITE);               /* from B1: evicts D */
   EXPECT_EQ(2, vt_sim_stats(s)->evictions);
   ref(&f, F, VT_ACC_WRITE);               /* evicts C */
   EXPECT_EQ(3, vt_sim_stats(s)->evictions);
   ref(&f, E, VT_ACC_WRITE);               /* resident, as B below */
   expect_kept_gone(&f, s, VT_ACC_WRITE, B, C, 3);
   teardown(&f, mm, s);
}

/* A forked child's references rank after its parent's pages (sim_base).
   Four frames.  The parent writes pages 0 to 3 at times 1001 to 1004 and
   (vfork-like: nothing copied) the child starts at the parent's time 1004
   with its own clock at 0: it writes 4 (evicts 0), 5 (evicts 1), reads 4
   (a hit, absorbed and stamped), writes 6 (evicts 2): the parent's pages
   go first, oldest first, as one LRU over both.  Then 5 is kept and 0
   comes back evicting 3.  With the child's clock at 0 under the parent's
   stamps, 5 evicted 4, and 6 evicted 5.  NRU's tick on the child's clock:
   its period 1000 began at 1000, the next at 2000 is the child's 996. */
static void t_fork_child_clock(void)
{
   struct vt_sim *s, *nru;
   struct vt_filter f;
   struct vt_mm *mm = pol_setup("lru", 16, 4, &s, &f);
   struct vt_sim_config nc = { .policy = vt_policy_find("nru"), .ram_pages = 4 };
   vt_policy_params_init(nc.policy, &nc.params);
   nc.params.period = 1000;
   nru = vt_sim_create(&nc, NULL);
   vt_mm_add_sim(mm, nru);
   order_now = 1000;
   for (int i = 0; i < 4; i++)
      ref(&f, BASE + (vt_addr)i * PG, VT_ACC_WRITE);
   vt_set_clock(mm, order_now, order_now, mm->sim_order);   /* the fork */
   vt_fork_child(mm, false);
   vt_filter_epoch_at(&f, 0);
   order_now = 0;
   EXPECT_EQ(1004, mm->sim_base);
   EXPECT_EQ(996, vt_mm_sims_next_tick(mm, 1));
   ref(&f, BASE + 4 * PG, VT_ACC_WRITE);
   ref(&f, BASE + 5 * PG, VT_ACC_WRITE);
   ref(&f, BASE + 4 * PG, VT_ACC_READ);
   ref(&f, BASE + 6 * PG, VT_ACC_WRITE);
   EXPECT_EQ(3, vt_sim_stats(s)->evictions);
   expect_kept_gone(&f, s, VT_ACC_WRITE, BASE + 5 * PG, BASE, 3);
   ref(&f, BASE + 4 * PG, VT_ACC_READ);    /* 4 and 6 stayed too */
   ref(&f, BASE + 6 * PG, VT_ACC_READ);
   EXPECT_EQ(4, vt_sim_stats(s)->evictions);
   teardown(&f, mm, s);
   vt_sim_destroy(nru);
}

void filter_tests(void)
{
   run_test("filter: a forked child's references rank after its parent's pages "
            "(sim_base), its ticks on its clock", t_fork_child_clock);
   run_test("filter: ARC's insert into a free frame sees the absorbed hits first (VT_POL_INSERT_READS)",
            t_arc_insert_reads);
   run_test("filter: a system call's references in their order among equals (LRU, flush_pending)",
            t_kernel_refs_share_an_order);
   run_test("filter: stamps after the call, another kind's slot refilled (stamp_after)",
            t_stamp_after_other_slot);
   run_test("filter: stamps after the call, a page that stays in its slot (stamp_after)",
            t_stamp_after_stays);
   run_test("filter: LRU takes its candidates' absorbed hits before it evicts (VT_POL_LAZY_HITS)",
            t_lazy_candidate);
   run_test("filter: CLOCK beside LRU takes a page's absorbed hits before its bit is cleared",
            t_refbit_hit_before_clear);
}
