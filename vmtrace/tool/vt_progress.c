/* vt_progress.c: the progress line of a long run (--progress): wall time,
   instructions, faults, resident pages and the simulations still running,
   every few seconds.  On a terminal one line is rewritten in place; in a
   file or a pipe each report is a line of its own, and only when asked
   for, so that the log of a run that did not ask stays as it was.
   The wall clock is read at superblock boundaries (vt_sample_tick), at
   most once per CHECK_INSNS instructions: reading it costs a system call.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_options.h"
#include "pub_tool_xarray.h"
#include "vt_tool.h"

#define CHECK_INSNS (1ULL << 20)
#define AUTO_MS 2000                 /* --progress=auto on a terminal */

ULong vt_progress_next = ~0ULL;      /* the instruction count of the next check */
static UInt interval_ms;             /* 0: no progress line */
static Bool on_terminal;             /* rewrite one line in place */
static Bool shown;                   /* a rewritten line is on the terminal */
static UInt start_ms, next_ms;

/* The file descriptor the log goes to, as Valgrind's own options set it
   (the last of --log-fd, --log-file, --log-socket wins); -1 if it is not
   a descriptor this process inherited (a file or socket Valgrind opens). */
static Int log_fd(void)
{
   Int fd = 2;
   for (Word i = 0; i < VG_(sizeXA)(VG_(args_for_valgrind)); i++) {
      const HChar *a = *(HChar **)VG_(indexXA)(VG_(args_for_valgrind), i);
      if (!VG_(strncmp)(a, "--log-fd=", 9))
         fd = (Int)VG_(strtoll10)(a + 9, NULL);
      else if (!VG_(strncmp)(a, "--log-file=", 11) || !VG_(strncmp)(a, "--log-socket=", 13))
         fd = -1;
   }
   return fd;
}

/* Is fd a terminal?  Without ioctl(TCGETS) in the tool's API: a character
   device of a terminal's major number (the consoles and serial lines 4,
   /dev/tty and /dev/console 5, the pseudo-terminals' slaves 136-143). */
static Bool is_terminal(Int fd)
{
   struct vg_stat st;
   if (fd < 0 || VG_(fstat)(fd, &st) != 0 || !VKI_S_ISCHR(st.mode))
      return False;
   ULong major = ((st.rdev >> 8) & 0xfff) | ((st.rdev >> 32) & ~0xfffULL);
   return major == 4 || major == 5 || (major >= 136 && major <= 143);
}

void vt_progress_init(void)
{
   on_terminal = is_terminal(log_fd());
   if (vt_clo.progress_ms == VT_PROGRESS_AUTO)
      interval_ms = on_terminal && VG_(clo_verbosity) > 0 ? AUTO_MS : 0;
   else
      interval_ms = vt_clo.progress_ms;     /* asked for: even with -q */
   if (!interval_ms)
      return;
   start_ms = VG_(read_millisecond_timer)();
   next_ms = start_ms + interval_ms;
   vt_progress_next = vt_insns + CHECK_INSNS;
}

/* A forked child reports its own progress, from its start. */
void vt_progress_child(void)
{
   shown = False;
   if (!interval_ms)
      return;
   start_ms = VG_(read_millisecond_timer)();
   next_ms = start_ms + interval_ms;
}

/* 1234 -> "1,234"; from ten thousand on, three figures and k, M, G, T. */
static const HChar *short_count(ULong v, HChar *buf, SizeT n)
{
   static const HChar units[] = "kMGT";
   if (v < 10000) {
      VG_(snprintf)(buf, n, "%'llu", v);
      return buf;
   }
   ULong scale = 1000;
   UInt u = 0;
   while (u < 3 && v >= scale * 1000)
      scale *= 1000, u++;
   ULong whole = v / scale, frac = v % scale;
   if (whole >= 100)
      VG_(snprintf)(buf, n, "%llu%c", whole, units[u]);
   else if (whole >= 10)
      VG_(snprintf)(buf, n, "%llu.%llu%c", whole, frac / (scale / 10), units[u]);
   else
      VG_(snprintf)(buf, n, "%llu.%02llu%c", whole, frac / (scale / 100), units[u]);
   return buf;
}

static void report(UInt now_ms)
{
   UInt el = now_ms - start_ms;
   const struct vt_counts *t = &vt_mm.total;
   UInt sims = vt_mm.nr_sims, running = 0;
   for (UInt i = 0; i < sims; i++)
      running += !vt_mm.sim_stopped[i];
   if (on_terminal) {
      /* short enough for 80 columns, so that \r goes back to its start */
      HChar ins[32], simtxt[48] = "";
      if (sims)
         VG_(snprintf)(simtxt, sizeof simtxt, ", %u/%u sims running", running, sims);
      VG_(message_flush)();
      VG_(printf)("\r==%d== %u.%u s: %s insns, %'llu faults, %'llu resident%s\x1b[K",
                  VG_(getpid)(), el / 1000, el % 1000 / 100,
                  short_count(vt_insns, ins, sizeof ins),
                  vt_counts_minor(t) + vt_counts_major(t), vt_mm.rss, simtxt);
      shown = True;
   } else {
      HChar simtxt[64] = "";
      if (sims)
         VG_(snprintf)(simtxt, sizeof simtxt, ", %u of %u simulations running", running,
                       sims);
      VG_(umsg)("progress: %u.%u s, %'llu instructions, %'llu faults (%'llu major), "
                "%'llu pages resident%s\n", el / 1000, el % 1000 / 100, vt_insns,
                vt_counts_minor(t) + vt_counts_major(t), vt_counts_major(t), vt_mm.rss,
                simtxt);
   }
}

/* From vt_sample_tick, once vt_insns reached vt_progress_next. */
void vt_progress_tick(void)
{
   vt_progress_next = vt_insns + CHECK_INSNS;
   UInt now = VG_(read_millisecond_timer)();
   if ((Int)(now - next_ms) < 0)
      return;
   report(now);
   while ((Int)(now - next_ms) >= 0)
      next_ms += interval_ms;
}

/* Before any other message, and at the end: the rewritten line goes. */
void vt_progress_clear(void)
{
   if (!shown)
      return;
   VG_(printf)("\r\x1b[K");
   shown = False;
}
