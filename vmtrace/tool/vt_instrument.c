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
#include "pub_tool_aspacemgr.h"
#include "pub_tool_mallocfree.h"
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
   IRExpr *stamp_base;       /* vt_insns_drained << 16 as loaded since the counters
                                were last updated, or NULL */
   Int    merged_store;      /* the statement whose write a load of the same
                                instruction already checked, or -1 */
   IRExpr *mark;             /* the filter's epoch mark, loaded at the
                                superblock's entry, or NULL (always 0) */
   IRExpr *anchor;           /* &vt_insns_drained, loaded at the superblock's
                                entry */
   UInt   insn_refs;         /* references of the instruction so far */
   UInt   sb_insns;          /* instructions of the superblock so far */
   IRExpr *tlb_base;         /* --tlb: vt_tlb_clock as loaded since the
                                counters were last updated, or NULL */
   UInt   tlb_idx;           /* --tlb: ref_idx when vt_tlb_clock last moved */
   Bool   tlb_data;          /* --tlb: a data access checked since the last
                                fetch check */
   Bool   tlb_nostamp;       /* --tlb: this check needs no stamp */
   Addr   fetch_page;        /* --ram: the page whose tag fetch_tag is, or 1 */
   IRExpr *fetch_tag;        /* --ram: page | mark of the last fetch check */
   Int    refetch_pos;       /* stamp_after: the position of the last later
                                fetch (refetch_site) whose stamp is still to
                                be made, or -1 */
   Addr   refetch_page;      /* its page */
   Int    insn_fetch_pos;    /* the same if it is this instruction's fetch,
                                else -1 */
   UInt   follow_left;       /* refetch_sites: fetches still to come that
                                the last fetch site's handler delivers
                                (follow_ons), with no code of their own */
   UInt   fetch_follow;      /* the follow-ons of the fetch check being
                                made (VT_MISS_PACK's d of a fetch) */
   Bool   exit_tick;         /* exit_ticks: the counters were updated at
                                an exit and no reference followed yet */
   IRExpr *data_called;      /* --tlb: true if a data check since the
                                last fetch check called its handler (an
                                I1 temporary), or NULL */
   IRSB  *in;                /* the superblock being instrumented */
   Int    stmt;              /* the statement being instrumented */
   Addr   next_covered;      /* --tlb: the next instruction, whose fetch the
                                last data check's handler makes if the
                                page's entry went (cover_next), or 1 */
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

/* The anchor lives in a slot of every thread's first shadow guest state,
   which no other part uses: one load relative to the guest state's
   register (a GET) at each superblock's entry, where a load of vt_anchor
   took a 10-byte move of its address too.  A thread gets it before its
   first instruction; a clone copies its parent's shadow state and a
   signal frame saves and restores it. */
#define VT_ANCHOR_SLOT 0       /* the shadow of the guest state's first word */

void vt_instrument_thread_start(ThreadId tid)
{
   Addr a = (Addr)&vt_insns_drained;
   VG_(set_shadow_regs_area)(tid, 1, VT_ANCHOR_SLOT, sizeof a, (const UChar *)&a);
}

/* The packed clock (vt_tool.h): where a sample check drains it and
   nothing reads the clock inline: the hits' stamps (counted hits), the
   TLB's clock (--tlb) and the trace's time records read vt_insns (or
   move with it), so they keep the two counters. */
static Bool clock_packed(void)
{
   return (vt_clo.timeline || vt_mm.nr_sims) && !vt_flt.count_hits && !vt_mm.tlb &&
          !vt_recording;
}

/* The default run's checks take their mark from the clock (the epoch
   number, vt_insns >> vt_clock_mark_shift, mod 2^16, read from the
   packed clock), so that no
   superblock needs the sample check at its entry: after an epoch's start
   every entry's mark is older, the superblock's first check (an
   instruction fetch, at position 0) misses, and its handler runs the
   sample tick that was due (vt_sample_tick_due).  Only where every tick
   falls on an epoch's start (samples do; the progress line may wait): no
   simulation with periodic work (NRU, AGING: vt_memsim_next_tick), no TLB
   model or recording, which need their own ticks or clock.  With counted
   hits the clock is not packed: the epoch from vt_insns_drained. */
Bool vt_clock_mark;
static UInt vt_clock_mark_shift;

/* With simulations, a superblock's later instruction fetches from the
   page of its last fetch check (the same page, nothing checked between
   but data accesses) are checked only while vt_flt.refetch_tag says a
   fetch entry may be gone (refetch_site: a compare of that word with the
   mark's register and a conditional call, where a check had a load, an
   xor, a compare, or with counted hits the stamp's compare and store
   too), and only where a handler may have run since the last fetch site:
   the fetches after it with nothing between that could run one have no
   code, the site's handler sends them if need be (follow_ons).  Their
   stamps (vt_flt.stamp_after) are made at the superblock's exits, before
   its next fetch check, and by the miss handlers of their instruction's
   data accesses (VT_MISS_PACK's d).  Not with a policy that counts hits
   (LFU), --tlb or recording. */
static Bool refetch_sites;

/* A simulation with periodic work (NRU, AGING) ticks before the first
   reference that sees its clock at or past the period's next multiple
   (vt_sim_advance), and the host must run that tick before it absorbs
   such a reference.  The clock (vt_insns, the simulations' time) moves at
   every exit of a superblock, taken or not, so it may pass a tick within
   one, where no sample check is: between two iterations of a loop VEX
   unrolled, or within an instruction, before its access (movaps's
   alignment check).  With every reference passed on (--fast-path=no) the
   first reference after the exit ticks, and the references after it set
   their pages' referenced bits again; the fast path absorbed those as
   hits and ticked at its next miss, after them, leaving their bits
   cleared (NRU on gzip -6 at --ram=96K: one fault in 32 million more;
   tests/memsim/run's unrolled loop: 1,300 faults per 1,000 iterations
   where there is one each).  So with the fast path the first reference
   after an exit (its instruction's fetch, or an access of the exit's own
   instruction) is preceded by the sample check's test, whose handler runs
   the simulations' tick if one is due (vt_sample_exit_tick); the samples
   wait for the next superblock's entry. */
static Bool exit_ticks;

void vt_instrument_init(void)
{
   exit_ticks = vt_clo.fast_path && vt_mm.nr_sims && vt_memsim_next_tick() != ~0ULL;
   refetch_sites = vt_clo.fast_path && vt_mm.nr_sims && !vt_mm.tlb && !vt_recording &&
                   !vt_flt.count_n;
   if (refetch_sites && vt_flt.count_hits)
      vt_filter_set_stamp_after(&vt_flt);
   vt_clock_mark = vt_clo.fast_path && vt_clo.timeline && vt_mm.ws && !vt_mm.tlb &&
                   !vt_recording && (!vt_mm.nr_sims || vt_memsim_next_tick() == ~0ULL);
   if (vt_clock_mark) {
      ULong g = vt_mm.ws->cfg.epoch;
      while ((1ULL << vt_clock_mark_shift) < g)
         vt_clock_mark_shift++;
      if ((1ULL << vt_clock_mark_shift) != g)
         vt_clock_mark = False;
   }
}

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

/* ---- miss stubs ------------------------------------------------------
   A check's miss call passes the packed constant (VT_MISS_PACK) as an
   argument, which the generated code sets up whether the call is taken or
   not: a 10-byte immediate move and a register move at every check.
   Instead, each check site may call a stub of its own that loads the
   constant and jumps to the handler: the site passes only the address (an
   instruction fetch nothing).  On amd64 only, in memory of Valgrind's own
   (executable), one stub per constant, kept for retranslations; past
   VT_STUB_MAX bytes the sites pass the constant again. */
#if defined(VGA_amd64)
#define VT_STUB_SIZE  32        /* a stub of one constant; of two, 48 */
#define VT_STUB_CHUNK (1u << 20)
#define VT_STUB_MAX   (64u << 20)
/* The stubs by constant: open addressing, a power of two of slots, at
   most half full (a constant is never 0: the size is at least 1). */
static ULong *stub_keys, *stub_keys2;   /* a stub of two constants
                                           (vt_miss_packed_next's): the
                                           second, else 0 */
static void **stub_code;
static UInt stub_mask, stub_used;
static UChar *stub_cur, *stub_end;
static SizeT stub_total;

static UInt stub_slot(ULong k, ULong k2)
{
   UInt i = (UInt)(((k ^ (k2 * 0xC2B2AE3D27D4EB4FULL)) * 0x9E3779B97F4A7C15ULL) >> 40) &
            stub_mask;
   while (stub_keys[i] && (stub_keys[i] != k || stub_keys2[i] != k2))
      i = (i + 1) & stub_mask;
   return i;
}

static void stub_grow(void)
{
   ULong *ok = stub_keys, *ok2 = stub_keys2;
   void **oc = stub_code;
   UInt on = ok ? stub_mask + 1 : 0;
   stub_mask = on ? 2 * on - 1 : 4095;
   stub_keys = VG_(calloc)("vmtrace.stubs", stub_mask + 1, sizeof *stub_keys);
   stub_keys2 = VG_(calloc)("vmtrace.stubs", stub_mask + 1, sizeof *stub_keys2);
   stub_code = VG_(malloc)("vmtrace.stubs", (stub_mask + 1) * sizeof *stub_code);
   for (UInt j = 0; j < on; j++)
      if (ok[j]) {
         UInt i = stub_slot(ok[j], ok2[j]);
         stub_keys[i] = ok[j];
         stub_keys2[i] = ok2[j];
         stub_code[i] = oc[j];
      }
   if (ok) {
      VG_(free)(ok);
      VG_(free)(ok2);
      VG_(free)(oc);
   }
}

static UChar *put_movabs(UChar *p, UChar rex, UChar op, ULong imm)
{
   *p++ = rex;
   *p++ = op;
   for (int i = 0; i < 8; i++)
      *p++ = (UChar)(imm >> (8 * i));
   return p;
}

/* The stub for packed constant k to handler fn, its argument register
   (rdi: 0xBF, rsi: 0xBE), and if k2 is not 0 a second constant in rdx,
   or NULL. */
static void *stub_of(ULong k, ULong k2, void *fn, UChar argreg)
{
   if (2 * (stub_used + 1) > stub_mask + 1)
      stub_grow();
   UInt i = stub_slot(k, k2);
   if (stub_keys[i])
      return stub_code[i];
   UInt size = k2 ? VT_STUB_SIZE + 16 : VT_STUB_SIZE;
   if ((SizeT)(stub_end - stub_cur) < size) {   /* (48 does not divide a chunk) */
      if (stub_total >= VT_STUB_MAX)
         return NULL;
      stub_cur = VG_(am_shadow_alloc)(VT_STUB_CHUNK);
      /* Valgrind's own mappings are executable (its translations live in
         them); should this one not be, no stubs at all */
      NSegment const *seg = stub_cur ? VG_(am_find_nsegment)((Addr)stub_cur) : NULL;
      if (!seg || !seg->hasX) {
         stub_cur = stub_end = NULL;
         stub_total = VT_STUB_MAX;
         return NULL;
      }
      stub_end = stub_cur + VT_STUB_CHUNK;
      stub_total += VT_STUB_CHUNK;
   }
   UChar *code = stub_cur, *p = code;
   p = put_movabs(p, 0x48, argreg, k);              /* movabs $k, %rsi/%rdi */
   if (k2)
      p = put_movabs(p, 0x48, 0xBA, k2);            /* movabs $k2, %rdx */
   p = put_movabs(p, 0x49, 0xBB, (ULong)(Addr)fn);  /* movabs $fn, %r11 */
   *p++ = 0x41; *p++ = 0xFF; *p++ = 0xE3;           /* jmp *%r11 */
   stub_cur += size;
   stub_keys[i] = k;
   stub_keys2[i] = k2;
   stub_code[i] = code;
   stub_used++;
   return code;
}

#else
static void *stub_of(ULong k, ULong k2, void *fn, UChar argreg)
{
   (void)k; (void)k2; (void)fn; (void)argreg;
   return NULL;
}
#endif

/* The stub of one constant */
static void *miss_stub(ULong k, void *fn, UChar argreg)
{
   return stub_of(k, 0, fn, argreg);
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

/* An integer division's operand type (its divisor of 0 traps), or
   Ity_INVALID. */
static IRType division_type(const IRExpr *e)
{
   if (e->tag != Iex_Binop)
      return Ity_INVALID;
   switch (e->Iex.Binop.op) {
   case Iop_DivU32: case Iop_DivS32: case Iop_DivU32E: case Iop_DivS32E:
   case Iop_DivModU64to32: case Iop_DivModS64to32:
   case Iop_DivModS32to32: case Iop_DivModU32to32:
      return Ity_I32;
   case Iop_DivU64: case Iop_DivS64: case Iop_DivU64E: case Iop_DivS64E:
   case Iop_DivModU128to64: case Iop_DivModS128to64:
   case Iop_DivModS64to64: case Iop_DivModU64to64:
      return Ity_I64;
   default:
      return Ity_INVALID;
   }
}

/* refetch_sites: the instructions after the one at statement i whose
   fetches come from its page with nothing between that could run a
   handler (no memory access, exit, dirty call or division): the next
   fetches of the reference string, whatever happens in the simulator, so
   the handler of this one's fetch, should it leave the page out of the
   table, delivers them too (VT_MISS_PACK's d), and they need no code.  At
   most VT_PACK_D_MAX - 1, each within the page. */
static UInt follow_ons(const IRSB *in, Int i, Addr page, UInt pos, UInt pending)
{
   UInt n = 0;
   for (Int k = i + 1; k < in->stmts_used; k++) {
      const IRStmt *st = in->stmts[k];
      switch (st->tag) {
      case Ist_NoOp: case Ist_AbiHint: case Ist_Put: case Ist_PutI:
         continue;
      case Ist_WrTmp:
         if (st->Ist.WrTmp.data->tag == Iex_Load ||
             division_type(st->Ist.WrTmp.data) != Ity_INVALID)
            return n;
         continue;
      case Ist_IMark: {
         Addr a = (Addr)st->Ist.IMark.addr;
         UInt len = st->Ist.IMark.len ? st->Ist.IMark.len : 1;
         if ((a & VT_PAGE_MASK) != page || ((a + len - 1) & VT_PAGE_MASK) != page ||
             n + 1 >= VT_PACK_D_MAX || pos + n + 1 >= 1024 || pending + n + 1 >= 1024)
            return n;
         n++;
         continue;
      }
      default:                 /* stores, CAS, LL/SC, dirty calls, exits... */
         return n;
      }
   }
   return n;
}

/* Counted hits: vt_insns << VT_STAMP_SHIFT, loaded once until vt_insns
   next changes (the clock is not packed then: vt_clock is 0). */
static IRExpr *stamp_base(struct ictx *c)
{
   if (!c->stamp_base) {
      IRExpr *now = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64, gaddr(c, &vt_insns_drained)),
                           Ity_I64);
      c->stamp_base = bin(c, Iop_Shl64, now, IRExpr_Const(IRConst_U8(VT_STAMP_SHIFT)),
                          Ity_I64);
   }
   return c->stamp_base;
}

/* stamp_after: the stamp of the last later fetch not stamped yet, into
   its page's slot (hit or not: a slot that no longer holds the page, or
   whose floor is above it, takes it as no hit).  Before every exit and
   update of the counters (the stamp's time is the clock's until then),
   before a fetch check and where a data access's miss could not make it
   (VT_PACK_D_MAX). */
static void refetch_flush(struct ictx *c)
{
   if (c->refetch_pos < 0)
      return;
   IRExpr *stamp = bin(c, Iop_Add64, stamp_base(c),
                       IRExpr_Const(IRConst_U64((ULong)c->refetch_pos + 1)), Ity_I64);
   IRExpr *sa = gaddr(c, &vt_flt.hit_stamp[VT_ACC_EXEC][(c->refetch_page >> VT_PAGE_SHIFT) &
                                                        (vt_flt.nr - 1)]);
   addStmtToIRSB(c->sb, IRStmt_Store(Iend_LE, sa, stamp));
   c->refetch_pos = c->insn_fetch_pos = -1;
}

/* stamp_after: the fetch at position pos, from page, is the last whose
   stamp refetch_flush (or a data miss of its instruction) makes. */
static void fetch_stamp_later(struct ictx *c, UInt pos, Addr page)
{
   c->refetch_pos = c->insn_fetch_pos = (Int)pos;
   c->refetch_page = page;
}

/* A fetch from the page of the superblock's last fetch check, whose
   check is made in C (vt_refetch): whether its constant packs; then its
   position taken and the call emitted (guard: when; n: its follow-ons). */
static Bool refetch_packs(const struct ictx *c, Addr a, UInt len)
{
   return a < (1ULL << 32) && len < VT_PACK_SIZE_MAX && c->ref_idx < 1024 &&
          c->pending_insns < 1024;
}

static void refetch_call(struct ictx *c, Addr a, UInt len, UInt n, IRExpr *guard)
{
   UInt pos = c->ref_idx++;
   c->pending_refs++;
   c->insn_refs++;
   ULong k = VT_MISS_PACK(a, len, n, VT_PACK_REFETCH, pos, c->pending_insns);
   void *stub = miss_stub(k, VG_(fnptr_to_fnentry)(vt_refetch), 0xBF);
   IRDirty *d = stub ? unsafeIRDirty_0_N(0, "vt_refetch", stub, mkIRExprVec_0())
                     : unsafeIRDirty_0_N(1, "vt_refetch", VG_(fnptr_to_fnentry)(vt_refetch),
                                         mkIRExprVec_1(IRExpr_Const(IRConst_U64(k))));
   d->guard = guard;
   addStmtToIRSB(c->sb, IRStmt_Dirty(d));
}

/* A later fetch from the page of the superblock's last fetch check
   (refetch_sites): if (vt_flt.refetch_tag != mark) vt_refetch(); else
   nothing, as the check would have hit (its stamp is made later:
   refetch_flush).  n: its follow-ons.  False if it cannot be so (the
   constant does not pack). */
static Bool refetch_site(struct ictx *c, Addr a, UInt len, UInt n)
{
   if (!refetch_packs(c, a, len))
      return False;
   /* the mark in its register against the word in memory: a compare
      with memory (the mark is 0 without the timeline) */
   IRExpr *word = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64, gaddr(c, &vt_flt.refetch_tag)),
                         Ity_I64);
   IRExpr *due = bin(c, Iop_CmpNE64, c->mark ? c->mark : IRExpr_Const(IRConst_U64(0)), word,
                     Ity_I1);
   UInt pos = c->ref_idx;
   refetch_call(c, a, len, n, due);
   if (vt_flt.stamp_after)
      fetch_stamp_later(c, pos, a & VT_PAGE_MASK);
   c->follow_left = n;
   return True;
}

/* --tlb: a later fetch from the page of the superblock's last fetch
   check, after data accesses (c->tlb_data).  Only a handler can empty
   the page's entry (a data access's fault flushes the entries of its
   page: the code's own, or a huge page holding both), so the check is
   made in C, only if one of those accesses called its handler.  False if
   it cannot be so (the constant does not pack, or no call is known). */
static Bool tlb_refetch(struct ictx *c, Addr a, UInt len)
{
   if (!c->data_called || !refetch_packs(c, a, len))
      return False;
   refetch_call(c, a, len, 0, c->data_called);
   c->data_called = NULL;
   c->tlb_data = False;
   return True;
}

/* A follow-on (follow_ons): a reference position, no code; its stamp, if
   it hits, is made as a later fetch's is (refetch_flush). */
static void follow_on(struct ictx *c, Addr a)
{
   UInt pos = c->ref_idx++;
   c->pending_refs++;
   c->insn_refs++;
   c->follow_left--;
   if (vt_flt.stamp_after)
      fetch_stamp_later(c, pos, a & VT_PAGE_MASK);
}

/* if (vt_insns >= vt_next_sample), or with the packed clock if (vt_clock
   >= vt_clock_limit): fn().  (The packed clock's test is on the
   instructions' bits: the references' bits below them are less than one
   instruction's step.) */
static void add_sample_due_call(struct ictx *c, const HChar *name, void *fn)
{
   Bool packed = clock_packed();
   IRExpr *now = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64,
                                       gaddr(c, packed ? &vt_clock : &vt_insns_drained)),
                        Ity_I64);
   IRExpr *next = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64,
                                        gaddr(c, packed ? &vt_clock_limit : &vt_next_sample)),
                         Ity_I64);
   IRDirty *d = unsafeIRDirty_0_N(0, name, fn, mkIRExprVec_0());
   d->guard = bin(c, Iop_CmpLE64U, next, now, Ity_I1);
   addStmtToIRSB(c->sb, IRStmt_Dirty(d));
}

/* exit_ticks: after an exit, before the next reference: the sample
   check's test, whose handler runs only a simulation's tick (the next
   sample is never after the simulations' next tick). */
static void add_exit_tick(struct ictx *c)
{
   add_sample_due_call(c, "vt_sample_exit_tick", VG_(fnptr_to_fnentry)(vt_sample_exit_tick));
   c->exit_tick = False;
}

/* --tlb, a data check (its position taken): if it is the only data
   access since the superblock's last fetch check and the next thing the
   code does is the fetch of the next instruction from the same page, a
   fetch that is not checked (c->tlb_data), its handler can make that
   fetch instead (vt_miss_packed_next), in its place: the fetch's packed
   constant, else 0.  Only a handler can empty the page's entry (a data
   access's fault flushes the entries of its page), and between the two
   references nothing else happens: no other access, exit or trap. */
static ULong cover_next(struct ictx *c)
{
   if (!vt_mm.tlb || !vt_clo.fast_path || vt_mm.nr_sims || vt_recording || c->data_called ||
       c->last_fetch_page == 1 || c->ref_idx >= 1024 || c->pending_insns + 1 >= 1024)
      return 0;
   for (Int j = c->stmt + 1; j < c->in->stmts_used; j++) {
      const IRStmt *st = c->in->stmts[j];
      switch (st->tag) {
      case Ist_IMark: {
         Addr a = (Addr)st->Ist.IMark.addr;
         UInt len = st->Ist.IMark.len ? st->Ist.IMark.len : 1;
         if ((a & VT_PAGE_MASK) != c->last_fetch_page ||
             ((a + len - 1) & VT_PAGE_MASK) != c->last_fetch_page || a >= (1ULL << 32) ||
             len >= VT_PACK_SIZE_MAX)
            return 0;
         return VT_MISS_PACK(a, len, 0, VT_ACC_EXEC, c->ref_idx, c->pending_insns + 1);
      }
      case Ist_WrTmp:
         if (st->Ist.WrTmp.data->tag == Iex_Load ||
             division_type(st->Ist.WrTmp.data) != Ity_INVALID)
            return 0;
         break;
      case Ist_Store:
      case Ist_CAS:
         if (j != c->merged_store)
            return 0;
         break;
      case Ist_Dirty:
         if (st->Ist.Dirty.details->mFx != Ifx_None)
            return 0;
         break;
      case Ist_StoreG:
      case Ist_LoadG:
      case Ist_LLSC:
      case Ist_Exit:
         return 0;
      default:
         break;
      }
   }
   return 0;
}

/* Emit: if (guard && tlb[page(addr)] != page(addr + size - 1)) miss(). */
static void add_check(struct ictx *c, IRExpr *addr, UInt size,
                      enum vt_access acc, IRExpr *guard)
{
   if (size == 0)
      return;
   if (c->exit_tick)          /* an access of the exit's own instruction */
      add_exit_tick(c);
   if (size > 0xffff)
      size = 0xffff;
   c->pending_refs++;
   c->insn_refs++;
   /* the access's position in the superblock: its order among the
      references of this time step (vt_sim_set_order) */
   UInt pos = c->ref_idx < VT_POS_MAX ? c->ref_idx++ : VT_POS_MAX;
   /* the instruction's own fetch, a later fetch whose stamp is not made
      yet: its miss handler makes it (VT_MISS_PACK), if not too far back */
   UInt back = acc == VT_ACC_EXEC ? c->fetch_follow : 0;
   if (acc != VT_ACC_EXEC)
      c->follow_left = 0;
   if (c->insn_fetch_pos >= 0 && acc != VT_ACC_EXEC) {
      back = pos - (UInt)c->insn_fetch_pos;
      if (back >= VT_PACK_D_MAX) {
         refetch_flush(c);
         back = 0;
      }
   }
   UWord arg = (UWord)size | ((UWord)acc << 16) | ((UWord)pos << 18) |
               ((UWord)c->pending_insns << 32) | ((UWord)back << 56);
   addr = tmp_of(c, addr, Ity_I64);
   c->tlb_data = acc != VT_ACC_EXEC;
   if (vt_recording)
      add_record(c, IRExpr_Binop(Iop_Or64, addr,
                                 IRExpr_Const(IRConst_U64(VT_TRAW(0, size, acc)))), guard);
   IRExpr *cond = guard;
   IRExpr *stamp_addr = NULL;
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
      /* a data access without stamps to write, or whose stamp is stored
         after the call: the subtraction below */
      Bool sub_form = addr->tag != Iex_Const && (!vt_flt.count_hits || vt_flt.stamp_after) &&
                      size <= VT_PAGE_SIZE;
      IRExpr *last = addr;
      if (size > 1 && !sub_form)
         last = bin(c, Iop_Add64, addr, IRExpr_Const(IRConst_U64(size - 1)), Ity_I64);
      IRExpr *lastpage;
      IRExpr *miss;
      if (c->mark && addr->tag == Iex_Const && (!vt_flt.count_hits || vt_flt.stamp_after)) {
         /* an instruction fetch: tag ^ mark against the page, a constant
            the compare takes as an immediate (the marks lie above the
            page's bits; an empty slot's bit 63 never matches) */
         lastpage = bin(c, Iop_And64, last,
                        IRExpr_Const(IRConst_U64(VT_PAGE_MASK)), Ity_I64);
         miss = bin(c, Iop_CmpNE64, bin(c, Iop_Xor64, tag, c->mark, Ity_I64), lastpage,
                    Ity_I1);
      } else if (sub_form) {
         /* a data access: (address + mark) - entry, unsigned, is below
            4097 - size exactly when the entry holds the page under the
            open mark and the access lies within it (VT_FILTER_TAG): an
            add, a subtract from memory and a compare with an immediate */
         IRExpr *x = c->mark ? bin(c, Iop_Add64, addr, c->mark, Ity_I64) : addr;
         x = bin(c, Iop_Sub64, x, tag, Ity_I64);
         IRExpr *hit = bin(c, Iop_CmpLT64U, x,
                           IRExpr_Const(IRConst_U64(VT_PAGE_SIZE + 1 - size)), Ity_I1);
         lastpage = NULL;
         miss = tmp_of(c, IRExpr_Unop(Iop_Not1, hit), Ity_I1);
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
      if (vt_flt.stamp_after && acc == VT_ACC_EXEC && addr->tag == Iex_Const &&
          (addr->Iex.Const.con->Ico.U64 & VT_PAGE_MASK) ==
          ((addr->Iex.Const.con->Ico.U64 + size - 1) & VT_PAGE_MASK)) {
         /* a fetch within a page: its stamp is made as a later fetch's
            is (refetch_flush: at the next fetch check or exit, or by a
            data miss of its instruction), so one store serves it and the
            later fetches from its page */
         fetch_stamp_later(c, pos, addr->Iex.Const.con->Ico.U64 & VT_PAGE_MASK);
      } else if (vt_flt.stamp_after) {
         /* after the call (below), hit or miss */
         stamp_addr = addr->tag == Iex_Const
                      ? gaddr(c, &vt_flt.hit_stamp[acc][(addr->Iex.Const.con->Ico.U64 >>
                                                         VT_PAGE_SHIFT) & (vt_flt.nr - 1)])
                      : bin(c, Iop_Add64, ea,
                            IRExpr_Const(IRConst_U64((ULong)((Addr)vt_flt.hit_stamp[acc] -
                                                             (Addr)table))), Ity_I64);
      } else if (vt_flt.count_hits) {
         /* on a hit: stamp[slot] = VT_ORDER(vt_insns, position);
            count[slot] += 1 if a policy reads the counts (LFU) */
         UInt t = acc == VT_ACC_WRITE ? 1 : acc == VT_ACC_EXEC ? 2 : 0;
         IRExpr *hit = bin(c, Iop_CmpEQ64, tag, lastpage, Ity_I1);
         if (guard)
            hit = bin(c, Iop_And1, guard, hit, Ity_I1);
         IRExpr *stamp = bin(c, Iop_Or64, stamp_base(c), IRExpr_Const(IRConst_U64(pos + 1)),
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
         IRExpr *hit = tmp_of(c, IRExpr_Unop(Iop_Not1, miss), Ity_I1);
         if (guard)
            hit = bin(c, Iop_And1, guard, hit, Ity_I1);
         if (!c->tlb_base)
            c->tlb_base = tmp_of(c, IRExpr_Load(Iend_LE, Ity_I64,
                                    IRExpr_Const(IRConst_U64((ULong)(Addr)&vt_tlb_clock))),
                                 Ity_I64);
         IRExpr *n = bin(c, Iop_Add64, c->tlb_base, IRExpr_Const(IRConst_U64(pos)), Ity_I64);
         /* (vt_flt.tlb_stamp: a displacement from the slot's offset, as
            the tag's) */
         IRExpr *sa = bin(c, Iop_Add64, off,
                          IRExpr_Const(IRConst_U64((ULong)(Addr)vt_tlb_stamps(vt_mm.tlb, acc))),
                          Ity_I64);
         addStmtToIRSB(c->sb, IRStmt_StoreG(Iend_LE, sa, n, hit));
      }
   }
   IRDirty *d = NULL;
   Bool packs = c->cur_ip < (1ULL << 32) && size < VT_PACK_SIZE_MAX && pos < 1024 &&
                c->pending_insns < 1024;
   ULong k = VT_MISS_PACK(c->cur_ip, size, back, acc, pos, c->pending_insns);
   ULong next = packs && acc != VT_ACC_EXEC && back == 0 ? cover_next(c) : 0;
   void *stub;
   if (next && (stub = stub_of(k, next, VG_(fnptr_to_fnentry)(vt_miss_packed_next), 0xBE))) {
      d = unsafeIRDirty_0_N(1, "vt_miss_packed_next", stub, mkIRExprVec_1(addr));
      c->next_covered = next & 0xffffffffu;   /* the fetch's address (VT_MISS_PACK) */
   } else if (packs && acc == VT_ACC_EXEC &&
       (stub = miss_stub(k, VG_(fnptr_to_fnentry)(vt_miss_fetch), 0xBF)) != NULL)
      d = unsafeIRDirty_0_N(0, "vt_miss_fetch", stub, mkIRExprVec_0());
   else if (packs && acc != VT_ACC_EXEC &&
            (stub = miss_stub(k, VG_(fnptr_to_fnentry)(vt_miss_packed), 0xBE)) != NULL)
      d = unsafeIRDirty_0_N(1, "vt_miss_packed", stub, mkIRExprVec_1(addr));
   else if (packs && acc == VT_ACC_EXEC)
      d = unsafeIRDirty_0_N(1, "vt_miss_fetch", VG_(fnptr_to_fnentry)(vt_miss_fetch),
                            mkIRExprVec_1(IRExpr_Const(IRConst_U64(k))));
   else if (packs)
      d = unsafeIRDirty_0_N(2, "vt_miss_packed", VG_(fnptr_to_fnentry)(vt_miss_packed),
                            mkIRExprVec_2(addr, IRExpr_Const(IRConst_U64(k))));
   else
      d = unsafeIRDirty_0_N(3, "vt_miss", VG_(fnptr_to_fnentry)(vt_miss),
                            mkIRExprVec_3(addr, IRExpr_Const(IRConst_U64(arg)),
                                          IRExpr_Const(IRConst_U64(c->cur_ip))));
   if (cond)
      d->guard = cond;
   addStmtToIRSB(c->sb, IRStmt_Dirty(d));
   if (vt_mm.tlb && acc != VT_ACC_EXEC && c->tlb_data)
      c->data_called = !cond ? IRExpr_Const(IRConst_U1(True))
                       : c->data_called ? bin(c, Iop_Or1, c->data_called, cond, Ity_I1) : cond;
   else if (acc == VT_ACC_EXEC)
      c->data_called = NULL;
   if (stamp_addr) {
      /* stamp_after: the stamp, hit or miss (a miss's own order is no hit:
         vt_filter_miss raised the slot's floor to it) */
      /* an add, not an or (the base's low bits are 0): a lea */
      IRExpr *stamp = bin(c, Iop_Add64, stamp_base(c), IRExpr_Const(IRConst_U64(pos + 1)),
                          Ity_I64);
      if (guard)
         addStmtToIRSB(c->sb, IRStmt_StoreG(Iend_LE, stamp_addr, stamp, guard));
      else
         addStmtToIRSB(c->sb, IRStmt_Store(Iend_LE, stamp_addr, stamp));
   }
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
   if (clock_packed()) {
      /* one add for both counts: (instructions << VT_CLOCK_SHIFT) +
         references, an immediate of 32 bits for a superblock of fewer
         than 128 instructions */
      add_counter(c, &vt_clock, (c->pending_insns << VT_CLOCK_SHIFT) + c->pending_refs);
      c->pending_insns = c->pending_refs = 0;
      return;
   }
   IRExpr *insns = add_counter(c, &vt_insns_drained, c->pending_insns);
   if (insns && vt_recording)        /* the clock from here on */
      add_record(c, IRExpr_Binop(Iop_Or64, insns, IRExpr_Const(IRConst_U64(VT_TRAW_TIME))),
                 NULL);
   add_counter(c, &vt_refs_drained, c->pending_refs);
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
   vt_sample_tick() if a sample, or with the packed clock a drain, is due. */
static void add_sample_check(struct ictx *c)
{
   if ((!vt_clo.timeline && !vt_mm.nr_sims) || vt_clock_mark)
      return;
   add_sample_due_call(c, "vt_sample_tick", VG_(fnptr_to_fnentry)(vt_sample_tick));
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
   IRType ty = division_type(e);
   if (ty == Ity_INVALID)
      return;
   IRExpr *d = e->Iex.Binop.arg2;
   IRExpr *zero = bin(c, ty == Ity_I32 ? Iop_CmpEQ32 : Iop_CmpEQ64, d,
                      IRExpr_Const(ty == Ity_I32 ? IRConst_U32(0) : IRConst_U64(0)), Ity_I1);
   refetch_flush(c);        /* the trap ends the superblock */
   c->follow_left = 0;
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
   (void)closure; (void)vge; (void)archinfo_host;
   if (gWordTy != Ity_I64 || hWordTy != Ity_I64)
      VG_(tool_panic)("vmtrace supports 64-bit guests only");
   struct ictx c = { deepCopyIRSBExceptStmts(in), 0, 0, 1, 0, 0, NULL, -1, NULL, NULL, 0, 0,
                     NULL, 0, False, False, 1, NULL, -1, 0, -1, 0, 0, False, NULL, in, 0, 1 };
   Int i = 0;
   for (; i < in->stmts_used && in->stmts[i]->tag != Ist_IMark; i++)
      addStmtToIRSB(c.sb, in->stmts[i]);
   vt_anchor = (Addr)&vt_insns_drained;
   c.anchor = tmp_of(&c, IRExpr_Get(layout->total_sizeB + VT_ANCHOR_SLOT, Ity_I64), Ity_I64);
   add_sample_check(&c);
   /* The epoch's mark (vt_filter_epoch_at) changes only in vt_sample_tick,
      so once here, after it, holds for the whole superblock. */
   if (vt_clock_mark) {
      /* the mark of the clock's epoch, as vt_filter_epoch_at sets it at
         the epoch's start (a shift left by 48 keeps the number mod 2^16),
         from the packed clock (its instructions' bits are the count less
         vt_insns_drained, a multiple of 2^(shift + 16): vt_clock_drain) */
      Bool packed = clock_packed();
      IRExpr *now = tmp_of(&c, IRExpr_Load(Iend_LE, Ity_I64,
                                           gaddr(&c, packed ? &vt_clock : &vt_insns_drained)),
                           Ity_I64);
      IRExpr *n = bin(&c, Iop_Shr64, now,
                      IRExpr_Const(IRConst_U8((packed ? VT_CLOCK_SHIFT : 0) +
                                              vt_clock_mark_shift)), Ity_I64);
      c.mark = bin(&c, Iop_Shl64, n, IRExpr_Const(IRConst_U8(VT_FILTER_MARK_SHIFT)),
                   Ity_I64);
   } else if (vt_clo.fast_path && vt_clo.timeline) {
      c.mark = tmp_of(&c, IRExpr_Load(Iend_LE, Ity_I64,
                                      gaddr(&c, &vt_flt.mark_tag)),
                      Ity_I64);
   }
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
      c.stmt = i;
      switch (st->tag) {
      case Ist_IMark: {
         Addr a = (Addr)st->Ist.IMark.addr;
         UInt len = st->Ist.IMark.len;
         addStmtToIRSB(c.sb, st);
         if (c.exit_tick)
            add_exit_tick(&c);
         /* the packed clock's bound on the references since a drain */
         tl_assert2(c.insn_refs <= VT_CLOCK_INSN_REFS,
                    "vmtrace: an instruction of %u memory references", c.insn_refs);
         c.insn_refs = 0;
         tl_assert2(++c.sb_insns <= VT_CLOCK_SB_INSNS,
                    "vmtrace: a superblock of over %u instructions", VT_CLOCK_SB_INSNS);
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
         c.insn_fetch_pos = -1;
         /* a fetch site's follow-ons, looked ahead for where one is made */
         Bool follows = same && refetch_sites && c.follow_left > 0;
         UInt n = 0;
         if (refetch_sites && !follows && ((a + (len ? len : 1) - 1) & VT_PAGE_MASK) == page &&
             a < (1ULL << 32) && (len ? len : 1) < VT_PACK_SIZE_MAX)
            n = follow_ons(in, i, page, c.ref_idx, c.pending_insns);
         if (follows) {
            follow_on(&c, a);      /* delivered by the last fetch site's handler */
         } else if (same && refetch_sites && refetch_site(&c, a, len ? len : 1, n)) {
            /* checked only if an entry may be gone */
         } else if (!same || !vt_clo.fast_path || vt_mm.nr_sims || vt_recording) {
            tl_assert(c.next_covered != a);
            refetch_flush(&c);
            c.fetch_follow = n;
            add_check(&c, IRExpr_Const(IRConst_U64(a)), len ? len : 1,
                      VT_ACC_EXEC, NULL);
            c.fetch_follow = 0;
            c.follow_left = n;
         } else if (vt_mm.tlb && c.tlb_data && c.next_covered == a) {
            /* made by the last data check's handler if the page's entry
               went (cover_next): a position, no code */
            c.ref_idx++;
            c.pending_refs++;
            c.insn_refs++;
            c.tlb_data = False;
            c.data_called = NULL;
         } else if (vt_mm.tlb && c.tlb_data && tlb_refetch(&c, a, len ? len : 1)) {
            /* checked only if an entry may be gone */
         } else if (vt_mm.tlb && c.tlb_data) {
            c.tlb_nostamp = True;
            add_check(&c, IRExpr_Const(IRConst_U64(a)), len ? len : 1,
                      VT_ACC_EXEC, NULL);
            c.tlb_nostamp = False;
         } else {
            c.pending_refs++;
            c.insn_refs++;
         }
         tl_assert(c.next_covered == 1 || c.next_covered == a);
         c.next_covered = 1;
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
         c.follow_left = 0;
         if (d->mFx != Ifx_None && d->mSize > 0)
            add_check(&c, d->mAddr, (UInt)d->mSize,
                      d->mFx == Ifx_Read ? VT_ACC_READ : VT_ACC_WRITE, d->guard);
         break;
      }
      case Ist_Exit:
         refetch_flush(&c);
         c.follow_left = 0;
         flush_counters(&c);
         c.exit_tick = exit_ticks;
         if (vt_recording)             /* the superblock ends if it is taken */
            add_record(&c, IRExpr_Const(IRConst_U64(VT_TRAW_SB_END)), st->Ist.Exit.guard);
         add_signal_note(&c, st->Ist.Exit.jk, st->Ist.Exit.guard);
         break;
      default:
         break;
      }
      addStmtToIRSB(c.sb, st);
   }
   tl_assert2(c.insn_refs <= VT_CLOCK_INSN_REFS,
              "vmtrace: an instruction of %u memory references", c.insn_refs);
   refetch_flush(&c);
   flush_counters(&c);
   if (vt_recording)
      add_record(&c, IRExpr_Const(IRConst_U64(VT_TRAW_SB_END)), NULL);
   add_signal_note(&c, in->jumpkind, NULL);
   return c.sb;
}
