/* vs_tree.c: vmtrace-sim --tree: the traces of a process tree replayed
   into one memory, as a memory cgroup holds them (docs/vmtrace-sim.md,
   "One memory for a process tree").

   Each process's trace is replayed by the core into an address space of
   its own (vt_replay_open), a step at a time: a step runs to the trace's
   next CLOCK event, and the process whose current step began earliest
   runs next (ties: the earlier in the task list, the order processes
   began), so the traces interleave as the processes ran, to the grain of
   the clock (system calls: where processes wait for each other).  A forked
   child begins when its parent's replay reaches the fork.

   The address spaces share one simulation (vt_sim.h) through the core's
   pool hook (struct vt_mm_pool): a private page is a frame of the pool
   named by a number of our own, which fork gives to the child too for
   every page the child maps copy-on-write, and which a write that copies
   (wp_copy) replaces for the writer; a page-cache page is its (file,
   offset) key, the same in every process.  A frame is freed when no
   process maps it.

   When the pool finds nothing to reclaim, the OOM killer runs as Linux's
   out_of_memory does for a memory cgroup: every live process's badness
   (oom_badness: resident pages + swap entries + page-table pages, plus
   oom_score_adj * (totalpages / 1000), totalpages the RAM plus swap; -1000
   never chosen), the highest chosen, among equals the last in task-list
   order (oom_evaluate_task skips only a lower one); its pages are freed,
   its replay stops, and the faulting reference is tried again (dropped if
   the victim made it).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "vs.h"

enum tstate { T_WAITING, T_RUNNING, T_EXITED, T_EXECED, T_KILLED };

struct tproc {
   const char *path;
   struct tfile *tf;
   struct vt_replay *rp;
   struct vt_mm *mm;
   struct tree *t;
   vt_u64 id, parent_id, parent_offset;
   int    pid, ppid;
   int    parent;                    /* index of the parent trace, -1: a root */
   vt_u64 first_clock;               /* its first CLOCK (~0: none) */
   bool   exec_image;                /* a root whose pid an earlier image had:
                                        that process after an execve */
   enum tstate state;
   unsigned order;                   /* place in the task list (0: not begun) */
   vt_u64 cur, last_clock;           /* the clock its next step begins at */
   bool   has_clock;
   int    adj;                       /* oom_score_adj */
   struct vt_hash map;               /* page key -> frame name (pk) */
   struct vt_hash rmap;              /* private pk -> how many of its keys map it */
   vt_u64 rss, rss_peak;             /* its pages in the memory, now and at most */
   struct vt_mm_pool pool;
   struct vt_replay_env env;
   vt_u64 refs, faults[VT_NR_FC], oom_faults;
   struct vs_unmod unmod;            /* what it used that the model cannot see */
};

struct kill {
   int    victim;                    /* process index */
   int    by;                        /* whose reference found no memory */
   vt_u64 clock, tree_ref, victim_refs;
   long long badness;
   vt_u64 rss, swap, pgtables;
   int    adj;
   char   cand[1024];                /* the other candidates */
   vt_u64 (*faults)[VT_NR_FC];       /* [process] its faults by class then */
   vt_u64 *refs;                     /* [process] its references then */
};

/* The first pass (OPT's future, --mrc's stream): every access that reaches
   the memory, in the order the interleaved replay makes them, with no
   memory to run out of: all.id the frame (a dense number of the pool's
   name for it), all.fl VS_W and TR_PF (a prefault, not a reference),
   who the process. */
#define TR_PF 2u
struct trec {
   struct vs_stream all;
   uint32_t *who;
   uint64_t  wcap;
};

struct tree {
   const struct vs_config *cfg;
   const struct vt_policy_ops *policy;
   const struct vt_policy_params *params;
   uint64_t pages;
   struct tproc *p;
   unsigned n, begun;
   struct vt_sim *s;
   struct vt_hash frames;            /* pk (private pages) -> mapcount; aux: ever resident */
   struct vt_hash res;               /* the keys in the memory (pk, page-cache keys) */
   vt_u64 seen_ev;                   /* the memory's evictions told so far */
   struct vt_sim_owner owner;
   vt_u64 next_pk;
   vt_u64 now;                       /* references given to the pool: its clock */
   vt_u64 first_clock;
   int    running;                   /* the process whose step runs */
   struct kill *kills;
   unsigned nr_kills;
   struct tfile **opened;            /* parents' traces read to a fork */
   unsigned nr_opened;
   bool   no_victim;                 /* out of memory with nothing to kill */
   vt_u64 no_victim_ref;
   struct trec *rec;                 /* the first pass: record, no memory */
   const struct trec *fut;           /* OPT: the future, from the first pass */
   uint64_t pos, cur_pos;            /* OPT: the first pass's access now */
   vt_u64 cur_pk, cur_next;
   bool  *dead;                      /* OPT: [process] makes no more accesses */
   struct vt_hash lastpos;           /* OPT: frame -> its last access (pos + 1) */
   char   err[1024];
};

/* ---- the headers ------------------------------------------------------------ */

static bool hex_after(const char *s, const char *key, vt_u64 *v)
{
   const char *p = s ? strstr(s, key) : NULL;
   if (!p)
      return false;
   p += strlen(key);
   char *end;
   errno = 0;
   *v = strtoull(p, &end, 16);
   return end != p && *end == '"' && !errno;
}

static bool int_after(const char *s, const char *key, int *v)
{
   const char *p = s ? strstr(s, key) : NULL;
   if (!p)
      return false;
   p += strlen(key);
   char *end;
   long x = strtol(p, &end, 10);
   *v = (int)x;
   return end != p;
}

/* ---- the pool ------------------------------------------------------------- */

/* Each process's RSS, kept as pages come and go: a page counts in every
   process that maps it while it is in the memory (a private frame: the
   processes whose rmap holds it; a page-cache page: those whose map does). */
static bool resident(const struct tree *t, vt_u64 k)
{
   return t->res.e && vt_hash_get(&t->res, k) != NULL;
}

static void rss_add(struct tproc *q, int d)
{
   q->rss += (vt_u64)(vt_s64)d;
   if (q->rss > q->rss_peak)
      q->rss_peak = q->rss;
}

static void map_gain(struct tproc *q, vt_u64 pk)
{
   if (!(pk & VT_SIM_KEY_PCACHE)) {
      if (!q->rmap.e)
         vt_hash_init(&q->rmap, 1024);
      bool added;
      vt_hash_put(&q->rmap, pk, &added)->val++;
   }
   if (resident(q->t, pk))
      rss_add(q, 1);
}

static void map_lose(struct tproc *q, vt_u64 pk)
{
   if (!(pk & VT_SIM_KEY_PCACHE) && q->rmap.e) {
      struct vt_hash_ent *e = vt_hash_get(&q->rmap, pk);
      if (e && --e->val == 0)
         vt_hash_del(&q->rmap, pk);
   }
   if (resident(q->t, pk))
      rss_add(q, -1);
}

/* pk came into the memory (d = 1) or left it (-1). */
static void res_change(struct tree *t, vt_u64 pk, int d)
{
   bool added;
   if (d > 0)
      vt_hash_put(&t->res, pk, &added);
   else
      vt_hash_del(&t->res, pk);
   for (unsigned i = 0; i < t->n; i++) {
      struct tproc *q = &t->p[i];
      const struct vt_hash *m = (pk & VT_SIM_KEY_PCACHE) ? &q->map : &q->rmap;
      if (m->e && vt_hash_get(m, pk))
         rss_add(q, d);
   }
}

/* The memory's owner hook: an eviction (the evictions count moved) takes
   the page out of every RSS; other calls (a writeback, a referenced bit
   cleared) change nothing here. */
static void on_invalidate(void *ctx, vt_u64 key)
{
   struct tree *t = ctx;
   vt_u64 ev = vt_sim_stats(t->s)->evictions;
   if (ev == t->seen_ev)
      return;
   t->seen_ev = ev;
   if (resident(t, key))
      res_change(t, key, -1);
}

static void frame_get(struct tree *t, vt_u64 pk)
{
   bool added;
   struct vt_hash_ent *e = vt_hash_put(&t->frames, pk, &added);
   e->val++;
}

/* One mapping of pk less: the frame (and its swap slot) goes with the last. */
static void frame_put(struct tree *t, vt_u64 pk)
{
   struct vt_hash_ent *e = vt_hash_get(&t->frames, pk);
   if (!e)
      return;
   if (--e->val == 0) {
      vt_hash_del(&t->frames, pk);
      if (t->s)
         vt_sim_drop(t->s, pk);
      if (t->res.e)
         vt_hash_del(&t->res, pk);
   }
}

static bool fresh_class(int cls)
{
   return cls == VT_FC_ANON || cls == VT_FC_ZERO || cls == VT_FC_FILE_COW ||
          cls == VT_FC_THP || cls == VT_FC_THP_ZERO || cls == VT_FC_THP_WP_ZERO ||
          cls == VT_FC_WP_COPY;
}

/* Every page of process i leaves the pool's accounts (exit, OOM kill). */
static void release_all(struct tree *t, struct tproc *q)
{
   if (!q->map.e)
      return;
   for (vt_u64 k = 0; k <= q->map.mask; k++) {
      struct vt_hash_ent *e = &q->map.e[k];
      if (e->key != VT_HASH_EMPTY && !(e->key & VT_SIM_KEY_PCACHE))
         frame_put(t, e->val);
   }
   vt_hash_destroy(&q->map);
   q->map.e = NULL;
   if (q->rmap.e)
      vt_hash_destroy(&q->rmap);
   q->rmap.e = NULL;
   q->rss = 0;
}

static void finish(struct tproc *q, enum tstate st)
{
   release_all(q->t, q);
   q->state = st;
   if (q->rp) {
      vt_replay_close(q->rp);
      q->rp = NULL;
      q->mm = NULL;
   }
   if (q->tf) {
      vs_trace_close(q->tf);
      q->tf = NULL;
   }
}

/* Page-table pages as mm_pgtables_bytes counts them: PUD, PMD and PTE
   tables (the PGD is not counted). */
static vt_u64 pgtables(const struct tproc *q)
{
   return q->mm ? q->mm->nr_pt[1] + q->mm->nr_pt[2] + q->mm->nr_pt[3] : 0;
}

/* A badness as the log prints counts, "1,234" (negative with a low enough
   oom_score_adj: "-1,234"); buf holds VT_COUNT_TEXT + 1. */
static const char *badness_text(long long v, char *buf)
{
   if (v >= 0)
      return vt_count_text((uint64_t)v, buf);
   buf[0] = '-';
   vt_count_text(0 - (uint64_t)v, buf + 1);
   return buf;
}

/* oom_badness of every live process; the victim (-1: none). */
static int choose_victim(struct tree *t, struct kill *k)
{
   struct vt_hash res;                 /* the resident keys */
   vt_hash_init(&res, 1024);
   const struct vt_pframe *fr = vt_sim_frames(t->s);
   for (uint32_t f = 0; f < vt_sim_nr_frames(t->s); f++)
      if (fr[f].key != VT_SIM_NO_PAGE) {
         bool added;
         vt_hash_put(&res, fr[f].key, &added);
      }
   const struct vt_sim_config *c = vt_sim_config(t->s);
   vt_u64 total = c->ram_pages + (c->no_swap ? 0 : c->swap_pages);
   int best = -1;
   long long best_pts = 0;
   size_t used = 0;
   k->cand[0] = 0;
   /* in task-list order */
   for (unsigned o = 1; o <= t->begun; o++) {
      int i = -1;
      for (unsigned j = 0; j < t->n; j++)
         if (t->p[j].order == o && t->p[j].state == T_RUNNING)
            i = (int)j;
      if (i < 0)
         continue;
      struct tproc *q = &t->p[i];
      vt_u64 rss = 0, swap = 0;
      if (q->map.e)
         for (vt_u64 x = 0; x <= q->map.mask; x++) {
            const struct vt_hash_ent *e = &q->map.e[x];
            if (e->key == VT_HASH_EMPTY)
               continue;
            if (vt_hash_get(&res, e->val)) {
               rss++;
            } else if (!(e->key & VT_SIM_KEY_PCACHE)) {
               const struct vt_hash_ent *g = vt_hash_get(&t->frames, e->val);
               if (g && g->aux)
                  swap++;              /* brought in once, out now: in swap */
            }
         }
      if (rss != q->rss)
         vs_die("--tree: internal error: pid %d's RSS is %" PRIu64 " pages, kept as %" PRIu64,
                q->pid, (uint64_t)rss, (uint64_t)q->rss);
      vt_u64 pt = pgtables(q);
      long long pts = (long long)(rss + swap + pt) + (long long)q->adj * (long long)(total / 1000);
      bool unkillable = q->adj == -1000;
      char num[5][VT_COUNT_TEXT + 1];
      if (used < sizeof k->cand - 200)
         used += (size_t)snprintf(k->cand + used, sizeof k->cand - used,
                                  "%spid %d %s%s (rss %s + swap %s + page tables %s"
                                  " + oom_score_adj %d x %s)",
                                  used ? ", " : "", q->pid, unkillable ? "unkillable, " : "",
                                  badness_text(pts, num[0]),
                                  vt_count_text(rss, num[1]), vt_count_text(swap, num[2]),
                                  vt_count_text(pt, num[3]), q->adj,
                                  vt_count_text(total / 1000, num[4]));
      if (unkillable || (best >= 0 && pts < best_pts))
         continue;
      best = i;
      best_pts = pts;
      k->badness = pts;
      k->rss = rss;
      k->swap = swap;
      k->pgtables = pt;
      k->adj = q->adj;
   }
   vt_hash_destroy(&res);
   return best;
}

static void oom_kill(struct tree *t, struct tproc *by, int victim, struct kill *k)
{
   struct tproc *v = &t->p[victim];
   k->victim = victim;
   k->by = (int)(by - t->p);
   k->clock = by->cur;
   k->tree_ref = t->now;
   k->victim_refs = v->refs;
   k->faults = vs_alloc(t->n * sizeof *k->faults);
   k->refs = vs_alloc(t->n * sizeof *k->refs);
   for (unsigned i = 0; i < t->n; i++) {
      memcpy(k->faults[i], t->p[i].faults, sizeof k->faults[i]);
      k->refs[i] = t->p[i].refs;
   }
   t->kills = vs_realloc(t->kills, (t->nr_kills + 1) * sizeof *t->kills);
   t->kills[t->nr_kills++] = *k;
   if (victim == t->running) {
      /* its step goes on to its next CLOCK with nothing reaching the pool;
         the replay is closed then */
      release_all(t, v);
      v->state = T_KILLED;
   } else {
      finish(v, T_KILLED);
   }
}

/* ---- the first pass and OPT's future ------------------------------------------ */

static void record(struct tree *t, const struct tproc *q, vt_u64 pk, unsigned flags,
                   bool collecting)
{
   struct trec *r = t->rec;
   uint32_t id = vs_stream_page(&r->all, pk, NULL);
   unsigned fl = ((flags & VT_SIMA_WRITE) ? VS_W : 0) | ((flags & VT_SIMA_PREFAULT) ? TR_PF : 0) |
                 (collecting ? 0 : VS_PAUSED);
   if (!vs_stream_push(&r->all, id, fl, 0))
      vs_die("--tree: more than %u accesses in the tree's replay", (unsigned)VS_MAX_REFS);
   if (r->all.n > r->wcap) {
      r->wcap = r->wcap ? 2 * r->wcap : 4096;
      r->who = vs_realloc(r->who, r->wcap * sizeof *r->who);
   }
   r->who[r->all.n - 1] = (uint32_t)(q - t->p);
}

/* After a kill: the processes that make no more accesses, the victims and
   what they had not yet begun (children not forked, images not exec'd). */
static void mark_dead(struct tree *t)
{
   for (bool changed = true; changed;) {
      changed = false;
      for (unsigned i = 0; i < t->n; i++) {
         const struct tproc *q = &t->p[i];
         if (t->dead[i])
            continue;
         bool d = q->state == T_KILLED;
         if (!d && q->state == T_WAITING) {
            d = q->parent >= 0 && t->dead[q->parent];
            for (unsigned j = 0; j < t->n && !d && q->exec_image; j++)
               d = j != i && t->p[j].pid == q->pid && t->dead[j] &&
                   t->p[j].first_clock <= q->first_clock;
         }
         if (d)
            t->dead[i] = changed = true;
      }
   }
}

/* The time (position + 1) of the next access after position i to its
   frame by a process that still makes it. */
static vt_u64 live_next(const struct tree *t, uint64_t i)
{
   const struct trec *r = t->fut;
   uint32_t j = r->all.next[i];
   while (j != VS_NEVER && (t->dead[r->who[j]] || (r->all.fl && (r->all.fl[j] & TR_PF))))
      j = r->all.next[j];
   return j == VS_NEVER ? VT_SIM_NO_PAGE : (vt_u64)j + 1;
}

/* Process q's access to frame pk: the first pass's next one that a live
   process makes must be q's (the same replay, less what the dead did). */
static void opt_at(struct tree *t, const struct tproc *q, vt_u64 pk)
{
   const struct trec *r = t->fut;
   while (t->pos < r->all.n && t->dead[r->who[t->pos]])
      t->pos++;
   if (t->pos >= r->all.n || r->who[t->pos] != (uint32_t)(q - t->p))
      vs_die("--tree: internal error: OPT's replay left its first pass at access %" PRIu64
             " (pid %d)", (uint64_t)t->pos, q->pid);
   t->cur_pos = t->pos++;
   t->cur_pk = pk;
   t->cur_next = live_next(t, t->cur_pos);
   bool added;
   vt_hash_put(&t->lastpos, pk, &added)->val = t->cur_pos + 1;
}

/* After a kill: OPT ranked each resident frame by its next access when it
   was last accessed, which may be a dead process's; rank them all again by
   the survivors' (a reference delivered late, vt_sim_note_hits, makes the
   policy ask the oracle again; OPT keeps no count or bit of its own that it
   would change). */
static void opt_rerank(struct tree *t)
{
   for (vt_u64 k = 0; t->res.e && k <= t->res.mask; k++)
      if (t->res.e[k].key != VT_HASH_EMPTY)
         vt_sim_note_hits(t->s, t->res.e[k].key, 1, 0, 0);
}

/* OPT's oracle: the next access to frame key. */
static vt_u64 tree_next_use(void *ctx, vt_u64 key, vt_u64 now)
{
   const struct tree *t = ctx;
   (void)now;
   if (key == t->cur_pk)
      return t->cur_next;
   const struct vt_hash_ent *e = vt_hash_get(&t->lastpos, key);
   return e ? live_next(t, e->val - 1) : VT_SIM_NO_PAGE;
}

static void pool_ref(void *ctx, struct vt_mm *mm, vt_u64 key, unsigned flags,
                     uint32_t mapping, int cls)
{
   struct tproc *q = ctx;
   struct tree *t = q->t;
   if (q->state != T_RUNNING || t->no_victim)
      return;
   vt_u64 pk = key;
   if (!q->map.e)
      vt_hash_init(&q->map, 1024);
   bool added;
   struct vt_hash_ent *e = vt_hash_put(&q->map, key, &added);
   if (key & VT_SIM_KEY_PCACHE) {
      e->val = key;                   /* the page cache's page: the same for all */
      if (added)
         map_gain(q, key);
   } else if (added) {
      e->val = pk = t->next_pk++;
      frame_get(t, pk);
      map_gain(q, pk);
   } else if (fresh_class(cls)) {
      /* a page of its own from now on: a copy (wp_copy), or a new page
         where the old one went without our hearing (a zero page written) */
      vt_u64 old = e->val;
      e->val = pk = t->next_pk++;
      frame_get(t, pk);
      map_gain(q, pk);
      map_lose(q, old);
      frame_put(t, old);
   } else {
      pk = e->val;
   }
   bool prefault = (flags & VT_SIMA_PREFAULT) != 0;
   if (!prefault)
      q->refs++;
   if (t->rec) {
      record(t, q, pk, flags, mm->collecting);
      return;
   }
   if (t->fut)
      opt_at(t, q, pk);
   /* The memory follows every reference; the figures count those of a
      process collecting (a trace's COLLECT events: vt_set_collecting),
      as the tool's simulations of that process did online. */
   vt_sim_set_quiet(t->s, !mm->collecting);
   for (;;) {
      t->now++;
      if (t->now >= vt_sim_next_tick(t->s))
         vt_sim_advance(t->s, t->now);
      vt_sim_set_order(t->s, t->now);
      int scls = -1;
      vt_u64 res0 = vt_sim_resident(t->s), ev0 = vt_sim_stats(t->s)->evictions;
      unsigned r = vt_sim_access(t->s, pk, flags, mapping, t->now, cls, &scls);
      /* in the memory now if it gained a page beyond those it evicted */
      if (vt_sim_resident(t->s) + (vt_sim_stats(t->s)->evictions - ev0) > res0 &&
          !resident(t, pk))
         res_change(t, pk, 1);
      if (!(r & VT_SIMR_OOM)) {
         if ((r & VT_SIMR_FAULT) && scls >= 0 && !prefault && mm->collecting)
            q->faults[scls]++;
         if (!(key & VT_SIM_KEY_PCACHE) && !(flags & VT_SIMA_ZERO)) {
            struct vt_hash_ent *g = vt_hash_get(&t->frames, pk);
            if (g)
               g->aux = 1;
         }
         return;
      }
      if (prefault)
         return;                      /* fault-around maps what it can */
      struct kill k;
      memset(&k, 0, sizeof k);
      int victim = choose_victim(t, &k);
      if (victim < 0) {
         t->no_victim = true;
         t->no_victim_ref = t->now;
         q->oom_faults++;
         return;
      }
      oom_kill(t, q, victim, &k);
      if (t->fut) {
         mark_dead(t);
         t->cur_next = live_next(t, t->cur_pos);
         opt_rerank(t);
      }
      if (victim == (int)(q - t->p))
         return;
   }
}

/* A page leaves the process: a private page's frame loses a mapping; a
   page-cache page stays cached (its key is in no frame count). */
static void pool_drop(void *ctx, struct vt_mm *mm, vt_u64 key)
{
   struct tproc *q = ctx;
   (void)mm;
   struct vt_hash_ent *e = q->map.e ? vt_hash_get(&q->map, key) : NULL;
   if (!e)
      return;
   vt_u64 pk = e->val;
   vt_hash_del(&q->map, key);
   map_lose(q, pk);
   frame_put(q->t, pk);
}

/* mremap moved a private page: the same frame under its new address (a
   frame shared copy-on-write stays shared; the kernel moves the PTE). */
static void pool_move(void *ctx, struct vt_mm *mm, vt_u64 from, vt_u64 to)
{
   struct tproc *q = ctx;
   (void)mm;
   struct vt_hash_ent *e = q->map.e && from != to ? vt_hash_get(&q->map, from) : NULL;
   if (!e)
      return;
   vt_u64 pk = e->val;
   vt_hash_del(&q->map, from);
   bool added;
   struct vt_hash_ent *n = vt_hash_put(&q->map, to, &added);
   if (!added && !(to & VT_SIM_KEY_PCACHE)) {
      map_lose(q, n->val);             /* (mremap unmapped the target first) */
      frame_put(q->t, n->val);
   }
   n->val = pk;
}

static void pool_lock(void *ctx, struct vt_mm *mm, vt_u64 key, bool locked)
{
   struct tproc *q = ctx;
   (void)mm;
   struct vt_hash_ent *e = q->map.e ? vt_hash_get(&q->map, key) : NULL;
   if (e && q->state == T_RUNNING && q->t->s)
      vt_sim_lock(q->t->s, e->val, locked);
}

/* ---- the processes ---------------------------------------------------------- */

static struct vt_trace_reader *parent_trace(void *ctx, vt_u64 pid, vt_u64 id)
{
   struct tproc *q = ctx;
   struct tree *t = q->t;
   (void)pid;
   for (unsigned i = 0; i < t->n; i++)
      if (t->p[i].id == id) {
         char err[512];
         struct tfile *f = vs_trace_open(t->p[i].path, err, sizeof err);
         if (!f)
            return NULL;
         struct vt_trace_reader *r = f->r;
         f->r = NULL;
         /* the replay frees the reader; the file stays open until reset */
         t->opened = vs_realloc(t->opened, (t->nr_opened + 1) * sizeof *t->opened);
         t->opened[t->nr_opened++] = f;
         return r;
      }
   return NULL;
}

static void on_event(void *ctx, const struct vt_titem *it);


/* Process i begins: its replay opened (a child's parent's trace replayed to
   the fork), its private pages those of its parent it maps copy-on-write. */
static bool begin_proc(struct tree *t, unsigned i, vt_u64 cur, unsigned order)
{
   struct tproc *q = &t->p[i];
   q->tf = vs_trace_open(q->path, t->err, sizeof t->err);
   if (!q->tf)
      return false;
   const char *e = NULL;
   q->env = (struct vt_replay_env){ .parent_trace = parent_trace, .event = on_event,
                                    .ctx = q };
   q->rp = vt_replay_open(q->tf->r, NULL, 0, &q->env, &e);
   if (!q->rp) {
      snprintf(t->err, sizeof t->err, "%s: %s", q->path, e ? e : "replay failed");
      return false;
   }
   q->mm = vt_replay_mm(q->rp);
   q->state = T_RUNNING;
   q->order = order ? order : ++t->begun;
   q->cur = cur;
   vt_hash_init(&q->map, 1024);
   if (q->parent >= 0) {
      struct tproc *pa = &t->p[q->parent];
      q->adj = pa->adj;                /* inherited */
      if (pa->map.e)
         for (vt_u64 k = 0; k <= pa->map.mask; k++) {
            const struct vt_hash_ent *pe = &pa->map.e[k];
            if (pe->key == VT_HASH_EMPTY || (pe->key & VT_SIM_KEY_PCACHE))
               continue;
            vt_pte pte = vt_get_pte(q->mm, (vt_addr)pe->key << VT_PAGE_SHIFT);
            if ((pte & VT_PTE_PRESENT) && (pte & VT_PTE_COW)) {
               bool added;
               vt_hash_put(&q->map, pe->key, &added)->val = pe->val;
               frame_get(t, pe->val);
               map_gain(q, pe->val);
            }
         }
   }
   q->pool = (struct vt_mm_pool){ .ref = pool_ref, .drop = pool_drop, .lock = pool_lock,
                                  .move = pool_move, .ctx = q };
   vt_mm_set_pool(q->mm, &q->pool);
   return true;
}

/* After each event of a process's own: its oom_score_adj; at a fork, the
   child it made begins (the one whose trace continues this one's nearest
   after the fork). */
static void on_event(void *ctx, const struct vt_titem *it)
{
   struct tproc *q = ctx;
   struct tree *t = q->t;
   if (it->op == VT_TEV_UNMODELLED)     /* read when loaded */
      return;
   if (it->op == VT_TEV_OOM_ADJ) {
      q->adj = (int)it->arg[0] - 1000;
      return;
   }
   if (q->state != T_RUNNING)
      return;
   int self = (int)(q - t->p);
   for (;;) {
      /* a child the parent's trace has passed (vfork: no FORK event) */
      int child = -1;
      for (unsigned i = 0; i < t->n && child < 0; i++)
         if (t->p[i].state == T_WAITING && t->p[i].parent == self &&
             t->p[i].parent_offset <= it->offset)
            child = (int)i;
      /* at a fork: the child whose trace continues this one nearest after */
      if (child < 0 && it->op == VT_TEV_FORK)
         for (unsigned i = 0; i < t->n; i++) {
            const struct tproc *c = &t->p[i];
            if (c->state == T_WAITING && c->parent == self && c->parent_offset > it->offset &&
                (child < 0 || c->parent_offset < t->p[child].parent_offset))
               child = (int)i;
         }
      if (child < 0)
         return;
      if (!begin_proc(t, (unsigned)child, q->cur, 0))
         vs_die("%s", t->err);
      if (it->op == VT_TEV_FORK && t->p[child].parent_offset > it->offset)
         return;
   }
}

/* ---- one tree simulation ------------------------------------------------------ */

static int run_tree(struct tree *t)
{
   if (!t->rec) {
      struct vt_sim_config sc = { .policy = t->policy, .ram_pages = t->pages,
                                  .swap_pages = t->cfg->swap_pages,
                                  .no_swap = t->cfg->no_swap, .params = *t->params };
      t->owner = (struct vt_sim_owner){ .invalidate = on_invalidate, .ctx = t };
      t->s = vt_sim_create(&sc, &t->owner);
      vt_hash_init(&t->res, 4096);
      t->seen_ev = 0;
      if (t->fut) {
         t->dead = vs_alloc(t->n * sizeof *t->dead);
         vt_hash_init(&t->lastpos, 4096);
         vt_sim_set_future(t->s, tree_next_use, t);
      }
   }
   vt_hash_init(&t->frames, 4096);
   t->next_pk = 1;
   t->running = -1;
   for (unsigned i = 0; i < t->n; i++)
      if (t->p[i].parent < 0 && !t->p[i].exec_image && !begin_proc(t, i, 0, 0))
         return -1;
   t->first_clock = VT_SIM_NO_PAGE;
   for (;;) {
      int pick = -1;
      for (unsigned i = 0; i < t->n; i++) {
         const struct tproc *q = &t->p[i];
         if (q->state != T_RUNNING)
            continue;
         if (pick < 0 || q->cur < t->p[pick].cur ||
             (q->cur == t->p[pick].cur && q->order < t->p[pick].order))
            pick = (int)i;
      }
      if (pick < 0 || t->no_victim)
         break;
      struct tproc *q = &t->p[pick];
      t->running = pick;
      vt_u64 clock = 0;
      const char *e = NULL;
      int r = vt_replay_step(q->rp, &clock, &e);
      t->running = -1;
      if (q->state == T_KILLED) {
         finish(q, T_KILLED);
         continue;
      }
      if (r < 0) {
         snprintf(t->err, sizeof t->err, "%s: %s", q->path, e ? e : "replay failed");
         return -1;
      }
      if (r == 0) {
         if (!q->has_clock) {
            snprintf(t->err, sizeof t->err, "%s: the trace has no clock (CLOCK events: "
                     "format 2, vmtrace 0.1.0 of late 2026 on): --tree cannot "
                     "interleave it", q->path);
            return -1;
         }
         /* an image that ends in execve: the process goes on as the image
            of its pid that began next, in its place in the task list */
         int next = -1;
         for (unsigned i = 0; i < t->n; i++) {
            const struct tproc *x = &t->p[i];
            if (x->state == T_WAITING && x->exec_image && x->pid == q->pid &&
                x->first_clock >= q->first_clock &&
                (next < 0 || x->first_clock < t->p[next].first_clock))
               next = (int)i;
         }
         finish(q, next >= 0 ? T_EXECED : T_EXITED);
         if (next >= 0) {
            if (!begin_proc(t, (unsigned)next, q->cur, q->order))
               return -1;
            t->p[next].adj = q->adj;     /* oom_score_adj survives execve */
         }
         continue;
      }
      if (q->has_clock && clock < q->last_clock) {
         snprintf(t->err, sizeof t->err, "%s: the clock goes backwards (%" PRIu64
                  " us after %" PRIu64 " us): not a trace as vmtrace records them",
                  q->path, (uint64_t)clock, (uint64_t)q->last_clock);
         return -1;
      }
      q->has_clock = true;
      q->last_clock = clock;
      if (clock < t->first_clock)
         t->first_clock = clock;
      q->cur = clock > q->cur ? clock : q->cur;
   }
   return 0;
}

/* ---- output -------------------------------------------------------------- */

static vt_u64 minor_of(const struct tproc *q)
{
   struct vt_counts c;
   memset(&c, 0, sizeof c);
   memcpy(c.faults, q->faults, sizeof c.faults);
   return vt_counts_minor(&c);
}

static vt_u64 major_of(const struct tproc *q)
{
   struct vt_counts c;
   memset(&c, 0, sizeof c);
   memcpy(c.faults, q->faults, sizeof c.faults);
   return vt_counts_major(&c);
}

static const char *state_name(const struct tproc *q)
{
   switch (q->state) {
   case T_EXITED:  return "exit";
   case T_EXECED:  return "exec";
   case T_KILLED:  return "oom-killed";
   case T_WAITING: return "not run";
   default:        return "stopped";
   }
}

static void swap_text(const struct vs_config *c, char *buf, size_t n)
{
   char num[VT_COUNT_TEXT];
   if (c->no_swap)
      snprintf(buf, n, "none");
   else if (!c->swap_pages)
      snprintf(buf, n, "unlimited");
   else
      snprintf(buf, n, "%s pages", vt_count_text(c->swap_pages, num));
}

static double rel_s(const struct tree *t, vt_u64 clock)
{
   return t->first_clock == VT_SIM_NO_PAGE || clock < t->first_clock ? 0
        : (double)(clock - t->first_clock) / 1e6;
}

/* "3 processes (5 images)": a trace is an image, and an exec'd image is
   its process's, as vmtrace-report counts processes (until 2026-12-06 the
   headings said "Tree of 5 processes" of 3 processes that exec'd). */
static const char *processes_text(const struct tree *t, char *buf, size_t n)
{
   unsigned procs = 0;
   for (unsigned i = 0; i < t->n; i++)
      procs += !t->p[i].exec_image;
   if (procs == t->n)
      snprintf(buf, n, "%u process%s", procs, procs == 1 ? "" : "es");
   else
      snprintf(buf, n, "%u process%s (%u images)", procs, procs == 1 ? "" : "es", t->n);
   return buf;
}

static void print_tree(FILE *f, const struct tree *t)
{
   char sw[64];
   swap_text(t->cfg, sw, sizeof sw);
   const struct vt_sim_stats *st = vt_sim_stats(t->s);
   char procs[64], num[8][VT_COUNT_TEXT + 1];
   fprintf(f, "== Tree of %s in one memory: %s, %s pages (%s KiB), swap %s\n",
           processes_text(t, procs, sizeof procs), t->policy->name,
           vt_count_text(t->pages, num[0]), vt_count_text((uint64_t)t->pages * 4, num[1]), sw);
   fprintf(f, "  %8s %8s %8s %12s %10s %10s %10s %10s  %s\n", "pid", "ppid", "oom_adj",
           "references", "faults", "minor", "major", "peak rss", "end");
   /* in task-list order, a task's images in the order they ran; the
      processes that never began last */
   unsigned *idx = vs_alloc(t->n * sizeof *idx);
   for (unsigned i = 0; i < t->n; i++)
      idx[i] = i;
   for (unsigned a = 1; a < t->n; a++)
      for (unsigned b = a; b > 0; b--) {
         const struct tproc *x = &t->p[idx[b - 1]], *y = &t->p[idx[b]];
         unsigned ox = x->order ? x->order : ~0u, oy = y->order ? y->order : ~0u;
         if (ox < oy || (ox == oy && x->first_clock <= y->first_clock))
            break;
         unsigned tmp = idx[b - 1];
         idx[b - 1] = idx[b];
         idx[b] = tmp;
      }
   for (unsigned k = 0; k < t->n; k++) {
      const struct tproc *q = &t->p[idx[k]];
      char pp[16];
      snprintf(pp, sizeof pp, q->parent >= 0 || q->exec_image ? "%d" : "-", q->ppid);
      fprintf(f, "  %8d %8s %8d %12s %10s %10s %10s %10s  %s\n", q->pid, pp, q->adj,
              vt_count_text(q->refs, num[0]), vt_count_text(minor_of(q) + major_of(q), num[1]),
              vt_count_text(minor_of(q), num[2]), vt_count_text(major_of(q), num[3]),
              vt_count_text(q->rss_peak, num[4]), state_name(q));
   }
   for (unsigned k = 0; k < t->n; k++) {
      const struct tproc *q = &t->p[idx[k]];
      char u[VS_UNMOD_MAX * 34];
      if (q->unmod.n)
         fprintf(f, "  pid %d unmodelled: %s (the process used what the model cannot see: "
                 "its figures are not the kernel's)\n", q->pid,
                 vs_unmod_list(&q->unmod, u, sizeof u));
   }
   free(idx);
   /* the processes' references (the column's sum) and the memory's clock
      (the JSON's "references"), which counts prefaults and a reference
      tried again after an OOM kill too */
   vt_u64 refs = 0;
   for (unsigned i = 0; i < t->n; i++)
      refs += t->p[i].refs;
   fprintf(f, "  memory: %s evictions, %s swap-outs, peak %s pages resident, %s references by "
           "the processes, %s to the memory (with prefaults and references tried again after "
           "an OOM kill)\n",
           vt_count_text(st->evictions, num[0]), vt_count_text(st->swap_outs, num[1]),
           vt_count_text(st->peak_resident, num[2]), vt_count_text(refs, num[3]),
           vt_count_text(t->now, num[4]));
   for (unsigned k = 0; k < t->nr_kills; k++) {
      const struct kill *x = &t->kills[k];
      const struct tproc *v = &t->p[x->victim], *by = &t->p[x->by];
      fprintf(f, "  OOM kill %u: pid %d at +%.6f s (reference %s of the tree, %s of its own; "
              "pid %d found no memory), badness %s = rss %s + swap %s + page tables %s"
              " + oom_score_adj %d x %s\n", k + 1, v->pid, rel_s(t, x->clock),
              vt_count_text(x->tree_ref, num[0]), vt_count_text(x->victim_refs, num[1]), by->pid,
              badness_text(x->badness, num[2]),
              vt_count_text(x->rss, num[3]), vt_count_text(x->swap, num[4]),
              vt_count_text(x->pgtables, num[5]), x->adj,
              vt_count_text((vt_sim_config(t->s)->ram_pages +
                             (t->cfg->no_swap ? 0 : t->cfg->swap_pages)) / 1000, num[6]));
      fprintf(f, "    candidates: %s\n", x->cand);
   }
   if (t->no_victim)
      fprintf(f, "  out of memory at reference %s of the tree with no process "
              "to kill (all unkillable): the replay stops there\n",
              vt_count_text(t->no_victim_ref, num[0]));
}

static void csv_rows(FILE *f, const struct tree *t)
{
   const struct vt_sim_stats *st = vt_sim_stats(t->s);
   struct vt_counts c;
   memset(&c, 0, sizeof c);
   vt_u64 refs = 0;
   for (unsigned i = 0; i < t->n; i++) {
      for (int k = 0; k < VT_NR_FC; k++)
         c.faults[k] += t->p[i].faults[k];
      refs += t->p[i].refs;
   }
   fprintf(f, "%s,%" PRIu64 ",all,,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
           ",,%u\n", t->policy->name, (uint64_t)t->pages,
           (uint64_t)(vt_counts_minor(&c) + vt_counts_major(&c)), (uint64_t)vt_counts_major(&c),
           (uint64_t)vt_counts_minor(&c), (uint64_t)st->evictions, (uint64_t)refs,
           t->nr_kills);
   for (unsigned i = 0; i < t->n; i++) {
      const struct tproc *q = &t->p[i];
      const struct kill *kx = NULL;
      for (unsigned k = 0; k < t->nr_kills; k++)
         if (t->kills[k].victim == (int)i)
            kx = &t->kills[k];
      char pp[16] = "";
      if (q->parent >= 0 || q->exec_image)
         snprintf(pp, sizeof pp, "%d", q->ppid);
      fprintf(f, "%s,%" PRIu64 ",%d,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",,%" PRIu64 ",%s,",
              t->policy->name, (uint64_t)t->pages, q->pid, pp,
              (uint64_t)(minor_of(q) + major_of(q)), (uint64_t)major_of(q),
              (uint64_t)minor_of(q), (uint64_t)q->refs, state_name(q));
      if (kx)
         fprintf(f, "%" PRIu64, (uint64_t)kx->tree_ref);
      fprintf(f, "\n");
   }
}

struct tjob;
static void json_tree(FILE *f, const struct tree *t, const struct tjob *j);
static void json_tree_(FILE *f, const struct tree *t, unsigned index, bool curve_point)
{
   const struct vt_sim_stats *st = vt_sim_stats(t->s);
   char sw[64];
   swap_text(t->cfg, sw, sizeof sw);
   fprintf(f, "  {\"job\": %u, \"curve_point\": %s, \"policy\": \"%s\", \"pages\": %" PRIu64
           ", \"swap\": ", index, curve_point ? "true" : "false", t->policy->name,
           (uint64_t)t->pages);
   if (t->cfg->no_swap)
      fprintf(f, "0");
   else if (!t->cfg->swap_pages)
      fprintf(f, "null");
   else
      fprintf(f, "%" PRIu64, (uint64_t)t->cfg->swap_pages);
   fprintf(f, ", \"references\": %" PRIu64 ", \"evictions\": %" PRIu64 ", \"swap_outs\": %"
           PRIu64 ", \"peak_resident\": %" PRIu64 ", \"out_of_memory_unkillable\": %s,\n"
           "   \"processes\": [", (uint64_t)t->now, (uint64_t)st->evictions,
           (uint64_t)st->swap_outs, (uint64_t)st->peak_resident, t->no_victim ? "true" : "false");
   for (unsigned i = 0; i < t->n; i++) {
      const struct tproc *q = &t->p[i];
      fprintf(f, "%s\n    {\"trace\": ", i ? "," : "");
      vs_json_str(f, q->path);
      fprintf(f, ", \"pid\": %d, \"ppid\": ", q->pid);
      if (q->parent >= 0 || q->exec_image)
         fprintf(f, "%d", q->ppid);
      else
         fprintf(f, "null");
      fprintf(f, ", \"exec_image\": %s, \"task_order\": %u, \"oom_score_adj\": %d, \"references\": %" PRIu64
              ", \"end\": \"%s\", \"faults\": {", q->exec_image ? "true" : "false", q->order, q->adj, (uint64_t)q->refs,
              state_name(q));
      for (int k = 0; k < VT_NR_FC; k++)
         fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "", vt_fault_classes[k].name,
                 (uint64_t)q->faults[k]);
      fprintf(f, "}, \"minor\": %" PRIu64 ", \"major\": %" PRIu64 ", \"rss_peak\": %" PRIu64,
              (uint64_t)minor_of(q), (uint64_t)major_of(q), (uint64_t)q->rss_peak);
      vs_unmod_json(f, &q->unmod);
      fputc('}', f);
   }
   fprintf(f, "],\n   \"oom_kills\": [");
   for (unsigned k = 0; k < t->nr_kills; k++) {
      const struct kill *x = &t->kills[k];
      fprintf(f, "%s\n    {\"pid\": %d, \"by_pid\": %d, \"clock_us\": %" PRIu64
              ", \"seconds\": %.6f, \"tree_reference\": %" PRIu64 ", \"its_references\": %"
              PRIu64 ", \"badness\": %lld, \"rss\": %" PRIu64 ", \"swap\": %" PRIu64
              ", \"page_tables\": %" PRIu64 ", \"oom_score_adj\": %d", k ? "," : "",
              t->p[x->victim].pid, t->p[x->by].pid, (uint64_t)x->clock, rel_s(t, x->clock),
              (uint64_t)x->tree_ref, (uint64_t)x->victim_refs, x->badness, (uint64_t)x->rss,
              (uint64_t)x->swap, (uint64_t)x->pgtables, x->adj);
      fprintf(f, ", \"before\": [");
      for (unsigned i = 0; i < t->n; i++) {
         struct vt_counts c;
         memset(&c, 0, sizeof c);
         memcpy(c.faults, x->faults[i], sizeof c.faults);
         fprintf(f, "%s{\"pid\": %d, \"references\": %" PRIu64 ", \"minor\": %" PRIu64
                 ", \"major\": %" PRIu64 ", \"faults\": {", i ? ", " : "", t->p[i].pid,
                 (uint64_t)x->refs[i], (uint64_t)vt_counts_minor(&c),
                 (uint64_t)vt_counts_major(&c));
         for (int k2 = 0; k2 < VT_NR_FC; k2++)
            fprintf(f, "%s\"%s\": %" PRIu64, k2 ? ", " : "", vt_fault_classes[k2].name,
                    (uint64_t)x->faults[i][k2]);
         fprintf(f, "}}");
      }
      fprintf(f, "]}");
   }
   fprintf(f, "]}");
}

/* ---- the command -------------------------------------------------------------- */

/* Every trace's header and first item: who it is and whose child. */
static int load(struct tree *t, const char *const *paths, unsigned n)
{
   t->p = vs_alloc(n * sizeof *t->p);
   t->n = n;
   for (unsigned i = 0; i < n; i++) {
      struct tproc *q = &t->p[i];
      q->path = paths[i];
      q->t = t;
      q->parent = -1;
      struct tfile *f = vs_trace_open(paths[i], t->err, sizeof t->err);
      if (!f)
         return -1;
      const char *h = vt_trace_header(f->r);
      const char *par = strstr(h, "\"parent\": ");
      if (!hex_after(h, "\"id\": \"", &q->id) || !int_after(h, "\"pid\": ", &q->pid) || !par) {
         snprintf(t->err, sizeof t->err, "%s: offset 12: the header lacks the trace's id, "
                  "pid or parent", paths[i]);
         vs_trace_close(f);
         return -1;
      }
      int_after(h, "\"ppid\": ", &q->ppid);
      bool child = strncmp(par + 10, "null", 4) != 0;
      if (child && !hex_after(par, "\"id\": \"", &q->parent_id)) {
         snprintf(t->err, sizeof t->err, "%s: offset 12: the header's parent has no id",
                  paths[i]);
         vs_trace_close(f);
         return -1;
      }
      /* The items: PARENT (a forked child's) first, the first CLOCK, what
         the model cannot see (UNMODELLED); all of them, so that a corrupt
         or truncated trace is refused before any simulation. */
      if (!vt_trace_checked(f->r))
         vs_trace_unchecked(paths[i]);
      q->first_clock = VT_SIM_NO_PAGE;
      struct vt_titem it;
      bool ok;
      for (uint64_t k = 0; (ok = vt_trace_next(f->r, &it)) && it.kind != VT_TI_END; k++) {
         if (k == 0 && child && !(it.kind == VT_TI_EVENT && it.op == VT_TEV_PARENT)) {
            snprintf(t->err, sizeof t->err, "%s: offset %" PRIu64 ": a forked child's "
                     "trace that does not begin with PARENT", paths[i], (uint64_t)it.offset);
            vs_trace_close(f);
            return -1;
         }
         if (k == 0 && child) {
            q->parent_offset = it.arg[2];
            q->parent = -2;           /* found below */
         }
         if (it.kind == VT_TI_EVENT && it.op == VT_TEV_CLOCK && q->first_clock == VT_SIM_NO_PAGE)
            q->first_clock = it.arg[0];
         if (it.kind == VT_TI_EVENT && it.op == VT_TEV_UNMODELLED)
            vs_unmod_add(&q->unmod, it.str);
      }
      if (!ok) {
         snprintf(t->err, sizeof t->err, "%s: offset %" PRIu64 ": %s", paths[i],
                  (uint64_t)it.offset, it.error);
         vs_trace_close(f);
         return -1;
      }
      vs_trace_close(f);
      vs_unmod_warn(paths[i], &q->unmod);
      if (child && q->parent != -2) {
         snprintf(t->err, sizeof t->err, "%s: offset %" PRIu64 ": a forked child's trace "
                  "that does not begin with PARENT", paths[i], (uint64_t)it.offset);
         return -1;
      }
   }
   /* The traces in the tree's own order, whatever the order they were
      given in: by first clock (a process's start, a forked child's fork,
      an image's execve), then pid, then id.  Roots begin in this order
      (their places in the task list), and the outputs list the traces in
      it, so runs (and shards) given the traces in other orders are one. */
   for (unsigned a = 1; a < n; a++)
      for (unsigned b = a; b > 0; b--) {
         struct tproc *x = &t->p[b - 1], *y = &t->p[b];
         if (x->first_clock < y->first_clock ||
             (x->first_clock == y->first_clock &&
              (x->pid < y->pid || (x->pid == y->pid && x->id <= y->id))))
            break;
         struct tproc tmp = *x;
         *x = *y;
         *y = tmp;
      }
   for (unsigned i = 0; i < n; i++) {
      struct tproc *q = &t->p[i];
      for (unsigned j = 0; j < n; j++)
         if (j != i && t->p[j].id == q->id) {
            snprintf(t->err, sizeof t->err, "%s: the same trace (id %016" PRIx64 ") as %s",
                     q->path, (uint64_t)q->id, t->p[j].path);
            return -1;
         }
      /* an image of a pid that an image with an earlier clock had */
      for (unsigned j = 0; j < n && q->parent == -1; j++)
         if (j != i && t->p[j].pid == q->pid &&
             (t->p[j].first_clock < q->first_clock ||
              (t->p[j].first_clock == q->first_clock && j < i)))
            q->exec_image = true;
      if (q->parent != -2)
         continue;
      for (unsigned j = 0; j < n; j++)
         if (t->p[j].id == q->parent_id)
            q->parent = (int)j;
      if (q->parent < 0) {
         snprintf(t->err, sizeof t->err, "%s: its parent's trace (pid %d, id %016" PRIx64
                  ") is not among the traces given: --tree needs every trace of the tree",
                  q->path, q->ppid, (uint64_t)q->parent_id);
         return -1;
      }
   }
   return 0;
}

static void reset(struct tree *t)
{
   for (unsigned i = 0; i < t->n; i++) {
      struct tproc *q = &t->p[i];
      finish(q, T_WAITING);
      memset(q->faults, 0, sizeof q->faults);
      q->refs = q->oom_faults = 0;
      q->order = 0;
      q->cur = q->last_clock = 0;
      q->has_clock = false;
      q->adj = 0;
      q->rss = q->rss_peak = 0;
   }
   if (t->s)
      vt_sim_destroy(t->s);
   t->s = NULL;
   if (t->frames.e)
      vt_hash_destroy(&t->frames);
   t->frames.e = NULL;
   if (t->lastpos.e)
      vt_hash_destroy(&t->lastpos);
   t->lastpos.e = NULL;
   if (t->res.e)
      vt_hash_destroy(&t->res);
   t->res.e = NULL;
   free(t->dead);
   t->dead = NULL;
   t->pos = t->cur_pos = 0;
   t->cur_pk = VT_SIM_NO_PAGE;
   for (unsigned k = 0; k < t->nr_kills; k++) {
      free(t->kills[k].faults);
      free(t->kills[k].refs);
   }
   free(t->kills);
   t->kills = NULL;
   for (unsigned i = 0; i < t->nr_opened; i++)
      vs_trace_close(t->opened[i]);
   free(t->opened);
   t->opened = NULL;
   t->nr_opened = 0;
   t->nr_kills = 0;
   t->begun = 0;
   t->now = 0;
   t->no_victim = false;
}

/* ---- the jobs: (policy, size) simulations and exact curves ---------------------

   The grid, in a fixed order all shards agree on: per policy, its exact
   curve (--mrc: LRU and OPT), its sizes (--pages, --ram), then the curve's
   sizes (--mrc: the other policies).  Each simulation replays the whole
   tree into a memory of its own, on a thread of its own; OPT is given the
   first pass's future, the curves its stream. */
struct tjob {
   unsigned index;
   const struct vt_policy_ops *policy;
   const struct vt_policy_params *params;
   uint64_t pages;                   /* 0: the exact curve */
   bool     curve_point;             /* a size of --mrc's curve only */
   char    *table, *csv, *json;      /* its output */
   size_t   tl, cl, jl;
   uint64_t misses, refs;            /* the memory's, for the curves' table */
   struct vs_curve curve;
   char     err[1024];
   int      rc;
};

struct tjobs {
   const struct tree *tmpl;
   const struct trec *rec;
   const struct vs_stream *cs;       /* the curves' stream (sampled) */
   struct tjob **todo;
   unsigned n;
   atomic_uint next;
};

static void exact_curve(const struct tjobs *P, struct tjob *j)
{
   const struct vs_stream *s = P->cs;
   uint64_t *hist = vs_alloc(((size_t)s->npages + 1) * sizeof *hist);
   uint64_t counted[2];
   if (!strcmp(j->policy->name, "lru"))
      vs_lru_distances(s, hist, NULL, counted);
   else
      vs_opt_distances(s, hist, NULL, counted);
   vs_curve_from_hist(&j->curve, hist, counted, s->npages);
   free(hist);
   vs_curve_unsample(&j->curve, P->tmpl->cfg->sample);
}

static void json_curve(FILE *f, const struct tjob *j, bool sampled)
{
   const struct vs_curve *c = &j->curve;
   fprintf(f, "  {\"job\": %u, \"policy\": \"%s\", \"method\": \"%s\", \"references\": %" PRIu64
           ", \"cold\": %" PRIu64 ",\n   \"sizes\": [", j->index, j->policy->name,
           sampled ? "exact-sampled" : "exact", (uint64_t)c->refs, (uint64_t)c->cold);
   for (uint32_t i = 0; i < c->n; i++)
      fprintf(f, "%s%" PRIu64, i ? ", " : "", (uint64_t)c->sizes[i]);
   fprintf(f, "],\n   \"misses\": [");
   for (uint32_t i = 0; i < c->n; i++)
      fprintf(f, "%s%" PRIu64, i ? ", " : "", (uint64_t)c->misses[i]);
   fprintf(f, "]}");
}

static void run_job(const struct tjobs *P, struct tjob *j)
{
   if (!j->pages) {
      exact_curve(P, j);
      FILE *f = open_memstream(&j->json, &j->jl);
      json_curve(f, j, P->tmpl->cfg->sample > 0 && P->tmpl->cfg->sample < 1);
      fclose(f);
      return;
   }
   const struct tree *tm = P->tmpl;
   struct tree *t = vs_alloc(sizeof *t);
   t->cfg = tm->cfg;
   t->n = tm->n;
   t->p = vs_alloc(t->n * sizeof *t->p);
   memcpy(t->p, tm->p, t->n * sizeof *t->p);
   for (unsigned i = 0; i < t->n; i++)
      t->p[i].t = t;
   t->policy = j->policy;
   t->params = j->params;
   t->pages = j->pages;
   if (j->policy->needs & VT_POL_FUTURE)
      t->fut = P->rec;
   j->rc = run_tree(t);
   if (j->rc) {
      snprintf(j->err, sizeof j->err, "%s", t->err);
   } else {
      FILE *f = open_memstream(&j->table, &j->tl);
      print_tree(f, t);
      fclose(f);
      f = open_memstream(&j->csv, &j->cl);
      csv_rows(f, t);
      fclose(f);
      f = open_memstream(&j->json, &j->jl);
      json_tree(f, t, j);
      fclose(f);
      for (unsigned i = 0; i < t->n; i++) {
         j->misses += minor_of(&t->p[i]) + major_of(&t->p[i]);
         j->refs += t->p[i].refs;
      }
   }
   reset(t);
   free(t->p);
   free(t);
}

static void *tworker(void *arg)
{
   struct tjobs *P = arg;
   for (;;) {
      unsigned k = atomic_fetch_add(&P->next, 1);
      if (k >= P->n)
         return NULL;
      run_job(P, P->todo[k]);
   }
}

/* The first pass: the tree replayed with no memory, every access recorded. */
static void first_pass(const struct tree *tm, struct trec *rec)
{
   struct tree t;
   memset(&t, 0, sizeof t);
   t.cfg = tm->cfg;
   t.n = tm->n;
   t.p = vs_alloc(t.n * sizeof *t.p);
   memcpy(t.p, tm->p, t.n * sizeof *t.p);
   for (unsigned i = 0; i < t.n; i++)
      t.p[i].t = &t;
   memset(rec, 0, sizeof *rec);
   vs_stream_init(&rec->all, "tree", "vmtrace", false);
   t.rec = rec;
   if (run_tree(&t))
      vs_die("%s", t.err);
   reset(&t);
   free(t.p);
   vs_stream_done(&rec->all);
   vs_next_uses(&rec->all);
}

/* The stream the curves are drawn from: the first pass's references (not
   its prefaults), the frames numbered anew. */
static void curve_stream(const struct trec *rec, struct vs_stream *cs)
{
   vs_stream_init(cs, "tree", "vmtrace", false);
   const struct vs_stream *a = &rec->all;
   for (uint64_t i = 0; i < a->n; i++) {
      unsigned fl = a->fl ? a->fl[i] : 0;
      if (fl & TR_PF)
         continue;
      vs_stream_push(cs, vs_stream_page(cs, a->id[i], NULL), fl & (VS_W | VS_PAUSED), 0);
   }
   vs_stream_done(cs);
}

static void print_curves(FILE *f, const struct tree *tm, struct tjob *jobs, unsigned nj,
                         const uint64_t *sizes, unsigned ns, const struct vs_stream *cs,
                         const struct vs_stream *full, double emax, double emean)
{
   const struct vs_config *c = tm->cfg;
   bool sampled = c->sample > 0 && c->sample < 1;
   char procs[64], b[2][VT_COUNT_TEXT];
   fprintf(f, "== Tree of %s: miss ratio by size (%s references to %s frames, merged",
           processes_text(tm, procs, sizeof procs), vt_count_text(full->n, b[0]),
           vt_count_text(full->npages, b[1]));
   if (sampled)
      fprintf(f, "; exact curves sampled at %g: %s references to %s frames, LRU's miss ratio "
              "off by %.4f at most, %.4f on average", c->sample, vt_count_text(cs->n, b[0]),
              vt_count_text(cs->npages, b[1]), emax, emean);
   fprintf(f, ")\n  %10s", "pages");
   for (unsigned pi = 0; pi < c->nr_policies; pi++)
      fprintf(f, " %9s", c->policies[pi]->name);
   fprintf(f, "\n");
   for (unsigned k = 0; k < ns; k++) {
      fprintf(f, "  %10s", vt_count_text(sizes[k], b[0]));
      for (unsigned pi = 0; pi < c->nr_policies; pi++) {
         const struct tjob *hit = NULL;
         for (unsigned x = 0; x < nj && !hit; x++) {
            const struct tjob *j = &jobs[x];
            if (j->policy == c->policies[pi] &&
                (j->pages == sizes[k] || (!j->pages && j->curve.n)))
               hit = j;
         }
         if (!hit || (hit->pages ? !hit->refs : !hit->curve.refs))
            fprintf(f, " %9s", "-");
         else if (hit->pages)
            fprintf(f, " %9.4f", (double)hit->misses / (double)hit->refs);
         else
            fprintf(f, " %9.4f", (double)vs_curve_at(&hit->curve, sizes[k]) /
                    (double)hit->curve.refs);
      }
      fprintf(f, "\n");
   }
}

int vs_tree_main(const struct vs_config *cfg, const char *const *paths, unsigned n,
                 const char *csv, const char *json, bool quiet, const char *export_path,
                 enum vs_format export_fmt)
{
   struct tree t;
   memset(&t, 0, sizeof t);
   t.cfg = cfg;
   if (load(&t, paths, n))
      vs_die("%s", t.err);
   bool sampled = cfg->sample > 0 && cfg->sample < 1;
   /* the first pass, when OPT, the curves or the export need it */
   bool need_stream = cfg->mrc || export_path;
   bool need_rec = need_stream;
   for (unsigned pi = 0; pi < cfg->nr_policies; pi++)
      if (cfg->policies[pi]->needs & VT_POL_FUTURE)
         need_rec = true;
   struct trec rec;
   memset(&rec, 0, sizeof rec);
   struct vs_stream cs, smp;
   memset(&cs, 0, sizeof cs);
   memset(&smp, 0, sizeof smp);
   uint64_t csizes[256];
   unsigned ncs = 0;
   double err_max = 0, err_mean = 0;
   if (need_rec)
      first_pass(&t, &rec);
   if (need_stream) {
      curve_stream(&rec, &cs);
      ncs = cfg->mrc ? vs_curve_sizes(cfg, cs.npages, csizes, 256) : 0;
      if (sampled) {
         vs_stream_sample(&cs, cfg->sample, &smp);
         if (cfg->mrc)
            vs_sample_error(&cs, &smp, cfg->sample, csizes, ncs, &err_max, &err_mean);
      }
   }
   if (export_path) {
      /* the merged stream as one trace: a record a reference, the frame's
         number (in the order of first access) its obj_id */
      struct vs_stream *xs = sampled ? &smp : &cs;
      char xerr[1024];
      vs_next_uses(xs);
      if (vs_export(xs, export_path, export_fmt, xerr, sizeof xerr))
         vs_die("%s", xerr);
      if (!quiet && !cfg->nr_sizes && !cfg->mrc)
         fprintf(stderr, "%s: wrote the merged stream of %u processes, %llu references to "
                 "%llu frames, to %s (%s)\n", vs_prog, t.n, (unsigned long long)xs->n,
                 (unsigned long long)xs->npages, export_path, vs_format_name(export_fmt));
      if (!cfg->nr_sizes && !cfg->mrc) {
         vs_stream_free(&cs);
         if (sampled)
            vs_stream_free(&smp);
         vs_stream_free(&rec.all);
         free(rec.who);
         free(t.p);
         return 0;
      }
   }
   /* the grid */
   unsigned cap = cfg->nr_policies * (1 + cfg->nr_sizes + ncs), nj = 0;
   struct tjob *jobs = vs_alloc((cap ? cap : 1) * sizeof *jobs);
   for (unsigned pi = 0; pi < cfg->nr_policies; pi++) {
      const struct vt_policy_ops *pol = cfg->policies[pi];
      int k = 0;
      while (vt_policies[k] != pol)
         k++;
      bool exact = !strcmp(pol->name, "lru") || !strcmp(pol->name, "opt");
      if (cfg->mrc && exact)
         jobs[nj++] = (struct tjob){ .policy = pol, .params = &cfg->params[k] };
      for (unsigned si = 0; si < cfg->nr_sizes; si++)
         jobs[nj++] = (struct tjob){ .policy = pol, .params = &cfg->params[k],
                                     .pages = cfg->sizes[si] };
      for (unsigned si = 0; cfg->mrc && !exact && si < ncs; si++) {
         bool dup = false;
         for (unsigned x = 0; x < cfg->nr_sizes; x++)
            dup |= cfg->sizes[x] == csizes[si];
         if (!dup)
            jobs[nj++] = (struct tjob){ .policy = pol, .params = &cfg->params[k],
                                        .pages = csizes[si], .curve_point = true };
      }
   }
   for (unsigned x = 0; x < nj; x++)
      jobs[x].index = x;
   /* this shard's, the heaviest first */
   struct tjobs P = { .tmpl = &t, .rec = &rec, .cs = sampled ? &smp : &cs };
   P.todo = vs_alloc((nj ? nj : 1) * sizeof *P.todo);
   for (unsigned x = 0; x < nj; x++)
      if (x % cfg->shard_n == cfg->shard_k - 1)
         P.todo[P.n++] = &jobs[x];
   for (unsigned a = 1; a < P.n; a++)
      for (unsigned b = a; b > 0 && P.todo[b]->pages > P.todo[b - 1]->pages; b--) {
         struct tjob *tmp = P.todo[b];
         P.todo[b] = P.todo[b - 1];
         P.todo[b - 1] = tmp;
      }
   atomic_init(&P.next, 0);
   unsigned nt = cfg->jobs ? cfg->jobs : 1;
   if (nt > P.n)
      nt = P.n ? P.n : 1;
   vs_run_threads(nt, tworker, &P);
   for (unsigned x = 0; x < nj; x++)
      if (jobs[x].rc)
         vs_die("%s", jobs[x].err);
   /* the outputs, in the grid's order */
   struct vs_ofile oc = { 0 }, oj = { 0 };
   char err[1024];
   if (csv && vs_out_open(&oc, csv, false, err, sizeof err))
      vs_die("%s", err);
   if (json && vs_out_open(&oj, json, false, err, sizeof err))
      vs_die("%s", err);
   bool mine_all = cfg->shard_n == 1;
   bool to_stdout = (csv && !strcmp(csv, "-")) || (json && !strcmp(json, "-"));
   if (!quiet && !to_stdout) {
      for (unsigned x = 0; x < nj; x++)
         if (jobs[x].table && !jobs[x].curve_point)
            fputs(jobs[x].table, stdout);
      if (cfg->mrc && mine_all)
         print_curves(stdout, &t, jobs, nj, csizes, ncs, sampled ? &smp : &cs, &cs, err_max,
                      err_mean);
   }
   if (csv) {
      fprintf(oc.f, "policy,pages,pid,ppid,faults,major,minor,evictions,references,end,"
                    "killed_at\n");
      for (unsigned x = 0; x < nj; x++) {
         const struct tjob *j = &jobs[x];
         if (j->csv)
            fputs(j->csv, oc.f);
         if (!j->pages && j->curve.n) {
            /* the exact curve at the table's sizes and at --pages */
            const struct vs_curve *c = &j->curve;
            uint64_t at[512];
            unsigned na = 0;
            for (unsigned k = 0; k < ncs; k++)
               at[na++] = csizes[k];
            for (unsigned k = 0; k < cfg->nr_sizes; k++)
               at[na++] = cfg->sizes[k];
            for (unsigned k = 0; k < na; k++) {
               uint64_t m = vs_curve_at(c, at[k]);
               uint64_t held = at[k] < c->cold ? at[k] : c->cold;
               fprintf(oc.f, "%s,%" PRIu64 ",curve,,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%"
                       PRIu64 ",%" PRIu64 ",%s,\n", j->policy->name, (uint64_t)at[k],
                       (uint64_t)m, (uint64_t)(m - c->cold), (uint64_t)c->cold,
                       (uint64_t)(m > held ? m - held : 0), (uint64_t)c->refs,
                       sampled ? "exact-sampled" : "exact");
            }
         }
      }
   }
   if (json) {
      fprintf(oj.f, "{\"format\": \"vmtrace-sim-tree\", \"version\": 1,\n"
                    " \"tool\": {\"name\": \"vmtrace-sim\", \"version\": \"" VS_VERSION "\"},\n"
                    " \"run\": {\"traces\": [");
      for (unsigned i = 0; i < n; i++) {
         fprintf(oj.f, "%s", i ? ", " : "");
         vs_json_str(oj.f, t.p[i].path);
      }
      fprintf(oj.f, "], \"policies\": [");
      for (unsigned pi = 0; pi < cfg->nr_policies; pi++)
         fprintf(oj.f, "%s\"%s\"", pi ? ", " : "", cfg->policies[pi]->name);
      fprintf(oj.f, "], \"pages\": [");
      for (unsigned si = 0; si < cfg->nr_sizes; si++)
         fprintf(oj.f, "%s%" PRIu64, si ? ", " : "", (uint64_t)cfg->sizes[si]);
      fprintf(oj.f, "], \"curve_sizes\": [");
      for (unsigned k = 0; k < ncs; k++)
         fprintf(oj.f, "%s%" PRIu64, k ? ", " : "", (uint64_t)csizes[k]);
      fprintf(oj.f, "], \"swap\": ");
      if (cfg->no_swap)
         fprintf(oj.f, "0");
      else if (!cfg->swap_pages)
         fprintf(oj.f, "null");
      else
         fprintf(oj.f, "%" PRIu64, (uint64_t)cfg->swap_pages);
      fprintf(oj.f, ", \"mrc\": %s, \"sample\": %g, \"params\": {",
              cfg->mrc ? "true" : "false", sampled ? cfg->sample : 1.0);
      bool pfirst = true;
      for (int i = 0; vt_policies[i]; i++)
         for (unsigned k = 0; k < vt_policies[i]->nr_params; k++) {
            const struct vt_policy_param *d = &vt_policies[i]->params[k];
            struct vt_policy_params pp = cfg->params[i];
            fprintf(oj.f, "%s\"%s\": %llu", pfirst ? "" : ", ", d->option,
                    *vt_policy_param_ptr(&pp, d));
            pfirst = false;
         }
      fprintf(oj.f, "}, \"jobs\": %u},\n \"shard\": {\"k\": %u, \"n\": %u},\n", nj,
              cfg->shard_k, cfg->shard_n);
      if (cfg->mrc) {
         fprintf(oj.f, " \"stream\": {\"references\": %" PRIu64 ", \"frames\": %" PRIu64,
                 (uint64_t)cs.n, (uint64_t)cs.npages);
         if (sampled)
            fprintf(oj.f, ", \"sampled_references\": %" PRIu64 ", \"sampled_frames\": %"
                    PRIu64 ", \"lru_error\": {\"sizes\": %u, \"max\": %.6f, \"mean\": %.6f}",
                    (uint64_t)smp.n, (uint64_t)smp.npages, ncs, err_max, err_mean);
         fprintf(oj.f, "},\n");
      }
      fprintf(oj.f, " \"curves\": [");
      bool first = true;
      for (unsigned x = 0; x < nj; x++)
         if (!jobs[x].pages && jobs[x].json) {
            fprintf(oj.f, "%s\n", first ? "" : ",");
            fputs(jobs[x].json, oj.f);
            first = false;
         }
      fprintf(oj.f, "],\n \"simulations\": [");
      first = true;
      for (unsigned x = 0; x < nj; x++)
         if (jobs[x].pages && jobs[x].json) {
            fprintf(oj.f, "%s\n", first ? "" : ",");
            fputs(jobs[x].json, oj.f);
            first = false;
         }
      fprintf(oj.f, "\n ]}\n");
   }
   if (csv && vs_out_close(&oc, err, sizeof err))
      vs_die("%s", err);
   if (json && vs_out_close(&oj, err, sizeof err))
      vs_die("%s", err);
   if (fflush(stdout) || ferror(stdout))
      vs_die("standard output: write error");
   for (unsigned x = 0; x < nj; x++) {
      free(jobs[x].table);
      free(jobs[x].csv);
      free(jobs[x].json);
      vs_curve_free(&jobs[x].curve);
   }
   free(jobs);
   free(P.todo);
   if (need_rec) {
      vs_stream_free(&rec.all);
      free(rec.who);
   }
   if (need_stream)
      vs_stream_free(&cs);
   if (sampled)
      vs_stream_free(&smp);
   free(t.p);
   return 0;
}

static void json_tree(FILE *f, const struct tree *t, const struct tjob *j)
{
   json_tree_(f, t, j->index, j->curve_point);
}
