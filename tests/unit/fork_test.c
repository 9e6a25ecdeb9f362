/* fork_test.c: fork's copy-on-write, copy versus reuse: after fork the
   first write to a shared anonymous page copies it (wp_page_copy) while
   another process still maps it and reuses it (wp_page_reuse) once no
   other does; the zero page, private file pages, vfork.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

/* Linux decides in do_wp_page: an anonymous folio mapped by this process
   alone is reused in place (wp_can_reuse_anon_folio: its refcount is 1),
   anything else is copied (wp_page_copy): a folio other processes still
   map, the zero page, a page-cache page under a private mapping.  Whether
   another process still maps a frame is not the core's knowledge but its
   host's (the tool keeps it in the share log, vt_sharelog.c): the core
   asks through the host ops frames_fork, frame_shared and frame_release.
   The host here is a model of the other processes' holds: a count of
   holders per frame id. */

#define MAX_FRAMES 64
#define MAX_FORKS  4

static struct {
   unsigned holders[MAX_FRAMES + 1];    /* by frame id: processes holding it */
   vt_u64   next_id;
   /* The frames_fork calls, in order: a child's copy is built by
      replaying its parent's calls (child_of), which get the same ids. */
   struct { vt_u64 first; uint32_t n_new, n_old; } forks[MAX_FORKS];
   unsigned nr_forks;
   bool     replica;                    /* building a child's copy */
   unsigned replica_pos;
   unsigned asks, releases;             /* frame_shared, frame_release calls */
} H;

static void model_reset(void)
{
   memset(&H, 0, sizeof H);
   H.next_id = 1;                       /* 0: no id */
}

static bool id_ok(vt_u64 id)
{
   if (id >= 1 && id <= MAX_FRAMES)
      return true;
   diagf("# the core named frame id %llu, which the model never gave\n", id);
   cur_fail = true;
   return false;
}

/* At fork: n_new frames held by parent and child (2 holders each), the
   n_old already shared gain the child (+1). */
static void model_frames_fork(void *ctx, vt_u64 *ids, uint32_t n_new,
                              const vt_u64 *old, uint32_t n_old)
{
   (void)ctx;
   if (H.replica) {
      /* The parent's history applied again: the ids it got, no new
         holder (the child is already counted). */
      if (H.replica_pos >= H.nr_forks ||
          H.forks[H.replica_pos].n_new != n_new ||
          H.forks[H.replica_pos].n_old != n_old) {
         fail_at(__LINE__, "the child's copy forks as its parent did",
                 "the same frames", "others");
         for (uint32_t i = 0; i < n_new; i++)
            ids[i] = 0;
         return;
      }
      for (uint32_t i = 0; i < n_new; i++)
         ids[i] = H.forks[H.replica_pos].first + i;
      H.replica_pos++;
      return;
   }
   if (H.nr_forks == MAX_FORKS || H.next_id + n_new > MAX_FRAMES + 1) {
      fail_at(__LINE__, "frames and forks within the model's size", "yes",
              "no");
      for (uint32_t i = 0; i < n_new; i++)
         ids[i] = 0;
      return;
   }
   H.forks[H.nr_forks].first = H.next_id;
   H.forks[H.nr_forks].n_new = n_new;
   H.forks[H.nr_forks].n_old = n_old;
   H.nr_forks++;
   for (uint32_t i = 0; i < n_new; i++) {
      ids[i] = H.next_id++;
      H.holders[ids[i]] = 2;
   }
   for (uint32_t i = 0; i < n_old; i++)
      if (id_ok(old[i]))
         H.holders[old[i]]++;
}

/* Does a process other than the asking one (which holds it) hold it? */
static bool model_frame_shared(void *ctx, vt_u64 id)
{
   (void)ctx;
   if (H.replica)
      fail_at(__LINE__, "asked while building a child's copy", "no", "yes");
   H.asks++;
   return id_ok(id) && H.holders[id] > 1;
}

static void model_frame_release(void *ctx, vt_u64 id)
{
   (void)ctx;
   if (H.replica)
      fail_at(__LINE__, "released while building a child's copy", "no", "yes");
   H.releases++;
   if (!id_ok(id))
      return;
   if (H.holders[id] == 0)
      fail_at(__LINE__, "a frame released more often than held", "a holder",
              "none");
   else
      H.holders[id]--;
}

/* Holders of the frame that page a of mm maps shared (0: not shared). */
static unsigned holders_of(struct vt_mm *mm, vt_addr a)
{
   vt_pte p = vt_get_pte(mm, a);
   if (!(p & VT_PTE_COW))
      return 0;
   vt_u64 id = mm->frames[VT_PTE_FRAME(p)];
   return id_ok(id) ? H.holders[id] : 0;
}

/* The child of a fork as the tool has it: a copy of its parent's memory
   image, the simulator's state included (the real fork copies it).  The
   core has no function that copies an address space, so the copy is the
   parent's history applied again to a fresh mm, as replay.c rebuilds a
   forked child from its parent's trace: the same calls make the same state
   (checked here PTE by PTE), and the model hands back the ids each fork
   gave.  history(nforks) makes the mm and forks it nforks times; the child
   is of the last of those forks; copied is false for vfork (the tool calls
   vt_fork_child(mm, false) in a vfork child, whose parent made no
   vt_fork_prepare). */
static struct vt_mm *child_of(struct vt_mm *parent,
                              struct vt_mm *(*history)(unsigned nforks),
                              unsigned nforks, bool copied, int line)
{
   H.replica = true;
   H.replica_pos = 0;
   struct vt_mm *c = history(nforks);
   H.replica = false;
   bool same = c->nr_vmas == parent->nr_vmas;
   for (uint32_t i = 0; same && i < c->nr_vmas; i++) {
      const struct vt_vma *v = &parent->vmas[i];
      same = c->vmas[i].vm_start == v->vm_start &&
             c->vmas[i].vm_end == v->vm_end &&
             c->vmas[i].vm_flags == v->vm_flags;
      for (vt_addr a = v->vm_start; same && a < v->vm_end; a += PG) {
         vt_pte pp = vt_get_pte(parent, a), cp = vt_get_pte(c, a);
         same = pp == cp &&
                (!(pp & VT_PTE_COW) || parent->frames[VT_PTE_FRAME(pp)] ==
                                       c->frames[VT_PTE_FRAME(cp)]);
      }
   }
   if (!same)
      fail_at(line, "the child's copy of its parent", "the parent's PTEs",
              "others");
   vt_fork_child(c, copied);
   return c;
}
#define CHILD_OF(parent, history, nforks, copied) \
   child_of((parent), (history), (nforks), (copied), __LINE__)

/* Both processes' mms (after a core panic the harness destroys only
   cur_mm, the last one made). */
static void free_both(struct vt_mm *a, struct vt_mm *b)
{
   mm_free(a);
   mm_free(b);
}

/* ---- one child: copy while shared, reuse when alone ------------------- */

/* The parent writes 8 pages (8 do_anonymous_page), then forks. */
static struct vt_mm *hist_eight(unsigned nforks)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 8, RW);
   for (int i = 0; i < 8; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   for (unsigned f = 0; f < nforks; f++)
      vt_fork_prepare(mm);
   return mm;
}

static void t_fork_copy_then_reuse(void)
{
   model_reset();
   struct vt_mm *p = hist_eight(0);
   unsigned inv0 = R.ninv;
   vt_fork_prepare(p);
   /* copy_page_range: the VMA has an anon_vma, so its 8 present PTEs are
      copied and write-protected in the parent (copy_present_pte), their
      8 pages shared by 2 processes; the write right a filter may have
      cached goes. */
   EXPECT_EQ(1, H.nr_forks);
   EXPECT_EQ(8, H.forks[0].n_new);
   EXPECT_EQ(0, H.forks[0].n_old);
   EXPECT_EQ(8, p->nr_cow);
   EXPECT_TRUE(inval_covers(inv0, BASE, BASE + 8 * PG));
   EXPECT_FALSE(pte_has(p, BASE, VT_PTE_WRITE));
   EXPECT_TRUE(pte_has(p, BASE, VT_PTE_COW));
   EXPECT_EQ(2, holders_of(p, BASE + 7 * PG));
   struct vt_mm *c = CHILD_OF(p, hist_eight, 1, true);
   /* The child starts with the same 8 pages resident (RSS counts shared
      pages in each process) and fresh figures. */
   EXPECT_EQ(8, c->rss);
   EXPECT_EQ(8, c->nr_cow);
   EXPECT_EQ(0, c->total.faults[VT_FC_ANON]);
   EXPECT_EQ(0, c->total.touched);

   /* Reading a shared page takes no fault in either process (the PTE is
      present and readable) and asks nobody; a filter may cache the read,
      not the write. */
   EXPECT_FC(NOF, RD(c, BASE + 7 * PG));
   EXPECT_EQ(VT_RES_CACHE_READ, last_res);
   EXPECT_FC(NOF, RD(p, BASE + 6 * PG));
   EXPECT_EQ(VT_RES_CACHE_READ, last_res);
   EXPECT_EQ(0, H.asks);
   EXPECT_EQ(1, c->total.touched);

   /* The child writes pages 0..2 while the parent still maps them: each a
      copy (wp_page_copy), 3 wp_copy; the child's hold on the old frame
      ends, the parent alone holds it.  (Were copy and reuse swapped, these
      would be 3 wp_reuse.) */
   for (int i = 0; i < 3; i++)
      EXPECT_FC(VT_FC_WP_COPY, WR(c, BASE + (vt_addr)i * PG));
   EXPECT_EQ(3, c->total.faults[VT_FC_WP_COPY]);
   EXPECT_EQ(0, c->total.faults[VT_FC_WP_REUSE]);
   EXPECT_EQ(1, holders_of(p, BASE));
   EXPECT_EQ(5, c->nr_cow);
   EXPECT_TRUE(pte_has(c, BASE, VT_PTE_WRITE));
   EXPECT_FALSE(pte_has(c, BASE, VT_PTE_COW));
   EXPECT_EQ(8, c->rss);                      /* a copy replaces a page */
   /* Its own page now: written again, no fault. */
   EXPECT_FC(NOF, WR(c, BASE));

   /* The parent writes page 0, which only it maps now: reused in place
      (wp_can_reuse_anon_folio), no copy.  (Swapped: wp_copy.) */
   EXPECT_FC(VT_FC_WP_REUSE, WR(p, BASE));
   /* Page 5, which the child still maps: the parent copies it ... */
   EXPECT_FC(VT_FC_WP_COPY, WR(p, BASE + 5 * PG));
   /* ... and the child, now its only holder, reuses it: whichever process
      writes second reuses. */
   EXPECT_FC(VT_FC_WP_REUSE, WR(c, BASE + 5 * PG));
   /* Asked once per write fault on a shared frame: 3 + 1 + 1 + 1. */
   EXPECT_EQ(6, H.asks);

   /* The child exits: exit_mmap drops its holds on the 4 frames it still
      shares (pages 3, 4, 6, 7). */
   unsigned rel0 = H.releases;
   vt_release_frames(c);
   EXPECT_EQ(4, H.releases - rel0);
   EXPECT_EQ(0, c->nr_cow);
   EXPECT_EQ(3, c->total.faults[VT_FC_WP_COPY]);
   EXPECT_EQ(1, c->total.faults[VT_FC_WP_REUSE]);

   /* The parent writes the other 6 pages (1, 2: the child copied them;
      3, 4, 6, 7: the child has gone): the parent alone holds each, 6
      reuses, no copy.  Since the fork: 1 wp_copy (page 5), 7 wp_reuse. */
   for (int i = 1; i < 8; i++)
      if (i != 5)
         EXPECT_FC(VT_FC_WP_REUSE, WR(p, BASE + (vt_addr)i * PG));
   EXPECT_EQ(1, p->total.faults[VT_FC_WP_COPY]);
   EXPECT_EQ(7, p->total.faults[VT_FC_WP_REUSE]);
   EXPECT_EQ(8, p->total.faults[VT_FC_ANON]);  /* before the fork */
   EXPECT_EQ(0, p->nr_cow);
   /* Every hold released once: 8 frames x 2 holders; nothing held. */
   EXPECT_EQ(16, H.releases);
   unsigned held = 0;
   for (int id = 1; id <= MAX_FRAMES; id++)
      held += H.holders[id];
   EXPECT_EQ(0, held);
   free_both(c, p);
}

/* ---- the child lets pages go: munmap, MADV_DONTNEED -------------------- */

static void t_fork_child_unmaps(void)
{
   model_reset();
   struct vt_mm *p = hist_eight(1);
   struct vt_mm *c = CHILD_OF(p, hist_eight, 1, true);
   /* The child unmaps pages 0..1 and drops pages 2..3 (MADV_DONTNEED):
      zap_pte_range puts its reference to each, 4 holds released. */
   vt_munmap(c, BASE, 2 * PG);
   vt_madvise_dontneed(c, BASE + 2 * PG, 2 * PG);
   EXPECT_EQ(4, H.releases);
   EXPECT_EQ(4, c->nr_cow);
   EXPECT_EQ(4, c->rss);
   /* The parent alone maps pages 0..3: 4 reuses; 4..7 are still the
      child's too: 4 copies. */
   for (int i = 0; i < 4; i++)
      EXPECT_FC(VT_FC_WP_REUSE, WR(p, BASE + (vt_addr)i * PG));
   for (int i = 4; i < 8; i++)
      EXPECT_FC(VT_FC_WP_COPY, WR(p, BASE + (vt_addr)i * PG));
   /* The child touches page 2 again: its PTE went, so a fresh
      anonymous page (do_anonymous_page), not a write-protect fault. */
   EXPECT_FC(VT_FC_ANON, WR(c, BASE + 2 * PG));
   /* Pages 4..7, the parent copied them: the child alone holds each. */
   EXPECT_FC(VT_FC_WP_REUSE, WR(c, BASE + 4 * PG));
   EXPECT_EQ(0, c->total.faults[VT_FC_WP_COPY]);
   free_both(c, p);
}

/* ---- three processes: the count, not the fact of a fork ---------------- */

/* The parent writes 4 pages and forks nforks times. */
static struct vt_mm *hist_four(unsigned nforks)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 4, RW);
   for (int i = 0; i < 4; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   for (unsigned f = 0; f < nforks; f++)
      vt_fork_prepare(mm);
   return mm;
}

static void t_fork_three_holders(void)
{
   model_reset();
   struct vt_mm *p = hist_four(1);
   struct vt_mm *a = CHILD_OF(p, hist_four, 1, true);
   /* A second fork: the 4 pages are already shared (their PTEs are
      copy-on-write), so no new frame; each gains the second child: 3
      holders. */
   vt_fork_prepare(p);
   EXPECT_EQ(2, H.nr_forks);
   EXPECT_EQ(0, H.forks[1].n_new);
   EXPECT_EQ(4, H.forks[1].n_old);
   struct vt_mm *b = CHILD_OF(p, hist_four, 2, true);
   EXPECT_EQ(3, holders_of(p, BASE));

   /* Page 0: a copies (p, b hold it), b copies (p holds it), p reuses. */
   EXPECT_FC(VT_FC_WP_COPY, WR(a, BASE));
   EXPECT_FC(VT_FC_WP_COPY, WR(b, BASE));
   EXPECT_FC(VT_FC_WP_REUSE, WR(p, BASE));
   /* Page 1: p copies (a, b), then a still copies: b holds it, so a
      rule "the other side has copied, so reuse" would get this wrong;
      b, the last holder, reuses. */
   EXPECT_FC(VT_FC_WP_COPY, WR(p, BASE + PG));
   EXPECT_FC(VT_FC_WP_COPY, WR(a, BASE + PG));
   EXPECT_FC(VT_FC_WP_REUSE, WR(b, BASE + PG));
   /* a exits: pages 2, 3 keep p and b. */
   vt_release_frames(a);
   EXPECT_EQ(2, holders_of(p, BASE + 2 * PG));
   EXPECT_FC(VT_FC_WP_COPY, WR(b, BASE + 2 * PG));
   EXPECT_FC(VT_FC_WP_REUSE, WR(p, BASE + 2 * PG));
   EXPECT_FC(VT_FC_WP_COPY, WR(p, BASE + 3 * PG));
   vt_release_frames(b);
   /* Per process: a 2 copies; b 2 copies, 1 reuse; p 2 copies, 2 reuses. */
   EXPECT_EQ(2, a->total.faults[VT_FC_WP_COPY]);
   EXPECT_EQ(0, a->total.faults[VT_FC_WP_REUSE]);
   EXPECT_EQ(2, b->total.faults[VT_FC_WP_COPY]);
   EXPECT_EQ(1, b->total.faults[VT_FC_WP_REUSE]);
   EXPECT_EQ(2, p->total.faults[VT_FC_WP_COPY]);
   EXPECT_EQ(2, p->total.faults[VT_FC_WP_REUSE]);
   /* 4 frames x 3 holders, every hold released. */
   EXPECT_EQ(12, H.releases);
   mm_free(a);
   free_both(b, p);
}

/* ---- the zero page ------------------------------------------------------- */

/* Page 0 read (the zero page), page 1 written, in a VMA that so has an
   anon_vma; a second VMA of 2 pages only read (the zero page, no
   anon_vma). */
static struct vt_mm *hist_zero(unsigned nforks)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 4, RW);
   RD(mm, BASE);
   WR(mm, BASE + PG);
   map_anon(mm, BASE + 16 * PG, 2, RW);
   RD(mm, BASE + 16 * PG);
   RD(mm, BASE + 17 * PG);
   for (unsigned f = 0; f < nforks; f++)
      vt_fork_prepare(mm);
   return mm;
}

static void t_fork_zero_page(void)
{
   model_reset();
   struct vt_mm *p = hist_zero(1);
   EXPECT_EQ(3, p->total.faults[VT_FC_ZERO]);
   /* The zero page is no frame of its own (vm_normal_page: NULL): one
      frame shared, page 1's. */
   EXPECT_EQ(1, H.forks[0].n_new);
   struct vt_mm *c = CHILD_OF(p, hist_zero, 1, true);
   EXPECT_EQ(1, c->rss);                      /* the zero page not counted */
   /* Page 0: its zero-page PTE was copied (the VMA has an anon_vma): a
      read takes no fault; a write copies, as a write to the zero page
      always does (do_wp_page: no folio -> wp_page_copy), asking nobody. */
   EXPECT_FC(NOF, RD(c, BASE));
   EXPECT_FC(VT_FC_WP_COPY, WR(c, BASE));
   EXPECT_EQ(0, H.asks);
   /* Page 2, never touched: the zero page on a read, a copy on the write
      after. */
   EXPECT_FC(VT_FC_ZERO, RD(c, BASE + 2 * PG));
   EXPECT_FC(VT_FC_WP_COPY, WR(c, BASE + 2 * PG));
   EXPECT_EQ(3, c->rss);
   /* The second VMA has no anon_vma: fork copied none of its PTEs
      (vma_needs_copy), the child faults the zero page in again; the
      parent keeps its PTE. */
   EXPECT_FC(VT_FC_ZERO, RD(c, BASE + 16 * PG));
   EXPECT_FC(NOF, RD(p, BASE + 17 * PG));
   /* The parent's zero page: copied too.  Page 1, shared: p copies, the
      child reuses. */
   EXPECT_FC(VT_FC_WP_COPY, WR(p, BASE));
   EXPECT_FC(VT_FC_WP_COPY, WR(p, BASE + PG));
   EXPECT_FC(VT_FC_WP_REUSE, WR(c, BASE + PG));
   EXPECT_EQ(2, H.asks);
   free_both(c, p);
}

/* ---- private file mappings -------------------------------------------- */

/* A private writable mapping of a file: page 0 read (the page-cache
   page), page 1 written (do_cow_fault: a private anonymous copy, and the
   VMA gets an anon_vma); a read-only private mapping of it, page 0 read
   (no anon_vma). */
static struct vt_mm *hist_file(unsigned nforks)
{
   struct vt_mm *mm = mm_new(1, true);
   /* (dev, ino) fixed: the child's copy maps the same file. */
   struct vt_file *f = vt_file_get(mm, 8, 500, "/data/fork", 16 * PG, false);
   map_file(mm, BASE, 4, RW, f, 0);
   RD(mm, BASE);
   WR(mm, BASE + PG);
   map_file(mm, BASE + 16 * PG, 2, R_, f, 0);
   RD(mm, BASE + 16 * PG);
   for (unsigned fk = 0; fk < nforks; fk++)
      vt_fork_prepare(mm);
   return mm;
}

static void t_fork_file_private(void)
{
   model_reset();
   struct vt_mm *p = hist_file(1);
   EXPECT_EQ(1, p->total.faults[VT_FC_FILE_COW]);
   /* One frame: the private copy; the page-cache page is shared through
      the page cache, not copy-on-write. */
   EXPECT_EQ(1, H.forks[0].n_new);
   struct vt_mm *c = CHILD_OF(p, hist_file, 1, true);
   /* Page 0 maps the page-cache page: a read takes no fault, a write
      copies (do_wp_page reuses anonymous folios only), asking nobody. */
   EXPECT_FC(NOF, RD(c, BASE));
   EXPECT_FC(VT_FC_WP_COPY, WR(c, BASE));
   EXPECT_EQ(0, H.asks);
   /* Page 1, the private copy the parent still maps: copied. */
   EXPECT_FC(VT_FC_WP_COPY, WR(c, BASE + PG));
   EXPECT_FC(VT_FC_WP_REUSE, WR(p, BASE + PG));
   EXPECT_FC(VT_FC_WP_COPY, WR(p, BASE));
   /* The read-only mapping has no anon_vma: not copied at fork, the child
      reads the page from the page cache again. */
   EXPECT_FC(VT_FC_FILE_READ, RD(c, BASE + 16 * PG));
   EXPECT_FC(NOF, RD(p, BASE + 16 * PG));
   free_both(c, p);
}

/* ---- vfork ------------------------------------------------------------- */

static void t_vfork_no_copy(void)
{
   model_reset();
   struct vt_mm *p = hist_four(0);
   /* vfork shares the address space (CLONE_VM): no copy_page_range, no
      write protection; the tool makes no vt_fork_prepare and starts the
      child with vt_fork_child(mm, false). */
   struct vt_mm *c = CHILD_OF(p, hist_four, 0, false);
   EXPECT_EQ(0, H.nr_forks);
   EXPECT_TRUE(pte_has(c, BASE, VT_PTE_WRITE));
   EXPECT_FALSE(pte_has(c, BASE, VT_PTE_COW));
   /* The child writes and reads the 4 pages: no fault, but 4 pages
      touched (its figures are fresh: it had referenced none). */
   for (int i = 0; i < 4; i++)
      EXPECT_FC(NOF, WR(c, BASE + (vt_addr)i * PG));
   EXPECT_FC(NOF, RD(c, BASE + 3 * PG));
   EXPECT_EQ(0, vt_counts_minor(&c->total));
   EXPECT_EQ(4, c->total.touched);
   EXPECT_EQ(4, c->rss);
   /* Nor does the parent fault writing them. */
   for (int i = 0; i < 4; i++)
      EXPECT_FC(NOF, WR(p, BASE + (vt_addr)i * PG));
   EXPECT_EQ(0, p->total.faults[VT_FC_WP_COPY]);
   EXPECT_EQ(0, p->total.faults[VT_FC_WP_REUSE]);
   vt_release_frames(c);
   EXPECT_EQ(0, H.asks + H.releases);
   free_both(c, p);
}

void fork_tests(void)
{
   static struct vt_host_ops ops;
   ops = unit_host_ops;
   ops.frames_fork = model_frames_fork;
   ops.frame_shared = model_frame_shared;
   ops.frame_release = model_frame_release;
   vt_core_init(&ops, &R);
   run_test("fork: a write copies while the other process maps the page, reuses once it alone does",
            t_fork_copy_then_reuse);
   run_test("fork: the child's munmap and MADV_DONTNEED let the parent reuse",
            t_fork_child_unmaps);
   run_test("fork: three processes, copy until the last holder",
            t_fork_three_holders);
   run_test("fork: the zero page is copied, never shared; VMAs without anon_vma not copied",
            t_fork_zero_page);
   run_test("fork: private file pages: the page-cache page copied, the private copy shared",
            t_fork_file_private);
   run_test("vfork: nothing copied, nothing write-protected", t_vfork_no_copy);
   vt_core_init(&unit_host_ops, &R);
}
