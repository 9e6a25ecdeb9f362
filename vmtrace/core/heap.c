/* heap.c: binary heaps of frames in an order the policy defines, with the
   position of every frame kept so that any frame can be deleted or moved
   after its key changed in O(log n) (LRU, LFU, OPT, ARC).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_sim.h"

void vt_fheap_init(struct vt_fheap *h, uint32_t nr_frames,
                   bool (*before)(void *ctx, uint32_t a, uint32_t b),
                   void *ctx)
{
   size_t n = nr_frames ? nr_frames : 1;
   h->heap = vt_alloc(n * sizeof *h->heap);
   h->pos = vt_alloc(n * sizeof *h->pos);
   h->stash = NULL;             /* made when first needed */
   h->cap = (uint32_t)n;
   h->n = 0;
   h->before = before;
   h->ctx = ctx;
}

void vt_fheap_grow(struct vt_fheap *h, uint32_t old_n, uint32_t new_n)
{
   size_t o = old_n ? old_n : 1;
   h->heap = vt_realloc_array(h->heap, o, new_n, sizeof *h->heap);
   h->pos = vt_realloc_array(h->pos, o, new_n, sizeof *h->pos);
   if (h->stash)
      h->stash = vt_realloc_array(h->stash, o, new_n, sizeof *h->stash);
   h->cap = new_n;
}

void vt_fheap_destroy(struct vt_fheap *h)
{
   vt_free(h->heap);
   vt_free(h->pos);
   vt_free(h->stash);
}

static void fheap_set(struct vt_fheap *h, uint32_t i, uint32_t f)
{
   h->heap[i] = f;
   h->pos[f] = i + 1;
}

static void fheap_up(struct vt_fheap *h, uint32_t i)
{
   uint32_t f = h->heap[i];
   while (i > 0) {
      uint32_t p = (i - 1) / 2;
      if (!h->before(h->ctx, f, h->heap[p]))
         break;
      fheap_set(h, i, h->heap[p]);
      i = p;
   }
   fheap_set(h, i, f);
}

static void fheap_down(struct vt_fheap *h, uint32_t i)
{
   uint32_t f = h->heap[i];
   for (;;) {
      uint32_t c = 2 * i + 1;
      if (c >= h->n)
         break;
      if (c + 1 < h->n && h->before(h->ctx, h->heap[c + 1], h->heap[c]))
         c++;
      if (!h->before(h->ctx, h->heap[c], f))
         break;
      fheap_set(h, i, h->heap[c]);
      i = c;
   }
   fheap_set(h, i, f);
}

bool vt_fheap_has(const struct vt_fheap *h, uint32_t f)
{
   return h->pos[f] != 0;
}

void vt_fheap_push(struct vt_fheap *h, uint32_t f)
{
   VT_ASSERT(h->pos[f] == 0);
   fheap_set(h, h->n++, f);
   fheap_up(h, h->n - 1);
}

void vt_fheap_del(struct vt_fheap *h, uint32_t f)
{
   VT_ASSERT(h->pos[f] != 0);
   uint32_t i = h->pos[f] - 1;
   h->pos[f] = 0;
   h->n--;
   if (i == h->n)
      return;
   uint32_t g = h->heap[h->n];
   fheap_set(h, i, g);
   fheap_up(h, i);
   fheap_down(h, h->pos[g] - 1);
}

void vt_fheap_fix(struct vt_fheap *h, uint32_t f)
{
   VT_ASSERT(h->pos[f] != 0);
   fheap_up(h, h->pos[f] - 1);
   fheap_down(h, h->pos[f] - 1);
}

void vt_fheap_rebuild(struct vt_fheap *h)
{
   for (uint32_t i = h->n / 2; i-- > 0;)
      fheap_down(h, i);
}

void vt_fheap_absorb(struct vt_fheap *dst, struct vt_fheap *src)
{
   for (uint32_t i = 0; i < src->n; i++) {
      uint32_t f = src->heap[i];
      src->pos[f] = 0;
      fheap_set(dst, dst->n++, f);
   }
   src->n = 0;
   vt_fheap_rebuild(dst);
}

uint32_t vt_fheap_first_evictable(struct vt_fheap *h, const struct vt_sim *s)
{
   uint32_t n = 0, found = VT_SIM_NO_FRAME;
   while (h->n > 0) {
      uint32_t f = h->heap[0];
      if (vt_sim_evictable(s, f)) {
         found = f;
         break;
      }
      vt_fheap_del(h, f);
      if (!h->stash)
         h->stash = vt_alloc((size_t)h->cap * sizeof *h->stash);
      h->stash[n++] = f;
   }
   while (n > 0)
      vt_fheap_push(h, h->stash[--n]);
   return found;
}

uint32_t vt_fheap_take_evictable(struct vt_fheap *h, const struct vt_sim *s)
{
   uint32_t f = vt_fheap_first_evictable(h, s);
   if (f != VT_SIM_NO_FRAME)
      vt_fheap_del(h, f);
   return f;
}
