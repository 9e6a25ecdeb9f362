/* trace.c: the page trace's writer and reader (vt_trace.h), and the events
   the core records of its own inputs.

   The stream after the header is items, each one byte (b) then varints
   (LEB128; signed ones zigzag) where it says:
     b & 3 < 3: a reference of kind b & 3 (read, write, exec) to a page,
       (b >> 2) & 7 < 7: the page at that index of the 7 most recently used
           pages (moved to the front),
       (b >> 2) & 7 = 7: a new page, signed varint: its page number minus
           that of the most recent page (it goes to the front),
       b >> 5: repeats: b >> 5 more references to the same page and kind
           follow, each the next in order;
     b & 3 = 3: b >> 2 is
       0 CONT: the next page of the previous reference's access (a straddling
         access: the same kind, time and order);
       1 TIME: varint, the instruction count advances by it;
       2 KERNEL / 3 USER: the references that follow are the kernel's, made
         inside a system call (their order: after the call's own), or the
         program's again;
       4 EVENT: varint opcode, then the event's fields (below);
       5 END.
   Order within a time is the position in the stream (what the tool's
   instrumentation gives: each check of a superblock in turn).

   From version 3 on (magic byte 7: 2) the header is followed by its
   CRC-32C, and the stream is cut into blocks, each framed by its length
   and the CRC-32C of the length and the bytes: a reader checks a block
   whole before it decodes any item of it, so no flipped bit reaches the
   model (an item may straddle two blocks: the framing is below the items).
   Versions 1 and 2 (magic byte 1) are the bare stream, read unchecked.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"
#include "vt_trace.h"

#define MRU 7
#define NO_PAGE (~(vt_u64)0)

static const struct { unsigned char nargs, str; } events[VT_TEV_NR] = {
   [VT_TEV_CONFIG] = { 4, 0 },   [VT_TEV_FILE] = { 6, 1 },   [VT_TEV_MMAP] = { 7, 1 },
   [VT_TEV_MUNMAP] = { 2, 0 },   [VT_TEV_MPROTECT] = { 3, 0 },
   [VT_TEV_MREMAP] = { 4, 0 },   [VT_TEV_DONTNEED] = { 2, 0 },
   [VT_TEV_MLOCK] = { 3, 0 },    [VT_TEV_MLOCKALL] = { 2, 0 },
   [VT_TEV_MUNLOCKALL] = { 0, 0 }, [VT_TEV_BRK] = { 1, 0 },  [VT_TEV_STACK] = { 2, 0 },
   [VT_TEV_RESIZE] = { 3, 0 },   [VT_TEV_LABEL] = { 2, 1 },  [VT_TEV_UNLABEL] = { 2, 0 },
   [VT_TEV_PHASE] = { 0, 1 },    [VT_TEV_COLLECT] = { 1, 0 }, [VT_TEV_FORK] = { 0, 0 },
   [VT_TEV_FORK_CHILD] = { 1, 0 }, [VT_TEV_RELEASE] = { 0, 0 },
   [VT_TEV_ANSWER] = { 2, 0 },   [VT_TEV_PARENT] = { 3, 0 },
   [VT_TEV_POPULATE] = { 3, 0 }, [VT_TEV_GUARD] = { 3, 0 },
   [VT_TEV_THP] = { 3, 0 },      [VT_TEV_HUGEPAGE] = { 3, 0 },
   [VT_TEV_THP_ORDERS] = { 3, 0 },
   [VT_TEV_MADVISE] = { 4, 0 },
   [VT_TEV_CLOCK] = { 1, 0 },    [VT_TEV_OOM_ADJ] = { 1, 0 },
   [VT_TEV_COLLAPSE] = { 2, 0 },  [VT_TEV_REMOVE] = { 2, 0 },
   [VT_TEV_UNMODELLED] = { 0, 1 }, [VT_TEV_UNSHARE] = { 2, 0 },
   [VT_TEV_FILE_PAGES] = { 5, 0 }, [VT_TEV_FILE_READ] = { 5, 0 },
   [VT_TEV_FILE_OPEN] = { 2, 0 }, [VT_TEV_FILE_WRITE] = { 6, 0 },
   [VT_TEV_FILE_CACHED] = { 6, 0 }, [VT_TEV_FILE_RA] = { 4, 0 },
   [VT_TEV_FILE_ADVICE] = { 4, 0 },
};

unsigned vt_trace_event_nargs(unsigned op)
{
   return op < VT_TEV_NR ? events[op].nargs : 0;
}

bool vt_trace_event_has_str(unsigned op)
{
   return op < VT_TEV_NR && events[op].str;
}

/* ---- CRC-32C (Castagnoli: reflected polynomial 0x82f63b78, as iSCSI and
   ext4 use) ------------------------------------------------------------------

   Eight bytes at a time ("slicing by 8": table k folds in a byte that has
   k more bytes after it), since every byte of a trace passes here, written
   and read: a byte at a time (a table load per byte, each waiting for the
   one before) it ran at about 400 MB/s here, a fifth of the CPU time of
   recording gzip -c of 1.3 MB (68 MB of trace, 0.9 s); eight at a time,
   about 1.3 GB/s, a twentieth. */
#include "crc32c_tab.h"

uint32_t vt_crc32c(uint32_t crc, const void *buf, size_t len)
{
   const unsigned char *p = buf;
   uint32_t c = ~crc;
   for (; len >= 8; p += 8, len -= 8) {
      uint32_t lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                         (uint32_t)p[3] << 24);
      c = crc_tab[7][lo & 0xff] ^ crc_tab[6][(lo >> 8) & 0xff] ^
          crc_tab[5][(lo >> 16) & 0xff] ^ crc_tab[4][lo >> 24] ^
          crc_tab[3][p[4]] ^ crc_tab[2][p[5]] ^ crc_tab[1][p[6]] ^ crc_tab[0][p[7]];
   }
   for (; len; p++, len--)
      c = crc_tab[0][(c ^ *p) & 0xff] ^ (c >> 8);
   return ~c;
}

static void put_le32(unsigned char *p, uint32_t v)
{
   for (int i = 0; i < 4; i++)
      p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_le32(const unsigned char *p)
{
   return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A block's frame: its length, then the CRC-32C of those 4 bytes and the
   block's (so a flipped length cannot pass for another block). */
static uint32_t block_crc(const unsigned char *len4, const unsigned char *p, size_t n)
{
   return vt_crc32c(vt_crc32c(0, len4, 4), p, n);
}

enum { IT_CONT = 0, IT_TIME = 1, IT_KERNEL = 2, IT_USER = 3, IT_EVENT = 4, IT_END = 5 };

/* ---- varints ------------------------------------------------------------- */

static unsigned put_u(unsigned char *p, vt_u64 v)
{
   unsigned n = 0;
   while (v >= 0x80) {
      p[n++] = (unsigned char)(v | 0x80);
      v >>= 7;
   }
   p[n++] = (unsigned char)v;
   return n;
}

static vt_u64 zigzag(vt_s64 v)
{
   return ((vt_u64)v << 1) ^ (vt_u64)(v >> 63);
}

static vt_s64 unzigzag(vt_u64 v)
{
   return (vt_s64)(v >> 1) ^ -(vt_s64)(v & 1);
}

/* ---- writing ------------------------------------------------------------- */

#define WBUF 65536
struct vt_trace_writer {
   struct vt_trace_out out;
   unsigned char buf[WBUF];
   size_t   used;
   vt_u64   written;             /* bytes flushed before buf */
   vt_u64   mru[MRU];
   vt_u64   insns;
   bool     kernel;
   size_t   time_at;             /* the last TIME item's byte, if last */
   bool     time_open;
   /* the reference being repeated: its byte's index in buf (or none) */
   size_t   rep_at;
   bool     rep_open;
   vt_u64   rep_page;
   unsigned rep_acc;
   vt_u64   last_page;           /* of the previous reference (CONT) */
   unsigned nr_files;            /* files defined so far (FILE events) */
   struct vt_file **files;
   unsigned cap_files;
};

/* The buffered items, as one block. */
static void w_flush(struct vt_trace_writer *w)
{
   if (w->used) {
      unsigned char frame[VT_TRACE_FRAME];
      put_le32(frame, (uint32_t)w->used);
      put_le32(frame + 4, block_crc(frame, w->buf, w->used));
      w->out.write(w->out.ctx, frame, sizeof frame);
      w->out.write(w->out.ctx, w->buf, w->used);
      w->written += sizeof frame + w->used;
      w->used = 0;
   }
   w->rep_open = false;
   w->time_open = false;
}

static void w_room(struct vt_trace_writer *w, size_t n)
{
   if (w->used + n > WBUF)
      w_flush(w);
}

static void w_byte(struct vt_trace_writer *w, unsigned b)
{
   w_room(w, 1);
   w->buf[w->used++] = (unsigned char)b;
}


static void w_u(struct vt_trace_writer *w, vt_u64 v)
{
   w_room(w, 10);
   w->used += put_u(w->buf + w->used, v);
}


static void w_special(struct vt_trace_writer *w, unsigned code)
{
   w->rep_open = false;
   w->time_open = false;
   w_byte(w, 3 | (code << 2));
}

struct vt_trace_writer *vt_trace_writer_new(const struct vt_trace_out *out,
                                            const char *header_json)
{
   struct vt_trace_writer *w = vt_alloc(sizeof *w);
   w->out = *out;
   size_t n = vt_strlen(header_json);
   unsigned char head[12], sum[4];
   vt_memcpy(head, VT_TRACE_MAGIC, 8);
   put_le32(head + 8, (uint32_t)n);
   put_le32(sum, vt_crc32c(vt_crc32c(0, head, sizeof head), header_json, n));
   out->write(out->ctx, head, sizeof head);
   out->write(out->ctx, header_json, n);
   out->write(out->ctx, sum, sizeof sum);
   w->written = sizeof head + n + sizeof sum;
   for (int i = 0; i < MRU; i++)
      w->mru[i] = NO_PAGE;
   return w;
}

/* The buffered bytes go out as one block, after its frame. */
vt_u64 vt_trace_offset(const struct vt_trace_writer *w)
{
   return w->written + VT_TRACE_FRAME + w->used;
}

/* The bytes one raw word can need: a KERNEL or USER item, a reference (a
   byte and a 10-byte varint) and a CONT item; or a TIME item. */
#define RAW_MAX 13

/* Raw words to items: the hot loop of a recording (every reference of the
   program passes here), so it keeps the writer's state in locals while it
   writes (stores through a byte pointer would otherwise reload it all) and
   makes sure of room once per run of words, not once per word. */
void vt_trace_raw(struct vt_trace_writer *w, const vt_u64 *words, size_t n)
{
   while (n) {
      if (WBUF - w->used < RAW_MAX * 16)
         w_flush(w);
      size_t chunk = (WBUF - w->used) / RAW_MAX;
      if (chunk > n)
         chunk = n;
      unsigned char *const buf = w->buf;
      size_t used = w->used;
      vt_u64 insns = w->insns, rep_page = w->rep_page, last_page = w->last_page;
      size_t rep_at = w->rep_at, time_at = w->time_at;
      bool rep_open = w->rep_open, time_open = w->time_open, kernel = w->kernel;
      unsigned rep_acc = w->rep_acc;
      vt_u64 mru[MRU];
      for (int k = 0; k < MRU; k++)
         mru[k] = w->mru[k];
      for (size_t i = 0; i < chunk; i++) {
         vt_u64 x = words[i];
         vt_u64 type = VT_TRAW_TYPE(x);
         if (x == VT_TRAW_CONT) {
            last_page++;
            buf[used++] = 3 | (IT_CONT << 2);
            rep_open = time_open = false;
            continue;
         }
         if (type >= VT_TRAW_TIME) {
            bool end = type == VT_TRAW_SB_END;
            vt_u64 t = end ? insns : VT_TRAW_INSNS(x);
            if (end && time_open && !(buf[time_at] & 1)) {
               buf[time_at] |= 1;            /* the TIME item just written */
               continue;
            }
            if (t == insns && !end)
               continue;
            buf[used++] = 3 | (IT_TIME << 2);
            rep_open = false;
            time_at = used;
            time_open = true;
            used += put_u(buf + used, ((t - insns) << 1) | end);
            insns = t;
            continue;
         }
         bool kern = type == VT_TRAW_KERNEL;
         if (kern != kernel) {
            buf[used++] = (unsigned char)(3 | ((kern ? IT_KERNEL : IT_USER) << 2));
            rep_open = time_open = false;
            kernel = kern;
         }
         vt_addr a = VT_TRAW_ADDR(x);
         vt_u64 size = VT_TRAW_SIZE(x) ? VT_TRAW_SIZE(x) : 1;
         vt_u64 page = a >> VT_PAGE_SHIFT, lastp = (a + size - 1) >> VT_PAGE_SHIFT;
         unsigned acc = (unsigned)VT_TRAW_ACC(x);
         time_open = false;
         if (rep_open && page == rep_page && acc == rep_acc && buf[rep_at] < (7u << 5)) {
            buf[rep_at] = (unsigned char)(buf[rep_at] + (1u << 5));
         } else {
            unsigned m = 0;
            while (m < MRU && mru[m] != page)
               m++;
            vt_u64 front = mru[0] == NO_PAGE ? 0 : mru[0];
            for (unsigned k = m < MRU ? m : MRU - 1; k > 0; k--)
               mru[k] = mru[k - 1];
            mru[0] = page;
            rep_at = used;
            rep_open = true;
            rep_page = page;
            rep_acc = acc;
            if (m < MRU) {
               buf[used++] = (unsigned char)(acc | (m << 2));
            } else {
               buf[used++] = (unsigned char)(acc | (7u << 2));
               used += put_u(buf + used, zigzag((vt_s64)(page - front)));
            }
         }
         last_page = page;
         if (lastp != page) {                /* straddles into the next page */
            buf[used++] = 3 | (IT_CONT << 2);
            rep_open = false;
            last_page = lastp;
         }
      }
      w->used = used;
      w->insns = insns;
      w->rep_page = rep_page;
      w->last_page = last_page;
      w->rep_at = rep_at;
      w->time_at = time_at;
      w->rep_open = rep_open;
      w->time_open = time_open;
      w->kernel = kernel;
      w->rep_acc = rep_acc;
      for (int k = 0; k < MRU; k++)
         w->mru[k] = mru[k];
      words += chunk;
      n -= chunk;
   }
}

void vt_trace_writer_end(struct vt_trace_writer *w)
{
   if (w->out.sync)
      w->out.sync(w->out.ctx);
   w_special(w, IT_END);
   w_flush(w);
   vt_free(w->files);
   vt_free(w);
}

void vt_trace_writer_abandon(struct vt_trace_writer *w)
{
   vt_free(w->files);
   vt_free(w);
}

/* ---- events -------------------------------------------------------------- */

/* An event begins: the raw references recorded before it first. */
static void ev_begin(struct vt_trace_writer *w, unsigned op)
{
   if (w->out.sync)
      w->out.sync(w->out.ctx);
   w_special(w, IT_EVENT);
   w_u(w, op);
}

static void ev_str(struct vt_trace_writer *w, const char *s)
{
   size_t n = s ? vt_strlen(s) : 0;
   w_u(w, n);
   for (size_t i = 0; i < n; i++)
      w_byte(w, (unsigned char)s[i]);
}

/* The index (+1) of a file in this trace, defined by a FILE event the
   first time it is named. */
static vt_u64 ev_file(struct vt_trace_writer *w, struct vt_file *f)
{
   if (!f)
      return 0;
   for (unsigned i = 0; i < w->nr_files; i++)
      if (w->files[i] == f)
         return i + 1;
   if (w->nr_files == w->cap_files) {
      unsigned cap = w->cap_files ? 2 * w->cap_files : 16;
      w->files = vt_realloc_array(w->files, w->nr_files, cap, sizeof *w->files);
      w->cap_files = cap;
   }
   w->files[w->nr_files++] = f;
   w_special(w, IT_EVENT);
   w_u(w, VT_TEV_FILE);
   w_u(w, w->nr_files);
   w_u(w, f->dev);
   w_u(w, f->ino);
   w_u(w, f->size_pages);
   w_u(w, (f->shmem ? 1u : 0u) | (f->sysv_shm ? 2u : 0u) | (f->cold ? 4u : 0u));
   w_u(w, f->gid);
   ev_str(w, f->path);
   /* A regular file is named as the core makes it (its first mmap, write,
      read or growth: vt_file_get, then an event that names it), so the
      size here is its warm part too (vt_file.warm_pages), as a replay's
      vt_file_get takes it. */
   return w->nr_files;
}

static void event(struct vt_trace_writer *w, unsigned op, const vt_u64 *args,
                  const char *str)
{
   ev_begin(w, op);
   for (unsigned i = 0; i < events[op].nargs; i++)
      w_u(w, args[i]);
   if (events[op].str)
      ev_str(w, str);
}

void vt_trace_input(struct vt_mm *mm, unsigned op, const vt_u64 *args, const char *str)
{
   if (mm->trace && !mm->in_api)
      event(mm->trace, op, args, str);
}

void vt_trace_input_mmap(struct vt_mm *mm, const struct vt_mmap_req *r)
{
   struct vt_trace_writer *w = mm->trace;
   if (!w || mm->in_api)
      return;
   if (w->out.sync)
      w->out.sync(w->out.ctx);
   vt_u64 args[7] = { r->start, r->len, r->vm_flags, ev_file(w, r->file), r->pgoff,
                      r->populate, (vt_u64)r->kind | (r->name ? 0x100u : 0) |
                      (r->fixed ? 0x200u : 0) | (r->hint ? 0x400u : 0) };
   event(w, VT_TEV_MMAP, args, r->name);
}

void vt_trace_file(struct vt_mm *mm, struct vt_file *f)
{
   if (mm->trace && !mm->in_api)
      (void)ev_file(mm->trace, f);
}

void vt_trace_answer(struct vt_mm *mm, unsigned kind, vt_u64 value)
{
   if (mm->trace) {
      vt_u64 args[2] = { kind, value };
      event(mm->trace, VT_TEV_ANSWER, args, NULL);
   }
}

void vt_trace_clock(struct vt_mm *mm, vt_u64 us)
{
   vt_u64 a[1] = { us };
   vt_trace_input(mm, VT_TEV_CLOCK, a, NULL);
}

void vt_trace_unmodelled(struct vt_mm *mm, const char *name)
{
   vt_trace_input(mm, VT_TEV_UNMODELLED, NULL, name);
}

void vt_trace_oom_adj(struct vt_mm *mm, int adj)
{
   vt_u64 a[1] = { (vt_u64)(adj < -1000 ? 0 : adj > 1000 ? 2000 : adj + 1000) };
   vt_trace_input(mm, VT_TEV_OOM_ADJ, a, NULL);
}

void vt_mm_set_trace(struct vt_mm *mm, struct vt_trace_writer *w, vt_u64 parent_pid,
                     vt_u64 parent_id, vt_u64 parent_offset)
{
   mm->trace = w;
   if (w && parent_pid) {
      vt_u64 args[3] = { parent_pid, parent_id, parent_offset };
      event(w, VT_TEV_PARENT, args, NULL);
   } else if (w) {
      vt_u64 args[4] = { mm->cfg.fault_around_pages, mm->cfg.zero_page,
                         mm->cfg.cold_cache, mm->cfg.readahead_pages };
      event(w, VT_TEV_CONFIG, args, NULL);
      /* Traces of runs without THP stay as they were before THP was
         modelled: the event only when something is on. */
      if (mm->cfg.thp != VT_THP_NEVER || mm->cfg.thp_disabled) {
         vt_u64 t[3] = { mm->cfg.thp, mm->cfg.thp_zero_page, mm->cfg.thp_disabled };
         event(w, VT_TEV_THP, t, NULL);
      }
      const struct vt_config *c = &mm->cfg;
      if (c->thp_orders_given && (c->thp_orders_always || c->thp_orders_madvise ||
                                  c->thp_orders_inherit != 1u << VT_PMD_ORDER)) {
         vt_u64 o[3] = { c->thp_orders_always, c->thp_orders_madvise,
                         c->thp_orders_inherit };
         event(w, VT_TEV_THP_ORDERS, o, NULL);
      }
      /* A trace begins with the address space collecting (vt_mm_init):
         one that starts paused (--collect-atstart=no) says so, else its
         replay would count what the run did not until the first STOP. */
      if (!mm->collecting) {
         vt_u64 off[1] = { 0 };
         event(w, VT_TEV_COLLECT, off, NULL);
      }
   }
}

/* ---- reading ------------------------------------------------------------- */

#define RBUF 65536
struct vt_trace_reader {
   struct vt_trace_in in;
   unsigned char buf[RBUF];
   size_t   pos, len;
   vt_u64   base;                /* file offset of buf[0] */
   bool     eof, failed;
   bool     checked;             /* version 3 on: the header's CRC and blocks */
   const char *ferr;             /* what is wrong with the block at ferr_at */
   vt_u64   ferr_at;
   char    *header;
   vt_u64   mru[MRU];
   vt_u64   page;                /* of the last reference */
   enum vt_access acc;
   unsigned repeats;             /* still to yield */
   bool     kernel;
   vt_u64   insns;
   char    *str;
   size_t   str_cap;
};

/* Up to n bytes of the file: fewer only at its end or on an error. */
static size_t r_raw(struct vt_trace_reader *r, void *dst, size_t n)
{
   unsigned char *d = dst;
   size_t got = 0;
   while (got < n && !r->eof) {
      long k = r->in.read(r->in.ctx, d + got, n - got);
      if (k <= 0) {
         r->eof = true;
         if (k < 0)
            r->failed = true;
         break;
      }
      got += (size_t)k;
   }
   return got;
}

static bool r_ferr(struct vt_trace_reader *r, vt_u64 at, const char *what)
{
   r->ferr = what;
   r->ferr_at = at;
   return false;
}

/* The next block (version 3), checked whole: its frame at r->base, the
   end of the previous one.  False at the end of the file (between two
   blocks: the caller says what was cut short) or with r->ferr. */
static bool r_block(struct vt_trace_reader *r)
{
   vt_u64 at = r->base;
   unsigned char frame[VT_TRACE_FRAME];
   size_t got = r_raw(r, frame, sizeof frame);
   if (got == 0)
      return false;
   if (got < sizeof frame)
      return r_ferr(r, at, r->failed ? "read error"
                                     : "truncated trace (the file ends inside a block's frame)");
   uint32_t len = get_le32(frame);
   if (len == 0 || len > RBUF)
      return r_ferr(r, at, "corrupt trace (a block's length is impossible)");
   got = r_raw(r, r->buf, len);
   if (got < len)
      return r_ferr(r, at, r->failed ? "read error"
                                     : "truncated trace (the file ends inside a block)");
   if (block_crc(frame, r->buf, len) != get_le32(frame + 4))
      return r_ferr(r, at, "corrupt trace (the block here fails its CRC-32C check)");
   r->base = at + VT_TRACE_FRAME;
   r->len = len;
   return true;
}

static bool r_fill(struct vt_trace_reader *r)
{
   if (r->pos < r->len)
      return true;
   if (r->eof || r->ferr)
      return false;
   r->base += r->len;
   r->pos = r->len = 0;
   if (r->checked)
      return r_block(r);
   r->len = r_raw(r, r->buf, RBUF);
   return r->len > 0;
}

static bool r_byte(struct vt_trace_reader *r, unsigned *b)
{
   if (!r_fill(r))
      return false;
   *b = r->buf[r->pos++];
   return true;
}

static bool r_u(struct vt_trace_reader *r, vt_u64 *v)
{
   vt_u64 x = 0;
   for (unsigned shift = 0; shift < 64; shift += 7) {
      unsigned b;
      if (!r_byte(r, &b))
         return false;
      x |= (vt_u64)(b & 0x7f) << shift;
      if (!(b & 0x80)) {
         *v = x;
         return true;
      }
   }
   return false;                 /* more than 64 bits: corrupt */
}

static bool r_bytes(struct vt_trace_reader *r, void *dst, size_t n)
{
   unsigned char *d = dst;
   for (size_t i = 0; i < n; i++) {
      unsigned b;
      if (!r_byte(r, &b))
         return false;
      d[i] = (unsigned char)b;
   }
   return true;
}

static vt_u64 r_offset(const struct vt_trace_reader *r)
{
   return r->base + r->pos;
}

struct vt_trace_reader *vt_trace_reader_new(const struct vt_trace_in *in,
                                            const char **error)
{
   struct vt_trace_reader *r = vt_alloc(sizeof *r);
   r->in = *in;
   /* Each error names the offset of the field that is wrong or cut short:
      0 the magic (7 its layout byte), 8 the header's length, 12 the
      header, 12 + length its CRC. */
   unsigned char head[12];
   size_t got = r_raw(r, head, sizeof head);
   bool magic = got > 0;
   for (size_t i = 0; magic && i < 7 && i < got; i++)
      magic = head[i] == (unsigned char)VT_TRACE_MAGIC[i];
   if (!magic || got < sizeof head) {
      if (r->failed)
         *error = got < 8 ? "offset 0: read error" : "offset 8: read error";
      else if (!got)
         *error = "offset 0: empty file (not a vmtrace page trace)";
      else if (!magic)
         *error = "offset 0: not a vmtrace page trace (no VMTRACE magic)";
      else if (got < 8)
         *error = "offset 0: truncated trace (the file ends inside the VMTRACE magic)";
      else
         *error = "offset 8: truncated trace header (the file ends inside the header's "
                  "length, after the VMTRACE magic)";
      vt_free(r);
      return NULL;
   }
   /* The layout byte: 1 versions 1 and 2, 2 version 3 on (checked); two
      bits apart, so that no single flipped bit makes a checked trace pass
      for an unchecked one. */
   if (head[7] != 1 && head[7] != 2) {
      *error = "offset 7: a vmtrace trace of an unknown layout (the magic's last byte is "
               "neither 1 nor 2: corrupt, or a newer vmtrace's)";
      vt_free(r);
      return NULL;
   }
   r->checked = head[7] == 2;
   vt_u64 n = get_le32(head + 8);
   if (n > (1u << 24)) {
      *error = "offset 8: corrupt trace header (its length is impossible)";
      vt_free(r);
      return NULL;
   }
   r->header = vt_alloc((size_t)n + 1);
   unsigned char sum[4];
   if (r_raw(r, r->header, (size_t)n) < n ||
       (r->checked && r_raw(r, sum, sizeof sum) < sizeof sum)) {
      *error = r->failed ? "offset 12: read error in the trace header"
                         : "offset 12: truncated trace header (the file ends before the "
                           "length at offset 8 says it does)";
      vt_free(r->header);
      vt_free(r);
      return NULL;
   }
   if (r->checked &&
       vt_crc32c(vt_crc32c(0, head, sizeof head), r->header, (size_t)n) != get_le32(sum)) {
      *error = "offset 0: corrupt trace header (the magic, length and header fail the "
               "CRC-32C check that follows them)";
      vt_free(r->header);
      vt_free(r);
      return NULL;
   }
   r->header[n] = 0;
   r->base = sizeof head + n + (r->checked ? sizeof sum : 0);
   for (int i = 0; i < MRU; i++)
      r->mru[i] = NO_PAGE;
   return r;
}

bool vt_trace_checked(const struct vt_trace_reader *r)
{
   return r->checked;
}

const char *vt_trace_header(const struct vt_trace_reader *r)
{
   return r->header;
}

void vt_trace_reader_free(struct vt_trace_reader *r)
{
   if (!r)
      return;
   vt_free(r->header);
   vt_free(r->str);
   vt_free(r);
}

static bool r_fail(struct vt_trace_reader *r, struct vt_titem *it, vt_u64 at,
                   const char *what)
{
   if (r->ferr) {                /* a block is bad: that is the error */
      what = r->ferr;
      at = r->ferr_at;
   }
   r->failed = true;
   it->kind = VT_TI_ERROR;
   it->offset = at;
   it->error = what;
   return false;
}

static bool r_str(struct vt_trace_reader *r, vt_u64 n)
{
   if (n > (1u << 20))
      return false;
   if (n + 1 > r->str_cap) {
      vt_free(r->str);
      r->str_cap = (size_t)n + 1;
      r->str = vt_alloc(r->str_cap);
   }
   if (!r_bytes(r, r->str, (size_t)n))
      return false;
   r->str[n] = 0;
   return true;
}

bool vt_trace_next(struct vt_trace_reader *r, struct vt_titem *it)
{
   vt_memset(it, 0, sizeof *it);
   if (r->failed)
      return r_fail(r, it, r_offset(r), "read after an error");
   if (r->repeats) {
      r->repeats--;
      it->kind = VT_TI_REF;
      it->page = r->page << VT_PAGE_SHIFT;
      it->acc = r->acc;
      it->kernel = r->kernel;
      it->offset = r_offset(r);
      return true;
   }
   for (;;) {
      vt_u64 at = r_offset(r);
      unsigned b;
      it->offset = at;
      if (!r_byte(r, &b))
         return r_fail(r, it, at, r->eof && !r->failed ? "truncated trace (no end item)"
                                                       : "read error");
      unsigned k = b & 3;
      if (k < 3) {
         unsigned m = (b >> 2) & 7;
         vt_u64 page;
         if (m < MRU) {
            page = r->mru[m];
            if (page == NO_PAGE)
               return r_fail(r, it, at, "corrupt trace (a reference to a page never named)");
         } else {
            vt_u64 d;
            if (!r_u(r, &d))
               return r_fail(r, it, at, "truncated or corrupt page number");
            page = r->mru[0] == NO_PAGE ? 0 : r->mru[0];
            page += (vt_u64)unzigzag(d);
            if (page >> (64 - VT_PAGE_SHIFT))
               return r_fail(r, it, at, "corrupt trace (a page beyond the address space)");
            m = MRU - 1;
         }
         for (unsigned i = m; i > 0; i--)
            r->mru[i] = r->mru[i - 1];
         r->mru[0] = page;
         r->page = page;
         r->acc = (enum vt_access)k;
         r->repeats = b >> 5;
         it->kind = VT_TI_REF;
         it->page = page << VT_PAGE_SHIFT;
         it->acc = r->acc;
         it->kernel = r->kernel;
         return true;
      }
      switch (b >> 2) {
      case IT_CONT:
         r->page++;
         it->kind = VT_TI_REF;
         it->page = r->page << VT_PAGE_SHIFT;
         it->acc = r->acc;
         it->kernel = r->kernel;
         it->cont = true;
         return true;
      case IT_TIME: {
         vt_u64 d;
         if (!r_u(r, &d))
            return r_fail(r, it, at, "truncated time item");
         r->insns += d >> 1;
         it->kind = VT_TI_TIME;
         it->insns = r->insns;
         it->sb_end = d & 1;
         return true;
      }
      case IT_KERNEL:
      case IT_USER:
         r->kernel = (b >> 2) == IT_KERNEL;
         continue;
      case IT_EVENT: {
         vt_u64 op;
         if (!r_u(r, &op) || op == 0 || op >= VT_TEV_NR)
            return r_fail(r, it, at, "corrupt trace (an unknown event)");
         it->kind = VT_TI_EVENT;
         it->op = (unsigned)op;
         unsigned nargs = events[op].nargs;
         for (unsigned i = 0; i < nargs; i++)
            if (!r_u(r, &it->arg[i]))
               return r_fail(r, it, at, "truncated event");
         if (events[op].str) {
            vt_u64 n;
            if (!r_u(r, &n) || !r_str(r, n))
               return r_fail(r, it, at, "truncated or corrupt event string");
            it->str = r->str;
         }
         return true;
      }
      case IT_END:
         /* nothing follows END: a checked trace's last block ends with it */
         if (r->checked) {
            unsigned char more;
            if (r->pos < r->len)
               return r_fail(r, it, r_offset(r), "corrupt trace (bytes after the end item)");
            if (r_raw(r, &more, 1))
               return r_fail(r, it, r->base + r->len,
                             "corrupt trace (bytes after the end item's block)");
         }
         it->kind = VT_TI_END;
         return true;
      default:
         return r_fail(r, it, at, "corrupt trace (an unknown item)");
      }
   }
}
