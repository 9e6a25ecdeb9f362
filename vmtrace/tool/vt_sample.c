/* vt_sample.c: when samples of the timeline are taken and epochs of the
   working set begin.  On the virtual clock: samples every interval (the
   core's vt_wset_next, which grows as samples merge), epochs every
   vt_wset_config.epoch instructions (vt_wset_next_epoch, fixed), both
   checked at the entry of every superblock (vt_instrument.c's
   add_sample_check); samples also between them at fork, so a process
   blocked in waitpid shows its sharing, and at the end.  The simulations'
   periodic work (NRU resets, AGING shifts) is scheduled here too.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_libcassert.h"
#include "vt_tool.h"

/* The next clock at which vt_sample_tick must run.  After a new epoch
   the filter's entries are of an older mark (vt_filter_epoch_at), so each
   page's first reference in it reaches the simulator (the working set and
   the heatmap count exactly those). */
ULong vt_next_sample = ~0ULL;

static ULong next_wset_sample(void)
{
   return vt_clo.timeline ? vt_wset_next(&vt_mm) : ~0ULL;
}

static ULong next_epoch(void)
{
   return vt_clo.timeline ? vt_wset_next_epoch(&vt_mm) : ~0ULL;
}

/* Closes the open sample at the current clock, at wall-clock time wall_ms. */
static void take_sample(ULong wall_ms)
{
   struct vt_sample_host h = { wall_ms, 0, 0, 0 };
   vt_share_pss(&h.pss_x1000, &h.uss);
   h.dup = vt_share_dup();
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   UInt k = vt_mm.ws ? vt_mm.ws->nr : 0;
   vt_cmp_sample(k);
   vt_wset_sample(&vt_mm, vt_insns, &h);
   if (vt_mm.ws && vt_mm.ws->nr != k + 1)
      vt_cmp_merge(k + 1);             /* the samples were full */
}

/* The next time vt_sample_tick must run: a sample boundary, an epoch's,
   a tick of a simulation's periodic work or a look at the wall clock for
   the progress line, whichever comes first. */
void vt_sample_init(void)
{
   vt_clock_drain();
   vt_next_sample = next_wset_sample();
   if (next_epoch() < vt_next_sample)
      vt_next_sample = next_epoch();
   if (vt_mm.nr_sims && vt_memsim_next_tick() < vt_next_sample)
      vt_next_sample = vt_memsim_next_tick();
   if (vt_progress_next < vt_next_sample)
      vt_next_sample = vt_progress_next;
   /* the packed clock's check (drained just now): the next sample, or
      the next drain, whichever comes first */
   ULong left = vt_next_sample > vt_insns ? vt_next_sample - vt_insns : 0;
   vt_clock_limit = ((vt_clock >> VT_CLOCK_SHIFT) + (left < VT_CLOCK_DRAIN ? left : VT_CLOCK_DRAIN))
                    << VT_CLOCK_SHIFT;
}

/* vt_sample_tick when due at a superblock's entry, for the checks whose
   mark is the clock's epoch (vt_instrument.c's clock_mark): a new epoch
   makes the superblock's first check miss, and its handler calls this. */
void vt_sample_tick_due(void)
{
   if (vt_insns >= vt_next_sample)
      vt_sample_tick();
}

/* After an exit of a superblock that was not taken, before the next
   reference (vt_instrument.c's exit_ticks), when vt_sample_tick is due:
   the simulations' periodic work only, if due, at the clock the exit
   left, as that reference would run it with every reference passed on.
   The rest (samples, epochs, the progress line, the clock's drain) waits
   for the next superblock's entry, so the samples fall where they did. */
void vt_sample_exit_tick(void)
{
   if (vt_mm.nr_sims && vt_insns >= vt_memsim_next_tick())
      vt_memsim_advance(vt_insns);
}

void vt_sample_tick(void)
{
   /* the packed clock's check also calls when only a drain is due
      (vt_sample_init drains it) */
   if (vt_insns < vt_next_sample) {
      vt_sample_init();
      return;
   }
   if (vt_insns >= vt_progress_next)
      vt_progress_tick();             /* prints nothing into any figure */
   /* The simulations' periodic work (NRU resets, aging) first: it clears
      referenced bits, and references from now on must reach them. */
   if (vt_mm.nr_sims && vt_insns >= vt_memsim_next_tick())
      vt_memsim_advance(vt_insns);
   while (vt_insns >= next_wset_sample())
      take_sample(vt_wall_ms());
   /* After the samples: a regular sample closes the epoch that ends with
      it (the interval is a multiple of the epoch), and its working set is
      that of the epochs up to there. */
   Bool flush = False;
   if (vt_insns >= next_epoch()) {
      flush = True;
      vt_wset_epoch(&vt_mm, vt_insns);
   }
   vt_sample_init();
   if (flush)
      vt_filter_epoch_at(&vt_flt, vt_mm.ws->epoch_abs);
}

/* Closes the open sample unless one closed at this very instruction. */
static void close_sample(ULong wall_ms)
{
   const struct vt_wset *w = vt_mm.ws;
   if (w && !(w->nr && w->t[w->nr - 1] == vt_insns))
      take_sample(wall_ms);
}

/* At the end (exit, exec): the open sample is closed where the run ends. */
void vt_sample_final(void)
{
   close_sample(vt_wall_ms());
}

/* A sample now, between the regular ones, stamped with wall-clock time
   wall_ms: the moment the state it records began.  At fork: a process
   blocked in waitpid executes nothing, so its samples would not show the
   sharing; and the parent's sharing begins at the fork, before the child,
   which may already have taken samples of its own. */
void vt_sample_now_at(ULong wall_ms)
{
   if (!vt_mm.ws)
      return;
   close_sample(wall_ms);
   vt_sample_init();
}

/* Around a system call that may keep the process waiting (wait4, a
   sleep, a read from a pipe: vt_syscall.c says which): while it waits its
   own memory does not change, but the tree's may (a child copying the
   pages they share), and it takes no sample, so the state it has when it
   begins waiting is recorded then, and its sharing (PSS) again when it
   resumes.  At most one such pair per regular sample interval, and none
   without an instruction run since the last sample, so that a program
   making many calls cannot exhaust the samples; which calls take one does
   not depend on how long they wait, so runs repeat exactly. */
static ULong block_interval = ~0ULL;   /* the interval of the last pair */

Bool vt_sample_block_begin(void)
{
   const struct vt_wset *w = vt_mm.ws;
   if (!w || (w->nr && w->t[w->nr - 1] == vt_insns))
      return False;
   ULong interval = vt_insns / w->interval;
   if (interval == block_interval)
      return False;
   block_interval = interval;
   vt_sample_now();
   return True;
}

void vt_sample_block_end(void)
{
   if (vt_mm.ws && vt_share_logging())
      vt_sample_resume(vt_wall_ms());
}

/* A second sample at the same instruction count, stamped later: the same
   memory, the sharing as it is now. */
void vt_sample_resume(ULong wall_ms)
{
   take_sample(wall_ms);
   vt_sample_init();
}

void vt_sample_now(void)
{
   vt_sample_now_at(vt_wall_ms());
}
