/* vt_thpcmp.c: --thp-compare: the same run under a second THP setting.

   Each process keeps a second address space (struct vt_mm), configured as
   the first but for the THP settings the option names, and feeds it
   exactly what the first gets: every reference that reaches the core (the
   filter's `also` callback, filter.c: a page is cached only with the
   rights both address spaces allow, and both invalidate the one filter
   through the host op), and every change of the address space
   (VT_BOTH and vt_mmap_both at the handlers of vt_aspace.c, fork and exit
   in vt_fork.c and vt_sharelog.c).  Its figures go to the output file's
   thp_compare object and one line of the log summary; --ram's simulations,
   the TLB, labels, phases and fault sites are the first address space's
   only.  While a call on the second address space is in progress
   (vt_cmp_in), the host ops keep its frames apart in the share log and
   count no fault site.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_mallocfree.h"
#include "vt_tool.h"

struct vt_mm *vt_cmp_mm;
Bool vt_cmp_in;

static struct vt_mm cmp_mm;
static struct vt_hash cmp_files;      /* the first's vt_file -> the second's */

/* Per sample of the first address space's timeline (index: its sample),
   merged as its columns are (vt_wset_sample): the second's resident
   pages, page-table pages and faults taken during the sample, and the
   first's page-table pages. */
static ULong *s_rss, *s_pt, *s_faults, *s_pt_primary;
static UInt s_cap;
static ULong s_faults_last;

static ULong pt_pages(const struct vt_mm *mm)
{
   return mm->nr_pt[0] + mm->nr_pt[1] + mm->nr_pt[2] + mm->nr_pt[3];
}

static ULong all_faults(const struct vt_mm *mm)
{
   return vt_counts_minor(&mm->total) + vt_counts_major(&mm->total);
}

void vt_cmp_enter(void)
{
   vt_set_clock(&cmp_mm, vt_mm.now, vt_mm.sim_now, vt_mm.sim_order);
   vt_cmp_in = True;
}

/* The filter's also callback: a reference that reached the first address
   space, to the second. */
static unsigned cmp_ref(void *ctx, vt_addr page_addr, enum vt_access acc)
{
   (void)ctx;
   vt_cmp_enter();
   unsigned r = vt_access(&cmp_mm, page_addr, acc);
   vt_cmp_in = False;
   return r;
}

void vt_cmp_init(const struct vt_config *primary)
{
   if (vt_clo.thp_cmp < 0)
      return;
   struct vt_config cfg = *primary;
   cfg.thp = (unsigned)vt_clo.thp_cmp;
   cfg.notes_hits = False;            /* no simulations here */
   /* per size: as the option says, else as the first's */
   for (UInt o = 2; o <= VT_PMD_ORDER; o++) {
      Int mode = vt_clo.thp_cmp_size[o];
      if (mode < 0)
         continue;
      uint16_t bit = (uint16_t)(1u << o);
      cfg.thp_orders_always &= (uint16_t)~bit;
      cfg.thp_orders_madvise &= (uint16_t)~bit;
      cfg.thp_orders_inherit &= (uint16_t)~bit;
      if (mode == VT_THP_SIZE_ALWAYS)
         cfg.thp_orders_always |= bit;
      else if (mode == VT_THP_SIZE_MADVISE)
         cfg.thp_orders_madvise |= bit;
      else if (mode == VT_THP_SIZE_INHERIT)
         cfg.thp_orders_inherit |= bit;
   }
   vt_cmp_in = True;
   vt_mm_init(&cmp_mm, &cfg);
   vt_set_collecting(&cmp_mm, vt_clo.collect_atstart);
   vt_cmp_in = False;
   vt_hash_init(&cmp_files, 64);
   vt_cmp_mm = &cmp_mm;
   vt_flt.also = cmp_ref;
   vt_flt.also_ctx = NULL;
}

/* The second address space's file for the first's f (made the first time;
   files are never freed, so the pointer is a key for the process's life,
   and a forked child's copy of memory keeps the pairs). */
static struct vt_file *cmp_file(struct vt_file *f)
{
   if (!f)
      return NULL;
   bool added;
   struct vt_hash_ent *e = vt_hash_put(&cmp_files, (vt_u64)(Addr)f, &added);
   struct vt_file *g;
   if (added) {
      g = f->dev || f->ino
             ? vt_file_get(&cmp_mm, f->dev, f->ino, f->path, f->size_pages << VT_PAGE_SHIFT,
                           f->shmem)
             : vt_file_new_shmem(&cmp_mm, f->path, f->size_pages << VT_PAGE_SHIFT);
      e = vt_hash_get(&cmp_files, (vt_u64)(Addr)f);   /* (the put may have moved it) */
      e->val = (vt_u64)(Addr)g;
      g->warm_pages = f->warm_pages;   /* the pages the run added are new there too */
   }
   g = (struct vt_file *)(Addr)e->val;
   g->size_pages = f->size_pages;
   g->sysv_shm = f->sysv_shm;
   return g;
}

void vt_mmap_both(const struct vt_mmap_req *q)
{
   vt_mmap(&vt_mm, q);
   if (!vt_cmp_mm)
      return;
   vt_cmp_enter();
   struct vt_mmap_req r = *q;
   r.file = cmp_file(q->file);
   vt_mmap(&cmp_mm, &r);
   vt_cmp_in = False;
}

void vt_cmp_set_thp_disabled(Bool disabled)
{
   if (!vt_cmp_mm)
      return;
   vt_cmp_enter();
   vt_set_thp(&cmp_mm, cmp_mm.cfg.thp, cmp_mm.cfg.thp_zero_page, disabled);
   vt_cmp_in = False;
}

/* ---- over time ---------------------------------------------------------- */

/* Before the first address space closes its sample k. */
void vt_cmp_sample(UInt k)
{
   if (!vt_cmp_mm)
      return;
   if (k >= s_cap) {
      UInt cap = s_cap ? s_cap * 2 : 256;
      while (cap <= k)
         cap *= 2;
      ULong **cols[4] = { &s_rss, &s_pt, &s_faults, &s_pt_primary };
      for (UInt i = 0; i < 4; i++)
         *cols[i] = vt_realloc_array(*cols[i], s_cap, cap, sizeof(ULong));
      s_cap = cap;
   }
   s_rss[k] = cmp_mm.rss;
   s_pt[k] = pt_pages(&cmp_mm);
   s_faults[k] = all_faults(&cmp_mm) - s_faults_last;
   s_faults_last = all_faults(&cmp_mm);
   s_pt_primary[k] = pt_pages(&vt_mm);
}

/* The first's samples were full and neighbours merged: n became n / 2. */
void vt_cmp_merge(UInt n)
{
   if (!vt_cmp_mm)
      return;
   for (UInt i = 0; i < n / 2; i++) {
      s_rss[i] = s_rss[2 * i + 1];
      s_pt[i] = s_pt[2 * i + 1];
      s_pt_primary[i] = s_pt_primary[2 * i + 1];
      s_faults[i] = s_faults[2 * i] + s_faults[2 * i + 1];
   }
}

/* ---- fork and exit -------------------------------------------------------- */

void vt_cmp_fork_prepare(void)
{
   if (!vt_cmp_mm)
      return;
   vt_cmp_enter();
   vt_fork_prepare(&cmp_mm);
   vt_cmp_in = False;
}

void vt_cmp_fork_child(Bool copied)
{
   if (!vt_cmp_mm)
      return;
   vt_cmp_enter();
   vt_fork_child(&cmp_mm, copied);
   vt_cmp_in = False;
   s_faults_last = 0;
}

void vt_cmp_release(void)
{
   if (!vt_cmp_mm)
      return;
   vt_cmp_in = True;
   vt_release_frames(&cmp_mm);
   vt_cmp_in = False;
}

/* ---- figures ---------------------------------------------------------- */

static const HChar *mode_name(unsigned thp)
{
   return thp == VT_THP_ALWAYS ? "always" : thp == VT_THP_MADVISE ? "madvise" : "never";
}

static void size_modes(struct vt_out *o, const struct vt_config *cfg)
{
   vt_out_str(o, "{");
   for (UInt ord = 2; ord <= VT_PMD_ORDER; ord++) {
      uint16_t bit = (uint16_t)(1u << ord);
      const HChar *m = cfg->thp_orders_always & bit    ? "always"
                       : cfg->thp_orders_madvise & bit ? "madvise"
                       : cfg->thp_orders_inherit & bit ? "inherit"
                                                       : "never";
      vt_out_fmt(o, "%s\"%llukB\": \"%s\"", ord > 2 ? ", " : "",
                 (VT_PAGE_SIZE << ord) >> 10, m);
   }
   vt_out_str(o, "}");
}

static void side(struct vt_out *o, struct vt_mm *mm)
{
   vt_out_fmt(o, "{\"thp\": \"%s\", \"thp_sizes\": ", mode_name(mm->cfg.thp));
   size_modes(o, &mm->cfg);
   vt_out_fmt(o, ", \"thp_disabled\": %s}", mm->cfg.thp_disabled ? "true" : "false");
}

Bool vt_cmp_present(void)
{
   return vt_cmp_mm != NULL;
}

void vt_cmp_write_json(struct vt_out *o, UInt n_samples)
{
   struct vt_mm *mm = &cmp_mm;
   vt_out_str(o, "\"thp_compare\": {\"primary\": ");
   side(o, &vt_mm);
   vt_out_str(o, ",\n  \"compared\": ");
   side(o, mm);
   vt_out_str(o, ",\n  \"totals\": {\"faults\": ");
   vt_out_faults(o, &mm->total);
   vt_out_fmt(o, ", \"pages_touched\": %llu, \"anon_huge_pages\": %llu", mm->total.touched,
              vt_anon_huge_pages(mm));
   vt_out_fmt(o, ", \"resident_pages\": %llu, \"peak_resident_pages\": %llu, "
                 "\"peak_resident_at\": %llu, \"page_tables\": {\"pgd\": %llu, \"pud\": %llu, "
                 "\"pmd\": %llu, \"pte\": %llu, \"peak\": {\"pgd\": %llu, \"pud\": %llu, "
                 "\"pmd\": %llu, \"pte\": %llu}}}",
              mm->rss, mm->peak_rss, mm->peak_rss_at, mm->nr_pt[0], mm->nr_pt[1], mm->nr_pt[2],
              mm->nr_pt[3], mm->peak_pt[0], mm->peak_pt[1], mm->peak_pt[2], mm->peak_pt[3]);
   if (vt_mm.ws) {
      UInt n = n_samples <= s_cap ? n_samples : s_cap;
      vt_out_str(o, ",\n  \"timeline\": {");
      vt_out_u64s(o, "resident_pages", s_rss, n);
      vt_out_str(o, ",\n    ");
      vt_out_u64s(o, "page_tables", s_pt, n);
      vt_out_str(o, ",\n    ");
      vt_out_u64s(o, "faults", s_faults, n);
      vt_out_str(o, ",\n    ");
      vt_out_u64s(o, "primary_page_tables", s_pt_primary, n);
      vt_out_str(o, "}");
   }
   vt_out_str(o, "}");
}

/* The log summary's line, after the first address space's page tables:
   the second setting's faults, peak RSS and page tables, in the same
   terms. */
void vt_cmp_summary(void)
{
   if (!vt_cmp_mm)
      return;
   struct vt_mm *mm = &cmp_mm;
   HChar title[24];
   VG_(snprintf)(title, sizeof title, "--thp=%s:", mode_name(mm->cfg.thp));
   VG_(umsg)("%-16s%'llu faults (%'llu thp), resident peak %'llu pages; page tables "
             "%llu pgd, %llu pud, %llu pmd, %llu pte pages (peak %llu)\n",
             title, all_faults(mm), mm->total.faults[VT_FC_THP], mm->peak_rss,
             mm->nr_pt[0], mm->nr_pt[1], mm->nr_pt[2], mm->nr_pt[3],
             mm->peak_pt[0] + mm->peak_pt[1] + mm->peak_pt[2] + mm->peak_pt[3]);
}
