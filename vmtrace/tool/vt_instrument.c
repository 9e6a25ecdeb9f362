/* vt_instrument.c: VEX instrumentation.  Every guest load, store,
   instruction fetch, CAS, LL/SC and dirty-helper memory effect passes an
   inline check against the software TLB; only misses call the simulator.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_tooliface.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_machine.h"
#include "pub_tool_vki.h"
#include "pub_tool_libcproc.h"
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
#define STAMP_SHIFT 16
#define POS_MAX     0x3fffu   /* positions in a superblock: 14 bits of arg */
static ULong hit_stamp[3][VT_TLB_ENTRIES];
static ULong hit_count[3][VT_TLB_ENTRIES];
static Bool count_hits;

/* The hits of one slot, before it is emptied or refilled. */
static inline void slot_deliver(UInt t, UInt i, ULong tag)
{
   if (hit_count[t][i]) {
      ULong n = hit_count[t][i];
      hit_count[t][i] = 0;
      vt_mm_sims_note_hits(&vt_mm, tag, n, hit_stamp[t][i] >> STAMP_SHIFT, hit_stamp[t][i]);
   }
}

/* Every slot's hits.  In any order: the policies order pages by the time
   and order delivered with them, not by when they learn of them. */
void vt_hits_flush(void)
{
   if (!count_hits)
      return;
   for (UInt i = 0; i < VT_TLB_ENTRIES; i++) {
      slot_deliver(0, i, vt_tlb_read[i]);
      slot_deliver(1, i, vt_tlb_write[i]);
      slot_deliver(2, i, vt_tlb_exec[i]);
   }
}

void vt_hits_init(void)
{
   count_hits = vt_clo.fast_path && vt_mm.sims_every;
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
   if (count_hits) {
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
   vt_set_clock(&vt_mm, vt_insns, vt_insns, (vt_insns << STAMP_SHIFT) | 0xffff);
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
static VG_REGPARM(3) void vt_miss(Addr a, UWord arg, Addr ip)
{
   UWord size = arg & 0xffff;
   vt_fault_ip = ip;
   vt_misses++;
   enum vt_access acc = (enum vt_access)((arg >> 16) & 3);
   /* the simulations' time: superblock granularity (see vt_core.h) */
   vt_set_clock(&vt_mm, vt_insns + (arg >> 32), vt_insns,
                (vt_insns << STAMP_SHIFT) | ((arg >> 18) & POS_MAX));
   Addr first = a & VT_PAGE_MASK, last = (a + size - 1) & VT_PAGE_MASK;
   access_page(first, acc);
   for (Addr p = first + VT_PAGE_SIZE; p <= last && p != 0; p += VT_PAGE_SIZE)
      access_page(p, acc);
   vt_fault_ip = 0;
}

/* ---- IR construction ------------------------------------------------ */

struct ictx {
   IRSB  *sb;
   UInt   pending_insns;     /* IMarks since the counters were updated */
   UInt   pending_refs;
   Addr   last_fetch_page;   /* page of the last checked fetch, or 1 */
   Addr   cur_ip;            /* the instruction being instrumented */
   UInt   ref_idx;           /* accesses checked so far in this superblock */
   IRExpr *stamp_base;       /* vt_insns << 16 as loaded since the counters
                                were last updated, or NULL */
};

static IRExpr *tmp_of(struct ictx *c, IRExpr *e, IRType ty)
{
   if (e->tag == Iex_RdTmp || e->tag == Iex_Const)
      return e;
   IRTemp t = newIRTemp(c->sb->tyenv, ty);
   addStmtToIRSB(c->sb, IRStmt_WrTmp(t, e));
   return IRExpr_RdTmp(t);
}

static IRExpr *bin(struct ictx *c, IROp op, IRExpr *a, IRExpr *b, IRType ty)
{
   return tmp_of(c, IRExpr_Binop(op, a, b), ty);
}

/* Emit: if (guard && tlb[page(addr)] != page(addr + size - 1)) miss(). */
static void add_check(struct ictx *c, IRExpr *addr, UInt size,
                      enum vt_access acc, IRExpr *guard)
{
   if (size == 0)
      return;
   if (size > 0xffff)
      size = 0xffff;
   c->pending_refs++;
   /* the access's position in the superblock: its order among the
      references of this time step (vt_sim_set_order) */
   UInt pos = c->ref_idx < POS_MAX ? c->ref_idx++ : POS_MAX;
   UWord arg = (UWord)size | ((UWord)acc << 16) | ((UWord)pos << 18) |
               ((UWord)c->pending_insns << 32);
   addr = tmp_of(c, addr, Ity_I64);
   IRExpr *cond = guard;
   if (vt_clo.fast_path) {
      /* slot = table + ((addr >> 9) & ((N-1) << 3)); hit iff *slot equals
         the page of the access's last byte (then the first byte's page is
         the same one: a straddling access always misses). */
      ULong *table = acc == VT_ACC_WRITE ? vt_tlb_write
                   : acc == VT_ACC_EXEC ? vt_tlb_exec : vt_tlb_read;
      IRExpr *sh = bin(c, Iop_Shr64, addr,
                       IRExpr_Const(IRConst_U8(VT_PAGE_SHIFT - 3)), Ity_I64);
      IRExpr *off = bin(c, Iop_And64, sh,
                        IRExpr_Const(IRConst_U64((ULong)(VT_TLB_ENTRIES - 1) << 3)),
                        Ity_I64);
      IRExpr *ea = bin(c, Iop_Add64, off,
                       IRExpr_Const(IRConst_U64((ULong)(Addr)table)), Ity_I64);
      IRExpr *tag = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64, ea), Ity_I64);
      IRExpr *last = addr;
      if (size > 1)
         last = bin(c, Iop_Add64, addr, IRExpr_Const(IRConst_U64(size - 1)), Ity_I64);
      IRExpr *lastpage = bin(c, Iop_And64, last,
                             IRExpr_Const(IRConst_U64(VT_PAGE_MASK)), Ity_I64);
      IRExpr *miss = bin(c, Iop_CmpNE64, tag, lastpage, Ity_I1);
      cond = guard ? bin(c, Iop_And1, guard, miss, Ity_I1) : miss;
      if (count_hits) {
         /* on a hit: stamp[slot] = (vt_insns << 16) | position;
            count[slot] += 1 */
         UInt t = acc == VT_ACC_WRITE ? 1 : acc == VT_ACC_EXEC ? 2 : 0;
         IRExpr *hit = bin(c, Iop_CmpEQ64, tag, lastpage, Ity_I1);
         if (guard)
            hit = bin(c, Iop_And1, guard, hit, Ity_I1);
         if (!c->stamp_base) {   /* once until vt_insns next changes */
            IRExpr *now = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64,
                                    IRExpr_Const(IRConst_U64((ULong)(Addr)&vt_insns))), Ity_I64);
            c->stamp_base = bin(c, Iop_Shl64, now, IRExpr_Const(IRConst_U8(STAMP_SHIFT)),
                                Ity_I64);
         }
         IRExpr *stamp = bin(c, Iop_Or64, c->stamp_base, IRExpr_Const(IRConst_U64(pos)),
                             Ity_I64);
         IRExpr *sa = bin(c, Iop_Add64, off,
                          IRExpr_Const(IRConst_U64((ULong)(Addr)hit_stamp[t])), Ity_I64);
         addStmtToIRSB(c->sb, IRStmt_StoreG(Iend_LE, sa, stamp, hit));
         IRExpr *ca = bin(c, Iop_Add64, off,
                          IRExpr_Const(IRConst_U64((ULong)(Addr)hit_count[t])), Ity_I64);
         IRExpr *cnt = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64, ca), Ity_I64);
         IRExpr *inc = bin(c, Iop_Add64, cnt, IRExpr_Const(IRConst_U64(1)), Ity_I64);
         addStmtToIRSB(c->sb, IRStmt_StoreG(Iend_LE, ca, inc, hit));
      }
   }
   IRDirty *d = unsafeIRDirty_0_N(3, "vt_miss", VG_(fnptr_to_fnentry)(vt_miss),
                                  mkIRExprVec_3(addr, IRExpr_Const(IRConst_U64(arg)),
                                                IRExpr_Const(IRConst_U64(c->cur_ip))));
   if (cond)
      d->guard = cond;
   addStmtToIRSB(c->sb, IRStmt_Dirty(d));
}

static void add_counter(struct ictx *c, ULong *ctr, UInt n)
{
   if (n == 0)
      return;
   IRExpr *ea = IRExpr_Const(IRConst_U64((ULong)(Addr)ctr));
   IRExpr *old = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64, ea), Ity_I64);
   IRExpr *nw = bin(c, Iop_Add64, old, IRExpr_Const(IRConst_U64(n)), Ity_I64);
   addStmtToIRSB(c->sb, IRStmt_Store(Iend_LE, ea, nw));
}

/* Closes samples whose end the clock has passed (vt_next_sample), and
   flushes the filter so each page's first reference in the new sample
   reaches the simulator (the working set and heatmap need exactly that). */
ULong vt_next_sample = ~0ULL;

static ULong next_wset_sample(void)
{
   return vt_clo.timeline ? vt_wset_next(&vt_mm) : ~0ULL;
}

/* Closes the open sample at the current clock, at wall-clock time wall_ms. */
static void take_sample(ULong wall_ms)
{
   ULong pss, uss;
   vt_share_pss(&pss, &uss);
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   vt_wset_sample(&vt_mm, vt_insns, wall_ms, pss, uss);
}

/* The next time vt_sample_tick must run: a sample boundary or a tick of a
   simulation's periodic work, whichever comes first. */
void vt_sample_init(void)
{
   vt_next_sample = next_wset_sample();
   if (vt_mm.nr_sims && vt_memsim_next_tick() < vt_next_sample)
      vt_next_sample = vt_memsim_next_tick();
}

static void vt_sample_tick(void)
{
   /* The simulations' periodic work (NRU resets, aging) first: it clears
      referenced bits, and references from now on must reach them. */
   if (vt_mm.nr_sims && vt_insns >= vt_memsim_next_tick())
      vt_memsim_advance(vt_insns);
   Bool sampled = False;
   while (vt_insns >= next_wset_sample()) {
      sampled = True;
      take_sample(vt_wall_ms());
   }
   vt_sample_init();
   if (sampled)
      vt_tlb_flush();
}

/* Closes the open sample unless one closed at this very instruction. */
static void close_sample(ULong wall_ms)
{
   const struct vt_wset *w = vt_mm.ws;
   if (w && !(w->nr && w->t[w->nr - 1] == vt_insns))
      take_sample(wall_ms);
}

/* At the end (exit, exec): the open sample is closed where the run ends. */
void vt_sample_final(void)
{
   close_sample(vt_wall_ms());
}

/* A sample now, between the regular ones, stamped with wall-clock time
   wall_ms: the moment the state it records began.  At fork: a process
   blocked in waitpid executes nothing, so its samples would not show the
   sharing; and the parent's sharing begins at the fork, before the child,
   which may already have taken samples of its own. */
void vt_sample_now_at(ULong wall_ms)
{
   if (!vt_mm.ws)
      return;
   close_sample(wall_ms);
   vt_sample_init();
   vt_tlb_flush();     /* a new sample: first references must be seen */
}

void vt_sample_now(void)
{
   vt_sample_now_at(vt_wall_ms());
}

static void flush_counters(struct ictx *c)
{
   add_counter(c, &vt_insns, c->pending_insns);
   add_counter(c, &vt_refs, c->pending_refs);
   c->pending_insns = c->pending_refs = 0;
   c->stamp_base = NULL;     /* vt_insns may have changed */
}

/* At the entry of every superblock (whichever exit the previous one took):
   if (vt_insns >= vt_next_sample) vt_sample_tick(). */
static void add_sample_check(struct ictx *c)
{
   if (!vt_clo.timeline && !vt_mm.nr_sims)
      return;
   IRExpr *now = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64,
                           IRExpr_Const(IRConst_U64((ULong)(Addr)&vt_insns))), Ity_I64);
   IRExpr *next = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64,
                            IRExpr_Const(IRConst_U64((ULong)(Addr)&vt_next_sample))),
                         Ity_I64);
   IRExpr *due = bin(c, Iop_CmpLE64U, next, now, Ity_I1);
   IRDirty *d = unsafeIRDirty_0_N(0, "vt_sample_tick",
                                  VG_(fnptr_to_fnentry)(vt_sample_tick),
                                  mkIRExprVec_0());
   d->guard = due;
   addStmtToIRSB(c->sb, IRStmt_Dirty(d));
}

static UInt size_of(IRSB *sb, IRExpr *e)
{
   return (UInt)sizeofIRType(typeOfIRExpr(sb->tyenv, e));
}

IRSB *vt_instrument(VgCallbackClosure *closure, IRSB *in,
                    const VexGuestLayout *layout, const VexGuestExtents *vge,
                    const VexArchInfo *archinfo_host, IRType gWordTy,
                    IRType hWordTy)
{
   (void)closure; (void)layout; (void)vge; (void)archinfo_host;
   if (gWordTy != Ity_I64 || hWordTy != Ity_I64)
      VG_(tool_panic)("vmtrace supports 64-bit guests only");
   struct ictx c = { deepCopyIRSBExceptStmts(in), 0, 0, 1, 0, 0, NULL };
   Int i = 0;
   for (; i < in->stmts_used && in->stmts[i]->tag != Ist_IMark; i++)
      addStmtToIRSB(c.sb, in->stmts[i]);
   add_sample_check(&c);

   for (; i < in->stmts_used; i++) {
      IRStmt *st = in->stmts[i];
      switch (st->tag) {
      case Ist_IMark: {
         Addr a = (Addr)st->Ist.IMark.addr;
         UInt len = st->Ist.IMark.len;
         addStmtToIRSB(c.sb, st);
         c.cur_ip = a;
         Addr page = a & VT_PAGE_MASK;
         Bool same = page == c.last_fetch_page &&
                     ((a + (len ? len : 1) - 1) & VT_PAGE_MASK) == page;
         c.pending_insns++;
         /* A second fetch from the same page in this superblock could
            change nothing, unless a simulation of limited memory can
            evict the page or clear its referenced bit in between. */
         if (!same || !vt_clo.fast_path || vt_mm.nr_sims)
            add_check(&c, IRExpr_Const(IRConst_U64(a)), len ? len : 1,
                      VT_ACC_EXEC, NULL);
         else
            c.pending_refs++;
         if (same || ((a + (len ? len : 1) - 1) & VT_PAGE_MASK) == page)
            c.last_fetch_page = page;
         else
            c.last_fetch_page = 1;
         continue;
      }
      case Ist_WrTmp:
         if (st->Ist.WrTmp.data->tag == Iex_Load) {
            IRExpr *ld = st->Ist.WrTmp.data;
            add_check(&c, ld->Iex.Load.addr, (UInt)sizeofIRType(ld->Iex.Load.ty),
                      VT_ACC_READ, NULL);
         }
         break;
      case Ist_Store:
         add_check(&c, st->Ist.Store.addr, size_of(in, st->Ist.Store.data),
                   VT_ACC_WRITE, NULL);
         break;
      case Ist_StoreG: {
         IRStoreG *sg = st->Ist.StoreG.details;
         add_check(&c, sg->addr, size_of(in, sg->data), VT_ACC_WRITE, sg->guard);
         break;
      }
      case Ist_LoadG: {
         IRLoadG *lg = st->Ist.LoadG.details;
         IRType ty = Ity_INVALID, wide = Ity_INVALID;
         typeOfIRLoadGOp(lg->cvt, &wide, &ty);
         add_check(&c, lg->addr, (UInt)sizeofIRType(ty), VT_ACC_READ, lg->guard);
         break;
      }
      case Ist_CAS: {
         IRCAS *cas = st->Ist.CAS.details;
         UInt sz = size_of(in, cas->dataLo) * (cas->dataHi ? 2 : 1);
         /* A locked compare-and-exchange always writes (x86 writes back
            the old value on failure), so it faults as a write. */
         add_check(&c, cas->addr, sz, VT_ACC_WRITE, NULL);
         break;
      }
      case Ist_LLSC:
         if (st->Ist.LLSC.storedata == NULL)
            add_check(&c, st->Ist.LLSC.addr,
                      (UInt)sizeofIRType(typeOfIRTemp(in->tyenv, st->Ist.LLSC.result)),
                      VT_ACC_READ, NULL);
         else
            add_check(&c, st->Ist.LLSC.addr, size_of(in, st->Ist.LLSC.storedata),
                      VT_ACC_WRITE, NULL);
         break;
      case Ist_Dirty: {
         IRDirty *d = st->Ist.Dirty.details;
         if (d->mFx != Ifx_None && d->mSize > 0)
            add_check(&c, d->mAddr, (UInt)d->mSize,
                      d->mFx == Ifx_Read ? VT_ACC_READ : VT_ACC_WRITE, d->guard);
         break;
      }
      case Ist_Exit:
         flush_counters(&c);
         break;
      default:
         break;
      }
      addStmtToIRSB(c.sb, st);
   }
   flush_counters(&c);
   return c.sb;
}
