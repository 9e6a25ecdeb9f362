/* vt_sites.c: fault sites.  The stack at every fault (to
   --fault-stack-depth frames), aggregated per (class, stack); the top sites
   go into the output file, and --cg-out-file writes faults per source line
   in Cachegrind's format for cg_annotate and KCachegrind.
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

/* A site: a fault class and a stack, with its count.  Sites are found
   through the core's hash table by a hash of (class, stack); sites whose
   hashes collide are chained. */
struct site {
   struct site *next;       /* same hash */
   ULong count;
   UInt  cls, n;
   Addr  ips[];
};

static struct vt_hash tab;          /* hash -> the first site */
static struct site **all;           /* every site, in creation order */
static ULong nr_sites, cap_sites;
static DiEpoch epoch;

static ULong hash_stack(UInt cls, const Addr *ips, UInt n)
{
   ULong h = cls * 0x9E3779B97F4A7C15ULL;
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

void vt_sites_record(enum vt_fault_class cls)
{
   ThreadId tid = VG_(get_running_tid)();
   if (tid == VG_INVALID_THREADID || vt_clo.fault_stack_depth == 0)
      return;
   Addr ips[MAX_DEPTH];
   epoch = VG_(current_DiEpoch)();
   UInt n = vt_stack_trace(tid, ips, vt_clo.fault_stack_depth, epoch);
   ULong h = hash_stack(cls, ips, n);
   if (!tab.e)
      vt_hash_init(&tab, 1024);
   bool added;
   struct vt_hash_ent *e = vt_hash_put(&tab, h, &added);
   for (struct site *s = added ? NULL : (struct site *)e->val; s; s = s->next)
      if (s->cls == cls && s->n == n &&
          VG_(memcmp)(s->ips, ips, n * sizeof(Addr)) == 0) {
         s->count++;
         return;
      }
   struct site *s = VG_(malloc)("vt.sites", sizeof *s + n * sizeof(Addr));
   s->count = 1;
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

/* A forked child's sites are its own. */
void vt_sites_child(void)
{
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

void vt_sites_write_json(struct vt_out *o)
{
   struct site **v = sorted();
   UInt shown = 0, cls = ~0u;
   Bool first = True;
   for (ULong i = 0; i < nr_sites; i++) {
      struct site *s = v[i];
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

/* ---- Cachegrind format -------------------------------------------------- */

enum { EV_MIN, EV_MAJ, EV_COW, EV_INV, NR_EV };
static const HChar *const ev_names = "MinFlt MajFlt CowFlt InvFlt";

struct line_rec {
   const HChar *file, *fn;
   UInt line;
   ULong ev[NR_EV];
};

static Int by_file_fn_line(const void *a, const void *b)
{
   const struct line_rec *x = a, *y = b;
   Int c = VG_(strcmp)(x->file, y->file);
   if (!c)
      c = VG_(strcmp)(x->fn, y->fn);
   if (!c)
      c = x->line < y->line ? -1 : x->line > y->line ? 1 : 0;
   return c;
}

void vt_sites_write_cg(void)
{
   if (!vt_clo.cg_out_file)
      return;
   HChar *name = VG_(expand_file_name)("--cg-out-file", vt_clo.cg_out_file);
   struct vt_out *o = vt_out_open(name, "Cachegrind-format file");
   VG_(free)(name);
   if (!o)
      return;
   /* One record per fault site's innermost frame, then merged by line. */
   struct line_rec *recs = VT_CALLOC("vt.cg", nr_sites ? nr_sites : 1, sizeof *recs);
   ULong total[NR_EV] = { 0 };
   for (ULong i = 0; i < nr_sites; i++) {
      struct site *s = all[i];
      struct line_rec *r = &recs[i];
      const HChar *file = NULL, *dir = NULL, *fn = NULL;
      UInt line = 0;
      Addr ip = s->n ? s->ips[0] : 0;
      if (!VG_(get_filename_linenum)(epoch, ip, &file, &dir, &line))
         file = "???", dir = NULL, line = 0;
      if (dir && dir[0] && file[0] != '/') {
         HChar *full = VG_(malloc)("vt.cg", VG_(strlen)(dir) + VG_(strlen)(file) + 2);
         VG_(sprintf)(full, "%s/%s", dir, file);
         r->file = full;
      } else {
         r->file = VG_(strdup)("vt.cg", file);
      }
      if (!VG_(get_fnname)(epoch, ip, &fn))
         fn = "???";
      r->fn = VG_(strdup)("vt.cg", fn);
      r->line = line;
      const struct vt_fault_class_info *fc = &vt_fault_classes[s->cls];
      Int e = fc->kind == VT_MINOR ? EV_MIN : fc->kind == VT_MAJOR ? EV_MAJ : EV_INV;
      r->ev[e] = s->count;
      if (s->cls == VT_FC_WP_COPY || s->cls == VT_FC_WP_REUSE || s->cls == VT_FC_FILE_COW ||
          s->cls == VT_FC_THP_WP_ZERO || s->cls == VT_FC_THP_WP_REUSE)
         r->ev[EV_COW] = s->count;
      for (Int k = 0; k < NR_EV; k++)
         total[k] += r->ev[k];
   }
   VG_(ssort)(recs, nr_sites, sizeof *recs, by_file_fn_line);
   HChar cmd[1024];
   VG_(client_cmd_and_args)(cmd, sizeof cmd);
   vt_out_fmt(o, "desc: vmtrace %s: page faults by source line (first frame)\n"
                 "cmd: %s\nevents: %s\n", VT_VERSION, cmd, ev_names);
   const HChar *cur_file = NULL, *cur_fn = NULL;
   for (ULong i = 0; i < nr_sites;) {
      struct line_rec *r = &recs[i];
      ULong ev[NR_EV] = { 0 };
      ULong j = i;
      for (; j < nr_sites && !by_file_fn_line(&recs[j], r); j++)
         for (Int k = 0; k < NR_EV; k++)
            ev[k] += recs[j].ev[k];
      if (!cur_file || VG_(strcmp)(cur_file, r->file)) {
         vt_out_fmt(o, "fl=%s\n", r->file);
         cur_file = r->file;
         cur_fn = NULL;
      }
      if (!cur_fn || VG_(strcmp)(cur_fn, r->fn)) {
         vt_out_fmt(o, "fn=%s\n", r->fn);
         cur_fn = r->fn;
      }
      vt_out_fmt(o, "%u %llu %llu %llu %llu\n", r->line,
                 ev[EV_MIN], ev[EV_MAJ], ev[EV_COW], ev[EV_INV]);
      i = j;
   }
   vt_out_fmt(o, "summary: %llu %llu %llu %llu\n",
              total[EV_MIN], total[EV_MAJ], total[EV_COW], total[EV_INV]);
   vt_out_close(o, "Cachegrind-format file");
   for (ULong i = 0; i < nr_sites; i++) {
      VG_(free)((HChar *)recs[i].file);
      VG_(free)((HChar *)recs[i].fn);
   }
   VG_(free)(recs);
}
