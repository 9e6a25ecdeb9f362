/* vma_test.c: VMAs: munmap (partial, spanning), MAP_FIXED over a mapping,
   mapping kinds and exec rights, mprotect (split, merge, rights).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static void t_munmap_partial(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 64 * PG);
   vt_set_clock(mm, 10, mm->sim_now, mm->sim_order);
   int id = map_file(mm, BASE, 8, RW, f, 4);
   struct vt_mapping *m = mm->maps[id];
   EXPECT_EQ(10, m->created_at);
   for (int i = 0; i < 8; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   EXPECT_EQ(8, mm->rss);
   unsigned inv0 = R.ninv;
   vt_munmap(mm, BASE + 3 * PG, 2 * PG);
   /* Split in two VMAs of the same mapping; the upper one's file offset
      moves with it: 4 + 5 = 9. */
   EXPECT_STR("0-3 rw-p m0, 5-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(2, mm->nr_vmas);
   EXPECT_EQ(4, mm->vmas[0].vm_pgoff);
   EXPECT_EQ(9, mm->vmas[1].vm_pgoff);
   EXPECT_EQ(2, m->nr_vmas);
   EXPECT_EQ(0, m->unmapped_at);
   EXPECT_EQ(6, mm->rss);
   EXPECT_EQ(6, m->resident);
   EXPECT_TRUE(inval_covers(inv0, BASE + 3 * PG, BASE + 5 * PG));
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 3 * PG));
   EXPECT_EQ(VT_INV_UNMAPPED, R.reason);
   /* The mapping's figures keep the unmapped part. */
   EXPECT_EQ(8, m->c.faults[VT_FC_FILE_COW]);
   /* Head and tail. */
   vt_munmap(mm, BASE, PG);
   vt_munmap(mm, BASE + 7 * PG, PG);
   EXPECT_STR("1-3 rw-p m0, 5-7 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(5, mm->vmas[0].vm_pgoff);
   EXPECT_EQ(4, mm->rss);
   /* Everything: the mapping is retired at the current time. */
   vt_set_clock(mm, 77, mm->sim_now, mm->sim_order);
   vt_munmap(mm, BASE, 8 * PG);
   EXPECT_EQ(0, mm->nr_vmas);
   EXPECT_EQ(0, m->nr_vmas);
   EXPECT_EQ(77, m->unmapped_at);
   EXPECT_EQ(0, m->resident);
   EXPECT_EQ(0, mm->rss);
   EXPECT_EQ(8, mm->peak_rss);
   /* An unmap of nothing changes nothing. */
   vt_munmap(mm, BASE, 8 * PG);
   EXPECT_EQ(0, mm->nr_vmas);
   mm_free(mm);
}

static void t_munmap_spanning(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int a = map_anon(mm, BASE, 4, RW);
   int b = map_anon(mm, BASE + 4 * PG, 4, RW);   /* adjacent, kept apart */
   int c = map_anon(mm, BASE + 10 * PG, 4, RW);
   EXPECT_EQ(3, mm->nr_vmas);
   for (int i = 0; i < 14; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   /* pages 8, 9 are a hole: 12 faults, 2 invalid */
   EXPECT_EQ(12, mm->rss);
   vt_munmap(mm, BASE + 2 * PG, 10 * PG);           /* [2, 12) */
   EXPECT_STR("0-2 rw-p m0, 12-14 rw-p m2", vmas_str(mm, BASE));
   EXPECT_EQ(1, mm->maps[a]->nr_vmas);
   EXPECT_EQ(0, mm->maps[b]->nr_vmas);
   EXPECT_TRUE(mm->maps[b]->unmapped_at != 0);
   EXPECT_EQ(1, mm->maps[c]->nr_vmas);
   EXPECT_EQ(4, mm->rss);
   EXPECT_EQ(2, mm->maps[a]->resident);
   EXPECT_EQ(0, mm->maps[b]->resident);
   EXPECT_EQ(2, mm->maps[c]->resident);
   mm_free(mm);
}

static void t_map_fixed_over(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int a = map_anon(mm, BASE, 8, RW);
   for (int i = 0; i < 8; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   EXPECT_EQ(8, mm->total.touched);
   unsigned inv0 = R.ninv;
   /* MAP_FIXED over pages 2..4 of the older mapping */
   int b = map_anon(mm, BASE + 2 * PG, 3, R_);
   EXPECT_STR("0-2 rw-p m0, 2-5 r--p m1, 5-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(2, mm->maps[a]->nr_vmas);
   EXPECT_EQ(1, mm->maps[b]->nr_vmas);
   EXPECT_EQ(VT_MK_ANON, mm->maps[b]->kind);
   EXPECT_EQ(5, mm->rss);
   EXPECT_EQ(5, mm->maps[a]->resident);
   EXPECT_TRUE(inval_covers(inv0, BASE + 2 * PG, BASE + 5 * PG));
   /* Fresh memory: faults again, and counts as touched again. */
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 3 * PG));
   EXPECT_EQ(9, mm->total.touched);
   EXPECT_EQ(1, mm->maps[b]->c.touched);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 3 * PG));
   EXPECT_FC(NOF, WR(mm, BASE + 5 * PG));
   mm_free(mm);
}

static void t_map_kinds(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 64 * PG);
   int text = map_file(mm, BASE, 4, RX, f, 0);
   int data = map_file(mm, BASE + 4 * PG, 2, RW, f, 4);
   /* The loader's bss: fixed, right after the data.  The same anonymous
      memory where the kernel happened to place it is no bss; nor is a
      fixed mapping that does not follow the data at once. */
   struct vt_mmap_req q;
   memset(&q, 0, sizeof q);
   q.start = BASE + 6 * PG;
   q.len = 2 * PG;
   q.vm_flags = RW;
   q.kind = VT_NR_MK;
   q.fixed = true;
   int bss = vt_mmap(mm, &q);
   int anon = map_anon(mm, BASE + 16 * PG, 2, RW);
   int ro = map_file(mm, BASE + 32 * PG, 2, R_, f, 0);
   int data2 = map_file(mm, BASE + 40 * PG, 2, RW, f, 4);
   int placed = map_anon(mm, BASE + 42 * PG, 2, RW);  /* right after data2 */
   q.start = BASE + 45 * PG;                          /* a page after data2's */
   int apart = vt_mmap(mm, &q);
   EXPECT_EQ(VT_MK_TEXT, mm->maps[text]->kind);
   EXPECT_EQ(VT_MK_DATA, mm->maps[data]->kind);
   EXPECT_EQ(VT_MK_BSS, mm->maps[bss]->kind);
   EXPECT_EQ(VT_MK_ANON, mm->maps[anon]->kind);
   EXPECT_EQ(VT_MK_DATA, mm->maps[data2]->kind);
   EXPECT_EQ(VT_MK_ANON, mm->maps[placed]->kind);
   EXPECT_EQ(VT_MK_ANON, mm->maps[apart]->kind);
   EXPECT_EQ(VT_MK_FILE, mm->maps[ro]->kind);
   EXPECT_STR("/data/file", mm->maps[text]->name);
   EXPECT_STR("", mm->maps[anon]->name);
   EXPECT_EQ(4, mm->maps[data]->pgoff);
   EXPECT_EQ(f, mm->maps[data]->file);
   /* Execution needs VM_EXEC. */
   EXPECT_FC(VT_FC_FILE_READ, EX(mm, BASE));
   EXPECT_FC(VT_FC_INVALID, EX(mm, BASE + 4 * PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_FC(VT_FC_INVALID, EX(mm, BASE + 16 * PG));
   /* Misaligned or empty requests fail. */
   EXPECT_EQ(-1, map_anon(mm, BASE + 100 * PG, 0, RW));
   struct vt_mmap_req r;
   memset(&r, 0, sizeof r);
   r.start = BASE + 100 * PG + 8;
   r.len = PG;
   r.vm_flags = RW;
   r.kind = VT_NR_MK;
   EXPECT_EQ(-1, vt_mmap(mm, &r));
   EXPECT_EQ(8, mm->nr_vmas);       /* text, data, bss, anon, ro, data2, placed, apart */
   /* vt_find_vma */
   const struct vt_vma *v = vt_find_vma(mm, BASE + 5 * PG + 9);
   EXPECT_TRUE(v && v->vm_start == BASE + 4 * PG && v->mapping == (uint32_t)data);
   EXPECT_TRUE(vt_find_vma(mm, BASE + 10 * PG) == NULL);
   mm_free(mm);
}

static void t_mprotect_split_merge(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 8, RW);
   vt_mprotect(mm, BASE + 3 * PG, 2 * PG, R_);
   EXPECT_STR("0-3 rw-p m0, 3-5 r--p m0, 5-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(3, mm->maps[id]->nr_vmas);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 3 * PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_EQ(1, mm->maps[id]->c.faults[VT_FC_INVALID]);
   /* Restoring the middle merges all three back (vma_merge). */
   vt_mprotect(mm, BASE + 3 * PG, 2 * PG, RW);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(1, mm->maps[id]->nr_vmas);
   /* A no-op mprotect leaves one VMA. */
   vt_mprotect(mm, BASE + 2 * PG, 3 * PG, RW);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));
   /* The head, then the tail. */
   vt_mprotect(mm, BASE, 2 * PG, R_);
   vt_mprotect(mm, BASE + 6 * PG, 2 * PG, R_);
   EXPECT_STR("0-2 r--p m0, 2-6 rw-p m0, 6-8 r--p m0", vmas_str(mm, BASE));
   /* Growing the protected head over the middle merges with it. */
   vt_mprotect(mm, BASE + 2 * PG, 4 * PG, R_);
   EXPECT_STR("0-8 r--p m0", vmas_str(mm, BASE));
   EXPECT_EQ(RW | VT_VM_ACCOUNT, mm->maps[id]->flags_ever);
   mm_free(mm);
}

/* mprotect over several VMAs of one mapping that end up alike: Linux's
   mprotect_fixup calls vma_merge for every VMA of the range, so the result
   is one VMA. */
static void t_mprotect_merge_whole_range(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 8, RW);
   vt_mprotect(mm, BASE + 3 * PG, 2 * PG, R_);
   EXPECT_STR("0-3 rw-p m0, 3-5 r--p m0, 5-8 rw-p m0", vmas_str(mm, BASE));
   vt_mprotect(mm, BASE, 8 * PG, RW);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(1, mm->maps[id]->nr_vmas);
   mm_free(mm);

   mm = mm_new(1, true);
   id = map_anon(mm, BASE, 8, RW);
   vt_mprotect(mm, BASE + 2 * PG, PG, R_);
   vt_mprotect(mm, BASE + 5 * PG, PG, R_);
   /* rw r rw r rw, then [1, 7) to read-only: 0-1 rw, 1-7 r, 7-8 rw */
   vt_mprotect(mm, BASE + PG, 6 * PG, R_);
   EXPECT_STR("0-1 rw-p m0, 1-7 r--p m0, 7-8 rw-p m0", vmas_str(mm, BASE));
   mm_free(mm);
}

static void t_mprotect_anon_rights(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 4, RW);
   WR(mm, BASE);                                   /* anon, exclusive */
   WR(mm, BASE + PG);
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 2 * PG));   /* the zero page */
   unsigned inv0 = R.ninv;
   vt_mprotect(mm, BASE, 4 * PG, R_);
   EXPECT_TRUE(inval_covers(inv0, BASE, BASE + 4 * PG));
   EXPECT_FALSE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_TRUE(present(mm, BASE));
   EXPECT_FC(NOF, RD(mm, BASE));
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   vt_mprotect(mm, BASE, 4 * PG, RW);
   /* can_change_pte_writable: exclusive anon pages become writable again
      (no fault on write), the zero page stays read-only. */
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_FC(NOF, WR(mm, BASE + PG));
   EXPECT_FALSE(pte_has(mm, BASE + 2 * PG, VT_PTE_WRITE));
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE + 2 * PG));
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + 3 * PG));
   EXPECT_EQ(4, mm->rss);
   /* PROT_NONE: present pages stay resident but cannot be read. */
   vt_mprotect(mm, BASE, 4 * PG, 0);
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_EQ(4, mm->rss);
   vt_mprotect(mm, BASE, 4 * PG, RW);
   EXPECT_FC(NOF, WR(mm, BASE));
   mm_free(mm);
}

static void t_mprotect_file_rights(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 16 * PG);
   /* Private: a copied page becomes writable again, a file page not. */
   map_file(mm, BASE, 4, RW, f, 0);
   WR(mm, BASE);                                   /* file_cow */
   RD(mm, BASE + PG);                              /* file page */
   vt_mprotect(mm, BASE, 4 * PG, R_);
   vt_mprotect(mm, BASE, 4 * PG, RW);
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE + PG));
   /* Shared with dirty tracking: a dirty page becomes writable again, a
      clean one stays read-only (wp_page_shared on write). */
   map_file(mm, BASE + 16 * PG, 4, RW | S_, f, 0);
   WR(mm, BASE + 16 * PG);                         /* file_shared: dirty */
   RD(mm, BASE + 17 * PG);                         /* clean */
   vt_mprotect(mm, BASE + 16 * PG, 4 * PG, R_ | S_);
   EXPECT_FALSE(pte_has(mm, BASE + 16 * PG, VT_PTE_WRITE));
   vt_mprotect(mm, BASE + 16 * PG, 4 * PG, RW | S_);
   EXPECT_FC(NOF, WR(mm, BASE + 16 * PG));
   EXPECT_FC(VT_FC_WP_SHARED, WR(mm, BASE + 17 * PG));
   /* Shared memory: writable again, even if only read. */
   struct vt_file *s = shm_file(mm, 16 * PG);
   map_file(mm, BASE + 32 * PG, 4, RW | S_, s, 0);
   RD(mm, BASE + 32 * PG);
   vt_mprotect(mm, BASE + 32 * PG, 4 * PG, R_);
   EXPECT_FALSE(pte_has(mm, BASE + 32 * PG, VT_PTE_WRITE));
   vt_mprotect(mm, BASE + 32 * PG, 4 * PG, RW);
   EXPECT_FC(NOF, WR(mm, BASE + 32 * PG));
   /* The VMA keeps VM_SHARED over mprotect (prot carries rwx only). */
   EXPECT_TRUE(vt_find_vma(mm, BASE + 32 * PG)->vm_flags & S_);
   mm_free(mm);
}

void vma_tests(void)
{
   run_test("vma: munmap partial, head, tail, all", t_munmap_partial);
   run_test("vma: munmap spanning mappings", t_munmap_spanning);
   run_test("vma: MAP_FIXED over part of an older mapping", t_map_fixed_over);
   run_test("vma: mapping kinds, exec rights, bad requests", t_map_kinds);
   run_test("vma: mprotect split and merge", t_mprotect_split_merge);
   run_test("vma: mprotect over several VMAs of a mapping merges them",
            t_mprotect_merge_whole_range);
   run_test("vma: mprotect RO then RW on anonymous pages",
            t_mprotect_anon_rights);
   run_test("vma: mprotect RO then RW on file pages", t_mprotect_file_rights);
}
