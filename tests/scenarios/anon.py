"""Private anonymous memory: zero page, zero-fill, copy of the zero page."""

from vmtest import Expect
from .scenario import scenario


# ---- 1. private anonymous memory: 500 pages ------------------------
# First touch of an untouched private anonymous page goes through
# do_anonymous_page: a read maps the shared zero page read-only (`zero`),
# a write allocates a zeroed page (`anon`).  Writing a page that maps the
# zero page faults again: do_wp_page copies it (`wp_copy`).  A page mapped
# writable costs nothing more.  One access per page, 500 pages:
scenario("anon/read-write", "anon", ["read-write"], [
    Expect("anon", "read", pages=500, zero=500),       # 500 zero-page maps
    Expect("anon", "write", wp_copy=500),              # 500 copies of it
    Expect("anon", "rewrite"),                         # all writable: 0
])
# Without the zero page (as under userfaultfd or mm_forbids_zeropage), the
# read fault allocates the page and, the VMA being writable, maps it
# writable: the read costs 500 `anon` and the writes nothing.
scenario("anon/read-write zero-page=no", "anon", ["read-write"], [
    Expect("anon", "read", pages=500, anon=500),
    Expect("anon", "write"),
    Expect("anon", "rewrite"),
], vm_args=["--zero-page=no"])
# Writing first: 500 allocations, then nothing.
scenario("anon/write-first", "anon", ["write-first"], [
    Expect("anon", "write", pages=500, anon=500),
    Expect("anon", "rewrite"),
])
