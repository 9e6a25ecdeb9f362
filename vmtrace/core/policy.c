/* policy.c: the table of replacement policies (--policy= names), their
   parameters, and the base every policy's state is built on: the frames,
   per-frame arrays and heaps grown with them, and the heap-ordered policy
   (LRU, LFU, AGING and OPT differ only in their order).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_sim.h"

const struct vt_policy_ops *const vt_policies[] = {
   &vt_policy_fifo, &vt_policy_lru, &vt_policy_lfu, &vt_policy_random,
   &vt_policy_clock, &vt_policy_nru, &vt_policy_aging, &vt_policy_wsclock,
   &vt_policy_linux, &vt_policy_arc, &vt_policy_opt, NULL
};

const struct vt_policy_ops *vt_policy_find(const char *name)
{
   for (int i = 0; vt_policies[i]; i++)
      if (vt_strcmp(vt_policies[i]->name, name) == 0)
         return vt_policies[i];
   return NULL;
}

void vt_policy_params_init(const struct vt_policy_ops *ops,
                           struct vt_policy_params *p)
{
   vt_memset(p, 0, sizeof *p);
   for (unsigned i = 0; i < ops->nr_params; i++)
      *vt_policy_param_ptr(p, &ops->params[i]) = ops->params[i].def;
}

void vt_policy_params_default(struct vt_policy_params *p)
{
   vt_memset(p, 0, sizeof *p);
   for (int i = 0; vt_policies[i]; i++)
      for (unsigned k = 0; k < vt_policies[i]->nr_params; k++)
         *vt_policy_param_ptr(p, &vt_policies[i]->params[k]) =
            vt_policies[i]->params[k].def;
}

/* ---- the base --------------------------------------------------------- */

void *vt_policy_new(struct vt_sim *s, uint32_t nr_frames, size_t size)
{
   struct vt_policy *b = vt_alloc(size);
   b->s = s;
   b->fr = vt_sim_frames(s);
   b->stamp = vt_sim_stamps(s);
   b->refs = vt_sim_refs(s);
   b->nr = nr_frames;
   return b;
}

void vt_policy_frame_array(struct vt_policy *b, void *array, size_t elem)
{
   VT_ASSERT(b->nr_arrays < VT_POLICY_MAX_ARRAYS);
   void **a = array;
   *a = vt_alloc((size_t)(b->nr ? b->nr : 1) * elem);
   b->arrays[b->nr_arrays] = a;
   b->elem[b->nr_arrays++] = elem;
}

void vt_policy_frame_heap(struct vt_policy *b, struct vt_fheap *h,
                          bool (*before)(void *ctx, uint32_t a, uint32_t b),
                          void *ctx)
{
   VT_ASSERT(b->nr_heaps < VT_POLICY_MAX_HEAPS);
   vt_fheap_init(h, b->nr, before, ctx);
   b->heaps[b->nr_heaps++] = h;
}

void vt_policy_grow(void *st, uint32_t nr_frames)
{
   struct vt_policy *b = st;
   b->fr = vt_sim_frames(b->s);
   b->stamp = vt_sim_stamps(b->s);
   b->refs = vt_sim_refs(b->s);
   for (uint32_t i = 0; i < b->nr_arrays; i++)
      *b->arrays[i] = vt_realloc_array(*b->arrays[i], b->nr ? b->nr : 1, nr_frames,
                                       b->elem[i]);
   for (uint32_t i = 0; i < b->nr_heaps; i++)
      vt_fheap_grow(b->heaps[i], b->nr, nr_frames);
   b->nr = nr_frames;
}

void vt_policy_destroy(void *st)
{
   struct vt_policy *b = st;
   for (uint32_t i = 0; i < b->nr_arrays; i++)
      vt_free(*b->arrays[i]);
   for (uint32_t i = 0; i < b->nr_heaps; i++)
      vt_fheap_destroy(b->heaps[i]);
   vt_free(b);
}

/* ---- heap-ordered policies ------------------------------------------- */

void *vt_heap_policy_new(struct vt_sim *s, uint32_t nr_frames, size_t size,
                         bool (*before)(void *ctx, uint32_t a, uint32_t b))
{
   struct vt_heap_policy *hp = vt_policy_new(s, nr_frames, size);
   vt_policy_frame_heap(&hp->base, &hp->h, before, hp);
   vt_policy_frame_array(&hp->base, &hp->seq, sizeof *hp->seq);
   return hp;
}

void vt_heap_policy_insert(void *st, uint32_t f)
{
   struct vt_heap_policy *hp = st;
   hp->seq[f] = ++hp->clock;
   vt_fheap_push(&hp->h, f);
}

void vt_heap_policy_reference(void *st, uint32_t f)
{
   struct vt_heap_policy *hp = st;
   hp->seq[f] = ++hp->clock;
   vt_fheap_fix(&hp->h, f);
}

void vt_heap_policy_remove(void *st, uint32_t f)
{
   struct vt_heap_policy *hp = st;
   vt_fheap_del(&hp->h, f);
}

uint32_t vt_heap_policy_victim(void *st, vt_u64 now)
{
   struct vt_heap_policy *hp = st;
   (void)now;
   return vt_fheap_take_evictable(&hp->h, hp->base.s);
}
