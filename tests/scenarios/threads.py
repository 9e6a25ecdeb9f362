"""Threads writing their own pages of one mapping."""

from vmtest import Expect
from .scenario import scenario
from .checks import mapping_figures, same_mapping


# ---- threads -----------------------------------------------------------
# 4 threads, each the first to write its own 50 pages: 50 `anon` each,
# 200 in the mapping.
# Valgrind runs one thread at a time and switches on blocking syscalls,
# whose timing is real: how far each thread gets before a switch varies,
# and with it the instruction counts (virtual times), not the figures.
scenario("threads/slices", "threads", [], [
    Expect("t%d" % i, "write", pages=50, anon=50) for i in range(4)
], varying_time="thread scheduling under Valgrind follows real futex timing", checks=[
    same_mapping("t0", "t1", "t2", "t3"),
    mapping_figures("t0", resident=200, anon=200),
])
