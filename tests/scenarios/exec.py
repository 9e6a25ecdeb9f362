"""execve: the image that calls it writes its own output file."""

from vmtest import Expect
from .scenario import scenario
from .checks import output_named


# ---- execve --------------------------------------------------------------------------
# 10 first writes (10 `anon`), then execve("/bin/true"): the image that
# calls execve writes its output file just before the call, as FILE.exec1
# (docs/manual.md), with run.exit {"status": "exec"} and the figures so
# far; /bin/true (not traced) writes none and exits 0.
scenario("exec/true", "exec", [], [
    Expect("region", "write", pages=10, anon=10),
], exit=("exec", 0), checks=[output_named(".exec1")])
