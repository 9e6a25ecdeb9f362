/* naive.c: the naive models (naive.h).  Nothing clever on purpose: every
   decision is a scan over small arrays, following the written rules.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "naive.h"

static bool is(const struct naive *nv, const char *name)
{
   return strcmp(nv->pol, name) == 0;
}

/* ---- arrays of keys ---- */

static int idx_of(const vt_u64 *a, int n, vt_u64 key)
{
   for (int i = 0; i < n; i++)
      if (a[i] == key)
         return i;
   return -1;
}

static void del_at(vt_u64 *a, int *n, int i)
{
   for (int j = i; j + 1 < *n; j++)
      a[j] = a[j + 1];
   (*n)--;
}

static bool del_key(vt_u64 *a, int *n, vt_u64 key)
{
   int i = idx_of(a, *n, key);
   if (i < 0)
      return false;
   del_at(a, n, i);
   return true;
}

static void append(vt_u64 *a, int *n, vt_u64 key) { a[(*n)++] = key; }

static void prepend(vt_u64 *a, int *n, vt_u64 key)
{
   for (int j = *n; j > 0; j--)
      a[j] = a[j - 1];
   a[0] = key;
   (*n)++;
}

/* ---- pages ---- */

struct nv_page *nv_find(struct naive *nv, vt_u64 key)
{
   for (int i = 0; i < nv->nres; i++)
      if (nv->res[i].key == key)
         return &nv->res[i];
   return NULL;
}

static struct nv_ev *find_ev(struct naive *nv, vt_u64 key)
{
   for (int i = 0; i < nv->nev; i++)
      if (nv->ev[i].key == key)
         return &nv->ev[i];
   return NULL;
}

static void del_ev(struct naive *nv, vt_u64 key)
{
   for (int i = 0; i < nv->nev; i++)
      if (nv->ev[i].key == key) {
         nv->ev[i] = nv->ev[--nv->nev];
         return;
      }
}

static bool swap_full(const struct naive *nv)
{
   return nv->no_swap || (nv->swap_pages && nv->swap_used >= nv->swap_pages);
}

static bool evictable(const struct naive *nv, const struct nv_page *p)
{
   return !p->locked && !(p->anon && !p->slot && swap_full(nv));
}

static bool clean(const struct nv_page *p)
{
   return p->anon ? p->slot : !p->dirty;
}

static vt_u64 rnd(struct naive *nv)
{
   return t_rand(&nv->rng);
}

void nv_init(struct naive *nv, const char *policy, unsigned frames,
             vt_u64 swap_pages, const struct vt_policy_params *params)
{
   memset(nv, 0, sizeof *nv);
   nv->pol = policy;
   nv->frames = frames;
   nv->swap_pages = swap_pages;
   nv->params = *params;
   nv->rng = params->seed ? params->seed : 0x9E3779B97F4A7C15ull;
   nv->pend = NV_NONE;
   if ((is(nv, "nru") || is(nv, "aging")) && params->period)
      nv->next_tick = params->period;
}

/* ---- LINUX ---- */

static int lx_list(const struct naive *nv, vt_u64 key)
{
   for (int l = 0; l < 4; l++)
      if (idx_of(nv->l[l], nv->nl[l], key) >= 0)
         return l;
   return -1;
}

static bool lx_swap_slot(const struct naive *nv) { return !swap_full(nv); }

static bool lx_low(const struct naive *nv, int ina)
{
   vt_u64 inactive = (vt_u64)nv->nl[ina], active = (vt_u64)nv->nl[ina + 1];
   vt_u64 gb = (inactive + active) >> 18, ratio = 1;
   if (gb) {
      ratio = 0;
      while ((ratio + 1) * (ratio + 1) <= 10 * gb)
         ratio++;
   }
   return inactive * ratio < active;
}

/* The active tail to the inactive head; a referenced executable file page
   goes back to the active head (NV_NONE then). */
static void lx_cost(struct naive *nv, int file, vt_u64 n)
{
   nv->cost[file] += n;
   vt_u64 size = (vt_u64)(nv->nl[0] + nv->nl[1] + nv->nl[2] + nv->nl[3]);
   if (nv->cost[0] + nv->cost[1] > size / 4) {
      nv->cost[0] /= 2;
      nv->cost[1] /= 2;
   }
}

static vt_u64 lx_deactivate(struct naive *nv, int ina)
{
   vt_u64 k = nv->l[ina + 1][nv->nl[ina + 1] - 1];
   struct nv_page *p = nv_find(nv, k);
   bool was_ref = p->ref && !p->norecency;
   nv->nl[ina + 1]--;
   if (!p->norecency)
      p->ref = false;
   if (was_ref && p->exec && !p->anon) {
      prepend(nv->l[ina + 1], &nv->nl[ina + 1], k);
      return NV_NONE;
   }
   prepend(nv->l[ina], &nv->nl[ina], k);
   return k;
}

static vt_u64 lx_shrink(struct naive *nv, int ina, vt_u64 *shadow)
{
   vt_u64 cur = nv->nl[ina] ? nv->l[ina][nv->nl[ina] - 1] : NV_NONE;
   while (cur != NV_NONE) {
      int i = idx_of(nv->l[ina], nv->nl[ina], cur);
      vt_u64 prev = i > 0 ? nv->l[ina][i - 1] : NV_NONE;
      struct nv_page *p = nv_find(nv, cur);
      if (!evictable(nv, p)) {
         cur = prev;
         continue;
      }
      if (!p->ref || p->norecency) {      /* no recency: never seen */
         p->pgref = false;
         if (!clean(p))
            lx_cost(nv, !p->anon, 1);
         del_key(nv->l[ina], &nv->nl[ina], cur);
         *shadow = nv->age++;
         return cur;
      }
      p->ref = false;
      del_key(nv->l[ina], &nv->nl[ina], cur);
      if (p->pgref || (p->exec && !p->anon)) {
         p->pgref = true;
         prepend(nv->l[ina + 1], &nv->nl[ina + 1], cur);
         nv->age++;
      } else {
         p->pgref = true;
         prepend(nv->l[ina], &nv->nl[ina], cur);
         if (prev == NV_NONE)
            prev = cur;
      }
      cur = prev;
   }
   while (nv->nl[ina + 1] > 0) {
      vt_u64 k = lx_deactivate(nv, ina);
      if (k == NV_NONE)
         continue;
      struct nv_page *p = nv_find(nv, k);
      if (evictable(nv, p)) {
         p->pgref = false;
         if (!clean(p))
            lx_cost(nv, !p->anon, 1);
         del_key(nv->l[ina], &nv->nl[ina], k);
         *shadow = nv->age++;
         return k;
      }
   }
   return NV_NONE;
}

static vt_u64 lx_victim(struct naive *nv, vt_u64 *shadow)
{
   bool swap_ok = lx_swap_slot(nv);
   if (swap_ok)
      while (lx_low(nv, 0))
         lx_deactivate(nv, 0);
   while (lx_low(nv, 2))
      lx_deactivate(nv, 2);
   bool anon_ok = swap_ok && nv->nl[0] + nv->nl[1] > 0;
   bool file_ok = nv->nl[2] + nv->nl[3] > 0;
   int type;
   vt_u64 weight = 0;
   if (anon_ok && file_ok) {
      vt_u64 total = nv->cost[0] + nv->cost[1];
      vt_u64 ac = total + nv->cost[0], fc = total + nv->cost[1];
      vt_u64 ap = nv->params.swappiness * (ac + fc + 1) / (ac + 1);
      vt_u64 fp = (200 - nv->params.swappiness) * (ac + fc + 1) / (fc + 1);
      ap *= (vt_u64)(nv->nl[0] + nv->nl[1]);
      fp *= (vt_u64)(nv->nl[2] + nv->nl[3]);
      weight = ap + fp;
      nv->credit[0] += (long long)ap;
      nv->credit[1] += (long long)fp;
      type = nv->credit[0] > nv->credit[1] ? 0 : 1;
   } else {
      type = anon_ok ? 0 : 1;
   }
   vt_u64 k = NV_NONE;
   if (type == 0 ? anon_ok : file_ok)
      k = lx_shrink(nv, type ? 2 : 0, shadow);
   if (k == NV_NONE && (type == 0 ? file_ok : anon_ok)) {
      type = !type;
      k = lx_shrink(nv, type ? 2 : 0, shadow);
   }
   if (k != NV_NONE && anon_ok && file_ok)
      nv->credit[type] -= (long long)weight;
   return k;
}

static void lx_insert(struct naive *nv, struct nv_page *p, bool refault,
                      vt_u64 shadow)
{
   bool file = !p->anon;
   int lru = file ? 2 : 0;
   if (refault) {
      vt_u64 ws = (vt_u64)nv->nl[3];
      if (!file)
         ws += (vt_u64)nv->nl[2];
      if (lx_swap_slot(nv)) {
         ws += (vt_u64)nv->nl[1];
         if (file)
            ws += (vt_u64)nv->nl[0];
      }
      if (nv->age - shadow <= ws) {
         lru++;
         nv->age++;
         lx_cost(nv, file, 1);
      }
   }
   p->pgref = false;
   prepend(nv->l[lru], &nv->nl[lru], p->key);
}

/* ---- ARC ---- */

static int arc_ghost(const struct naive *nv, vt_u64 x)
{
   return idx_of(nv->b1, nv->nb1, x) >= 0 ? 1
          : idx_of(nv->b2, nv->nb2, x) >= 0 ? 2 : 0;
}

static vt_u64 arc_adapt(const struct naive *nv, int in)
{
   vt_u64 c = nv->frames, b1 = (vt_u64)nv->nb1, b2 = (vt_u64)nv->nb2;
   if (in == 1) {
      vt_u64 d = b1 >= b2 ? 1 : b2 / b1;
      return nv->p + d < c ? nv->p + d : c;
   }
   vt_u64 d = b2 >= b1 ? 1 : b1 / b2;
   return nv->p > d ? nv->p - d : 0;
}

static vt_u64 arc_lru_evictable(struct naive *nv, const vt_u64 *a, int n)
{
   for (int i = 0; i < n; i++)
      if (evictable(nv, nv_find(nv, a[i])))
         return a[i];
   return NV_NONE;
}

static vt_u64 arc_victim(struct naive *nv, vt_u64 x)
{
   vt_u64 c = nv->frames;
   vt_u64 t1 = (vt_u64)nv->nt1, t2 = (vt_u64)nv->nt2;
   vt_u64 b1 = (vt_u64)nv->nb1, b2 = (vt_u64)nv->nb2;
   int in = arc_ghost(nv, x);
   vt_u64 np = in ? arc_adapt(nv, in) : nv->p;
   int drop = 0, from;
   bool replace = true;
   if (!in) {
      if (t1 + b1 >= c) {
         if (t1 < c)
            drop = 1;
         else
            replace = false;
      } else if (t1 + t2 + b1 + b2 >= 2 * c) {
         drop = 2;
      }
   }
   vt_u64 k;
   if (!replace) {
      k = arc_lru_evictable(nv, nv->t1, nv->nt1);
      from = 0;
   } else {
      from = t1 >= 1 && (t1 > np || (in == 2 && t1 == np)) ? 1 : 2;
      k = from == 1 ? arc_lru_evictable(nv, nv->t1, nv->nt1)
                    : arc_lru_evictable(nv, nv->t2, nv->nt2);
      if (k == NV_NONE) {
         from = 3 - from;
         k = from == 1 ? arc_lru_evictable(nv, nv->t1, nv->nt1)
                       : arc_lru_evictable(nv, nv->t2, nv->nt2);
      }
   }
   if (k == NV_NONE)
      return k;
   nv->p = np;
   nv->pend = x;
   if (drop == 1 && nv->nb1)
      del_at(nv->b1, &nv->nb1, 0);
   if (drop == 2 && nv->nb2)
      del_at(nv->b2, &nv->nb2, 0);
   if (!del_key(nv->t1, &nv->nt1, k))
      del_key(nv->t2, &nv->nt2, k);
   if (from == 1)
      append(nv->b1, &nv->nb1, k);
   else if (from == 2)
      append(nv->b2, &nv->nb2, k);
   return k;
}

static void arc_insert(struct naive *nv, vt_u64 x)
{
   int in = arc_ghost(nv, x);
   bool adapted = nv->pend == x;
   nv->pend = NV_NONE;
   if (in) {
      if (!adapted)
         nv->p = arc_adapt(nv, in);
      if (in == 1)
         del_key(nv->b1, &nv->nb1, x);
      else
         del_key(nv->b2, &nv->nb2, x);
      append(nv->t2, &nv->nt2, x);
      return;
   }
   if (!adapted) {
      vt_u64 c = nv->frames;
      if ((vt_u64)(nv->nt1 + nv->nb1) >= c && nv->nb1)
         del_at(nv->b1, &nv->nb1, 0);
      else if ((vt_u64)(nv->nt1 + nv->nt2 + nv->nb1 + nv->nb2) >= 2 * c &&
               nv->nb2)
         del_at(nv->b2, &nv->nb2, 0);
   }
   append(nv->t1, &nv->nt1, x);
}

/* ---- the policies' choices ---- */

/* The victim's key, removed from the policy's own arrays; NV_NONE: none. */
static vt_u64 victim(struct naive *nv, vt_u64 incoming, vt_u64 now,
                     vt_u64 *shadow)
{
   *shadow = 0;
   if (is(nv, "fifo")) {
      for (int i = 0; i < nv->nres; i++)
         if (evictable(nv, &nv->res[i]))
            return nv->res[i].key;
      return NV_NONE;
   }
   if (is(nv, "lru") || is(nv, "lfu") || is(nv, "nru") || is(nv, "aging") ||
       is(nv, "opt")) {
      struct nv_page *best = NULL;
      vt_u64 best_next = 0;
      for (int i = 0; i < nv->nres; i++) {
         struct nv_page *p = &nv->res[i];
         if (!evictable(nv, p))
            continue;
         bool better;
         if (is(nv, "lru")) {
            better = !best || p->last_ref < best->last_ref;
         } else if (is(nv, "lfu")) {
            better = !best || p->refs < best->refs ||
                     (p->refs == best->refs && p->last_ref < best->last_ref);
         } else if (is(nv, "nru")) {
            better = !best || 2 * p->ref + p->dirty < 2 * best->ref + best->dirty;
         } else if (is(nv, "aging")) {
            better = !best || p->age8 < best->age8;
         } else {
            vt_u64 next = nv->next_use ? nv->next_use(nv->ctx, p->key,
                                                      p->last_ref)
                                       : NV_NONE;
            better = !best || next > best_next ||
                     (next == best_next && (p->inserted < best->inserted ||
                      (p->inserted == best->inserted && p->key < best->key)));
            if (better)
               best_next = next;
         }
         if (better)
            best = p;
      }
      return best ? best->key : NV_NONE;
   }
   if (is(nv, "random")) {
      if (nv->nra == 0)
         return NV_NONE;
      vt_u64 k = NV_NONE;
      for (int t = 0; t < 64 && k == NV_NONE; t++) {
         vt_u64 g = nv->ra[rnd(nv) % (vt_u64)nv->nra];
         if (evictable(nv, nv_find(nv, g)))
            k = g;
      }
      if (k == NV_NONE) {
         vt_u64 e = 0;
         for (int i = 0; i < nv->nra; i++)
            e += evictable(nv, nv_find(nv, nv->ra[i]));
         if (e == 0)
            return NV_NONE;
         vt_u64 j = rnd(nv) % e;
         for (int i = 0; i < nv->nra; i++)
            if (evictable(nv, nv_find(nv, nv->ra[i])) && j-- == 0) {
               k = nv->ra[i];
               break;
            }
      }
      int i = idx_of(nv->ra, nv->nra, k);
      nv->ra[i] = nv->ra[--nv->nra];
      return k;
   }
   if (is(nv, "clock")) {
      for (int steps = 2 * nv->nq + 1; steps > 0 && nv->nq > 0; steps--) {
         struct nv_page *p = nv_find(nv, nv->q[0]);
         if (evictable(nv, p) && !p->ref) {
            del_at(nv->q, &nv->nq, 0);
            return p->key;
         }
         if (evictable(nv, p))
            p->ref = false;
         vt_u64 k = nv->q[0];           /* the hand passes it */
         del_at(nv->q, &nv->nq, 0);
         append(nv->q, &nv->nq, k);
      }
      return NV_NONE;
   }
   if (is(nv, "wsclock")) {
      int n = nv->nq;
      for (int i = 0; i < n; i++) {
         struct nv_page *p = nv_find(nv, nv->q[0]);
         if (evictable(nv, p)) {
            if (p->ref) {
               p->ref = false;
               p->tlu = now;
            } else if (now - p->tlu > nv->params.tau) {
               if (clean(p)) {
                  del_at(nv->q, &nv->nq, 0);
                  return p->key;
               }
               /* schedule the write: done at once */
               if (p->anon) {
                  nv->swap_used++;
                  nv->st.swap_outs++;
                  p->slot = true;
               } else {
                  nv->st.writebacks++;
               }
               p->dirty = false;
            }
         }
         vt_u64 k = nv->q[0];
         del_at(nv->q, &nv->nq, 0);
         append(nv->q, &nv->nq, k);
      }
      int best = -1, first = -1;
      for (int i = 0; i < n; i++) {
         struct nv_page *p = nv_find(nv, nv->q[i]);
         if (!evictable(nv, p))
            continue;
         if (first < 0)
            first = i;
         if (clean(p) && (best < 0 || p->tlu < nv_find(nv, nv->q[best])->tlu))
            best = i;
      }
      if (best < 0)
         best = first;
      if (best < 0)
         return NV_NONE;
      for (int i = 0; i < best; i++) {         /* the hand moves past it */
         vt_u64 k = nv->q[0];
         del_at(nv->q, &nv->nq, 0);
         append(nv->q, &nv->nq, k);
      }
      vt_u64 k = nv->q[0];
      del_at(nv->q, &nv->nq, 0);
      return k;
   }
   if (is(nv, "linux"))
      return lx_victim(nv, shadow);
   if (is(nv, "arc"))
      return arc_victim(nv, incoming);
   return NV_NONE;
}

static void policy_insert(struct naive *nv, struct nv_page *p, bool refault,
                          vt_u64 shadow)
{
   if (is(nv, "random"))
      append(nv->ra, &nv->nra, p->key);
   else if (is(nv, "clock") || is(nv, "wsclock"))
      append(nv->q, &nv->nq, p->key);
   else if (is(nv, "linux"))
      lx_insert(nv, p, refault, shadow);
   else if (is(nv, "arc"))
      arc_insert(nv, p->key);
}

static void policy_hit(struct naive *nv, struct nv_page *p)
{
   if (is(nv, "arc")) {
      if (del_key(nv->t1, &nv->nt1, p->key) || del_key(nv->t2, &nv->nt2, p->key))
         append(nv->t2, &nv->nt2, p->key);
   }
}

static void policy_remove(struct naive *nv, vt_u64 key)
{
   if (is(nv, "random")) {
      int i = idx_of(nv->ra, nv->nra, key);
      nv->ra[i] = nv->ra[--nv->nra];
   } else if (is(nv, "clock") || is(nv, "wsclock")) {
      del_key(nv->q, &nv->nq, key);
   } else if (is(nv, "linux")) {
      int l = lx_list(nv, key);
      del_key(nv->l[l], &nv->nl[l], key);
   } else if (is(nv, "arc")) {
      if (!del_key(nv->t1, &nv->nt1, key))
         del_key(nv->t2, &nv->nt2, key);
   }
}

static void tick(struct naive *nv)
{
   for (int i = 0; i < nv->nres; i++) {
      struct nv_page *p = &nv->res[i];
      if (is(nv, "aging"))
         p->age8 = (p->age8 >> 1) | (p->ref ? 0x80 : 0);
      p->ref = false;
   }
}

/* ---- the engine's rules ---- */

static void remove_res(struct naive *nv, vt_u64 key)
{
   for (int i = 0; i < nv->nres; i++)
      if (nv->res[i].key == key) {
         for (int j = i; j + 1 < nv->nres; j++)
            nv->res[j] = nv->res[j + 1];
         nv->nres--;
         return;
      }
}

static void evict(struct naive *nv, vt_u64 key, vt_u64 shadow)
{
   struct nv_page *p = nv_find(nv, key);
   if (p->anon) {
      if (!p->slot) {
         nv->swap_used++;
         nv->st.swap_outs++;
      }
   } else if (p->dirty) {
      nv->st.writebacks++;
   }
   nv->st.evictions++;
   nv->ev[nv->nev++] = (struct nv_ev){ .key = key, .shadow = shadow,
                                       .anon = p->anon };
   remove_res(nv, key);
}

static struct nv_page *bring_in(struct naive *nv, vt_u64 key, unsigned flags,
                                vt_u64 now, bool ref)
{
   if ((unsigned)nv->nres == nv->frames) {
      vt_u64 shadow;
      vt_u64 v = victim(nv, key, now, &shadow);
      if (v == NV_NONE)
         return NULL;
      evict(nv, v, shadow);
   }
   struct nv_page *p = &nv->res[nv->nres++];
   memset(p, 0, sizeof *p);
   p->key = key;
   p->inserted = p->last_ref = p->tlu = now;
   p->refs = ref;
   p->ref = true;                /* a prefault's PTE is young too (x86) */
   p->dirty = ref && (flags & VT_SIMA_WRITE);
   p->anon = flags & VT_SIMA_ANON;
   p->locked = flags & VT_SIMA_LOCKED;
   p->exec = flags & VT_SIMA_EXEC;
   p->norecency = flags & VT_SIMA_NORECENCY;
   struct nv_ev *e = find_ev(nv, key);
   bool refault = e != NULL;
   vt_u64 shadow = e ? e->shadow : 0;
   if (e) {
      /* the slot kept by a read swap-in while swap is at most half full
         and the page not locked: a valid copy (should_try_to_free_swap) */
      if (e->anon && ref && p->anon && !(flags & VT_SIMA_WRITE) && !p->locked &&
          !(nv->swap_pages && 2 * (nv->swap_pages - nv->swap_used) < nv->swap_pages))
         p->slot = true;
      else if (e->anon)
         nv->swap_used--;
      del_ev(nv, key);
      nv->st.refaults++;
   }
   policy_insert(nv, p, refault, shadow);
   if ((vt_u64)nv->nres > nv->st.peak_resident)
      nv->st.peak_resident = (vt_u64)nv->nres;
   return p;
}

unsigned nv_access(struct naive *nv, vt_u64 key, unsigned flags, vt_u64 now,
                   int base_cls, int *cls)
{
   *cls = -1;
   while (nv->next_tick && now >= nv->next_tick) {
      tick(nv);
      nv->next_tick += nv->params.period;
   }
   struct nv_page *p = nv_find(nv, key);
   if (p) {
      unsigned r = 0;
      if (flags & VT_SIMA_PREFAULT) {
         p->ref = true;             /* mapped again: a young PTE */
         return 0;
      }
      if (base_cls >= 0) {
         *cls = base_cls;
         nv->st.faults[base_cls]++;
         r = VT_SIMR_FAULT;
      }
      p->locked = flags & VT_SIMA_LOCKED;
      p->exec = flags & VT_SIMA_EXEC;
      p->norecency = flags & VT_SIMA_NORECENCY;
      p->last_ref = now;
      p->refs++;
      p->ref = true;
      if (flags & VT_SIMA_WRITE) {
         p->dirty = true;
         if (p->slot) {
            p->slot = false;
            nv->swap_used--;
         }
      }
      policy_hit(nv, p);
      return r;
   }
   struct nv_ev *e = find_ev(nv, key);
   if (flags & VT_SIMA_PREFAULT) {
      if (!e)
         bring_in(nv, key, flags, now, false);
      return 0;
   }
   int c = e ? (e->anon ? VT_FC_SWAP_IN : VT_FC_FILE_MAJOR)
             : base_cls >= 0 ? base_cls
             : (flags & VT_SIMA_ANON) ? VT_FC_ANON : VT_FC_FILE_READ;
   *cls = c;
   if (!bring_in(nv, key, flags, now, true)) {
      nv->st.oom_events++;
      return VT_SIMR_OOM;
   }
   nv->st.faults[c]++;
   return VT_SIMR_FAULT;
}

void nv_drop(struct naive *nv, vt_u64 key)
{
   struct nv_page *p = nv_find(nv, key);
   if (p) {
      policy_remove(nv, key);
      if (p->slot)
         nv->swap_used--;
      remove_res(nv, key);
      return;
   }
   struct nv_ev *e = find_ev(nv, key);
   if (e) {
      if (e->anon)
         nv->swap_used--;
      del_ev(nv, key);
   }
}

void nv_lock(struct naive *nv, vt_u64 key, bool locked)
{
   struct nv_page *p = nv_find(nv, key);
   if (p)
      p->locked = locked;
}
