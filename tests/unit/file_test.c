/* file_test.c: writes to file mappings: do_cow_fault and do_shared_fault,
   the write after a read (wp_page_copy, wp_page_shared), shared memory
   (shmem) and its end of file.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static void t_file_private_write(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 16 * PG);
   int id = map_file(mm, BASE, 16, RW, f, 0);
   EXPECT_EQ(VT_MK_DATA, mm->maps[id]->kind);
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE));
   EXPECT_EQ(1, mm->rss);
   EXPECT_FALSE(pte_has(mm, BASE, VT_PTE_FILE));  /* an anonymous copy */
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_FC(NOF, WR(mm, BASE));
   /* Read first, then write: do_read_fault, then wp_page_copy. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + PG));
   EXPECT_EQ(VT_RES_FAULT | VT_RES_CACHE_READ, last_res);
   EXPECT_FALSE(pte_has(mm, BASE + PG, VT_PTE_WRITE));
   EXPECT_EQ(2, mm->rss);
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE + PG));
   EXPECT_EQ(2, mm->rss);                        /* file page -> anon page */
   EXPECT_FALSE(pte_has(mm, BASE + PG, VT_PTE_FILE));
   EXPECT_FC(NOF, WR(mm, BASE + PG));
   EXPECT_EQ(2, mm->total.touched);
   mm_free(mm);
}

static void t_file_shared_write(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 16 * PG);
   int id = map_file(mm, BASE, 16, RW | S_, f, 0);
   EXPECT_EQ(VT_MK_FILE, mm->maps[id]->kind);
   EXPECT_FC(VT_FC_FILE_SHARED, WR(mm, BASE));
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_FILE));
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_EQ(1, mm->rss);
   EXPECT_FC(NOF, WR(mm, BASE));
   /* Read first: mapped read-only for dirty tracking; the write then takes
      wp_page_shared and the page stays the file's. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + PG));
   EXPECT_FALSE(pte_has(mm, BASE + PG, VT_PTE_WRITE));
   EXPECT_FC(VT_FC_WP_SHARED, WR(mm, BASE + PG));
   EXPECT_TRUE(pte_has(mm, BASE + PG, VT_PTE_FILE));
   EXPECT_TRUE(pte_has(mm, BASE + PG, VT_PTE_WRITE));
   EXPECT_EQ(2, mm->rss);
   EXPECT_FC(NOF, WR(mm, BASE + PG));
   /* A read-only shared mapping cannot be written. */
   map_file(mm, BASE + 32 * PG, 4, R_ | S_, f, 0);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 32 * PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 32 * PG));
   mm_free(mm);
}

static void t_file_shmem(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = shm_file(mm, 16 * PG);
   int id = map_file(mm, BASE, 16, RW | S_, f, 0);
   EXPECT_EQ(VT_MK_SHM, mm->maps[id]->kind);
   /* No dirty tracking: the read maps the page writable ... */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_EQ(VT_RES_FAULT | VT_RES_CACHE_READ, last_res);
   /* ... alone: no other page of the fresh file exists for fault-around ... */
   EXPECT_EQ(1, mm->rss);
   /* ... so the write takes no second fault. */
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_EQ(VT_RES_CACHE_READ | VT_RES_CACHE_WRITE, last_res);
   /* Page 1 was never mapped nor created: do_shared_fault. */
   EXPECT_FC(VT_FC_FILE_SHARED, WR(mm, BASE + PG));
   EXPECT_EQ(2, mm->rss);
   /* File pages 0 and 1 exist now.  A private mapping of the tmpfs file,
      4 pages from file page 0 at a 64 KiB-aligned address: the read of
      its page 0 maps the window [0, 16) clamped to the VMA, [0, 4), where
      pages 0 and 1 exist: both mapped, read-only (private: copy-on-write). */
   map_file(mm, BASE + 32 * PG, 4, RW, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 32 * PG));
   EXPECT_FALSE(pte_has(mm, BASE + 32 * PG, VT_PTE_WRITE));
   EXPECT_TRUE(present(mm, BASE + 33 * PG));
   EXPECT_FALSE(pte_has(mm, BASE + 33 * PG, VT_PTE_WRITE));
   EXPECT_FALSE(present(mm, BASE + 34 * PG));
   EXPECT_EQ(4, mm->rss);
   /* A write to either: do_wp_page copies the file page (wp_copy), no new
      resident page (file page -> anonymous copy). */
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE + 32 * PG));
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE + 33 * PG));
   EXPECT_FALSE(pte_has(mm, BASE + 33 * PG, VT_PTE_FILE));
   EXPECT_EQ(4, mm->rss);
   /* File page 2 did not exist, so was not mapped: do_cow_fault. */
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE + 34 * PG));
   EXPECT_EQ(5, mm->rss);
   /* do_cow_fault reads the page through shmem_fault, which creates it in
      the file: a read of page 3 of the shared mapping now maps, in the
      window [0, 16), pages 2 (created by the copy) and 3 (itself). */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 3 * PG));
   EXPECT_TRUE(present(mm, BASE + 2 * PG));
   EXPECT_FALSE(present(mm, BASE + 4 * PG));
   EXPECT_EQ(7, mm->rss);
   mm_free(mm);
}

/* Linux: shmem_fault -> shmem_get_folio_gfp returns -EINVAL for an index
   at or beyond i_size (SGP_CACHE), and the fault is VM_FAULT_SIGBUS.  A
   memfd of one page mapped with two pages gets SIGBUS on the second. */
static void t_file_shmem_beyond_eof(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = vt_file_get(mm, 9, next_ino++, "/memfd:buf (deleted)",
                                   PG, true);
   map_file(mm, BASE, 2, RW | S_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + PG));
   EXPECT_EQ(VT_INV_BEYOND_EOF, R.reason);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + PG));
   EXPECT_EQ(1, mm->rss);
   mm_free(mm);
}

void file_tests(void)
{
   run_test("file: private write -> file_cow; read, write -> wp_copy",
            t_file_private_write);
   run_test("file: shared write -> file_shared; read, write -> wp_shared",
            t_file_shared_write);
   run_test("file: shmem shared read then write: one fault; private: wp_copy on existing pages",
            t_file_shmem);
   run_test("file: shmem access beyond i_size is SIGBUS",
            t_file_shmem_beyond_eof);
}
