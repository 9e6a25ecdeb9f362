/* vt_filter.c: the filter in front of the simulator, a software TLB: a
   direct-mapped table of page numbers per access kind.  An entry for page p
   means that a read (or write, or instruction fetch) of p cannot change any
   simulated state or figure, so the inline check vt_instrument.c emits
   drops it; a miss calls vt_miss, which passes the reference on
   (vt_access) and refills the entry if the core says it may be cached.
   The core's host op invalidate empties entries whose rights changed.

   What an instrumented access costs: a shift, a mask, a load and a compare
   inline (plus, with LRU/LFU/ARC simulated, two guarded stores: the hit's
   stamp and count); a miss costs a helper call and the core's walk.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_tooliface.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "vt_tool.h"

ULong vt_tlb_read[VT_TLB_ENTRIES];
ULong vt_tlb_write[VT_TLB_ENTRIES];
ULong vt_tlb_exec[VT_TLB_ENTRIES];
ULong vt_insns, vt_refs, vt_misses;

/* ---- hits the filter absorbs, for policies that need every reference ----
   With LRU, LFU or ARC simulated (vt_mm.sims_every) the filter still
   caches pages, and every hit also stores, inline, a stamp in its slot and
   adds one to its slot's count.  The stamp is (vt_insns << 16) | the
   access's position in its superblock: the time the simulation would have
   seen, and below it the order the accesses ran in.  A reference vt_miss
   passes on carries the same order (vt_sim_set_order).  The counted hits
   are delivered (vt_mm_sims_note_hits) before every decision of a simulation
   (its flush_hits), before the periodic work, and before a slot is emptied
   or refilled; the policies rank pages by (time, order) of their last
   reference, so they decide as if every reference had reached them. */
ULong vt_hit_stamp[3][VT_TLB_ENTRIES];
ULong vt_hit_count[3][VT_TLB_ENTRIES];
Bool vt_count_hits;

/* The hits of one slot, before it is emptied or refilled. */
static inline void slot_deliver(UInt t, UInt i, ULong tag)
{
   if (vt_hit_count[t][i]) {
      ULong n = vt_hit_count[t][i];
      vt_hit_count[t][i] = 0;
      vt_mm_sims_note_hits(&vt_mm, tag, n, vt_hit_stamp[t][i] >> VT_STAMP_SHIFT, vt_hit_stamp[t][i]);
   }
}

/* Every slot's hits.  In any order: the policies order pages by the time
   and order delivered with them, not by when they learn of them. */
void vt_hits_flush(void)
{
   if (!vt_count_hits)
      return;
   for (UInt i = 0; i < VT_TLB_ENTRIES; i++) {
      slot_deliver(0, i, vt_tlb_read[i]);
      slot_deliver(1, i, vt_tlb_write[i]);
      slot_deliver(2, i, vt_tlb_exec[i]);
   }
}

void vt_hits_init(void)
{
   vt_count_hits = vt_clo.fast_path && vt_mm.sims_every;
}

void vt_tlb_flush(void)
{
   vt_hits_flush();
   for (UInt i = 0; i < VT_TLB_ENTRIES; i++)
      vt_tlb_read[i] = vt_tlb_write[i] = vt_tlb_exec[i] = VT_TLB_EMPTY;
}

void vt_tlb_invalidate(void *ctx, struct vt_mm *mm, vt_addr start, vt_addr end)
{
   (void)ctx; (void)mm;
   ULong p0 = start >> VT_PAGE_SHIFT, p1 = (end + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
   if (p1 - p0 >= VT_TLB_ENTRIES) {
      vt_tlb_flush();
      return;
   }
   for (ULong p = p0; p < p1; p++) {
      UInt i = (UInt)(p & (VT_TLB_ENTRIES - 1));
      ULong tag = p << VT_PAGE_SHIFT;
      if (vt_tlb_read[i] == tag) {
         slot_deliver(0, i, tag);
         vt_tlb_read[i] = VT_TLB_EMPTY;
      }
      if (vt_tlb_write[i] == tag) {
         slot_deliver(1, i, tag);
         vt_tlb_write[i] = VT_TLB_EMPTY;
      }
      if (vt_tlb_exec[i] == tag) {
         slot_deliver(2, i, tag);
         vt_tlb_exec[i] = VT_TLB_EMPTY;
      }
   }
}

/* One page reference, from the miss path or from the kernel's accesses. */
static inline void access_page(Addr page_addr, enum vt_access acc)
{
   ULong p = page_addr >> VT_PAGE_SHIFT;
   UInt i = (UInt)(p & (VT_TLB_ENTRIES - 1));
   /* The hits held in the slots this reference may refill, or whose page
      it may change (a copy on write makes a file page anonymous): first,
      under the identity they had. */
   if (vt_count_hits) {
      slot_deliver(0, i, vt_tlb_read[i]);
      slot_deliver(1, i, vt_tlb_write[i]);
      slot_deliver(2, i, vt_tlb_exec[i]);
   }
   unsigned res = vt_access(&vt_mm, page_addr, acc);
   if (!vt_clo.fast_path)
      return;
   if (acc == VT_ACC_EXEC) {
      if (res & VT_RES_CACHE_READ)
         vt_tlb_exec[i] = page_addr;
      return;
   }
   if (res & VT_RES_CACHE_READ)
      vt_tlb_read[i] = page_addr;
   if (res & VT_RES_CACHE_WRITE)
      vt_tlb_write[i] = page_addr;
}

void vt_access_range(Addr a, SizeT len, enum vt_access acc)
{
   if (len == 0)
      return;
   /* after the call's own references */
   vt_set_clock(&vt_mm, vt_insns, vt_insns, (vt_insns << VT_STAMP_SHIFT) | 0xffff);
   for (Addr p = a & VT_PAGE_MASK; p <= ((a + len - 1) & VT_PAGE_MASK);
        p += VT_PAGE_SIZE) {
      access_page(p, acc);
      if (p + VT_PAGE_SIZE == 0)
         break;
   }
}

/* The instruction whose access is being simulated (0 outside vt_miss):
   Valgrind's guest IP is only brought up to date at some points of a
   superblock, so fault sites take the faulting instruction from here. */
Addr vt_fault_ip;

/* The miss handler.  arg packs the access size (bits 0-15), the access
   kind (bits 16-17), its position in the superblock (bits 18-31) and the
   instructions of this superblock executed but not yet added to vt_insns
   (bits 32-63), so the clock is exact here; ip is the instruction. */
VG_REGPARM(3) void vt_miss(Addr a, UWord arg, Addr ip)
{
   UWord size = arg & 0xffff;
   vt_fault_ip = ip;
   vt_misses++;
   enum vt_access acc = (enum vt_access)((arg >> 16) & 3);
   /* the simulations' time: superblock granularity (see vt_core.h) */
   vt_set_clock(&vt_mm, vt_insns + (arg >> 32), vt_insns,
                (vt_insns << VT_STAMP_SHIFT) | ((arg >> 18) & VT_POS_MAX));
   Addr first = a & VT_PAGE_MASK, last = (a + size - 1) & VT_PAGE_MASK;
   access_page(first, acc);
   for (Addr p = first + VT_PAGE_SIZE; p <= last && p != 0; p += VT_PAGE_SIZE)
      access_page(p, acc);
   vt_fault_ip = 0;
}
