"""Address-space edge cases: munmap, mprotect, mremap, brk, madvise, a huge
reservation, folding of unmapped mappings."""

from vmtest import PAGE, Expect, RunSpec
from .scenario import MiB, scenario
from .checks import (cheap, consistent, fault_lines, folded, mapping_figures, tool_memory,
                     phase_figures, same_mapping, total_at_least, vma_layout)


# ---- 3. address-space edge cases ------------------------------------
# Partial munmap: 10 pages written (10 first writes: 10 `anon`); pages
# 3..6 unmapped; the 6 left are mapped writable still: 0.  The mapping is
# now two VMAs, [0,3) and [7,10), holding 6 resident pages.
scenario("aspace/munmap-partial", "munmap_partial", [], [
    Expect("region", "write", pages=10, anon=10),
    Expect("region", "rewrite"),
], facts={"vmas": 2, "resident": 6}, checks=[
    vma_layout("region", [(0, 3, "rw-p"), (7, 10, "rw-p")]),
    mapping_figures("region", resident=6, anon=10),
])
# mprotect split: 10 pages written (10 `anon`); pages 4..5 made read-only
# splits the VMA in three; page 0 is in an untouched part, still writable:
# 0.  "hold" exits here.  Made read-write again, Linux merges the three
# VMAs back into one (vma_modify_flags / vma_merge) and, since 6.0,
# change_pte_range makes exclusive anonymous pages writable right away
# (MM_CP_TRY_CHANGE_WRITABLE): writing page 4 costs 0, not a wp_reuse.
scenario("aspace/mprotect-split hold", "mprotect_split", ["hold"], [
    Expect("region", "write", pages=10, anon=10),
    Expect("region", "write0"),
], facts={"vmas-split": 3}, checks=[
    vma_layout("region", [(0, 4, "rw-p"), (4, 6, "r--p"), (6, 10, "rw-p")]),
    mapping_figures("region", resident=10, anon=10),
])
scenario("aspace/mprotect-split restore", "mprotect_split", [], [
    Expect("region", "write", pages=10, anon=10),
    Expect("region", "write0"),
    Expect("region", "write4"),
], facts={"vmas-split": 3, "vmas-merged": 1}, checks=[
    vma_layout("region", [(0, 10, "rw-p")]),
    mapping_figures("region", resident=10, anon=10),
])
# mremap move: 10 pages written at the old address (10 `anon`), moved with
# MREMAP_FIXED: move_page_tables carries the PTEs over, so writing them at
# the new address costs 0; grown in place to 20 pages: the 10 new pages
# are untouched, 10 `anon`.  The mapping keeps its figures through the
# move: 20 `anon`, 20 resident, one VMA of 20 pages.
scenario("aspace/mremap-move-grow", "mremap_move", [], [
    Expect("src", "write", pages=10, anon=10),
    Expect("dst", "move-write"),
    Expect("grown", "grow-write", pages=10, anon=10),
], facts={"vmas": 1}, checks=[
    same_mapping("dst", "grown"),
    vma_layout("dst", [(0, 20, "rw-p")]),
    mapping_figures("dst", resident=20, anon=20),
])
# brk: the break raised by 10 pages from a page boundary: 10 fresh heap
# pages, 10 `anon`; lowering it unmaps them (brk shrink is a munmap);
# raising it again gives fresh zero-filled pages: 10 `anon` again.
scenario("aspace/brk", "brk", [], [
    Expect("heap", "grow1", pages=10, anon=10),
    Expect("heap", "grow2", pages=10, anon=10),
])
# MADV_DONTNEED on private anonymous memory zaps the PTEs and frees the
# pages: the next write is a first write again, 10 `anon` twice.
scenario("aspace/madv-dontneed", "madv_dontneed", [], [
    Expect("region", "write", pages=10, anon=10),
    Expect("region", "rewrite", anon=10),
], checks=[mapping_figures("region", resident=10, anon=20)])
# An 8-byte access at (page boundary - 4) needs both pages: the CPU
# faults on the first, retries, faults on the second: 2 first touches.
scenario("aspace/straddle store", "straddle", ["store"], [
    Expect("pair", "access", pages=2, anon=2),
])
scenario("aspace/straddle load", "straddle", ["load"], [
    Expect("pair", "access", pages=2, zero=2),
])
# Four 8-byte accesses of one kind off one pointer in one superblock, 16
# bytes before a page boundary (tests/clients/group.c): two pages first
# touched, each at the first access to it (the second page's at p[2]
# going up, the first's at p[1] going down, as pushes go), whatever one
# check of the whole run (docs/manual.md, Speed) may do.
scenario("aspace/group", "group", [], [
    Expect("up", "up", pages=2, anon=2),
    Expect("down", "down", pages=2, anon=2),
    Expect("load", "load", pages=2, zero=2),
], checks=[fault_lines("group.c", {("anon", "up0"): 1, ("anon", "up2"): 1,
                                    ("anon", "down3"): 1, ("anon", "down1"): 1,
                                    ("zero", "load0"): 1, ("zero", "load2"): 1})])
# A huge PROT_NONE reservation with one page made writable and written:
# exactly one first write, 1 `anon`, whatever the size around it; the
# reservation is 3 VMAs (none, rw, none) of one mapping.  Natively 64 GiB;
# Valgrind 3.19 cannot give a client a 64 GiB mapping (no hole that big in
# its amd64 layout: EINVAL even under --tool=none), so vmtrace gets
# 32 GiB, and must not take long or use memory for the untouched pages: at
# most 30 s and 32 MiB above the same program with a 1 MiB reservation.
SPARSE_VM = 32 * 1024            # MiB
scenario("aspace/sparse-reservation", "sparse", ["65536"], [
    Expect("page", "write", pages=1, anon=1),
], vm_client_args=[str(SPARSE_VM)], checks=[
    mapping_figures("page", resident=1, anon=1),
    vma_layout("page", [(-SPARSE_VM * MiB // 2 // PAGE, 0, "---p"), (0, 1, "rw-p"),
                        (1, SPARSE_VM * MiB // 2 // PAGE, "---p")]),
    cheap(30, 32),
], extra_runs=lambda fp: [RunSpec("vmtrace", "sparse", ["1"], fast_path=fp)])


# One byte written at the start of each of 8192 strides of 2 MiB (a 16
# GiB reservation, no huge pages) and of 64 KiB: 8192 `anon`, one page
# touched a stride.  What the tool keeps for them (its peak RSS above the
# same run with one page, less what the 8191 more client pages cost under
# --tool=none) is bounded by its design (vmtrace/core/pgtable.c): per
# page one 256-byte chunk of its PTE table with the allocator's header
# and rounding (at most 48), one entry of the set of the kernel's PTE
# tables (24-byte entries at most half full: 144 bytes while the set
# doubles), a share of the PMD table and of a table's directory (8 + 8):
# 464 bytes (tests/perf/sparse-mem measures up to 499), 512 allowed; once
# the heatmap, 256 rows of 2,048 8-byte columns (4 MiB), and 2 MiB for the
# noise of peak RSS.  Whole 8 KiB PTE tables made the 2 MiB stride cost
# 9.1 KB a page here (73 MB; now 7 MiB, the heatmap's 4 included).
SPARSE_PAGES = 8192
for stride_kib in (2048, 64):
    scenario("aspace/sparse-pages %dK" % stride_kib, "sparse_pages",
             [str(stride_kib), str(SPARSE_PAGES)], [
        Expect("pages", "write", pages=SPARSE_PAGES, anon=SPARSE_PAGES),
    ], checks=[
        tool_memory(SPARSE_PAGES, 512, 6),
    ], extra_runs=lambda fp, s=stride_kib: [
        RunSpec("vmtrace", "sparse_pages", [str(s), "1"], fast_path=fp),
        RunSpec("none", "sparse_pages", [str(s), str(SPARSE_PAGES)]),
        RunSpec("none", "sparse_pages", [str(s), "1"])])


# ---- mapping folding ---------------------------------------------------------------------
# 10000 rounds of mmap 2 pages, write both, munmap: every round's pages are
# fresh (munmap freed the old ones): 2 `anon` a round, 20000, the only
# faults of the phase (one unlabelled round before it touched the loop's
# code and stack); each round's mapping is labelled "loop" again.  The
# 10000 unmapped mappings are folded (more than 4096 piled up, all of kind
# anon and named ""), so the list stays far below 4096 + the few dozen
# live ones; the sums over mappings still equal the totals.
scenario("aspace/fold-mmap-loop", "fold", [], [
    Expect("loop", "loop", pages=20000, anon=20000),
], checks=[
    phase_figures("loop", anon=20000),
    total_at_least("anon", 20000),
    folded(4200),
    consistent,
])
