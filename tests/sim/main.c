/* main.c: the native tests of simulated memory and replacement policies.
   Usage: sim_test [textbook|engine|policies|property]...  (default: all)
   SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "sim_test.h"

int main(int argc, char **argv)
{
   static const struct { const char *name; void (*fn)(void); } groups[] = {
      { "textbook", test_textbook }, { "engine", test_engine },
      { "policies", test_policies }, { "property", test_property },
      { "toy", test_toy_policy },
   };
   const int n = (int)(sizeof groups / sizeof groups[0]);
   vt_core_init(&test_host_ops, NULL);
   for (int g = 0; g < n; g++) {
      bool run = argc < 2;
      for (int a = 1; a < argc; a++)
         run |= strcmp(argv[a], groups[g].name) == 0;
      if (run)
         groups[g].fn();
   }
   if (t_failures)
      printf("# %d failed\n", t_failures);
   return t_failures ? 1 : 0;
}
