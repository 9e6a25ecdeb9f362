/* unit.h: what the core's unit tests (tests/unit/NAME_test.c) share: the
   TAP-like harness, the host interface, and helpers around the core that
   make an address space, map, access and describe it.
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef UNIT_H
#define UNIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt_core.h"

/* ---- the harness (unit.c) ------------------------------------------------

   run_test runs one test: its EXPECT_* failures are gathered as "#"
   diagnostics and printed after its "ok N - name" / "not ok N - name"
   line; a core panic fails it (the panic longjmps back here) and destroys
   the mm it was using.  tap_done prints "1..N" and returns the exit
   status. */
void run_test(const char *name, void (*fn)(void));
int  tap_done(void);

extern bool cur_fail;          /* the running test has failed */
/* Comment lines printed after the test's line whether it passed or not. */
extern char note[1024];
void diagf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void fail_at(int line, const char *what, const char *exp, const char *got);
void expect_u64(int line, const char *what, vt_u64 exp, vt_u64 got);
void expect_fc(int line, const char *what, int exp, int got);
void expect_str(int line, const char *what, const char *exp, const char *got);

#define EXPECT_EQ(exp, got) \
   expect_u64(__LINE__, #got, (vt_u64)(exp), (vt_u64)(got))
#define EXPECT_TRUE(c) \
   do { if (!(c)) fail_at(__LINE__, #c, "true", "false"); } while (0)
#define EXPECT_FALSE(c) \
   do { if (c) fail_at(__LINE__, #c, "false", "true"); } while (0)
#define EXPECT_FC(exp, got) expect_fc(__LINE__, #got, (int)(exp), (int)(got))
#define EXPECT_STR(exp, got) expect_str(__LINE__, #got, (exp), (got))

/* No fault taken by an access. */
#define NOF (-1)
/* A fault class's name ("no fault" for NOF). */
const char *fc_name(int c);

/* ---- the host interface (unit.c) -----------------------------------------

   Memory, panic, and the invalidate and fault callbacks, which record into
   R (the host's ctx).  A test group that needs more of the host (fork's
   frame ops: fork_test.c) copies these and adds its own, and hands
   unit_host_ops back to vt_core_init when it is done. */
extern const struct vt_host_ops unit_host_ops;

/* What the callbacks saw. */
struct rec {
   unsigned nfaults;
   enum vt_fault_class cls;
   int reason;
   vt_addr addr;
   enum vt_access acc;
   unsigned ninv;
   vt_addr inv[512][2];
};
extern struct rec R;

/* ---- helpers around the core (unit.c) --------------------------------- */

#define PG    ((vt_addr)4096)
#define KB64  ((vt_addr)64 << 10)
#define MB2   ((vt_addr)2 << 20)
#define GB1   ((vt_addr)1 << 30)
#define GB512 ((vt_addr)1 << 39)
/* 1 TiB: aligned to every table level (512 GiB is the PGD entry size). */
#define BASE  ((vt_addr)1 << 40)

#define R_  VT_VM_READ
#define W_  VT_VM_WRITE
#define X_  VT_VM_EXEC
#define S_  VT_VM_SHARED
#define RW  (VT_VM_READ | VT_VM_WRITE)
#define RX  (VT_VM_READ | VT_VM_EXEC)

/* The mm a test is using (mm_new sets it), destroyed after a core panic. */
extern struct vt_mm *cur_mm;

/* A fresh address space (the default configuration but for these two);
   R is cleared. */
struct vt_mm *mm_new(unsigned fault_around_pages, bool zero_page);
void mm_free(struct vt_mm *mm);

/* The result of the last access made through acc_line. */
extern unsigned last_res;

/* One access; returns the class of the fault it took (NOF: none), as the
   on_fault callback reported it. */
int acc_line(int line, struct vt_mm *mm, vt_addr a, enum vt_access acc);
#define RD(mm, a) acc_line(__LINE__, (mm), (a), VT_ACC_READ)
#define WR(mm, a) acc_line(__LINE__, (mm), (a), VT_ACC_WRITE)
#define EX(mm, a) acc_line(__LINE__, (mm), (a), VT_ACC_EXEC)

int map_req(struct vt_mm *mm, vt_addr start, vt_u64 npages, uint32_t flags,
            struct vt_file *f, vt_u64 pgoff, bool populate,
            enum vt_map_kind kind);
int map_anon(struct vt_mm *mm, vt_addr start, vt_u64 npages, uint32_t flags);
int map_file(struct vt_mm *mm, vt_addr start, vt_u64 npages, uint32_t flags,
             struct vt_file *f, vt_u64 pgoff);

/* The next inode number reg_file and shm_file give. */
extern vt_u64 next_ino;
/* A regular file (in the page cache) of the given size in bytes. */
struct vt_file *reg_file(struct vt_mm *mm, vt_u64 bytes);
/* A tmpfs / memfd file. */
struct vt_file *shm_file(struct vt_mm *mm, vt_u64 bytes);

bool present(struct vt_mm *mm, vt_addr a);
bool pte_has(struct vt_mm *mm, vt_addr a, vt_pte bit);
/* Counts present PTEs in [start, start + n pages). */
unsigned count_present(struct vt_mm *mm, vt_addr start, unsigned n);
/* The VMA list as text, addresses in pages relative to base:
   "0-3 rw-p m0, 5-8 rw-p m0". */
const char *vmas_str(struct vt_mm *mm, vt_addr base);
/* Whether the invalidate calls recorded since R.ninv was `from` cover
   every page of [start, end). */
bool inval_covers(unsigned from, vt_addr start, vt_addr end);

uint32_t phase_id(struct vt_mm *mm, const char *name);
struct vt_label *label_named(struct vt_mm *mm, const char *name);
/* Label l's figure in phase: touched pages (cls < 0) or faults of class
   cls. */
vt_u64 lphase(struct vt_mm *mm, struct vt_label *l, const char *phase, int cls);

/* ---- the test groups, one a file, in the order main.c runs them ------- */
void pgtable_tests(void);        /* pgtable_test.c */
void anon_tests(void);           /* anon_test.c */
void thp_tests(void);            /* thp_test.c */
void filter_tests(void);         /* filter_test.c */
void fault_around_tests(void);   /* fault_around_test.c */
void place_tests(void);          /* place_test.c */
void file_tests(void);           /* file_test.c */
void vma_tests(void);            /* vma_test.c */
void mremap_tests(void);         /* mremap_test.c */
void brk_tests(void);            /* brk_test.c */
void madvise_tests(void);        /* madvise_test.c */
void mlock_tests(void);          /* mlock_test.c */
void stack_tests(void);          /* stack_test.c */
void invalid_tests(void);        /* invalid_test.c */
void labels_tests(void);         /* labels_test.c */
void invalidate_tests(void);     /* invalidate_test.c */
void fork_tests(void);           /* fork_test.c */
void property_tests(void);       /* property_test.c */
void wset_tests(void);           /* wset_test.c */
void text_tests(void);           /* text_test.c */

#endif
