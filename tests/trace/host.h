/* host.h: the core's host interface for the trace test programs (replay,
   fuzz): the C library's memory, a panic that aborts (the sanitizers and
   the fuzz target see it), a simulation out of memory stopped as the
   tool's --oom=stop does.  trace_host_init(name) before anything else.
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TRACE_HOST_H
#define TRACE_HOST_H

#include <stdio.h>
#include <stdlib.h>

#include "vt_core.h"
#include "vt_sim.h"

static const char *trace_host_name = "trace";

static void *trace_host_alloc(size_t n)
{
   void *p = calloc(1, n ? n : 1);
   if (!p)
      abort();
   return p;
}

__attribute__((noreturn)) static void trace_host_panic(const char *msg)
{
   fprintf(stderr, "%s: the core panicked: %s\n", trace_host_name, msg);
   abort();
}

static void trace_host_oom(void *ctx, struct vt_mm *mm, uint32_t sim, vt_addr addr)
{
   (void)ctx; (void)addr;
   vt_mm_stop_sim(mm, sim);
}

static void trace_host_init(const char *name)
{
   static const struct vt_host_ops ops = { .alloc = trace_host_alloc, .free = free,
                                           .panic = trace_host_panic,
                                           .oom = trace_host_oom };
   trace_host_name = name;
   vt_core_init(&ops, NULL);
}

#endif
