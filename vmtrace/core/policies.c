/* policies.c: the table of replacement policies (--policy= names).

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later */

#include "vt_sim.h"

const struct vt_policy_ops *const vt_policies[] = {
   &vt_policy_fifo, &vt_policy_lru, &vt_policy_lfu, &vt_policy_random,
   &vt_policy_clock, &vt_policy_nru, &vt_policy_aging, &vt_policy_wsclock,
   &vt_policy_linux, &vt_policy_arc, &vt_policy_opt, NULL
};

const struct vt_policy_ops *vt_policy_find(const char *name)
{
   for (int i = 0; vt_policies[i]; i++)
      if (vt_strcmp(vt_policies[i]->name, name) == 0)
         return vt_policies[i];
   return NULL;
}
