/* vt_memsim.c: the simulations of limited physical memory, seen from the
   tool: --ram, --swap, --policy and their parameters, out-of-memory
   records, the output and the summary table.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_threadstate.h"
#include "vt_tool.h"
#include "vt_sim.h"

struct vt_oom_rec {
   ULong time, rss;
   Addr  addr;
   UInt  n_ips;
   Addr  ips[VT_STACK_DEPTH];
   DiEpoch ep;
};
#define MAX_OOM_RECS 10

static struct simrec {
   struct vt_sim *sim;
   const HChar *ram_text;           /* --ram's size as written */
   ULong  stopped_at;               /* 0: running */
   struct vt_oom_rec stop;          /* the event that stopped it */
   UInt   nr_oom;
   struct vt_oom_rec oom[MAX_OOM_RECS];
} *recs;
static UInt nr_recs;
static UInt stops_told;             /* stops announced in the log so far */

/* Host op oom: simulation i ran out of memory bringing in addr. */
void vt_memsim_oom(void *ctx, struct vt_mm *mm, uint32_t i, vt_addr addr)
{
   (void)ctx;
   struct simrec *r = &recs[i];
   Bool stops = vt_clo.oom_stop && !r->stopped_at;
   if (r->nr_oom >= MAX_OOM_RECS && !stops) {
      r->nr_oom++;                   /* counted; its stack not taken */
      return;
   }
   struct vt_oom_rec o;
   o.time = vt_mm.now;
   o.rss = vt_mm.rss;
   o.addr = addr;
   o.ep = VG_(current_DiEpoch)();
   ThreadId tid = VG_(get_running_tid)();
   o.n_ips = tid != VG_INVALID_THREADID
                ? vt_stack_trace(tid, o.ips, VT_STACK_DEPTH, o.ep) : 0;
   if (r->nr_oom < MAX_OOM_RECS)
      r->oom[r->nr_oom] = o;
   r->nr_oom++;
   if (stops) {
      r->stop = o;
      r->stopped_at = vt_mm.now ? vt_mm.now : 1;
      vt_mm_stop_sim(mm, i);
      /* The first stop in the log as it happens, every one with -v; the
         summary lists them all (with -q, which silences it, the output
         file does).  Figures as the summary's list of stops has them. */
      if (stops_told++ == 0 || VG_(clo_verbosity) > 1) {
         vt_progress_clear();
         VG_(umsg)("Out of memory in simulation %s --ram=%s: it stops here "
                   "(at %'llu instructions, RSS %'llu pages); --oom=continue goes on%s\n",
                   vt_sim_config(r->sim)->policy->name, r->ram_text, vt_mm.now, vt_mm.rss,
                   VG_(clo_verbosity) > 1 ? ""
                   : VG_(clo_verbosity) == 0 ? "; the output file lists every stop"
                                             : "; the summary lists every stop");
      }
   }
}

void vt_memsim_init(void)
{
   if (!vt_clo.nr_ram)
      return;
   nr_recs = vt_clo.nr_pol * vt_clo.nr_ram;
   recs = VT_CALLOC("vt.sims", nr_recs, sizeof *recs);
   UInt k = 0;
   for (UInt p = 0; p < vt_clo.nr_pol; p++)
      for (UInt r = 0; r < vt_clo.nr_ram; r++) {
         struct vt_sim_config cfg;
         VG_(memset)(&cfg, 0, sizeof cfg);
         cfg.policy = vt_clo.policies[p];
         cfg.ram_pages = vt_clo.ram_pages[r];
         cfg.swap_pages = vt_clo.swap_pages;
         cfg.no_swap = vt_clo.no_swap;
         cfg.params = *vt_policy_params_of(cfg.policy);
         recs[k].sim = vt_sim_create(&cfg, NULL);
         recs[k].ram_text = vt_clo.ram_text[r];
         vt_mm_add_sim(&vt_mm, recs[k].sim);
         k++;
      }
}

/* The earliest time a running simulation must tick (NRU, AGING periods),
   on the process's clock (vt_insns; 0: due now, in a forked child whose
   simulations' time passed a tick before the fork).  A simulation stopped
   out of memory never ticks again (vt_memsim_advance passes it by): its
   tick time, soon past, would make every check due. */
ULong vt_memsim_next_tick(void)
{
   ULong next = ~0ULL;
   for (UInt i = 0; i < nr_recs; i++) {
      if (vt_mm.sim_stopped[i])
         continue;
      ULong t = vt_mm_sims_next_tick(&vt_mm, i);
      if (t < next)
         next = t;
   }
   return next;
}

void vt_memsim_advance(ULong now)
{
   for (UInt i = 0; i < nr_recs; i++)
      if (!vt_mm.sim_stopped[i])
         vt_mm_sims_advance(&vt_mm, i, now);
}

/* A forked child simulates its own memory from the copy it inherited;
   its figures start at the fork. */
void vt_memsim_child(void)
{
   for (UInt i = 0; i < nr_recs; i++)
      recs[i].nr_oom = 0;      /* the stats: vt_fork_child */
   stops_told = 0;
}

UInt vt_memsim_count(void)
{
   return nr_recs;
}

const HChar *vt_memsim_name(UInt i, HChar *buf, SizeT size)
{
   VG_(snprintf)(buf, size, "%s.%s", vt_sim_config(recs[i].sim)->policy->name,
                 recs[i].ram_text);
   return buf;
}

/* The first frame of a stack, as "fn (file:line)". */
static const HChar *first_frame(const struct vt_oom_rec *r)
{
   if (!r->n_ips)
      return "(no stack)";
   const HChar *d = VG_(describe_IP)(r->ep, r->ips[0], NULL);
   const HChar *p = VG_(strstr)(d, ": ");
   return p ? p + 2 : d;
}

static Bool same_stop(const struct simrec *a, const struct simrec *b)
{
   return a->stop.time == b->stop.time && a->stop.n_ips == b->stop.n_ips &&
          (!a->stop.n_ips || a->stop.ips[0] == b->stop.ips[0]);
}

/* The `max` mappings that lost the most pages to sim's evictions, one line
   each: evictions, refaults (major faults of those pages faulting back),
   the mapping as the mappings table names it. */
static void print_evictions(const struct vt_sim *sim, UInt max, const HChar *indent)
{
   UInt n = vt_mm.nr_maps;
   if (!n)
      return;
   vt_u64 *ev = VT_CALLOC("vt.sims", n, sizeof *ev);
   vt_u64 *rf = VT_CALLOC("vt.sims", n, sizeof *rf);
   vt_sim_evictions_by_mapping(sim, ev, n);
   vt_sim_refaults_by_mapping(sim, rf, n);
   for (UInt k = 0; k < max; k++) {
      UInt best = n;
      for (UInt m = 0; m < n; m++)
         if (vt_mm.maps[m] && ev[m] && (best == n || ev[m] > ev[best]))
            best = m;
      if (best == n)
         break;
      const struct vt_mapping *m = vt_mm.maps[best];
      HChar safe[1024];
      VG_(umsg)("%s%'9llu  evicted from mapping %u (%s %#lx%s%s), %'llu refaulted\n",
                indent, ev[best], best, vt_map_kind_names[m->kind], (Addr)m->start,
                m->name[0] ? " " : "", vt_log_name(m->name, safe, sizeof safe), rf[best]);
      ev[best] = 0;
   }
   VG_(free)(ev);
   VG_(free)(rf);
}

/* Default: the major faults of each (RAM size, policy) side by side, the
   RAM sizes as rows (the question is what each size costs under each
   policy); the simulations that stopped out of memory apart, as not
   comparable, grouped where they stopped alike.  -v: every figure of
   every simulation that ran to the end, and each stop with its stack. */
void vt_memsim_summary(Bool verbose)
{
   if (!nr_recs)
      return;
   UInt np = vt_clo.nr_pol, nr = vt_clo.nr_ram, nstopped = 0;
   for (UInt i = 0; i < nr_recs; i++)
      nstopped += recs[i].stopped_at != 0;
   VG_(umsg)("\n");
   VG_(umsg)("Simulated memory, major faults (swap %s%s):\n",
             vt_clo.no_swap ? "none" : vt_clo.swap_text,
             verbose ? "" : "; -v: every figure");
   Int rw = 3;
   for (UInt r = 0; r < nr; r++)
      if ((Int)VG_(strlen)(vt_clo.ram_text[r]) > rw)
         rw = (Int)VG_(strlen)(vt_clo.ram_text[r]);
   HChar line[1024];
   SizeT used = VG_(snprintf)(line, sizeof line, "  %-*s", rw, "RAM");
   for (UInt p = 0; p < np && used < sizeof line; p++)
      used += VG_(snprintf)(line + used, sizeof line - used, " %9s", vt_clo.policies[p]->name);
   VG_(umsg)("%s\n", line);
   for (UInt r = 0; r < nr; r++) {
      used = VG_(snprintf)(line, sizeof line, "  %-*s", rw, vt_clo.ram_text[r]);
      for (UInt p = 0; p < np && used < sizeof line; p++) {
         const struct simrec *s = &recs[p * nr + r];
         struct vt_counts cnt;
         VG_(memcpy)(cnt.faults, vt_sim_stats(s->sim)->faults, sizeof cnt.faults);
         if (s->stopped_at)
            used += VG_(snprintf)(line + used, sizeof line - used, " %9s", "stopped");
         else
            used += VG_(snprintf)(line + used, sizeof line - used, " %'9llu",
                                  vt_counts_major(&cnt));
      }
      VG_(umsg)("%s\n", line);
   }
   if (verbose) {
      VG_(umsg)("  %-8s %8s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n", "policy", "RAM",
                "minor", "major", "swap-in", "swap-out", "writeback", "refault",
                "evicted", "peak RSS", "OOM");
      for (UInt i = 0; i < nr_recs; i++) {
         if (recs[i].stopped_at)
            continue;
         const struct vt_sim_stats *st = vt_sim_stats(recs[i].sim);
         struct vt_counts cnt;
         VG_(memcpy)(cnt.faults, st->faults, sizeof cnt.faults);
         VG_(umsg)("  %-8s %8s %'9llu %'9llu %'9llu %'9llu %'9llu %'9llu %'9llu %'9llu %'9llu\n",
                   vt_sim_config(recs[i].sim)->policy->name, recs[i].ram_text,
                   vt_counts_minor(&cnt), vt_counts_major(&cnt), st->faults[VT_FC_SWAP_IN],
                   st->swap_outs, st->writebacks, st->refaults, st->evictions,
                   st->peak_resident, st->oom_events);
         /* where it took the most, below its row, and whose pages it took */
         vt_sites_print_lines(i + 1, 3, "           ");
         print_evictions(recs[i].sim, 3, "           ");
      }
   }
   if (!nstopped)
      return;
   VG_(umsg)("  Stopped out of memory (their figures end there: not comparable):\n");
   if (verbose) {
      for (UInt i = 0; i < nr_recs; i++) {
         const struct simrec *s = &recs[i];
         if (!s->stopped_at)
            continue;
         VG_(umsg)("    %s %s at %'llu instructions, RSS %'llu pages, bringing in %#lx:\n",
                   vt_sim_config(s->sim)->policy->name, s->ram_text, s->stop.time,
                   s->stop.rss, s->stop.addr);
         if (s->stop.n_ips)
            VG_(pp_StackTrace)(s->stop.ep, (Addr *)s->stop.ips, s->stop.n_ips);
      }
      return;
   }
   /* grouped: one line per RAM size and place */
   Bool *done = VT_CALLOC("vt.sims", nr_recs, sizeof *done);
   for (UInt r = 0; r < nr; r++)
      for (UInt p = 0; p < np; p++) {
         const struct simrec *s = &recs[p * nr + r];
         if (!s->stopped_at || done[p * nr + r])
            continue;
         HChar who[512];
         UInt n = 0;
         SizeT u = 0;
         who[0] = 0;
         for (UInt q = p; q < np; q++) {
            const struct simrec *o = &recs[q * nr + r];
            if (!o->stopped_at || done[q * nr + r] || !same_stop(s, o))
               continue;
            done[q * nr + r] = True;
            n++;
            if (u < sizeof who)
               u += VG_(snprintf)(who + u, sizeof who - u, "%s%s", u ? ", " : "",
                                  vt_sim_config(o->sim)->policy->name);
         }
         if (n == np && np > 2)
            VG_(snprintf)(who, sizeof who, "all %u policies", np);
         HChar safe[1024];
         VG_(umsg)("    %-*s %s: at %'llu instructions, RSS %'llu pages, in %s\n", rw,
                   vt_clo.ram_text[r], who, s->stop.time, s->stop.rss,
                   vt_log_name(first_frame(&s->stop), safe, sizeof safe));
      }
   VG_(free)(done);
}

/* {"<mapping id>": count} of the mappings with a count (ids as in the
   output's mappings). */
static void write_by_mapping(struct vt_out *o, const struct vt_sim *sim,
                             void (*get)(const struct vt_sim *, vt_u64 *, uint32_t))
{
   vt_u64 *n = VT_CALLOC("vt.sims", vt_mm.nr_maps ? vt_mm.nr_maps : 1, sizeof *n);
   get(sim, n, vt_mm.nr_maps);
   vt_out_str(o, "{");
   Bool first = True;
   for (UInt m = 0; m < vt_mm.nr_maps; m++)
      if (n[m]) {
         vt_out_fmt(o, "%s\"%u\": %llu", first ? "" : ", ", m, n[m]);
         first = False;
      }
   vt_out_str(o, "}");
   VG_(free)(n);
}

void vt_memsim_write_json(struct vt_out *o)
{
   for (UInt i = 0; i < nr_recs; i++) {
      const struct vt_sim_stats *st = vt_sim_stats(recs[i].sim);
      const struct vt_sim_config *c = vt_sim_config(recs[i].sim);
      vt_out_fmt(o, "%s\n  {\"policy\": \"%s\", \"ram\": ", i ? "," : "", c->policy->name);
      vt_out_json_str(o, recs[i].ram_text);
      vt_out_fmt(o, ", \"ram_pages\": %llu, \"swap\": ", c->ram_pages);
      vt_out_json_str(o, vt_clo.no_swap ? "0" : vt_clo.swap_text);
      if (c->swap_pages || c->no_swap)
         vt_out_fmt(o, ", \"swap_pages\": %llu", c->swap_pages);
      else
         vt_out_str(o, ", \"swap_pages\": null");
      vt_out_str(o, ", \"faults\": ");
      struct vt_counts cnt;
      VG_(memset)(&cnt, 0, sizeof cnt);
      VG_(memcpy)(cnt.faults, st->faults, sizeof cnt.faults);
      vt_out_faults(o, &cnt);
      vt_out_fmt(o, ", \"swap_ins\": %llu, \"swap_outs\": %llu, \"writebacks\": %llu, "
                    "\"refaults\": %llu, \"evictions\": %llu, \"resident_pages\": %llu, "
                    "\"peak_resident_pages\": %llu, \"stopped_at\": ",
                 st->faults[VT_FC_SWAP_IN], st->swap_outs, st->writebacks,
                 st->refaults, st->evictions, vt_sim_resident(recs[i].sim),
                 st->peak_resident);
      if (recs[i].stopped_at)
         vt_out_fmt(o, "%llu", recs[i].stopped_at);
      else
         vt_out_str(o, "null");
      /* what stopped it: its first out-of-memory event (--oom=stop) */
      vt_out_str(o, ", \"stopped\": ");
      if (recs[i].stopped_at) {
         const struct vt_oom_rec *r = &recs[i].stop;
         vt_out_fmt(o, "{\"time\": %llu, \"rss_pages\": %llu, \"address\": %lu, "
                       "\"stack\": ", r->time, r->rss, r->addr);
         vt_out_stack(o, r->ep, r->ips, r->n_ips);
         vt_out_str(o, "}");
      } else {
         vt_out_str(o, "null");
      }
      /* evictions and refaults per mapping */
      vt_out_str(o, ", \"evictions_by_mapping\": ");
      write_by_mapping(o, recs[i].sim, vt_sim_evictions_by_mapping);
      vt_out_str(o, ", \"refaults_by_mapping\": ");
      write_by_mapping(o, recs[i].sim, vt_sim_refaults_by_mapping);
      vt_out_fmt(o, ", \"oom_count\": %llu, \"oom_events\": [", st->oom_events);
      for (UInt k = 0; k < recs[i].nr_oom && k < MAX_OOM_RECS; k++) {
         const struct vt_oom_rec *r = &recs[i].oom[k];
         vt_out_fmt(o, "%s{\"time\": %llu, \"rss_pages\": %llu, \"address\": %lu, "
                       "\"stack\": ", k ? ", " : "", r->time, r->rss, r->addr);
         vt_out_stack(o, r->ep, r->ips, r->n_ips);
         vt_out_str(o, "}");
      }
      vt_out_str(o, "], \"fault_sites\": [");
      vt_sites_write_json(o, i + 1);
      vt_out_str(o, "]}");
   }
}
