"""Memory the kernel touches inside system calls (read, write)."""

from vmtest import Expect
from .scenario import scenario
from .proc_checks import at


# ---- memory the kernel touches inside system calls -----------------------
# The buffer is 10 untouched private anonymous pages.  read() from a
# cached file copies into it with copy_to_user; each store of the copy
# faults as a user store would (the fault handler takes faults on user
# addresses from kernel mode the same way, and mm_account_fault counts them
# in min_flt): 10 first writes, 10 `anon`; writing the buffer afterwards
# costs 0.  Writing the buffer into a pipe copies from it (copy_from_user):
# 10 first reads, 10 zero-page maps (`zero`); writing it afterwards copies
# the zero page: 10 `wp_copy`.  write() to /dev/null is write_null (or
# write_iter_null), which returns the count without reading the buffer: 0;
# the buffer is still untouched, so reading it afterwards maps the zero
# page: 10 `zero`.  (Natively: 10/0, 10/10, 0/10.)
scenario("syscalls/read", "syscall_touch", ["read"], [
    Expect("buf", "call", pages=10, anon=10),
    Expect("buf", "after"),
])
scenario("syscalls/write-pipe", "syscall_touch", ["write-pipe"], [
    Expect("buf", "call", pages=10, zero=10),
    Expect("buf", "after", wp_copy=10),
])
scenario("syscalls/write-null", "syscall_touch", ["write-null"], [
    Expect("buf", "call"),
    Expect("buf", "after", pages=10, zero=10),
])
# process_vm_readv/writev naming the process's own pid: the remote side
# (the buffer, as two iovecs) is reached with pin_user_pages_remote, whose
# faults count in min_flt as any GUP fault does (mm_account_fault).  Read:
# no FOLL_WRITE, each untouched page maps the zero page, 10 `zero`, and
# writing the buffer afterwards copies it, 10 `wp_copy`.  Written
# (FOLL_WRITE): do_anonymous_page, 10 `anon`, and 0 afterwards.  The local
# side is a static array written beforehand: 0.  (Natively: 10/10, 10/0.)
scenario("syscalls/pvm-read", "syscall_touch", ["pvm-read"], [
    Expect("buf", "call", pages=10, zero=10),
    Expect("buf", "after", wp_copy=10),
])
scenario("syscalls/pvm-write", "syscall_touch", ["pvm-write"], [
    Expect("buf", "call", pages=10, anon=10),
    Expect("buf", "after"),
])
# The same read over a buffer written and then shared copy-on-write by a
# fork: pin_user_pages_remote pins (FOLL_PIN), and a pin may not read an
# anonymous page that is not exclusive to the process (fork cleared
# PageAnonExclusive): gup_must_unshare, so each page first takes an
# unshare fault (do_wp_page with FAULT_FLAG_UNSHARE), counted in min_flt
# as GUP faults are.  The child gone (forked): the page is reused,
# 10 `wp_reuse`; the child alive (shared): copied, 10 `wp_copy`.  Either
# way the PTE stays read-only, and writing the buffer afterwards faults
# again, reusing the now exclusive page: 10 `wp_reuse`.  (Natively:
# 10/10/10 both.)  Before 2026-12-06 vmtrace counted no fault in the call
# (found by tests/kernelfuzz).
scenario("syscalls/pvm-read-forked", "syscall_touch", ["pvm-read-forked"], [
    Expect("buf", "fill", pages=10, proc="parent", anon=10),
    Expect("buf", "call", proc="parent", wp_reuse=10),
    Expect("buf", "after", proc="parent", wp_reuse=10),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)")
scenario("syscalls/pvm-read-shared", "syscall_touch", ["pvm-read-shared"], [
    Expect("buf", "fill", pages=10, proc="parent", anon=10),
    Expect("buf", "call", proc="parent", wp_copy=10),
    Expect("buf", "after", proc="parent", wp_reuse=10),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)")
