# tests/lib/build-tree.sh: sourced by the shell runners (tests/unit/run,
# tests/sim/run) to find a test program in the build tree.
#
# The build tree is $VMTRACE_BUILDDIR (make check sets it), by default the
# source tree (an in-tree build, as README.md's).  make check builds the
# test programs (check_PROGRAMS in Makefile.am); a runner started by hand
# first brings its program up to date with make.

vt_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
vt_builddir=${VMTRACE_BUILDDIR:-$vt_srcdir}

# vt_program PROGRAM: prints the path of PROGRAM (relative to the build
# tree) once it is up to date; exits 1 with a one-line error if it is not
# built.
vt_program() {
  if [ -z "${MAKELEVEL:-}" ] && [ -f "$vt_builddir/Makefile" ]; then
    make -s -C "$vt_builddir" "$1" >&2 || {
      echo "$0: make $1 failed in $vt_builddir" >&2; exit 1; }
  fi
  if [ ! -x "$vt_builddir/$1" ]; then
    echo "$0: $vt_builddir/$1 is not built (make check builds it; set VMTRACE_BUILDDIR to the build tree)" >&2
    exit 1
  fi
  printf '%s\n' "$vt_builddir/$1"
}
