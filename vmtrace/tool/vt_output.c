/* vt_output.c: the vmtrace.out.%p file (docs/output-format.md), one writer
   per section.  An output field is added to its section's writer; a new
   section is a writer and an entry in the table at the end.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_xarray.h"
#include "vt_tool.h"

ULong vt_start_time_ms;

const HChar *vt_acc_name(Int acc)
{
   return acc == VT_ACC_WRITE ? "write" : acc == VT_ACC_EXEC ? "exec" : "read";
}

void vt_perms_str(uint32_t f, HChar *buf)
{
   buf[0] = (f & VT_VM_READ) ? 'r' : '-';
   buf[1] = (f & VT_VM_WRITE) ? 'w' : '-';
   buf[2] = (f & VT_VM_EXEC) ? 'x' : '-';
   buf[3] = (f & VT_VM_SHARED) ? 's' : 'p';
   buf[4] = 0;
}

/* {"total": .., "minor": .., "major": .., "<class>": .., ...} */
void vt_out_faults(struct vt_out *o, const struct vt_counts *c)
{
   vt_out_fmt(o, "{\"total\": %llu, \"minor\": %llu, \"major\": %llu",
              vt_counts_minor(c) + vt_counts_major(c), vt_counts_minor(c),
              vt_counts_major(c));
   for (Int i = 0; i < VT_NR_FC; i++)
      vt_out_fmt(o, ", \"%s\": %llu", vt_fault_classes[i].name, c->faults[i]);
   vt_out_str(o, "}");
}

/* c's figures, and the TLB's (--tlb=yes) for the same scope and id */
static void out_counts(struct vt_out *o, const struct vt_counts *c, enum vt_tlb_scope scope,
                       ULong id)
{
   vt_out_str(o, "\"faults\": ");
   vt_out_faults(o, c);
   vt_out_fmt(o, ", \"pages_touched\": %llu", c->touched);
   vt_tlb_out_counts(o, scope, id);
}

/* A stack of describe_IP strings. */
void vt_out_stack(struct vt_out *o, DiEpoch ep, const Addr *ips, UInt n)
{
   vt_out_str(o, "[");
   for (UInt k = 0; k < n; k++) {
      vt_out_str(o, k ? ", " : "");
      vt_out_json_str(o, VG_(describe_IP)(ep, ips[k], NULL));
   }
   vt_out_str(o, "]");
}

/* What the sections share: fixed when the writing starts. */
struct out_ctx {
   Int   exitcode;
   ULong end_ms;
   ULong pss_x1000, uss;
};

/* ---- the sections ------------------------------------------------------ */

static void write_format(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"format\": \"vmtrace-out\"");
}

static void write_version(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"version\": 1");
}

static void write_tool(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"tool\": {\"name\": \"vmtrace\", \"version\": \"" VT_VERSION "\", "
                 "\"valgrind\": \"" VT_VALGRIND_VERSION "\"}");
}

static void write_run(struct vt_out *o, const struct out_ctx *c)
{
   vt_out_fmt(o, "\"run\": {\"pid\": %d, \"ppid\": %d, \"command\": [",
              VG_(getpid)(), vt_ppid);
   vt_out_json_str(o, VG_(args_the_exename));
   for (Word i = 0; i < VG_(sizeXA)(VG_(args_for_client)); i++) {
      vt_out_str(o, ", ");
      vt_out_json_str(o, *(HChar **)VG_(indexXA)(VG_(args_for_client), i));
   }
   vt_out_str(o, "], \"exit\": ");
   if (vt_exec_pending)
      vt_out_str(o, "{\"status\": \"exec\"}");
   else if (vt_exit_seen)
      vt_out_fmt(o, "{\"status\": \"exit\", \"code\": %d}", c->exitcode);
   else if (vt_fatal_signal)
      vt_out_fmt(o, "{\"status\": \"signal\", \"signal\": %d}", vt_fatal_signal);
   else
      vt_out_str(o, "{\"status\": \"signal\", \"signal\": null}");
   vt_out_fmt(o, ", \"instructions\": %llu, \"memory_references\": %llu", vt_insns,
              vt_refs);
   if (vt_is_forked_child)
      vt_out_fmt(o, ", \"fork_time\": %llu", vt_fork_time);
   else
      vt_out_str(o, ", \"fork_time\": null");
   vt_out_fmt(o, ", \"vfork\": %s", vt_is_vfork_child ? "true" : "false");
   vt_collect_write(o);
   /* which page trace is this image's (--trace-out-file): what joins a
      vmtrace-sim result to this file */
   if (vt_rec_trace_id())
      vt_out_fmt(o, ", \"trace_id\": \"%016llx\"", vt_rec_trace_id());
   if (vt_unmodelled) {
      vt_out_str(o, ", \"unmodelled\": [");
      const HChar *sep = "";
      for (UInt i = 0; i < VT_NR_UNMODELLED; i++)
         if (vt_unmodelled & (1u << i)) {
            vt_out_fmt(o, "%s\"%s\"", sep, vt_unmodelled_names[i]);
            sep = ", ";
         }
      vt_out_str(o, "]");
   }
   vt_out_fmt(o, ", \"start_time\": %llu.%03llu, \"end_time\": %llu.%03llu}",
              vt_start_time_ms / 1000, vt_start_time_ms % 1000, c->end_ms / 1000,
              c->end_ms % 1000);
}

static void write_options(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_fmt(o, "\"options\": {\"page_cache\": \"%s\", \"readahead_pages\": %u, ",
              vt_clo.machine_cache ? "machine" : vt_clo.cold_cache ? "cold" : "warm", vt_clo.readahead_pages);
   static const HChar *const thp[] = { "never", "madvise", "always" };
   vt_out_fmt(o, "\"thp\": \"%s\", \"thp_zero_page\": %s, \"thp_sizes\": {",
              thp[vt_clo.thp], vt_clo.thp_zero_page == 1 ? "true" : "false");
   for (UInt ord = 2; ord <= VT_PMD_ORDER; ord++)
      vt_out_fmt(o, "%s\"%llukB\": \"%s\"", ord > 2 ? ", " : "",
                 (ULong)(VT_PAGE_SIZE << ord) >> 10, vt_thp_size_modes[vt_clo.thp_size[ord]]);
   vt_out_str(o, "}, ");
   vt_out_fmt(o, "\"fault_around_bytes\": %llu, \"zero_page\": %s, "
                 "\"fast_path\": %s, \"collect_atstart\": %s, \"fault_stack_depth\": %u}",
              vt_clo.fault_around_bytes, vt_clo.zero_page ? "true" : "false",
              vt_clo.fast_path ? "true" : "false",
              vt_clo.collect_atstart ? "true" : "false", vt_clo.fault_stack_depth);
}

static void write_page_size(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"page_size\": 4096");
}

static void write_fault_classes(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"fault_classes\": [");
   for (Int i = 0; i < VT_NR_FC; i++) {
      const struct vt_fault_class_info *fc = &vt_fault_classes[i];
      vt_out_str(o, i ? ",\n  {\"name\": " : "\n  {\"name\": ");
      vt_out_json_str(o, fc->name);
      vt_out_fmt(o, ", \"kind\": \"%s\", \"kernel\": ",
                 fc->kind == VT_MINOR ? "minor" : fc->kind == VT_MAJOR ? "major"
                                                                       : "invalid");
      vt_out_json_str(o, fc->kernel);
      vt_out_str(o, ", \"description\": ");
      vt_out_json_str(o, fc->description);
      vt_out_str(o, "}");
   }
   vt_out_str(o, "]");
}

static void write_totals(struct vt_out *o, const struct out_ctx *c)
{
   vt_out_str(o, "\"totals\": {");
   out_counts(o, &vt_mm.total, VT_TLB_TOTAL, 0);
   vt_out_fmt(o, ", \"anon_huge_pages\": %llu, \"file_pmd_pages\": %llu, "
                 "\"shmem_pmd_pages\": %llu", vt_anon_huge_pages(&vt_mm),
              vt_file_pmd_pages(&vt_mm), vt_shmem_pmd_pages(&vt_mm));
   vt_out_fmt(o, ", \"pss_pages\": %llu.%03llu, \"uss_pages\": %llu",
              c->pss_x1000 / 1000, c->pss_x1000 % 1000, c->uss);
   vt_out_fmt(o, ", \"resident_pages\": %llu, \"peak_resident_pages\": %llu, "
                 "\"peak_resident_at\": %llu, \"page_tables\": {\"pgd\": %llu, \"pud\": %llu, \"pmd\": %llu, "
                 "\"pte\": %llu, \"peak\": {\"pgd\": %llu, \"pud\": %llu, "
                 "\"pmd\": %llu, \"pte\": %llu}}}",
              vt_mm.rss, vt_mm.peak_rss, vt_mm.peak_rss_at, vt_mm.nr_pt[0], vt_mm.nr_pt[1],
              vt_mm.nr_pt[2], vt_mm.nr_pt[3], vt_mm.peak_pt[0], vt_mm.peak_pt[1],
              vt_mm.peak_pt[2], vt_mm.peak_pt[3]);
}

static void write_mappings(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"mappings\": [");
   Bool first = True;
   for (UInt i = 0; i < vt_mm.nr_maps; i++) {
      struct vt_mapping *m = vt_mm.maps[i];
      if (!m)
         continue;
      HChar perms[5];
      vt_perms_str(m->flags_ever, perms);
      vt_out_fmt(o, "%s\n  {\"id\": %u, \"start\": %llu, \"end\": %llu, \"perms\": \"%s\", "
                    "\"instances\": %llu, \"name\": ", first ? "" : ",", m->id, m->start,
                 m->end, perms, m->instances);
      first = False;
      vt_out_json_str(o, m->name);
      vt_out_fmt(o, ", \"kind\": \"%s\", \"file\": ", vt_map_kind_names[m->kind]);
      if (m->file && !(m->file->shmem && !m->file->ino)) {
         vt_out_str(o, "{\"path\": ");
         vt_out_json_str(o, m->file->path);
         vt_out_fmt(o, ", \"dev\": %llu, \"inode\": %llu, \"offset\": %llu}",
                    m->file->dev, m->file->ino, m->pgoff << VT_PAGE_SHIFT);
      } else {
         vt_out_str(o, "null");
      }
      vt_out_fmt(o, ", \"created_at\": %llu, \"unmapped_at\": ", m->created_at);
      if (m->nr_vmas)
         vt_out_str(o, "null");
      else
         vt_out_fmt(o, "%llu", m->unmapped_at);
      vt_out_fmt(o, ", \"resident_pages\": %llu, ", m->resident);
      out_counts(o, &m->c, VT_TLB_MAPPING, m->id);
      vt_out_str(o, "}");
   }
   vt_out_str(o, "]");
}

static void write_vmas(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"vmas\": [");
   for (UInt i = 0; i < vt_mm.nr_vmas; i++) {
      struct vt_vma *v = &vt_mm.vmas[i];
      HChar perms[5];
      vt_perms_str(v->vm_flags, perms);
      vt_out_fmt(o, "%s\n  {\"start\": %llu, \"end\": %llu, \"perms\": \"%s\", "
                    "\"mapping\": %u}", i ? "," : "", v->vm_start, v->vm_end, perms,
                 v->mapping);
   }
   vt_out_str(o, "]");
}

static void write_phases(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"phases\": [");
   for (UInt i = 0; i < vt_mm.nr_phases; i++) {
      vt_out_str(o, i ? ",\n  {\"name\": " : "\n  {\"name\": ");
      vt_out_json_str(o, vt_mm.phases[i].name);
      vt_out_str(o, ", ");
      out_counts(o, &vt_mm.phases[i].c, VT_TLB_PHASE, i);
      vt_out_str(o, "}");
   }
   vt_out_str(o, "]");
}

static void write_labels(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"labels\": [");
   for (UInt i = 0; i < vt_mm.nr_labels; i++) {
      struct vt_label *l = &vt_mm.labels[i];
      vt_out_str(o, i ? ",\n  {\"name\": " : "\n  {\"name\": ");
      vt_out_json_str(o, l->name);
      vt_out_str(o, ", \"ranges\": [");
      for (UInt r = 0; r < l->nr_ranges; r++)
         vt_out_fmt(o, "%s[%llu, %llu]", r ? ", " : "", l->ranges[r][0], l->ranges[r][1]);
      vt_out_str(o, "], ");
      out_counts(o, &l->c, VT_TLB_LABEL, i);
      vt_out_str(o, ", \"phases\": {");
      Bool first = True;
      /* per_phase is made at the label's first fault or touch in a
         phase: a label with TLB misses only has none */
      static const struct vt_counts none;
      for (UInt p = 0; p < vt_mm.nr_phases; p++) {
         const struct vt_counts *pc = l->per_phase ? &l->per_phase[p] : &none;
         struct vt_tlb_counts tc;
         vt_tlb_counts(&vt_mm, VT_TLB_LABEL_PHASE, (ULong)i << 24 | p, &tc);
         Bool any = pc->touched != 0 || tc.miss[0] || tc.miss[1];
         for (Int k = 0; k < VT_NR_FC; k++)
            any |= pc->faults[k] != 0;
         if (!any)
            continue;
         vt_out_str(o, first ? "" : ", ");
         first = False;
         vt_out_json_str(o, vt_mm.phases[p].name);
         vt_out_str(o, ": {");
         out_counts(o, pc, VT_TLB_LABEL_PHASE, (ULong)i << 24 | p);
         vt_out_str(o, "}");
      }
      vt_out_str(o, "}}");
   }
   vt_out_str(o, "]");
}

static void write_invalid(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"invalid_accesses\": [");
   for (UInt i = 0; i < vt_nr_invalid_recs; i++) {
      struct vt_invalid_rec *r = &vt_invalid_recs[i];
      vt_out_fmt(o, "%s\n  {\"address\": %lu, \"access\": \"%s\", \"reason\": \"%s\", "
                    "\"time\": %llu, \"stack\": ", i ? "," : "", r->addr,
                 vt_acc_name(r->acc), vt_invalid_reason_names[r->reason], r->time);
      vt_out_stack(o, r->ep, r->ips, r->n_ips);
      vt_out_str(o, "}");
   }
   vt_out_str(o, "]");
}

static void write_timeline(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   const struct vt_wset *w = vt_mm.ws;
   UInt n = w->nr;
   vt_out_fmt(o, "\"timeline\": {\"interval\": %llu, \"epoch\": %llu, ", w->interval,
              w->cfg.epoch);
   vt_out_u64s(o, "t", w->t, n);
   vt_out_str(o, ",\n  ");
   vt_out_u64s(o, "wall_ms", w->wall_ms, n);
   vt_out_str(o, ",\n  \"rss\": {");
   for (Int k = 0; k < VT_NR_MK; k++) {
      vt_out_str(o, k ? ",\n    " : "\n    ");
      vt_out_u64s(o, vt_map_kind_names[k], w->rss[k], n);
   }
   vt_out_str(o, "},\n  ");
   vt_out_u64s(o, "touched", w->touched, n);
   vt_out_str(o, ",\n  \"pss_x1000\": ");
   vt_out_u64s(o, NULL, w->pss_x1000, n);
   vt_out_str(o, ",\n  ");
   vt_out_u64s(o, "uss", w->uss, n);
   vt_out_str(o, ",\n  ");
   vt_out_u64s(o, "dup", w->dup, n);
   vt_out_str(o, ",\n  \"faults\": {");
   for (Int k = 0; k < VT_NR_FC; k++) {
      vt_out_str(o, k ? ",\n    " : "\n    ");
      vt_out_u64s(o, vt_fault_classes[k].name, w->faults[k], n);
   }
   vt_out_str(o, "}");
   vt_tlb_write_timeline(o, w, n);
   vt_out_str(o, ",\n  \"wss\": [");
   for (UInt i = 0; i < w->cfg.nr_tau; i++) {
      vt_out_fmt(o, "%s{\"tau\": %llu, \"window\": %llu, ", i ? ",\n    " : "\n    ",
                 w->cfg.tau[i], w->win[i] * w->cfg.epoch);
      vt_out_u64s(o, "code", w->ws_code[i], n);
      vt_out_str(o, ", ");
      vt_out_u64s(o, "data", w->ws_data[i], n);
      vt_out_str(o, "}");
   }
   vt_out_str(o, "]");
   /* Each simulation's figures, in the order of the simulations section. */
   if (vt_mm.nr_sims) {
      vt_out_str(o, ",\n  \"simulations\": [");
      for (UInt s = 0; s < vt_mm.nr_sims; s++) {
         vt_out_str(o, s ? ",\n    {" : "\n    {");
         for (Int k = 0; k < VT_NR_SS; k++) {
            vt_out_str(o, k ? ", " : "");
            if (s < w->nr_sims)
               vt_out_u64s(o, vt_sim_series_names[k], w->sims[s].col[k], n);
            else
               vt_out_fmt(o, "\"%s\": []", vt_sim_series_names[k]);
         }
         vt_out_str(o, "}");
      }
      vt_out_str(o, "]");
   }
   vt_out_str(o, "}");
}

/* The start address of a heatmap row's mapping, for the row order. */
static vt_addr heat_row_start(const struct vt_heat_row *r)
{
   if (r->mapping == VT_HEAT_OTHER)
      return ~0ULL;
   return vt_mm.maps[r->mapping] ? vt_mm.maps[r->mapping]->start : 0;
}

/* A row's columns as runs of non-zero counts: [first column, counts...]. */
static void out_heat_cells(struct vt_out *o, const vt_u64 *cnt, UInt ncols)
{
   vt_out_str(o, "\"cells\": [");
   Bool first_run = True;
   for (UInt k = 0; k < ncols;) {
      if (!cnt[k]) {
         k++;
         continue;
      }
      vt_out_fmt(o, "%s[%u", first_run ? "" : ", ", k);
      first_run = False;
      for (; k < ncols && cnt[k]; k++)
         vt_out_fmt(o, ",%llu", cnt[k]);
      vt_out_str(o, "]");
   }
   vt_out_str(o, "]");
}

/* The heatmap: rows in address order, each with its columns' page-epochs
   (docs/output-format.md, "heat"). */
static void write_heat(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_wset_heat_sync(&vt_mm);
   const struct vt_wset *w = vt_mm.ws;
   UInt ncols = vt_wset_heat_cols(&vt_mm);
   /* Rows in address order: by mapping start, then chunk. */
   UInt *order = VT_CALLOC("vt.heat", w->nr_rows ? w->nr_rows : 1, sizeof *order);
   for (UInt i = 0; i < w->nr_rows; i++)
      order[i] = i;
   for (UInt i = 1; i < w->nr_rows; i++)        /* insertion sort: few rows */
      for (UInt j = i; j > 0; j--) {
         const struct vt_heat_row *a = &w->rows[order[j - 1]], *b = &w->rows[order[j]];
         vt_addr sa = heat_row_start(a), sb = heat_row_start(b);
         if (sa < sb || (sa == sb && a->chunk <= b->chunk))
            break;
         UInt t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
      }
   vt_out_fmt(o, "\"heat\": {\"epoch\": %llu, \"column_epochs\": %llu, \"columns\": %u, "
                 "\"last_epochs\": %llu, \"chunk_pages\": %llu, \"rows\": [",
              w->cfg.epoch, w->col_epochs, ncols,
              vt_wset_heat_col_epochs(&vt_mm, ncols - 1), 1ULL << w->chunk_shift);
   for (UInt i = 0; i < w->nr_rows; i++) {
      const struct vt_heat_row *r = &w->rows[order[i]];
      vt_out_str(o, i ? ",\n    {" : "\n    {");
      if (r->mapping == VT_HEAT_OTHER) {
         vt_out_str(o, "\"start\": 0, \"end\": 0, \"mapping\": null, ");
      } else {
         const struct vt_mapping *m = vt_mm.maps[r->mapping];
         vt_addr base = m ? (m->start & VT_PAGE_MASK) : 0;
         vt_addr s = base + ((r->chunk << w->chunk_shift) << VT_PAGE_SHIFT);
         vt_addr e = s + ((1ULL << w->chunk_shift) << VT_PAGE_SHIFT);
         if (m && e > m->end && s < m->end)
            e = m->end;
         vt_out_fmt(o, "\"start\": %llu, \"end\": %llu, \"mapping\": %u, ", s, e,
                    r->mapping);
      }
      out_heat_cells(o, r->counts, ncols);
      vt_out_str(o, "}");
   }
   vt_out_str(o, "]}");
   VG_(free)(order);
}

/* {"status": "exit", "code": N} or {"status": "signal", "signal": S} of a
   wait status. */
static void out_wait_status(struct vt_out *o, Int status)
{
   if ((status & 0x7f) == 0)
      vt_out_fmt(o, "{\"status\": \"exit\", \"code\": %d}", (status >> 8) & 0xff);
   else
      vt_out_fmt(o, "{\"status\": \"signal\", \"signal\": %d}", status & 0x7f);
}

static void write_children(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"children\": [");
   for (UInt i = 0; i < vt_nr_children && i < VT_MAX_CHILDREN; i++) {
      vt_out_fmt(o, "%s{\"pid\": %d, \"exit\": ", i ? ", " : "", vt_children[i].pid);
      out_wait_status(o, vt_children[i].status);
      vt_out_str(o, "}");
   }
   vt_out_str(o, "]");
}

static void write_fault_sites(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"fault_sites\": [");
   vt_sites_write_json(o, 0);
   vt_out_str(o, "]");
}

static void write_simulations(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_out_str(o, "\"simulations\": [");
   vt_memsim_write_json(o);
   vt_out_str(o, "]");
}

static Bool have_timeline(void) { return vt_mm.ws != NULL; }
static Bool have_heat(void) { return vt_mm.ws && vt_clo.heatmap_rows; }
static Bool have_simulations(void) { return vt_mm.nr_sims != 0; }

static void write_thp_compare(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_cmp_write_json(o, vt_mm.ws ? vt_mm.ws->nr : 0);
}

static Bool have_tlb(void) { return vt_mm.tlb != NULL; }
static void write_tlb(struct vt_out *o, const struct out_ctx *c)
{
   (void)c;
   vt_tlb_write_json(o);
}

/* The sections in the order they are written, each present unless its
   condition says otherwise. */
static const struct section {
   void (*write)(struct vt_out *o, const struct out_ctx *c);
   Bool (*present)(void);
} sections[] = {
   { write_format, NULL },        { write_version, NULL },
   { write_tool, NULL },          { write_run, NULL },
   { write_children, NULL },
   { write_options, NULL },       { write_page_size, NULL },
   { write_fault_classes, NULL }, { write_totals, NULL },
   { write_mappings, NULL },      { write_vmas, NULL },
   { write_phases, NULL },        { write_labels, NULL },
   { write_invalid, NULL },       { write_timeline, have_timeline },
   { write_heat, have_heat }, { write_fault_sites, NULL },
   { write_simulations, have_simulations },
   { write_tlb, have_tlb },
   { write_thp_compare, vt_cmp_present },
};

/* A forked child that writes the files its parent writes too: a name
   without %p is the same name in both, and the last to exit replaces the
   other's file (or trace) without a word, as Cachegrind's do (until
   2026-12-06, here too).  Said once, at the child's exit, for each such
   option; names written in place (/dev/null, a FIFO) are shared on
   purpose, and an image that execs writes NAME.execN, its own. */
static void warn_shared_names(void)
{
   if (!vt_is_forked_child || vt_exec_pending)
      return;
   const HChar *opt[4] = { "--vmtrace-out-file", "--trace-out-file", "--cg-out-file",
                           "--callgrind-out-file" };
   const HChar *tpl[4] = { vt_clo.out_file, vt_clo.trace_out_file, vt_clo.cg_out_file,
                           vt_clo.callgrind_out_file };
   for (Int i = 0; i < 4; i++) {
      if (!tpl[i] || VG_(strstr)(tpl[i], "%p"))
         continue;
      Bool in_place;
      HChar *name = VG_(expand_file_name)(opt[i], tpl[i]);
      HChar *target = vt_out_target(name, &in_place);
      if (!in_place) {
         HChar safe[1024];
         VG_(umsg)("warning: %s=%s names no %%p: this forked child (pid %d) and its parent "
                   "write the same file, and the last to exit replaces the other's; "
                   "%s=%s.%%p gives each its own\n", opt[i],
                   vt_log_name(tpl[i], safe, sizeof safe), VG_(getpid)(), opt[i], safe);
      }
      VG_(free)(target);
      VG_(free)(name);
   }
}

void vt_write_output(Int exitcode, struct vt_written *w)
{
   warn_shared_names();
   struct out_ctx c = { exitcode, vt_wall_ms(), 0, 0 };
   HChar *name = vt_image_file_name("--vmtrace-out-file", vt_clo.out_file, vt_exec_pending);
   struct vt_out *o = vt_out_open(name, "vmtrace output file");
   VG_(memset)(w, 0, sizeof *w);
   w->out = name;
   if (o) {
      vt_share_pss(&c.pss_x1000, &c.uss);
      vt_out_str(o, "{\n");
      Bool first = True;
      for (UInt i = 0; i < sizeof sections / sizeof sections[0]; i++) {
         if (sections[i].present && !sections[i].present())
            continue;
         if (!first)
            vt_out_str(o, ",\n");
         first = False;
         sections[i].write(o, &c);
      }
      vt_out_str(o, "\n}\n");
      w->out_ok = vt_out_close(o, "vmtrace output file");
   }
   /* The Cachegrind and Callgrind files have no .execN names: the image
      that calls execve leaves them to the program it becomes. */
   if (vt_exec_pending)
      return;
   if (vt_clo.cg_out_file) {
      w->cg = VG_(expand_file_name)("--cg-out-file", vt_clo.cg_out_file);
      w->cg_ok = vt_sites_write_cg(w->cg);
   }
   if (vt_clo.callgrind_out_file) {
      w->callgrind = VG_(expand_file_name)("--callgrind-out-file", vt_clo.callgrind_out_file);
      w->callgrind_ok = vt_sites_write_callgrind(w->callgrind);
   }
}

void vt_written_free(struct vt_written *w)
{
   VG_(free)(w->out);
   if (w->cg)
      VG_(free)(w->cg);
   if (w->callgrind)
      VG_(free)(w->callgrind);
}
