"""Shared anonymous memory (shmem)."""

from vmtest import Expect
from .scenario import scenario
from .checks import mapping_figures, mapping_kind


# ---- shared anonymous memory ------------------------------------------------------
# MAP_SHARED|MAP_ANONYMOUS is shmem: a read of a page not mapped is
# do_read_fault -> shmem_fault, which allocates the page in the shmem file
# (no zero page); fault-around (shmem has map_pages) finds none of the
# other pages in the page cache yet, so each read faults: 10 `file_read`.
# shmem has no page_mkwrite and no writeback, so the VMA wants no
# write-notify: its vm_page_prot is writable and the read faults mapped
# the pages writable: writing them costs 0 (natively 0: no dirty
# tracking).  Writing first: do_shared_fault, 10 `file_shared`; again: 0.
scenario("shm/read-write", "shared_anon", ["read-write"], [
    Expect("shm", "read", pages=10, file_read=10),
    Expect("shm", "write"),
], checks=[
    mapping_kind("shm", "shm"),
    mapping_figures("shm", resident=10, file_read=10),
])
scenario("shm/write-first", "shared_anon", ["write-first"], [
    Expect("shm", "write", pages=10, file_shared=10),
    Expect("shm", "rewrite"),
], checks=[
    mapping_kind("shm", "shm"),
    mapping_figures("shm", resident=10, file_shared=10),
])
