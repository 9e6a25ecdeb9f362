/* naive.h: deliberately naive models of the simulation and of every
   policy, for the property tests: arrays of keys, linear scans, the rules
   of docs/policies.md written out one by one.
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NAIVE_H
#define NAIVE_H

#include "sim_test.h"

#define NV_MAX    64       /* frames */
#define NV_MAXEV  4096     /* evicted pages remembered */
#define NV_NONE   (~(vt_u64)0)

struct nv_page {
   vt_u64 key;
   bool   anon, dirty, locked, ref, slot, exec, norecency;
   vt_u64 inserted, last_ref, refs;
   vt_u64 age8;            /* AGING */
   vt_u64 tlu;             /* WSCLOCK: time of last use */
   bool   pgref;           /* LINUX: PG_referenced */
};

struct nv_ev { vt_u64 key, shadow; bool anon; };

struct naive {
   const char *pol;
   unsigned    frames;
   vt_u64      swap_pages;
   bool        no_swap;          /* no swap at all: set after nv_init */
   struct vt_policy_params params;
   vt_u64    (*next_use)(void *ctx, vt_u64 key, vt_u64 now);
   void       *ctx;

   struct nv_page res[NV_MAX];   /* in the order brought in */
   int         nres;
   struct nv_ev ev[NV_MAXEV];
   int         nev;
   vt_u64      swap_used;
   struct vt_sim_stats st;
   vt_u64      rng, next_tick;

   vt_u64      q[NV_MAX];        /* CLOCK, WSCLOCK: q[0] under the hand */
   int         nq;
   vt_u64      ra[NV_MAX];       /* RANDOM */
   int         nra;
   vt_u64      t1[NV_MAX], t2[NV_MAX], b1[2 * NV_MAX + 2], b2[2 * NV_MAX + 2];
   int         nt1, nt2, nb1, nb2;   /* index 0: LRU */
   vt_u64      p, pend;
   vt_u64      l[4][NV_MAX];     /* LINUX: index 0 is the head */
   int         nl[4];
   vt_u64      age;
   long long   credit[2];
   vt_u64      cost[2];          /* LINUX: anon, file */
};

void nv_init(struct naive *nv, const char *policy, unsigned frames,
             vt_u64 swap_pages, const struct vt_policy_params *params);
unsigned nv_access(struct naive *nv, vt_u64 key, unsigned flags, vt_u64 now,
                   int base_cls, int *cls);
void nv_drop(struct naive *nv, vt_u64 key);
void nv_lock(struct naive *nv, vt_u64 key, bool locked);
struct nv_page *nv_find(struct naive *nv, vt_u64 key);

#endif
