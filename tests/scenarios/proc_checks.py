"""Checks on a run of several processes: f(tree, result, extra) -> [errors]."""

from vmtest import (CLIENTS, PAGE, OutputError, find_label, label_range, position_name,
                    short)


# ===================================================================
# Checks on a run of several processes (f(tree, result, extra) -> [errors];
# tree is the ProcTree of the run's output files, see tests/lib/vmtest.py)

BUILD = CLIENTS      # the clients' directory, which "@BUILD@" stands for


def at(*position, image=-1):
    """The process reached from the root through the children at these
    indices (in fork order), and its image (default: the last one)."""
    return (tuple(position), image)


def sharing_bounds(out):
    """totals.uss_pages <= totals.pss_pages <= totals.resident_pages: each
    resident page counts 1 in RSS, 1/n (n >= 1 the processes mapping it) in
    PSS, and 1 or 0 in USS, 1 only where n = 1."""
    t = out.get("totals") or {}
    res, pss, uss = t.get("resident_pages"), t.get("pss_pages"), t.get("uss_pages")
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool)
               for x in (res, pss, uss)):
        return ["totals: resident_pages %s, pss_pages %s, uss_pages %s: expected numbers"
                % (short(res), short(pss), short(uss))]
    if not uss <= pss <= res:
        return ["totals: expected uss_pages <= pss_pages <= resident_pages, got %s, %s, %s"
                % (uss, pss, res)]
    return []


def sharing(tree, position, image=-1):
    im = tree.image(position, image)
    t = im.out.get("totals") or {}
    return im, (t.get("resident_pages"), t.get("pss_pages"), t.get("uss_pages"))


def alone_at_exit(position=()):
    """The process exits after every other process of the run has exited
    (or exec'd): no page is shared, so PSS = USS = RSS."""
    def check(tree, r, extra):
        im, (res, pss, uss) = sharing(tree, position)
        if not (res == pss == uss):
            return ["%s (%s), the last process alive: expected pss_pages = uss_pages = "
                    "resident_pages, got %s, %s, %s" % (position_name(position), im.name,
                                                        pss, uss, res)]
        return []
    return check


def shared_with_one(position):
    """At the process's exit exactly one other process lives (its parent)
    and the parent never wrote after the fork: every resident page is the
    process's own (USS) or shared with that one process only, counting 1/2:
    PSS = USS + (RSS - USS) / 2 exactly."""
    def check(tree, r, extra):
        im, (res, pss, uss) = sharing(tree, position)
        if not all(isinstance(x, int) for x in (res, uss)) or \
                not isinstance(pss, (int, float)) or pss * 2 != uss + res:
            return ["%s (%s): expected pss_pages = uss_pages + (resident_pages - "
                    "uss_pages) / 2 = %s, got pss %s (uss %s, resident %s)"
                    % (position_name(position), im.name,
                       (uss + res) / 2 if isinstance(uss, int) and isinstance(res, int)
                       else "?", pss, uss, res)]
        return []
    return check


def sharing_vs_control(position, resident, pss, uss):
    """The process's resident/PSS/USS exceed those of the same process in
    the control run (extra[0], the same program with a smaller region)
    by exactly these amounts."""
    def check(tree, r, extra):
        im, got = sharing(tree, position)
        base = extra[0]
        try:
            bim, want0 = sharing(base.tree(), position)
        except OutputError as e:
            return ["control run %s: %s" % (base.spec.describe(), e)]
        errs = []
        for name, g, b, d in zip(("resident_pages", "pss_pages", "uss_pages"), got, want0,
                                 (resident, pss, uss)):
            if not isinstance(g, (int, float)) or not isinstance(b, (int, float)) or \
                    g - b != d:
                errs.append("%s (%s): totals.%s %s, the control run's %s (%s): expected "
                            "it + %s" % (position_name(position), im.name, name, g, b,
                                         bim.name, d))
        return errs
    return check


def image_names(position, suffixes):
    """The process's images are the files vmtrace.out.PID + suffix, in
    this order."""
    def check(tree, r, extra):
        p = tree.proc(position)
        want = ["vmtrace.out.%d%s" % (p.pid, sfx) for sfx in suffixes]
        got = [im.name for im in p.images]
        if got != want:
            return ["%s: expected the files %s, got %s" % (position_name(position), want, got)]
        return []
    return check


def command_is(position, image, argv):
    """run.command of the image ("@BUILD@" stands for the clients' directory,
    the build tree's tests/clients/)."""
    def check(tree, r, extra):
        im = tree.image(position, image)
        want = [a.replace("@BUILD@", BUILD) for a in argv]
        if im.run.get("command") != want:
            return ["%s (%s): run.command %s, expected %s"
                    % (position_name(position, image), im.name,
                       short(im.run.get("command"), 200), want)]
        return []
    return check


def labels_are(position, image, names):
    """The image has exactly these labels (an exec'd program starts with
    none of its predecessor's)."""
    def check(tree, r, extra):
        im = tree.image(position, image)
        got = [lab.get("name") for lab in im.out.get("labels") or []]
        if sorted(got) != sorted(names):
            return ["%s (%s): labels %s, expected %s"
                    % (position_name(position, image), im.name, got, list(names))]
        return []
    return check


def label_at(position, label, base_label, first, end):
    """In the process's file, `label` covers exactly pages [first, end) of
    the (first) range of `base_label`."""
    def check(tree, r, extra):
        im = tree.image(position)
        base, _ = label_range(im.out, base_label)
        got = find_label(im.out, label).get("ranges")
        want = [[base + first * PAGE, base + end * PAGE]]
        if got != want:
            return ["%s (%s): label %r: expected ranges %s (pages %d..%d of %r), got %s"
                    % (position_name(position), im.name, label,
                       [[hex(x) for x in w] for w in want], first, end - 1, base_label,
                       short(got))]
        return []
    return check
