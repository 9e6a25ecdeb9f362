/* wset.c: what the process does over time.  Samples on the virtual clock
   (resident pages by kind, pages touched, faults per class, PSS/USS), the
   working set WS(t, tau) of Denning (distinct pages referenced in the last
   tau instructions) for code and data, and a heatmap of distinct pages
   referenced per address chunk and sample.

   The host closes a sample every `interval` instructions and flushes its
   filter, so the first reference to each page in every sample reaches
   vt_access: that is all the working set needs, at sample granularity.
   Each page's companion word (vt_pte_ext) holds the sample of its last
   code and data reference; hist_* count the pages by that sample, so
   WS(t_k, tau) is a sum over the last tau/interval samples.  When the
   samples are full, neighbours merge and the interval doubles, so a run
   of any length keeps at most max_samples.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"

static vt_u64 *col(uint32_t n)
{
   return vt_alloc(n * sizeof(vt_u64));
}

void vt_wset_init(struct vt_mm *mm, const struct vt_wset_config *cfg)
{
   struct vt_wset *w = vt_alloc(sizeof *w);
   uint32_t n = cfg->max_samples;
   w->cfg = *cfg;
   w->interval = cfg->interval;
   w->t = col(n);
   w->wall_ms = col(n);
   w->touched = col(n);
   w->pss_x1000 = col(n);
   w->uss = col(n);
   w->dup = col(n);
   for (int k = 0; k < VT_NR_MK; k++)
      w->rss[k] = col(n);
   for (int c = 0; c < VT_NR_FC; c++)
      w->faults[c] = col(n);
   for (uint32_t i = 0; i < cfg->nr_tau; i++) {
      w->ws_code[i] = col(n);
      w->ws_data[i] = col(n);
   }
   w->hist_code = col(n + 1);
   w->hist_data = col(n + 1);
   if (cfg->max_heat_rows) {
      w->rows = vt_alloc(cfg->max_heat_rows * sizeof *w->rows);
      vt_hash_init(&w->row_hash, cfg->max_heat_rows);
   }
   mm->ws = w;
}

vt_u64 vt_wset_next(const struct vt_mm *mm)
{
   const struct vt_wset *w = mm->ws;
   return w ? (w->nr + 1) * w->interval : ~(vt_u64)0;
}

/* ---- heatmap rows ------------------------------------------------------- */

/* A row's key in the row hash: mapping ids stay below 2^28 (a process has
   at most vm.max_map_count mappings, and retired ones fold), chunks below
   2^36 (2^47 bytes of address space in pages). */
static vt_u64 row_key(uint32_t mapping, vt_u64 chunk)
{
   return ((vt_u64)(mapping & 0x0fffffffu) << 36) | chunk;
}

/* Rebuilds the rows after their keys changed (shift: chunks halve; or a
   mapping renamed): rows whose keys now coincide are added together. */
static void rekey(struct vt_wset *w, unsigned shift, uint32_t from, uint32_t to)
{
   uint32_t old_n = w->nr_rows;
   vt_hash_destroy(&w->row_hash);
   vt_hash_init(&w->row_hash, w->cfg.max_heat_rows);
   w->nr_rows = 0;
   for (uint32_t i = 0; i < old_n; i++) {
      struct vt_heat_row r = w->rows[i];
      r.chunk >>= shift;
      if (r.mapping == from)
         r.mapping = to;
      bool added;
      struct vt_hash_ent *e = vt_hash_put(&w->row_hash, row_key(r.mapping, r.chunk),
                                          &added);
      if (!added) {
         uint32_t *dst = w->rows[e->val].counts;
         for (uint32_t k = 0; k <= w->nr && k < w->cfg.max_samples; k++)
            dst[k] += r.counts[k];
         vt_free(r.counts);
      } else {
         e->val = w->nr_rows;
         w->rows[w->nr_rows++] = r;
      }
   }
}

static void coarsen(struct vt_wset *w)
{
   w->chunk_shift++;
   rekey(w, 1, VT_HEAT_OTHER, VT_HEAT_OTHER);
}

/* Mapping `from` was folded into `to` (its id may be reused). */
void vt_wset_rename_mapping(struct vt_mm *mm, uint32_t from, uint32_t to)
{
   if (mm->ws && mm->ws->nr_rows)
      rekey(mm->ws, 0, from, to);
}

static void heat(struct vt_wset *w, struct vt_mapping *m, vt_addr addr)
{
   vt_u64 chunk = ((addr - (m->start & VT_PAGE_MASK)) >> VT_PAGE_SHIFT) >> w->chunk_shift;
   if (addr < m->start)
      chunk = 0;                 /* a stack grown below its first extent */
   uint32_t id = m->id;
   struct vt_hash_ent *e = vt_hash_get(&w->row_hash, row_key(id, chunk));
   if (!e) {
      /* Full: coarser chunks first; when even whole mappings are too many
         (all chunks 0), pages of further mappings go to one shared row. */
      while (w->nr_rows >= w->cfg.max_heat_rows - 1 && id != VT_HEAT_OTHER) {
         if (w->chunk_shift >= 36) {
            id = VT_HEAT_OTHER;
            chunk = 0;
         } else {
            coarsen(w);
            chunk >>= 1;
         }
         e = vt_hash_get(&w->row_hash, row_key(id, chunk));
         if (e)
            break;
      }
      if (!e) {
         struct vt_heat_row *r = &w->rows[w->nr_rows];
         r->mapping = id;
         r->chunk = chunk;
         r->counts = vt_alloc(w->cfg.max_samples * sizeof *r->counts);
         e = vt_hash_put(&w->row_hash, row_key(id, chunk), NULL);
         e->val = w->nr_rows++;
      }
   }
   w->rows[e->val].counts[w->nr]++;
}

/* ---- references --------------------------------------------------------- */

/* The page's last reference (of one kind) moves to sample cur: false if
   it was there already. */
static bool to_sample(vt_u64 *hist, vt_u64 *last, vt_u64 cur)
{
   if (*last == cur)
      return false;
   if (*last)
      hist[*last - 1]--;
   hist[cur - 1]++;
   *last = cur;
   return true;
}

void vt_wset_ref(struct vt_mm *mm, struct vt_mapping *m, vt_addr addr,
                 vt_pte *ptep, enum vt_access acc)
{
   struct vt_wset *w = mm->ws;
   vt_u64 *ext = vt_pte_ext(ptep);
   vt_u64 cur = w->nr + 1;
   vt_u64 code = *ext & 0xffffffffu, data = *ext >> 32;
   bool first_in_sample = code != cur && data != cur;
   if (!to_sample(acc == VT_ACC_EXEC ? w->hist_code : w->hist_data,
                  acc == VT_ACC_EXEC ? &code : &data, cur))
      return;
   *ext = code | (data << 32);
   if (first_in_sample && w->cfg.max_heat_rows && mm->collecting)
      heat(w, m, addr);
}

void vt_wset_forget(struct vt_mm *mm, vt_pte *ptep)
{
   struct vt_wset *w = mm->ws;
   vt_u64 *ext = vt_pte_ext(ptep);
   if (!w || !*ext)
      return;
   vt_u64 code = *ext & 0xffffffffu, data = *ext >> 32;
   if (code)
      w->hist_code[code - 1]--;
   if (data)
      w->hist_data[data - 1]--;
   *ext = 0;
}

/* ---- samples ---------------------------------------------------------- */

static void halve_ext(void *ctx, vt_addr addr, vt_pte *ptep)
{
   (void)ctx; (void)addr;
   vt_u64 *ext = vt_pte_ext(ptep);
   vt_u64 code = *ext & 0xffffffffu, data = *ext >> 32;
   if (code)
      code = ((code - 1) >> 1) + 1;
   if (data)
      data = ((data - 1) >> 1) + 1;
   *ext = code | (data << 32);
}

/* Neighbours i and i+1 become one sample: counts over the sample add up
   (sum), states at its end are the later one's. */
static void merge_pairs(vt_u64 *a, uint32_t n, bool sum)
{
   for (uint32_t i = 0; i < n / 2; i++)
      a[i] = (sum ? a[2 * i] : 0) + a[2 * i + 1];
   vt_memset(a + n / 2, 0, (n - n / 2) * sizeof *a);
}

static void merge_sum(vt_u64 *a, uint32_t n) { merge_pairs(a, n, true); }
static void merge_last(vt_u64 *a, uint32_t n) { merge_pairs(a, n, false); }

/* The samples are full: merge neighbours, double the interval. */
static void merge(struct vt_mm *mm)
{
   struct vt_wset *w = mm->ws;
   uint32_t n = w->nr;                /* even: max_samples */
   merge_last(w->t, n);
   merge_last(w->wall_ms, n);
   merge_last(w->touched, n);
   merge_last(w->pss_x1000, n);
   merge_last(w->uss, n);
   merge_last(w->dup, n);
   for (int k = 0; k < VT_NR_MK; k++)
      merge_last(w->rss[k], n);
   for (int c = 0; c < VT_NR_FC; c++)
      merge_sum(w->faults[c], n);
   for (uint32_t i = 0; i < w->cfg.nr_tau; i++) {
      merge_last(w->ws_code[i], n);
      merge_last(w->ws_data[i], n);
   }
   /* hist has an entry for the open sample n too: it is empty here. */
   merge_sum(w->hist_code, n);
   merge_sum(w->hist_data, n);
   for (uint32_t r = 0; r < w->nr_rows; r++) {
      uint32_t *c = w->rows[r].counts;
      for (uint32_t i = 0; i < n / 2; i++)
         c[i] = c[2 * i] + c[2 * i + 1];
      vt_memset(c + n / 2, 0, (n - n / 2) * sizeof *c);
   }
   for (uint32_t i = 0; i < mm->nr_vmas; i++)
      vt_walk_ptes(mm, mm->vmas[i].vm_start, mm->vmas[i].vm_end, halve_ext, NULL);
   w->nr = n / 2;
   w->interval *= 2;
}

static vt_u64 window(const vt_u64 *hist, uint32_t k, vt_u64 w)
{
   vt_u64 sum = 0;
   for (vt_u64 j = 0; j < w && j <= k; j++)
      sum += hist[k - j];
   return sum;
}

void vt_wset_sample(struct vt_mm *mm, vt_u64 now, const struct vt_sample_host *h)
{
   struct vt_wset *w = mm->ws;
   if (!w)
      return;
   uint32_t k = w->nr;
   w->t[k] = now;
   w->wall_ms[k] = h->wall_ms;
   w->touched[k] = mm->total.touched;
   w->pss_x1000[k] = h->pss_x1000;
   w->uss[k] = h->uss;
   w->dup[k] = h->dup;
   for (int i = 0; i < VT_NR_MK; i++)
      w->rss[i][k] = mm->rss_kind[i];
   for (int c = 0; c < VT_NR_FC; c++) {
      w->faults[c][k] = mm->total.faults[c] - w->last.faults[c];
      w->last.faults[c] = mm->total.faults[c];
   }
   for (uint32_t i = 0; i < w->cfg.nr_tau; i++) {
      vt_u64 span = (w->cfg.tau[i] + w->interval - 1) / w->interval;
      w->ws_code[i][k] = window(w->hist_code, k, span ? span : 1);
      w->ws_data[i][k] = window(w->hist_data, k, span ? span : 1);
   }
   w->nr++;
   if (w->nr == w->cfg.max_samples)
      merge(mm);
}

/* A forked child: its own history starts now. */
static void clear_ext(void *ctx, vt_addr addr, vt_pte *ptep)
{
   (void)ctx; (void)addr;
   *vt_pte_ext(ptep) = 0;
}

void vt_wset_child(struct vt_mm *mm)
{
   struct vt_wset *w = mm->ws;
   if (!w)
      return;
   for (uint32_t i = 0; i < mm->nr_vmas; i++)
      vt_walk_ptes(mm, mm->vmas[i].vm_start, mm->vmas[i].vm_end, clear_ext, NULL);
   uint32_t n = w->cfg.max_samples;
   vt_memset(w->hist_code, 0, (n + 1) * sizeof(vt_u64));
   vt_memset(w->hist_data, 0, (n + 1) * sizeof(vt_u64));
   for (uint32_t r = 0; r < w->nr_rows; r++)
      vt_free(w->rows[r].counts);
   w->nr_rows = 0;
   if (w->row_hash.e) {
      vt_hash_destroy(&w->row_hash);
      vt_hash_init(&w->row_hash, w->cfg.max_heat_rows);
   }
   w->chunk_shift = 0;
   w->nr = 0;
   w->interval = w->cfg.interval;
   vt_memset(&w->last, 0, sizeof w->last);
}
