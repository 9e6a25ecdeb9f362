"""Labels over ranges and phases."""

from vmtest import Expect
from .scenario import scenario
from .checks import label_ranges, mapping_figures, phase_order


# ---- labels ---------------------------------------------------------------------
# Each region is untouched private anonymous memory written once per page:
# one `anon` per page, counted under the label holding the page.  "old"
# (10 pages) with "new" labelled later over pages 4..7: new 4, old 6.
# "cut" (10 pages) with pages 3..4 unlabelled: the label 8, the mapping 10
# (the kernel counts the 2 unlabelled pages too).  "multi" labelled on a
# 4-page and a 6-page mapping: 10, and its ranges are the two, in the
# order labelled.  "twice" written half in phase p1, then "between" in p2
# (3), then the other half in p1 again: p1 continues, 10 in all, and is
# listed once.
scenario("labels/ranges-and-phases", "labels", [], [
    Expect("old", "overlap", pages=6, anon=6),
    Expect("new", "overlap", pages=4, anon=4),
    Expect("cut", "cut", pages=8, anon=8),
    Expect(None, "cut", anon=2),
    Expect("multi", "multi", pages=10, anon=10),
    Expect("twice", "p1", pages=10, anon=10),
    Expect("between", "p2", pages=3, anon=3),
], revisits=["p1"], checks=[
    label_ranges("multi", [("multi1", 0, 4), ("multi2", 0, 6)]),
    label_ranges("new", [("overlap", 4, 8)]),
    mapping_figures("cut", resident=10, anon=10),
    phase_order("main", "overlap", "cut", "multi", "p1", "p2"),
])
