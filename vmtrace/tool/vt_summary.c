/* vt_summary.c: what vmtrace writes to the log: invalid accesses as they
   happen (like Memcheck's errors) and the summary at exit.
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
static ULong nr_invalid_seen;

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
      VG_(umsg)("Invalid %s of address %#lx (%s)\n", vt_acc_name(acc), (Addr)addr,
                reason == VT_INV_UNMAPPED ? "not in any mapping"
                : reason == VT_INV_BEYOND_EOF ? "beyond the end of the mapped file"
                : reason == VT_INV_GUARD ? "in a guard region"
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

/* ---- the summary at exit ---------------------------------------------- */

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

/* A label's or phase's line: the whole name, padded to 20 columns
   (Valgrind's %-20s also cuts a longer one at 20, which could end the
   line inside one of vt_log_name's \xNN escapes). */
static void print_named_counts(const HChar *name, const struct vt_counts *c)
{
   HChar buf[512], safe[1024];
   class_list(c, buf, sizeof buf);
   vt_log_name(name, safe, sizeof safe);
   SizeT len = VG_(strlen)(safe);
   VG_(umsg)("  %s%s touched %'llu, faults %'llu minor, %'llu major%s%s\n", safe,
             &"                    "[len < 20 ? len : 20], c->touched, vt_counts_minor(c),
             vt_counts_major(c), buf[0] ? ": " : "", buf);
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
   struct { ULong pss_x1000, uss; } sh;
   vt_share_pss(&sh.pss_x1000, &sh.uss);
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
      HChar perms[5], range[40], safe[1024];
      vt_perms_str(m->flags_ever, perms);
      VG_(snprintf)(range, sizeof range, "%012lx-%012lx%s", (Addr)m->start,
                    (Addr)m->end, m->nr_vmas ? "" : "*");
      VG_(umsg)("  %-33s %-4s %-5s %'8llu %'8llu %'8llu %'6llu %'7llu  %s\n", range,
                perms, vt_map_kind_names[m->kind], m->c.touched, m->resident,
                minor, vt_counts_major(&m->c), m->c.faults[VT_FC_INVALID],
                vt_log_name(m->name, safe, sizeof safe));
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
      for (UInt i = 0; i < vt_mm.nr_labels; i++)
         print_named_counts(vt_mm.labels[i].name, &vt_mm.labels[i].c);
   }
   vt_memsim_summary();
   if (vt_mm.nr_phases > 1) {
      VG_(umsg)("\n");
      VG_(umsg)("Phases:\n");
      for (UInt i = 0; i < vt_mm.nr_phases; i++)
         print_named_counts(vt_mm.phases[i].name, &vt_mm.phases[i].c);
   }
   VG_(umsg)("\n");
}
