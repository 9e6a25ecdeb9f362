"""Transparent huge pages for private anonymous memory: the huge fault, the
huge zero page, splits (munmap, MADV_DONTNEED, mprotect, mremap) and
copy-on-write of a huge page after fork."""

from vmtest import Expect, RunSpec, machine_thp
from .scenario import scenario
from .checks import mapping_figures, misplaced
from .proc_checks import alone_at_exit, at

# Kernel background (mm/huge_memory.c, Linux 6.18 here).  A fault in a
# private anonymous VMA that THP may back (enabled=always, or madvise and
# MADV_HUGEPAGE) at an address whose aligned 2 MiB lies inside the VMA,
# with no PTE table there yet (pmd_none), is do_huge_pmd_anonymous_page: a
# write maps a new 2 MiB page with one PMD (`thp`); a read maps the huge
# zero page when use_zero_page is 1 (`thp_zero`), and a later write gives
# it way to a new huge page in one fault (do_huge_zero_wp_pmd, 6.12 on:
# `thp_wp_zero`).  A VMA split inside a huge PMD (munmap, mprotect, mremap
# of part of it: vma_adjust_trans_huge), MADV_DONTNEED of part of it
# (zap_pmd_range) and a move to an address aligned otherwise
# (move_page_tables) split the PMD into 512 PTEs, which keep mapping the
# same pages: no fault, RSS unchanged.  A huge PMD shared copy-on-write
# since fork, written, is split and the one 4 KiB page copied (5.8 on:
# no huge copy): `wp_copy` per page written; once no other process maps
# any of it, a write reuses the whole PMD (`thp_wp_reuse`).
#
# Every case passes --thp=madvise --thp-zero-page=yes and checks the
# kernel too where this machine has those settings (the client turns THP
# back on for itself: vmt_init turns it off) and 2 MiB PMDs; the kernel's
# AnonHugePages (smaps) is FACT anon-huge-kb, vmtrace's the output's
# totals.anon_huge_pages (pages mapped by huge PMDs at exit).
MB = 1 << 20
THP_ARGS = ["--thp=madvise", "--thp-zero-page=yes"]
MACHINE = machine_thp()
NATIVE = MACHINE == ("madvise", True, 2 * MB)


def huge_pages(n, position=None):
    """totals.anon_huge_pages at exit is n (of a process in a tree, at
    position, when given)."""
    def check(out, r, extra):
        if position is not None:
            out = out.image(position, -1).out
        got = (out.get("totals") or {}).get("anon_huge_pages")
        if got != n:
            return ["totals.anon_huge_pages: expected %d (%d huge pages), got %s"
                    % (n, n // 512, got)]
        return []
    return check


def shmem_pmd_pages(n):
    """totals.shmem_pmd_pages at exit is n (smaps' ShmemPmdMapped / 4 KiB,
    which the client reports natively as FACT shmem-pmd-kb)."""
    def check(out, r, extra):
        got = (out.get("totals") or {}).get("shmem_pmd_pages")
        if got != n:
            return ["totals.shmem_pmd_pages: expected %d, got %s" % (n, got)]
        return []
    return check


# 64 MiB, 2 MiB-aligned, MADV_HUGEPAGE, written one byte every 4 KiB: one
# fault per 2 MiB, 32 `thp` (the kernel's thp_fault_alloc rises by 32:
# FACT); all 16,384 pages resident and huge; writing again costs nothing.
scenario("thp/write", "thp", ["write"], [
    Expect("region", "write", pages=16384, thp=32),
    Expect("region", "rewrite"),
], vm_args=THP_ARGS, native=NATIVE,
    facts={"thp-fault-alloc-ge-32": 1, "anon-huge-kb": 65536},
    checks=[huge_pages(16384), mapping_figures("region", resident=16384)])

# The same without MADV_HUGEPAGE under enabled=madvise: 16,384 `anon`.
scenario("thp/no-madvise", "thp", ["no-madvise"], [
    Expect("region", "write", pages=16384, anon=16384),
    Expect("region", "rewrite"),
], vm_args=THP_ARGS, native=NATIVE, facts={"anon-huge-kb": 0},
    checks=[huge_pages(0)])

# --thp=always: the madvise is not needed (vmtrace only: the machine's
# setting is not always).
scenario("thp/no-madvise thp=always", "thp", ["no-madvise"], [
    Expect("region", "write", pages=16384, thp=32),
    Expect("region", "rewrite"),
], vm_args=["--thp=always"], checks=[huge_pages(16384)])

# --thp=never: 4 KiB pages whatever the madvise says.
scenario("thp/write thp=never", "thp", ["write"], [
    Expect("region", "write", pages=16384, anon=16384),
    Expect("region", "rewrite"),
], vm_args=["--thp=never"], checks=[huge_pages(0)])

# prctl(PR_SET_THP_DISABLE, 1), then execve: the flag is the mm's
# (MMF_DISABLE_THP) and execve keeps it (MMF_INIT_MASK), so the new image's
# 64 MiB, given MADV_HUGEPAGE, still takes 16,384 `anon` faults and no huge
# page, natively and simulated (the exec'd image reads the flag from
# /proc/self/status: THP_enabled 0).
scenario("thp/exec-disabled", "thp", ["exec-disabled"], [
    Expect("region", "write", pages=16384, proc="exec", anon=16384),
    Expect("region", "rewrite", proc="exec"),
], procs={"first": at(image=0), "exec": at(image=1)}, tree="exec>exit",
    vm_args=THP_ARGS + ["--trace-children=yes"], native=NATIVE,
    facts={"exec:anon-huge-kb": 0}, checks=[huge_pages(0, ())])

# Read first: 32 huge zero pages (`thp_zero`, RSS stays 0: FACT
# rss-kb-after-read), then the writes: 32 `thp_wp_zero`.
scenario("thp/read-write", "thp", ["read-write"], [
    Expect("region", "read", pages=16384, thp_zero=32),
    Expect("region", "write", thp_wp_zero=32),
], vm_args=THP_ARGS, native=NATIVE,
    facts={"rss-kb-after-read": 0, "anon-huge-kb-after-read": 0, "anon-huge-kb": 65536},
    checks=[huge_pages(16384)])

# Without the huge zero page a read allocates the huge page: 32 `thp`.
scenario("thp/read-write thp-zero-page=no", "thp", ["read-write"], [
    Expect("region", "read", pages=16384, thp=32),
    Expect("region", "write"),
], vm_args=["--thp=madvise", "--thp-zero-page=no"], checks=[huge_pages(16384)])

# Four huge pages written (4 `thp`).  Huge page 0: munmap of one page
# splits it (the VMA splits inside it); its other 511 pages stay mapped:
# writing them costs 0.  Huge page 1: MADV_DONTNEED of one page splits it
# and drops that page: writing all 512 costs 1 `anon` (the PTE table is
# there: no huge fault).  Huge page 2: mprotect of one page to read-only
# and back splits it; the pages stay writable (an exclusive anonymous page
# regains write at once): 0.  Huge page 3: MADV_DONTNEED of all of it
# zaps the PMD whole; writing it again is a new huge page: 1 `thp`.  At
# the end one huge page is left (2 MiB of AnonHugePages) and 2,047 pages
# are resident (8,188 kB).
scenario("thp/split", "thp", ["split"], [
    Expect("region", "write", pages=2048, thp=4),
    Expect("region", "rewrite-0"),
    Expect("region", "rewrite-1", anon=1),
    Expect("region", "rewrite-2"),
    Expect("region", "rewrite-3", thp=1),
], vm_args=THP_ARGS, native=NATIVE, facts={"anon-huge-kb": 2048, "rss-kb": 8188},
    checks=[huge_pages(512), mapping_figures("region", resident=2047)])

# Three huge pages written (3 `thp`); the first two moved whole to a
# 2 MiB-aligned place (move_huge_pmd: still huge); 1 MiB from the middle
# of the third moved away (the VMA splits inside it: split).  Writing
# everything again costs 0; two huge pages are left.
scenario("thp/mremap", "thp", ["mremap"], [
    Expect("region", "write", pages=1536, thp=3),
    Expect("region", "rewrite"),
], vm_args=THP_ARGS, native=NATIVE, facts={"anon-huge-kb": 4096},
    checks=[huge_pages(1024)])

# A moving mremap that the kernel places (MREMAP_MAYMOVE, no
# MREMAP_FIXED): vrm_set_new_addr asks get_unmapped_area as mmap does, so
# 4 MiB (two huge pages, written: 2 `thp`) grown to 6 MiB lands 2 MiB-
# aligned, its huge PMDs move whole (move_huge_pmd), and writing all
# 6 MiB costs one `thp` for the new 2 MiB (AnonHugePages 6,144 kB).
# Valgrind chose another address (the check makes sure it is not
# aligned): vmtrace reckons with the kernel's (vm_koff), else the move
# would split both huge pages and the tail would take 512 `anon`.
scenario("thp/mremap-grow", "thp", ["mremap-grow"], [
    Expect("region", "write", pages=1024, thp=2),
    Expect("region", "rewrite", pages=512, thp=1),
], vm_args=THP_ARGS, native=NATIVE, facts={"anon-huge-kb": 6144},
    checks=[huge_pages(1536), misplaced("moved")])

# Two huge pages written by the parent (2 `thp`), fork: the child's PMDs
# are the parent's, copy-on-write.  The child writes page 0: the PMD is
# split and the page copied (1 `wp_copy`); pages 1..511 then are 511 more
# `wp_copy`, one by one; its second huge page is still huge (FACT
# child:anon-huge-kb = 2048).  Once the child has exited the parent's
# pages are its alone: writing all 1,024 reuses each PMD whole: 2
# `thp_wp_reuse`, and both stay huge.  A virtual machine that counts
# spurious faults after the reuse (the client's control, natively: FACT
# reuse-spurious) lets the kernel's after-child figure exceed 2.
SPURIOUS_AFTER_CHILD = {"parent:after-child": "parent:reuse-spurious"}
scenario("thp/fork", "thp", ["fork"], [
    Expect("region", "write", pages=1024, proc="parent", thp=2),
    Expect("region", "child-write-one", proc="child", wp_copy=1),
    Expect("region", "child-write-rest", proc="child", wp_copy=511),
    Expect("region", "after-child", proc="parent", thp_wp_reuse=2),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)", vm_args=THP_ARGS,
    native=NATIVE, facts={"child:anon-huge-kb": 2048, "parent:anon-huge-kb": 4096},
    native_spurious=SPURIOUS_AFTER_CHILD,
    checks=[alone_at_exit(), huge_pages(1024, ()), huge_pages(512, (0,))])


# 4 MiB mapped where the kernel chooses (no hint), MADV_HUGEPAGE, written:
# the kernel aligns a private anonymous mapping whose length is a multiple
# of 2 MiB (thp_get_unmapped_area_vmflags), so two faults map two huge
# pages.  Valgrind places it itself, not 2 MiB-aligned (checked: the case
# tells); vmtrace reckons with where the kernel would have put it
# (vm_koff).  At Valgrind's address only 2 MiB lies aligned inside: 1
# `thp` and 512 `anon` (tests/unit/place_test.c).
scenario("thp/placed", "thp", ["placed"], [
    Expect("region", "write", pages=1024, thp=2),
], vm_args=THP_ARGS, native=NATIVE,
    facts={"thp-fault-alloc-ge-2": 1, "anon-huge-kb": 4096},
    checks=[huge_pages(1024), misplaced("region")])


def pte_tables_above_baseline(n):
    """totals.page_tables.pte at exit exceeds the baseline run's (extra[0]:
    the same client with less of the region written) by n."""
    def check(out, r, extra):
        base = extra[0]
        try:
            b = base.the_output()
        except Exception as e:
            return ["baseline run %s: %s" % (base.spec.describe(), e)]
        got = out["totals"]["page_tables"]["pte"] - b["totals"]["page_tables"]["pte"]
        if got != n:
            return ["PTE tables: %d more than the baseline %s, expected %d"
                    % (got, base.spec.describe(), n)]
        return []
    return check


# The page tables of a mapping where the kernel would have put it: 4 MiB
# mapped without a hint, which the kernel aligns (thp_get_unmapped_area),
# MADV_NOHUGEPAGE (4 KiB pages whatever the THP setting).  Its first page
# written makes the PTE table of its first 2 MiB; the other 1,023 pages
# need one more table, for its second 2 MiB: the kernel's VmPTE grows by
# 4 KiB over "rest" (FACT pte-tables-rest, the region kept inside one
# 1 GiB so that no PMD table is made).  Valgrind put the region elsewhere,
# not 2 MiB-aligned (checked), where its pages lie across 3 of vmtrace's
# own 2 MiB ranges; vmtrace counts the kernel's tables (vm_koff): 1 more
# PTE table at exit than the same run writing only the first page.  The
# kernel's figures hold whatever the THP setting (MADV_NOHUGEPAGE; the
# placement is THP's when it is built in, 2 MiB PMDs: measured under
# madvise and always).
PTES_ARGS = ["--thp=madvise"]
scenario("thp/placed-ptes", "thp", ["placed-ptes"], [
    Expect("region", "first", pages=1, anon=1),
    Expect("region", "rest", pages=1023, anon=1023),
], vm_args=PTES_ARGS, native=MACHINE[2] == 2 * MB, facts={"pte-tables-rest": 1},
    checks=[misplaced("region"), pte_tables_above_baseline(1)],
    extra_runs=lambda fp: [RunSpec("vmtrace", "thp", ["placed-ptes-first"], vm_args=PTES_ARGS,
                                   fast_path=fp)])

# MADV_COLLAPSE (Linux 6.1 on; measured here on 6.18): 4 MiB, 2 MiB-
# aligned, no MADV_HUGEPAGE, written under enabled=madvise: 1,024 `anon`.
# The collapse makes each 2 MiB one new huge page at once, whatever the
# sysfs setting (thp_collapse_alloc rises by 2: FACT; AnonHugePages
# 4,096 kB): writing again costs 0 (huge, writable, dirty).  Read only
# (1,024 `zero`: the 4 KiB zero page), there is no writable page to
# collapse (SCAN_PAGE_RO): EINVAL, nothing changes, and the writes take
# 1,024 `wp_copy`.  Read, then one page of each 2 MiB written (2 `wp_copy`):
# the zero pages are replaced by zero-filled huge pages, the writes cost 0.
# After MADV_NOHUGEPAGE the collapse fails (EINVAL): no huge page.
scenario("thp/collapse", "thp", ["collapse"], [
    Expect("region", "touch", pages=1024, anon=1024),
    Expect("region", "write"),
], vm_args=THP_ARGS, native=NATIVE,
    facts={"collapse-einval": 0, "thp-collapse-alloc": 2, "anon-huge-kb": 4096},
    checks=[huge_pages(1024), mapping_figures("region", resident=1024)])
scenario("thp/collapse-read", "thp", ["collapse-read"], [
    Expect("region", "touch", pages=1024, zero=1024),
    Expect("region", "write", wp_copy=1024),
], vm_args=THP_ARGS, native=NATIVE,
    facts={"collapse-einval": 1, "thp-collapse-alloc": 0, "anon-huge-kb": 0},
    checks=[huge_pages(0), mapping_figures("region", resident=1024)])
scenario("thp/collapse-read-one", "thp", ["collapse-read-one"], [
    Expect("region", "touch", pages=1024, zero=1024, wp_copy=2),
    Expect("region", "write"),
], vm_args=THP_ARGS, native=NATIVE,
    facts={"collapse-einval": 0, "thp-collapse-alloc": 2, "anon-huge-kb": 4096},
    checks=[huge_pages(1024), mapping_figures("region", resident=1024)])
scenario("thp/collapse-nohuge", "thp", ["collapse-nohuge"], [
    Expect("region", "touch", pages=1024, anon=1024),
    Expect("region", "write"),
], vm_args=THP_ARGS, native=NATIVE,
    facts={"collapse-einval": 1, "thp-collapse-alloc": 0, "anon-huge-kb": 0},
    checks=[huge_pages(0)])

# MADV_COLLAPSE of shared memory (collapse_file; measured here on 6.18
# with shmem_enabled=never, which MADV_COLLAPSE overrides): 4 MiB of
# MAP_SHARED|MAP_ANONYMOUS (shmem, offset 0 at a 2 MiB boundary, as
# thp_vma_suitable_order wants), written: 1,024 `file_shared`; the
# collapse makes each 2 MiB one shmem folio mapped by a PMD in this
# process (thp_collapse_alloc + 2, ShmemPmdMapped 4,096 kB, FACT
# shmem-pmd-kb), writable (shmem has no dirty tracking): writing again
# costs 0.  Read only, the same: a shmem page read is a page of its own
# (1,024 `file_read`, no zero page), so unlike anonymous memory it
# collapses.  One page of each 2 MiB written (2 faults): the 1,022 pages
# that did not exist come zero-filled, all 1,024 resident.  Nothing
# touched: no page of the file exists (SCAN_TRUNCATED), EINVAL, and the
# writes fault 1,024 times; thp_collapse_alloc still rises by 1 (measured,
# every time: collapse_file allocates the huge folio before it looks at
# the file's pages, and the collapse gives up at the first 2 MiB's
# failure).  A memfd's shared mapping as shared anonymous memory.
#
# The counter is the machine's; the client holds a lock over the
# collapse that every collapse of these cases takes (collapse_lock in
# tests/clients/thp.c), so it counts this collapse's allocations alone:
# exact figures.  Before, "rose by at least 2" failed collapse-shmem-none
# (1 of its own) whenever a case run beside it collapsed in its window.
scenario("thp/collapse-shmem", "thp", ["collapse-shmem"], [
    Expect("region", "touch", pages=1024, file_shared=1024),
    Expect("region", "write"),
], vm_args=THP_ARGS, native=NATIVE,
    facts={"collapse-einval": 0, "thp-collapse-alloc": 2, "anon-huge-kb": 0,
           "shmem-pmd-kb": 4096},
    checks=[huge_pages(0), shmem_pmd_pages(1024), mapping_figures("region", resident=1024)])
scenario("thp/collapse-shmem-read", "thp", ["collapse-shmem-read"], [
    Expect("region", "touch", pages=1024, file_read=1024),
    Expect("region", "write"),
], vm_args=THP_ARGS, native=NATIVE,
    facts={"collapse-einval": 0, "thp-collapse-alloc": 2, "shmem-pmd-kb": 4096},
    checks=[shmem_pmd_pages(1024), mapping_figures("region", resident=1024)])
scenario("thp/collapse-shmem-one", "thp", ["collapse-shmem-one"], [
    Expect("region", "touch", pages=2, file_shared=2),
    Expect("region", "write", pages=1022),
], vm_args=THP_ARGS, native=NATIVE,
    facts={"collapse-einval": 0, "thp-collapse-alloc": 2, "shmem-pmd-kb": 4096},
    checks=[shmem_pmd_pages(1024), mapping_figures("region", resident=1024)])
scenario("thp/collapse-shmem-none", "thp", ["collapse-shmem-none"], [
    Expect("region", "touch"),
    Expect("region", "write", pages=1024, file_shared=1024),
], vm_args=THP_ARGS, native=NATIVE,
    facts={"collapse-einval": 1, "thp-collapse-alloc": 1, "shmem-pmd-kb": 0},
    checks=[shmem_pmd_pages(0), mapping_figures("region", resident=1024)])
scenario("thp/collapse-memfd", "thp", ["collapse-memfd"], [
    Expect("region", "touch", pages=1024, file_shared=1024),
    Expect("region", "write"),
], vm_args=THP_ARGS, native=NATIVE,
    facts={"collapse-einval": 0, "thp-collapse-alloc": 2, "shmem-pmd-kb": 4096},
    checks=[huge_pages(0), shmem_pmd_pages(1024), mapping_figures("region", resident=1024)])


# ---- multi-size THP (hugepages-<size>kB/enabled, --thp-size) ------------
# A write fault (or a read without the zero page) that cannot have a huge
# PMD goes to do_anonymous_page, whose alloc_anon_folio takes the largest
# enabled order below the PMD's whose aligned range lies in the VMA with
# no PTE there yet (pte_range_none), and maps the whole folio in this one
# fault (`anon`).  vmtrace only: every size but 2 MiB is "never" on this
# machine, and changing /sys is not a test's to do.
# 1 MiB with MADV_HUGEPAGE (no room for 2 MiB: PMD unsuitable), 16K and
# 64K "always".  Reading page 5 maps the zero page (1 `zero`: mTHP does
# not change reads).  Writing all 256 pages: page 0: its 64 KiB [0,16)
# holds page 5, its 16 KiB [0,4) is empty: 4 pages, 1 fault; page 4: both
# ranges hold page 5: 1 page; page 5: the zero page copied (`wp_copy`);
# pages 6, 7: 1 each; [8,12) and [12,16): 1 each; pages 16..255: fifteen
# 64 KiB folios, 15.  21 `anon`, 1 `wp_copy`; all 256 pages resident.
SIZES_NEVER = "32K:never,128K:never,256K:never,512K:never,1M:never,2M:inherit"
scenario("thp/mthp", "thp", ["small"], [
    Expect("region", "read", pages=1, zero=1),
    Expect("region", "write", pages=255, anon=21, wp_copy=1),
], vm_args=THP_ARGS + ["--thp-size=16K:always,64K:always," + SIZES_NEVER],
    checks=[huge_pages(0), mapping_figures("region", resident=256)])
# "inherit" follows --thp: under never, 4 KiB pages: 255 `anon`, 1 `wp_copy`.
scenario("thp/mthp inherit never", "thp", ["small"], [
    Expect("region", "read", pages=1, zero=1),
    Expect("region", "write", pages=255, anon=255, wp_copy=1),
], vm_args=["--thp=never", "--thp-size=16K:inherit,64K:inherit," + SIZES_NEVER],
    checks=[huge_pages(0), mapping_figures("region", resident=256)])


# ---- THP against without in one run (--thp-compare) ---------------------
# The run's address space (primary: --thp=madvise) and a second one under
# --thp-compare's setting, fed the same references and system calls.  Only
# the region's pages differ between them (nothing else has MADV_HUGEPAGE),
# so the second's totals are the first's plus the region's difference,
# derived below per case; the kernel's figures for the first side are the
# facts of the thp scenarios above (same client modes).  Page tables: Linux
# deposits a PTE table with every huge PMD and counts it in VmPTE (measured:
# docs/manual.md, "Figures"), so they are equal on both sides, as is RSS (a
# huge page is 512 resident pages).
def compared(delta, position=None, huge=(0, 0), equal=("resident_pages",
             "peak_resident_pages", "page_tables")):
    """thp_compare's second address space differs from the first's totals
    by delta (fault class -> compared minus primary; other classes equal);
    anon_huge_pages are huge = (primary, compared); the fields in equal
    are the same on both sides."""
    def check(out, r, extra):
        if position is not None:
            out = out.image(position, -1).out
        cmp = out.get("thp_compare")
        if not cmp:
            return ["no thp_compare object in the output"]
        errs = []
        p, c = out["totals"], cmp["totals"]
        for k, v in p["faults"].items():
            want = v + delta.get(k, 0)
            if k == "total":
                want = v + sum(d for kk, d in delta.items() if kk != "total")
            if k == "minor":
                want = v + sum(d for kk, d in delta.items() if kk not in ("total", "minor"))
            if c["faults"].get(k) != want:
                errs.append("thp_compare faults.%s: expected %d (primary %d), got %s"
                            % (k, want, v, c["faults"].get(k)))
        for f in equal:
            if p[f] != c[f]:
                errs.append("thp_compare %s: expected the primary's %s, got %s"
                            % (f, p[f], c[f]))
        got = (p.get("anon_huge_pages"), c.get("anon_huge_pages"))
        if got != huge:
            errs.append("anon_huge_pages (primary, compared): expected %s, got %s"
                        % (huge, got))
        tl = cmp.get("timeline")
        if tl is not None:
            n = len(out["timeline"]["t"])
            for k in ("resident_pages", "page_tables", "faults", "primary_page_tables"):
                if len(tl[k]) != n:
                    errs.append("thp_compare timeline.%s: %d samples, the timeline %d"
                                % (k, len(tl[k]), n))
            if sum(tl["faults"]) != c["faults"]["total"]:
                errs.append("thp_compare timeline.faults sum %d != totals %d"
                            % (sum(tl["faults"]), c["faults"]["total"]))
            if tl["resident_pages"] and tl["resident_pages"][-1] != c["resident_pages"]:
                errs.append("thp_compare timeline's last resident_pages != totals")
        return errs
    return check


CMP_NEVER = THP_ARGS + ["--thp-compare=never"]
# 64 MiB written one byte every 4 KiB: 32 `thp` against 16,384 `anon`.
scenario("thp/compare write", "thp", ["write"], [
    Expect("region", "write", pages=16384, thp=32),
    Expect("region", "rewrite"),
], vm_args=CMP_NEVER, native=NATIVE,
    facts={"thp-fault-alloc-ge-32": 1, "anon-huge-kb": 65536},
    checks=[huge_pages(16384), compared({"thp": -32, "anon": 16384}, huge=(16384, 0))])
# The other way round: the run without THP, compared with madvise.
scenario("thp/compare write reverse", "thp", ["write"], [
    Expect("region", "write", pages=16384, anon=16384),
    Expect("region", "rewrite"),
], vm_args=["--thp=never", "--thp-compare=madvise"],
    checks=[compared({"thp": 32, "anon": -16384}, huge=(0, 16384))])
# Read first: 32 `thp_zero` then 32 `thp_wp_zero`, against 16,384 `zero`
# (the 4 KiB zero page) then 16,384 `wp_copy` (each zero page replaced by
# a copy: do_wp_page of the zero page).  RSS after the read: 0 either way.
scenario("thp/compare read-write", "thp", ["read-write"], [
    Expect("region", "read", pages=16384, thp_zero=32),
    Expect("region", "write", thp_wp_zero=32),
], vm_args=CMP_NEVER, native=NATIVE,
    facts={"rss-kb-after-read": 0, "anon-huge-kb-after-read": 0, "anon-huge-kb": 65536},
    checks=[compared({"thp_zero": -32, "thp_wp_zero": -32, "zero": 16384,
                      "wp_copy": 16384}, huge=(16384, 0))])
# MADV_DONTNEED of half a huge page (client mode dontneed-half): 2 MiB
# written, its second half dropped, all written again.  Primary: 1 `thp`;
# the DONTNEED splits the PMD (zap_pmd_range) and drops 256 pages; the
# rewrite faults them back one by one into the PTE table now in use: 256
# `anon`.  Without THP: 512 `anon`, then 256 `anon`.  Compared minus
# primary: anon +512, thp -1.  The kernel: no AnonHugePages left, 2 MiB
# resident (FACTs).
scenario("thp/compare dontneed-half", "thp", ["dontneed-half"], [
    Expect("region", "write", pages=512, thp=1),
    Expect("region", "rewrite", anon=256),
], vm_args=CMP_NEVER, native=NATIVE, facts={"anon-huge-kb": 0, "rss-kb": 2048},
    checks=[compared({"thp": -1, "anon": 512})])
# MADV_COLLAPSE on both sides: madvise_collapse asks no sysfs setting
# (it passes thp_vma_allowable_order no TVA_ENFORCE_SYSFS; transhuge.rst:
# "independent of the sysfs THP settings"), so the compared side collapses
# as the run does.  Measured where the kernel can tell: under madvise a
# VMA without MADV_HUGEPAGE, which sysfs gives no huge page, collapses
# (thp/collapse* above); never cannot be set here (the machine's).
# 4 MiB read (1,024 `zero`), one page of each 2 MiB written (2 `wp_copy`),
# collapsed: each 2 MiB one huge page on both sides, so writing it all
# costs 0 on both (without the collapse the compared side would take
# 1,022 `wp_copy`); 1,024 AnonHugePages on each side.
scenario("thp/compare collapse", "thp", ["collapse-read-one"], [
    Expect("region", "touch", pages=1024, zero=1024, wp_copy=2),
    Expect("region", "write"),
], vm_args=CMP_NEVER, native=NATIVE,
    facts={"collapse-einval": 0, "thp-collapse-alloc": 2, "anon-huge-kb": 4096},
    checks=[huge_pages(1024), compared({}, huge=(1024, 1024))])
# The other way round: the run under never collapses too (vmtrace only).
scenario("thp/compare collapse reverse", "thp", ["collapse-read-one"], [
    Expect("region", "touch", pages=1024, zero=1024, wp_copy=2),
    Expect("region", "write"),
], vm_args=["--thp=never", "--thp-compare=madvise"],
    checks=[huge_pages(1024), compared({}, huge=(1024, 1024))])
# Shared memory: 2 pages written (2 `file_shared`), collapsed into two
# shmem folios mapped by PMDs on both sides: the writes cost 0 on both
# (without: 1,022 `file_shared` on the compared side).
scenario("thp/compare collapse-shmem", "thp", ["collapse-shmem-one"], [
    Expect("region", "touch", pages=2, file_shared=2),
    Expect("region", "write", pages=1022),
], vm_args=CMP_NEVER, native=NATIVE,
    facts={"collapse-einval": 0, "thp-collapse-alloc": 2, "shmem-pmd-kb": 4096},
    checks=[shmem_pmd_pages(1024), compared({})])

# fork: the parent's 1,024 pages: 2 `thp` against 1,024 `anon`.  The
# child writes 512 pages of the first huge page: 512 `wp_copy` either way
# (the huge PMD is split and each page copied: docs/manual.md), so the
# child's totals are equal on both sides.  The parent, the child gone,
# writes all 1,024: 2 `thp_wp_reuse` against 1,024 `wp_reuse` (each 4 KiB
# page now its alone).
scenario("thp/compare fork", "thp", ["fork"], [
    Expect("region", "write", pages=1024, proc="parent", thp=2),
    Expect("region", "child-write-one", proc="child", wp_copy=1),
    Expect("region", "child-write-rest", proc="child", wp_copy=511),
    Expect("region", "after-child", proc="parent", thp_wp_reuse=2),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)", vm_args=CMP_NEVER,
    native=NATIVE, facts={"child:anon-huge-kb": 2048, "parent:anon-huge-kb": 4096},
    native_spurious=SPURIOUS_AFTER_CHILD,
    checks=[alone_at_exit(),
            compared({"thp": -2, "anon": 1024, "thp_wp_reuse": -2, "wp_reuse": 1024},
                     position=(), huge=(1024, 0)),
            compared({}, position=(0,), huge=(512, 0))])
