/* host.c: the host interface (struct vt_host_ops), handed over once.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"

const struct vt_host_ops *vt_host;
void *vt_host_ctx;

void vt_core_init(const struct vt_host_ops *ops, void *ctx)
{
   vt_host = ops;
   vt_host_ctx = ctx;
}

void *vt_alloc(size_t n)
{
   return vt_host->alloc(n);
}

void vt_free(void *p)
{
   if (p)
      vt_host->free(p);
}

void vt_panic(const char *msg)
{
   vt_host->panic(msg);
}
