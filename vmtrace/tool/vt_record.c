/* vt_record.c: --trace-out-file, the page trace of each process image
   (vmtrace/core/vt_trace.h says what it holds and why; docs/output-format.md
   its bytes).  The generated code appends a word per reference to a buffer
   (vt_instrument.c: the address, size and kind; the clock where it changes;
   the end of each superblock); the core's writer encodes them when the
   buffer fills and before every event the core records of its own inputs.
   The file is written under a temporary name and renamed when whole.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_clientstate.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_mallocfree.h"
#include "pub_tool_options.h"
#include "pub_tool_xarray.h"
#include "vt_tool.h"
#include "vt_trace.h"

ULong  vt_rec_buf[VT_REC_WORDS];
ULong *vt_rec_ptr = vt_rec_buf;
Bool   vt_recording;

static struct vt_trace_writer *writer;
static Int    rec_fd = -1;
static HChar *rec_name, *rec_tmp;
static Bool   rec_failed;
static ULong  rec_bytes;
static ULong  rec_id;           /* names this trace to its children's */

static void rec_write(void *ctx, const void *buf, size_t len)
{
   (void)ctx;
   const HChar *p = buf;
   while (len && !rec_failed) {
      Int n = VG_(write)(rec_fd, p, len > (1u << 30) ? (Int)(1u << 30) : (Int)len);
      if (n <= 0) {
         rec_failed = True;
         break;
      }
      p += n;
      len -= (size_t)n;
      rec_bytes += (ULong)n;
   }
}

/* The words recorded so far, to the writer. */
void vt_rec_flush(void)
{
   if (writer && vt_rec_ptr > vt_rec_buf)
      vt_trace_raw(writer, vt_rec_buf, (size_t)(vt_rec_ptr - vt_rec_buf));
   vt_rec_ptr = vt_rec_buf;
}

static void rec_sync(void *ctx)
{
   (void)ctx;
   vt_rec_flush();
}

/* A trace's id: 64 random bits (the time and pid if /dev/urandom cannot
   be read), so that a forked child's trace names its parent's beyond
   doubt, whatever the files are called and wherever they are copied. */
static ULong new_id(void)
{
   ULong id = 0;
   SysRes sr = VG_(open)("/dev/urandom", VKI_O_RDONLY, 0);
   if (!sr_isError(sr)) {
      if (VG_(read)((Int)sr_Res(sr), &id, sizeof id) != (Int)sizeof id)
         id = 0;
      VG_(close)((Int)sr_Res(sr));
   }
   if (id == 0)
      id = (vt_start_time_ms << 22) ^ ((ULong)VG_(getpid)() << 1) ^ 0x9e3779b97f4a7c15ULL;
   return id;
}

/* The header: what a reader wants to know before the references. */
static void header(HChar *buf, SizeT n, Int parent_pid, ULong parent_id)
{
   HChar cmd[1024];
   VG_(client_cmd_and_args)(cmd, sizeof cmd);
   SizeT used = (SizeT)VG_(snprintf)(buf, n,
      "{\"format\": \"vmtrace-trace\", \"version\": %d, \"tool\": \"vmtrace " VT_VERSION "\", "
      "\"id\": \"%016llx\", \"pid\": %d, \"ppid\": %d, \"parent\": ",
      VT_TRACE_VERSION, rec_id, VG_(getpid)(), vt_ppid);
   if (parent_pid)
      used += (SizeT)VG_(snprintf)(buf + used, n - used,
                                   "{\"pid\": %d, \"id\": \"%016llx\"}", parent_pid, parent_id);
   else
      used += (SizeT)VG_(snprintf)(buf + used, n - used, "null");
   used += (SizeT)VG_(snprintf)(buf + used, n - used, ", \"page_size\": 4096, \"command\": ");
   /* the command as a JSON string */
   buf[used++] = '"';
   for (const HChar *s = cmd; *s && used + 8 < n; s++) {
      UChar ch = (UChar)*s;
      if (ch == '"' || ch == '\\')
         buf[used++] = '\\', buf[used++] = (HChar)ch;
      else if (ch < 0x20 || ch >= 0x7f)
         used += (SizeT)VG_(snprintf)(buf + used, n - used, "\\u%04x", ch);
      else
         buf[used++] = (HChar)ch;
   }
   VG_(snprintf)(buf + used, n - used, "\", \"start_time\": %llu.%03llu}",
                 vt_start_time_ms / 1000, vt_start_time_ms % 1000);
}

/* ---- what a tree's replay needs (vmtrace-sim --tree) -----------------------

   The wall clock, so that the traces of a process tree interleave as they
   ran: at the start and after every system call, in microseconds since the
   epoch.  After is enough: whatever a process did before a call that lets
   another go on (a write to a pipe, an exit) lies in the stretch that began
   when its previous call returned, earlier than the other's call returns.
   And the process's oom_score_adj, which the OOM killer weighs. */
static Int rec_adj;               /* the oom_score_adj recorded last */
static ULong rec_clock;           /* the clock recorded last */

void vt_rec_clock(void)
{
   if (!writer)
      return;
   struct vki_timeval tv;
   if (VG_(gettimeofday)(&tv, NULL) != 0)
      return;
   ULong us = (ULong)tv.tv_sec * 1000000 + (ULong)tv.tv_usec;
   if (us > rec_clock) {             /* a reading like the last adds nothing;
                                        one before it (the clock was set
                                        back) neither: the trace's clock
                                        never goes backwards */
      rec_clock = us;
      vt_trace_clock(&vt_mm, us);
   }
}

static Int read_oom_adj(void)
{
   SysRes sr = VG_(open)("/proc/self/oom_score_adj", VKI_O_RDONLY, 0);
   if (sr_isError(sr))
      return 0;
   HChar buf[16];
   Int n = VG_(read)((Int)sr_Res(sr), buf, sizeof buf - 1);
   VG_(close)((Int)sr_Res(sr));
   if (n <= 0)
      return 0;
   buf[n] = 0;
   return (Int)VG_(strtoll10)(buf, NULL);
}

/* After a small write to fd: if fd is a process's oom_score_adj, what this
   process's is now (recorded if it changed). */
void vt_rec_oom_adj_write(Int fd)
{
   if (!writer)
      return;
   HChar target[256];
   SizeT n = vt_fd_path(fd, target, sizeof target) ? VG_(strlen)(target) : 0;
   if (n < 14 || VG_(strcmp)(target + n - 14, "/oom_score_adj") != 0)
      return;
   Int adj = read_oom_adj();
   if (adj != rec_adj) {
      rec_adj = adj;
      vt_trace_oom_adj(&vt_mm, adj);
   }
}

/* The process used something the model cannot see (run.unmodelled):
   said in the trace where it first did, so that a replay says it too. */
void vt_rec_unmodelled(UInt what)
{
   if (!writer)
      return;
   tl_assert(what < VT_NR_UNMODELLED);
   vt_trace_unmodelled(&vt_mm, vt_unmodelled_names[what]);
}

/* Begins this process image's trace (at start, or in a forked child with
   its parent's pid and id and the place in the parent's trace). */
static void start(Int parent_pid, ULong parent_id, ULong parent_offset)
{
   if (!vt_clo.trace_out_file)
      return;
   rec_name = vt_image_file_name("--trace-out-file", vt_clo.trace_out_file, False);
   Bool in_place;
   HChar *target = vt_out_target(rec_name, &in_place);
   SysRes sr;
   if (in_place) {                   /* /dev/null, a FIFO: written as it is */
      rec_tmp = NULL;
      sr = VG_(open)(target, VKI_O_WRONLY | VKI_O_APPEND | 02000000 /* O_CLOEXEC */, 0);
   } else {
      SizeT n = VG_(strlen)(target) + 32;
      rec_tmp = VG_(malloc)("vt.rec", n);
      VG_(snprintf)(rec_tmp, n, "%s.tmp.%d", target, VG_(getpid)());
      sr = VG_(open)(rec_tmp, VKI_O_CREAT | VKI_O_TRUNC | VKI_O_WRONLY |
                     02000000 /* O_CLOEXEC */, 0644);
   }
   VG_(free)(target);
   if (sr_isError(sr)) {
      VG_(umsg)("error: cannot create the trace file '%s' (%s); no trace\n", rec_name,
                vt_errno_text(sr_Err(sr)));
      VG_(free)(rec_name);
      VG_(free)(rec_tmp);
      rec_name = rec_tmp = NULL;
      return;
   }
   rec_fd = (Int)sr_Res(sr);
   rec_failed = False;
   rec_clock = 0;
   rec_bytes = 0;
   static HChar head[2048];
   rec_id = new_id();
   header(head, sizeof head, parent_pid, parent_id);
   struct vt_trace_out out = { rec_write, rec_sync, NULL };
   writer = vt_trace_writer_new(&out, head);
   vt_rec_ptr = vt_rec_buf;
   vt_recording = True;
   vt_mm_set_trace(&vt_mm, writer, (vt_u64)parent_pid, parent_id, parent_offset);
   /* a forked child inherits its parent's run.unmodelled, and says so in
      its own trace (a reader of it alone need not read the parent's) */
   for (UInt i = 0; parent_pid && i < VT_NR_UNMODELLED; i++)
      if (vt_unmodelled & (1u << i))
         vt_rec_unmodelled(i);
   if (!parent_pid) {            /* a forked child: after its FORK_CHILD */
      vt_rec_clock();
      rec_adj = read_oom_adj();
      vt_trace_oom_adj(&vt_mm, rec_adj);
   }
}

/* The image ends (exit, execve): the trace is ended and moved into place. */
void vt_rec_end(void)
{
   if (!writer)
      return;
   vt_rec_flush();
   vt_mm_set_trace(&vt_mm, NULL, 0, 0, 0);
   vt_trace_writer_end(writer);
   writer = NULL;
   rec_clock = 0;
   VG_(close)(rec_fd);
   rec_fd = -1;
   HChar *final = vt_exec_pending
      ? vt_image_file_name("--trace-out-file", vt_clo.trace_out_file, True) : rec_name;
   Bool in_place;
   HChar *target = vt_out_target(final, &in_place);
   struct vg_stat st;
   ULong size = !rec_tmp ? rec_bytes
              : sr_isError(VG_(stat)(rec_tmp, &st)) ? 0 : (ULong)st.size;
   if (rec_failed || size != rec_bytes ||
       (rec_tmp && VG_(rename)(rec_tmp, target) != 0)) {
      VG_(umsg)("error: writing the trace file '%s' failed (%llu of %llu bytes "
                "written): no file left\n", final, size, rec_bytes);
      if (rec_tmp)
         VG_(unlink)(rec_tmp);
   } else if (VG_(clo_verbosity) > 1) {
      VG_(umsg)("Trace written to %s (%llu bytes)\n", final, rec_bytes);
   }
   VG_(free)(target);
   if (final != rec_name)
      VG_(free)(final);
   VG_(free)(rec_name);
   VG_(free)(rec_tmp);
   rec_name = rec_tmp = NULL;
}

/* References the kernel made inside a system call (reading a buffer the
   call passed, writing one it filled), one word per page. */
void vt_rec_kernel(Addr a, SizeT len, enum vt_access acc)
{
   if (!writer || len == 0)
      return;
   for (Addr p = a & VT_PAGE_MASK; p <= ((a + len - 1) & VT_PAGE_MASK); p += VT_PAGE_SIZE) {
      if (vt_rec_ptr == vt_rec_buf + VT_REC_WORDS)
         vt_rec_flush();
      *vt_rec_ptr++ = VT_TRAW(p, 1, acc) | VT_TRAW_KERNEL;
      if (p + VT_PAGE_SIZE == 0)
         break;
   }
}

/* The next page of a straddling access (vt_miss). */
void vt_rec_cont(void)
{
   if (!writer)
      return;
   if (vt_rec_ptr == vt_rec_buf + VT_REC_WORDS)
      vt_rec_flush();
   *vt_rec_ptr++ = VT_TRAW_CONT;
}

/* In a forked child: the parent's writer and file are the parent's (its
   buffered bytes too); the child's trace begins, naming where the
   parent's stood at the fork (this copy of its writer knows). */
void vt_rec_child(Int parent_pid)
{
   if (!writer)
      return;
   ULong parent_offset = vt_trace_offset(writer);
   vt_trace_writer_abandon(writer);
   writer = NULL;
   VG_(close)(rec_fd);
   rec_fd = -1;
   VG_(free)(rec_name);
   VG_(free)(rec_tmp);
   rec_name = rec_tmp = NULL;
   vt_rec_ptr = vt_rec_buf;
   start(parent_pid, rec_id, parent_offset);
}

void vt_rec_start(void)
{
   start(0, 0, 0);
}

/* The id in this image's trace header, 0 if it records none. */
ULong vt_rec_trace_id(void)
{
   return writer ? rec_id : 0;
}
