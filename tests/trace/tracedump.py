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
          31: ("COLLAPSE", 2, False), 32: ("REMOVE", 2, False),
          33: ("UNMODELLED", 0, True), 34: ("UNSHARE", 2, False),
          35: ("FILE_PAGES", 5, False), 36: ("FILE_READ", 5, False),
          37: ("FILE_OPEN", 2, False), 38: ("FILE_WRITE", 6, False),
          39: ("FILE_CACHED", 6, False), 40: ("FILE_RA", 4, False),
          41: ("FILE_ADVICE", 4, False)}
KINDS = "rwx"


def _crc_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (0x82F63B78 if c & 1 else 0)
        t.append(c)
    return t


_CRC = _crc_table()


def crc32c(data, crc=0):
    """CRC-32C (Castagnoli), going on from crc: crc32c(b"123456789") is
    0xe3069283."""
    c = crc ^ 0xFFFFFFFF
    for b in data:
        c = _CRC[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def unframe(data, start):
    """A version 3 trace's blocks from start: (payload, [(payload offset,
    file offset)] of each block), every block's CRC checked."""
    payload = bytearray()
    where = []
    pos = start
    while pos < len(data):
        if pos + 8 > len(data):
            raise Corrupt("truncated block frame at %d" % pos)
        n, crc = struct.unpack_from("<II", data, pos)
        if n == 0 or n > 65536:
            raise Corrupt("impossible block length %d at %d" % (n, pos))
        if pos + 8 + n > len(data):
            raise Corrupt("truncated block at %d" % pos)
        if crc32c(data[pos + 8:pos + 8 + n], crc32c(data[pos:pos + 4])) != crc:
            raise Corrupt("CRC mismatch in the block at %d" % pos)
        where.append((len(payload), pos + 8))
        payload += data[pos + 8:pos + 8 + n]
        pos += 8 + n
    return bytes(payload), where


class Corrupt(Exception):
    pass


def items(data):
    """Yields (offset, kind, fields): ('header', json), ('ref', page, acc,
    kernel, cont), ('time', insns, sb_end), ('event', name, args, str),
    ('end',)."""
    if data[:7] != b"VMTRACE" or len(data) < 12 or data[7] not in (1, 2):
        raise Corrupt("no magic at offset 0")
    (n,) = struct.unpack_from("<I", data, 8)
    checked = data[7] == 2
    if checked:
        if len(data) < 16 + n:
            raise Corrupt("truncated header")
        if crc32c(data[:12 + n]) != struct.unpack_from("<I", data, 12 + n)[0]:
            raise Corrupt("header CRC mismatch")
    yield 0, ("header", json.loads(data[12:12 + n].decode()))
    if checked:
        data, where = unframe(data, 16 + n)
        pos = 0
    else:
        where = [(0, 0)]
        pos = 12 + n
    # An item's file offset: that of its payload offset in its block.  The
    # items are read in order, so the block goes only forward: blk, the
    # block pos is in, ends at blk_end (the next one's payload offset);
    # delta is its file offset less its payload offset.
    blk = 0
    blk_end = where[1][0] if len(where) > 1 else float("inf")
    delta = where[0][1] - where[0][0] if where else 0
    size = len(data)

    def u():
        nonlocal pos
        v = shift = 0
        while True:
            if pos >= size:
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
    while pos < size:
        while pos >= blk_end:
            blk += 1
            blk_end = where[blk + 1][0] if blk + 1 < len(where) else float("inf")
            delta = where[blk][1] - where[blk][0]
        at = pos + delta
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
            if checked and pos != size:
                raise Corrupt("bytes after the end item at %d" % at)
            yield at, ("end",)
            return
        else:
            raise Corrupt("unknown item %d at %d" % (b, at))
    raise Corrupt("truncated: no end item")


def blocks(data):
    """A version 3 trace's blocks: [(file offset of the frame, length)]."""
    (n,) = struct.unpack_from("<I", data, 8)
    out, pos = [], 16 + n
    while pos + 8 <= len(data):
        (ln,) = struct.unpack_from("<I", data, pos)
        out.append((pos, ln))
        pos += 8 + ln
    return out


def reframe(data, edit):
    """A version 3 trace with its items' bytes (the blocks' payloads joined)
    changed by edit(bytearray), framed again in blocks of the same lengths
    (the last one taking what is left) with their CRCs: a trace whose
    checks pass, whatever its items say."""
    (n,) = struct.unpack_from("<I", data, 8)
    payload, where = unframe(data, 16 + n)
    payload = bytearray(payload)
    edit(payload)
    out = bytearray(data[:16 + n])
    lens = [ln for _, ln in blocks(data)]
    k = 0
    for i, ln in enumerate(lens):
        blk = bytes(payload[k:] if i == len(lens) - 1 else payload[k:k + ln])
        k += ln
        head = struct.pack("<I", len(blk))
        out += head + struct.pack("<I", crc32c(blk, crc32c(head))) + blk
    return bytes(out)


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
