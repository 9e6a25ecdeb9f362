/* vt_instrument.c: VEX instrumentation.  Every guest load, store,
   instruction fetch, CAS, LL/SC and dirty-helper memory effect passes an
   inline check against the software TLB (vt_filter.c); only misses call
   the simulator.  Counters of instructions and references, and the check
   for a sample due (vt_sample.c), are added per superblock.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_tooliface.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_machine.h"
#include "pub_tool_vki.h"
#include "pub_tool_libcproc.h"
#include "vt_tool.h"
#include "vt_trace.h"

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
   Int    merged_store;      /* the statement whose write a load of the same
                                instruction already checked, or -1 */
   IRExpr *mark;             /* the filter's epoch mark, loaded at the
                                superblock's entry, or NULL (always 0) */
   IRExpr *anchor;           /* &vt_insns, loaded at the superblock's entry */
   IRExpr *tlb_base;         /* --tlb: vt_tlb_clock as loaded since the
                                counters were last updated, or NULL */
   UInt   tlb_idx;           /* --tlb: ref_idx when vt_tlb_clock last moved */
   Bool   tlb_data;          /* --tlb: a data access checked since the last
                                fetch check */
   Bool   tlb_nostamp;       /* --tlb: this check needs no stamp */
   Addr   fetch_page;        /* --ram: the page whose tag fetch_tag is, or 1 */
   IRExpr *fetch_tag;        /* --ram: page | mark of the last fetch check */
};


static IRExpr *tmp_of(struct ictx *c, IRExpr *e, IRType ty)
{
   if (e->tag == Iex_RdTmp || e->tag == Iex_Const)
      return e;
   IRTemp t = newIRTemp(c->sb->tyenv, ty);
   addStmtToIRSB(c->sb, IRStmt_WrTmp(t, e));
   return IRExpr_RdTmp(t);
}

/* The tool's globals are addressed from one register (an anchor loaded
   once per superblock) plus a displacement: a constant address would
   cost the generated code a 10-byte immediate move at every use (the
   counters at every exit). */
static Addr vt_anchor;

static IRExpr *gaddr(struct ictx *c, const void *p)
{
   /* a temporary of its own for each use, so that the tree builder can
      fold it into the access's addressing mode */
   return tmp_of(c, IRExpr_Binop(Iop_Add64, c->anchor,
                                 IRExpr_Const(IRConst_U64((ULong)((Addr)p - vt_anchor)))),
                 Ity_I64);
}

static IRExpr *bin(struct ictx *c, IROp op, IRExpr *a, IRExpr *b, IRType ty)
{
   return tmp_of(c, IRExpr_Binop(op, a, b), ty);
}

/* --trace-out-file: *vt_rec_ptr++ = word (if guard, when not NULL).  The
   pointer lives in memory, not in a temporary: a helper called between two
   records may hand the buffer to the writer (vt_rec_flush) and reset it. */
static void add_record(struct ictx *c, IRExpr *word, IRExpr *guard)
{
   IRExpr *pa = gaddr(c, &vt_rec_ptr);
   IRExpr *p = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64, pa), Ity_I64);
   word = tmp_of(c, word, Ity_I64);
   IRExpr *step = IRExpr_Const(IRConst_U64(8));
   if (guard) {
      addStmtToIRSB(c->sb, IRStmt_StoreG(Iend_LE, p, word, guard));
      step = tmp_of(c, IRExpr_ITE(guard, step, IRExpr_Const(IRConst_U64(0))), Ity_I64);
   } else {
      addStmtToIRSB(c->sb, IRStmt_Store(Iend_LE, p, word));
   }
   addStmtToIRSB(c->sb, IRStmt_Store(Iend_LE, pa, bin(c, Iop_Add64, p, step, Ity_I64)));
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
   UInt pos = c->ref_idx < VT_POS_MAX ? c->ref_idx++ : VT_POS_MAX;
   UWord arg = (UWord)size | ((UWord)acc << 16) | ((UWord)pos << 18) |
               ((UWord)c->pending_insns << 32);
   addr = tmp_of(c, addr, Ity_I64);
   c->tlb_data = acc != VT_ACC_EXEC;
   if (vt_recording)
      add_record(c, IRExpr_Binop(Iop_Or64, addr,
                                 IRExpr_Const(IRConst_U64(VT_TRAW(0, size, acc)))), guard);
   IRExpr *cond = guard;
   if (vt_clo.fast_path) {
      /* slot = table + ((addr >> 9) & ((N-1) << 3)); hit iff *slot equals
         the page of the access's last byte (then the first byte's page is
         the same one: a straddling access always misses). */
      ULong *table = vt_flt.tag[acc];
      IRExpr *sh = bin(c, Iop_Shr64, addr,
                       IRExpr_Const(IRConst_U8(VT_PAGE_SHIFT - 3)), Ity_I64);
      IRExpr *off = bin(c, Iop_And64, sh,
                        IRExpr_Const(IRConst_U64((ULong)(vt_flt.nr - 1) << 3)),
                        Ity_I64);
      IRExpr *ea = bin(c, Iop_Add64, off,
                       IRExpr_Const(IRConst_U64((ULong)(Addr)table)), Ity_I64);
      /* a constant address (an instruction fetch): its slot's, from the
         anchor */
      if (addr->tag == Iex_Const)
         ea = gaddr(c, &table[(addr->Iex.Const.con->Ico.U64 >> VT_PAGE_SHIFT) &
                              (vt_flt.nr - 1)]);
      IRExpr *tag = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64, ea), Ity_I64);
      IRExpr *last = addr;
      if (size > 1)
         last = bin(c, Iop_Add64, addr, IRExpr_Const(IRConst_U64(size - 1)), Ity_I64);
      IRExpr *lastpage;
      IRExpr *miss;
      if (c->mark && addr->tag == Iex_Const && !vt_flt.count_hits && !vt_mm.tlb) {
         /* an instruction fetch: tag ^ mark against the page, a constant
            the compare takes as an immediate (the marks lie below the
            page's bits; an empty slot's high bits never match) */
         lastpage = bin(c, Iop_And64, last,
                        IRExpr_Const(IRConst_U64(VT_PAGE_MASK)), Ity_I64);
         miss = bin(c, Iop_CmpNE64, bin(c, Iop_Xor64, tag, c->mark, Ity_I64), lastpage,
                    Ity_I1);
      } else {
         /* --ram with counted hits checks every fetch with page | mark (the
            stamp's compare too): made once per superblock and page (from
            one page to another: the last one kept) */
         Bool keep = vt_mm.nr_sims && addr->tag == Iex_Const && !vt_mm.tlb;
         Addr kpage = keep ? (addr->Iex.Const.con->Ico.U64 + size - 1) & VT_PAGE_MASK : 1;
         if (keep && kpage == c->fetch_page) {
            lastpage = c->fetch_tag;
         } else {
            lastpage = bin(c, Iop_And64, last,
                           IRExpr_Const(IRConst_U64(VT_PAGE_MASK)), Ity_I64);
            if (c->mark)
               lastpage = bin(c, Iop_Or64, lastpage, c->mark, Ity_I64);
            if (keep) {
               c->fetch_page = kpage;
               c->fetch_tag = lastpage;
            }
         }
         miss = bin(c, Iop_CmpNE64, tag, lastpage, Ity_I1);
      }
      cond = guard ? bin(c, Iop_And1, guard, miss, Ity_I1) : miss;
      if (vt_flt.count_hits) {
         /* on a hit: stamp[slot] = VT_ORDER(vt_insns, position);
            count[slot] += 1 if a policy reads the counts (LFU) */
         UInt t = acc == VT_ACC_WRITE ? 1 : acc == VT_ACC_EXEC ? 2 : 0;
         IRExpr *hit = bin(c, Iop_CmpEQ64, tag, lastpage, Ity_I1);
         if (guard)
            hit = bin(c, Iop_And1, guard, hit, Ity_I1);
         if (!c->stamp_base) {   /* once until vt_insns next changes */
            IRExpr *now = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64, gaddr(c, &vt_insns)),
                                 Ity_I64);
            c->stamp_base = bin(c, Iop_Shl64, now, IRExpr_Const(IRConst_U8(VT_STAMP_SHIFT)),
                                Ity_I64);
         }
         IRExpr *stamp = bin(c, Iop_Or64, c->stamp_base, IRExpr_Const(IRConst_U64(pos + 1)),
                             Ity_I64);
         /* the slot's stamp and count lie at a fixed distance from its
            tag (the same struct): an address mode of the tag's address */
         IRExpr *sa = bin(c, Iop_Add64, ea,
                          IRExpr_Const(IRConst_U64((ULong)((Addr)vt_flt.hit_stamp[t] -
                                                           (Addr)table))), Ity_I64);
         addStmtToIRSB(c->sb, IRStmt_StoreG(Iend_LE, sa, stamp, hit));
         if (vt_flt.count_n) {   /* else the stamp says there were hits */
            IRExpr *ca = bin(c, Iop_Add64, ea,
                             IRExpr_Const(IRConst_U64((ULong)((Addr)vt_flt.hit_count[t] -
                                                              (Addr)table))), Ity_I64);
            IRExpr *cnt = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64, ca), Ity_I64);
            IRExpr *inc = bin(c, Iop_Add64, cnt, IRExpr_Const(IRConst_U64(1)), Ity_I64);
            addStmtToIRSB(c->sb, IRStmt_StoreG(Iend_LE, ca, inc, hit));
         }
      }
      if (vt_mm.tlb && !c->tlb_nostamp) {
         /* --tlb: on a hit, the TLB's stamp[slot] = vt_tlb_clock + position
            (the reference's number: vt_tlb_set_time) */
         IRExpr *hit = bin(c, Iop_CmpEQ64, tag, lastpage, Ity_I1);
         if (guard)
            hit = bin(c, Iop_And1, guard, hit, Ity_I1);
         if (!c->tlb_base)
            c->tlb_base = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64,
                                    IRExpr_Const(IRConst_U64((ULong)(Addr)&vt_tlb_clock))),
                                 Ity_I64);
         IRExpr *n = bin(c, Iop_Add64, c->tlb_base, IRExpr_Const(IRConst_U64(pos)), Ity_I64);
         IRExpr *sa = bin(c, Iop_Add64, off,
                          IRExpr_Const(IRConst_U64((ULong)(Addr)vt_tlb_stamps(vt_mm.tlb, acc))),
                          Ity_I64);
         addStmtToIRSB(c->sb, IRStmt_StoreG(Iend_LE, sa, n, hit));
      }
   }
   IRDirty *d;
   Bool packs = c->cur_ip < (1ULL << 32) && size < 1024 && pos < 1024 &&
                c->pending_insns < 1024;
   if (packs && acc == VT_ACC_EXEC)
      d = unsafeIRDirty_0_N(1, "vt_miss_fetch", VG_(fnptr_to_fnentry)(vt_miss_fetch),
                            mkIRExprVec_1(IRExpr_Const(IRConst_U64(
                               VT_MISS_PACK(c->cur_ip, size, acc, pos, c->pending_insns)))));
   else if (packs)
      d = unsafeIRDirty_0_N(2, "vt_miss_packed", VG_(fnptr_to_fnentry)(vt_miss_packed),
                            mkIRExprVec_2(addr, IRExpr_Const(IRConst_U64(
                               VT_MISS_PACK(c->cur_ip, size, acc, pos, c->pending_insns)))));
   else
      d = unsafeIRDirty_0_N(3, "vt_miss", VG_(fnptr_to_fnentry)(vt_miss),
                            mkIRExprVec_3(addr, IRExpr_Const(IRConst_U64(arg)),
                                          IRExpr_Const(IRConst_U64(c->cur_ip))));
   if (cond)
      d->guard = cond;
   addStmtToIRSB(c->sb, IRStmt_Dirty(d));
}

/* *ctr += n; the new value (NULL if n is 0). */
static IRExpr *add_counter(struct ictx *c, ULong *ctr, UInt n)
{
   if (n == 0)
      return NULL;
   IRExpr *old = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64, gaddr(c, ctr)), Ity_I64);
   IRExpr *nw = bin(c, Iop_Add64, old, IRExpr_Const(IRConst_U64(n)), Ity_I64);
   addStmtToIRSB(c->sb, IRStmt_Store(Iend_LE, gaddr(c, ctr), nw));
   return nw;
}


static void flush_counters(struct ictx *c)
{
   IRExpr *insns = add_counter(c, &vt_insns, c->pending_insns);
   if (insns && vt_recording)        /* the clock from here on */
      add_record(c, IRExpr_Binop(Iop_Or64, insns, IRExpr_Const(IRConst_U64(VT_TRAW_TIME))),
                 NULL);
   add_counter(c, &vt_refs, c->pending_refs);
   if (vt_mm.tlb && c->ref_idx != c->tlb_idx) {
      /* past every number this superblock's positions gave so far */
      add_counter(c, &vt_tlb_clock, c->ref_idx + 1);
      c->tlb_idx = c->ref_idx;
      c->tlb_base = NULL;
   }
   c->pending_insns = c->pending_refs = 0;
   c->stamp_base = NULL;     /* vt_insns may have changed */
}

/* At the entry of every superblock (whichever exit the previous one took):
   if (vt_insns >= vt_next_sample) vt_sample_tick(). */
static void add_sample_check(struct ictx *c)
{
   if (!vt_clo.timeline && !vt_mm.nr_sims)
      return;
   IRExpr *now = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64, gaddr(c, &vt_insns)), Ity_I64);
   IRExpr *next = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64, gaddr(c, &vt_next_sample)), Ity_I64);
   IRExpr *due = bin(c, Iop_CmpLE64U, next, now, Ity_I1);
   IRDirty *d = unsafeIRDirty_0_N(0, "vt_sample_tick",
                                  VG_(fnptr_to_fnentry)(vt_sample_tick),
                                  mkIRExprVec_0());
   d->guard = due;
   addStmtToIRSB(c->sb, IRStmt_Dirty(d));
}

/* The signal a jump of this kind makes the instruction raise, or 0.  An
   undecodable instruction gets SIGILL (Valgrind's "unhandled instruction"). */
static Int jump_signal(IRJumpKind jk)
{
   switch (jk) {
   case Ijk_NoDecode: case Ijk_SigILL: return VKI_SIGILL;
   case Ijk_SigTRAP: return VKI_SIGTRAP;
   case Ijk_SigSEGV: return VKI_SIGSEGV;
   case Ijk_SigBUS: return VKI_SIGBUS;
   case Ijk_SigFPE: case Ijk_SigFPE_IntDiv: case Ijk_SigFPE_IntOvf: return VKI_SIGFPE;
   default: return 0;
   }
}

/* Before a jump that raises a signal: note it (vt_signal.c), under the
   jump's guard. */
static void add_signal_note(struct ictx *c, IRJumpKind jk, IRExpr *guard)
{
   Int sig = jump_signal(jk);
   if (!sig)
      return;
   IRDirty *d = unsafeIRDirty_0_N(1, "vt_signal_sync", VG_(fnptr_to_fnentry)(vt_signal_sync),
                                  mkIRExprVec_1(IRExpr_Const(IRConst_U64((ULong)sig))));
   if (guard)
      d->guard = guard;
   addStmtToIRSB(c->sb, IRStmt_Dirty(d));
}

/* An integer division by zero traps (#DE: SIGFPE).  The division runs on
   the host, whose trap Valgrind turns into the client's SIGFPE without
   telling the tool: note it before, under the condition "divisor is 0". */
static void add_division_check(struct ictx *c, IRExpr *e)
{
   if (e->tag != Iex_Binop)
      return;
   IRType ty;
   switch (e->Iex.Binop.op) {
   case Iop_DivU32: case Iop_DivS32: case Iop_DivU32E: case Iop_DivS32E:
   case Iop_DivModU64to32: case Iop_DivModS64to32:
   case Iop_DivModS32to32: case Iop_DivModU32to32:
      ty = Ity_I32;
      break;
   case Iop_DivU64: case Iop_DivS64: case Iop_DivU64E: case Iop_DivS64E:
   case Iop_DivModU128to64: case Iop_DivModS128to64:
   case Iop_DivModS64to64: case Iop_DivModU64to64:
      ty = Ity_I64;
      break;
   default:
      return;
   }
   IRExpr *d = e->Iex.Binop.arg2;
   IRExpr *zero = bin(c, ty == Ity_I32 ? Iop_CmpEQ32 : Iop_CmpEQ64, d,
                      IRExpr_Const(ty == Ity_I32 ? IRConst_U32(0) : IRConst_U64(0)), Ity_I1);
   IRDirty *dc = unsafeIRDirty_0_N(1, "vt_signal_sync", VG_(fnptr_to_fnentry)(vt_signal_sync),
                                   mkIRExprVec_1(IRExpr_Const(IRConst_U64(VKI_SIGFPE))));
   dc->guard = zero;
   addStmtToIRSB(c->sb, IRStmt_Dirty(dc));
}

static UInt size_of(IRSB *sb, IRExpr *e)
{
   return (UInt)sizeofIRType(typeOfIRExpr(sb->tyenv, e));
}

static Bool same_address(const IRExpr *a, const IRExpr *b)
{
   if (a->tag == Iex_RdTmp && b->tag == Iex_RdTmp)
      return a->Iex.RdTmp.tmp == b->Iex.RdTmp.tmp;
   if (a->tag == Iex_Const && b->tag == Iex_Const)
      return a->Iex.Const.con->tag == Ico_U64 && b->Iex.Const.con->tag == Ico_U64 &&
             a->Iex.Const.con->Ico.U64 == b->Iex.Const.con->Ico.U64;
   return False;
}

/* A read-modify-write instruction (add to memory, xadd, inc...): the load
   at statement i and a later store (or compare-and-swap) of the same
   instruction to the same address and size.  The CPU takes one fault for
   it, a write fault (the kernel sees FAULT_FLAG_WRITE), not a read fault
   then a write fault: it is checked once, as a write, where the load is
   (as Cachegrind merges the two into a modify).  The statement index of
   the store, or -1. */
static Int rmw_store(IRSB *sb, Int i, const IRExpr *addr, UInt size)
{
   for (Int k = i + 1; k < sb->stmts_used; k++) {
      IRStmt *st = sb->stmts[k];
      if (st->tag == Ist_IMark || st->tag == Ist_Exit)
         return -1;
      if (st->tag == Ist_Store && same_address(st->Ist.Store.addr, addr) &&
          size_of(sb, st->Ist.Store.data) == size)
         return k;
      if (st->tag == Ist_CAS && same_address(st->Ist.CAS.details->addr, addr) &&
          size_of(sb, st->Ist.CAS.details->dataLo) *
             (st->Ist.CAS.details->dataHi ? 2 : 1) == size)
         return k;
   }
   return -1;
}

IRSB *vt_instrument(VgCallbackClosure *closure, IRSB *in,
                    const VexGuestLayout *layout, const VexGuestExtents *vge,
                    const VexArchInfo *archinfo_host, IRType gWordTy,
                    IRType hWordTy)
{
   (void)closure; (void)layout; (void)vge; (void)archinfo_host;
   if (gWordTy != Ity_I64 || hWordTy != Ity_I64)
      VG_(tool_panic)("vmtrace supports 64-bit guests only");
   struct ictx c = { deepCopyIRSBExceptStmts(in), 0, 0, 1, 0, 0, NULL, -1, NULL, NULL, NULL, 0,
                     False, False, 1, NULL };
   Int i = 0;
   for (; i < in->stmts_used && in->stmts[i]->tag != Ist_IMark; i++)
      addStmtToIRSB(c.sb, in->stmts[i]);
   vt_anchor = (Addr)&vt_insns;
   c.anchor = tmp_of(&c, IRExpr_Load(Iend_LE, Ity_I64,
                                     IRExpr_Const(IRConst_U64((ULong)(Addr)&vt_anchor))),
                     Ity_I64);
   add_sample_check(&c);
   /* The epoch's mark (vt_filter_epoch) changes only in vt_sample_tick,
      so once here, after it, holds for the whole superblock. */
   if (vt_clo.fast_path && vt_clo.timeline)
      c.mark = tmp_of(&c, IRExpr_Load(Iend_LE, Ity_I64,
                                      gaddr(&c, &vt_flt.mark)),
                      Ity_I64);
   if (vt_recording) {
      /* room for this superblock's records, else the buffer to the writer */
      IRExpr *p = tmp_of(&c, IRExpr_Load(Iend_LE, Ity_I64,
                            gaddr(&c, &vt_rec_ptr)), Ity_I64);
      IRExpr *full = bin(&c, Iop_CmpLT64U,
                         IRExpr_Const(IRConst_U64((ULong)(Addr)&vt_rec_buf[VT_REC_WORDS -
                                                                             VT_REC_SB_MAX])),
                         p, Ity_I1);
      IRDirty *d = unsafeIRDirty_0_N(0, "vt_rec_flush", VG_(fnptr_to_fnentry)(vt_rec_flush),
                                     mkIRExprVec_0());
      d->guard = full;
      addStmtToIRSB(c.sb, IRStmt_Dirty(d));
   }

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
            evict the page or clear its referenced bit in between.  With
            the TLB model it is a hit on the most recent entry of the
            first level (only fetches use it), which changes nothing,
            unless a data access's fault flushed the page's entries in
            between: then the filter no longer holds the page, and a check
            without a stamp finds that. */
         if (!same || !vt_clo.fast_path || vt_mm.nr_sims || vt_recording) {
            add_check(&c, IRExpr_Const(IRConst_U64(a)), len ? len : 1,
                      VT_ACC_EXEC, NULL);
         } else if (vt_mm.tlb && c.tlb_data) {
            c.tlb_nostamp = True;
            add_check(&c, IRExpr_Const(IRConst_U64(a)), len ? len : 1,
                      VT_ACC_EXEC, NULL);
            c.tlb_nostamp = False;
         } else {
            c.pending_refs++;
         }
         if (same || ((a + (len ? len : 1) - 1) & VT_PAGE_MASK) == page)
            c.last_fetch_page = page;
         else
            c.last_fetch_page = 1;
         continue;
      }
      case Ist_WrTmp:
         add_division_check(&c, st->Ist.WrTmp.data);
         if (st->Ist.WrTmp.data->tag == Iex_Load) {
            IRExpr *ld = st->Ist.WrTmp.data;
            UInt size = (UInt)sizeofIRType(ld->Iex.Load.ty);
            Int k = rmw_store(in, i, ld->Iex.Load.addr, size);
            if (k >= 0)
               c.merged_store = k;
            add_check(&c, ld->Iex.Load.addr, size, k >= 0 ? VT_ACC_WRITE : VT_ACC_READ,
                      NULL);
         }
         break;
      case Ist_Store:
         if (i != c.merged_store)
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
         if (i != c.merged_store)
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
         if (vt_recording)             /* the superblock ends if it is taken */
            add_record(&c, IRExpr_Const(IRConst_U64(VT_TRAW_SB_END)), st->Ist.Exit.guard);
         add_signal_note(&c, st->Ist.Exit.jk, st->Ist.Exit.guard);
         break;
      default:
         break;
      }
      addStmtToIRSB(c.sb, st);
   }
   flush_counters(&c);
   if (vt_recording)
      add_record(&c, IRExpr_Const(IRConst_U64(VT_TRAW_SB_END)), NULL);
   add_signal_note(&c, in->jumpkind, NULL);
   return c.sb;
}
