"""Options vmtrace must refuse."""

# ---- 4. bad options ------------------------------------------------------
BAD_OPTIONS = ["--fault-around=banana", "--no-such-option=1", "--zero-page=maybe",
               "--fault-around=12345", "--thp=sometimes", "--thp-zero-page=1",
               "--thp-size=8K:always", "--thp-size=64K", "--thp-size=64K:sometimes"]
