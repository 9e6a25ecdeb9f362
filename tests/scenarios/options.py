"""Options vmtrace must refuse."""

# ---- 4. bad options ------------------------------------------------------
# Each is refused with a one-line error naming the option and a non-zero
# exit, before the client runs (common.bad_option_check; no line of the
# log may hold a literal backslash-n).  Issue 10: an empty size in a list
# (--ram=1M, and --ram=1M,,2M alike), --swap without --ram (nothing is
# ever swapped with unlimited memory), a --seed past 2^64 - 1 or negative
# (2^64 - 1 itself is taken: tests/scenarios/torture.py's options/seed).
# A RAM or swap size that is not a whole number of 4K pages (--ram=5000,
# --swap=6K: rounded down to a page without a word until 2026-12-06).
# An entry with a space is several options given together: --thp-compare
# with --tlb=yes (the TLB knows one address space) is refused.  A THP size
# named twice in one list with two modes (64K:always,64K:never; 2M by
# --thp-compare) is refused: until 2026-12-06 the last silently won.  An
# option of what is not simulated is refused as --swap without --ram is:
# --oom or a policy's parameter without --ram, the TLB's geometry without
# --tlb=yes (all were ignored until 2026-12-06).  The profiler files with
# --fault-stack-depth=0 are refused: they place faults by their stacks,
# and said "summary: 0 0 0 0" (no fault at all) until 2026-12-06.  A page
# size named twice in one TLB array (4K/4K, 4K/4k) and a policy's parameter
# when that policy does not run (the default, linux, included; the last
# --policy is the one that counts) were accepted and changed nothing until
# 2026-12-06: refused.  Every refusal exits 1 with one "Bad option:" line
# naming the option.  So are --ws-tau and --heatmap-rows (but 0) with
# --timeline=no, which keeps neither working set nor heatmap, and a
# --thp-compare that repeats the run's own --thp and sizes (all accepted
# and unused until 2026-12-06).  (--readahead without --page-cache=cold was
# refused from 2026-12-06 to 2026-12-07: since, the warm page cache reads
# the pages the run adds to a file with readahead.)  Two outputs naming one file (also
# as "x" and "./x") are refused: until 2026-12-06 the trace and the output
# file shared one temporary name and the trace was lost ("writing the trace
# file ... failed", exit 0), and the Cachegrind file replaced the Callgrind
# one without a word.
BAD_OPTIONS = ["--fault-around=banana", "--no-such-option=1", "--zero-page=maybe",
               "--fault-around=12345", "--thp=sometimes", "--thp-zero-page=1",
               "--thp-size=8K:always", "--thp-size=64K", "--thp-size=64K:sometimes",
               "--ram=1M,", "--ram=1M,,2M", "--ram=,1M", "--ram=5000", "--ram=1M,6K",
               "--swap=8M", "--swap=6K --ram=1M", "--seed=18446744073709551616", "--seed=-1",
               "--tlb=maybe", "--tlb-cpu=pentium", "--tlb-l1d=64", "--tlb-l1d=64:5",
               "--tlb-l2=1536:12:3M", "--tlb-l1i=none", "--tlb-l1d=0:1",
               "--tlb-l2=8:4,8:4",
               "--thp-compare=sometimes", "--thp-compare=", "--thp-compare=never,8K:always",
               "--thp-compare=never,64K", "--thp-compare=64K:always",
               "--thp-compare=never --tlb=yes",
               "--thp-size=64K:always,64K:never", "--thp-size=64K:never,65536:always",
               "--thp-compare=never,2M:never,2M:always",
               "--seed=5", "--oom=continue", "--swappiness=60", "--nru-period=0",
               "--tlb-cpu=zen2", "--tlb-l2=none", "--tlb-l1d=64:4 --tlb=no",
               "--fault-stack-depth=0 --cg-out-file=x.cg",
               "--fault-stack-depth=0 --callgrind-out-file=x.callgrind",
               "--tlb-l1d=64:4:4K/4K --tlb=yes", "--tlb-l2=1536:12:4K/2M/4k --tlb=yes",
               "--aging-period=5 --ram=1M --policy=lru", "--seed=5 --ram=1M",
               "--wsclock-tau=100 --ram=1M --policy=clock,nru,aging",
               "--swappiness=10 --ram=1M,2M --policy=all --policy=lru",
               "--ws-tau=50k --timeline=no", "--heatmap-rows=16 --timeline=no",
               "--thp-compare=never --thp=never",
               "--thp-compare=madvise,64K:always --thp=madvise --thp-size=64K:always",
               "--readahead=65537", "--readahead=-1", "--page-cache=hot",
               "--trace-out-file=x.same --cg-out-file=x.same",
               "--cg-out-file=x.same --callgrind-out-file=./x.same"]

# ---- the whole 64-bit range of --seed --------------------------------------
# 2^64 - 1 is a seed like any other (it was refused: the parser's overflow
# test stopped at (2^64 - 10) / 10): the run is anon/write-first's, its
# figures unchanged by a simulation of random replacement in 1 MiB.
from vmtest import Expect  # noqa: E402
from .scenario import scenario  # noqa: E402

scenario("options/seed=2^64-1", "anon", ["write-first"], [
    Expect("anon", "write", pages=500, anon=500),
    Expect("anon", "rewrite"),
], vm_args=["--ram=1M", "--policy=random", "--seed=18446744073709551615"])
