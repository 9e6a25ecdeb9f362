"""The Scenario: one client invocation and everything expected of it; the
list the scenario modules fill."""

KiB = 1024
MiB = 1024 * KiB
DEFAULT_FAULT_AROUND = 64 * KiB     # Linux's default fault_around_bytes


class Scenario:
    """One client invocation and everything expected of it.

    expects      Expect(label, phase, pages=..., **classes) per label and
                 phase; classes not named are expected to be 0.  The
                 native oracle of a phase is the sum over its labels
                 (minor classes -> minflt, major -> majflt); label None
                 holds faults on pages outside every label (native only).
    native_expects  the native oracle's expectations, when the kernel must
                 count what vmtrace is told not to (collection paused)
    vm_args      extra vmtrace options (a scenario with any is vmtrace-only:
                 the option changes the simulation, not the kernel)
    native       whether the real kernel is checked too
    native_phases  phases whose ORACLE line is checked (default: all in
                 expects)
    facts        FACT key=value lines the native run must print
    exit         ("exit", code), ("signal", number), or ("exec", code):
                 the program execs another that exits with code; the
                 output file says {"status": "exec"}
    revisits     phases entered more than once: their ORACLE lines add up
    checks       extra checks f(out, result, extra_results) -> [errors]
    vm_client_args  client arguments under vmtrace, when they differ
    extra_runs   f(fast_path) -> [RunSpec] more runs the checks compare with
    varying_time  why the program's instruction count differs from run to
                 run; the yes==no comparison then skips virtual times
    varying_tlb  why the TLB's figures differ from run to run outside what
                 the checks pin (they must check the TLB in both runs); the
                 yes==no comparison then skips them
    procs        for a run of several processes: role -> at(position, image),
                 which output file holds the figures of the Expects with
                 proc=role (see ProcTree in tests/lib/vmtest.py); checks
                 are then f(tree, result, extra_results) -> [errors]
    tree         the ProcTree.shape() the run must leave, e.g.
                 "exit(exec>exit)": a root that exits 0, one child that
                 execs a program that exits 0
    needs        other clients the run executes (args may name their
                 directory as @BUILD@)
    killed       why a process of the run dies of a SIGKILL sent by another
                 process (or to its whole group): Valgrind's own vgdb FIFOs
                 of that process then stay in TMPDIR (tolerated), and it
                 writes no output file unless it sent the signal itself
    native_slack  how many more minor faults than expected the kernel may
                 count in a phase (never fewer; majors exact): a fault that
                 comes while readahead's I/O is still in flight finds those
                 folios not uptodate, and fault-around maps fewer pages
                 (under load, a few in a 64 MiB file read); such a case's
                 native run is made up to three times before it fails
    native_spurious  {phase: fact}: the phase's writes upgrade a huge PMD
                 in place, and some virtual machines count spurious faults
                 after that (the hypervisor's shadow of the mapping lags);
                 the client measures a control natively (FACT fact: the
                 faults beyond first principles' in an upgrade alone).  If
                 the control counted some, the phase's kernel figure may
                 exceed the expectation (never fewer; majors exact)
    native_folios  the folios readahead's orders give the mapping's pages
                 (FACT folios, natively from /proc/kpageflags, as root):
                 readahead allocates its large folios with __GFP_NORETRY,
                 and when free memory is short or fragmented (or a memory
                 cgroup's limit near) they fall back to smaller orders and
                 the kernel counts other faults.  Such a case's native run
                 is made up to three times before it fails, and a FACT
                 folios that differs is reported
    no_output    a regular expression the log must match when the run
                 writes no output file at all (the log says why); the
                 fast-path yes==no comparison then compares the exits
    """

    def __init__(self, name, client, args=(), expects=(), vm_args=(), native=None,
                 native_phases=None, facts=None, exit=("exit", 0), checks=(),
                 vm_client_args=None, extra_runs=None, label_totals=True,
                 varying_time=None, native_expects=None, revisits=(), procs=None,
                 tree=None, needs=(), killed=None, no_output=None, native_slack=0,
                 native_spurious=None, varying_tlb=None, native_folios=None):
        self.name = name
        self.client = client
        self.args = tuple(args)
        self.expects = list(expects)
        self.native_expects = list(native_expects) if native_expects is not None \
            else self.expects
        self.revisits = set(revisits)
        self.vm_args = tuple(vm_args)
        self.native = (not vm_args) if native is None else native
        self.procs = dict(procs) if procs is not None else None
        self.tree = tree
        self.needs = tuple(needs)
        self.killed = killed
        self.no_output = no_output
        self.native_slack = native_slack
        self.native_spurious = dict(native_spurious or {})
        self.native_folios = native_folios
        for ex in self.expects:
            if (ex.proc is None) != (self.procs is None) or \
                    (ex.proc is not None and ex.proc not in self.procs):
                raise ValueError("scenario %s: Expect(%r, %r) names process %r; "
                                 "the scenario's processes are %s"
                                 % (name, ex.label, ex.phase, ex.proc,
                                    sorted(self.procs or [])))
        if native_phases is None:
            native_phases = []
            for ex in self.native_expects:
                if ex.key not in native_phases:
                    native_phases.append(ex.key)
        self.native_phases = list(native_phases)
        self.facts = dict(facts or {})
        self.exit = exit
        self.checks = list(checks)
        self.vm_client_args = tuple(vm_client_args) if vm_client_args is not None \
            else self.args
        self.extra_runs = extra_runs or (lambda fp: [])
        self.label_totals = label_totals
        self.varying_time = varying_time
        self.varying_tlb = varying_tlb


# ===================================================================
# The scenarios
#
# pages_touched of a label in a phase is asserted (pages=N) only where the
# pages are referenced for the first time since they were mapped: there
# "distinct pages referenced in the phase" and "pages first referenced in
# the phase" agree.  docs/output-format.md defines pages_touched for the
# whole run ("distinct pages referenced, a page unmapped and mapped again
# counts again") but not what the per-phase figure of a page touched again
# in a later phase is, so those phases assert faults only.

SCENARIOS = []


def scenario(*a, **kw):
    SCENARIOS.append(Scenario(*a, **kw))
