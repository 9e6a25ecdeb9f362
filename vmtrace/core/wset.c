/* wset.c: what the process does over time.  Samples on the virtual clock
   (resident pages by kind, pages touched, faults per class, PSS/USS, each
   simulation's memory), the working set WS(t, tau) of Denning (distinct
   pages referenced in the last tau instructions) for code and data, and a
   heatmap of the pages referenced per address chunk and time.

   Two clocks.  Samples close every `interval` instructions; when they are
   full, neighbours merge and the interval doubles, so a run of any length
   keeps at most max_samples.  Epochs are fixed: cfg.epoch instructions (g),
   never merged.  The host begins every epoch with vt_wset_epoch and
   vt_filter_epoch_at, so the first reference to each page in every epoch
   reaches vt_wset_ref (through vt_access, or from the filter directly:
   filter.c): the working set and the heatmap count those, and so neither
   depends on the sampling interval.

   The working set (Denning, "The working set model for program behavior",
   CACM 1968): each page's companion word (vt_pte_ext) holds the epoch of
   its last code reference and of its last data reference.  A ring of
   nr_ring counters per kind counts the pages by that epoch; sum_*[i], the
   pages whose last reference falls in the last win[i] = ceil(tau_i / g)
   epochs, moves by one when a reference brings a page into the window and
   by a ring counter when an epoch leaves it.  So WS(t, tau_i) at a sample
   is read, not summed, and is exact at epoch granularity: at a regular
   sample (an epoch boundary) the pages referenced in the last win[i] * g
   instructions.

   The heatmap: rows are (mapping, chunk of pages); a row's counts[c] is,
   summed over the epochs of column c, the pages of the row referenced in
   each epoch (page-epochs).  Divided by the column's epochs it is the mean
   number of the row's pages referenced per g instructions.  When the
   columns are full, neighbours merge and a column holds twice the epochs.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"
#include "vt_sim.h"

const char *const vt_sim_series_names[VT_NR_SS] = {
   "resident", "anon", "swap_used", "minor", "swap_in", "file_major",
   "swap_out", "evictions"
};

/* Where the pages' 32-bit epoch numbers are renumbered by default. */
#define EPOCH_LIMIT 0xfffffff0u

static vt_u64 *col(uint32_t n)
{
   return vt_alloc(n * sizeof(vt_u64));
}

vt_u64 vt_wset_granularity(const vt_u64 *tau, uint32_t nr_tau, vt_u64 interval)
{
   vt_u64 lo = ~(vt_u64)0, hi = 0;
   for (uint32_t i = 0; i < nr_tau; i++) {
      if (tau[i] < lo)
         lo = tau[i];
      if (tau[i] > hi)
         hi = tau[i];
   }
   if (!nr_tau)
      lo = hi = interval;
   vt_u64 g = 1;
   while (g * 2 <= interval && g * 2 <= lo / 16)
      g *= 2;
   if (g < VT_WSET_MIN_EPOCH || interval % g || vt_wset_epochs(hi, g) > VT_WSET_MAX_EPOCHS)
      return 0;
   return g;
}

void vt_wset_init(struct vt_mm *mm, const struct vt_wset_config *cfg)
{
   struct vt_wset *w = vt_alloc(sizeof *w);
   uint32_t n = cfg->max_samples;
   VT_ASSERT(cfg->epoch && cfg->interval % cfg->epoch == 0);
   w->cfg = *cfg;
   if (!w->cfg.epoch_limit)
      w->cfg.epoch_limit = EPOCH_LIMIT;
   if (!w->cfg.max_heat_cols)
      w->cfg.max_heat_cols = n;
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
   for (int x = 0; x < 2 && mm->tlb; x++) {
      w->tlb_miss[x] = col(n);
      w->tlb_walk[x] = col(n);
   }
   vt_u64 longest = 1;
   for (uint32_t i = 0; i < cfg->nr_tau; i++) {
      w->ws_code[i] = col(n);
      w->ws_data[i] = col(n);
      w->win[i] = vt_wset_epochs(cfg->tau[i], cfg->epoch);
      VT_ASSERT(w->win[i] <= VT_WSET_MAX_EPOCHS);
      if (w->win[i] > longest)
         longest = w->win[i];
   }
   /* The ring holds the longest window and the epoch that just left it. */
   w->nr_ring = (uint32_t)longest + 1;
   VT_ASSERT(w->cfg.epoch_limit > 2 * w->nr_ring);
   w->ring_code = col(w->nr_ring);
   w->ring_data = col(w->nr_ring);
   w->ep = 1;
   w->ep_slot = 1;
   w->col_epochs = 1;
   if (cfg->max_heat_rows) {
      w->rows = vt_alloc(cfg->max_heat_rows * sizeof *w->rows);
      w->heat_open = col(cfg->max_heat_rows);
      vt_hash_init(&w->row_hash, cfg->max_heat_rows);
   }
   mm->ws = w;
}

vt_u64 vt_wset_next(const struct vt_mm *mm)
{
   const struct vt_wset *w = mm->ws;
   return w ? (w->nr + 1) * w->interval : ~(vt_u64)0;
}

vt_u64 vt_wset_next_epoch(const struct vt_mm *mm)
{
   const struct vt_wset *w = mm->ws;
   return w ? (w->epoch_abs + 1) * w->cfg.epoch : ~(vt_u64)0;
}

/* ---- heatmap rows ------------------------------------------------------- */

/* A row's key in the row hash: mapping ids stay below 2^28 (a process has
   at most vm.max_map_count mappings, and retired ones fold), chunks below
   2^36 (2^47 bytes of address space in pages). */
static vt_u64 row_key(uint32_t mapping, vt_u64 chunk)
{
   return ((vt_u64)(mapping & 0x0fffffffu) << 36) | chunk;
}

static uint32_t open_col(const struct vt_wset *w)
{
   return (uint32_t)(w->epoch_abs / w->col_epochs);
}

uint32_t vt_wset_heat_cols(const struct vt_mm *mm)
{
   return mm->ws ? open_col(mm->ws) + 1 : 0;
}

vt_u64 vt_wset_heat_col_epochs(const struct vt_mm *mm, uint32_t c)
{
   const struct vt_wset *w = mm->ws;
   if (!w || c > open_col(w))
      return 0;
   if (c < open_col(w))
      return w->col_epochs;
   return w->epoch_abs - (vt_u64)c * w->col_epochs + 1;
}

/* The open column's counts into the rows' column heat_col. */
static void heat_sync(struct vt_wset *w)
{
   for (uint32_t r = 0; r < w->nr_rows; r++)
      if (w->heat_open[r]) {
         w->rows[r].counts[w->heat_col] += w->heat_open[r];
         w->heat_open[r] = 0;
      }
}

void vt_wset_heat_sync(struct vt_mm *mm)
{
   if (mm->ws && mm->ws->nr_rows)
      heat_sync(mm->ws);
}

/* Rebuilds the rows after their keys changed (shift: chunks halve; or a
   mapping renamed): rows whose keys now coincide are added together. */
static void rekey(struct vt_wset *w, unsigned shift, uint32_t from, uint32_t to)
{
   uint32_t old_n = w->nr_rows, ncols = open_col(w) + 1;
   heat_sync(w);
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
         vt_u64 *dst = w->rows[e->val].counts;
         for (uint32_t k = 0; k < ncols; k++)
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

/* The page at addr of mapping m is referenced for the first time in the
   open epoch, and *row (if row is not NULL) did not hold its row
   (vt_wset_ref_row tried it): the row the page's key has, made if it has
   none; *row is set to it. */
void vt_wset_heat_find(struct vt_wset *w, struct vt_mapping *m, vt_addr addr, uint32_t *row)
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
         r->counts = col(w->cfg.max_heat_cols);
         e = vt_hash_put(&w->row_hash, row_key(id, chunk), NULL);
         e->val = w->nr_rows++;
      }
   }
   if (row)
      *row = (uint32_t)e->val;
   w->heat_open[e->val]++;
}

/* The columns are full: neighbours merge, a column holds twice the epochs. */
static void heat_merge(struct vt_wset *w)
{
   uint32_t n = w->cfg.max_heat_cols;
   for (uint32_t r = 0; r < w->nr_rows; r++) {
      vt_u64 *c = w->rows[r].counts;
      for (uint32_t i = 0; i < n / 2; i++)
         c[i] = c[2 * i] + c[2 * i + 1];
      vt_memset(c + n / 2, 0, (n - n / 2) * sizeof *c);
   }
   w->col_epochs *= 2;
}

/* ---- references --------------------------------------------------------- */

/* (vt_wset_ref_row and the windows' vt_wset_enter: vt_internal.h) */

/* The page leaves (unmapped): out of the windows it was in. */
static void ws_leave(struct vt_wset *w, vt_u64 *ring, vt_u64 *sum, uint32_t last)
{
   vt_u64 age = w->ep - last;
   if (!last || age >= w->nr_ring)
      return;
   ring[last % w->nr_ring]--;
   for (uint32_t i = 0; i < w->cfg.nr_tau; i++)
      if (age < w->win[i])
         sum[i]--;
}

void vt_wset_ref(struct vt_mm *mm, struct vt_mapping *m, vt_addr addr,
                 vt_pte *ptep, enum vt_access acc)
{
   vt_wset_ref_row(mm, m, addr, ptep, acc, NULL);
}

void vt_wset_forget(struct vt_mm *mm, vt_pte *ptep)
{
   struct vt_wset *w = mm->ws;
   vt_u64 *ext = vt_pte_ext(ptep);
   if (!w || !*ext)
      return;
   ws_leave(w, w->ring_code, w->sum_code, (uint32_t)*ext);
   ws_leave(w, w->ring_data, w->sum_data, (uint32_t)(*ext >> 32));
   *ext = 0;
}

/* ---- epochs ------------------------------------------------------------- */

/* The pages' epoch numbers get close to 2^32: every number still in the
   ring moves down by a multiple of nr_ring (so its ring slot stays), the
   others become 0 (no reference in any window). */
struct renumber { vt_u64 shift, ep, ring; };

static uint32_t renumber_one(const struct renumber *r, uint32_t e)
{
   return e && r->ep - e < r->ring ? (uint32_t)(e - r->shift) : 0;
}

static void renumber_ext(void *ctx, vt_addr addr, vt_pte *ptep)
{
   (void)addr;
   vt_u64 *ext = vt_pte_ext(ptep);
   if (*ext)
      *ext = renumber_one(ctx, (uint32_t)*ext) |
             ((vt_u64)renumber_one(ctx, (uint32_t)(*ext >> 32)) << 32);
}

static void renumber(struct vt_mm *mm)
{
   struct vt_wset *w = mm->ws;
   struct renumber r = { (w->ep / w->nr_ring - 1) * w->nr_ring, w->ep, w->nr_ring };
   for (uint32_t i = 0; i < mm->nr_vmas; i++)
      vt_walk_ptes(mm, mm->vmas[i].vm_start, mm->vmas[i].vm_end, renumber_ext, &r);
   w->ep -= (uint32_t)r.shift;
   w->ep_slot = w->ep % w->nr_ring;
}

/* One epoch begins: the one that left each window is subtracted, and the
   ring slot it reuses (an epoch that left every window) is emptied. */
static void next_epoch(struct vt_wset *w)
{
   w->ep++;
   for (uint32_t i = 0; i < w->cfg.nr_tau; i++)
      if (w->ep > w->win[i]) {
         uint32_t gone = (uint32_t)((w->ep - w->win[i]) % w->nr_ring);
         w->sum_code[i] -= w->ring_code[gone];
         w->sum_data[i] -= w->ring_data[gone];
      }
   w->ring_code[w->ep % w->nr_ring] = 0;
   w->ring_data[w->ep % w->nr_ring] = 0;
}

void vt_wset_epoch(struct vt_mm *mm, vt_u64 now)
{
   struct vt_wset *w = mm->ws;
   if (!w)
      return;
   vt_u64 target = now / w->cfg.epoch;
   if (target <= w->epoch_abs)
      return;
   vt_u64 steps = target - w->epoch_abs;
   if (steps > w->nr_ring)
      steps = w->nr_ring;        /* after nr_ring epochs every window is empty */
   for (vt_u64 k = 0; k < steps; k++)
      next_epoch(w);
   w->ep += (uint32_t)(target - w->epoch_abs - steps);
   w->epoch_abs = target;
   if (w->ep >= w->cfg.epoch_limit)
      renumber(mm);
   w->ep_slot = w->ep % w->nr_ring;
   if (w->nr_rows && open_col(w) != w->heat_col)
      heat_sync(w);
   while (open_col(w) >= w->cfg.max_heat_cols)
      heat_merge(w);
   w->heat_col = open_col(w);
}

/* ---- samples ---------------------------------------------------------- */

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

/* The samples are full: merge neighbours, double the interval.  Nothing
   the working set or the heatmap counts depends on it. */
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
   for (int x = 0; x < 2 && w->tlb_miss[0]; x++) {
      merge_sum(w->tlb_miss[x], n);
      merge_sum(w->tlb_walk[x], n);
   }
   for (uint32_t i = 0; i < w->cfg.nr_tau; i++) {
      merge_last(w->ws_code[i], n);
      merge_last(w->ws_data[i], n);
   }
   for (uint32_t s = 0; s < w->nr_sims; s++)
      for (int k = 0; k < VT_NR_SS; k++)
         (k >= VT_SS_FIRST_EVENT ? merge_sum : merge_last)(w->sims[s].col[k], n);
   w->nr = n / 2;
   w->interval *= 2;
}

/* A simulation's figures at sample k. */
static void sample_sim(const struct vt_sim *sim, struct vt_sim_series *ss, uint32_t k)
{
   const struct vt_sim_stats *st = vt_sim_stats(sim);
   vt_u64 now[VT_NR_SS] = { 0 };
   now[VT_SS_RESIDENT] = vt_sim_resident(sim);
   now[VT_SS_ANON] = vt_sim_resident_anon(sim);
   now[VT_SS_SWAP_USED] = vt_sim_swap_used(sim);
   struct vt_counts cnt;
   vt_memset(&cnt, 0, sizeof cnt);
   vt_memcpy(cnt.faults, st->faults, sizeof cnt.faults);
   now[VT_SS_MINOR] = vt_counts_minor(&cnt);
   now[VT_SS_SWAP_IN] = st->faults[VT_FC_SWAP_IN];
   now[VT_SS_FILE_MAJOR] = st->faults[VT_FC_FILE_MAJOR];
   now[VT_SS_SWAP_OUT] = st->swap_outs;
   now[VT_SS_EVICTIONS] = st->evictions;
   for (int i = 0; i < VT_NR_SS; i++) {
      if (i < VT_SS_FIRST_EVENT) {
         ss->col[i][k] = now[i];
      } else {
         ss->col[i][k] = now[i] - ss->last[i];
         ss->last[i] = now[i];
      }
   }
}

/* Series for simulations added since the last sample. */
static void grow_sims(struct vt_wset *w, uint32_t n)
{
   if (n <= w->nr_sims)
      return;
   w->sims = vt_realloc_array(w->sims, w->nr_sims, n, sizeof *w->sims);
   for (uint32_t s = w->nr_sims; s < n; s++)
      for (int k = 0; k < VT_NR_SS; k++)
         w->sims[s].col[k] = col(w->cfg.max_samples);
   w->nr_sims = n;
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
   if (w->tlb_miss[0] && mm->tlb) {
      struct vt_tlb_counts tc;
      vt_tlb_counts(mm, VT_TLB_TOTAL, 0, &tc);
      vt_u64 now4[4] = { tc.miss[0], tc.miss[1], tc.walk[0], tc.walk[1] };
      vt_u64 *cols[4] = { w->tlb_miss[0], w->tlb_miss[1], w->tlb_walk[0], w->tlb_walk[1] };
      for (int x = 0; x < 4; x++) {
         cols[x][k] = now4[x] - w->tlb_last[x];
         w->tlb_last[x] = now4[x];
      }
   }
   for (uint32_t i = 0; i < w->cfg.nr_tau; i++) {
      w->ws_code[i][k] = w->sum_code[i];
      w->ws_data[i][k] = w->sum_data[i];
   }
   grow_sims(w, mm->nr_sims);
   for (uint32_t s = 0; s < mm->nr_sims; s++)
      sample_sim(mm->sims[s], &w->sims[s], k);
   w->nr++;
   if (w->nr == w->cfg.max_samples)
      merge(mm);
}

/* A forked child: its own history starts now (its clock at 0). */
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
   vt_memset(w->ring_code, 0, w->nr_ring * sizeof(vt_u64));
   vt_memset(w->ring_data, 0, w->nr_ring * sizeof(vt_u64));
   vt_memset(w->sum_code, 0, sizeof w->sum_code);
   vt_memset(w->sum_data, 0, sizeof w->sum_data);
   w->epoch_abs = 0;
   w->ep = 1;
   w->ep_slot = 1;
   for (uint32_t r = 0; r < w->nr_rows; r++) {
      vt_free(w->rows[r].counts);
      w->heat_open[r] = 0;
   }
   w->nr_rows = 0;
   if (w->row_hash.e) {
      vt_hash_destroy(&w->row_hash);
      vt_hash_init(&w->row_hash, w->cfg.max_heat_rows);
   }
   w->chunk_shift = 0;
   w->col_epochs = 1;
   w->heat_col = 0;
   w->nr = 0;
   w->interval = w->cfg.interval;
   vt_memset(w->tlb_last, 0, sizeof w->tlb_last);
   vt_memset(&w->last, 0, sizeof w->last);
   for (uint32_t s = 0; s < w->nr_sims; s++)
      vt_memset(w->sims[s].last, 0, sizeof w->sims[s].last);
}

