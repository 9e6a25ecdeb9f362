"""Whole programs run under vmtrace."""

# ---- 5. whole programs -----------------------------------------------------
# (name, program, its arguments[, vmtrace's options]).  With --tlb=yes the
# fast path's short ways to the model (a page the filter or the TLB's
# known table holds under an older epoch's mark, the instruction fetch a
# data miss's handler makes) must give what every reference through it
# gives; a 16-entry first level evicts often.
PROGRAMS = [("programs/true", "/bin/true", []), ("programs/ls", "/bin/ls", []),
            ("programs/ls --tlb=yes", "/bin/ls", [], ["--tlb=yes"]),
            ("programs/ls --tlb=yes --tlb-l1d=16:4", "/bin/ls", [],
             ["--tlb=yes", "--tlb-l1d=16:4"])]
