/* vt_collect.c: collection paused and resumed (--collect-atstart,
   VMTRACE_START_COLLECTION / VMTRACE_STOP_COLLECTION): the core's switch
   (vt_set_collecting: the memory goes on, the figures pause), and when
   collection was on, for run.collection and the log's Collection: line.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_libcprint.h"
#include "vt_tool.h"


/* The periods of collection, [from, to) in instructions: the first
   MAX_PERIODS kept (their count and instructions go on beyond). */
#define MAX_PERIODS 100
static ULong period_from[MAX_PERIODS], period_to[MAX_PERIODS];
static UInt  nr_periods;           /* begun, kept or not */
static ULong since;                /* the open period's start */
static ULong closed_insns;         /* instructions of the closed periods */
static Bool  paused_ever;          /* collection was off at some time */

static void begin(ULong now)
{
   if (nr_periods < MAX_PERIODS)
      period_from[nr_periods] = now;
   nr_periods++;
   since = now;
}

/* After the core's address spaces were set so (vt_set_collecting). */
void vt_collect_init(void)
{
   paused_ever = !vt_clo.collect_atstart;
   if (vt_clo.collect_atstart)
      begin(0);
}

void vt_collect_set(Bool on)
{
   Bool was = vt_mm.collecting;
   VT_BOTH(vt_set_collecting, on);
   if (on == was)
      return;
   ULong now = vt_insns;
   if (on) {
      begin(now);
      return;
   }
   paused_ever = True;
   if (nr_periods <= MAX_PERIODS)
      period_to[nr_periods - 1] = now;
   closed_insns += now - since;
}

/* A forked child: its figures start afresh on its own clock (0), so does
   what it collected: a period open at the fork begins at 0. */
void vt_collect_child(void)
{
   nr_periods = 0;
   closed_insns = 0;
   paused_ever = !vt_mm.collecting;
   if (vt_mm.collecting)
      begin(0);
}

Bool vt_collect_partial(void)
{
   return paused_ever;
}

ULong vt_collect_insns(void)
{
   return closed_insns + (vt_mm.collecting ? vt_insns - since : 0);
}

UInt vt_collect_periods(void)
{
   return nr_periods;
}

/* run.collection, written only if collection was off at some time (a run
   that collects from start to end has no such key: its files are as they
   were before the key existed). */
void vt_collect_write(struct vt_out *o)
{
   if (!paused_ever)
      return;
   vt_out_fmt(o, ", \"collection\": {\"started\": %s, \"instructions\": %llu, "
                 "\"nr_periods\": %u, \"periods\": [",
              nr_periods ? "true" : "false", vt_collect_insns(), nr_periods);
   for (UInt i = 0; i < nr_periods && i < MAX_PERIODS; i++) {
      ULong to = i + 1 == nr_periods && vt_mm.collecting ? vt_insns : period_to[i];
      vt_out_fmt(o, "%s[%llu, %llu]", i ? ", " : "", period_from[i], to);
   }
   vt_out_str(o, "]}");
}

/* The log's Collection: line, after Pages touched:, when collection was
   off at some time. */
void vt_collect_print(void)
{
   if (!paused_ever)
      return;
   if (!nr_periods) {
      /* Nothing was counted, but the memory followed the program: say so,
         lest the resident pages and page tables below read as collected. */
      VG_(umsg)("Collection:     never started (--collect-atstart=no, no "
                "VMTRACE_START_COLLECTION): nothing counted;\n"
                "                resident pages and page tables below follow the "
                "program regardless\n");
      return;
   }
   VG_(umsg)("Collection:     %'llu of %'llu instructions, in %'u period%s (first from "
             "%'llu); only then counted\n", vt_collect_insns(), vt_insns, nr_periods,
             nr_periods == 1 ? "" : "s", period_from[0]);
}
