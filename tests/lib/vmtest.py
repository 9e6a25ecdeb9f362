"""Machinery behind tests/run: building the client programs, running them
natively and under vmtrace, reading vmtrace output files, and comparing
figures.  The cases themselves (and the reasoning behind every expected
number) are in tests/run.  Python 3.11 standard library only."""

import concurrent.futures
import glob
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

PAGE = 4096

# Fault classes of docs/output-format.md, in its order.
MINOR_CLASSES = ["anon", "zero", "file_read", "file_cow", "file_shared",
                 "wp_copy", "wp_reuse", "wp_shared"]
MAJOR_CLASSES = ["swap_in", "file_major"]
CLASSES = MINOR_CLASSES + MAJOR_CLASSES
FAULT_KEYS = CLASSES + ["minor", "major", "total", "invalid"]

# Keys of an output file that may differ between a --fast-path=yes and a
# --fast-path=no run of the same program.
FAST_PATH_IGNORED = {("run", "start_time"), ("run", "end_time"),
                     ("run", "pid"), ("run", "ppid"),
                     ("options", "fast_path"),
                     ("timeline", "wall_ms")}   # wall-clock times of samples


# ---------------------------------------------------------------- figures

def faults(**counts):
    """A complete faults object: the given classes (and `invalid`), every
    other class 0, minor/major/total summed as the format defines them."""
    for k in counts:
        if k not in CLASSES and k != "invalid":
            raise ValueError("unknown fault class %r" % k)
    f = {c: counts.get(c, 0) for c in CLASSES}
    f["minor"] = sum(f[c] for c in MINOR_CLASSES)
    f["major"] = sum(f[c] for c in MAJOR_CLASSES)
    f["total"] = f["minor"] + f["major"]
    f["invalid"] = counts.get("invalid", 0)
    return f


def add_faults(a, b):
    return {k: a.get(k, 0) + b.get(k, 0) for k in FAULT_KEYS}


def describe_faults(f):
    """'zero=500', 'anon=10 invalid=1', 'none' ..."""
    if not isinstance(f, dict):
        return repr(f)
    parts = ["%s=%s" % (c, f.get(c)) for c in CLASSES + ["invalid"]
             if f.get(c, 0) != 0]
    missing = [k for k in FAULT_KEYS if k not in f]
    if missing:
        parts.append("(missing keys: %s)" % ", ".join(missing))
    s = " ".join(parts) or "none"
    return s


def compare_faults(what, expected, got):
    """Errors (strings) when the faults object `got` differs from the
    complete object `expected` in any key."""
    if not isinstance(got, dict):
        return ["%s: faults is %r, not an object" % (what, got)]
    bad = [k for k in FAULT_KEYS if got.get(k) != expected[k]]
    if not bad:
        return []
    detail = ", ".join("%s %s/%s" % (k, expected[k], got.get(k, "missing"))
                       for k in bad)
    return ["%s: expected %s (every other class 0), got %s  [key expected/got: %s]"
            % (what, describe_faults(expected), describe_faults(got), detail)]


class Expect:
    """The figures of one label in one phase: fault counts by class (every
    class not named is expected to be 0) and, optionally, pages touched.
    Label None stands for pages outside every label: the kernel counts
    their faults in the phase's oracle; vmtrace's labels do not see them."""

    def __init__(self, label, phase, pages=None, **counts):
        self.label = label
        self.phase = phase
        self.pages = pages
        self.faults = faults(**counts)


# ---------------------------------------------------------- output files

class OutputError(Exception):
    pass


def find_label(out, name):
    for lab in out.get("labels") or []:
        if isinstance(lab, dict) and lab.get("name") == name:
            return lab
    names = [lab.get("name") for lab in out.get("labels") or []
             if isinstance(lab, dict)]
    raise OutputError("no label %r in the output file (labels: %s)"
                      % (name, names or "none"))


def label_range(out, name):
    lab = find_label(out, name)
    try:
        s, e = lab["ranges"][0]
        return int(s), int(e)
    except Exception:
        raise OutputError("label %r: bad ranges %r" % (name, lab.get("ranges")))


def vmas_overlapping(out, start, end):
    return sorted((v for v in out.get("vmas") or []
                   if v["start"] < end and v["end"] > start),
                  key=lambda v: v["start"])


def mapping_by_id(out, mid):
    maps = out.get("mappings") or []
    if not isinstance(mid, int) or not 0 <= mid < len(maps):
        raise OutputError("vma refers to mapping %r; there are %d mappings"
                          % (mid, len(maps)))
    m = maps[mid]
    if m.get("id") != mid:
        raise OutputError("mappings[%d] has id %r" % (mid, m.get("id")))
    return m


def mapping_of_label(out, name):
    """The mapping whose VMAs cover the label's (first) range."""
    s, e = label_range(out, name)
    ids = sorted({v.get("mapping") for v in vmas_overlapping(out, s, e)})
    if len(ids) != 1:
        raise OutputError("label %r [%#x, %#x): expected the VMAs over it to "
                          "belong to one mapping, found mappings %s"
                          % (name, s, e, ids))
    return mapping_by_id(out, ids[0])


def describe_vmas(vmas, base=None):
    def a(x):
        if base is None:
            return "%#x" % x
        return "base%+d pages" % ((x - base) // PAGE) if (x - base) % PAGE == 0 \
            else "%#x" % x
    return "; ".join("[%s, %s) %s mapping %s" % (a(v["start"]), a(v["end"]),
                                                 v.get("perms"), v.get("mapping"))
                     for v in vmas) or "none"


def check_label_phases(out, expects, label_totals=True):
    """Errors for every (label, phase) figure that differs from its Expect,
    and, when label_totals, for labels whose overall figures are not the
    sum of their expected phases (i.e. faults outside the phases named)."""
    errs = []
    sums = {}
    for ex in expects:
        if ex.label is None:
            continue
        try:
            lab = find_label(out, ex.label)
        except OutputError as e:
            errs.append(str(e))
            continue
        phases = lab.get("phases") or {}
        ph = phases.get(ex.phase) if isinstance(phases, dict) else None
        what = "label %r, phase %r" % (ex.label, ex.phase)
        if ph is None:
            if ex.faults["total"] or ex.faults["invalid"] or ex.pages:
                errs.append("%s: the label has no entry for this phase "
                            "(phases present: %s); expected faults %s, "
                            "pages_touched %s"
                            % (what, sorted(phases) if isinstance(phases, dict)
                               else phases, describe_faults(ex.faults), ex.pages))
        else:
            errs += compare_faults(what, ex.faults, ph.get("faults"))
            if ex.pages is not None and ph.get("pages_touched") != ex.pages:
                errs.append("%s: expected pages_touched %d, got %s"
                            % (what, ex.pages, ph.get("pages_touched")))
        sums[ex.label] = add_faults(sums.get(ex.label, faults()), ex.faults)
    if label_totals:
        for name, total in sums.items():
            try:
                lab = find_label(out, name)
            except OutputError:
                continue
            errs += compare_faults("label %r over the whole run" % name,
                                   total, lab.get("faults"))
    return errs


def find_phase(out, name):
    for ph in out.get("phases") or []:
        if isinstance(ph, dict) and ph.get("name") == name:
            return ph
    names = [ph.get("name") for ph in out.get("phases") or [] if isinstance(ph, dict)]
    raise OutputError("no phase %r in the output file (phases: %s)"
                      % (name, names or "none"))


def check_consistency(out):
    """Sum over mappings and over phases of every fault key equals totals;
    minor/major/total are the sums the format defines."""
    errs = []
    tot = (out.get("totals") or {}).get("faults")
    if not isinstance(tot, dict):
        return ["totals.faults missing"]
    for k in FAULT_KEYS:
        if k not in tot:
            errs.append("totals.faults lacks %r" % k)
    if errs:
        return errs
    kinds = {c.get("name"): c.get("kind") for c in out.get("fault_classes") or []}
    for c in CLASSES:
        want = "minor" if c in MINOR_CLASSES else "major"
        if kinds.get(c) != want:
            errs.append("fault_classes: %r has kind %r, the format says %r"
                        % (c, kinds.get(c), want))
    for where, f in [("totals", tot)] + \
            [("mapping %s" % m.get("id"), m.get("faults")) for m in out.get("mappings") or []] + \
            [("phase %r" % p.get("name"), p.get("faults")) for p in out.get("phases") or []]:
        if not isinstance(f, dict) or any(k not in f for k in FAULT_KEYS):
            errs.append("%s: faults object incomplete: %r" % (where, f))
            continue
        if f["minor"] != sum(f[c] for c in MINOR_CLASSES) or \
                f["major"] != sum(f[c] for c in MAJOR_CLASSES) or \
                f["total"] != f["minor"] + f["major"]:
            errs.append("%s: minor/major/total (%s/%s/%s) are not the sums of "
                        "the classes (%s)" % (where, f["minor"], f["major"],
                                              f["total"], describe_faults(f)))
    if errs:
        return errs
    for listname in ("mappings", "phases"):
        items = out.get(listname) or []
        for k in FAULT_KEYS:
            s = sum(i["faults"][k] for i in items)
            if s != tot[k]:
                errs.append("sum over %s of %s is %d, totals.faults.%s is %d"
                            % (listname, k, s, k, tot[k]))
    return errs


# Keys holding virtual times, which depend on how many instructions the
# program executed, whatever vmtrace does.
TIME_KEYS = frozenset({"instructions", "memory_references", "created_at",
                       "unmapped_at", "time"})


def json_diff(a, b, path=(), ignore=frozenset(), limit=20, out=None,
              ignore_keys=frozenset()):
    """Paths at which two JSON values differ (at most `limit`).  `ignore`
    holds whole paths to skip, `ignore_keys` key names to skip anywhere."""
    if out is None:
        out = []
    if len(out) >= limit or path in ignore or (path and path[-1] in ignore_keys):
        return out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                out.append((path + (k,), a.get(k, "<absent>"), b.get(k, "<absent>")))
            else:
                json_diff(a[k], b[k], path + (k,), ignore, limit, out, ignore_keys)
            if len(out) >= limit:
                break
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append((path + ("len",), len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            json_diff(x, y, path + (i,), ignore, limit, out, ignore_keys)
            if len(out) >= limit:
                break
    elif a != b or type(a) is not type(b):
        out.append((path, a, b))
    return out


def normalise_tmp(value, tmpdir):
    """Replaces the run's temporary directory in every string by $TMP and
    the inode of files in it by '*' (each run creates its files anew)."""
    if isinstance(value, dict):
        d = {k: normalise_tmp(v, tmpdir) for k, v in value.items()}
        if isinstance(d.get("path"), str) and d["path"].startswith("$TMP") \
                and "inode" in d:
            d["inode"] = "*"
        return d
    if isinstance(value, list):
        return [normalise_tmp(v, tmpdir) for v in value]
    if isinstance(value, str) and tmpdir:
        return value.replace(tmpdir, "$TMP")
    return value


def fmt_path(path):
    return ".".join(str(p) if not isinstance(p, int) else "[%d]" % p
                    for p in path).replace(".[", "[")


def short(v, n=120):
    s = json.dumps(v) if not isinstance(v, str) else repr(v)
    return s if len(s) <= n else s[:n] + "..."


# ------------------------------------------------------------- running

class RunSpec:
    """One execution: a client natively (kind 'native'), a client or any
    program under vmtrace (kind 'vmtrace').  Equal specs run once."""

    def __init__(self, kind, program, args=(), vm_args=(), fast_path=None,
                 client=None, timeout=None):
        self.kind = kind
        self.program = program      # client name, or an absolute path
        self.client = client if client is not None else not program.startswith("/")
        self.args = tuple(args)
        self.vm_args = tuple(vm_args)
        self.fast_path = fast_path
        self.timeout = timeout
        self.key = (kind, program, self.args, self.vm_args, fast_path)

    def describe(self):
        s = self.program + (" " + " ".join(self.args) if self.args else "")
        if self.kind == "native":
            return "native " + s
        return "vmtrace %s%s" % (" ".join(self.vm_args + ("--fast-path=%s" % self.fast_path,)
                                         if self.fast_path else self.vm_args), " " + s)


class Result:
    def __init__(self, spec):
        self.spec = spec
        self.error = None        # why the run could not be made at all
        self.argv = None
        self.returncode = None
        self.stdout = ""
        self.stderr = ""
        self.wall = None         # seconds
        self.maxrss_kib = None
        self.tmpdir = None
        self.outputs = []        # [(path, parsed JSON or None, error or None)]

    # -- conveniences for checks
    def status(self):
        rc = self.returncode
        if rc is None:
            return "not run"
        if rc < 0:
            try:
                name = signal.Signals(-rc).name
            except ValueError:
                name = "signal %d" % -rc
            return "killed by %s" % name
        return "exit %d" % rc

    def stderr_tail(self, n=12):
        lines = self.stderr.rstrip("\n").split("\n")
        if lines == [""]:
            return ["(stderr empty)"]
        lines = lines[-n:]
        return ["stderr: " + l for l in lines]

    def command(self):
        return " ".join(shlex.quote(a) for a in self.argv) if self.argv else "?"

    def lines(self, tag):
        """Lines 'TAG rest' of stdout, as a list of 'rest' strings."""
        return [l[len(tag) + 1:] for l in self.stdout.split("\n")
                if l.startswith(tag + " ")]

    def info(self, key):
        for l in self.lines("INFO"):
            k, _, v = l.partition("=")
            if k == key:
                return int(v)
        return None

    def the_output(self):
        """The single parsed output file, or raise OutputError."""
        if self.error:
            raise OutputError(self.error)
        if not self.outputs:
            raise OutputError("no output file: nothing matched %s/vmtrace.out.* "
                              "(%s)" % (self.tmpdir, self.status()))
        if len(self.outputs) > 1:
            raise OutputError("%d output files, expected 1: %s"
                              % (len(self.outputs), [p for p, _, _ in self.outputs]))
        path, data, err = self.outputs[0]
        if err:
            raise OutputError("output file %s: %s" % (os.path.basename(path), err))
        return data


class Harness:
    def __init__(self, root, jobs=2, keep=False, timeout=180):
        self.root = root
        self.jobs = jobs
        self.keep = keep
        self.timeout = timeout
        self.valgrind = os.environ.get("VMTRACE_VALGRIND") or os.path.join(root, "vg-in-place")
        self.build = os.path.join(root, "tests", "build")
        self.clients_dir = os.path.join(root, "tests", "clients")
        self.compile_errors = {}
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
        self.futures = {}
        self.lock = threading.Lock()
        self.running = set()     # pids of the programs running now
        self.aborted = False

    # -- building
    def cflags(self):
        return ["-std=c11", "-O1", "-g", "-Wall", "-Wextra", "-Werror", "-pthread",
                "-I" + os.path.join(self.root, "vmtrace", "tool"),
                "-I/usr/include/valgrind",
                "-I" + os.path.join(self.root, "tests", "lib")]

    def client_path(self, name):
        return os.path.join(self.build, name)

    def compile_one(self, name):
        src = os.path.join(self.clients_dir, name + ".c")
        exe = self.client_path(name)
        tmp = "%s.tmp%d" % (exe, os.getpid())   # other runners may build too
        argv = [os.environ.get("CC", "cc")] + self.cflags() + [src, "-o", tmp]
        p = subprocess.run(argv, capture_output=True, text=True)
        if p.returncode != 0:
            if os.path.exists(tmp):
                os.unlink(tmp)
            return name, "client %s does not compile:\n  $ %s\n%s" % (
                name, " ".join(argv), p.stdout + p.stderr)
        os.replace(tmp, exe)
        return name, None

    def compile(self, names):
        os.makedirs(self.build, exist_ok=True)
        for name, err in self.pool.map(self.compile_one, sorted(set(names))):
            if err:
                self.compile_errors[name] = err

    # -- running
    def submit(self, spec):
        with self.lock:
            f = self.futures.get(spec.key)
            if f is None:
                f = self.pool.submit(self.execute, spec)
                self.futures[spec.key] = f
            return f

    def vmtrace_missing(self):
        v = self.valgrind
        if not os.path.exists(v):
            return ("vmtrace not built: %s does not exist (build the tool, or "
                    "point VMTRACE_VALGRIND at a valgrind that has it)" % v)
        if not os.access(v, os.X_OK):
            return "vmtrace not built: %s is not executable" % v
        return None

    def execute(self, spec):
        r = Result(spec)
        if spec.client and spec.program in self.compile_errors:
            r.error = self.compile_errors[spec.program]
            return r
        prog = self.client_path(spec.program) if spec.client else spec.program
        if spec.kind == "native":
            argv = [prog] + list(spec.args)
        else:
            missing = self.vmtrace_missing()
            if missing:
                r.error = missing
                return r
            argv = [self.valgrind, "--tool=vmtrace"]
            if spec.fast_path:
                argv.append("--fast-path=%s" % spec.fast_path)
            argv += ["--vmtrace-out-file=@TMP@/vmtrace.out.%p"]
            argv += list(spec.vm_args) + [prog] + list(spec.args)
        # <tmp>/ holds stdout, stderr and the output files; the program runs
        # in the empty <tmp>/cwd with TMPDIR=<tmp>/tmp (where clients create
        # their files and Valgrind its own temporary files, which a program
        # listing its working directory must not see).  mkdtemp names have
        # the same length every time, so two runs of a program see
        # environments of the same size.
        tmp = tempfile.mkdtemp(prefix="vmtest-")
        r.tmpdir = tmp
        r.argv = [a.replace("@TMP@", tmp) for a in argv]
        cwd = os.path.join(tmp, "cwd")
        os.mkdir(cwd)
        os.mkdir(os.path.join(tmp, "tmp"))
        env = dict(os.environ)
        env["TMPDIR"] = os.path.join(tmp, "tmp")
        env["PWD"] = cwd
        env.pop("VALGRIND_OPTS", None)   # options come from the case only
        if spec.kind == "native":
            env.pop("VALGRIND_LIB", None)
        out_path = os.path.join(tmp, ".stdout")
        err_path = os.path.join(tmp, ".stderr")
        timeout = spec.timeout or self.timeout
        try:
            with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
                t0 = time.monotonic()
                p = subprocess.Popen(r.argv, stdin=subprocess.DEVNULL, stdout=fo,
                                     stderr=fe, cwd=cwd, env=env,
                                     start_new_session=True)
                with self.lock:
                    self.running.add(p.pid)
                timed_out = False
                try:
                    while True:
                        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
                        if pid:
                            break
                        if self.aborted or time.monotonic() - t0 > timeout:
                            timed_out = not self.aborted
                            os.killpg(p.pid, signal.SIGKILL)
                            pid, status, ru = os.wait4(p.pid, 0)
                            break
                        time.sleep(0.01)
                finally:
                    with self.lock:
                        self.running.discard(p.pid)
                p.returncode = os.waitstatus_to_exitcode(status)
                r.wall = time.monotonic() - t0
                r.maxrss_kib = ru.ru_maxrss
                r.returncode = p.returncode
            with open(out_path, "rb") as f:
                r.stdout = f.read().decode("utf-8", "replace")
            with open(err_path, "rb") as f:
                r.stderr = f.read().decode("utf-8", "replace")
            if timed_out:
                r.error = "timed out after %ds and was killed" % timeout
            if spec.kind == "vmtrace":
                for path in sorted(glob.glob(os.path.join(tmp, "vmtrace.out.*"))):
                    try:
                        with open(path, "rb") as f:
                            raw = f.read()
                        data = json.loads(raw.decode("utf-8"))
                        if not isinstance(data, dict):
                            raise ValueError("top level is %s, not an object"
                                             % type(data).__name__)
                        r.outputs.append((path, data, None))
                    except (ValueError, UnicodeDecodeError) as e:
                        head = raw[:160].decode("utf-8", "replace") if raw else "(empty file)"
                        r.outputs.append((path, None, "corrupt: %s; it begins %r"
                                          % (e, head)))
        except OSError as e:
            r.error = "could not run %s: %s" % (r.argv[0], e)
        finally:
            if not self.keep:
                shutil.rmtree(tmp, ignore_errors=True)
        return r

    # -- the core's unit tests
    def submit_unit(self, path, prefix="unit"):
        """Runs the test program `path` (tests/unit/run, tests/sim/run, ...)
        once, in the pool; the future's result is [(name, ok, [diags])],
        names prefixed with `prefix`/."""
        with self.lock:
            f = self.futures.get(("unit", path))
            if f is None:
                f = self.pool.submit(self.execute_unit, path, prefix)
                self.futures[("unit", path)] = f
            return f

    def execute_unit(self, path, prefix="unit"):
        """Each 'ok N - name' / 'not ok N - name' line is a case named
        unit/<name> ('# SKIP' and '# TODO' directives count as passed, as
        TAP has it); lines after a 'not ok' that begin with '#' or blanks
        are its diagnostics.  A run that fails (exit status, signal,
        timeout) without any 'not ok' line is one failed case, unit/run."""
        argv = [path]
        cmd = " ".join(shlex.quote(a) for a in argv)
        out_f = tempfile.TemporaryFile()
        t0 = time.monotonic()
        try:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out_f,
                                 stderr=subprocess.STDOUT, cwd=self.root,
                                 start_new_session=True)
        except OSError as e:
            return [(prefix + "/run", False, ["could not run %s: %s" % (cmd, e)])]
        with self.lock:
            self.running.add(p.pid)
        timed_out = False
        try:
            while p.poll() is None:
                if self.aborted or time.monotonic() - t0 > self.timeout:
                    timed_out = not self.aborted
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
                    break
                time.sleep(0.05)
        finally:
            with self.lock:
                self.running.discard(p.pid)
        out_f.seek(0)
        text = out_f.read().decode("utf-8", "replace")
        out_f.close()
        cases = []
        for line in text.split("\n"):
            m = re.match(r"(not ok|ok)\s+\d+\s*(?:-\s*)?(.*)$", line)
            if m:
                name, _, directive = m.group(2).partition(" # ")
                ok = m.group(1) == "ok" or directive.strip().upper().startswith(("TODO", "SKIP"))
                cases.append([prefix + "/" + name.strip(), ok, []])
            elif cases and not cases[-1][1] and (line.startswith("#") or line[:1].isspace()) \
                    and line.strip():
                cases[-1][2].append(line.strip().lstrip("#").strip())
        rc = p.returncode
        if (timed_out or rc != 0) and all(ok for _, ok, _ in cases):
            why = "timed out after %ds and was killed" % self.timeout if timed_out \
                else "exit %d" % rc if rc >= 0 else "killed by signal %d" % -rc
            tail = text.rstrip("\n").split("\n")[-12:]
            cases.append([prefix + "/run", False, ["%s: %s" % (cmd, why)] +
                          ["output: " + l for l in tail]])
        return [tuple(c) for c in cases]

    def close(self):
        self.pool.shutdown(wait=True)

    def abort(self):
        """Stops everything (on ^C: the programs run in sessions of their
        own, so the terminal's SIGINT does not reach them)."""
        self.aborted = True
        for f in self.futures.values():
            f.cancel()
        with self.lock:
            pids = list(self.running)
        for pid in pids:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        self.pool.shutdown(wait=True, cancel_futures=True)


# ------------------------------------------------------------ cases

class Case:
    """A named check over the results of one or more runs.  check(results)
    returns a list of diagnostic strings; empty means the case passes."""

    def __init__(self, name, runs, check):
        self.name = name
        self.runs = runs
        self.check = check


def run_cases(harness, cases, unit=None, unit_filter=None):
    """Runs the cases (their runs in parallel), prints one TAP-like line per
    case in order, then 'N passed, M failed'.  Returns M.  `unit` is the
    path of a unit-test program run alongside, whose cases (those
    unit_filter(name) accepts) are printed after the others."""
    suites = unit if isinstance(unit, list) else [("unit", unit)] if unit else []
    unit_futures = [harness.submit_unit(path, prefix) for prefix, path in suites]
    clients = {s.program for c in cases for s in c.runs if s.client}
    harness.compile(clients)
    for c in cases:
        for s in c.runs:
            harness.submit(s)
    passed = failed = 0
    i = 0
    for i, c in enumerate(cases, 1):
        results = [harness.futures[s.key].result() for s in c.runs]
        try:
            errs = c.check(*results)
        except OutputError as e:
            errs = [str(e)]
        except Exception as e:  # a bug in a check, or an output of the wrong shape
            import traceback
            errs = ["check raised %s: %s" % (type(e).__name__, e)] + \
                traceback.format_exc().rstrip().split("\n")[-4:]
        if errs:
            failed += 1
            print("not ok %d - %s" % (i, c.name))
            shown = []
            for e in errs:
                shown += str(e).rstrip("\n").split("\n")
            for r in results:
                if r.argv and not r.error:
                    shown.append("command: " + r.command() + "   (%s)" % r.status())
            for line in shown:
                print("    # " + line)
        else:
            passed += 1
            print("ok %d - %s" % (i, c.name))
        sys.stdout.flush()
    for unit_future in unit_futures:
        for name, ok, diags in unit_future.result():
            if unit_filter and not unit_filter(name):
                continue
            i += 1
            if ok:
                passed += 1
                print("ok %d - %s" % (i, name))
            else:
                failed += 1
                print("not ok %d - %s" % (i, name))
                for line in diags:
                    print("    # " + line)
        sys.stdout.flush()
    return passed, failed
