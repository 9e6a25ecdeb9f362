"""The scenarios of tests/run, one module per kind of behaviour: the cases
named <family>/... (anon/read-write, fork/cow, ...) are in
tests/scenarios/<family>.py, each expected figure derived in the comment
next to it.  scenario.py holds the Scenario class, checks.py and
proc_checks.py the extra checks a scenario may ask for, common.py the
checks every scenario gets.  Importing the package runs the families'
modules in the order below, filling SCENARIOS; BAD_OPTIONS and PROGRAMS
are the bad-option and whole-program cases."""

import importlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))),
                                "lib"))

from .scenario import SCENARIOS  # noqa: E402

FAMILIES = ["anon", "file", "aspace", "edges", "threads", "signals", "syscalls", "populate",
            "collect", "stack", "labels", "shm", "exec", "fork", "thp", "torture",
            "options", "programs", "folio"]
for _family in FAMILIES:
    importlib.import_module("." + _family, __name__)

from .options import BAD_OPTIONS  # noqa: E402
from .programs import PROGRAMS  # noqa: E402

__all__ = ["SCENARIOS", "BAD_OPTIONS", "PROGRAMS", "FAMILIES"]
