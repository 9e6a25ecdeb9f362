/* vt_sites.c: fault sites.  The stack at every fault (to
   --fault-stack-depth frames), aggregated per (simulation, class, stack):
   the unlimited model's faults, and the major faults each simulation of
   limited memory takes.  The top sites go into the output file (the
   model's in fault_sites, a simulation's in its own entry), and
   --cg-out-file writes faults per source line in Cachegrind's format for
   cg_annotate and KCachegrind, one event per simulation beside the
   model's.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_stacktrace.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_xarray.h"
#include "vt_tool.h"

#define MAX_DEPTH 64
#define TOP_PER_CLASS 100

/* A site: a simulation (0: the unlimited model; k: simulation k - 1), a
   fault class and a stack, with its count.  Sites are found through the
   core's hash table by a hash of (simulation, class, stack); sites whose
   hashes collide are chained. */
struct site {
   struct site *next;       /* same hash */
   ULong count;
   UInt  sim, cls, n;
   Addr  ips[];
};

static struct vt_hash tab;          /* hash -> the first site */
static struct site **all;           /* every site, in creation order */
static ULong nr_sites, cap_sites;
static DiEpoch epoch;

static ULong hash_stack(UInt sim, UInt cls, const Addr *ips, UInt n)
{
   ULong h = (cls + 64ULL * sim) * 0x9E3779B97F4A7C15ULL;
   for (UInt i = 0; i < n; i++)
      h = (h ^ ips[i]) * 0x100000001B3ULL;
   return h == VT_HASH_EMPTY ? 0 : h;
}

/* A stack trace that ends at main (as Valgrind's tools show them) or at
   the first frame outside executable memory: what the unwinder finds past
   the program's first frame is stack contents, not calls. */
UInt vt_stack_trace(ThreadId tid, Addr *ips, UInt depth, DiEpoch ep)
{
   UInt n = VG_(get_StackTrace)(tid, ips, depth, NULL, NULL, 0);
   if (n > 0 && vt_fault_ip)
      ips[0] = vt_fault_ip;   /* the faulting instruction, not the stale guest IP */
   for (UInt i = 0; i < n; i++) {
      const struct vt_vma *v = vt_find_vma(&vt_mm, ips[i]);
      if (!v || !(v->vm_flags & VT_VM_EXEC))
         return i ? i : 1;
      if (VG_(get_fnname_kind_from_IP)(ep, ips[i]) == Vg_FnNameMain)
         return i + 1;
   }
   return n;
}

/* The stack of the reference being handled (vt_miss: vt_fault_ip set), for
   the next fault of the same reference: every simulation that takes a
   major fault there, and the model's own fault, have the same stack, and
   unwinding it is most of what a fault costs (--policy=all at --ram=2M on
   xz -9 of 256 KiB: 28.5 s of CPU, 16.9 s with --fault-stack-depth=0).
   No client code runs while one reference is handled. */
static struct {
   ULong    miss;              /* vt_misses when unwound; 0: none */
   ThreadId tid;
   Addr     ip;
   UInt     n;
   Addr     ips[MAX_DEPTH];
} last_stack;

void vt_sites_record(UInt sim, enum vt_fault_class cls)
{
   ThreadId tid = VG_(get_running_tid)();
   if (tid == VG_INVALID_THREADID || vt_clo.fault_stack_depth == 0)
      return;
   Addr ips[MAX_DEPTH];
   epoch = VG_(current_DiEpoch)();
   UInt n;
   if (vt_fault_ip && last_stack.miss == vt_misses && last_stack.tid == tid &&
       last_stack.ip == vt_fault_ip) {
      n = last_stack.n;
      VG_(memcpy)(ips, last_stack.ips, n * sizeof(Addr));
   } else {
      n = vt_stack_trace(tid, ips, vt_clo.fault_stack_depth, epoch);
      if (vt_fault_ip) {
         last_stack.miss = vt_misses;
         last_stack.tid = tid;
         last_stack.ip = vt_fault_ip;
         last_stack.n = n;
         VG_(memcpy)(last_stack.ips, ips, n * sizeof(Addr));
      }
   }
   ULong h = hash_stack(sim, cls, ips, n);
   if (!tab.e)
      vt_hash_init(&tab, 1024);
   bool added;
   struct vt_hash_ent *e = vt_hash_put(&tab, h, &added);
   for (struct site *s = added ? NULL : (struct site *)e->val; s; s = s->next)
      if (s->sim == sim && s->cls == cls && s->n == n &&
          VG_(memcmp)(s->ips, ips, n * sizeof(Addr)) == 0) {
         s->count++;
         return;
      }
   struct site *s = VG_(malloc)("vt.sites", sizeof *s + n * sizeof(Addr));
   s->count = 1;
   s->sim = sim;
   s->cls = cls;
   s->n = n;
   VG_(memcpy)(s->ips, ips, n * sizeof(Addr));
   s->next = added ? NULL : (struct site *)e->val;
   e->val = (ULong)(Addr)s;
   if (nr_sites == cap_sites) {
      cap_sites = cap_sites ? 2 * cap_sites : 1024;
      struct site **na = VT_CALLOC("vt.sites", cap_sites, sizeof *na);
      if (all) {
         VG_(memcpy)(na, all, nr_sites * sizeof *na);
         VG_(free)(all);
      }
      all = na;
   }
   all[nr_sites++] = s;
}

/* Host op sim_fault: simulation sim took a major fault. */
void vt_sites_sim_fault(void *ctx, struct vt_mm *mm, uint32_t sim, vt_addr addr,
                        enum vt_fault_class cls)
{
   (void)ctx; (void)mm; (void)addr;
   vt_sites_record(sim + 1, cls);
}

static void frames_free(void);

/* A forked child's sites are its own. */
void vt_sites_child(void)
{
   last_stack.miss = 0;       /* the child counts its misses afresh */
   frames_free();
   for (ULong i = 0; i < nr_sites; i++)
      VG_(free)(all[i]);
   if (all)
      VG_(free)(all);
   all = NULL;
   nr_sites = cap_sites = 0;
   if (tab.e)
      vt_hash_destroy(&tab);
}

static Int by_count(const void *a, const void *b)
{
   const struct site *x = *(const struct site *const *)a;
   const struct site *y = *(const struct site *const *)b;
   if (x->sim != y->sim)
      return x->sim < y->sim ? -1 : 1;
   if (x->cls != y->cls)
      return x->cls < y->cls ? -1 : 1;
   if (x->count != y->count)
      return x->count > y->count ? -1 : 1;
   /* Ties in a fixed order, so equal runs write equal files. */
   for (UInt i = 0; i < x->n && i < y->n; i++)
      if (x->ips[i] != y->ips[i])
         return x->ips[i] < y->ips[i] ? -1 : 1;
   return x->n < y->n ? -1 : x->n > y->n ? 1 : 0;
}

static struct site **sorted(void)
{
   struct site **v = VT_CALLOC("vt.sites", nr_sites ? nr_sites : 1, sizeof *v);
   if (nr_sites)
      VG_(memcpy)(v, all, nr_sites * sizeof *v);
   VG_(ssort)(v, nr_sites, sizeof *v, by_count);
   return v;
}

/* The sites of sim (0: the model), the first TOP_PER_CLASS of each class. */
void vt_sites_write_json(struct vt_out *o, UInt sim)
{
   struct site **v = sorted();
   UInt shown = 0, cls = ~0u;
   Bool first = True;
   for (ULong i = 0; i < nr_sites; i++) {
      struct site *s = v[i];
      if (s->sim != sim)
         continue;
      if (s->cls != cls) {
         cls = s->cls;
         shown = 0;
      }
      if (shown++ >= TOP_PER_CLASS)
         continue;
      vt_out_fmt(o, "%s\n  {\"class\": \"%s\", \"count\": %llu, \"stack\": ",
                 first ? "" : ",", vt_fault_classes[s->cls].name, s->count);
      first = False;
      vt_out_stack(o, epoch, s->ips, s->n);
      vt_out_str(o, "}");
   }
   VG_(free)(v);
}

/* ---- what the debug information says of a frame ------------------------- */

/* The source line, function and object of an address, looked up once per
   address (a hash table from address to an entry of frames[]).  Each frame
   is allocated on its own, so that the pointer frame_of returns stays valid
   until frames_free however many frames are looked up after it: the
   writers keep one per site while they look up the others (frames[]
   itself moves as it grows). */
struct frame {
   HChar *file, *fn, *obj;   /* "???" when not known; file with its directory */
   UInt   line;
};
static struct vt_hash frame_tab;
static struct frame **frames;
static UInt nr_frames, cap_frames;

static const struct frame *frame_of(Addr ip)
{
   if (!frame_tab.e)
      vt_hash_init(&frame_tab, 1024);
   bool added;
   struct vt_hash_ent *e = vt_hash_put(&frame_tab, ip == VT_HASH_EMPTY ? 0 : ip, &added);
   if (!added)
      return frames[e->val];
   if (nr_frames == cap_frames) {
      cap_frames = cap_frames ? 2 * cap_frames : 256;
      struct frame **nf = VT_CALLOC("vt.frames", cap_frames, sizeof *nf);
      if (frames) {
         VG_(memcpy)(nf, frames, nr_frames * sizeof *nf);
         VG_(free)(frames);
      }
      frames = nf;
   }
   struct frame *f = VG_(malloc)("vt.frames", sizeof *f);
   frames[nr_frames] = f;
   e->val = nr_frames++;
   const HChar *file = NULL, *dir = NULL, *fn = NULL, *obj = NULL;
   UInt line = 0;
   if (!VG_(get_filename_linenum)(epoch, ip, &file, &dir, &line))
      file = "???", dir = NULL, line = 0;
   if (dir && dir[0] && file[0] != '/') {
      f->file = VG_(malloc)("vt.frames", VG_(strlen)(dir) + VG_(strlen)(file) + 2);
      VG_(sprintf)(f->file, "%s/%s", dir, file);
   } else {
      f->file = VG_(strdup)("vt.frames", file);
   }
   f->line = line;
   if (!VG_(get_fnname)(epoch, ip, &fn))
      fn = "???";
   f->fn = VG_(strdup)("vt.frames", fn);
   if (!VG_(get_objname)(epoch, ip, &obj))
      obj = "???";
   f->obj = VG_(strdup)("vt.frames", obj);
   return f;
}

static void frames_free(void)
{
   for (UInt i = 0; i < nr_frames; i++) {
      VG_(free)(frames[i]->file);
      VG_(free)(frames[i]->fn);
      VG_(free)(frames[i]->obj);
      VG_(free)(frames[i]);
   }
   if (frames)
      VG_(free)(frames);
   frames = NULL;
   nr_frames = cap_frames = 0;
   if (frame_tab.e)
      vt_hash_destroy(&frame_tab);
}

/* ---- Cachegrind format -------------------------------------------------- */

/* The events: the model's four, then one per simulation, its major faults
   (Maj.POLICY.RAM, the RAM as --ram wrote it). */
enum { EV_MIN, EV_MAJ, EV_COW, EV_INV, EV_SIM0 };

static UInt nr_events(void)
{
   return EV_SIM0 + vt_memsim_count() + (vt_mm.tlb ? VT_TLB_NR_EV : 0);
}

static void out_event_names(struct vt_out *o)
{
   vt_out_str(o, "MinFlt MajFlt CowFlt InvFlt");
   for (UInt k = 0; k < vt_memsim_count(); k++) {
      HChar name[96];
      vt_out_fmt(o, " Maj.%s", vt_memsim_name(k, name, sizeof name));
   }
   if (vt_mm.tlb)               /* --tlb=yes: first-level misses, walks (vt_tlb.c) */
      vt_out_str(o, " DTlbMiss ITlbMiss DTlbWalk ITlbWalk");
}

/* The events a site's faults count in: up to two (a copy-on-write fault
   is a minor fault too); -1 for none. */
static void site_events(const struct site *s, Int ev[2])
{
   ev[1] = -1;
   if (s->sim) {
      ev[0] = EV_SIM0 + (Int)s->sim - 1;
      return;
   }
   const struct vt_fault_class_info *fc = &vt_fault_classes[s->cls];
   ev[0] = fc->kind == VT_MINOR ? EV_MIN : fc->kind == VT_MAJOR ? EV_MAJ : EV_INV;
   if (s->cls == VT_FC_WP_COPY || s->cls == VT_FC_WP_REUSE || s->cls == VT_FC_FILE_COW ||
       s->cls == VT_FC_THP_WP_ZERO || s->cls == VT_FC_THP_WP_REUSE)
      ev[1] = EV_COW;
}

static void out_costs(struct vt_out *o, const ULong *ev, UInt n)
{
   for (UInt k = 0; k < n; k++)
      vt_out_fmt(o, " %llu", ev[k]);
   vt_out_str(o, "\n");
}

struct line_rec {
   const struct frame *f;
   const struct site *s;        /* or NULL: */
   const ULong *tlb;            /* an instruction's TLB misses (VT_TLB_NR_EV) */
};

static Int by_file_fn_line(const void *a, const void *b)
{
   const struct frame *x = ((const struct line_rec *)a)->f;
   const struct frame *y = ((const struct line_rec *)b)->f;
   Int c = VG_(strcmp)(x->file, y->file);
   if (!c)
      c = VG_(strcmp)(x->fn, y->fn);
   if (!c)
      c = x->line < y->line ? -1 : x->line > y->line ? 1 : 0;
   return c;
}

Bool vt_sites_write_cg(const HChar *name)
{
   struct vt_out *o = vt_out_open(name, "Cachegrind-format file");
   if (!o)
      return False;
   /* One record per fault site's innermost frame, then merged by line. */
   UInt ne = nr_events();
   Addr *tlb_ips = NULL;
   ULong (*tlb_ev)[VT_TLB_NR_EV] = NULL;
   UInt nr_tlb = vt_mm.tlb ? vt_tlb_ips(&tlb_ips, &tlb_ev) : 0;
   if (nr_tlb && !nr_sites)
      epoch = VG_(current_DiEpoch)();
   ULong nr_recs = nr_sites + nr_tlb;
   struct line_rec *recs = VT_CALLOC("vt.cg", nr_recs ? nr_recs : 1, sizeof *recs);
   ULong *total = VT_CALLOC("vt.cg", ne, sizeof *total);
   ULong *ev = VT_CALLOC("vt.cg", ne, sizeof *ev);
   for (ULong i = 0; i < nr_sites; i++) {
      recs[i].s = all[i];
      recs[i].f = frame_of(all[i]->n ? all[i]->ips[0] : 0);
   }
   for (UInt i = 0; i < nr_tlb; i++) {
      recs[nr_sites + i].tlb = tlb_ev[i];
      recs[nr_sites + i].f = frame_of(tlb_ips[i]);
   }
   VG_(ssort)(recs, nr_recs, sizeof *recs, by_file_fn_line);
   HChar cmd[1024];
   VG_(client_cmd_and_args)(cmd, sizeof cmd);
   vt_out_fmt(o, "desc: vmtrace %s: page faults by source line (first frame)\n"
                 "cmd: %s\nevents: ", VT_VERSION, cmd);
   out_event_names(o);
   vt_out_str(o, "\n");
   const HChar *cur_file = NULL, *cur_fn = NULL;
   for (ULong i = 0; i < nr_recs;) {
      const struct frame *f = recs[i].f;
      VG_(memset)(ev, 0, ne * sizeof *ev);
      ULong j = i;
      for (; j < nr_recs && !by_file_fn_line(&recs[j], &recs[i]); j++) {
         if (!recs[j].s) {
            for (UInt k = 0; k < VT_TLB_NR_EV; k++) {
               ev[ne - VT_TLB_NR_EV + k] += recs[j].tlb[k];
               total[ne - VT_TLB_NR_EV + k] += recs[j].tlb[k];
            }
            continue;
         }
         Int e[2];
         site_events(recs[j].s, e);
         for (Int k = 0; k < 2; k++)
            if (e[k] >= 0) {
               ev[e[k]] += recs[j].s->count;
               total[e[k]] += recs[j].s->count;
            }
      }
      if (!cur_file || VG_(strcmp)(cur_file, f->file)) {
         vt_out_fmt(o, "fl=%s\n", f->file);
         cur_file = f->file;
         cur_fn = NULL;
      }
      if (!cur_fn || VG_(strcmp)(cur_fn, f->fn)) {
         vt_out_fmt(o, "fn=%s\n", f->fn);
         cur_fn = f->fn;
      }
      vt_out_fmt(o, "%u", f->line);
      out_costs(o, ev, ne);
      i = j;
   }
   vt_out_str(o, "summary:");
   out_costs(o, total, ne);
   Bool ok = vt_out_close(o, "Cachegrind-format file");
   VG_(free)(recs);
   VG_(free)(total);
   VG_(free)(ev);
   if (tlb_ips) {
      VG_(free)(tlb_ips);
      VG_(free)(tlb_ev);
   }
   return ok;
}

/* ---- Callgrind format ---------------------------------------------------

   Faults per function with their callers, for callgrind_annotate
   --inclusive=yes and KCachegrind.  Each fault site's stack becomes a
   self cost on its innermost frame's line and a call cost on every caller's
   line ("calls=" lines), the calls counting the faults that went through
   them, not calls made.  callgrind_annotate makes a called function's
   inclusive cost the sum of the calls into it, so a function that appears
   twice in one stack (recursion) must get that stack's faults once: only
   the call into its outermost frame is written (main -> rec -> rec -> leaf
   writes main -> rec and rec -> leaf, not rec -> rec).  A function never
   called (main) gets its own cost plus its calls out.  Exact for stacks
   that reach main (--fault-stack-depth deep enough). */

/* Strings (objects, files, functions) interned, so that functions compare
   by number and the file names them once: "(id) name", then "(id)". */
static struct vt_hash str_tab;       /* hash of the string -> 1 + first index */
static HChar **strs;
static UInt *str_next, nr_strs, cap_strs;

static ULong hash_str(const HChar *s)
{
   ULong h = 0xcbf29ce484222325ULL;
   for (; *s; s++)
      h = (h ^ (UChar)*s) * 0x100000001B3ULL;
   return h == VT_HASH_EMPTY ? 0 : h;
}

static UInt intern(const HChar *s)
{
   if (!str_tab.e)
      vt_hash_init(&str_tab, 256);
   bool added;
   struct vt_hash_ent *e = vt_hash_put(&str_tab, hash_str(s), &added);
   for (UInt i = added ? 0 : (UInt)e->val; i; i = str_next[i - 1])
      if (!VG_(strcmp)(strs[i - 1], s))
         return i - 1;
   if (nr_strs == cap_strs) {
      cap_strs = cap_strs ? 2 * cap_strs : 256;
      HChar **ns = VT_CALLOC("vt.cgr", cap_strs, sizeof *ns);
      UInt *nn = VT_CALLOC("vt.cgr", cap_strs, sizeof *nn);
      if (strs) {
         VG_(memcpy)(ns, strs, nr_strs * sizeof *ns);
         VG_(memcpy)(nn, str_next, nr_strs * sizeof *nn);
         VG_(free)(strs);
         VG_(free)(str_next);
      }
      strs = ns;
      str_next = nn;
   }
   strs[nr_strs] = VG_(strdup)("vt.cgr", s);
   str_next[nr_strs] = added ? 0 : (UInt)e->val;
   e->val = ++nr_strs;
   return nr_strs - 1;
}

static void strs_free(void)
{
   for (UInt i = 0; i < nr_strs; i++)
      VG_(free)(strs[i]);
   if (strs) {
      VG_(free)(strs);
      VG_(free)(str_next);
   }
   strs = NULL;
   str_next = NULL;
   nr_strs = cap_strs = 0;
   if (str_tab.e)
      vt_hash_destroy(&str_tab);
}

/* A frame as the Callgrind file names it.  A function the debug
   information does not name is named after its object, so that unknown
   code of different libraries stays apart. */
struct cframe { UInt ob, fl, fn, line; };

static struct cframe cframe_of(Addr ip)
{
   const struct frame *f = frame_of(ip);
   struct cframe c = { intern(f->obj), intern(f->file), 0, f->line };
   if (VG_(strcmp)(f->fn, "???")) {
      c.fn = intern(f->fn);
   } else {
      const HChar *base = f->obj;
      for (const HChar *p = f->obj; *p; p++)
         if (*p == '/')
            base = p + 1;
      HChar name[256];
      VG_(snprintf)(name, sizeof name, "??? (%s)", base);
      c.fn = intern(name);
   }
   return c;
}

static Bool same_fn(const struct cframe *a, const struct cframe *b)
{
   return a->fl == b->fl && a->fn == b->fn;
}

/* A cost line: a function's own cost on a line, or a call from that line
   (cfn != NONE).  Records of equal keys are summed when written. */
#define NONE (~0u)
struct cg_rec {
   struct cframe at, callee;   /* callee.fn NONE: a self cost */
   Int   ev[2];
   ULong count;
};

static Int cmp_str(UInt a, UInt b)
{
   return a == b ? 0 : VG_(strcmp)(strs[a], strs[b]);
}

static Int cmp_u(UInt a, UInt b)
{
   return a < b ? -1 : a > b ? 1 : 0;
}

/* By object, file, function; its self costs first, then its calls; by
   line, then callee. */
static Int by_cg_key(const void *pa, const void *pb)
{
   const struct cg_rec *a = pa, *b = pb;
   Int c = cmp_str(a->at.ob, b->at.ob);
   if (!c) c = cmp_str(a->at.fl, b->at.fl);
   if (!c) c = cmp_str(a->at.fn, b->at.fn);
   if (!c) c = cmp_u(a->callee.fn != NONE, b->callee.fn != NONE);
   if (!c) c = cmp_u(a->at.line, b->at.line);
   if (!c && a->callee.fn != NONE) {
      c = cmp_str(a->callee.ob, b->callee.ob);
      if (!c) c = cmp_str(a->callee.fl, b->callee.fl);
      if (!c) c = cmp_str(a->callee.fn, b->callee.fn);
   }
   return c;
}

/* "key=(id) name" the first time an id is written under key's kind,
   "key=(id)" after. */
static void out_name(struct vt_out *o, const HChar *key, UInt id, UChar *seen, UChar bit)
{
   if (seen[id] & bit) {
      vt_out_fmt(o, "%s=(%u)\n", key, id + 1);
      return;
   }
   seen[id] |= bit;
   vt_out_fmt(o, "%s=(%u) %s\n", key, id + 1, strs[id]);
}
enum { SEEN_OB = 1, SEEN_FL = 2, SEEN_FN = 4 };

Bool vt_sites_write_callgrind(const HChar *name)
{
   struct vt_out *o = vt_out_open(name, "Callgrind-format file");
   if (!o)
      return False;
   UInt ne = nr_events();
   ULong nr = 0, cap = nr_sites * 4 + 16;
   struct cg_rec *recs = VT_CALLOC("vt.cgr", cap, sizeof *recs);
   ULong *total = VT_CALLOC("vt.cgr", ne, sizeof *total);
   struct cframe cf[MAX_DEPTH];
   for (ULong i = 0; i < nr_sites; i++) {
      const struct site *s = all[i];
      UInt n = s->n ? s->n : 1;
      for (UInt k = 0; k < n; k++)
         cf[k] = cframe_of(s->n ? s->ips[k] : 0);
      Int ev[2];
      site_events(s, ev);
      for (Int k = 0; k < 2; k++)
         if (ev[k] >= 0)
            total[ev[k]] += s->count;
      /* the self cost, then the calls into each function's outermost frame */
      for (UInt k = 0; k < n; k++) {
         if (k) {
            UInt j = k;
            while (j < n && !same_fn(&cf[j], &cf[k - 1]))
               j++;
            if (j < n)
               continue;             /* the callee recurs further out */
         }
         if (nr == cap) {
            struct cg_rec *nrecs = VT_CALLOC("vt.cgr", 2 * cap, sizeof *nrecs);
            VG_(memcpy)(nrecs, recs, nr * sizeof *recs);
            VG_(free)(recs);
            recs = nrecs;
            cap *= 2;
         }
         struct cg_rec *r = &recs[nr++];
         r->at = cf[k];
         r->callee.fn = NONE;
         if (k)
            r->callee = cf[k - 1];
         r->ev[0] = ev[0];
         r->ev[1] = ev[1];
         r->count = s->count;
      }
   }
   /* A call's target position: the callee's first line seen, for
      KCachegrind to show (callgrind_annotate does not read it). */
   struct vt_hash first_line;
   vt_hash_init(&first_line, 256);
   for (ULong i = 0; i < nr; i++) {
      bool added;
      struct vt_hash_ent *e = vt_hash_put(&first_line,
                                          ((ULong)recs[i].at.fl << 32) | recs[i].at.fn, &added);
      if (added || recs[i].at.line < e->val)
         e->val = recs[i].at.line;
   }
   VG_(ssort)(recs, nr, sizeof *recs, by_cg_key);

   HChar cmd[1024];
   VG_(client_cmd_and_args)(cmd, sizeof cmd);
   vt_out_fmt(o, "# callgrind format\nversion: 1\ncreator: vmtrace-%s\npid: %d\n"
                 "cmd: %s\npart: 1\n\n"
                 "desc: vmtrace %s: page faults by function with their callers "
                 "(stacks of up to %u frames)\n"
                 "positions: line\nevents: ",
              VT_VERSION, VG_(getpid)(), cmd, VT_VERSION, vt_clo.fault_stack_depth);
   out_event_names(o);
   vt_out_str(o, "\nsummary:");
   out_costs(o, total, ne);
   vt_out_str(o, "\n");
   UChar *seen = VT_CALLOC("vt.cgr", nr_strs ? nr_strs : 1, 1);
   ULong *ev = VT_CALLOC("vt.cgr", ne, sizeof *ev);
   UInt cur_ob = NONE, cur_fl = NONE, cur_fn = NONE;
   for (ULong i = 0; i < nr;) {
      const struct cg_rec *r = &recs[i];
      VG_(memset)(ev, 0, ne * sizeof *ev);
      ULong calls = 0, j = i;
      for (; j < nr && !by_cg_key(&recs[j], r); j++) {
         for (Int k = 0; k < 2; k++)
            if (recs[j].ev[k] >= 0)
               ev[recs[j].ev[k]] += recs[j].count;
         calls += recs[j].count;
      }
      if (r->at.ob != cur_ob) {
         out_name(o, "ob", r->at.ob, seen, SEEN_OB);
         cur_ob = r->at.ob;
         cur_fl = cur_fn = NONE;
      }
      if (r->at.fl != cur_fl) {
         out_name(o, "fl", r->at.fl, seen, SEEN_FL);
         cur_fl = r->at.fl;
         cur_fn = NONE;
      }
      if (r->at.fn != cur_fn) {
         out_name(o, "fn", r->at.fn, seen, SEEN_FN);
         cur_fn = r->at.fn;
      }
      if (r->callee.fn != NONE) {
         /* the callee's object and file only where they differ, as
            Callgrind writes them: callgrind_annotate strips the current
            directory from fl= names, not from cfi= names */
         if (r->callee.ob != r->at.ob)
            out_name(o, "cob", r->callee.ob, seen, SEEN_OB);
         if (r->callee.fl != r->at.fl)
            out_name(o, "cfi", r->callee.fl, seen, SEEN_FL);
         out_name(o, "cfn", r->callee.fn, seen, SEEN_FN);
         const struct vt_hash_ent *e =
            vt_hash_get(&first_line, ((ULong)r->callee.fl << 32) | r->callee.fn);
         vt_out_fmt(o, "calls=%llu %llu\n", calls, e ? e->val : 0ULL);
      }
      vt_out_fmt(o, "%u", r->at.line);
      out_costs(o, ev, ne);
      i = j;
   }
   vt_out_str(o, "\ntotals:");
   out_costs(o, total, ne);
   Bool ok = vt_out_close(o, "Callgrind-format file");
   vt_hash_destroy(&first_line);
   VG_(free)(recs);
   VG_(free)(total);
   VG_(free)(seen);
   VG_(free)(ev);
   strs_free();
   return ok;
}

/* ---- the summary's fault sites ------------------------------------------ */

/* The faults of simulation sim (0: the model) per source line of the
   innermost frame, most first: the first max lines printed as
   "  COUNT  fn (file:line): class n, ..."; returns how many lines hold
   faults in all. */
struct line_sum {
   const struct frame *f;
   ULong total, by_cls[VT_NR_FC];
};

static Int by_total(const void *a, const void *b)
{
   const struct line_sum *x = a, *y = b;
   if (x->total != y->total)
      return x->total > y->total ? -1 : 1;
   Int c = VG_(strcmp)(x->f->file, y->f->file);
   if (!c)
      c = VG_(strcmp)(x->f->fn, y->f->fn);
   return c ? c : x->f->line < y->f->line ? -1 : x->f->line > y->f->line ? 1 : 0;
}

static const HChar *basename(const HChar *path)
{
   const HChar *b = path;
   for (const HChar *p = path; *p; p++)
      if (*p == '/')
         b = p + 1;
   return b;
}

UInt vt_sites_print_lines(UInt sim, UInt max, const HChar *indent)
{
   ULong n = 0;
   struct line_rec *recs = VT_CALLOC("vt.sum", nr_sites ? nr_sites : 1, sizeof *recs);
   for (ULong i = 0; i < nr_sites; i++)
      if (all[i]->sim == sim) {
         recs[n].s = all[i];
         recs[n++].f = frame_of(all[i]->n ? all[i]->ips[0] : 0);
      }
   VG_(ssort)(recs, n, sizeof *recs, by_file_fn_line);
   struct line_sum *sums = VT_CALLOC("vt.sum", n ? n : 1, sizeof *sums);
   UInt nl = 0;
   for (ULong i = 0; i < n; i++) {
      if (!i || by_file_fn_line(&recs[i], &recs[i - 1]))
         sums[nl++].f = recs[i].f;
      sums[nl - 1].total += recs[i].s->count;
      sums[nl - 1].by_cls[recs[i].s->cls] += recs[i].s->count;
   }
   VG_(ssort)(sums, nl, sizeof *sums, by_total);
   for (UInt i = 0; i < nl && i < max; i++) {
      const struct line_sum *l = &sums[i];
      HChar where[512], classes[256], safe[1024];
      if (l->f->line)
         VG_(snprintf)(where, sizeof where, "%s (%s:%u)", l->f->fn, basename(l->f->file),
                       l->f->line);
      else
         VG_(snprintf)(where, sizeof where, "%s (in %s)", l->f->fn, basename(l->f->obj));
      SizeT used = 0;
      classes[0] = 0;
      for (Int c = 0; c < VT_NR_FC && used < sizeof classes; c++)
         if (l->by_cls[c])
            used += VG_(snprintf)(classes + used, sizeof classes - used, "%s%s %'llu",
                                  used ? ", " : "", vt_fault_classes[c].name, l->by_cls[c]);
      VG_(umsg)("%s%'9llu  %s: %s\n", indent, l->total,
                vt_log_name(where, safe, sizeof safe), classes);
   }
   VG_(free)(recs);
   VG_(free)(sums);
   return nl;
}
