/* group: runs of accesses of one kind off one base pointer, with no other
   access between them, in one superblock (each in a function of its own,
   no branch, no call), across a page boundary.  An implementation that
   checks such a run once (docs/manual.md, Speed) must still take each
   page's fault at the access that first touches it.  Three pairs of
   untouched private anonymous pages, p = the first page's end - 16, four
   8-byte accesses p[0..3]: p[0], p[1] on the first page, p[2], p[3] on
   the second:

   phase "up"    (label "up")    stores p[0], p[1], p[2], p[3]: first
                 writes, one `anon` at the store to p[0] and one at p[2]
   phase "down"  (label "down")  stores p[3], p[2], p[1], p[0], as pushes
                 go: the run's first access faults (p[3]: `anon`), the
                 first page at p[1]
   phase "load"  (label "load")  loads p[0], p[1], p[2], p[3] of untouched
                 anonymous memory: the shared zero page, `zero` at p[0] and
                 at p[2]

   Each access's line carries a marker comment (@up0 ...) that the
   scenario's check finds its line by. */
#include "vmtest.h"

typedef volatile uint64_t vu64;

/* aligned, so that each function's few instructions lie in one page (an
   instruction fetch from a new page would be a check between two of the
   accesses) */
static VMT_NOINLINE __attribute__((aligned(256))) void up(vu64 *p)
{
   p[0] = 1;   /* @up0 */
   p[1] = 2;   /* @up1 */
   p[2] = 3;   /* @up2 */
   p[3] = 4;   /* @up3 */
}

static VMT_NOINLINE __attribute__((aligned(256))) void down(vu64 *p)
{
   p[3] = 4;   /* @down3 */
   p[2] = 3;   /* @down2 */
   p[1] = 2;   /* @down1 */
   p[0] = 1;   /* @down0 */
}

static VMT_NOINLINE __attribute__((aligned(256))) uint64_t load(vu64 *p)
{
   uint64_t a = p[0];   /* @load0 */
   uint64_t b = p[1];   /* @load1 */
   uint64_t c = p[2];   /* @load2 */
   uint64_t d = p[3];   /* @load3 */
   return a + b + c + d;
}

int main(void)
{
   vmt_init();
   char *u = vmt_anon(2), *d = vmt_anon(2), *l = vmt_anon(2);
   VMTRACE_LABEL(u, 2 * VMT_PAGE, "up");
   VMTRACE_LABEL(d, 2 * VMT_PAGE, "down");
   VMTRACE_LABEL(l, 2 * VMT_PAGE, "load");

   vmt_begin("up");
   up((vu64 *)(u + VMT_PAGE - 16));
   vmt_end();
   vmt_begin("down");
   down((vu64 *)(d + VMT_PAGE - 16));
   vmt_end();
   vmt_begin("load");
   vmt_sink = load((vu64 *)(l + VMT_PAGE - 16));
   vmt_end();
   return 0;
}
