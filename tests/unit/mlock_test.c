/* mlock_test.c: mlock, munlock, MAP_LOCKED, mlockall: populating, locked
   PTEs, merges; populating a mapping longer than its file.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static void t_mlock(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 8, RW);
   vt_mlock(mm, BASE + 4 * PG, 4 * PG, true);
   /* Populating writes private writable pages (breaking COW): 4 anon
      faults, resident, but no page touched. */
   EXPECT_EQ(4, mm->total.faults[VT_FC_ANON]);
   EXPECT_EQ(4, mm->rss);
   EXPECT_EQ(0, mm->total.touched);
   EXPECT_EQ(0, mm->maps[id]->c.touched);
   EXPECT_TRUE(pte_has(mm, BASE + 4 * PG, VT_PTE_LOCKED));
   EXPECT_STR("0-4 rw-p m0, 4-8 rw-pL m0", vmas_str(mm, BASE));
   EXPECT_FC(NOF, WR(mm, BASE + 4 * PG));
   EXPECT_EQ(1, mm->total.touched);
   /* A page faulted in a locked VMA is locked. */
   vt_madvise_dontneed(mm, BASE + 5 * PG, PG);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + 5 * PG));
   EXPECT_TRUE(pte_has(mm, BASE + 5 * PG, VT_PTE_LOCKED));
   /* munlock: merged back into one VMA, PTEs unlocked. */
   vt_mlock(mm, BASE + 4 * PG, 4 * PG, false);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_FALSE(pte_has(mm, BASE + 4 * PG, VT_PTE_LOCKED));
   /* mlock of a read-only mapping reads: zero pages, nothing resident. */
   map_anon(mm, BASE + 16 * PG, 4, R_);
   vt_mlock(mm, BASE + 16 * PG, 4 * PG, true);
   EXPECT_EQ(4, mm->total.faults[VT_FC_ZERO]);
   EXPECT_EQ(4, mm->rss);                        /* pages 4..7 only */
   /* ... and of a shared file mapping: read faults, no dirtying. */
   struct vt_file *f = reg_file(mm, 16 * PG);
   map_file(mm, BASE + 32 * PG, 4, RW | S_, f, 0);
   vt_mlock(mm, BASE + 32 * PG, 4 * PG, true);
   EXPECT_EQ(4, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_FC(VT_FC_WP_SHARED, WR(mm, BASE + 32 * PG));
   /* MAP_LOCKED populates at mmap time. */
   vt_u64 anon0 = mm->total.faults[VT_FC_ANON];
   map_anon(mm, BASE + 48 * PG, 3, RW | VT_VM_LOCKED);
   EXPECT_EQ(anon0 + 3, mm->total.faults[VT_FC_ANON]);
   /* mlockall(MCL_FUTURE): later mappings are locked and populated. */
   vt_mlockall(mm, false, true, false);
   map_anon(mm, BASE + 64 * PG, 2, RW);
   EXPECT_EQ(anon0 + 5, mm->total.faults[VT_FC_ANON]);
   EXPECT_TRUE(vt_find_vma(mm, BASE + 64 * PG)->vm_flags & VT_VM_LOCKED);
   vt_munlockall(mm);
   EXPECT_EQ(0, mm->def_flags);
   EXPECT_FALSE(vt_find_vma(mm, BASE + 64 * PG)->vm_flags & VT_VM_LOCKED);
   map_anon(mm, BASE + 80 * PG, 2, RW);
   EXPECT_EQ(anon0 + 5, mm->total.faults[VT_FC_ANON]);
   mm_free(mm);
}

/* munlock over a range that mlock had split: Linux merges (vma_merge in
   mlock_fixup for every VMA of the range). */
static void t_mlock_merge_whole_range(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 8, RW);
   vt_mlock(mm, BASE + 3 * PG, 2 * PG, true);
   EXPECT_STR("0-3 rw-p m0, 3-5 rw-pL m0, 5-8 rw-p m0", vmas_str(mm, BASE));
   vt_mlock(mm, BASE, 8 * PG, false);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));
   mm_free(mm);
}

/* Populating a file mapping longer than the file: Linux's __mm_populate
   ignores the error (ignore_errors = 1 for mlock and MAP_POPULATE); no
   SIGBUS is raised, so no invalid access may be counted or reported. */
static void t_populate_beyond_eof(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 2 * PG);
   map_req(mm, BASE, 4, R_, f, 0, true, VT_NR_MK);
   EXPECT_EQ(2, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(2, mm->rss);
   EXPECT_EQ(0, mm->total.faults[VT_FC_INVALID]);
   EXPECT_EQ(2, R.nfaults);                    /* on_fault calls */
   mm_free(mm);
}

/* mprotect_fixup: a private VM_LOCKED VMA made writable is populated
   again, writing ("trigger COW to avoid major fault on access"): the zero
   pages mlock mapped in a read-only VMA are copied (wp_copy), a PROT_NONE
   one's untouched pages allocated (anon); later writes cost nothing.  A
   shared VMA, or one mprotect leaves writable, is not populated. */
static void t_mprotect_locked(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 4, R_);
   vt_mlock(mm, BASE, 4 * PG, true);
   EXPECT_EQ(4, mm->total.faults[VT_FC_ZERO]);
   vt_mprotect(mm, BASE + PG, 2 * PG, RW);
   EXPECT_EQ(2, mm->total.faults[VT_FC_WP_COPY]);
   EXPECT_FC(NOF, WR(mm, BASE + PG));
   EXPECT_FC(NOF, WR(mm, BASE + 2 * PG));
   EXPECT_FC(NOF, RD(mm, BASE + 3 * PG));     /* left read-only: the zero page */
   EXPECT_EQ(2, mm->total.faults[VT_FC_WP_COPY]);
   map_anon(mm, BASE + 16 * PG, 3, VT_VM_LOCKED);          /* PROT_NONE */
   EXPECT_EQ(0, mm->total.faults[VT_FC_ANON]);
   vt_mprotect(mm, BASE + 16 * PG, 3 * PG, RW);
   EXPECT_EQ(3, mm->total.faults[VT_FC_ANON]);
   /* already writable: nothing more */
   vt_mprotect(mm, BASE + 16 * PG, 3 * PG, RW);
   EXPECT_EQ(3, mm->total.faults[VT_FC_ANON]);
   /* shared memory is not populated by mprotect */
   struct vt_file *f = reg_file(mm, 16 * PG);
   map_file(mm, BASE + 32 * PG, 4, R_ | S_ | VT_VM_LOCKED, f, 0);
   vt_u64 minor = vt_counts_minor(&mm->total);
   vt_mprotect(mm, BASE + 32 * PG, 4 * PG, RW);
   EXPECT_EQ(minor, vt_counts_minor(&mm->total));
   mm_free(mm);
}

/* A failed mlock (ENOMEM): the VMAs up to a hole are locked, nothing
   populated; with no hole, populating stops for good at the first page
   GUP cannot fault in (a PROT_NONE VMA, a page past the end of a file),
   the VMAs all locked.  A failed munlock unlocks up to the hole. */
static void t_mlock_failed(void)
{
   struct vt_mm *mm = mm_new(1, true);
   /* 4 writable pages, 2 PROT_NONE, 2 writable: 4 faults, all locked */
   map_anon(mm, BASE, 8, RW);
   vt_mprotect(mm, BASE + 4 * PG, 2 * PG, 0);
   vt_mlock_failed(mm, BASE, 8 * PG, true);
   EXPECT_EQ(4, mm->total.faults[VT_FC_ANON]);
   EXPECT_STR("0-4 rw-pL m0, 4-6 ---pL m0, 6-8 rw-pL m0", vmas_str(mm, BASE));
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + 6 * PG));
   /* a hole after 2 pages: those locked, nothing populated, nothing after */
   map_anon(mm, BASE + 16 * PG, 2, RW);
   map_anon(mm, BASE + 19 * PG, 2, RW);
   vt_mlock_failed(mm, BASE + 16 * PG, 5 * PG, true);
   EXPECT_EQ(5, mm->total.faults[VT_FC_ANON]);
   EXPECT_STR("0-4 rw-pL m0, 4-6 ---pL m0, 6-8 rw-pL m0, 16-18 rw-pL m1, 19-21 rw-p m2",
              vmas_str(mm, BASE));
   EXPECT_FALSE(vt_find_vma(mm, BASE + 19 * PG)->vm_flags & VT_VM_LOCKED);
   /* starting in a hole: nothing */
   vt_mlock_failed(mm, BASE + 18 * PG, 3 * PG, true);
   EXPECT_FALSE(vt_find_vma(mm, BASE + 19 * PG)->vm_flags & VT_VM_LOCKED);
   /* a file mapping longer than its file, then anonymous memory: the 2
      file pages, then populating stops (the anonymous VMA is locked) */
   struct vt_file *f = reg_file(mm, 2 * PG);
   map_file(mm, BASE + 32 * PG, 4, RW, f, 0);
   map_anon(mm, BASE + 36 * PG, 2, RW);
   vt_u64 minor = vt_counts_minor(&mm->total);
   vt_mlock_failed(mm, BASE + 32 * PG, 6 * PG, true);
   EXPECT_EQ(minor + 2, vt_counts_minor(&mm->total));
   EXPECT_TRUE(vt_find_vma(mm, BASE + 36 * PG)->vm_flags & VT_VM_LOCKED);
   EXPECT_EQ(0, mm->total.faults[VT_FC_INVALID]);
   /* munlock over [locked 2][hole][unlocked 2]... of the first group */
   vt_mlock_failed(mm, BASE + 16 * PG, 5 * PG, false);
   EXPECT_FALSE(vt_find_vma(mm, BASE + 16 * PG)->vm_flags & VT_VM_LOCKED);
   vt_mlock(mm, BASE + 19 * PG, 2 * PG, true);
   vt_mlock_failed(mm, BASE + 18 * PG, 3 * PG, false);   /* in a hole: nothing */
   EXPECT_TRUE(vt_find_vma(mm, BASE + 19 * PG)->vm_flags & VT_VM_LOCKED);
   mm_free(mm);
}

void mlock_tests(void)
{
   run_test("mlock: a failed mlock or munlock did part of its work", t_mlock_failed);
   run_test("mlock: mprotect making a locked private VMA writable populates it",
            t_mprotect_locked);
   run_test("mlock: populates, locked PTEs, MAP_LOCKED, mlockall", t_mlock);
   run_test("mlock: munlock over several VMAs of a mapping merges them",
            t_mlock_merge_whole_range);
   run_test("populate: no invalid access beyond the end of the file",
            t_populate_beyond_eof);
}
