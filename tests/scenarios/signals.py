"""Invalid accesses: SIGSEGV (protection, unmapped, a handler that retries)
and SIGBUS beyond the end of a file."""

from vmtest import Expect
from .scenario import scenario
from .checks import invalid_access, invalid_logged, trampoline_page


# ---- SIGSEGV -------------------------------------------------------------
# A store to a PROT_READ page: access_error -> bad_area, SIGSEGV, no
# handler: the process dies of signal 11.  One invalid access, no fault
# counted (the kernel's min_flt does not count it either; the client dies
# before it can print an ORACLE line).  The output file is still written.
scenario("signals/segv-protection", "segv", ["protection"], [
    Expect("page", "crash", invalid=1),
], exit=("signal", 11), native_phases=[], checks=[
    invalid_access("protection", "write"),
])
# A store to an address no VMA covers: bad_area, reason unmapped.
scenario("signals/segv-unmapped", "segv", ["unmapped"], [
    Expect("page", "crash", invalid=1),
], exit=("signal", 11), native_phases=[], checks=[
    invalid_access("unmapped", "write"),
])
# The same store 0x124 bytes into the page: reported at that byte, in the
# output file and the log, as the kernel's si_addr and Valgrind's own
# "Access not within mapped region at address" give it (until 2026-12-06
# at the page's start: 0x124 bytes off).
scenario("signals/segv-offset", "segv", ["offset"], [
    Expect("page", "crash", invalid=1),
], exit=("signal", 11), native_phases=[], checks=[
    invalid_access("unmapped", "write", exact_total=1),
    invalid_logged("write", "not in any mapping"),
])
# With a handler that makes the page writable and returns, the store is
# retried and is then the first write of an untouched anonymous page:
# 1 invalid, then 1 `anon` (the only one getrusage counts).  The handler
# was warmed up on another page with SIGUSR1, which faults nothing invalid,
# so the whole run has exactly one invalid access.
scenario("signals/segv-handler-retry", "segv", ["handler"], [
    Expect("page", "retry", pages=1, anon=1, invalid=1),
], checks=[
    invalid_access("protection", "write", exact_total=1),
    trampoline_page(),
])


# ---- SIGBUS ------------------------------------------------------------------------------
# A 1-page file mapped 4 pages long: reading page 0 is do_read_fault, with
# fault-around clamped to the end of the file (filemap_map_pages stops at
# the last page of i_size): 1 `file_read`.  Reading page 2, past the end
# of the file: filemap_fault returns VM_FAULT_SIGBUS, not counted in
# min_flt; no handler: the process dies of signal 7.  One invalid access,
# reason beyond_eof.
scenario("signals/sigbus-beyond-eof", "sigbus", [], [
    Expect("file", "read0", pages=1, file_read=1),
    Expect("file", "crash", invalid=1),
], exit=("signal", 7), native_phases=["read0"], checks=[
    invalid_access("beyond_eof", "read", exact_total=1),
])
