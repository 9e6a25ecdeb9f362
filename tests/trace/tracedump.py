#!/usr/bin/env python3
"""tracedump.py TRACE: the items of a vmtrace page trace, one a line (an
independent reader of docs/output-format.md's layout, for the tests and for
looking into a trace by hand)."""

import json
import struct
import sys

EVENTS = {1: ("CONFIG", 4, False), 2: ("FILE", 6, True), 3: ("MMAP", 7, True),
          4: ("MUNMAP", 2, False), 5: ("MPROTECT", 3, False), 6: ("MREMAP", 4, False),
          7: ("DONTNEED", 2, False), 8: ("MLOCK", 3, False), 9: ("MLOCKALL", 2, False),
          10: ("MUNLOCKALL", 0, False), 11: ("BRK", 1, False), 12: ("STACK", 2, False),
          13: ("RESIZE", 3, False), 14: ("LABEL", 2, True), 15: ("UNLABEL", 2, False),
          16: ("PHASE", 0, True), 17: ("COLLECT", 1, False), 18: ("FORK", 0, False),
          19: ("FORK_CHILD", 1, False), 20: ("RELEASE", 0, False), 21: ("ANSWER", 2, False),
          22: ("PARENT", 3, False), 23: ("POPULATE", 3, False), 24: ("GUARD", 3, False),
          25: ("THP", 3, False), 26: ("HUGEPAGE", 3, False), 27: ("THP_ORDERS", 3, False),
          28: ("MADVISE", 4, False), 29: ("CLOCK", 1, False), 30: ("OOM_ADJ", 1, False),
          31: ("COLLAPSE", 2, False), 32: ("REMOVE", 2, False)}
KINDS = "rwx"


class Corrupt(Exception):
    pass


def items(data):
    """Yields (offset, kind, fields): ('header', json), ('ref', page, acc,
    kernel, cont), ('time', insns, sb_end), ('event', name, args, str),
    ('end',)."""
    if data[:8] != b"VMTRACE\x01":
        raise Corrupt("no magic at offset 0")
    (n,) = struct.unpack_from("<I", data, 8)
    yield 0, ("header", json.loads(data[12:12 + n].decode()))
    pos = 12 + n

    def u():
        nonlocal pos
        v = shift = 0
        while True:
            if pos >= len(data):
                raise Corrupt("truncated varint at %d" % pos)
            b = data[pos]
            pos += 1
            v |= (b & 0x7f) << shift
            shift += 7
            if not b & 0x80:
                return v

    mru = []
    page = insns = 0
    kernel = False
    while pos < len(data):
        at = pos
        b = data[pos]
        pos += 1
        k = b & 3
        if k < 3:
            m = (b >> 2) & 7
            if m < 7:
                if m >= len(mru):
                    raise Corrupt("page never named at %d" % at)
                page = mru.pop(m)
            else:
                d = u()
                d = (d >> 1) ^ -(d & 1)
                page = (mru[0] if mru else 0) + d
                if len(mru) == 7:
                    mru.pop()
            mru.insert(0, page)
            for _ in range((b >> 5) + 1):
                yield at, ("ref", page, KINDS[k], kernel, False)
            last_kind = KINDS[k]
            continue
        code = b >> 2
        if code == 0:
            page += 1
            yield at, ("ref", page, last_kind, kernel, True)
        elif code == 1:
            d = u()
            insns += d >> 1
            yield at, ("time", insns, bool(d & 1))
        elif code in (2, 3):
            kernel = code == 2
        elif code == 4:
            op = u()
            if op not in EVENTS:
                raise Corrupt("unknown event %d at %d" % (op, at))
            name, nargs, has_str = EVENTS[op]
            args = [u() for _ in range(nargs)]
            s = None
            if has_str:
                ln = u()
                s = data[pos:pos + ln].decode("utf-8", "replace")
                pos += ln
            yield at, ("event", name, args, s)
        elif code == 5:
            yield at, ("end",)
            return
        else:
            raise Corrupt("unknown item %d at %d" % (b, at))
    raise Corrupt("truncated: no end item")


def main():
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    for at, it in items(data):
        if it[0] == "ref":
            print(at, "ref %s %#x%s%s" % (it[2], it[1] << 12, " kernel" if it[3] else "",
                                          " cont" if it[4] else ""))
        else:
            print(at, *it)


if __name__ == "__main__":
    main()
