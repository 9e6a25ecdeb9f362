/* replay.c: a page trace replayed under simulations given on the command
   line, their figures and the model's printed as JSON lines; the test of
   the recording (tests/trace/run) compares them with the tool's online
   run.
     replay TRACE RAM_PAGES SWAP_PAGES POLICY[,POLICY...] [PARENT_DIR]
   SPDX-License-Identifier: GPL-2.0-or-later */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt_core.h"
#include "vt_sim.h"
#include "vt_trace.h"
#include "host.h"

static long file_read(void *ctx, void *buf, size_t len)
{
   size_t n = fread(buf, 1, len, ctx);
   return ferror((FILE *)ctx) ? -1 : (long)n;
}

static const char *dir;

static struct vt_trace_reader *open_trace(const char *path)
{
   FILE *f = fopen(path, "rb");
   if (!f)
      return NULL;
   static struct vt_trace_in in[64];
   static int n;
   in[n % 64].read = file_read;
   in[n % 64].ctx = f;
   const char *err;
   struct vt_trace_reader *r = vt_trace_reader_new(&in[n++ % 64], &err);
   if (!r)
      fprintf(stderr, "replay: %s: %s\n", path, err);
   return r;
}

/* A parent's trace: the file DIR/trace.PID or DIR/trace.PID.execN (the
   tool's names with the %p pattern the test uses) whose header's first
   "id" (its own; a parent's comes later) is id. */
static struct vt_trace_reader *parent(void *ctx, vt_u64 pid, vt_u64 id)
{
   (void)ctx;
   char want[64];
   snprintf(want, sizeof want, "\"id\": \"%016llx\"", id);
   for (unsigned k = 0; k < 64; k++) {
      char path[4096];
      if (k == 0)
         snprintf(path, sizeof path, "%s/trace.%llu", dir ? dir : ".", pid);
      else
         snprintf(path, sizeof path, "%s/trace.%llu.exec%u", dir ? dir : ".", pid, k);
      struct vt_trace_reader *r = open_trace(path);
      if (!r)
         continue;
      const char *first = strstr(vt_trace_header(r), "\"id\": \"");
      if (first && strncmp(first, want, strlen(want)) == 0)
         return r;
      vt_trace_reader_free(r);
   }
   return NULL;
}

/* The model's figures: every fault class, pages touched, peak RSS. */
static void done(void *ctx, const struct vt_mm *mm)
{
   (void)ctx;
   printf("{\"model\": true");
   for (int c = 0; c < VT_NR_FC; c++)
      printf(", \"%s\": %llu", vt_fault_classes[c].name, mm->total.faults[c]);
   printf(", \"pages_touched\": %llu, \"peak_resident_pages\": %llu}\n",
          mm->total.touched, mm->peak_rss);
}

int main(int argc, char **argv)
{
   if (argc < 5) {
      fprintf(stderr, "usage: replay TRACE RAM_PAGES SWAP_PAGES POLICIES [DIR]\n");
      return 2;
   }
   trace_host_init("replay");
   dir = argc > 5 ? argv[5] : NULL;
   struct vt_trace_reader *r = open_trace(argv[1]);
   if (!r)
      return 1;
   struct vt_sim *sims[32];
   uint32_t n = 0;
   char *list = strdup(argv[4]);
   for (char *p = strtok(list, ","); p && n < 32; p = strtok(NULL, ",")) {
      struct vt_sim_config cfg = { .policy = vt_policy_find(p),
                                   .ram_pages = strtoull(argv[2], NULL, 0),
                                   .swap_pages = strtoull(argv[3], NULL, 0) };
      if (!cfg.policy) {
         fprintf(stderr, "replay: unknown policy %s\n", p);
         return 2;
      }
      vt_policy_params_init(cfg.policy, &cfg.params);
      sims[n++] = vt_sim_create(&cfg, NULL);
   }
   struct vt_replay_env env = { .parent_trace = parent, .done = done };
   const char *err = NULL;
   int ret = vt_replay(r, sims, n, &env, &err);
   if (ret != 0)
      fprintf(stderr, "replay: %s: %s\n", argv[1], err);
   for (uint32_t i = 0; i < n; i++) {
      if (ret != 0) {
         vt_sim_destroy(sims[i]);
         continue;
      }
      const struct vt_sim_stats *st = vt_sim_stats(sims[i]);
      printf("{\"policy\": \"%s\", \"ram_pages\": %llu", vt_sim_config(sims[i])->policy->name,
             vt_sim_config(sims[i])->ram_pages);
      for (int c = 0; c < VT_NR_FC; c++)
         printf(", \"%s\": %llu", vt_fault_classes[c].name, st->faults[c]);
      printf(", \"swap_outs\": %llu, \"writebacks\": %llu, \"refaults\": %llu, "
             "\"evictions\": %llu, \"peak_resident_pages\": %llu, \"resident_pages\": %llu}\n",
             st->swap_outs, st->writebacks, st->refaults, st->evictions, st->peak_resident,
             vt_sim_resident(sims[i]));
      vt_sim_destroy(sims[i]);
   }
   vt_trace_reader_free(r);
   free(list);
   return ret ? 1 : 0;
}
