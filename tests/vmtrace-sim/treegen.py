"""tests/vmtrace-sim/treegen.py: vmtrace page traces (format 3; format 2
with legacy=True) written by
hand for vmtrace-sim --tree's tests, from docs/output-format.md alone (not
from the core's writer): so that every figure of a tree's replay can be
derived from the references the test itself chose.

A Trace collects items; Trace.bytes() is the file.  Every reference uses the
"new page" encoding (a delta from the page most recently referenced), which
a reader must accept whatever its list of recent pages holds."""

import json
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "trace"))
from tracedump import crc32c  # noqa: E402

OP = {"CONFIG": 1, "FILE": 2, "MMAP": 3, "MUNMAP": 4, "MPROTECT": 5, "MREMAP": 6, "FORK": 18, "FORK_CHILD": 19, "RELEASE": 20,
      "ANSWER": 21, "PARENT": 22, "COLLECT": 17, "CLOCK": 29, "OOM_ADJ": 30,
      "UNMODELLED": 33, "FILE_CACHED": 39, "FILE_RA": 40}
BLOCK = 65536                  # the most bytes of items a block holds
READ, WRITE = 0, 1
PAGE = 4096


def varint(v):
    assert v >= 0
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(v):
    return 2 * v if v >= 0 else -2 * v - 1


class Trace:
    def __init__(self, pid, tid, ppid=1, parent=None, legacy=False):
        """parent: (pid, id) of the trace this one continues (a forked child);
        legacy: format 2 (no CRC, no blocks)."""
        self.legacy = legacy
        head = {"format": "vmtrace-trace", "version": 2 if legacy else 3, "tool": "treegen",
                "id": "%016x" % tid, "pid": pid, "ppid": ppid,
                "parent": None if parent is None else {"pid": parent[0],
                                                       "id": "%016x" % parent[1]},
                "page_size": PAGE, "command": "treegen", "start_time": 0}
        self.head = json.dumps(head).encode()
        self.items = bytearray()
        self.front = None
        self.pid, self.id = pid, tid

    def offset(self):
        """The byte offset in the file of the next item (format 3: past the
        header's CRC and the frames of its block and those before)."""
        if self.legacy:
            return 12 + len(self.head) + len(self.items)
        return 16 + len(self.head) + 8 * (len(self.items) // BLOCK + 1) + len(self.items)

    def event(self, name, *args, s=None):
        self.items += bytes([3 | (4 << 2)]) + varint(OP[name])
        for a in args:
            self.items += varint(a)
        if name in ("FILE", "MMAP", "UNMODELLED"):   # events with a string
            b = (s or "").encode()
            self.items += varint(len(b)) + b
        return self

    def ref(self, page, kind):
        delta = page - (self.front if self.front is not None else 0)
        self.items += bytes([kind | (7 << 2)]) + varint(zigzag(delta))
        self.front = page
        return self

    def config(self):
        return self.event("CONFIG", 0, 0, 0, 0)    # no fault-around, no zero page

    def mmap_anon(self, addr, pages):
        return self.event("MMAP", addr, pages * PAGE, 3, 0, 0, 0, 5)   # rw, anonymous

    def file(self, index, ino, pages):
        """FILE: index, dev 1, ino, size in pages, no flags, no group."""
        return self.event("FILE", index, 1, ino, pages, 0, 0, s="/f%d" % ino)

    def mmap_file(self, addr, pages, index):
        return self.event("MMAP", addr, pages * PAGE, 1, index, 0, 0, 6)  # r--, a file

    def touch(self, addr, pages, kind, answer=None):
        """pages references of one kind to consecutive pages; answer: the
        ANSWER (is the frame still shared) that follows each, for writes to
        pages shared copy-on-write."""
        for i in range(pages):
            self.ref(addr // PAGE + i, kind)
            if answer is not None:
                self.event("ANSWER", 1, answer)
        return self

    def time(self, delta, sb_end=True):
        """TIME: the instruction count advances by delta; sb_end: a
        superblock ended (the next reference begins one)."""
        self.items += bytes([3 | (1 << 2)]) + varint(2 * delta + (1 if sb_end else 0))
        return self

    def kernel(self):
        """The references that follow are the kernel's, in a system call."""
        self.items += bytes([3 | (2 << 2)])
        return self

    def user(self):
        self.items += bytes([3 | (3 << 2)])
        return self

    def clock(self, us):
        return self.event("CLOCK", us)

    def adj(self, v):
        return self.event("OOM_ADJ", v + 1000)

    def bytes(self):
        items = bytes(self.items) + bytes([3 | (5 << 2)])
        head = b"VMTRACE" + bytes([1 if self.legacy else 2]) + \
            len(self.head).to_bytes(4, "little") + self.head
        if self.legacy:
            return head + items
        out = bytearray(head + struct.pack("<I", crc32c(head)))
        for k in range(0, len(items), BLOCK):
            blk = items[k:k + BLOCK]
            n = struct.pack("<I", len(blk))
            out += n + struct.pack("<I", crc32c(blk, crc32c(n))) + blk
        return bytes(out)
