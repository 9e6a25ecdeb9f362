"""Whole programs run under vmtrace."""

# ---- 5. whole programs -----------------------------------------------------
PROGRAMS = [("programs/true", "/bin/true", []), ("programs/ls", "/bin/ls", [])]
