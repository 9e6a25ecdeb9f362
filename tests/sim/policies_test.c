/* policies_test.c: behaviour of single policies on small hand-made
   strings (the property tests compare them with the naive models).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "sim_test.h"

void test_policies(void)
{
}
