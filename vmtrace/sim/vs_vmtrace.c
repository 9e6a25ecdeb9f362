/* vs_vmtrace.c: vmtrace's own traces (--trace-out-file, vt_trace.h).  A
   vmtrace trace is replayed by the core (vt_replay), which rebuilds the
   process's address space and feeds the simulations exactly as the tool
   did online; its references, in order, are also the stream the curves,
   OPT's future and the exports use.  Built with VT_HAVE_REPLAY once the
   core has its replay (vmtrace/core/replay.c); until then this build says
   it cannot read them.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vs.h"

#ifdef VT_HAVE_REPLAY
#include "vt_trace.h"

static long file_read(void *ctx, void *buf, size_t len)
{
   FILE *f = ctx;
   size_t n = fread(buf, 1, len, f);
   return n == 0 && ferror(f) ? -1 : (long)n;
}

struct keys_ctx {
   struct vs_stream *s;
   bool full;
};

/* Every reference the replay gives the simulations, in order; a prefault
   (fault-around, MAP_POPULATE) maps a page without referencing it. */
static void on_key(void *ctx, vt_u64 key, unsigned flags, vt_u64 time)
{
   struct keys_ctx *k = ctx;
   (void)time;
   if ((flags & VT_SIMA_PREFAULT) || k->full)
      return;
   uint32_t id = vs_stream_page(k->s, key, NULL);
   if (!vs_stream_push(k->s, id, (flags & VT_SIMA_WRITE) ? VS_W : 0,
                       (uint32_t)(k->s->n + 1)))
      k->full = true;
}

int vs_vmtrace_stream(const char *path, const struct vs_read_opts *o,
                      struct vs_stream *s, char *err, size_t errlen)
{
   FILE *f = fopen(path, "rb");
   if (!f) {
      vs_err(err, errlen, "%s: offset 0: cannot open: %s", path, strerror(errno));
      return -1;
   }
   struct vt_trace_in in = { file_read, f };
   const char *e = NULL;
   struct vt_trace_reader *r = vt_trace_reader_new(&in, &e);
   if (!r) {
      vs_err(err, errlen, "%s: %s", path, e ? e : "offset 0: not a vmtrace trace");
      fclose(f);
      return -1;
   }
   vs_stream_init(s, path, "vmtrace", o->keep_time);
   struct keys_ctx k = { s, false };
   struct vt_replay_env env = { .keys = on_key, .ctx = &k };
   int rc = vt_replay(r, NULL, 0, &env, &e);
   vt_trace_reader_free(r);
   fclose(f);
   if (rc) {
      vs_err(err, errlen, "%s: %s", path, e ? e : "replay failed");
      vs_stream_free(s);
      return -1;
   }
   if (k.full) {
      vs_err(err, errlen, "%s: more than %u references: vmtrace-sim cannot hold them",
             path, VS_MAX_REFS);
      vs_stream_free(s);
      return -1;
   }
   vs_stream_done(s);
   return 0;
}

#else

int vs_vmtrace_stream(const char *path, const struct vs_read_opts *o,
                      struct vs_stream *s, char *err, size_t errlen)
{
   (void)o;
   (void)s;
   vs_err(err, errlen, "%s: offset 0: a vmtrace trace, which this build cannot replay "
          "yet (the core's replay is not in it)", path);
   return -1;
}

#endif
