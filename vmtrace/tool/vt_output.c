/* vt_output.c: the log summary at exit and the vmtrace.out.%p file.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_debuginfo.h"
#include "pub_tool_stacktrace.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_xarray.h"
#include "vt_tool.h"

struct vt_invalid_rec vt_invalid_recs[VT_MAX_INVALID_RECS];
UInt vt_nr_invalid_recs;
ULong vt_start_time_ms;
static ULong nr_invalid_seen;

static const HChar *acc_name(Int acc)
{
   return acc == VT_ACC_WRITE ? "write" : acc == VT_ACC_EXEC ? "exec" : "read";
}

/* Invalid accesses are reported as they happen, like Memcheck's errors:
   the client is about to get SIGSEGV (or EFAULT from a system call). */
void vt_on_fault(void *ctx, struct vt_mm *mm, vt_addr addr, enum vt_access acc,
                 enum vt_fault_class cls, int reason)
{
   (void)ctx; (void)mm;
   vt_sites_record(cls);
   if (cls != VT_FC_INVALID)
      return;
   vt_fatal_signal = reason == VT_INV_BEYOND_EOF ? VKI_SIGBUS : VKI_SIGSEGV;
   nr_invalid_seen++;
   ThreadId tid = VG_(get_running_tid)();
   struct vt_invalid_rec tmp, *r = vt_nr_invalid_recs < VT_MAX_INVALID_RECS
                                     ? &vt_invalid_recs[vt_nr_invalid_recs++] : &tmp;
   r->addr = addr;
   r->acc = acc;
   r->reason = reason;
   r->time = vt_mm.now;
   r->ep = VG_(current_DiEpoch)();
   r->n_ips = tid != VG_INVALID_THREADID
                 ? vt_stack_trace(tid, r->ips, VT_STACK_DEPTH, r->ep) : 0;
   if (nr_invalid_seen <= 10) {
      VG_(umsg)("Invalid %s of address %#lx (%s)\n", acc_name(acc), (Addr)addr,
                reason == VT_INV_UNMAPPED ? "not in any mapping"
                : reason == VT_INV_BEYOND_EOF ? "beyond the end of the mapped file"
                : "against the mapping's protection");
      if (r->n_ips)
         VG_(pp_StackTrace)(r->ep, r->ips, r->n_ips);
      if (nr_invalid_seen == 10)
         VG_(umsg)("(further invalid accesses are counted, not shown)\n");
   }
}

void vt_child_reset_output(void)
{
   vt_sites_child();
   vt_nr_invalid_recs = 0;
   nr_invalid_seen = 0;
   vt_fatal_signal = 0;
}

/* RSS split by sharing: PSS divides each shared frame among the processes
   that map it, USS counts the pages only this process maps. */
struct share_ctx { ULong pss_x1000, uss; };

static struct share_ctx sharing(void)
{
   struct share_ctx c;
   vt_share_pss(&c.pss_x1000, &c.uss);
   return c;
}

/* ---- the log summary ------------------------------------------------- */

static void perms_str(uint32_t f, HChar *buf)
{
   buf[0] = (f & VT_VM_READ) ? 'r' : '-';
   buf[1] = (f & VT_VM_WRITE) ? 'w' : '-';
   buf[2] = (f & VT_VM_EXEC) ? 'x' : '-';
   buf[3] = (f & VT_VM_SHARED) ? 's' : 'p';
   buf[4] = 0;
}

static void class_list(const struct vt_counts *c, HChar *buf, SizeT n)
{
   SizeT used = 0;
   buf[0] = 0;
   for (Int i = 0; i < VT_NR_FC; i++) {
      if (i == VT_FC_INVALID || !c->faults[i])
         continue;
      used += VG_(snprintf)(buf + used, n - used, "%s%s %'llu", used ? ", " : "",
                            vt_fault_classes[i].name, c->faults[i]);
      if (used >= n)
         break;
   }
}

void vt_print_summary(Int exitcode)
{
   (void)exitcode;
   const struct vt_counts *t = &vt_mm.total;
   HChar buf[512];
   class_list(t, buf, sizeof buf);
   VG_(umsg)("\n");
   VG_(umsg)("Page faults:    %'llu minor, %'llu major, %'llu invalid\n",
             vt_counts_minor(t), vt_counts_major(t), t->faults[VT_FC_INVALID]);
   if (buf[0])
      VG_(umsg)("   by class:   %s\n", buf);
   VG_(umsg)("Pages touched:  %'llu (%'llu KiB)\n", t->touched, t->touched * 4);
   struct share_ctx sh = sharing();
   VG_(umsg)("Resident:       peak %'llu pages (%'llu KiB); at %s %'llu pages, "
             "PSS %llu.%03llu, USS %'llu\n",
             vt_mm.peak_rss, vt_mm.peak_rss * 4, vt_exec_pending ? "exec" : "exit",
             vt_mm.rss, sh.pss_x1000 / 1000, sh.pss_x1000 % 1000, sh.uss);
   if (vt_is_forked_child || t->faults[VT_FC_WP_REUSE] || vt_mm.nr_cow)
      VG_(umsg)("Copy-on-write:  %'llu copies (wp_copy), %'llu reuses (wp_reuse)%s\n",
                t->faults[VT_FC_WP_COPY], t->faults[VT_FC_WP_REUSE],
                vt_is_forked_child ? "; forked child" : "");
   VG_(umsg)("Page tables:    %llu pgd, %llu pud, %llu pmd, %llu pte pages (peak %llu)\n",
             vt_mm.nr_pt[0], vt_mm.nr_pt[1], vt_mm.nr_pt[2], vt_mm.nr_pt[3],
             vt_mm.peak_pt[0] + vt_mm.peak_pt[1] + vt_mm.peak_pt[2] + vt_mm.peak_pt[3]);
   VG_(umsg)("Instructions:   %'llu, memory references %'llu\n", vt_insns, vt_refs);
   if (VG_(clo_verbosity) > 1)
      VG_(umsg)("Filter:         %'llu references reached the simulator\n", vt_misses);

   UInt shown = 0, quiet = 0;
   for (UInt i = 0; i < vt_mm.nr_maps; i++) {
      struct vt_mapping *m = vt_mm.maps[i];
      if (!m)
         continue;
      vt_u64 minor = vt_counts_minor(&m->c);
      if (!minor && !vt_counts_major(&m->c) && !m->c.faults[VT_FC_INVALID] &&
          !m->c.touched) {
         quiet++;
         continue;
      }
      if (!shown++) {
         VG_(umsg)("\n");
         VG_(umsg)("Mappings with page activity:\n");
         VG_(umsg)("  %-33s %-4s %-5s %8s %8s %8s %6s %7s  %s\n", "range", "perm",
                   "kind", "touched", "resident", "minor", "major", "invalid",
                   "name");
      }
      HChar perms[5], range[40];
      perms_str(m->flags_ever, perms);
      VG_(snprintf)(range, sizeof range, "%012lx-%012lx%s", (Addr)m->start,
                    (Addr)m->end, m->nr_vmas ? "" : "*");
      VG_(umsg)("  %-33s %-4s %-5s %'8llu %'8llu %'8llu %'6llu %'7llu  %s\n", range,
                perms, vt_map_kind_names[m->kind], m->c.touched, m->resident,
                minor, vt_counts_major(&m->c), m->c.faults[VT_FC_INVALID],
                m->name);
      class_list(&m->c, buf, sizeof buf);
      if (buf[0])
         VG_(umsg)("  %33s %s\n", "", buf);
   }
   if (shown)
      VG_(umsg)("  (%u more mappings without activity; * = unmapped before exit)\n",
                quiet);
   if (vt_mm.nr_labels) {
      VG_(umsg)("\n");
      VG_(umsg)("Labels:\n");
      for (UInt i = 0; i < vt_mm.nr_labels; i++) {
         struct vt_label *l = &vt_mm.labels[i];
         class_list(&l->c, buf, sizeof buf);
         VG_(umsg)("  %-20s touched %'llu, faults %'llu minor, %'llu major%s%s\n",
                   l->name, l->c.touched, vt_counts_minor(&l->c),
                   vt_counts_major(&l->c), buf[0] ? ": " : "", buf);
      }
   }
   vt_memsim_summary();
   if (vt_mm.nr_phases > 1) {
      VG_(umsg)("\n");
      VG_(umsg)("Phases:\n");
      for (UInt i = 0; i < vt_mm.nr_phases; i++) {
         struct vt_phase *p = &vt_mm.phases[i];
         class_list(&p->c, buf, sizeof buf);
         VG_(umsg)("  %-20s touched %'llu, faults %'llu minor, %'llu major%s%s\n",
                   p->name, p->c.touched, vt_counts_minor(&p->c),
                   vt_counts_major(&p->c), buf[0] ? ": " : "", buf);
      }
   }
   VG_(umsg)("\n");
}

/* ---- the output file ------------------------------------------------- */

struct out {
   Int    fd;
   Bool   failed;
   UInt   used;
   HChar  buf[1 << 16];
};
static struct out *O;

static void out_flush(void)
{
   UInt done = 0;
   while (done < O->used && !O->failed) {
      Int n = VG_(write)(O->fd, O->buf + done, (Int)(O->used - done));
      if (n <= 0)
         O->failed = True;
      else
         done += (UInt)n;
   }
   O->used = 0;
}

static void out_str(const HChar *s)
{
   while (*s) {
      if (O->used == sizeof O->buf)
         out_flush();
      O->buf[O->used++] = *s++;
   }
}

static void out_fmt(const HChar *fmt, ...) PRINTF_CHECK(1, 2);
static void out_fmt(const HChar *fmt, ...)
{
   HChar tmp[256];
   va_list vargs;
   va_start(vargs, fmt);
   VG_(vsnprintf)(tmp, sizeof tmp, fmt, vargs);
   va_end(vargs);
   out_str(tmp);
}

void vt_json_string(const HChar *s);
static void out_json_str(const HChar *s)
{
   out_str("\"");
   for (; s && *s; s++) {
      UChar ch = (UChar)*s;
      if (ch == '"' || ch == '\\') {
         HChar e[3] = { '\\', (HChar)ch, 0 };
         out_str(e);
      } else if (ch < 0x20 || ch == 0x7f) {
         out_fmt("\\u%04x", ch);
      } else {
         HChar e[2] = { (HChar)ch, 0 };
         out_str(e);
      }
   }
   out_str("\"");
}

static void out_faults(const struct vt_counts *c)
{
   out_fmt("{\"total\": %llu, \"minor\": %llu, \"major\": %llu",
           vt_counts_minor(c) + vt_counts_major(c), vt_counts_minor(c),
           vt_counts_major(c));
   for (Int i = 0; i < VT_NR_FC; i++)
      out_fmt(", \"%s\": %llu", vt_fault_classes[i].name, c->faults[i]);
   out_str("}");
}

void vt_json_faults(const struct vt_counts *c)
{
   out_faults(c);
}

static void out_counts(const struct vt_counts *c)
{
   out_str("\"faults\": ");
   out_faults(c);
   out_fmt(", \"pages_touched\": %llu", c->touched);
}

void vt_json_string(const HChar *s)
{
   out_json_str(s);
}

static void out_col(const HChar *key, const vt_u64 *v, UInt n)
{
   if (key)
      out_fmt("\"%s\": [", key);
   else
      out_str("[");
   for (UInt i = 0; i < n; i++)
      out_fmt(i ? ",%llu" : "%llu", v[i]);
   out_str("]");
}

static void write_timeline(void)
{
   const struct vt_wset *w = vt_mm.ws;
   UInt n = w->nr;
   out_fmt(",\n\"timeline\": {\"interval\": %llu, ", w->interval);
   out_col("t", w->t, n);
   out_str(",\n  ");
   out_col("wall_ms", w->wall_ms, n);
   out_str(",\n  \"rss\": {");
   for (Int k = 0; k < VT_NR_MK; k++) {
      out_str(k ? ",\n    " : "\n    ");
      out_col(vt_map_kind_names[k], w->rss[k], n);
   }
   out_str("},\n  ");
   out_col("touched", w->touched, n);
   out_str(",\n  \"pss_x1000\": ");
   out_col(NULL, w->pss_x1000, n);
   out_str(",\n  ");
   out_col("uss", w->uss, n);
   out_str(",\n  \"faults\": {");
   for (Int c = 0; c < VT_NR_FC; c++) {
      out_str(c ? ",\n    " : "\n    ");
      out_col(vt_fault_classes[c].name, w->faults[c], n);
   }
   out_str("},\n  \"wss\": [");
   for (UInt i = 0; i < w->cfg.nr_tau; i++) {
      out_fmt("%s{\"tau\": %llu, ", i ? ",\n    " : "\n    ", w->cfg.tau[i]);
      out_col("code", w->ws_code[i], n);
      out_str(", ");
      out_col("data", w->ws_data[i], n);
      out_str("}");
   }
   out_str("]}");
}

/* The heatmap in at most 256 time buckets of whole samples. */
static void write_heatmap(void)
{
   const struct vt_wset *w = vt_mm.ws;
   UInt n = w->nr, per = 1;
   while ((n + per - 1) / per > 256)
      per *= 2;
   UInt buckets = (n + per - 1) / per;
   /* Rows in address order: by mapping start, then chunk. */
   UInt *order = VT_CALLOC("vt.heat", w->nr_rows ? w->nr_rows : 1, sizeof *order);
   for (UInt i = 0; i < w->nr_rows; i++)
      order[i] = i;
   for (UInt i = 1; i < w->nr_rows; i++)        /* insertion sort: few rows */
      for (UInt j = i; j > 0; j--) {
         const struct vt_heat_row *a = &w->rows[order[j - 1]], *b = &w->rows[order[j]];
         vt_addr sa = a->mapping == VT_HEAT_OTHER ? ~0ULL
                    : vt_mm.maps[a->mapping] ? vt_mm.maps[a->mapping]->start : 0;
         vt_addr sb = b->mapping == VT_HEAT_OTHER ? ~0ULL
                    : vt_mm.maps[b->mapping] ? vt_mm.maps[b->mapping]->start : 0;
         if (sa < sb || (sa == sb && a->chunk <= b->chunk))
            break;
         UInt t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
      }
   out_fmt(",\n\"heatmap\": {\"t_step\": %llu, \"buckets\": %u, \"rows\": [",
           w->interval * per, buckets);
   for (UInt i = 0; i < w->nr_rows; i++) {
      const struct vt_heat_row *r = &w->rows[order[i]];
      if (r->mapping == VT_HEAT_OTHER) {
         out_fmt("%s{\"start\": 0, \"end\": 0, \"mapping\": null}", i ? ", " : "");
         continue;
      }
      const struct vt_mapping *m = vt_mm.maps[r->mapping];
      vt_addr base = m ? (m->start & VT_PAGE_MASK) : 0;
      vt_addr s = base + ((r->chunk << w->chunk_shift) << VT_PAGE_SHIFT);
      vt_addr e = s + ((1ULL << w->chunk_shift) << VT_PAGE_SHIFT);
      if (m && e > m->end && s < m->end)
         e = m->end;
      out_fmt("%s{\"start\": %llu, \"end\": %llu, \"mapping\": %u}", i ? ", " : "",
              s, e, r->mapping);
   }
   out_str("],\n  \"counts\": [");
   Bool first = True;
   for (UInt i = 0; i < w->nr_rows; i++) {
      const uint32_t *c = w->rows[order[i]].counts;
      for (UInt b = 0; b < buckets; b++) {
         ULong sum = 0;
         for (UInt k = b * per; k < (b + 1) * per && k < n; k++)
            sum += c[k];
         out_fmt(first ? "%llu" : ",%llu", sum);
         first = False;
      }
   }
   out_str("]}");
   VG_(free)(order);
}

static void write_body(Int exitcode, ULong end_ms)
{
   out_str("{\n\"format\": \"vmtrace-out\",\n\"version\": 1,\n");
   out_str("\"tool\": {\"name\": \"vmtrace\", \"version\": \"" VT_VERSION "\", "
           "\"valgrind\": \"" VT_VALGRIND_VERSION "\"},\n");
   out_fmt("\"run\": {\"pid\": %d, \"ppid\": %d, \"command\": [",
           VG_(getpid)(), VG_(getppid)());
   out_json_str(VG_(args_the_exename));
   for (Word i = 0; i < VG_(sizeXA)(VG_(args_for_client)); i++) {
      out_str(", ");
      out_json_str(*(HChar **)VG_(indexXA)(VG_(args_for_client), i));
   }
   out_str("], \"exit\": ");
   if (vt_exec_pending)
      out_str("{\"status\": \"exec\"}");
   else if (vt_fatal_signal)
      out_fmt("{\"status\": \"signal\", \"signal\": %d}", vt_fatal_signal);
   else
      out_fmt("{\"status\": \"exit\", \"code\": %d}", exitcode);
   out_fmt(", \"instructions\": %llu, \"memory_references\": %llu", vt_insns, vt_refs);
   if (vt_is_forked_child)
      out_fmt(", \"fork_time\": %llu", vt_fork_time);
   else
      out_str(", \"fork_time\": null");
   out_fmt(", \"start_time\": %llu.%03llu, \"end_time\": %llu.%03llu},\n",
           vt_start_time_ms / 1000, vt_start_time_ms % 1000, end_ms / 1000,
           end_ms % 1000);
   out_fmt("\"options\": {\"page_cache\": \"%s\", \"readahead_pages\": %u, ",
           vt_clo.cold_cache ? "cold" : "warm", vt_clo.readahead_pages);
   out_fmt("\"fault_around_bytes\": %llu, \"zero_page\": %s, "
           "\"fast_path\": %s, \"collect_atstart\": %s, \"fault_stack_depth\": %u},\n",
           vt_clo.fault_around_bytes, vt_clo.zero_page ? "true" : "false",
           vt_clo.fast_path ? "true" : "false",
           vt_clo.collect_atstart ? "true" : "false", vt_clo.fault_stack_depth);
   out_str("\"page_size\": 4096,\n\"fault_classes\": [");
   for (Int i = 0; i < VT_NR_FC; i++) {
      const struct vt_fault_class_info *fc = &vt_fault_classes[i];
      out_str(i ? ",\n  {\"name\": " : "\n  {\"name\": ");
      out_json_str(fc->name);
      out_fmt(", \"kind\": \"%s\", \"kernel\": ",
              fc->kind == VT_MINOR ? "minor" : fc->kind == VT_MAJOR ? "major" : "invalid");
      out_json_str(fc->kernel);
      out_str(", \"description\": ");
      out_json_str(fc->description);
      out_str("}");
   }
   out_str("],\n\"totals\": {");
   out_counts(&vt_mm.total);
   struct share_ctx sh = sharing();
   out_fmt(", \"pss_pages\": %llu.%03llu, \"uss_pages\": %llu",
           sh.pss_x1000 / 1000, sh.pss_x1000 % 1000, sh.uss);
   out_fmt(", \"resident_pages\": %llu, \"peak_resident_pages\": %llu, "
           "\"page_tables\": {\"pgd\": %llu, \"pud\": %llu, \"pmd\": %llu, "
           "\"pte\": %llu, \"peak\": {\"pgd\": %llu, \"pud\": %llu, "
           "\"pmd\": %llu, \"pte\": %llu}}},\n",
           vt_mm.rss, vt_mm.peak_rss, vt_mm.nr_pt[0], vt_mm.nr_pt[1],
           vt_mm.nr_pt[2], vt_mm.nr_pt[3], vt_mm.peak_pt[0], vt_mm.peak_pt[1],
           vt_mm.peak_pt[2], vt_mm.peak_pt[3]);

   out_str("\"mappings\": [");
   Bool first_map = True;
   for (UInt i = 0; i < vt_mm.nr_maps; i++) {
      struct vt_mapping *m = vt_mm.maps[i];
      if (!m)
         continue;
      HChar perms[5];
      perms_str(m->flags_ever, perms);
      out_fmt("%s\n  {\"id\": %u, \"start\": %llu, \"end\": %llu, \"perms\": \"%s\", "
              "\"instances\": %llu, \"name\": ", first_map ? "" : ",", m->id, m->start,
              m->end, perms, m->instances);
      first_map = False;
      out_json_str(m->name);
      out_fmt(", \"kind\": \"%s\", \"file\": ", vt_map_kind_names[m->kind]);
      if (m->file && !(m->file->shmem && !m->file->ino)) {
         out_str("{\"path\": ");
         out_json_str(m->file->path);
         out_fmt(", \"dev\": %llu, \"inode\": %llu, \"offset\": %llu}",
                 m->file->dev, m->file->ino, m->pgoff << VT_PAGE_SHIFT);
      } else {
         out_str("null");
      }
      out_fmt(", \"created_at\": %llu, \"unmapped_at\": ", m->created_at);
      if (m->nr_vmas)
         out_str("null");
      else
         out_fmt("%llu", m->unmapped_at);
      out_fmt(", \"resident_pages\": %llu, ", m->resident);
      out_counts(&m->c);
      out_str("}");
   }
   out_str("],\n\"vmas\": [");
   for (UInt i = 0; i < vt_mm.nr_vmas; i++) {
      struct vt_vma *v = &vt_mm.vmas[i];
      HChar perms[5];
      perms_str(v->vm_flags, perms);
      out_fmt("%s\n  {\"start\": %llu, \"end\": %llu, \"perms\": \"%s\", \"mapping\": %u}",
              i ? "," : "", v->vm_start, v->vm_end, perms, v->mapping);
   }
   out_str("],\n\"phases\": [");
   for (UInt i = 0; i < vt_mm.nr_phases; i++) {
      out_str(i ? ",\n  {\"name\": " : "\n  {\"name\": ");
      out_json_str(vt_mm.phases[i].name);
      out_str(", ");
      out_counts(&vt_mm.phases[i].c);
      out_str("}");
   }
   out_str("],\n\"labels\": [");
   for (UInt i = 0; i < vt_mm.nr_labels; i++) {
      struct vt_label *l = &vt_mm.labels[i];
      out_str(i ? ",\n  {\"name\": " : "\n  {\"name\": ");
      out_json_str(l->name);
      out_str(", \"ranges\": [");
      for (UInt r = 0; r < l->nr_ranges; r++)
         out_fmt("%s[%llu, %llu]", r ? ", " : "", l->ranges[r][0], l->ranges[r][1]);
      out_str("], ");
      out_counts(&l->c);
      out_str(", \"phases\": {");
      Bool first = True;
      for (UInt p = 0; l->per_phase && p < vt_mm.nr_phases; p++) {
         const struct vt_counts *c = &l->per_phase[p];
         Bool any = c->touched != 0;
         for (Int k = 0; k < VT_NR_FC; k++)
            any |= c->faults[k] != 0;
         if (!any)
            continue;
         out_str(first ? "" : ", ");
         first = False;
         out_json_str(vt_mm.phases[p].name);
         out_str(": {");
         out_counts(c);
         out_str("}");
      }
      out_str("}}");
   }
   out_str("],\n\"invalid_accesses\": [");
   for (UInt i = 0; i < vt_nr_invalid_recs; i++) {
      struct vt_invalid_rec *r = &vt_invalid_recs[i];
      out_fmt("%s\n  {\"address\": %lu, \"access\": \"%s\", \"reason\": \"%s\", "
              "\"time\": %llu, \"stack\": [", i ? "," : "", r->addr,
              acc_name(r->acc), vt_invalid_reason_names[r->reason], r->time);
      for (UInt k = 0; k < r->n_ips; k++) {
         out_str(k ? ", " : "");
         out_json_str(VG_(describe_IP)(r->ep, r->ips[k], NULL));
      }
      out_str("]}");
   }
   out_str("]");
   if (vt_mm.ws) {
      write_timeline();
      if (vt_clo.heatmap_rows)
         write_heatmap();
   }
   out_str(",\n\"fault_sites\": [");
   vt_sites_write_json(out_str);
   out_str("]");
   if (vt_mm.nr_sims) {
      out_str(",\n\"simulations\": [");
      vt_memsim_write_json(out_str);
      out_str("]");
   }
   out_str("\n}\n");
}

void vt_write_output(Int exitcode)
{
   ULong end_ms = vt_wall_ms();
   HChar *name = VG_(expand_file_name)("--vmtrace-out-file", vt_clo.out_file);
   if (vt_exec_pending) {
      /* The image that calls execve writes NAME.exec1 (then .exec2, ...),
         leaving NAME to the program the process becomes. */
      SizeT n = VG_(strlen)(name) + 32;
      HChar *ename = VG_(malloc)("vt.out", n);
      for (UInt k = 1;; k++) {
         struct vg_stat st;
         VG_(snprintf)(ename, n, "%s.exec%u", name, k);
         if (sr_isError(VG_(stat)(ename, &st)))
            break;
      }
      VG_(free)(name);
      name = ename;
   }
   SysRes sr = VG_(open)(name, VKI_O_CREAT | VKI_O_TRUNC | VKI_O_WRONLY, 0644);
   if (sr_isError(sr)) {
      VG_(umsg)("error: cannot create vmtrace output file '%s'\n", name);
      VG_(free)(name);
      return;
   }
   O = VG_(malloc)("vt.out", sizeof *O);
   O->fd = (Int)sr_Res(sr);
   O->failed = False;
   O->used = 0;
   write_body(exitcode, end_ms);
   out_flush();
   VG_(close)(O->fd);
   if (O->failed)
      VG_(umsg)("error: writing vmtrace output file '%s' failed\n", name);
   else if (VG_(clo_verbosity) > 1)
      VG_(umsg)("Output written to %s\n", name);
   if (!vt_exec_pending)
      vt_sites_write_cg();
   VG_(free)(O);
   O = NULL;
   VG_(free)(name);
}
