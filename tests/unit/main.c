/* main.c: core_test, the native unit tests of vmtrace's simulator core
   (vmtrace/core).  Every expected figure is derived from page arithmetic
   and Linux's fault paths in the comment next to it, never copied from a
   run.

   One file a behaviour, tests/unit/NAME_test.c (the page tables,
   anonymous memory, fault-around, fork's copy or reuse, ...), each
   exporting NAME_tests(), which runs its tests through run_test; unit.h
   and unit.c hold what they share (the harness, the host interface,
   helpers that make, map and access an address space).

   Usage: core_test [NAME...]  (default: every group, in the order below)

   Output is TAP-like: one "ok N - name" / "not ok N - name" line per test,
   failures followed by "# expected X, got Y" diagnostics, then "1..N".
   The exit status is 1 if any test failed.

   Built by make check (Makefile.am: tests_unit_core_test_SOURCES, with the
   sanitizers, on tests/libvtcore_san.a); tests/unit/run builds and runs it.
   By hand:
     cc -std=c11 -Wall -Wextra -Werror -O1 -g -fsanitize=address,undefined \
        -I vmtrace/core vmtrace/core/\*.c tests/unit/\*.c -o core_test

   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static const struct { const char *name; void (*fn)(void); } groups[] = {
   { "pgtable", pgtable_tests },
   { "anon", anon_tests },
   { "thp", thp_tests },
   { "filter", filter_tests },
   { "fault_around", fault_around_tests },
   { "place", place_tests },
   { "file", file_tests },
   { "vma", vma_tests },
   { "mremap", mremap_tests },
   { "brk", brk_tests },
   { "madvise", madvise_tests },
   { "mlock", mlock_tests },
   { "stack", stack_tests },
   { "invalid", invalid_tests },
   { "labels", labels_tests },
   { "invalidate", invalidate_tests },
   { "fork", fork_tests },
   { "property", property_tests },
   { "wset", wset_tests },
   { "text", text_tests },
};

int main(int argc, char **argv)
{
   const size_t n = sizeof groups / sizeof groups[0];
   for (int a = 1; a < argc; a++) {
      size_t g = 0;
      while (g < n && strcmp(argv[a], groups[g].name) != 0)
         g++;
      if (g == n) {
         fprintf(stderr, "core_test: no test group '%s'; the groups:", argv[a]);
         for (g = 0; g < n; g++)
            fprintf(stderr, " %s", groups[g].name);
         fputc('\n', stderr);
         return 2;
      }
   }
   setvbuf(stdout, NULL, _IOLBF, 0);
   vt_core_init(&unit_host_ops, &R);
   for (size_t g = 0; g < n; g++) {
      bool run = argc < 2;
      for (int a = 1; a < argc; a++)
         run |= strcmp(argv[a], groups[g].name) == 0;
      if (run)
         groups[g].fn();
   }
   return tap_done();
}
