/* vs_out.c: vmtrace-sim's results as the tool's policy table, the curves'
   table, CSV and JSON (docs/output-format.md, "vmtrace-sim").
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vs.h"


uint64_t vs_res_minor(const struct vs_result *x)
{
   if (x->exact)
      return x->curve.cold;
   struct vt_counts c = { { 0 }, 0 };
   memcpy(c.faults, x->st.faults, sizeof c.faults);
   return vt_counts_minor(&c);
}

uint64_t vs_res_major(const struct vs_result *x)
{
   struct vt_counts c = { { 0 }, 0 };
   memcpy(c.faults, x->st.faults, sizeof c.faults);
   return vt_counts_major(&c);
}

uint64_t vs_res_faults(const struct vs_result *x)
{
   return vs_res_minor(x) + vs_res_major(x);
}

/* The misses of a result at a size: a simulation's faults, an exact
   curve's value there. */
static uint64_t misses_at(const struct vs_result *x, uint64_t size)
{
   return x->exact ? vs_curve_at(&x->curve, size) : vs_res_faults(x);
}

static const struct vs_result *find(const struct vs_run *r, uint32_t t,
                                    const struct vt_policy_ops *p, uint64_t pages,
                                    bool exact)
{
   for (uint64_t i = 0; i < r->nr_res; i++) {
      const struct vs_result *x = &r->res[i];
      if (x->done && x->trace == t && x->policy == p && x->exact == exact &&
          (exact || x->pages == pages))
         return x;
   }
   return NULL;
}

static void print_trace_head(FILE *f, const struct vs_run *r, uint32_t t)
{
   const struct vs_trace *tr = &r->traces[t];
   char a[32], b[32];
   fprintf(f, "%s (%s): %s references to %s pages", tr->name, tr->format,
           vt_count_text(tr->refs, a), vt_count_text(tr->pages, b));
   if (tr->skipped)
      fprintf(f, " (%s records of size 0 left out)", vt_count_text(tr->skipped, a));
   fputc('\n', f);
   if (tr->replayed && (tr->seen.prefaults || tr->seen.populated || tr->seen.zero_refs ||
                        tr->seen.locked_refs || tr->seen.fault_hits)) {
      /* what the simulations see and the stream (the curves) does not */
      char c[32], d[32], e[32];
      fprintf(f, "  not in the curves' stream, seen by the simulations: prefaults %s, "
              "populate references %s, zero-page references %s, locked-page references "
              "%s, faults on pages seen before %s (their faults are not the exact curves' "
              "misses: docs/vmtrace-sim.md)\n",
              vt_count_text(tr->seen.prefaults, a), vt_count_text(tr->seen.populated, b),
              vt_count_text(tr->seen.zero_refs, c), vt_count_text(tr->seen.locked_refs, d),
              vt_count_text(tr->seen.fault_hits, e));
   }
   if (tr->unmod.n) {
      char u[VS_UNMOD_MAX * 34];
      fprintf(f, "  unmodelled: %s (the process used what the model cannot see: these "
              "figures are not the kernel's)\n", vs_unmod_list(&tr->unmod, u, sizeof u));
   }
   if (r->cfg.sample > 0 && r->cfg.sample < 1) {
      fprintf(f, "  sampled at rate %g (SHARDS): %s references to %s pages; sizes "
              "simulated x %g, counts x %g", r->cfg.sample, vt_count_text(tr->sampled_refs, a),
              vt_count_text(tr->sampled_pages, b), r->cfg.sample, 1 / r->cfg.sample);
      if (tr->err_points)
         fprintf(f, "; LRU's miss ratio sampled vs exact at %u sizes: max error %.4f, "
                 "mean %.4f", tr->err_points, tr->err_max, tr->err_mean);
      fputc('\n', f);
   }
}

void vs_print_table(FILE *f, const struct vs_run *r)
{
   const struct vs_config *c = &r->cfg;
   char b[10][32];
   for (uint32_t t = 0; t < r->nr_traces; t++) {
      if (t)
         fputc('\n', f);
      print_trace_head(f, r, t);
      bool any = false;
      for (uint64_t i = 0; i < r->nr_res; i++) {
         const struct vs_result *x = &r->res[i];
         if (x->trace != t || !x->done || x->exact || x->curve_point)
            continue;
         if (!any) {
            fprintf(f, "Simulated memory (RAM in pages of 4 KiB; swap %s):\n",
                    c->no_swap ? "none" : c->swap_pages ? "limited" : "unlimited");
            fprintf(f, "  %-8s %9s %9s %9s %9s %9s %9s %9s %9s %5s\n", "policy", "RAM",
                    "minor", "major", "swap-in", "swap-out", "writeback", "refault",
                    "evicted", "OOM");
            any = true;
         }
         fprintf(f, "  %-8s %9s %9s %9s %9s %9s %9s %9s %9s %5llu%s\n", x->policy->name,
                 vt_count_text(x->pages, b[0]), vt_count_text(vs_res_minor(x), b[1]),
                 vt_count_text(vs_res_major(x), b[2]),
                 vt_count_text(x->st.faults[VT_FC_SWAP_IN], b[3]),
                 vt_count_text(x->st.swap_outs, b[4]), vt_count_text(x->st.writebacks, b[5]),
                 vt_count_text(x->st.refaults, b[6]), vt_count_text(x->st.evictions, b[7]),
                 (unsigned long long)x->st.oom_events, x->stopped_at ? " stopped" : "");
      }
      if (!c->mrc)
         continue;
      /* The curves: one column a policy, one row a size. */
      uint64_t sizes[256];
      unsigned ns = vs_curve_sizes(c, r->traces[t].pages, sizes, 256);
      /* Only LRU and OPT have exact curves: say so of those run. */
      bool lru = false, opt = false;
      for (unsigned p = 0; p < c->nr_policies; p++) {
         lru |= c->policies[p] == &vt_policy_lru;
         opt |= c->policies[p] == &vt_policy_opt;
      }
      fprintf(f, "%sMiss ratio by RAM size (pages; misses / %s references%s):\n",
              any ? "\n" : "", vt_count_text(r->traces[t].refs, b[0]),
              lru && opt ? "; lru and opt exact at every size"
              : lru      ? "; lru exact at every size"
              : opt      ? "; opt exact at every size"
                         : "; simulated at each size");
      fprintf(f, "  %9s", "pages");
      for (unsigned p = 0; p < c->nr_policies; p++)
         fprintf(f, " %9s", c->policies[p]->name);
      fputc('\n', f);
      for (unsigned k = 0; k < ns; k++) {
         fprintf(f, "  %9s", vt_count_text(sizes[k], b[0]));
         for (unsigned p = 0; p < c->nr_policies; p++) {
            const struct vt_policy_ops *pol = c->policies[p];
            bool exact = !strcmp(pol->name, "lru") || !strcmp(pol->name, "opt");
            const struct vs_result *x = find(r, t, pol, sizes[k], exact);
            if (!x || !x->refs)
               fprintf(f, " %9s", "-");
            else
               fprintf(f, " %9.4f", (double)misses_at(x, sizes[k]) / (double)x->refs);
         }
         fputc('\n', f);
      }
   }
}

/* ---- CSV ---------------------------------------------------------------------- */

static void csv_field(FILE *f, const char *s)
{
   if (!strpbrk(s, ",\"\n\r")) {
      fputs(s, f);
      return;
   }
   fputc('"', f);
   for (; *s; s++) {
      if (*s == '"')
         fputc('"', f);
      fputc(*s, f);
   }
   fputc('"', f);
}

static void csv_row(FILE *f, const struct vs_run *r, const struct vs_result *x,
                    uint64_t pages)
{
   uint64_t faults, major, minor, evictions, refaults, swap_outs, writebacks, oom;
   const char *method = r->cfg.sample > 0 && r->cfg.sample < 1 ? "sampled" : "simulated";
   if (x->exact) {
      faults = vs_curve_at(&x->curve, pages);
      minor = x->curve.cold;
      major = refaults = faults - minor;
      evictions = faults - (pages < minor ? pages : minor);
      swap_outs = writebacks = oom = 0;
      method = r->cfg.sample > 0 && r->cfg.sample < 1 ? "exact-sampled" : "exact";
   } else {
      faults = vs_res_faults(x);
      major = vs_res_major(x);
      minor = vs_res_minor(x);
      evictions = x->st.evictions;
      refaults = x->st.refaults;
      swap_outs = x->st.swap_outs;
      writebacks = x->st.writebacks;
      oom = x->st.oom_events;
   }
   fprintf(f, "%s,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%s,", x->policy->name,
           (unsigned long long)pages, (unsigned long long)faults, (unsigned long long)major,
           (unsigned long long)evictions, (unsigned long long)minor,
           (unsigned long long)refaults, (unsigned long long)swap_outs,
           (unsigned long long)writebacks, (unsigned long long)oom,
           (unsigned long long)x->refs, method);
   csv_field(f, r->traces[x->trace].name);
   fputc('\n', f);
}

int vs_write_csv(const struct vs_run *r, const char *path, char *err, size_t errlen)
{
   struct vs_ofile o;
   if (vs_out_open(&o, path, false, err, errlen))
      return -1;
   fputs("policy,pages,faults,major,evictions,minor,refaults,swap_outs,writebacks,oom,"
         "references,method,trace\n", o.f);
   for (uint64_t i = 0; i < r->nr_res; i++) {
      const struct vs_result *x = &r->res[i];
      if (!x->done)
         continue;
      if (!x->exact) {
         csv_row(o.f, r, x, x->pages);
         continue;
      }
      /* An exact curve: at the sizes asked for, then the curve's. */
      uint64_t sizes[512];
      unsigned n = 0;
      for (unsigned k = 0; k < r->cfg.nr_sizes; k++)
         sizes[n++] = r->cfg.sizes[k];
      uint64_t cs[256];
      unsigned nc = vs_curve_sizes(&r->cfg, r->traces[x->trace].pages, cs, 256);
      for (unsigned k = 0; k < nc; k++) {
         bool dup = false;
         for (unsigned j = 0; j < r->cfg.nr_sizes; j++)
            dup |= sizes[j] == cs[k];
         if (!dup)
            sizes[n++] = cs[k];
      }
      for (unsigned k = 0; k < n; k++)
         csv_row(o.f, r, x, sizes[k]);
   }
   return vs_out_close(&o, err, errlen);
}

/* ---- JSON --------------------------------------------------------------------- */

static void json_faults(FILE *f, const struct vt_sim_stats *st)
{
   struct vt_counts c = { { 0 }, 0 };
   memcpy(c.faults, st->faults, sizeof c.faults);
   fprintf(f, "{\"total\": %llu, \"minor\": %llu, \"major\": %llu",
           vt_counts_minor(&c) + vt_counts_major(&c), vt_counts_minor(&c),
           vt_counts_major(&c));
   for (int i = 0; i < VT_NR_FC; i++)
      fprintf(f, ", \"%s\": %llu", vt_fault_classes[i].name, c.faults[i]);
   fputc('}', f);
}

static void json_u64s(FILE *f, const uint64_t *v, uint64_t n)
{
   fputc('[', f);
   for (uint64_t i = 0; i < n; i++)
      fprintf(f, "%s%llu", i ? ", " : "", (unsigned long long)v[i]);
   fputc(']', f);
}

/* Whether every point of a simulated curve is done (a shard's are not). */
static bool curve_complete(const struct vs_run *r, uint32_t t, const struct vt_policy_ops *p,
                           const uint64_t *sizes, unsigned n)
{
   for (unsigned k = 0; k < n; k++)
      if (!find(r, t, p, sizes[k], false))
         return false;
   return n > 0;
}

int vs_write_json(const struct vs_run *r, const char *path, char *err, size_t errlen)
{
   const struct vs_config *c = &r->cfg;
   struct vs_ofile o;
   if (vs_out_open(&o, path, false, err, errlen))
      return -1;
   FILE *f = o.f;
   fprintf(f, "{\"format\": \"vmtrace-sim\", \"version\": 1,\n"
              " \"tool\": {\"name\": \"vmtrace-sim\", \"version\": \"%s\"},\n", VS_VERSION);
   fprintf(f, " \"options\": {\"policies\": [");
   for (unsigned p = 0; p < c->nr_policies; p++)
      fprintf(f, "%s\"%s\"", p ? ", " : "", c->policies[p]->name);
   fprintf(f, "], \"pages\": ");
   json_u64s(f, c->sizes, c->nr_sizes);
   fprintf(f, ", \"mrc\": %s, \"curve_sizes\": ", c->mrc ? "true" : "false");
   if (c->nr_curve_sizes)
      json_u64s(f, c->curve_sizes, c->nr_curve_sizes);
   else
      fputs("null", f);
   fprintf(f, ", \"curve_points\": %u, \"swap_pages\": %llu, \"no_swap\": %s, "
              "\"page_kind\": \"%s\", "
              "\"oom\": \"%s\", \"sample_rate\": ", c->curve_points,
           (unsigned long long)c->swap_pages, c->no_swap ? "true" : "false",
           c->anon ? "anon" : "file",
           c->oom_stop ? "stop" : "continue");
   if (c->sample > 0 && c->sample < 1)
      fprintf(f, "%.17g", c->sample);
   else
      fputs("null", f);
   fputs(", \"params\": {", f);
   bool first = true;
   for (int i = 0; vt_policies[i]; i++)
      for (unsigned k = 0; k < vt_policies[i]->nr_params; k++) {
         const struct vt_policy_param *d = &vt_policies[i]->params[k];
         struct vt_policy_params pp = c->params[i];
         fprintf(f, "%s\"%s\": %llu", first ? "" : ", ", d->option,
                 *vt_policy_param_ptr(&pp, d));
         first = false;
      }
   fprintf(f, "}},\n \"shard\": {\"k\": %u, \"n\": %u, \"jobs\": %llu},\n",
           c->shard_k, c->shard_n, (unsigned long long)r->nr_res);
   fputs(" \"traces\": [", f);
   for (uint32_t t = 0; t < r->nr_traces; t++) {
      const struct vs_trace *tr = &r->traces[t];
      fprintf(f, "%s\n  {\"name\": ", t ? "," : "");
      vs_json_str(f, tr->name);
      if (tr->proc_id && tr->proc_id[0])
         fprintf(f, ", \"process\": {\"pid\": %llu, \"id\": \"%s\"}",
                 (unsigned long long)tr->proc_pid, tr->proc_id);
      else
         fputs(", \"process\": null", f);
      fprintf(f, ", \"format\": \"%s\", \"references\": %llu, \"pages\": %llu, "
                 "\"skipped\": %llu, \"replay\": ", tr->format,
              (unsigned long long)tr->refs, (unsigned long long)tr->pages,
              (unsigned long long)tr->skipped);
      if (tr->replayed)
         fprintf(f, "{\"prefaults\": %llu, \"populate_references\": %llu, "
                    "\"zero_page_references\": %llu, \"locked_references\": %llu, "
                    "\"faults_on_seen_pages\": %llu}",
                 (unsigned long long)tr->seen.prefaults, (unsigned long long)tr->seen.populated,
                 (unsigned long long)tr->seen.zero_refs, (unsigned long long)tr->seen.locked_refs,
                 (unsigned long long)tr->seen.fault_hits);
      else
         fputs("null", f);
      vs_unmod_json(f, &tr->unmod);
      fputs(", \"sample\": ", f);
      if (c->sample > 0 && c->sample < 1) {
         fprintf(f, "{\"rate\": %.17g, \"references\": %llu, \"pages\": %llu, "
                    "\"lru_error\": ", c->sample, (unsigned long long)tr->sampled_refs,
                 (unsigned long long)tr->sampled_pages);
         if (tr->err_points)
            fprintf(f, "{\"sizes\": %u, \"max\": %.6f, \"mean\": %.6f}}", tr->err_points,
                    tr->err_max, tr->err_mean);
         else
            fputs("null}", f);
      } else {
         fputs("null", f);
      }
      fputc('}', f);
   }
   fputs("],\n \"simulations\": [", f);
   first = true;
   for (uint64_t i = 0; i < r->nr_res; i++) {
      const struct vs_result *x = &r->res[i];
      if (!x->done || x->exact)
         continue;
      /* swap as the tool's entries give it: "unlimited" and null, "0" and
         0 for none, or the size and its pages. */
      char swap[32], swap_pages[24];
      if (c->no_swap || c->swap_pages) {
         snprintf(swap, sizeof swap, c->no_swap ? "0" : "%lluK",
                  (unsigned long long)c->swap_pages * 4);
         snprintf(swap_pages, sizeof swap_pages, "%llu",
                  c->no_swap ? 0ULL : (unsigned long long)c->swap_pages);
      } else {
         strcpy(swap, "unlimited");
         strcpy(swap_pages, "null");
      }
      fprintf(f, "%s\n  {\"job\": %llu, \"trace\": %u, \"policy\": \"%s\", \"ram_pages\": %llu, "
                 "\"swap\": \"%s\", \"swap_pages\": %s, \"simulated_pages\": %llu, "
                 "\"curve_point\": %s, \"references\": %llu, \"faults\": ",
              first ? "" : ",", (unsigned long long)i, x->trace, x->policy->name,
              (unsigned long long)x->pages, swap, swap_pages,
              (unsigned long long)x->sim_pages, x->curve_point ? "true" : "false",
              (unsigned long long)x->refs);
      json_faults(f, &x->st);
      fprintf(f, ", \"swap_ins\": %llu, \"swap_outs\": %llu, \"writebacks\": %llu, "
                 "\"refaults\": %llu, \"evictions\": %llu, \"resident_pages\": %llu, "
                 "\"peak_resident_pages\": %llu, \"oom_count\": %llu, \"stopped_at\": ",
              x->st.faults[VT_FC_SWAP_IN], x->st.swap_outs, x->st.writebacks,
              x->st.refaults, x->st.evictions, (unsigned long long)x->resident,
              x->st.peak_resident, x->st.oom_events);
      if (x->stopped_at)
         fprintf(f, "%llu}", (unsigned long long)x->stopped_at);
      else
         fputs("null}", f);
      first = false;
   }
   fputs("],\n \"curves\": [", f);
   first = true;
   for (uint32_t t = 0; t < r->nr_traces; t++) {
      uint64_t sizes[256];
      unsigned ns = c->mrc ? vs_curve_sizes(c, r->traces[t].pages, sizes, 256) : 0;
      for (unsigned p = 0; p < c->nr_policies && c->mrc; p++) {
         const struct vt_policy_ops *pol = c->policies[p];
         const struct vs_result *x = find(r, t, pol, 0, true);
         if (x) {
            fprintf(f, "%s\n  {\"job\": %llu, \"trace\": %u, \"policy\": \"%s\", \"exact\": true, "
                       "\"references\": %llu, \"cold\": %llu, \"sizes\": ",
                    first ? "" : ",", (unsigned long long)(x - r->res), t, pol->name,
                    (unsigned long long)x->curve.refs, (unsigned long long)x->curve.cold);
            json_u64s(f, x->curve.sizes, x->curve.n);
            fputs(", \"misses\": ", f);
            json_u64s(f, x->curve.misses, x->curve.n);
            fputc('}', f);
            first = false;
         } else if (curve_complete(r, t, pol, sizes, ns)) {
            uint64_t m[256];
            uint64_t refs = 0;
            for (unsigned k = 0; k < ns; k++) {
               const struct vs_result *y = find(r, t, pol, sizes[k], false);
               m[k] = vs_res_faults(y);
               refs = y->refs;
            }
            fprintf(f, "%s\n  {\"trace\": %u, \"policy\": \"%s\", \"exact\": false, "
                       "\"references\": %llu, \"cold\": %llu, \"sizes\": ",
                    first ? "" : ",", t, pol->name, (unsigned long long)refs,
                    (unsigned long long)r->traces[t].pages);
            json_u64s(f, sizes, ns);
            fputs(", \"misses\": ", f);
            json_u64s(f, m, ns);
            fputc('}', f);
            first = false;
         }
      }
   }
   fputs("]}\n", f);
   return vs_out_close(&o, err, errlen);
}
