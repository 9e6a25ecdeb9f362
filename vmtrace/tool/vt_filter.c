/* vt_filter.c: the tool's side of the filter in front of the simulator
   (the core's struct vt_filter, filter.c): the inline check vt_instrument.c
   emits drops what the tables hold; a miss calls vt_miss, which sets the
   clock and passes the reference on (vt_filter_miss); the kernel's accesses
   inside system calls come through vt_access_range.

   What an instrumented access costs: a shift, a mask, a load, an or (the
   epoch's mark, with --timeline) and a compare inline (plus, with
   LRU/LFU/ARC simulated, two guarded stores: the hit's stamp and count); a
   miss costs a helper call and the core's walk, or without --ram, when the
   entry only has an older epoch's mark, the working set's count.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_tooliface.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "vt_tool.h"

struct vt_filter vt_flt;
ULong vt_insns_drained, vt_refs_drained, vt_misses;
/* the packed clock (vt_tool.h): next to the drained counters, which the
   generated code addresses from one anchor */
ULong vt_clock;
ULong vt_clock_limit = VT_CLOCK_DRAIN << VT_CLOCK_SHIFT;

/* The packed clock's references into vt_refs_drained: between
   superblocks, or in a helper (the generated code loads vt_clock afresh
   at every update).  Its instructions stay (the default run's checks read
   the epoch's number from them: vt_instrument.c's vt_clock_mark), until
   they near the word's 40 bits: then 2^38 of them, a multiple of every
   2^(log2(epoch) + 16), move to vt_insns_drained. */
void vt_clock_drain(void)
{
   vt_refs_drained += vt_clock & VT_CLOCK_REFS;
   vt_clock &= ~VT_CLOCK_REFS;
   if ((vt_clock >> VT_CLOCK_SHIFT) >= (1ULL << 39)) {
      vt_insns_drained += 1ULL << 38;
      vt_clock -= (1ULL << 38) << VT_CLOCK_SHIFT;
   }
}

void vt_clock_reset(void)
{
   vt_insns_drained = vt_refs_drained = vt_clock = 0;
}
/* --tlb: the numbers the TLB model orders references by (vt_tlb_set_time).
   A superblock's references are numbered vt_tlb_clock + their position in
   it (the inline check stamps absorbed ones so, vt_instrument.c), and the
   clock passes them at each update of the counters; the kernel's
   references between superblocks take one number each. */
ULong vt_tlb_clock;

/* Host op invalidate. */
void vt_tlb_invalidate(void *ctx, struct vt_mm *mm, vt_addr start, vt_addr end)
{
   (void)ctx; (void)mm;
   vt_filter_invalidate(&vt_flt, start, end);
}

void vt_access_range(Addr a, SizeT len, enum vt_access acc)
{
   if (len == 0)
      return;
   /* after the call's superblock, before the next one's references */
   vt_set_clock(&vt_mm, vt_insns, vt_insns, VT_ORDER_KERNEL(vt_insns));
   for (Addr p = a & VT_PAGE_MASK; p <= ((a + len - 1) & VT_PAGE_MASK);
        p += VT_PAGE_SIZE) {
      vt_rec_kernel(p, 1, acc);       /* each page's record before what it asks */
      if (vt_mm.tlb)
         vt_tlb_set_time(&vt_mm, vt_tlb_clock++);
      vt_fault_addr = p > a ? p : a;
      vt_filter_miss(&vt_flt, p, acc);
      if (p + VT_PAGE_SIZE == 0)
         break;
   }
   vt_fault_addr = 0;
}

/* The instruction whose access is being simulated (0 outside vt_miss):
   Valgrind's guest IP is only brought up to date at some points of a
   superblock, so fault sites take the faulting instruction from here. */
Addr vt_fault_ip;
/* The first byte the reference asks of the page being simulated (the
   core sees pages): an invalid access is reported at the byte the program
   touched, as the kernel's si_addr and Valgrind's own "Access not within
   mapped region at address" give it (until 2026-12-06 at the page's start:
   a store to 0x10 was "Invalid write of address 0x0"). */
Addr vt_fault_addr;

/* A reference the filter let through: size bytes at a, of kind acc, the
   pos'th checked access of its superblock, by the instruction at ip, with
   pending instructions of the superblock executed but not yet added to
   vt_insns (so the clock is exact here). */
static inline void miss(Addr a, UWord size, enum vt_access acc, UWord pos, UWord pending,
                        Addr ip)
{
   vt_misses++;
   /* the simulations' time: superblock granularity (see vt_core.h) */
   vt_set_clock(&vt_mm, vt_insns + pending, vt_insns, VT_ORDER(vt_insns, pos));
   if (vt_mm.tlb)
      vt_tlb_set_time(&vt_mm, vt_tlb_clock + pos);
   Addr first = a & VT_PAGE_MASK, last = (a + size - 1) & VT_PAGE_MASK;
   vt_fault_ip = ip;
   /* Recording, a straddling access is recorded a page at a time, so that
      an answer the first page's fault records comes before the second
      page: the instrumentation's word (the last one) becomes the first
      page's alone. */
   if (vt_recording && last != first && vt_rec_ptr > vt_rec_buf)
      vt_rec_ptr[-1] = (vt_rec_ptr[-1] & ~(0xfffULL << 48)) | (1ULL << 48);
   vt_fault_addr = a;
   vt_filter_miss(&vt_flt, first, acc);
   for (Addr p = first + VT_PAGE_SIZE; p <= last && p != 0; p += VT_PAGE_SIZE) {
      if (vt_recording)
         vt_rec_cont();
      vt_fault_addr = p;
      vt_filter_miss(&vt_flt, p, acc);
   }
   vt_fault_ip = 0;
   vt_fault_addr = 0;
}

/* The misses that are not the epoch-only one (below): a function of
   its own, so that the handlers keep few registers live around that. */
static __attribute__((noinline)) void miss_arg(Addr a, UWord arg, Addr ip)
{
   miss(a, arg & 0xffff, (enum vt_access)((arg >> 16) & 3), (arg >> 18) & VT_POS_MAX,
        (arg >> 32) & 0xffffff, ip);
}

static __attribute__((noinline)) void miss_packed(Addr a, UWord p)
{
   miss(a, VT_PACK_SIZE(p), VT_PACK_ACC(p), VT_PACK_POS(p), VT_PACK_PENDING(p),
        p & 0xffffffffu);
}

/* vt_flt.stamp_after: the data access's instruction was fetched d
   positions before it from the page of its superblock's last fetch check,
   and that fetch's stamp is not made yet (the generated code makes it at
   the superblock's exits): made here, before anything may decide. */
static __attribute__((noinline)) void fetch_stamp(Addr ip, UWord pos, UWord d)
{
   vt_filter_stamp(&vt_flt, VT_ACC_EXEC, ip & VT_PAGE_MASK, VT_ORDER(vt_insns, pos - d));
}

/* The short path of the three handlers below: the simulations' clock set
   first when there are any (vt_mm_sims_quiet reads it), then, if this miss
   is only the page's first reference of its kind in the epoch (the
   filter's mark is older), vt_filter_epoch_miss does all of it.  pending
   is the instructions not yet added to vt_insns, pos the access's place in
   the superblock. */
static inline Bool epoch_only(Addr a, UWord size, enum vt_access acc, UWord pending,
                              UWord pos)
{
   Addr first = a & VT_PAGE_MASK;
   /* a superblock's first check, at its entry: the sample check there
      (vt_clock_mark) */
   if (pos == 0 && vt_clock_mark)
      vt_sample_tick_due();
   if (vt_mm.nr_sims)
      vt_set_clock(&vt_mm, vt_insns + pending, vt_insns, VT_ORDER(vt_insns, pos));
   if (vt_mm.tlb)
      vt_tlb_set_time(&vt_mm, vt_tlb_clock + pos);
   if (LIKELY(((a + size - 1) & VT_PAGE_MASK) == first) &&
       vt_filter_epoch_miss(&vt_flt, first, acc)) {
      vt_misses++;
      vt_set_clock(&vt_mm, vt_insns + pending, vt_insns, VT_ORDER(vt_insns, pos));
      return True;
   }
   return False;
}

/* The miss handler.  arg packs the access size (bits 0-15), the access
   kind (bits 16-17), its position in the superblock (bits 18-31), the
   pending instructions (bits 32-55) and d (bits 56-63, VT_MISS_PACK); ip
   is the instruction. */
VG_REGPARM(3) void vt_miss(Addr a, UWord arg, Addr ip)
{
   if ((arg >> 56) && ((arg >> 16) & 3) != VT_ACC_EXEC)
      fetch_stamp(ip, (arg >> 18) & VT_POS_MAX, arg >> 56);
   if (epoch_only(a, arg & 0xffff, (enum vt_access)((arg >> 16) & 3), (arg >> 32) & 0xffffff,
                  (arg >> 18) & VT_POS_MAX))
      return;
   miss_arg(a, arg, ip);
}

/* The same with one constant (VT_MISS_PACK): the generated code sets up
   two arguments instead of three at every check, hit or miss.  Most
   misses take the short path, with only the fields it needs decoded. */
VG_REGPARM(2) void vt_miss_packed(Addr a, UWord p)
{
   if (VT_PACK_D(p))
      fetch_stamp(p & 0xffffffffu, VT_PACK_POS(p), VT_PACK_D(p));
   if (epoch_only(a, VT_PACK_SIZE(p), VT_PACK_ACC(p), VT_PACK_PENDING(p), VT_PACK_POS(p)))
      return;
   miss_packed(a, p);
}

VG_REGPARM(3) void vt_miss_packed_next(Addr a, UWord p, UWord next)
{
   vt_miss_packed(a, p);
   Addr page = next & 0xffffffffu & VT_PAGE_MASK;
   UInt i = (UInt)(page >> VT_PAGE_SHIFT) & (vt_flt.nr - 1);
   if (vt_flt.tag[VT_ACC_EXEC][i] != VT_FILTER_TAG(page, vt_flt.mark))
      vt_miss_fetch(next);
}

/* An instruction fetch: the address is the instruction's, bits 0-31 of
   the packed constant. */
static void follow_ons(UWord p);

VG_REGPARM(1) void vt_miss_fetch(UWord p)
{
   Addr a = p & 0xffffffffu;
   if (!epoch_only(a, VT_PACK_SIZE(p), VT_ACC_EXEC, VT_PACK_PENDING(p), VT_PACK_POS(p)))
      miss_packed(a, p);
   if (VT_PACK_D(p))
      follow_ons(p);
}

/* The next d fetches from the page (vt_instrument.c's follow_ons: nothing
   between them could run a handler), which have no code: while the page
   is out of the table each reaches the simulator as its check would have
   sent it, in its place; once it is in, they are hits (stamped as a later
   fetch is). */
static __attribute__((noinline)) void follow_ons(UWord p)
{
   Addr page = p & 0xffffffffu & VT_PAGE_MASK;
   UInt i = (UInt)(page >> VT_PAGE_SHIFT) & (vt_flt.nr - 1);
   UWord n = VT_PACK_D(p), pos = VT_PACK_POS(p), pending = VT_PACK_PENDING(p);
   UWord base = p & ~((7ULL << 39) | (0x3ffULL << 44) | (0x3ffULL << 54));
   for (UWord t = 1; t <= n; t++) {
      if (vt_flt.tag[VT_ACC_EXEC][i] == VT_FILTER_TAG(page, vt_flt.mark))
         return;
      vt_miss_fetch(base | ((pos + t) << 44) | ((pending + t) << 54));
   }
}

VG_REGPARM(1) void vt_refetch(UWord p)
{
   Addr page = p & 0xffffffffu & VT_PAGE_MASK;
   UInt i = (UInt)(page >> VT_PAGE_SHIFT) & (vt_flt.nr - 1);
   ULong held = VT_FILTER_TAG(page, vt_flt.mark);
   if (vt_flt.tag[VT_ACC_EXEC][i] != held) {
      /* the check the generated code would have made missed */
      p = (p & ~(3ULL << 42)) | ((ULong)VT_ACC_EXEC << 42);
      vt_miss_fetch(p);
      if (vt_flt.tag[VT_ACC_EXEC][i] != held)
         return;             /* still out: vt_flt.refetch_tag stays */
   } else if (vt_flt.stamp_after) {
      vt_filter_stamp(&vt_flt, VT_ACC_EXEC, page, VT_ORDER(vt_insns, VT_PACK_POS(p)));
   }
   vt_flt.refetch_tag = vt_flt.mark_tag;
}
