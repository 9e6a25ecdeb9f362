/* stack_test.c: the stack: it grows down (expand_stack) to stack_guard_low
   and keeps stack_guard_gap from the VMA below.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static void t_stack_growth(void)
{
   struct vt_mm *mm = mm_new(1, true);
   vt_addr S = BASE + 64 * PG;                 /* top of the stack */
   int id = map_req(mm, S - 4 * PG, 4, RW | VT_VM_GROWSDOWN, NULL, 0, false,
                    VT_MK_STACK);
   vt_set_stack(mm, S - PG, S - 16 * PG);
   EXPECT_STR("[stack]", mm->maps[id]->name);
   /* An access 6 pages down grows the VMA to that page. */
   EXPECT_FC(VT_FC_ANON, WR(mm, S - 6 * PG + 8));
   EXPECT_STR("58-64 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(S - 6 * PG, mm->maps[id]->start);
   EXPECT_EQ(1, mm->maps[id]->c.faults[VT_FC_ANON]);
   /* Down to stack_guard_low exactly: allowed. */
   EXPECT_FC(VT_FC_ZERO, RD(mm, S - 16 * PG));
   EXPECT_STR("48-64 rw-p m0", vmas_str(mm, BASE));
   /* Below it: refused, the VMA stays. */
   EXPECT_FC(VT_FC_INVALID, WR(mm, S - 16 * PG - 1));
   EXPECT_EQ(VT_INV_UNMAPPED, R.reason);
   EXPECT_STR("48-64 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(1, mm->nr_vmas);
   /* A VMA without VM_GROWSDOWN never grows. */
   map_anon(mm, BASE + 256 * PG, 4, RW);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 255 * PG));
   mm_free(mm);
}

/* Linux expand_downwards enforces stack_guard_gap (256 pages): the stack
   may not grow to within 1 MiB above a preceding accessible VMA that is
   not itself a stack. */
static void t_stack_guard_gap(void)
{
   struct vt_mm *mm = mm_new(1, true);
   vt_addr S = BASE + 4096 * PG;
   map_req(mm, S - 4 * PG, 4, RW | VT_VM_GROWSDOWN, NULL, 0, false,
           VT_MK_STACK);
   vt_set_stack(mm, S - PG, S - 2048 * PG);
   map_anon(mm, S - 200 * PG, 10, RW);         /* ends at S - 190 pages */
   /* S - 10 pages lies 180 pages above its end: inside the gap. */
   EXPECT_FC(VT_FC_INVALID, WR(mm, S - 10 * PG));
   EXPECT_EQ(S - 4 * PG, vt_find_vma(mm, S - PG)->vm_start);
   mm_free(mm);
}

void stack_tests(void)
{
   run_test("stack: grows down to stack_guard_low, not below", t_stack_growth);
   run_test("stack: stack_guard_gap below the stack", t_stack_guard_gap);
}
