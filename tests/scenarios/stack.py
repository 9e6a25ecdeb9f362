"""Stack growth."""

from vmtest import Expect, RunSpec
from .scenario import scenario
from .checks import no_invalid, phase_figures, stack_grown


# ---- stack growth -------------------------------------------------------------
# A recursion with 64 KiB arrays, every page of them written, from main's
# stack page S down to exactly T1 = S - 512 KiB ("prime"), then to exactly
# T2 = T1 - 1 MiB ("grow"): the stack VMA grows down (expand_stack) and
# each of the 256 pages of [T2, T1), untouched, takes a first write:
# 256 `anon`, and nothing else anywhere (the recursion's code and the
# stack above T1 were touched in "prime").  Recursing again: 0.  The label
# "stack" covers [T2, T1) (set before the stack reached it).  The [stack]
# mapping then reaches exactly down to T2, and has 256 `anon`, 256 pages
# touched and 256 resident more than in the same program without the two
# recursions, whose stack reaches down to T1.  Natively "grow" is 256 too.
scenario("stack/growth", "stack", ["grow"], [
    Expect("stack", "prime"),
    Expect("stack", "grow", pages=256, anon=256),
    Expect("stack", "regrow"),
], native_phases=["grow", "regrow"], checks=[
    phase_figures("grow", pages=256, anon=256),
    stack_grown("stack", "stack-label", 256, 256),
    no_invalid,
], extra_runs=lambda fp: [RunSpec("vmtrace", "stack", ["skip"], fast_path=fp)])
