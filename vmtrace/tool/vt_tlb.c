/* vt_tlb.c: the tool's side of the TLB model (the core's tlb.c, vt_tlb.h):
   its options, its misses per instruction (for the Cachegrind file), its
   section of the output file and its lines in the log summary.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_tooliface.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_machine.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_threadstate.h"
#include "vt_tool.h"

/* ---- options ----------------------------------------------------------- */

static const HChar *cpu = "skylake";
static const HChar *geometry_option;   /* the first --tlb-cpu or --tlb-l* given */

const HChar *vt_tlb_geometry_option(void)
{
   return geometry_option;
}
static const HChar *level_arg[VT_TLB_NR_LEVELS];
static const HChar *const level_opt[VT_TLB_NR_LEVELS] = {
   "--tlb-l1d", "--tlb-l1i", "--tlb-l2", "--tlb-l2i"
};

Bool vt_tlb_option(const HChar *arg)
{
   const HChar *s = NULL;
   if VG_BOOL_CLO(arg, "--tlb", vt_clo.tlb) {
      return True;
   } else if (VG_STR_CLO(arg, "--tlb-cpu", s)) {
      if (!vt_tlb_preset(s)) {
         HChar names[128] = "";
         for (const struct vt_tlb_config *c = vt_tlb_presets; c->name; c++) {
            VG_(strcat)(names, c == vt_tlb_presets ? "" : ", ");
            VG_(strcat)(names, c->name);
         }
         VG_(fmsg_bad_option)(arg, "--tlb-cpu takes one of %s\n", names);
      }
      cpu = s;
      geometry_option = geometry_option ? geometry_option : arg;
      return True;
   }
   for (Int l = 0; l < VT_TLB_NR_LEVELS; l++) {
      SizeT n = VG_(strlen)(level_opt[l]);
      if (VG_(strncmp)(arg, level_opt[l], n) || arg[n] != '=')
         continue;
      s = arg + n + 1;
      {
         struct vt_tlb_config scratch = *vt_tlb_preset("skylake");
         const char *why = vt_tlb_parse_level(&scratch, l, s);
         if (!why)
            why = vt_tlb_check(&scratch);
         if (why)
            VG_(fmsg_bad_option)(arg, "%s takes ENTRIES:WAYS[:SIZES][,...] (e.g. "
                                 "1536:12:4K/2M): %s\n", level_opt[l], why);
         level_arg[l] = s;
         geometry_option = geometry_option ? geometry_option : arg;
         return True;
      }
   }
   return False;
}

void vt_tlb_usage(void)
{
   VG_(printf)(
"    --tlb=yes|no                simulate the data and instruction TLBs [no]\n"
"    --tlb-cpu=<name>            their geometry: skylake zen2 zen3 zen4 [skylake]\n"
"    --tlb-l1d=<E>:<W>[:<sizes>][,...]  a level's arrays instead: E entries, W\n"
"    --tlb-l1i=..., --tlb-l2=...        ways, page sizes 4K/2M/1G [all];\n"
"    --tlb-l2i=...|none                 --tlb-l2i: the instruction side's own\n"
"                                       second level (none: --tlb-l2 shared)\n");
}

/* ---- setup ------------------------------------------------------------- */

void vt_tlb_init(void)
{
   if (!vt_clo.tlb)
      return;
   struct vt_tlb_config c = *vt_tlb_preset(cpu);
   for (Int l = 0; l < VT_TLB_NR_LEVELS; l++)
      if (level_arg[l])
         tl_assert(!vt_tlb_parse_level(&c, l, level_arg[l]));
   const char *why = vt_tlb_check(&c);
   if (why) {
      VG_(fmsg_bad_option)("--tlb-*", "%s\n", why);
   }
   vt_mm_set_tlb(&vt_mm, vt_tlb_new(&c));
}

/* ---- misses per instruction ---------------------------------------------

   Keyed by the instruction's address, with bit 63 set for its fetch
   (instruction TLB) as against its data; val counts first-level misses,
   aux walks.  A kernel access in a system call has no instruction of its
   own: it is the system call's. */
static struct vt_hash by_ip;
/* The last misses' instructions, not yet added to by_ip: a small
   direct-mapped table by key, whose entry is added when another key takes
   its place, and all before by_ip is read.  A key taking a place is put
   in by_ip at once, so that by_ip's keys arrive in the order of their
   first miss, as without the table (it orders equal counts in the
   output). */
#define IP_CACHE 512
static struct { ULong key, miss, walk; } ip_cache[IP_CACHE];

static void ip_flush(UInt i)
{
   if (!ip_cache[i].miss)
      return;
   bool added;
   struct vt_hash_ent *e = vt_hash_put(&by_ip, ip_cache[i].key, &added);
   e->val += ip_cache[i].miss;
   e->aux += ip_cache[i].walk;
   ip_cache[i].miss = ip_cache[i].walk = 0;
}

void vt_tlb_on_miss(void *ctx, struct vt_mm *mm, vt_addr addr, enum vt_access acc, bool walk)
{
   (void)ctx; (void)mm; (void)addr;
   Addr ip = vt_fault_ip;
   if (!ip) {
      ThreadId tid = VG_(get_running_tid)();
      if (tid == VG_INVALID_THREADID)
         return;
      ip = VG_(get_IP)(tid);
   }
   if (!by_ip.e)
      vt_hash_init(&by_ip, 1024);
   ULong key = (ULong)ip | (acc == VT_ACC_EXEC ? 1ULL << 63 : 0);
   UInt i = (UInt)(key ^ (key >> 6) ^ (key >> 12)) & (IP_CACHE - 1);
   if (ip_cache[i].key != key) {
      ip_flush(i);
      ip_cache[i].key = key;
      bool added;
      vt_hash_put(&by_ip, key, &added);
   }
   ip_cache[i].miss++;
   ip_cache[i].walk += walk;
}

void vt_tlb_child(void)
{
   VG_(memset)(ip_cache, 0, sizeof ip_cache);
   if (by_ip.e) {
      vt_hash_destroy(&by_ip);
      VG_(memset)(&by_ip, 0, sizeof by_ip);
   }
}

UInt vt_tlb_ips(Addr **ips, ULong (**ev)[VT_TLB_NR_EV])
{
   for (UInt i = 0; i < IP_CACHE; i++)
      ip_flush(i);
   UInt n = 0;
   for (ULong i = 0; by_ip.e && i <= by_ip.mask; i++)
      if (by_ip.e[i].key != VT_HASH_EMPTY)
         n++;
   *ips = VT_CALLOC("vt.tlb.ips", n ? n : 1, sizeof **ips);
   *ev = VT_CALLOC("vt.tlb.ips", n ? n : 1, sizeof **ev);
   UInt k = 0;
   for (ULong i = 0; by_ip.e && i <= by_ip.mask; i++) {
      const struct vt_hash_ent *e = &by_ip.e[i];
      if (e->key == VT_HASH_EMPTY)
         continue;
      Bool x = (e->key >> 63) != 0;
      (*ips)[k] = (Addr)(e->key & ~(1ULL << 63));
      (*ev)[k][x ? 1 : 0] = e->val;
      (*ev)[k][x ? 3 : 2] = e->aux;
      k++;
   }
   return n;
}

/* ---- output ------------------------------------------------------------ */

/* The references the model did not see: the filter absorbed them (hits in
   the first level, whose order the model reads from their stamps,
   vt_tlb.h). */
static ULong absorbed(void)
{
   return vt_refs - vt_misses;
}

void vt_tlb_out_counts(struct vt_out *o, enum vt_tlb_scope scope, ULong id)
{
   if (!vt_mm.tlb)
      return;
   struct vt_tlb_counts c;
   vt_tlb_counts(&vt_mm, scope, id, &c);
   vt_out_fmt(o, ", \"tlb\": {\"dtlb_misses\": %llu, \"itlb_misses\": %llu, "
                 "\"dtlb_walks\": %llu, \"itlb_walks\": %llu}",
              c.miss[0], c.miss[1], c.walk[0], c.walk[1]);
}

static void out_level(struct vt_out *o, const struct vt_tlb_config *c, Int l)
{
   vt_out_str(o, "[");
   for (UInt i = 0; i < c->lv[l].nr; i++) {
      const struct vt_tlb_geom *g = &c->lv[l].a[i];
      vt_out_fmt(o, "%s{\"entries\": %u, \"ways\": %u, \"sets\": %u, \"sizes\": [", i ? ", " : "",
                 g->entries, g->ways, g->entries / g->ways);
      static const HChar *const sz[] = { "4K", "2M", "1G" };
      Bool first = True;
      for (Int s = 0; s < VT_TLB_NR_SIZES; s++)
         if (g->sizes & (1u << s)) {
            vt_out_fmt(o, "%s\"%s\"", first ? "" : ", ", sz[s]);
            first = False;
         }
      vt_out_str(o, "]}");
   }
   vt_out_str(o, "]");
}

#define TOP_INSNS 50

/* A row of "instructions": its events and its address. */
struct top_row {
   ULong ev[VT_TLB_NR_EV];
   Addr ip;
};

/* Most misses first; equal counts by the instruction's address, so that
   the list is a function of the counts alone (the order their first
   misses came in once decided it, and at a tie on the 50th row which rows
   were listed).  An address with misses of both kinds has two rows: the
   data's first. */
static Int by_misses(const void *a, const void *b)
{
   const struct top_row *x = a, *y = b;
   ULong mx = x->ev[0] + x->ev[1], my = y->ev[0] + y->ev[1];
   if (mx != my)
      return mx > my ? -1 : 1;
   if (x->ip != y->ip)
      return x->ip < y->ip ? -1 : 1;
   return x->ev[0] > y->ev[0] ? -1 : x->ev[0] < y->ev[0] ? 1 : 0;
}

/* "instructions": the TOP_INSNS with the most first-level misses (data and
   fetch), with where they are. */
static void out_top(struct vt_out *o)
{
   Addr *ips;
   ULong (*ev)[VT_TLB_NR_EV];
   UInt n = vt_tlb_ips(&ips, &ev);
   struct top_row *rows = VT_CALLOC("vt.tlb.top", n ? n : 1, sizeof *rows);
   for (UInt i = 0; i < n; i++) {
      VG_(memcpy)(rows[i].ev, ev[i], sizeof rows[i].ev);
      rows[i].ip = ips[i];
   }
   VG_(ssort)(rows, n, sizeof *rows, by_misses);
   DiEpoch ep = VG_(current_DiEpoch)();
   vt_out_str(o, ", \"instructions\": [");
   for (UInt k = 0; k < n && k < TOP_INSNS; k++) {
      const struct top_row *r = &rows[k];
      vt_out_str(o, k ? ",\n    {\"where\": " : "\n    {\"where\": ");
      vt_out_json_str(o, VG_(describe_IP)(ep, r->ip, NULL));
      vt_out_fmt(o, ", \"dtlb_misses\": %llu, \"itlb_misses\": %llu, \"dtlb_walks\": %llu, "
                    "\"itlb_walks\": %llu}", r->ev[0], r->ev[1], r->ev[2], r->ev[3]);
   }
   vt_out_str(o, "]");
   VG_(free)(rows);
   VG_(free)(ips);
   VG_(free)(ev);
}

void vt_tlb_write_json(struct vt_out *o)
{
   const struct vt_tlb_config *c = vt_tlb_config(vt_mm.tlb);
   const struct vt_tlb_stats *st = vt_tlb_stats(vt_mm.tlb);
   vt_out_str(o, "\"tlb\": {\"cpu\": ");
   vt_out_json_str(o, c->name);
   static const HChar *const names[] = { "l1d", "l1i", "l2", "l2i" };
   for (Int l = 0; l < VT_TLB_NR_LEVELS; l++) {
      if (l == VT_TLB_L2I && !c->lv[l].nr)
         continue;
      vt_out_fmt(o, ", \"%s\": ", names[l]);
      out_level(o, c, l);
   }
   vt_out_fmt(o, ", \"accesses\": %llu", st->accesses[0] + st->accesses[1] + absorbed());
   static const HChar *const side[] = { "data", "instruction" };
   for (Int x = 0; x < 2; x++) {
      ULong walks = 0, levels = 0;
      for (Int s = 0; s < VT_TLB_NR_SIZES; s++) {
         walks += st->walks[x][s];
         levels += st->walks[x][s] * vt_tlb_walk_depth((unsigned)s);
      }
      vt_out_fmt(o, ", \"%s\": {\"l1_misses\": %llu, \"l2_hits\": %llu, \"walks\": %llu, "
                    "\"walks_4k\": %llu, \"walks_2m\": %llu, \"walks_1g\": %llu, "
                    "\"walk_levels\": %llu}", side[x], st->l1_miss[x], st->l2_hit[x], walks,
                 st->walks[x][0], st->walks[x][1], st->walks[x][2], levels);
   }
   vt_out_fmt(o, ", \"flushes\": {\"full\": %llu, \"ranges\": %llu}", st->flushes_full,
              st->flushes_pages);
   out_top(o);
   vt_out_str(o, "}");
}

void vt_tlb_write_timeline(struct vt_out *o, const struct vt_wset *w, UInt n)
{
   if (!vt_mm.tlb)
      return;
   vt_out_str(o, ",\n  \"tlb\": {");
   vt_out_u64s(o, "dtlb_misses", w->tlb_miss[0], n);
   vt_out_str(o, ", ");
   vt_out_u64s(o, "itlb_misses", w->tlb_miss[1], n);
   vt_out_str(o, ", ");
   vt_out_u64s(o, "dtlb_walks", w->tlb_walk[0], n);
   vt_out_str(o, ", ");
   vt_out_u64s(o, "itlb_walks", w->tlb_walk[1], n);
   vt_out_str(o, "}");
}

void vt_tlb_summary(void)
{
   if (!vt_mm.tlb)
      return;
   const struct vt_tlb_stats *st = vt_tlb_stats(vt_mm.tlb);
   ULong w[2] = { 0, 0 }, lv = 0;
   for (Int x = 0; x < 2; x++)
      for (Int s = 0; s < VT_TLB_NR_SIZES; s++) {
         w[x] += st->walks[x][s];
         lv += st->walks[x][s] * vt_tlb_walk_depth((unsigned)s);
      }
   VG_(umsg)("TLB:            %s, %'llu accesses; data %'llu L1 misses, %'llu walks; "
             "instruction %'llu L1 misses, %'llu walks\n", vt_tlb_config(vt_mm.tlb)->name,
             st->accesses[0] + st->accesses[1] + absorbed(), st->l1_miss[0], w[0],
             st->l1_miss[1], w[1]);
   VG_(umsg)("   walks:      %'llu of 4 levels (4K), %'llu of 3 (2M), %'llu of 2 (1G): "
             "%'llu levels; flushes %'llu full, %'llu by page\n",
             st->walks[0][0] + st->walks[1][0], st->walks[0][1] + st->walks[1][1],
             st->walks[0][2] + st->walks[1][2], lv, st->flushes_full, st->flushes_pages);
}
