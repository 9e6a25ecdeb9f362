/* vt_aspace.c: the client's address space, mirrored from Valgrind's
   startup segments, its brk tracking and the system calls that change
   mappings: one handler each (mmap, munmap, mprotect, mremap, madvise,
   mlock, munlock, mlockall, munlockall, shmat, shmdt), called after the
   call succeeded (the table is in vt_syscall.c).
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

/* The vt_file for the file behind the segment at a (and fd, if >= 0). */
static struct vt_file *file_of(Addr a, Int fd, Bool *is_anon_dev)
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
   Bool shmem = path && (has_prefix(path, "/dev/shm/") || has_prefix(path, "/memfd:") ||
                         has_prefix(path, "/SYSV"));
   /* A device or other special file: every page exists, no page cache. */
   ULong size = regular ? (ULong)st.size : (ULong)1 << 46;
   return vt_file_get(&vt_mm, dev, ino, path ? path : "(unknown file)", size,
                      shmem || !regular);
}

void vt_new_mem_startup(Addr a, SizeT len, Bool rr, Bool ww, Bool xx,
                        ULong di_handle)
{
   (void)di_handle;
   NSegment const *seg = VG_(am_find_nsegment)(a);
   if (seg && seg->kind == SkAnonC && seg->isCH) {
      vt_set_brk(&vt_mm, a);          /* the heap starts empty at brk_base */
      return;
   }
   struct vt_mmap_req r;
   VG_(memset)(&r, 0, sizeof r);
   r.start = a;
   r.len = VT_PAGE_ALIGN(len);
   r.vm_flags = (rr ? VT_VM_READ : 0) | (ww ? VT_VM_WRITE : 0) | (xx ? VT_VM_EXEC : 0);
   r.kind = VT_NR_MK;
   if (seg && seg->kind == SkFileC) {
      Bool anon_dev;
      r.file = file_of(a, -1, &anon_dev);
      r.pgoff = (ULong)seg->offset >> VT_PAGE_SHIFT;
   } else if (!seg || (seg->kind != SkAnonC && seg->kind != SkShmC)) {
      /* Valgrind's own trampoline page, which the client executes. */
      r.kind = VT_MK_TEXT;
      r.name = "[vg-trampoline]";
   }
   vt_mmap(&vt_mm, &r);
}

/* At the first instruction the client's stack pointer is known: the VMA
   holding it becomes [stack], able to grow down over the reservation
   Valgrind keeps below it, as the kernel's stack VMA grows. */
void vt_pre_thread_first_insn(ThreadId tid)
{
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
   vt_set_stack(&vt_mm, sp, low);
}

void vt_new_mem_brk(Addr a, SizeT len, ThreadId tid)
{
   (void)tid;
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   if (!vt_mm.start_brk)
      vt_set_brk(&vt_mm, a);
   vt_set_brk(&vt_mm, a + len);
}

void vt_die_mem_brk(Addr a, SizeT len)
{
   (void)len;
   vt_set_clock(&vt_mm, vt_insns, vt_insns, vt_mm.sim_order);
   vt_set_brk(&vt_mm, a);
}

/* ---- the system calls ---------------------------------------------- */

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
   q.populate = (flags & 0x8000 /* MAP_POPULATE */) != 0;
   Bool anon_dev = False;
   if (!(flags & VKI_MAP_ANONYMOUS)) {
      q.file = file_of(r, (Int)args[4], &anon_dev);
      q.pgoff = args[5] >> VT_PAGE_SHIFT;
   }
   if (!q.file && shared) {
      q.file = vt_file_new_shmem(&vt_mm, "/dev/zero (deleted)", q.len);
      q.name = "/dev/zero (deleted)";
   }
   vt_mmap(&vt_mm, &q);
}

void vt_sys_munmap(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   vt_munmap(&vt_mm, args[0], VT_PAGE_ALIGN(args[1]));
}

void vt_sys_mprotect(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   vt_mprotect(&vt_mm, args[0], VT_PAGE_ALIGN(args[1]), prot_flags(args[2]));
}

void vt_sys_mremap(ThreadId tid, UWord *args, UWord r)
{
   (void)tid;
   vt_mremap(&vt_mm, args[0], args[1], r, args[2]);
}

void vt_sys_madvise(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   if (args[2] == 4 /* MADV_DONTNEED */ || args[2] == 24 /* DONTNEED_LOCKED */ ||
       args[2] == 9 /* MADV_REMOVE */) {
      vt_madvise_dontneed(&vt_mm, args[0], VT_PAGE_ALIGN(args[1]));
   } else if (args[2] == 10 || args[2] == 11) {  /* MADV_DONTFORK, MADV_DOFORK */
      vt_madvise_flags(&vt_mm, args[0], VT_PAGE_ALIGN(args[1]),
                       args[2] == 10 ? VT_VM_DONTCOPY : 0,
                       args[2] == 10 ? 0 : VT_VM_DONTCOPY);
   } else if (args[2] == 18 || args[2] == 19) {  /* MADV_WIPEONFORK, MADV_KEEPONFORK */
      vt_madvise_flags(&vt_mm, args[0], VT_PAGE_ALIGN(args[1]),
                       args[2] == 18 ? VT_VM_WIPEONFORK : 0,
                       args[2] == 18 ? 0 : VT_VM_WIPEONFORK);
   } else if (args[2] == 22 || args[2] == 23) {  /* MADV_POPULATE_READ/WRITE */
      /* the kernel faults the pages in, as it touches a system call's
         buffers */
      vt_access_range(args[0], VT_PAGE_ALIGN(args[1]),
                      args[2] == 23 ? VT_ACC_WRITE : VT_ACC_READ);
   }
}

static void mlock_range(UWord *args, Bool lock)
{
   vt_mlock(&vt_mm, args[0] & VT_PAGE_MASK,
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

void vt_sys_mlockall(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   vt_mlockall(&vt_mm, (args[0] & 1) != 0, (args[0] & 2) != 0);
}

void vt_sys_munlockall(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)args; (void)r;
   vt_munlockall(&vt_mm);
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
                ((args[2] & VKI_SHM_RDONLY) ? 0 : VT_VM_WRITE);
   /* One file per segment (shmid); SysV's shm_vm_ops has no map_pages,
      so no fault-around. */
   q.file = vt_file_get(&vt_mm, ~0ULL, args[0], "/SYSV", q.len, True);
   q.file->no_map_pages = True;
   q.kind = VT_MK_SHM;
   q.name = "/SYSV (deleted)";
   vt_mmap(&vt_mm, &q);
}

void vt_sys_shmdt(ThreadId tid, UWord *args, UWord r)
{
   (void)tid; (void)r;
   const struct vt_vma *v = vt_find_vma(&vt_mm, args[0]);
   if (v) {
      struct vt_mapping *m = vt_mm.maps[v->mapping];
      vt_munmap(&vt_mm, v->vm_start, m->end - v->vm_start);
   }
}
