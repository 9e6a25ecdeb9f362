/* sim_test.h: what the tests of simulated memory (tests/sim/) share.
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SIM_TEST_H
#define SIM_TEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vt_sim.h"

/* ---- TAP-like output: "ok N - name", "not ok N - name", "# ..." ---- */
void t_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ok if got == expected, else "not ok" plus "# expected X, got Y". */
bool t_eq(vt_u64 got, vt_u64 expected, const char *fmt, ...)
   __attribute__((format(printf, 3, 4)));
void t_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int t_failures;
extern const struct vt_host_ops test_host_ops;

/* ---- a host for one simulation ------------------------------------------ */

#define DRV_MAX_KEYS 4096

/* A fake host: with fast = true it keeps a filter like the tool's software
   TLB (a page is cached for reads, or reads and writes, after vt_sim_access
   said VT_SIMR_CACHEABLE), absorbs the references the filter allows,
   delivers them through vt_sim_note_hits in flush_hits (in an order chosen
   to stress the policies: descending key) and checks the contract: a
   cached page is resident, referenced and, if cached for writes, dirty. */
struct drv {
   struct vt_sim *s;
   bool      fast;
   uint8_t   cached[DRV_MAX_KEYS];    /* 1 read, 2 read+write */
   vt_u64    pend_n[DRV_MAX_KEYS], pend_last[DRV_MAX_KEYS];
   vt_u64    invalidations, ooms, flushes, absorbed;
   vt_u64    max_key;                 /* keys seen are below this */
   vt_u64    last_oom_key;
   bool      contract_broken;
   char      why[200];
};

void drv_init(struct drv *d, const struct vt_sim_config *cfg, bool fast);
void drv_destroy(struct drv *d);
/* A reference through the filter (key < DRV_MAX_KEYS).  Returns the
   vt_sim_access result, or 0 for an absorbed reference. */
unsigned drv_ref(struct drv *d, vt_u64 key, unsigned flags, uint32_t mapping,
                 vt_u64 now, int base_cls, int *cls);
void drv_flush(struct drv *d);
/* Is every cached page's state as the contract says? */
bool drv_check(struct drv *d);

/* Is key resident in s (scan of the frames)? */
bool sim_has(struct vt_sim *s, vt_u64 key);
const struct vt_pframe *sim_frame(struct vt_sim *s, vt_u64 key);
/* The reference history of resident page key (NULL: not resident, or the
   policy keeps none: not VT_POL_EVERY). */
const struct vt_fstamp *sim_stamp(struct vt_sim *s, vt_u64 key);
/* Its reference count (VT_POL_COUNTS policies), NULL if none. */
const vt_u64 *sim_refs(struct vt_sim *s, vt_u64 key);
/* What the policy keeps of resident page key (vt_sim_policy_word); 99 if
   not resident. */
vt_u64 sim_pword(struct vt_sim *s, vt_u64 key);
vt_u64 sim_faults(struct vt_sim *s);       /* all classes */

/* xorshift64*, as vt_sim_random. */
vt_u64 t_rand(vt_u64 *state);

/* Test groups. */
void test_textbook(void);
void test_engine(void);
void test_policies(void);
void test_property(void);
void test_toy_policy(void);

#endif
