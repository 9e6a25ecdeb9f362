/* textbook_test.c: published reference strings and their fault counts.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "sim_test.h"

struct trace { const int *keys; int n; };

/* OPT's oracle over a trace: reference i happens at time i + 1. */
static vt_u64 trace_next_use(void *ctx, vt_u64 key, vt_u64 now)
{
   const struct trace *t = ctx;
   for (int i = (int)now; i < t->n; i++)      /* time i + 1 > now */
      if ((vt_u64)t->keys[i] == key)
         return (vt_u64)i + 1;
   return VT_SIM_NO_PAGE;
}

/* Faults of a read-only string of file pages with the given frames;
   reference i at time i + 1.  fast: through the fake host's filter. */
static vt_u64 run(const char *policy, const int *keys, int len,
                  unsigned frames, bool fast, vt_u64 *hist)
{
   struct vt_sim_config cfg = { .policy = vt_policy_find(policy),
                                .ram_pages = frames };
   vt_policy_params_default(&cfg.params);
   struct drv d;
   drv_init(&d, &cfg, fast);
   struct trace t = { keys, len };
   vt_sim_set_future(d.s, trace_next_use, &t);
   bool seen[256] = { false };
   for (int i = 0; i < len; i++) {
      int base = seen[keys[i]] ? -1 : VT_FC_FILE_READ;
      seen[keys[i]] = true;
      unsigned r = drv_ref(&d, (vt_u64)keys[i], 0, 0, (vt_u64)i + 1, base,
                           NULL);
      if (hist)
         hist[i] = (r & VT_SIMR_FAULT) != 0;
   }
   vt_u64 n = sim_faults(d.s);
   drv_destroy(&d);
   return n;
}

/* Silberschatz, Galvin, Gagne, "Operating System Concepts", chapter 9
   (Virtual Memory): the reference string of figures 9.12, 9.14, 9.15. */
static const int sgg[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0,
                           1, 7, 0, 1 };
/* Belady's anomaly (Belady, Nelson, Shedler 1969). */
static const int belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };

/* Stallings, "Operating Systems: Internals and Design Principles", the
   figure comparing OPT, LRU, FIFO and CLOCK with 3 frames: faults after
   the frames have filled are OPT 3, LRU 4, FIFO 6, CLOCK 5; with the
   three cold faults: 6, 7, 9, 8.

   CLOCK by hand (use bit set when a page is loaded or referenced, "*";
   the hand ">" stops just past the frame it replaced):
      2: [>2* -  - ]  fault, hand to frame 1
      3: [ 2* 3* - ]  fault, hand to frame 2
      2: hit
      1: [>2* 3* 1*]  fault (frames full), hand wraps to frame 0
      5: sweep clears 2, 3, 1, back at frame 0: 2 has use 0 -> replaced:
         [ 5*>3  1 ]  fault
      2: frame 1: 3 use 0 -> replaced: [ 5* 2*>1 ]  fault
      4: frame 2: 1 use 0 -> replaced: [>5* 2* 4*]  fault
      5: hit
      3: sweep clears 5, 2, 4; frame 0: 5 -> replaced: [ 3*>2  4 ]  fault
      2: hit (2 gets its use bit back)
      5: frame 1: 2* -> cleared; frame 2: 4 use 0 -> replaced:
         [>3* 2  5*]  fault
      2: hit
   Faults: 2 3 1 5 2 4 3 5 = 8, of which 5 after the frames filled. */
static const int stallings[] = { 2, 3, 2, 1, 5, 2, 4, 5, 3, 2, 5, 2 };
static const int stallings_clock_faults[] = { 1, 1, 0, 1, 1, 1, 1, 0, 1, 0,
                                              1, 0 };

void test_textbook(void)
{
   const int n_sgg = (int)(sizeof sgg / sizeof sgg[0]);
   const int n_bel = (int)(sizeof belady / sizeof belady[0]);
   const int n_st = (int)(sizeof stallings / sizeof stallings[0]);
   for (int fast = 0; fast <= 1; fast++) {
      const char *how = fast ? "filtered" : "every reference";
      t_eq(run("fifo", sgg, n_sgg, 3, fast, NULL), 15,
           "textbook: FIFO, SGG string, 3 frames: 15 faults (%s)", how);
      t_eq(run("lru", sgg, n_sgg, 3, fast, NULL), 12,
           "textbook: LRU, SGG string, 3 frames: 12 faults (%s)", how);
      t_eq(run("opt", sgg, n_sgg, 3, fast, NULL), 9,
           "textbook: OPT, SGG string, 3 frames: 9 faults (%s)", how);
      t_eq(run("fifo", belady, n_bel, 3, fast, NULL), 9,
           "textbook: Belady's anomaly, FIFO 3 frames: 9 faults (%s)", how);
      t_eq(run("fifo", belady, n_bel, 4, fast, NULL), 10,
           "textbook: Belady's anomaly, FIFO 4 frames: 10 faults (%s)", how);
      t_eq(run("lru", belady, n_bel, 3, fast, NULL), 10,
           "textbook: Belady string, LRU 3 frames: 10 faults (%s)", how);
      t_eq(run("lru", belady, n_bel, 4, fast, NULL), 8,
           "textbook: Belady string, LRU 4 frames: 8 faults (%s)", how);
      t_eq(run("opt", stallings, n_st, 3, fast, NULL), 6,
           "textbook: Stallings string, OPT 3 frames: 6 faults (%s)", how);
      t_eq(run("lru", stallings, n_st, 3, fast, NULL), 7,
           "textbook: Stallings string, LRU 3 frames: 7 faults (%s)", how);
      t_eq(run("fifo", stallings, n_st, 3, fast, NULL), 9,
           "textbook: Stallings string, FIFO 3 frames: 9 faults (%s)", how);
      vt_u64 hist[16];
      t_eq(run("clock", stallings, n_st, 3, fast, hist), 8,
           "textbook: Stallings string, CLOCK 3 frames: 8 faults (%s)", how);
      int same = 1;
      for (int i = 0; i < n_st; i++)
         same &= hist[i] == (vt_u64)stallings_clock_faults[i];
      t_ok(same, "textbook: Stallings string, CLOCK faults at the derived "
           "references (%s)", how);
   }
   /* Every policy with as many frames as pages: cold faults only. */
   for (int i = 0; vt_policies[i]; i++)
      t_eq(run(vt_policies[i]->name, sgg, n_sgg, 6, true, NULL), 6,
           "textbook: %s with a frame per page faults once per page",
           vt_policies[i]->name);
   /* OPT is a lower bound for every policy on the SGG string. */
   for (unsigned fr = 1; fr <= 6; fr++) {
      vt_u64 opt = run("opt", sgg, n_sgg, fr, false, NULL);
      bool lower = true;
      for (int i = 0; vt_policies[i]; i++)
         lower &= run(vt_policies[i]->name, sgg, n_sgg, fr, false, NULL) >= opt;
      t_ok(lower, "textbook: OPT is a lower bound, SGG string, %u frames", fr);
   }
}
