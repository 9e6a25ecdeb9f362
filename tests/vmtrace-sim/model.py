"""tests/vmtrace-sim/model.py: what vmtrace-sim's figures are checked
against, written from the definitions, sharing nothing with its C code:
libCacheSim's oracleGeneral and lcs formats (read and written with struct),
the misses of LRU, FIFO, LFU and Belady's MIN, naive LRU stack distances,
SHARDS's sampling hash."""

import struct
from collections import OrderedDict

PAGE = 4096
LCS_MAGIC = 0x123456789ABCDEF0
LCS_HEADER = 8192
OP_READ, OP_WRITE = 12, 13          # libCacheSim's req_op_e
# lcs record layouts by version: v1 = oracleGeneral's; v2 adds op and
# tenant; v3 widens the size and adds a TTL; v4..v8 add 1, 2, 4, 8, 16
# 32-bit features (libCacheSim's traceReader/customizedReader/lcs.h).
LCS_FEATURES = {4: 1, 5: 2, 6: 4, 7: 8, 8: 16}


def next_uses(keys):
    """For each reference, the 1-based index of the next reference to the
    same key, -1 if none (libCacheSim's next_access_vtime)."""
    nxt, last = [-1] * len(keys), {}
    for i in range(len(keys) - 1, -1, -1):
        nxt[i] = last.get(keys[i], -2) + 1 if keys[i] in last else -1
        last[keys[i]] = i
    return nxt


def oracle_bytes(keys, times=None, sizes=None, nexts=None):
    """An oracleGeneral trace: uint32 time, uint64 obj_id, uint32 size,
    int64 next access, little-endian."""
    nexts = next_uses(keys) if nexts is None else nexts
    out = bytearray()
    for i, k in enumerate(keys):
        out += struct.pack("<IQIq", times[i] if times else i + 1, k,
                           sizes[i] if sizes else PAGE, nexts[i])
    return bytes(out)


def read_oracle(data):
    """[(time, obj_id, size, next)] of an oracleGeneral trace."""
    assert len(data) % 24 == 0, "not a whole number of records"
    return [struct.unpack_from("<IQIq", data, o) for o in range(0, len(data), 24)]


def lcs_bytes(keys, version, ops=None, times=None):
    """An lcs trace of the given version, its header as lcs.h lays it out
    (start magic, version, the statistics' version, n_req, n_obj ...,
    end magic at 8184)."""
    nexts = next_uses(keys)
    h = bytearray(LCS_HEADER)
    struct.pack_into("<QQqqq", h, 0, LCS_MAGIC, version, 1, len(keys), len(set(keys)))
    struct.pack_into("<Q", h, LCS_HEADER - 8, LCS_MAGIC)
    out = bytearray(h)
    for i, k in enumerate(keys):
        t = times[i] if times else i + 1
        op = (ops[i] if ops else OP_READ) & 0xFF
        if version == 1:
            out += struct.pack("<IQIq", t, k, PAGE, nexts[i])
        elif version == 2:
            out += struct.pack("<IQIIq", t, k, PAGE, op | (7 << 8), nexts[i])
        else:
            out += struct.pack("<IQqIIq", t, k, PAGE, op | (7 << 8), 3600, nexts[i])
            out += struct.pack("<%dI" % LCS_FEATURES.get(version, 0),
                               *range(LCS_FEATURES.get(version, 0)))
    return bytes(out)


def read_lcs(data):
    """(header fields, [(time, obj_id, size, op, next)]) of an lcs v1/v2
    trace, as lcs.h defines them."""
    start, version = struct.unpack_from("<QQ", data, 0)
    (stat_version, n_req, n_obj, n_req_byte, n_obj_byte, t0, t1, n_read,
     n_write) = struct.unpack_from("<9q", data, 16)
    end = struct.unpack_from("<Q", data, LCS_HEADER - 8)[0]
    head = dict(start=start, end=end, version=version, stat_version=stat_version,
                n_req=n_req, n_obj=n_obj, n_req_byte=n_req_byte, n_obj_byte=n_obj_byte,
                start_time=t0, end_time=t1, n_read=n_read, n_write=n_write)
    recs, o = [], LCS_HEADER
    size = {1: 24, 2: 28}[version]
    assert (len(data) - LCS_HEADER) % size == 0, "not a whole number of records"
    while o < len(data):
        if version == 1:
            t, k, sz, nx = struct.unpack_from("<IQIq", data, o)
            op = OP_READ
        else:
            t, k, sz, opt, nx = struct.unpack_from("<IQIIq", data, o)
            op = opt & 0xFF
        recs.append((t, k, sz, op, nx))
        o += size
    return head, recs


# ---- the policies, from their definitions --------------------------------

def _queue_misses(keys, c, recency):
    """Misses of a queue of c pages evicting its head: a hit moves the page
    to the tail with recency (LRU), leaves it in place without (FIFO)."""
    cache, miss = OrderedDict(), 0
    for k in keys:
        if k in cache:
            if recency:
                cache.move_to_end(k)
            continue
        miss += 1
        if len(cache) == c:
            cache.popitem(last=False)
        cache[k] = True
    return miss


def lru_misses(keys, c):
    return _queue_misses(keys, c, True)


def fifo_misses(keys, c):
    return _queue_misses(keys, c, False)


def lfu_misses(keys, c):
    """The fewest references since the page came in (counting the one that
    brought it), ties to the least recently used."""
    count, last, miss = {}, {}, 0
    for i, k in enumerate(keys):
        if k in count:
            count[k] += 1
            last[k] = i
            continue
        miss += 1
        if len(count) == c:
            v = min(count, key=lambda x: (count[x], last[x]))
            del count[v], last[v]
        count[k], last[k] = 1, i
    return miss


def belady_misses(keys, c):
    """MIN: the page whose next reference is farthest goes (never: farthest
    of all)."""
    nxt = next_uses(keys)
    cache, miss = {}, 0                 # page -> its next use
    for i, k in enumerate(keys):
        far = nxt[i] if nxt[i] > 0 else 1 << 62
        if k in cache:
            cache[k] = far
            continue
        miss += 1
        if len(cache) == c:
            del cache[max(cache, key=lambda x: cache[x])]
        cache[k] = far
    return miss


def lru_distances(keys):
    """Each reference's LRU stack distance (1 = on top), None for the first
    reference to a page: by moving pages in a plain list."""
    stack, out = [], []
    for k in keys:
        if k in stack:
            d = stack.index(k)
            out.append(d + 1)
            del stack[d]
        else:
            out.append(None)
        stack.insert(0, k)
    return out


def lru_curve(keys):
    """misses(c) for c = 1 .. distinct pages, from the stack distances."""
    ds = lru_distances(keys)
    return [sum(1 for d in ds if d is None or d > c) for c in range(1, len(set(keys)) + 1)]


# ---- SHARDS ---------------------------------------------------------------

M64 = (1 << 64) - 1


def splitmix64(x):
    """splitmix64's finaliser, the hash vmtrace-sim samples pages by."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def sampled(keys, rate):
    """The references SHARDS keeps at rate R: those to pages whose hash is
    below R * 2^64."""
    t = int(rate * (1 << 64))
    return [k for k in keys if splitmix64(k) < t]
