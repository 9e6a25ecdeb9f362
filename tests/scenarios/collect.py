"""Collection paused and resumed by client requests."""

from vmtest import Expect
from .scenario import scenario
from .checks import consistent, phase_figures


# ---- collection -------------------------------------------------------------
# Three untouched 10-page private anonymous regions a, b, c.  The kernel
# counts every step: "before" writes a, 10 `anon`; "during" writes a again
# (0) and b, 10 `anon`; "paused" reads c, 10 `zero`; "after" writes c,
# which maps the zero page: 10 `wp_copy`.  vmtrace counts only while
# collecting, but its memory follows the program all the time: with
# --collect-atstart=no, "before" counts nothing although it maps a's pages
# writable, so rewriting them in "during" costs 0 (counted: 0) and a never
# gets a fault; b: 10 `anon` in "during"; nothing while paused; c's pages
# map the zero page since "paused", so "after" counts 10 `wp_copy`.  Every
# phase other than "during" and "after" counts nothing at all (pages
# touched included), "during" exactly b's 10 first writes (a's pages were
# referenced first in "before").  With collection on at the start, only
# "paused" is silent.
COLLECT_NATIVE = [
    Expect("a", "before", anon=10),
    Expect("b", "during", anon=10),
    Expect("c", "paused", zero=10),
    Expect("c", "after", wp_copy=10),
]
scenario("collect/atstart=no", "collect", [], [
    Expect("a", "before"),
    Expect("a", "during"),
    Expect("b", "during", pages=10, anon=10),
    Expect("c", "paused"),
    Expect("c", "after", wp_copy=10),
], vm_args=["--collect-atstart=no"], checks=[
    phase_figures("main", pages=0),
    phase_figures("before", pages=0),
    phase_figures("during", pages=10, anon=10),
    phase_figures("paused", pages=0),
    consistent,
])
scenario("collect/atstart=yes", "collect", [], [
    Expect("a", "before", pages=10, anon=10),
    Expect("a", "during"),
    Expect("b", "during", pages=10, anon=10),
    Expect("c", "paused"),
    Expect("c", "after", wp_copy=10),
], native=True, native_expects=COLLECT_NATIVE, checks=[
    phase_figures("paused", pages=0),
    consistent,
])
