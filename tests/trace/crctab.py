#!/usr/bin/env python3
"""crctab.py: writes vmtrace/core/crc32c_tab.h, the tables of the CRC-32C of
vmtrace/core/trace.c (Castagnoli: the reflected polynomial 0x82f63b78),
eight at a time: table 0, entry i, is the CRC of byte i; table k, entry i,
is table k-1's entry i run through one more zero byte, so that eight bytes
fold in at once ("slicing by 8").
    tests/trace/crctab.py > vmtrace/core/crc32c_tab.h"""

POLY = 0x82F63B78


def tables():
    t0 = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (POLY if c & 1 else 0)
        t0.append(c)
    ts = [t0]
    for _ in range(7):
        prev = ts[-1]
        ts.append([(prev[i] >> 8) ^ t0[prev[i] & 0xFF] for i in range(256)])
    return ts


def main():
    print("/* crc32c_tab.h: the CRC-32C tables of trace.c, written by "
          "tests/trace/crctab.py\n   (its docstring says what they hold).\n"
          "   SPDX-License-Identifier: GPL-2.0-or-later */")
    print("static const uint32_t crc_tab[8][256] = {")
    for k, t in enumerate(tables()):
        print("   {")
        for i in range(0, 256, 6):
            row = ", ".join("0x%08x" % x for x in t[i:i + 6])
            print("      " + row + ("," if i + 6 < 256 else ""))
        print("   }" + ("," if k < 7 else ""))
    print("};")


if __name__ == "__main__":
    main()
