/* vt_aspace.c: the client's address space, mirrored from Valgrind's
   startup segments, its brk tracking and the system calls that change
   mappings: one handler each (mmap, munmap, mprotect, mremap, madvise,
   mlock, munlock, mlockall, munlockall, shmat, shmdt), called after the
   call succeeded, and for mprotect and madvise also after one that failed
   having done part of its work (the table is in vt_syscall.c).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "pub_tool_basics.h"
#include "pub_tool_vki.h"
#include "pub_tool_vkiscnums.h"
#include "pub_tool_aspacemgr.h"
#include "pub_tool_libcbase.h"
#include "pub_tool_libcassert.h"
#include "pub_tool_libcfile.h"
#include "pub_tool_libcprint.h"
#include "pub_tool_machine.h"
#include "pub_tool_libcproc.h"
#include "pub_tool_threadstate.h"
#include "pub_tool_mallocfree.h"
#include "vt_tool.h"

static Bool stack_found;

static uint32_t prot_flags(UWord prot)
{
   return (uint32_t)(prot & (VKI_PROT_READ | VKI_PROT_WRITE | VKI_PROT_EXEC));
}

static Bool has_prefix(const HChar *s, const HChar *p)
{
   return VG_(strncmp)(s, p, VG_(strlen)(p)) == 0;
}

/* The name /proc/self/fd gives descriptor fd, in path (size bytes,
   NUL-terminated); False if it has none. */
Bool vt_fd_path(Int fd, HChar *path, SizeT size)
{
   HChar link[32];
   VG_(snprintf)(link, sizeof link, "/proc/self/fd/%d", fd);
   SSizeT k = VG_(readlink)(link, path, size - 1);
   path[k > 0 ? k : 0] = 0;
   return k > 0;
}

/* Whether the filesystem on device dev is tmpfs (shmem: no readahead,
   no major faults, no dirty tracking, pages that exist only once
   written or faulted), by /proc/self/mountinfo (vt_fs_type). */
static Bool tmpfs_dev(ULong dev)
{
   HChar type[32];
   return vt_fs_type(dev, type, sizeof type) && VG_(strcmp)(type, "tmpfs") == 0;
}

/* Whether a file, named path (as /proc/self/fd or the segment names it)
   on device dev, is shared memory: a memfd (whose internal mount
   mountinfo does not list), a file under /dev/shm, or one on any other
   tmpfs mount (before 2026-12-06 only the first two: a tmpfs mounted
   elsewhere was taken for a disk's filesystem).  SysV segments,
   "/SYSV...", are named by vt_sys_shmat. */
Bool vt_shmem_file(const HChar *path, ULong dev)
{
   return has_prefix(path, "/dev/shm/") || has_prefix(path, "/memfd:") || tmpfs_dev(dev);
}

/* The vt_file for the file behind the segment at a (and fd, if >= 0).
   If name is given, *name is set to the segment's file name where the
   model knows the file under another (a write named it before it was
   unlinked or renamed): the mapping is named as at its mmap. */
static struct vt_file *file_of(Addr a, Int fd, Bool *is_anon_dev, const HChar **name)
{
   NSegment const *seg = VG_(am_find_nsegment)(a);
   const HChar *path = seg ? VG_(am_get_filename)(seg) : NULL;
   struct vg_stat st;
   VG_(memset)(&st, 0, sizeof st);
   Bool have_stat = False;
   if (fd >= 0)
      have_stat = VG_(fstat)(fd, &st) == 0;
   else if (path)
      have_stat = !sr_isError(VG_(stat)(path, &st));
   *is_anon_dev = path && VG_(strcmp)(path, "/dev/zero") == 0;
   if (*is_anon_dev)
      return NULL;
   ULong dev = seg ? seg->dev : st.dev, ino = seg ? seg->ino : st.ino;
   if (have_stat) {
      dev = st.dev;
      ino = st.ino;
   }
   Bool regular = have_stat && VKI_S_ISREG(st.mode);
   Bool shmem = path && (has_prefix(path, "/SYSV") || vt_shmem_file(path, dev));
   /* A device or other special file: every page exists, no page cache. */
   ULong size = regular ? (ULong)st.size : (ULong)1 << 46;
   struct vt_file *f = vt_file_get(&vt_mm, dev, ino, path ? path : "(unknown file)", size,
                                   shmem || !regular);
   if (name && path && VG_(strcmp)(f->path, path) != 0)
      *name = VG_(strdup)("vt.mapname", path);     /* the mapping keeps it */
   return f;
}

/* Whether seg maps this tool's own executable: the page of it Valgrind
   gives the client (its trampoline: the signal frames' return address,
   a client segment of the tool's file), which natively is not there. */
static Bool own_binary(NSegment const *seg)
{
   NSegment const *own = VG_(am_find_nsegment)((Addr)&vt_new_mem_startup);
   const HChar *a = own ? VG_(am_get_filename)(own) : NULL;
   const HChar *b = VG_(am_get_filename)(seg);
   return a && b && VG_(strcmp)(a, b) == 0;
}

void vt_new_mem_startup(Addr a, SizeT len, Bool rr, Bool ww, Bool xx,
                        ULong di_handle)
{
   (void)di_handle;
   NSegment const *seg = VG_(am_find_nsegment)(a);
   if (seg && seg->kind == SkAnonC && seg->isCH) {
      VT_BOTH(vt_set_brk, a);         /* the heap starts empty at brk_base */
      return;
   }
   struct vt_mmap_req r;
   VG_(memset)(&r, 0, sizeof r);
   r.start = a;
   r.len = VT_PAGE_ALIGN(len);
   r.vm_flags = (rr ? VT_VM_READ : 0) | (ww ? VT_VM_WRITE : 0) | (xx ? VT_VM_EXEC : 0);
   r.kind = VT_NR_MK;
   r.fixed = True;                    /* placed by the loader */
   if (seg && seg->kind == SkFileC && !own_binary(seg)) {
      Bool anon_dev;
      vt_pcache_meet_path(VG_(am_get_filename)(seg));
      r.file = file_of(a, -1, &anon_dev, NULL);
      r.pgoff = (ULong)seg->offset >> VT_PAGE_SHIFT;
   } else if (!seg || (seg->kind != SkAnonC && seg->kind != SkShmC)) {
      /* Valgrind's own trampoline page, which the client executes. */
      r.kind = VT_MK_TEXT;
      r.name = "[vg-trampoline]";
   }
   vt_mmap_both(&r);
}

/* At the first instruction the client's stack pointer is known: the VMA
   holding it becomes [stack], able to grow down over the reservation
   Valgrind keeps below it, as the kernel's stack VMA grows. */
void vt_pre_thread_first_insn(ThreadId tid)
{
   vt_instrument_thread_start(tid);
   if (stack_found)
      return;
   stack_found = True;
   Addr sp = VG_(get_SP)(tid);
   const struct vt_vma *v = vt_find_vma(&vt_mm, sp);
   if (!v)
      return;
   Addr low = v->vm_start > (8ul << 20) ? v->vm_start - (8ul << 20) : 0;
   NSegment const *below = VG_(am_find_nsegment)(v->vm_start - 1);
   if (below && below->kind == SkResvn)
      low = below->start + VT_PAGE_SIZE;   /* keep Valgrind's guard page */
   VT_BOTH(vt_set_stack, sp, low);
}

void vt_new_mem_brk(Addr a, SizeT len, ThreadId tid)
{
   (void)tid;
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   if (!vt_mm.start_brk)
      VT_BOTH(vt_set_brk, a);
   VT_BOTH(vt_set_brk, a + len);
}

void vt_die_mem_brk(Addr a, SizeT len)
{
   (void)len;
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   VT_BOTH(vt_set_brk, a);
}

/* ---- the system calls ---------------------------------------------- */

/* A mapping of shared memory (tmpfs, memfd) finds the object as the
   kernel has it: its pages that hold data (written, by this process
   before it mapped it, or by another), which a read fault's fault-around
   maps.  SEEK_DATA / SEEK_HOLE tell them (pages fallocate allocated and
   nobody wrote count as holes there, as they are not uptodate), before
   the call (MAP_POPULATE and a locked mapping fill the object as they
   fault), for the model after it.  The descriptor's position is left as
   it was.  Up to MAX_EXTENTS runs of pages. */
#define MAX_EXTENTS 64
static struct { Int n; ULong dev, ino; vt_u64 first[MAX_EXTENTS], end[MAX_EXTENTS]; } shm_pre;

void vt_pre_mmap(ThreadId tid, UInt sysno, UWord *args)
{
   (void)tid; (void)sysno;
   shm_pre.n = 0;
   Int fd = (Int)args[4];
   if ((args[3] & VKI_MAP_ANONYMOUS) || fd < 0)
      return;
   vt_pcache_meet_fd(fd);
   HChar path[64];
   struct vg_stat st;
   if (!vt_fd_path(fd, path, sizeof path) || VG_(fstat)(fd, &st) != 0 ||
       !VKI_S_ISREG(st.mode) || !vt_shmem_file(path, st.dev))
      return;
   shm_pre.dev = st.dev;
   shm_pre.ino = st.ino;
   Long cur = VG_(lseek)(fd, 0, VKI_SEEK_CUR);
   Long pos = (Long)(args[5] & ~(UWord)(VT_PAGE_SIZE - 1));
   Long end = pos + (Long)VT_PAGE_ALIGN(args[1]);
   if (end > st.size)
      end = st.size;
   while (pos < end && shm_pre.n < MAX_EXTENTS) {
      Long d = VG_(lseek)(fd, pos, 3 /* SEEK_DATA */);
      if (d < 0 || d >= end)
         break;
      Long h = VG_(lseek)(fd, d, 4 /* SEEK_HOLE */);
      if (h < 0 || h > end)
         h = end;
      shm_pre.first[shm_pre.n] = (vt_u64)d >> VT_PAGE_SHIFT;
      shm_pre.end[shm_pre.n++] = ((vt_u64)h + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
      pos = h;
   }
   if (cur >= 0)
      VG_(lseek)(fd, cur, VKI_SEEK_SET);
}

/* Whether descriptor fd was opened read-only: the access mode of its
   flags in /proc/self/fdinfo (octal).  Read for shared mappings of a
   file only. */
static Bool fd_read_only(Int fd)
{
   HChar path[48];
   VG_(snprintf)(path, sizeof path, "/proc/self/fdinfo/%d", fd);
   HChar *buf = vt_read_whole(path, "vt.fdinfo");
   if (!buf)
      return False;
   const HChar *f = VG_(strstr)(buf, "flags:");
   Bool ro = False;
   if (f) {
      f += 6;
      while (*f == ' ' || *f == '\t')
         f++;
      ULong fl = 0;
      for (; *f >= '0' && *f <= '7'; f++)
         fl = fl * 8 + (ULong)(*f - '0');
      ro = (fl & VKI_O_ACCMODE) == VKI_O_RDONLY;
   }
   VG_(free)(buf);
   return ro;
}

void vt_sys_mmap(ThreadId tid, UWord *args, UWord r)
{
   (void)tid;
   struct vt_mmap_req q;
   VG_(memset)(&q, 0, sizeof q);
   UWord flags = args[3];
   q.start = r;
   q.len = VT_PAGE_ALIGN(args[1]);
   q.vm_flags = prot_flags(args[2]);
   q.kind = VT_NR_MK;
   Bool shared = (flags & 0x0f) == VKI_MAP_SHARED ||
                 (flags & 0x0f) == 0x03 /* MAP_SHARED_VALIDATE */;
   if (shared)
      q.vm_flags |= VT_VM_SHARED;
   if (flags & 0x0100 /* MAP_GROWSDOWN */)
      q.vm_flags |= VT_VM_GROWSDOWN;
   if (flags & 0x2000 /* MAP_LOCKED */)
      q.vm_flags |= VT_VM_LOCKED;
   if (flags & 0x4000 /* MAP_NORESERVE */)
      q.vm_flags |= VT_VM_NORESERVE;
   q.populate = (flags & 0x8000 /* MAP_POPULATE */) != 0;
   q.fixed = (flags & (VKI_MAP_FIXED | 0x100000 /* MAP_FIXED_NOREPLACE */)) != 0;
   /* The kernel aligns a file mapping unless it met the hint, anonymous
      memory only if there was none (__get_unmapped_area). */
   q.hint = !q.fixed && args[0] != 0 && ((flags & VKI_MAP_ANONYMOUS) || args[0] == r);
   Bool anon_dev = False;
   if (!(flags & VKI_MAP_ANONYMOUS)) {
      q.file = file_of(r, (Int)args[4], &anon_dev, &q.name);
      q.pgoff = args[5] >> VT_PAGE_SHIFT;
      if (shared && fd_read_only((Int)args[4]))
         q.vm_flags |= VT_VM_NOMAYWRITE;
      if (q.file && q.file->shmem && q.file->dev == shm_pre.dev &&
          q.file->ino == shm_pre.ino)
         for (Int i = 0; i < shm_pre.n; i++)
            VT_BOTH(vt_file_pages, shm_pre.dev, shm_pre.ino, shm_pre.first[i],
                    shm_pre.end[i], VT_FILE_WRITTEN);
      shm_pre.n = 0;
   }
   if (!q.file && shared) {
      q.file = vt_file_new_shmem(&vt_mm, "/dev/zero (deleted)", q.len);
      q.name = "/dev/zero (deleted)";
   }
   vt_mmap_both(&q);
}

void vt_sys_munmap(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   VT_BOTH(vt_munmap, args[0], VT_PAGE_ALIGN(args[1]));
}

void vt_sys_mprotect(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   VT_BOTH(vt_mprotect, args[0], VT_PAGE_ALIGN(args[1]), prot_flags(args[2]));
}

/* A call that fails after the kernel began its walk over the VMAs has
   done its work up to where it failed: called for every failed call, the
   handlers below say which failures come so. */
static Bool walked(UWord *args)
{
   if ((args[0] & ~VT_PAGE_MASK) || args[1] == 0 || args[0] + args[1] < args[0])
      return False;                  /* EINVAL before any walk */
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   return True;
}

/* Where the kernel's walk of mprotect(start, end - start, prot) stopped:
   the end of the pages from start on that /proc/self/maps shows with
   protection prot and without a hole (start if none).  The model does not
   know VM_MAYWRITE / VM_MAYEXEC (a shared mapping of a file opened
   read-only, a SHM_RDONLY attach, a sealed memfd, a noexec mount) nor what
   a security module refuses: the kernel's own VMAs tell where it stopped.
   Read only after a call that failed with EACCES, so rarely. */
static vt_addr mprotect_stop(vt_addr start, vt_addr end, uint32_t prot)
{
   HChar *buf = vt_read_whole("/proc/self/maps", "vt.mprotect.maps");
   if (!buf)
      return start;
   vt_addr stop = start;
   /* "START-END PERMS OFFSET DEV INODE PATH", in address order */
   for (HChar *line = buf; *line && stop < end;) {
      HChar *p = line, *nl = VG_(strchr)(line, '\n');
      vt_addr lo = VG_(strtoull16)(p, &p);
      vt_addr hi = *p == '-' ? VG_(strtoull16)(p + 1, &p) : 0;
      line = nl ? nl + 1 : line + VG_(strlen)(line);
      if (hi <= stop)
         continue;
      if (lo > stop || *p != ' ')
         break;                           /* a hole: ENOMEM's place */
      uint32_t has = (p[1] == 'r' ? VKI_PROT_READ : 0) | (p[2] == 'w' ? VKI_PROT_WRITE : 0) |
                     (p[3] == 'x' ? VKI_PROT_EXEC : 0);
      if (has != prot)
         break;                           /* the VMA that refused */
      stop = hi < end ? hi : end;
   }
   VG_(free)(buf);
   return stop;
}

/* do_mprotect_pkey stops at the first VMA that may not have the new
   protection (ENOMEM at a hole; EACCES at a VMA whose VM_MAY* flags lack
   one of it, or that the security module refuses), the VMAs before it
   changed already: for ENOMEM the core finds the hole itself, for EACCES
   the kernel's VMAs say where it stopped (mprotect_stop). */
void vt_sys_mprotect_failed(ThreadId tid, UInt sysno, UWord *args, SysRes res)
{
   (void)tid; (void)sysno;
   if (!sr_isError(res))
      return;
   vt_addr start = args[0], len = VT_PAGE_ALIGN(args[1]);
   uint32_t prot = prot_flags(args[2]);
   if (sr_Err(res) == VKI_ENOMEM && walked(args))
      VT_BOTH(vt_mprotect, start, len, prot);
   else if (sr_Err(res) == VKI_EACCES && !(args[2] & ~(UWord)7) && walked(args)) {
      vt_addr stop = mprotect_stop(start, start + len, prot);
      if (stop > start)
         VT_BOTH(vt_mprotect, start, stop - start, prot);
   }
}

/* A range moved where Valgrind chose (MREMAP_MAYMOVE without
   MREMAP_FIXED) is placed by the core where the kernel would have put it. */
void vt_sys_mremap(ThreadId tid, UWord *args, UWord r)
{
   (void)tid;
   Bool chosen = r != args[0] && !(args[3] & 2 /* MREMAP_FIXED */);
   VT_BOTH(vt_mremap, args[0], args[1], r | (chosen ? VT_MREMAP_CHOSEN : 0), args[2]);
}

/* The advice vmtrace models (docs/manual.md lists every advice). */
#define MADV_NORMAL          0
#define MADV_RANDOM          1
#define MADV_SEQUENTIAL      2
#define MADV_WILLNEED        3
#define MADV_DONTNEED        4
#define MADV_HUGEPAGE        14
#define MADV_NOHUGEPAGE      15
#define MADV_REMOVE          9
#define MADV_PAGEOUT         21
#define MADV_POPULATE_READ   22
#define MADV_POPULATE_WRITE  23
#define MADV_DONTNEED_LOCKED 24
#define MADV_COLLAPSE        25
#define MADV_GUARD_INSTALL   102
#define MADV_GUARD_REMOVE    103
#define MADV_DONTFORK        10
#define MADV_DOFORK          11
#define MADV_WIPEONFORK      18
#define MADV_KEEPONFORK      19

/* MADV_DONTFORK / MADV_DOFORK and MADV_WIPEONFORK / MADV_KEEPONFORK: VMA
   flags that say what a fork does with the range (vt_fork_child);
   MADV_NORMAL, MADV_RANDOM and MADV_SEQUENTIAL: what readahead does for a
   cold file's faults (pcache.c). */
static void fork_advice(UWord advice, vt_addr start, vt_addr len)
{
   if (advice == MADV_DONTFORK || advice == MADV_DOFORK)
      VT_BOTH(vt_madvise_flags, start, len, advice == MADV_DONTFORK ? VT_VM_DONTCOPY : 0,
                       advice == MADV_DONTFORK ? 0 : VT_VM_DONTCOPY);
   else if (advice == MADV_WIPEONFORK || advice == MADV_KEEPONFORK)
      VT_BOTH(vt_madvise_flags, start, len, advice == MADV_WIPEONFORK ? VT_VM_WIPEONFORK : 0,
                       advice == MADV_WIPEONFORK ? 0 : VT_VM_WIPEONFORK);
   /* readahead hints (madvise_behavior's VM_RAND_READ / VM_SEQ_READ) */
   else if (advice == MADV_NORMAL || advice == MADV_RANDOM || advice == MADV_SEQUENTIAL)
      VT_BOTH(vt_madvise_flags, start, len,
                       advice == MADV_RANDOM ? VT_VM_RAND_READ
                          : advice == MADV_SEQUENTIAL ? VT_VM_SEQ_READ : 0,
                       advice == MADV_RANDOM ? VT_VM_SEQ_READ
                          : advice == MADV_SEQUENTIAL ? VT_VM_RAND_READ
                          : VT_VM_SEQ_READ | VT_VM_RAND_READ);
}

/* MADV_WILLNEED: madvise_willneed hands each file VMA's part of the range
   to vfs_fadvise(POSIX_FADV_WILLNEED), which under a cold page cache reads
   it in (vt_file_willneed).  Shared memory's and anonymous memory's
   advice reads from swap, which the model has none of. */
static void madvise_willneed(vt_addr start, vt_addr len)
{
   if (!vt_clo.cold_cache)
      return;
   vt_addr end = start + len;
   for (UInt i = 0; i < vt_mm.nr_vmas; i++) {
      const struct vt_vma *v = &vt_mm.vmas[i];
      if (v->vm_end <= start || v->vm_start >= end || !v->vm_file || v->vm_file->shmem ||
          !v->vm_file->cold)
         continue;
      vt_addr lo = v->vm_start > start ? v->vm_start : start;
      vt_addr hi = v->vm_end < end ? v->vm_end : end;
      const struct vt_file *f = v->vm_file;
      VT_BOTH(vt_file_willneed, f->dev, f->ino, f->path, f->size_pages << VT_PAGE_SHIFT,
              v->vm_pgoff + ((lo - v->vm_start) >> VT_PAGE_SHIFT), (hi - lo) >> VT_PAGE_SHIFT);
   }
}

void vt_sys_madvise(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   vt_addr start = args[0], len = VT_PAGE_ALIGN(args[1]);
   switch (args[2]) {
   case MADV_DONTNEED: case MADV_DONTNEED_LOCKED:
      VT_BOTH(vt_madvise_dontneed, start, len);
      break;
   case MADV_WILLNEED:
      madvise_willneed(start, len);
      break;
   case MADV_REMOVE:
      VT_BOTH(vt_madvise_remove, start, len);
      break;
   case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
      VT_BOTH(vt_madvise_populate, start, len, args[2] == MADV_POPULATE_WRITE);
      break;
   case MADV_GUARD_INSTALL: case MADV_GUARD_REMOVE:
      VT_BOTH(vt_madvise_guard, start, len, args[2] == MADV_GUARD_INSTALL);
      break;
   case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
      if (len)
         VT_BOTH(vt_madvise_hugepage, start, len, args[2] == MADV_HUGEPAGE);
      break;
   case MADV_COLLAPSE:
      /* madvise_collapse asks no sysfs setting (TVA_ENFORCE_SYSFS unset):
         --thp-compare's side collapses as the run's does, whatever its
         --thp */
      if (len)
         VT_BOTH(vt_madvise_collapse, start, len);
      break;
   case MADV_PAGEOUT:
      /* reclaim_pages: Linux unmaps and frees the clean file pages only
         this process maps (the next touch reads them again: a major
         fault) and, with swap, swaps anonymous ones out; the model has
         no reclaim without --ram and keeps them all */
      if (len)
         vt_note_unmodelled(VT_UNMODELLED_PAGEOUT,
                            "MADV_PAGEOUT is not modelled: Linux reclaims the pages (file "
                            "pages, and with swap anonymous ones), which the model keeps "
                            "mapped: their next faults are not the kernel's");
      break;
   default:
      fork_advice(args[2], start, len);
      break;
   }
}

/* Whether the running kernel is at least major.minor
   (/proc/sys/kernel/osrelease; False if it cannot be read). */
Bool vt_kernel_at_least(UInt major, UInt minor)
{
   static Int known_major = -1, known_minor;
   if (known_major < 0) {
      known_major = 0;
      SysRes sr = VG_(open)("/proc/sys/kernel/osrelease", VKI_O_RDONLY, 0);
      if (!sr_isError(sr)) {
         HChar buf[64];
         Int n = VG_(read)((Int)sr_Res(sr), buf, sizeof buf - 1);
         VG_(close)((Int)sr_Res(sr));
         buf[n > 0 ? n : 0] = 0;
         HChar *end;
         known_major = (Int)VG_(strtoll10)(buf, &end);
         known_minor = *end == '.' ? (Int)VG_(strtoll10)(end + 1, &end) : 0;
      }
   }
   return (UInt)known_major > major ||
          ((UInt)known_major == major && (UInt)known_minor >= minor);
}

/* Locked VMAs refuse MADV_DONTNEED (EINVAL); MADV_REMOVE refuses those
   and VMAs without a file (EINVAL), not shared or never writable (EACCES:
   vma_is_shared_maywrite). */
static Bool refuses_dontneed(const struct vt_vma *v)
{
   return (v->vm_flags & VT_VM_LOCKED) != 0;
}

static Bool refuses_remove(const struct vt_vma *v)
{
   return (v->vm_flags & (VT_VM_LOCKED | VT_VM_NOMAYWRITE)) || !v->vm_file ||
          !(v->vm_flags & VT_VM_SHARED);
}

/* madvise_vma_behavior: MADV_WIPEONFORK is for private anonymous memory
   only (EINVAL at a VMA with a file or shared). */
static Bool refuses_wipeonfork(const struct vt_vma *v)
{
   return v->vm_file || (v->vm_flags & VT_VM_SHARED);
}

/* The start of the first VMA of the model in [start, end) that refuses
   (clamped to start), or 0 if there is none. */
static vt_addr first_refusing(vt_addr start, vt_addr end, Bool (*refuses)(const struct vt_vma *))
{
   for (UInt i = 0; i < vt_mm.nr_vmas; i++) {
      const struct vt_vma *v = &vt_mm.vmas[i];
      if (v->vm_end > start && v->vm_start < end && refuses(v))
         return v->vm_start > start ? v->vm_start : start;
   }
   return 0;
}

/* madvise_walk_vmas gives the advice to every VMA of the range, holes
   skipped, and fails with ENOMEM at the end if there was one: the work is
   done all the same; it stops at the first VMA that refuses the advice
   (EINVAL: MADV_DONTNEED at a locked VMA; MADV_REMOVE: EINVAL or EACCES),
   the VMAs before it advised.
   Populating stops at the first page it cannot fault in: ENOMEM (a hole),
   EFAULT (a guard marker, past the end of a file) or EINVAL (a VMA
   without the right), the pages before it populated.  An
   install of guard markers stops with EINVAL at an mlocked VMA.  EINVAL
   is also a kernel's answer to advice it does not know (populating is
   Linux 5.14's, guard regions 6.13's, MADV_COLLAPSE 6.1's): then nothing
   happened. */
void vt_sys_madvise_failed(ThreadId tid, UInt sysno, UWord *args, SysRes res)
{
   (void)tid; (void)sysno;
   if (!sr_isError(res))
      return;
   UWord err = sr_Err(res);
   vt_addr start = args[0], len = VT_PAGE_ALIGN(args[1]);
   switch (args[2]) {
   case MADV_DONTNEED: case MADV_DONTNEED_LOCKED:
      if (err == VKI_ENOMEM && walked(args))
         VT_BOTH(vt_madvise_dontneed, start, len);
      /* EINVAL at a VM_LOCKED VMA (madvise_dontneed_free_valid_vma): the
         VMAs before it had the advice */
      else if (err == VKI_EINVAL && args[2] == MADV_DONTNEED) {
         vt_addr stop = first_refusing(start, start + len, refuses_dontneed);
         if (stop && walked(args) && stop > start)
            VT_BOTH(vt_madvise_dontneed, start, stop - start);
      }
      break;
   case MADV_REMOVE:
      if (err == VKI_ENOMEM && walked(args))
         VT_BOTH(vt_madvise_remove, start, len);
      /* madvise_remove refuses a locked VMA or one without a file
         (EINVAL) and one not shared or shared without VM_MAYWRITE
         (EACCES; a sealed memfd's, which the model does not know: then
         nothing is modelled), the VMAs before it punched */
      else if (err == VKI_EINVAL || err == VKI_EACCES) {
         vt_addr stop = first_refusing(start, start + len, refuses_remove);
         if (stop && walked(args) && stop > start)
            VT_BOTH(vt_madvise_remove, start, stop - start);
      }
      break;
   case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
      if ((err == VKI_ENOMEM || err == VKI_EFAULT ||
           (err == VKI_EINVAL && vt_kernel_at_least(5, 14))) && walked(args))
         VT_BOTH(vt_madvise_populate, start, len, args[2] == MADV_POPULATE_WRITE);
      break;
   case MADV_GUARD_INSTALL: case MADV_GUARD_REMOVE:
      if ((err == VKI_ENOMEM || (err == VKI_EINVAL && vt_kernel_at_least(6, 13))) &&
          walked(args))
         VT_BOTH(vt_madvise_guard, start, len, args[2] == MADV_GUARD_INSTALL);
      break;
   case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
      if (err == VKI_ENOMEM && walked(args))
         VT_BOTH(vt_madvise_hugepage, start, len, args[2] == MADV_HUGEPAGE);
      break;
   case MADV_COLLAPSE:
      /* madvise_collapse fails (EINVAL, EAGAIN, ENOMEM) where a range or
         a VMA could not be collapsed, the others done: the core stops
         where the kernel did.  Before 6.1 the advice was unknown. */
      if (err != VKI_EFAULT && vt_kernel_at_least(6, 1) && walked(args))
         VT_BOTH(vt_madvise_collapse, start, len);
      break;
   case MADV_WIPEONFORK:
      if (err == VKI_ENOMEM && walked(args))
         fork_advice(args[2], start, len);
      /* EINVAL at a VMA with a file or shared: the VMAs before it have
         the advice */
      else if (err == VKI_EINVAL) {
         vt_addr stop = first_refusing(start, start + len, refuses_wipeonfork);
         if (stop && walked(args) && stop > start)
            fork_advice(args[2], start, stop - start);
      }
      break;
   default:
      if (err == VKI_ENOMEM && walked(args))
         fork_advice(args[2], start, len);
      break;
   }
}

/* prctl(PR_SET_THP_DISABLE): no huge pages for this process from now on
   (MMF_DISABLE_THP), or again. */
void vt_sys_prctl(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   if (args[0] == 41 /* PR_SET_THP_DISABLE */ && (args[1] != 0) != vt_mm.cfg.thp_disabled)
   {
      vt_set_thp(&vt_mm, vt_mm.cfg.thp, vt_mm.cfg.thp_zero_page, args[1] != 0);
      vt_cmp_set_thp_disabled(args[1] != 0);
   }
}

static void mlock_range(UWord *args, Bool lock)
{
   VT_BOTH(vt_mlock, args[0] & VT_PAGE_MASK,
            VT_PAGE_ALIGN(args[0] + args[1]) - (args[0] & VT_PAGE_MASK), lock);
}

void vt_sys_mlock(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   mlock_range(args, True);
}

void vt_sys_munlock(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   mlock_range(args, False);
}

/* The pages of the model's locked VMAs, those in [start, end) left out:
   the kernel's mm->locked_vm less count_mm_mlocked_page_nr. */
static ULong locked_pages_outside(vt_addr start, vt_addr end)
{
   ULong n = 0;
   for (UInt i = 0; i < vt_mm.nr_vmas; i++) {
      const struct vt_vma *v = &vt_mm.vmas[i];
      if (!(v->vm_flags & VT_VM_LOCKED))
         continue;
      vt_addr s = v->vm_start, e = v->vm_end;
      vt_addr is = s > start ? s : start, ie = e < end ? e : end;
      n += (e - s) >> VT_PAGE_SHIFT;
      if (is < ie)
         n -= (ie - is) >> VT_PAGE_SHIFT;
   }
   return n;
}

/* An mlock or munlock that failed with ENOMEM has done part of its work
   (vt_mlock_failed says which) unless do_mlock refused the pages before
   its walk: more than RLIMIT_MEMLOCK, counting those locked already
   outside the range, for a process without CAP_IPC_LOCK (here: an
   effective uid other than 0).  An empty range succeeds; one that wraps
   fails with EINVAL. */
void vt_sys_mlock_failed(ThreadId tid, UInt sysno, UWord *args, SysRes res)
{
   (void)tid;
   if (!sr_isError(res) || sr_Err(res) != VKI_ENOMEM)
      return;
   vt_addr start = args[0] & VT_PAGE_MASK;
   vt_addr end = VT_PAGE_ALIGN(args[0] + args[1]);
   if (end <= start)
      return;
   Bool lock = sysno != __NR_munlock;
   if (lock && VG_(geteuid)() != 0) {
      struct vki_rlimit rl;
      if (VG_(getrlimit)(8 /* RLIMIT_MEMLOCK */, &rl) != 0)
         return;
      if (rl.rlim_cur != VKI_RLIM_INFINITY &&
          ((end - start) >> VT_PAGE_SHIFT) + locked_pages_outside(start, end) >
             (rl.rlim_cur >> VT_PAGE_SHIFT))
         return;
   }
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   VT_BOTH(vt_mlock_failed, start, end - start, lock);
}

void vt_sys_mlockall(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   VT_BOTH(vt_mlockall, (args[0] & 1) != 0, (args[0] & 2) != 0, (args[0] & 4) != 0);
}

void vt_sys_munlockall(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)args; (void)r;
   vt_munlockall(&vt_mm);
   if (vt_cmp_mm) {
      vt_cmp_enter();
      vt_munlockall(vt_cmp_mm);
      vt_cmp_in = False;
   }
}

void vt_sys_shmat(ThreadId tid, UWord *args, UWord r)
{
   (void)tid;
   NSegment const *seg = VG_(am_find_nsegment)(r);
   if (!seg)
      return;
   struct vt_mmap_req q;
   VG_(memset)(&q, 0, sizeof q);
   q.start = r;
   q.len = seg->end + 1 - seg->start;
   q.vm_flags = VT_VM_READ | VT_VM_SHARED |
                ((args[2] & VKI_SHM_RDONLY) ? VT_VM_NOMAYWRITE : VT_VM_WRITE);
   /* One file per segment (shmid); SysV's shm_vm_ops has no map_pages,
      so no fault-around, and a close, so its VMAs merge less (vma.c). */
   q.file = vt_file_get(&vt_mm, ~0ULL, args[0], "/SYSV", q.len, True);
   q.file->sysv_shm = True;
   q.kind = VT_MK_SHM;
   q.name = "/SYSV (deleted)";
   vt_mmap_both(&q);
}

void vt_sys_shmdt(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   const struct vt_vma *v = vt_find_vma(&vt_mm, args[0]);
   if (v) {
      struct vt_mapping *m = vt_mm.maps[v->mapping];
      VT_BOTH(vt_munmap, v->vm_start, m->end - v->vm_start);
   }
}
