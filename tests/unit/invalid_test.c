/* invalid_test.c: invalid accesses (bad_area: unmapped, against the
   protection, non-canonical) and the kinds of the fault classes (minor,
   major, invalid).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static void t_invalid(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 2, R_);
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE - PG));
   EXPECT_EQ(VT_INV_UNMAPPED, R.reason);
   EXPECT_EQ(BASE - PG, R.addr);
   EXPECT_EQ(VT_RES_INVALID, last_res);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_EQ(VT_ACC_WRITE, R.acc);
   EXPECT_FC(VT_FC_INVALID, EX(mm, BASE + PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   /* Non-canonical / kernel addresses. */
   EXPECT_FC(VT_FC_INVALID, RD(mm, (vt_addr)1 << 47));
   EXPECT_EQ(VT_INV_UNMAPPED, R.reason);
   EXPECT_FC(VT_FC_INVALID, RD(mm, ~(vt_addr)0));
   /* Counted as invalid, in no minor or major total; nothing resident,
      nothing touched, no PTE made. */
   EXPECT_EQ(5, mm->total.faults[VT_FC_INVALID]);
   EXPECT_EQ(0, vt_counts_minor(&mm->total));
   EXPECT_EQ(0, vt_counts_major(&mm->total));
   EXPECT_EQ(0, mm->total.touched);
   EXPECT_EQ(0, mm->rss);
   EXPECT_EQ(0, vt_get_pte(mm, BASE));
   EXPECT_EQ(5, mm->phases[0].c.faults[VT_FC_INVALID]);
   /* Against the mapping only when the address has one. */
   EXPECT_EQ(2, mm->maps[id]->c.faults[VT_FC_INVALID]);
   /* A valid access afterwards works as usual. */
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE));
   EXPECT_EQ(1, vt_counts_minor(&mm->total));
   mm_free(mm);
}

static void t_counts_kinds(void)
{
   struct vt_counts c;
   memset(&c, 0, sizeof c);
   for (int i = 0; i < VT_NR_FC; i++)
      c.faults[i] = (vt_u64)1 << i;
   /* minor: anon zero file_read file_cow file_shared wp_copy wp_reuse
      wp_shared = bits 0..7 = 255; major: swap_in, file_major = bits 8, 9 */
   EXPECT_EQ(255, vt_counts_minor(&c));
   EXPECT_EQ(256 + 512, vt_counts_major(&c));
   EXPECT_EQ(VT_INVALID, vt_fault_classes[VT_FC_INVALID].kind);
   EXPECT_STR("wp_copy", vt_fault_classes[VT_FC_WP_COPY].name);
   EXPECT_STR("beyond_eof", vt_invalid_reason_names[VT_INV_BEYOND_EOF]);
}

void invalid_tests(void)
{
   run_test("invalid: unmapped, protection, exec, non-canonical", t_invalid);
   run_test("counts: minor and major sums", t_counts_kinds);
}
