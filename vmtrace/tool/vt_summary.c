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
   (void)ctx;
   if (mm != &vt_mm)
      return;                  /* --thp-compare's second address space */
   vt_sites_record(0, cls);
   if (cls != VT_FC_INVALID) {
      if (vt_is_vfork_child)
         vt_vfork_note_fault(addr, acc);
      return;
   }
   vt_fatal_signal = reason == VT_INV_BEYOND_EOF ? VKI_SIGBUS : VKI_SIGSEGV;
   nr_invalid_seen++;
   ThreadId tid = VG_(get_running_tid)();
   struct vt_invalid_rec tmp, *r = vt_nr_invalid_recs < VT_MAX_INVALID_RECS
                                     ? &vt_invalid_recs[vt_nr_invalid_recs++] : &tmp;
   /* the byte the program touched, when this fault is its reference's */
   r->addr = (vt_fault_addr & VT_PAGE_MASK) == (addr & VT_PAGE_MASK) ? vt_fault_addr : addr;
   r->acc = acc;
   r->reason = reason;
   r->time = vt_mm.now;
   r->ep = VG_(current_DiEpoch)();
   r->n_ips = tid != VG_INVALID_THREADID
                 ? vt_stack_trace(tid, r->ips, VT_STACK_DEPTH, r->ep) : 0;
   if (nr_invalid_seen <= 10) {
      vt_progress_clear();
      VG_(umsg)("Invalid %s of address %#lx (%s)\n", vt_acc_name(acc), (Addr)r->addr,
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
   vt_tlb_child();
   vt_nr_invalid_recs = 0;
   nr_invalid_seen = 0;
   vt_fatal_signal = 0;
}

/* ---- the summary at exit ----------------------------------------------

   It fits a screen (about 40 lines) by default: the totals, the peaks and
   when they came, the mappings and source lines with the most faults
   (identical anonymous areas folded into one line), the labels, the
   phases, the simulations side by side, and where the files went.  -v
   lists everything: every mapping on its own line with its fault classes,
   more source lines, every simulation's figures and the stacks where they
   stopped. */

#define TOP_MAPPINGS   5
#define TOP_LINES      5
#define TOP_LINES_V    20
#define TOP_NAMED      5      /* labels, phases */

static Bool verbose(void)
{
   return VG_(clo_verbosity) > 1;
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

static ULong all_faults(const struct vt_counts *c)
{
   return vt_counts_minor(c) + vt_counts_major(c) + c->faults[VT_FC_INVALID];
}

/* " at N instructions, S.SS s" of virtual time t: the wall time is that of
   the sample that closed at or after t (none without a timeline). */
static void when(ULong t, HChar *buf, SizeT n)
{
   const struct vt_wset *w = vt_mm.ws;
   UInt i = 0;
   while (w && i < w->nr && w->t[i] < t)
      i++;
   if (!w || i == w->nr) {
      VG_(snprintf)(buf, n, "at %'llu instructions", t);
      return;
   }
   ULong ms = w->wall_ms[i] > vt_start_time_ms ? w->wall_ms[i] - vt_start_time_ms : 0;
   VG_(snprintf)(buf, n, "at %'llu instructions, %llu.%02llu s", t, ms / 1000,
                 ms % 1000 / 10);
}

/* A --ws-tau window as it would be written: 100k, 1M, 10M. */
static void tau_text(ULong tau, HChar *buf, SizeT n)
{
   if (tau % 1000000000 == 0)
      VG_(snprintf)(buf, n, "%lluG", tau / 1000000000);
   else if (tau % 1000000 == 0)
      VG_(snprintf)(buf, n, "%lluM", tau / 1000000);
   else if (tau % 1000 == 0)
      VG_(snprintf)(buf, n, "%lluk", tau / 1000);
   else
      VG_(snprintf)(buf, n, "%llu", tau);
}

static void print_totals(void)
{
   const struct vt_counts *t = &vt_mm.total;
   HChar buf[512];
   class_list(t, buf, sizeof buf);
   VG_(umsg)("Page faults:    %'llu minor, %'llu major, %'llu invalid\n",
             vt_counts_minor(t), vt_counts_major(t), t->faults[VT_FC_INVALID]);
   if (buf[0])
      VG_(umsg)("   by class:   %s\n", buf);
   VG_(umsg)("Pages touched:  %'llu (%'llu KiB)\n", t->touched, t->touched * 4);
   vt_collect_print();
   when(vt_mm.peak_rss_at, buf, sizeof buf);
   ULong pss_x1000, uss;
   vt_share_pss(&pss_x1000, &uss);
   VG_(umsg)("Resident:       peak %'llu pages (%'llu KiB) %s; at %s %'llu, "
             "PSS %'llu.%03llu, USS %'llu\n", vt_mm.peak_rss, vt_mm.peak_rss * 4, buf,
             vt_exec_pending ? "exec" : "exit", vt_mm.rss, pss_x1000 / 1000,
             pss_x1000 % 1000, uss);
   /* The peak working set of each window: code + data pages, as sampled.
      It counts only references made while collecting: none if collection
      never started, which is no measured 0. */
   const struct vt_wset *w = vt_mm.ws;
   if (w && w->cfg.nr_tau && !vt_collect_periods())
      VG_(umsg)("Working set:    not collected\n");
   for (UInt k = 0; w && vt_collect_periods() && k < w->cfg.nr_tau; k++) {
      ULong peak = 0;
      UInt at = 0;
      for (UInt i = 0; i < w->nr; i++)
         if (w->ws_code[k][i] + w->ws_data[k][i] > peak) {
            peak = w->ws_code[k][i] + w->ws_data[k][i];
            at = i;
         }
      HChar tau[32], whn[128];
      tau_text(w->cfg.tau[k], tau, sizeof tau);
      when(w->nr ? w->t[at] : 0, whn, sizeof whn);
      VG_(umsg)("%-16sWS(%s) peak %'llu pages (code %'llu, data %'llu) %s\n",
                k ? "" : "Working set:", tau, peak, w->nr ? w->ws_code[k][at] : 0,
                w->nr ? w->ws_data[k][at] : 0, whn);
   }
   if (vt_collect_periods() && (vt_is_forked_child || t->faults[VT_FC_WP_REUSE] || vt_mm.nr_cow))
      VG_(umsg)("Copy-on-write:  %'llu copies (wp_copy), %'llu reuses (wp_reuse)%s\n",
                t->faults[VT_FC_WP_COPY], t->faults[VT_FC_WP_REUSE],
                vt_is_forked_child ? "; forked child" : "");
   /* only where THP did something: other runs' logs are as they were;
      the file and shmem PMDs (totals.file_pmd_pages, shmem_pmd_pages)
      only where there are any */
   ULong huge = vt_anon_huge_pages(&vt_mm), file_pmd = vt_file_pmd_pages(&vt_mm),
         shmem_pmd = vt_shmem_pmd_pages(&vt_mm);
   if (huge || file_pmd || shmem_pmd || t->faults[VT_FC_THP] || t->faults[VT_FC_THP_ZERO]) {
      HChar pmd[96] = "";
      if (file_pmd)
         VG_(snprintf)(pmd, sizeof pmd, ", %'llu KiB FilePmdMapped", file_pmd * 4);
      if (shmem_pmd)
         VG_(snprintf)(pmd + VG_(strlen)(pmd), sizeof pmd - VG_(strlen)(pmd),
                       ", %'llu KiB ShmemPmdMapped", shmem_pmd * 4);
      VG_(umsg)("Huge pages:     %'llu faults (thp), %'llu huge zero page (thp_zero); "
                "at %s %'llu KiB AnonHugePages%s\n", t->faults[VT_FC_THP],
                t->faults[VT_FC_THP_ZERO], vt_exec_pending ? "exec" : "exit", huge * 4, pmd);
   }
   VG_(umsg)("Page tables:    %'llu pgd, %'llu pud, %'llu pmd, %'llu pte pages (peak %'llu)\n",
             vt_mm.nr_pt[0], vt_mm.nr_pt[1], vt_mm.nr_pt[2], vt_mm.nr_pt[3],
             vt_mm.peak_pt[0] + vt_mm.peak_pt[1] + vt_mm.peak_pt[2] + vt_mm.peak_pt[3]);
   vt_cmp_summary();
   ULong ms = vt_wall_ms() - vt_start_time_ms;
   VG_(umsg)("Instructions:   %'llu, memory references %'llu, in %llu.%02llu s\n",
             vt_insns, vt_refs, ms / 1000, ms % 1000 / 10);
   vt_tlb_summary();
   if (verbose())
      VG_(umsg)("Filter:         %'llu references reached the simulator\n", vt_misses);
}

/* ---- mappings: identical anonymous areas folded --------------------------- */

struct map_line {
   const struct vt_mapping *m;      /* the first of the group */
   ULong n;                         /* mappings it stands for */
   struct vt_counts c;
   ULong resident;
   Bool unmapped;                   /* every one of them */
};

static Bool active(const struct vt_mapping *m)
{
   return all_faults(&m->c) || m->c.touched;
}

/* Does a label cover part of m?  Labelled memory is what the program
   named: never folded with its neighbours. */
static Bool labelled(const struct vt_mapping *m)
{
   for (UInt i = 0; i < vt_mm.nr_lranges; i++)
      if (vt_mm.lranges[i].start < m->end && vt_mm.lranges[i].end > m->start)
         return True;
   return False;
}

/* Anonymous areas of one size and permissions, unnamed and unlabelled:
   malloc's arenas, thread stacks, a program's own pools. */
static Bool foldable(const struct vt_mapping *a, const struct vt_mapping *b)
{
   return a->kind == VT_MK_ANON && b->kind == VT_MK_ANON && !a->file && !b->file &&
          !a->name[0] && !b->name[0] && a->flags_ever == b->flags_ever &&
          a->end - a->start == b->end - b->start && !labelled(a) && !labelled(b);
}

/* 16384 KiB as "16 MiB". */
static void size_text(ULong bytes, HChar *buf, SizeT n)
{
   if (bytes >= (1ULL << 30) && bytes % (1ULL << 30) == 0)
      VG_(snprintf)(buf, n, "%llu GiB", bytes >> 30);
   else if (bytes >= (1ULL << 20) && bytes % (1ULL << 20) == 0)
      VG_(snprintf)(buf, n, "%llu MiB", bytes >> 20);
   else
      VG_(snprintf)(buf, n, "%llu KiB", bytes >> 10);
}

static Int by_faults(const void *pa, const void *pb)
{
   const struct map_line *a = pa, *b = pb;
   ULong fa = all_faults(&a->c), fb = all_faults(&b->c);
   if (fa != fb)
      return fa > fb ? -1 : 1;
   if (a->c.touched != b->c.touched)
      return a->c.touched > b->c.touched ? -1 : 1;
   return a->m->start < b->m->start ? -1 : a->m->start > b->m->start ? 1 : 0;
}

static void print_mappings(void)
{
   struct map_line *lines = VT_CALLOC("vt.sum", vt_mm.nr_maps ? vt_mm.nr_maps : 1,
                                      sizeof *lines);
   UInt nl = 0, quiet = 0, active_maps = 0;
   for (UInt i = 0; i < vt_mm.nr_maps; i++) {
      const struct vt_mapping *m = vt_mm.maps[i];
      if (!m)
         continue;
      if (!active(m)) {
         quiet++;
         continue;
      }
      active_maps++;
      UInt j = 0;
      while (j < nl && (verbose() || !foldable(lines[j].m, m)))
         j++;
      if (j == nl) {
         lines[nl].m = m;
         lines[nl++].unmapped = True;
      }
      struct map_line *l = &lines[j];
      l->n += m->instances ? m->instances : 1;
      for (Int k = 0; k < VT_NR_FC; k++)
         l->c.faults[k] += m->c.faults[k];
      l->c.touched += m->c.touched;
      l->resident += m->resident;
      l->unmapped &= m->nr_vmas == 0;
   }
   if (!nl) {
      VG_(free)(lines);
      return;
   }
   VG_(ssort)(lines, nl, sizeof *lines, by_faults);
   UInt shown = verbose() ? nl : nl < TOP_MAPPINGS ? nl : TOP_MAPPINGS;
   VG_(umsg)("\n");
   if (shown < nl)
      VG_(umsg)("Mappings, most faults first (%u of %u lines; -v: all):\n", shown, nl);
   else
      VG_(umsg)("Mappings with page activity, most faults first:\n");
   VG_(umsg)("  %-33s %-4s %-5s %8s %8s %8s %6s %7s  %s\n", "range", "perm", "kind",
             "touched", "resident", "minor", "major", "invalid", "name");
   for (UInt i = 0; i < shown; i++) {
      const struct map_line *l = &lines[i];
      const struct vt_mapping *m = l->m;
      HChar perms[5], range[48], safe[1024], buf[512];
      vt_perms_str(m->flags_ever, perms);
      VG_(snprintf)(range, sizeof range, "%012lx-%012lx%s", (Addr)m->start, (Addr)m->end,
                    l->unmapped ? "*" : "");
      if (l->n > 1) {
         HChar times[48], size[24];
         size_text(m->end - m->start, size, sizeof size);
         VG_(snprintf)(times, sizeof times, "%'llu x %s", l->n, size);
         VG_(snprintf)(range, sizeof range, "%-22s%s", times, l->unmapped ? "*" : "");
      }
      VG_(umsg)("  %-33s %-4s %-5s %'8llu %'8llu %'8llu %'6llu %'7llu  %s\n", range, perms,
                vt_map_kind_names[m->kind], l->c.touched, l->resident,
                vt_counts_minor(&l->c), vt_counts_major(&l->c), l->c.faults[VT_FC_INVALID],
                vt_log_name(m->name, safe, sizeof safe));
      class_list(&l->c, buf, sizeof buf);
      if (buf[0] && verbose())
         VG_(umsg)("  %33s %s\n", "", buf);
   }
   VG_(umsg)("  (%u mappings with activity, %u without; * = unmapped before exit; "
             "N x SIZE = N identical anonymous areas)\n", active_maps, quiet);
   VG_(free)(lines);
}

/* ---- labels and phases ---------------------------------------------------- */

/* A label's or phase's line: the whole name, padded to 20 columns
   (Valgrind's %-20s also cuts a longer one at 20, which could end the
   line inside one of vt_log_name's \xNN escapes). */
static void print_named_counts(const HChar *name, const struct vt_counts *c)
{
   HChar buf[512], safe[1024];
   class_list(c, buf, sizeof buf);
   vt_log_name(name, safe, sizeof safe);
   SizeT len = VG_(strlen)(safe);
   /* invalid faults only where there are any (they count in the choice
      of the lines shown, all_faults) */
   HChar inv[48] = "";
   if (c->faults[VT_FC_INVALID])
      VG_(snprintf)(inv, sizeof inv, ", %'llu invalid", c->faults[VT_FC_INVALID]);
   VG_(umsg)("  %s%s touched %'llu, faults %'llu minor, %'llu major%s%s%s\n", safe,
             &"                    "[len < 20 ? len : 20], c->touched, vt_counts_minor(c),
             vt_counts_major(c), inv, buf[0] ? ": " : "", buf);
}

/* Those of the n with the most faults (all with -v), in their own order. */
static void print_named(const HChar *title, UInt n, const HChar *(*name)(UInt),
                        const struct vt_counts *(*counts)(UInt))
{
   if (!n)
      return;
   UInt shown = verbose() || n <= TOP_NAMED ? n : TOP_NAMED;
   ULong floor = 0;
   if (shown < n) {
      /* the shown-th largest fault count: those above it, then ties in order */
      ULong *f = VT_CALLOC("vt.sum", n, sizeof *f);
      for (UInt i = 0; i < n; i++)
         f[i] = all_faults(counts(i));
      for (UInt i = 0; i < shown; i++)
         for (UInt j = i + 1; j < n; j++)
            if (f[j] > f[i]) {
               ULong x = f[i]; f[i] = f[j]; f[j] = x;
            }
      floor = f[shown - 1];
      VG_(free)(f);
   }
   VG_(umsg)("\n");
   if (shown < n)
      VG_(umsg)("%s (%u of %u with the most faults; -v: all):\n", title, shown, n);
   else
      VG_(umsg)("%s:\n", title);
   UInt above = 0;
   for (UInt i = 0; i < n; i++)
      above += all_faults(counts(i)) > floor;
   UInt ties = shown - above;
   for (UInt i = 0; i < n; i++) {
      ULong f = all_faults(counts(i));
      if (shown < n && (f < floor || (f == floor && !ties)))
         continue;
      if (shown < n && f == floor)
         ties--;
      print_named_counts(name(i), counts(i));
   }
}

static const HChar *label_name(UInt i) { return vt_mm.labels[i].name; }
static const struct vt_counts *label_counts(UInt i) { return &vt_mm.labels[i].c; }
static const HChar *phase_name(UInt i) { return vt_mm.phases[i].name; }
static const struct vt_counts *phase_counts(UInt i) { return &vt_mm.phases[i].c; }

/* ---- where the files went ------------------------------------------------- */

/* name as a shell word: quoted unless made of characters a shell leaves be. */
static const HChar *shell_word(const HChar *name, HChar *buf, SizeT n)
{
   Bool plain = name[0] != 0;
   for (const HChar *p = name; *p; p++)
      if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || VG_(strchr)("/._-+,:=%@", *p)))
         plain = False;
   if (plain)
      return name;
   SizeT used = 0;
   buf[used++] = '\'';
   for (const HChar *p = name; *p && used + 6 < n; p++) {
      if (*p == '\'') {
         VG_(memcpy)(buf + used, "'\\''", 4);
         used += 4;
      } else {
         buf[used++] = *p;
      }
   }
   buf[used++] = '\'';
   buf[used] = 0;
   return buf;
}

static void print_file(const HChar *title, const HChar *name, Bool ok)
{
   HChar safe[1024];
   VG_(umsg)("%-16s%s%s\n", title, vt_log_name(name, safe, sizeof safe),
             ok ? "" : " (not written: see the error above)");
}

static void print_outputs(const struct vt_written *w)
{
   VG_(umsg)("\n");
   print_file("Output:", w->out, w->out_ok);
   if (w->cg)
      print_file("Cachegrind:", w->cg, w->cg_ok);
   if (w->callgrind)
      print_file("Callgrind:", w->callgrind, w->callgrind_ok);
   if (!w->out_ok)
      return;
   /* a device or a FIFO (written in place) is no file to make a report of */
   Bool in_place;
   HChar *target = vt_out_target(w->out, &in_place);
   VG_(free)(target);
   if (in_place)
      return;
   HChar q[2048], qh[2048], html[1024], safe[4200], cmd[4200];
   VG_(snprintf)(html, sizeof html, "%s.html", w->out);
   VG_(snprintf)(cmd, sizeof cmd, "vmtrace-report %s -o %s",
                 shell_word(w->out, q, sizeof q), shell_word(html, qh, sizeof qh));
   VG_(umsg)("HTML report:    %s\n", vt_log_name(cmd, safe, sizeof safe));
}

void vt_print_summary(Int exitcode, const struct vt_written *w)
{
   (void)exitcode;
   /* Valgrind's core has written the blank line after the client's end,
      as for every tool: the summary follows it at once, and ends with its
      last line (Memcheck's and Cachegrind's layout) */
   print_totals();
   print_mappings();
   UInt lines_max = verbose() ? TOP_LINES_V : TOP_LINES;
   if (all_faults(&vt_mm.total)) {
      VG_(umsg)("\n");
      VG_(umsg)("Source lines with the most faults (innermost frame):\n");
      UInt nl = vt_sites_print_lines(0, lines_max, "  ");
      if (nl > lines_max)
         VG_(umsg)("  (%u of %u lines;%s every stack in the output file)\n", lines_max, nl,
                   verbose() ? "" : " -v: 20;");
      else if (!nl)
         VG_(umsg)("  (no stack recorded: --fault-stack-depth=0)\n");
   }
   print_named("Labels", vt_mm.nr_labels, label_name, label_counts);
   if (vt_mm.nr_phases > 1)
      print_named("Phases", vt_mm.nr_phases, phase_name, phase_counts);
   vt_memsim_summary(verbose());
   print_outputs(w);
}
