/* vt_sim.h: simulated physical memory.  A simulation (struct vt_sim) is one
   (replacement policy, RAM size, swap size) triple fed with the page
   references of a process.  Several run side by side on one stream.

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   The address-space model (vt_core.h) decides what a reference means with
   unlimited RAM: a minor fault of some class, or nothing (the page is
   present).  A simulation adds what a RAM limit changes: a page that the
   unlimited model has present may have been evicted here, so the reference
   is a major fault (swap-in for anonymous pages, a file read for file
   pages); bringing any page in may need a victim, chosen by the policy.

   Pages are identified by a key (vt_u64): the virtual page number of the
   process (vaddr >> 12).  Plain C, no libc, host interface of vt_core.h. */

#ifndef VT_SIM_H
#define VT_SIM_H

#include "vt_core.h"

/* ---- frames: what a policy may look at ------------------------------- */

struct vt_pframe {
   vt_u64   key;          /* the page in this frame; VT_SIM_NO_PAGE if free */
   uint32_t link[2];      /* for the policy's own lists (prev/next frame) */
   uint32_t mapping;      /* vt_mapping id, for per-mapping eviction counts */
   unsigned referenced:1; /* the PTE accessed bit: set by a reference,
                             cleared only through vt_sim_clear_referenced */
   unsigned dirty:1;      /* written since brought in (or since written back) */
   unsigned anon:1;       /* swap-backed (anonymous) vs file-backed */
   unsigned locked:1;     /* mlocked: never a victim */
   unsigned exec:1;       /* mapped executable (VT_SIMA_EXEC) */
   unsigned norecency:1;  /* referenced through a mapping without recency
                             (VT_SIMA_NORECENCY) */
   unsigned swapcopy:1;   /* anonymous: holds a valid swap copy (sim.c's) */
   unsigned unmapped:1;   /* a file page this simulation's read-around
                             brought back into its page cache: cached,
                             mapped by no PTE until a fault maps it (a
                             minor one) or fault-around does */
   unsigned readahead:1;  /* PG_readahead: the page of a read-around's
                             window (VT_SIMA_RA_MARK) whose fault starts
                             the asynchronous readahead; fault-around
                             leaves it unmapped (VT_SIMR_READAHEAD) */
   unsigned pbits:8;      /* the policy's own (NRU: its recorded class;
                             LINUX: its list and PG_referenced); 0 when
                             the frame is handed to insert() */
};
/* 24 bytes.  What a policy keeps of its own per frame beyond pbits (an
   age, a list, a time) is in arrays of its own (vt_policy_frame_array),
   sized to what it needs. */

/* The history of a frame's references, kept (vt_sim_stamps) only for the
   policies that read it: VT_POL_EVERY.  16 bytes; how many references a
   page had since it was brought in is a separate array (vt_sim_refs), kept
   only for a policy that reads it (VT_POL_COUNTS: LFU). */
struct vt_fstamp {
   vt_u64   last_ref;     /* time of the last reference (exact, see below) */
   vt_u64   last_order;   /* the host's order of the last reference
                             (vt_sim_set_order; 0 if it gives none): breaks
                             ties of last_ref as the references ran, however
                             late they were delivered */
};
#define VT_SIM_NO_PAGE (~(vt_u64)0)

/* The LRU order of two frames: <0 if x was referenced last before y (by
   time, then by the host's order), >0 after, 0 if neither. */
static inline int vt_lru_cmp(const struct vt_fstamp *x, const struct vt_fstamp *y)
{
   if (x->last_ref != y->last_ref)
      return x->last_ref < y->last_ref ? -1 : 1;
   if (x->last_order != y->last_order)
      return x->last_order < y->last_order ? -1 : 1;
   return 0;
}
#define VT_SIM_NO_FRAME (~(uint32_t)0)

struct vt_sim;

/* What a policy needs of the reference stream; the fast path honours it. */
#define VT_POL_REFBIT  1u  /* learns of references through the referenced
                              bit only: told of the first reference after
                              each vt_sim_clear_referenced */
#define VT_POL_EVERY   2u  /* needs last_ref (struct vt_fstamp)
                              exact for every reference (LRU, LFU, ARC,
                              OPT); the simulation keeps them for these
                              policies only; the host
                              delivers references the fast path absorbed
                              (vt_sim_note_hits, from flush_hits, which the
                              simulation calls before it brings a page in
                              and before any victim is chosen) */
#define VT_POL_FUTURE  4u  /* needs the future (OPT): offline replay only */
#define VT_POL_SHADOW  8u  /* reads the shadow word of a refaulting page
                              (vt_sim_incoming_shadow: LINUX); the others'
                              evicted pages keep none (0) */
#define VT_POL_NOSTAMP 16u /* with VT_POL_EVERY: reads no struct vt_fstamp
                              (OPT), so the simulation keeps none; the time
                              of a reference delivered to reference() is
                              vt_sim_reference_time */
#define VT_POL_COUNTS  32u /* with VT_POL_EVERY: reads how many references
                              a page had (vt_sim_refs: LFU), so the
                              tool's generated code counts every absorbed
                              hit; for the others a delivery says only that
                              there were some, and when the last was */
#define VT_POL_GHOSTS  64u /* keeps a word of its own (below 2^31) on some
                              of the pages it evicted, its ghosts (ARC), in
                              the evicted set: given at eviction with
                              vt_sim_set_shadow, read and changed while the
                              page is out (vt_sim_ghost_word,
                              vt_sim_set_ghost_word); a page dropped while
                              evicted (vt_sim_drop) is no longer evicted
                              but keeps its word, if ghost_live says it is
                              live, until the policy lets it go
                              (vt_sim_forget_ghost, vt_sim_set_ghost_word
                              0) or the page is brought in again */
#define VT_POL_INSERT_READS 128u /* with VT_POL_EVERY: reads other pages'
                              state when a page comes in (ARC's |T1|,
                              OPT), so every absorbed reference is
                              delivered before, not only before a victim
                              is chosen */
#define VT_POL_LAZY_HITS 256u /* with VT_POL_EVERY, without INSERT_READS:
                              its victim is the page whose last reference
                              is the oldest (LRU), so before a victim only
                              the candidate's absorbed references must be
                              delivered (vt_sim_take_hits): the others
                              only make their pages more recent */

/* The parameters of the policies, in their units (time: the host's clock,
   instructions in the tool).  Each policy declares the ones it reads
   (struct vt_policy_param), with their defaults; the others are 0.
   period 0: no ticks; tau 0: every unreferenced page is old. */
struct vt_policy_params {
   vt_u64   seed;           /* RANDOM */
   vt_u64   period;         /* NRU reset, AGING shift */
   vt_u64   tau;            /* WSCLOCK working-set window */
   vt_u64   swappiness;     /* LINUX: 0..200 */
};

/* A parameter a policy declares: the tool's option --<option>=N (and
   vmtrace-sim's) sets it, for that policy only. */
struct vt_policy_param {
   const char *option;      /* "nru-period" */
   size_t      offset;      /* of its field in struct vt_policy_params */
   vt_u64      def, min, max;
   const char *help;        /* "NRU reference-bit reset, instructions" */
};
#define VT_POLICY_PARAM(opt, field, d, lo, hi, text) \
   { opt, __builtin_offsetof(struct vt_policy_params, field), d, lo, hi, text }

struct vt_policy_ops {
   const char *name;        /* "fifo", "lru", ... as --policy= spells it */
   unsigned    needs;       /* VT_POL_* */
   const struct vt_policy_param *params;   /* nr_params of them */
   unsigned    nr_params;
   /* nr_frames: the frames allocated so far, which grow (see grow) up to
      the RAM size (vt_sim_config(s)->ram_pages).  Most policies build their
      state on struct vt_policy (below). */
   void    *(*create)(struct vt_sim *s, uint32_t nr_frames,
                      const struct vt_policy_params *p);
   /* The simulation now has nr_frames frames (more than before); the
      frame array may have moved (vt_sim_frames).  NULL: vt_policy_grow. */
   void     (*grow)(void *st, uint32_t nr_frames);
   /* NULL: vt_policy_destroy. */
   void     (*destroy)(void *st);
   /* Frame f now holds a page (its vt_pframe is filled in). */
   void     (*insert)(void *st, uint32_t f);
   /* A reference to the resident page in f (fields already updated):
      every reference for VT_POL_EVERY policies (possibly delivered late,
      in time order per page, several at once through vt_sim_note_hits:
      one call with refs and last_ref advanced), else the first since the
      bit was cleared.  NULL: nothing to do. */
   void     (*reference)(void *st, uint32_t f);
   /* f is freed other than by eviction (unmap, exit). */
   void     (*remove)(void *st, uint32_t f);
   /* Choose a victim: a frame for which vt_sim_evictable holds (not
      locked, not anonymous while swap is full).  The policy drops it from
      its structures; a VT_POL_SHADOW policy gives the page's shadow word
      with vt_sim_set_shadow.  VT_SIM_NO_FRAME if there is none (OOM). */
   uint32_t (*victim)(void *st, vt_u64 now);
   /* Called when time passes a multiple of params.period (may be NULL). */
   void     (*tick)(void *st, vt_u64 now);
   /* OPT only: the time of the next reference to key after now
      (VT_SIM_NO_PAGE = never); set by the replayer.  NULL otherwise. */
   void     (*set_future)(void *st, vt_u64 (*next_use)(void *ctx, vt_u64 key,
                                                       vt_u64 now), void *ctx);
   /* What the policy keeps of resident frame f in its own arrays, for
      tests (vt_sim_policy_word).  NULL: 0. */
   vt_u64   (*frame_word)(const void *st, uint32_t f);
   /* VT_POL_GHOSTS: is w, the word evicted page key holds, still the
      policy's (its ghost)?  A policy may leave a word behind when the
      ghost goes, so as not to look the page up; the simulation asks
      before it keeps a dropped page's entry for it.  NULL: every nonzero
      word is. */
   bool     (*ghost_live)(const void *st, vt_u64 key, uint32_t w);
   /* VT_POL_GHOSTS: mremap moved the evicted page `from` to `to`, which
      had no entry; its entry, with its word w, is to's now, and the
      policy's ghost of it (if w is still one) must answer to `to`.  NULL:
      such a page is dropped and brought in again at `to` instead. */
   void     (*ghost_moved)(void *st, vt_u64 from, vt_u64 to, uint32_t w);
   /* mremap moved resident frame f to another key (vt_sim_move), at time
      now: a policy that keeps something it derived from the key (OPT: the
      page's next use) derives it again.  NULL: nothing to do. */
   void     (*moved)(void *st, uint32_t f, vt_u64 now);
};

extern const struct vt_policy_ops vt_policy_fifo, vt_policy_lru,
   vt_policy_lfu, vt_policy_random, vt_policy_clock, vt_policy_nru,
   vt_policy_aging, vt_policy_wsclock, vt_policy_linux, vt_policy_arc,
   vt_policy_opt;
/* NULL-terminated, in the order above. */
extern const struct vt_policy_ops *const vt_policies[];
const struct vt_policy_ops *vt_policy_find(const char *name);
/* The parameters ops declares at their defaults, the others 0. */
void vt_policy_params_init(const struct vt_policy_ops *ops,
                           struct vt_policy_params *p);
/* Every parameter of every policy at its default. */
void vt_policy_params_default(struct vt_policy_params *p);
static inline vt_u64 *vt_policy_param_ptr(struct vt_policy_params *p,
                                          const struct vt_policy_param *d)
{
   return (vt_u64 *)((char *)p + d->offset);
}

/* ---- a simulation ------------------------------------------------------ */

struct vt_sim_config {
   const struct vt_policy_ops *policy;
   vt_u64   ram_pages;       /* frames; 0 = unlimited */
   vt_u64   swap_pages;      /* swap slots; 0 = unlimited, unless no_swap */
   bool     no_swap;         /* no swap at all (--swap=0, the commonest
                                setup): an anonymous page is never evicted */
   vt_u64   key_limit;       /* > 0: every key is below it (a host that
                                numbers its pages densely): pages are found
                                in arrays of key_limit entries, not hashes */
   struct vt_policy_params params;
};

struct vt_sim_stats {
   vt_u64 faults[VT_NR_FC];  /* minor classes as the unlimited model said;
                                VT_FC_SWAP_IN and VT_FC_FILE_MAJOR here */
   vt_u64 evictions;         /* pages evicted */
   vt_u64 swap_outs;         /* dirty (or never written out) anonymous
                                pages written to swap */
   vt_u64 writebacks;        /* dirty file pages written back at eviction */
   vt_u64 refaults;          /* major faults of pages evicted before */
   vt_u64 oom_events;        /* no frame could be freed (all locked, or
                                anonymous with swap full) */
   vt_u64 peak_resident;
};

/* Result of vt_sim_access. */
#define VT_SIMR_FAULT     1u   /* a fault was taken here (class in *cls) */
#define VT_SIMR_OOM       2u   /* out of memory: the page could not be
                                  brought in (the kernel would OOM-kill) */
#define VT_SIMR_MAPPED    8u   /* the page was in this simulation's page
                                  cache unmapped (VT_SIMA_READAHEAD's):
                                  the reference took the minor fault that
                                  maps it (class in *cls) */
#define VT_SIMR_READAHEAD 16u  /* with VT_SIMR_MAPPED: the page was
                                  marked PG_readahead (VT_SIMA_RA_MARK),
                                  now cleared: the fault starts the
                                  asynchronous readahead (the host's) */
#define VT_SIMR_CACHEABLE 4u   /* further references to the page change
                                  nothing here until vt_sim invalidates it */

/* Whoever feeds a simulation its references (an address space, mm_sims.c;
   the offline replayer; a test) and is told what it must know. */
struct vt_sim_owner {
   /* A page's filter entries must go (evicted, or its referenced bit was
      cleared): the next reference must reach vt_sim_access. */
   void (*invalidate)(void *ctx, vt_u64 key);
   /* Out of memory when bringing in key (for the OOM record). */
   void (*oom)(void *ctx, struct vt_sim *s, vt_u64 key);
   /* Before a victim is chosen: deliver references the fast path absorbed
      (VT_POL_EVERY policies), through vt_sim_note_hits. */
   void (*flush_hits)(void *ctx, struct vt_sim *s);
   void *ctx;
   /* Optional: before a page comes in without a victim, to a policy
      without VT_POL_INSERT_READS: what flush_hits delivers less the hits
      the filter absorbed (each has an order of its own, never the
      incoming page's, so it ties with nothing there; the references
      pending for settled pages may: a system call's share one order).
      NULL: flush_hits. */
   void (*flush_pending)(void *ctx, struct vt_sim *s);
   /* Optional: the references the fast path absorbed to the page key,
      delivered (to every simulation, as flush_hits would); true if any
      were.  Asked by a VT_POL_LAZY_HITS victim, and before a referenced
      bit is cleared or a page written back.  NULL (or no flush_pending):
      every policy is given flush_hits before a victim instead. */
   bool (*take_hits)(void *ctx, struct vt_sim *s, vt_u64 key);
};

/* owner may be NULL (no filter, nothing to tell), or set later. */
struct vt_sim *vt_sim_create(const struct vt_sim_config *cfg,
                             const struct vt_sim_owner *owner);
void vt_sim_set_owner(struct vt_sim *s, const struct vt_sim_owner *owner);
/* Figures start afresh (a forked child's): the page state stays. */
void vt_sim_clear_stats(struct vt_sim *s);
/* quiet: the host collects no figures now (VMTRACE_STOP_COLLECTION): the
   memory follows every reference, but no fault, eviction, swap-out,
   write-back or refault is counted in the statistics or by mapping (the
   peak of resident pages and out-of-memory events still are: the state's). */
void vt_sim_set_quiet(struct vt_sim *s, bool quiet);
void vt_sim_destroy(struct vt_sim *s);

/* Access flags. */
#define VT_SIMA_WRITE  1u
#define VT_SIMA_ANON   2u   /* swap-backed page (else file-backed) */
#define VT_SIMA_LOCKED 4u   /* in an mlocked VMA */
#define VT_SIMA_ZERO   8u   /* the PTE maps the shared zero page: no frame
                               is used (base_cls VT_FC_ZERO, or -1 for a
                               later read of it) */
#define VT_SIMA_PREFAULT 16u /* mapped without being referenced (fault-
                               around, populate): brought in, not counted
                               as a reference or a fault */
#define VT_SIMA_EXEC   32u  /* in an executable mapping (VM_EXEC) */
#define VT_SIMA_NORECENCY 64u /* in a mapping whose references reclaim
                               ignores (MADV_RANDOM, MADV_SEQUENTIAL: the
                               kernel's !vma_has_recency) */
#define VT_SIMA_READAHEAD 128u /* read into the page cache by the
                               simulation's read-around of a refault (the
                               host's, mm_sims.c): a file page this
                               simulation evicted comes back unmapped and
                               unreferenced, a refault of its mapping (the
                               kernel's workingset_refault), no fault; any
                               other page is left as it is */
#define VT_SIMA_RA_MARK 256u /* with VT_SIMA_READAHEAD: the window's page
                               marked PG_readahead, if it comes back */

/* A reference to page key at time now.  base_cls: the fault class the
   unlimited model took for it, or -1 if it found the page present.
   *cls receives the class of the fault taken in this simulation (-1:
   none; on VT_SIMR_OOM the class the fault would have had, not counted).
   A page evicted before in this simulation is VT_FC_SWAP_IN/FILE_MAJOR
   whatever base_cls says; a page never seen here that the unlimited model
   has present is a minor VT_FC_FILE_READ or VT_FC_ANON; VT_FC_INVALID (no
   memory touched) changes nothing.  Rules: docs/policies.md. */
unsigned vt_sim_access(struct vt_sim *s, vt_u64 key, unsigned flags,
                       uint32_t mapping, vt_u64 now, int base_cls, int *cls);

/* The order of the references that follow (vt_sim_access,
   vt_sim_note_hits): a number that grows with every reference the program
   makes, finer than time (the host's position of the access within its
   time step).  Policies break ties of last_ref with it. */
void vt_sim_set_order(struct vt_sim *s, vt_u64 order);

/* References the fast path absorbed: n more references to key, the last
   at time last and in order `order` (vt_sim_set_order; 0 if the host
   gives none).  Only for resident pages; ignored otherwise.  The
   simulation's own order, that of a reference it may be handling while the
   host delivers these, is left alone. */
void vt_sim_note_hits(struct vt_sim *s, vt_u64 key, vt_u64 n, vt_u64 last,
                      vt_u64 order);

/* The page is gone (munmap, MADV_DONTNEED, exit): its frame and any swap
   slot are freed, it is no longer "evicted before". */
void vt_sim_drop(struct vt_sim *s, vt_u64 key);
/* mremap moved the page from key `from` to key `to`: if it is out (evicted,
   its swap slot or shadow kept), it stays out under its new key, as the
   kernel's move_ptes carries a swap entry, and a policy with ghost lists
   (ARC, VT_POL_GHOSTS) is told (ghost_moved); a resident page is left for
   the host to drop and prefault, and so is an evicted one whose new key
   has an entry already (a ghost left there), where ghosts are kept. */
void vt_sim_move_evicted(struct vt_sim *s, vt_u64 from, vt_u64 to);
/* Can vt_sim_move move the page from `from` to `to` (nothing at `to`
   yet, where it holds the page or ghosts are kept)?  If not, the host
   drops the page and prefaults it at `to` (vt_sim_move_evicted first). */
bool vt_sim_movable(const struct vt_sim *s, vt_u64 from, vt_u64 to);
/* mremap moved the page from `from` to `to` (vt_sim_movable): a resident
   page keeps its frame and all its state (its place in the policy's
   order, its referenced and dirty bits, its mapping), as move_ptes moves
   the PTE with its accessed and dirty bits and the folio stays where it
   is on the LRU lists; only its key changes.  The host delivers the
   page's absorbed hits first (its old address).  An evicted page: as
   vt_sim_move_evicted. */
void vt_sim_move(struct vt_sim *s, vt_u64 from, vt_u64 to);

/* VT_SIMR_CACHEABLE if a reference to key with these flags would change
   nothing here now (resident, referenced, dirty for a write), else 0. */
unsigned vt_sim_cacheable(const struct vt_sim *s, vt_u64 key, unsigned flags);

/* Fault-around in this simulation: if key is in its page cache unmapped
   (VT_SIMA_READAHEAD) and not marked PG_readahead (filemap_map_pages
   leaves such a folio to the fault), it is mapped now, its PTE young,
   without a reference; true if it was. */
bool vt_sim_map_cached(struct vt_sim *s, vt_u64 key, vt_u64 now);

/* Whether key is in this simulation's memory (its page cache, for a file
   page), mapped or not. */
bool vt_sim_has(const struct vt_sim *s, vt_u64 key);

/* mlock/munlock of a resident page. */
void vt_sim_lock(struct vt_sim *s, vt_u64 key, bool locked);

/* Time passes (for tick-driven policies); called by the host at least at
   every reference that reaches the simulation, and before it absorbs a
   reference at or after vt_sim_next_tick (a tick clears referenced bits:
   references after it must reach the simulation).  Before ticking it calls
   owner->flush_hits, so absorbed references are delivered before it. */
void vt_sim_advance(struct vt_sim *s, vt_u64 now);
/* Offline replay: give the policy the future (ops->set_future with the
   policy's state).  False if the policy takes none (or RAM is unlimited).
   Call before the first access. */
bool vt_sim_set_future(struct vt_sim *s,
                       vt_u64 (*next_use)(void *ctx, vt_u64 key, vt_u64 now),
                       void *ctx);

/* The time of the next tick, VT_SIM_NO_PAGE if none is due. */
vt_u64 vt_sim_next_tick(const struct vt_sim *s);

/* For policies. */
struct vt_pframe *vt_sim_frames(struct vt_sim *s);
/* One per frame, moving with the frames; NULL unless the policy needs
   VT_POL_EVERY (and not VT_POL_NOSTAMP). */
struct vt_fstamp *vt_sim_stamps(struct vt_sim *s);
/* One per frame, moving with the frames: the references to the page since
   it was brought in; NULL unless the policy needs VT_POL_COUNTS. */
vt_u64 *vt_sim_refs(struct vt_sim *s);
uint32_t vt_sim_nr_frames(const struct vt_sim *s);   /* allocated so far */
void vt_sim_clear_referenced(struct vt_sim *s, uint32_t f);
/* May f be evicted now?  Not if locked, nor if anonymous while swap is
   full.  victim() must return such a frame. */
bool vt_sim_evictable(const struct vt_sim *s, uint32_t f);
/* A VT_POL_LAZY_HITS policy's victim, before it takes the evictable frame
   f whose last reference is the oldest: the references the fast path
   absorbed to f's page, delivered (they may make it more recent: then
   the policy chooses again).  True if any were. */
bool vt_sim_take_hits(struct vt_sim *s, uint32_t f);
/* Is every resident frame evictable, whatever happens to swap?  (No frame
   is locked and swap is unlimited.) */
bool vt_sim_all_evictable(const struct vt_sim *s);
vt_u64 vt_sim_random(struct vt_sim *s);          /* seeded xorshift */

/* The page being brought in: its key during victim() and insert(), else
   VT_SIM_NO_PAGE (ARC decides its victim by the incoming page's history). */
vt_u64 vt_sim_incoming(const struct vt_sim *s);
/* What the policy keeps of resident frame f (AGING: its age counter;
   LINUX: its list and PG_referenced, PD_* bits; ARC: T1 or T2; WSCLOCK:
   its time of last use); 0 for the others. */
vt_u64 vt_sim_policy_word(const struct vt_sim *s, uint32_t f);
/* During insert(): the time the page is brought in. */
vt_u64 vt_sim_incoming_time(const struct vt_sim *s);
/* During reference(): the time of the reference delivered (of the last of
   them, for several delivered at once by vt_sim_note_hits).  References
   to a page may be delivered out of time order (struct vt_fstamp's
   last_ref is the largest). */
vt_u64 vt_sim_reference_time(const struct vt_sim *s);
/* During insert(): true if the page was evicted before in this simulation
   (a refault), with *shadow = the word the policy gave when it was evicted
   (VT_POL_SHADOW policies; LINUX keeps its eviction time there, as
   mm/workingset.c's shadow). */
bool vt_sim_incoming_shadow(const struct vt_sim *s, uint32_t *shadow);
/* During victim() of a VT_POL_SHADOW policy: the victim's shadow word
   (0 if not called).  32 bits, so that an evicted page with its shadow
   fits in 16 bytes (issue 12). */
void vt_sim_set_shadow(struct vt_sim *s, uint32_t shadow);
/* Every evicted page's shadow word w that is more than limit behind now
   (now - w > limit, in 32-bit arithmetic) becomes now - limit.  A policy
   whose shadow words are a counter (LINUX) calls it as the counter passes
   every multiple of limit / 2, so a word never falls 2^32 behind and
   wraps: one further than limit reads as limit .. limit * 3 / 2 behind.
   O(evicted pages). */
void vt_sim_clamp_shadows(struct vt_sim *s, uint32_t now, uint32_t limit);
/* VT_POL_GHOSTS: the word of key's entry in the evicted set (an evicted
   page, or one dropped while evicted that still has a word), 0 if none;
   possibly one the policy left behind (ghost_live).  During insert() the
   incoming page's is the word its entry held (the entry is gone by
   then). */
uint32_t vt_sim_ghost_word(const struct vt_sim *s, vt_u64 key);
/* Key's entry (it has one, with a word) now holds w (below 2^31); 0 on a
   dropped page's entry removes the entry.  O(1) expected. */
void vt_sim_set_ghost_word(struct vt_sim *s, vt_u64 key, uint32_t w);
/* The policy's ghost of key went (its word may stay behind): if the page
   was dropped while evicted, its entry goes.  No lookup while no dropped
   page keeps one. */
void vt_sim_forget_ghost(struct vt_sim *s, vt_u64 key);
/* Would evicting f write nothing?  A file page: not dirty.  An anonymous
   page: it holds a valid swap copy (only after vt_sim_writeback). */
bool vt_sim_clean(const struct vt_sim *s, uint32_t f);
/* Write f back now and keep it resident (WSCLOCK's scheduled write): a
   dirty file page counts a writeback; an anonymous page without a swap
   copy takes a swap slot and counts a swap-out (false if swap is full).
   The page is clean afterwards; a later write makes it dirty again (and
   frees an anonymous page's now stale swap copy). */
bool vt_sim_writeback(struct vt_sim *s, uint32_t f);

const struct vt_sim_stats *vt_sim_stats(const struct vt_sim *s);
const struct vt_sim_config *vt_sim_config(const struct vt_sim *s);
vt_u64 vt_sim_resident(const struct vt_sim *s);
vt_u64 vt_sim_swap_used(const struct vt_sim *s);   /* swap slots in use */
/* Resident pages that are swap-backed (anonymous, shared memory); the
   others are file pages of the page cache. */
vt_u64 vt_sim_resident_anon(const struct vt_sim *s);
/* No swap slot is free (swap full, or none at all): a dirty anonymous page
   cannot be written out. */
bool vt_sim_swap_full(const struct vt_sim *s);
/* Evictions per mapping id: fills counts[0..n) (0 where none). */
void vt_sim_evictions_by_mapping(const struct vt_sim *s, vt_u64 *counts,
                                 uint32_t n);
/* Refaults per mapping id (the mapping that faulted the page back). */
void vt_sim_refaults_by_mapping(const struct vt_sim *s, vt_u64 *counts,
                                uint32_t n);
/* Mapping `from` was folded into `to`: its counts and frames move there. */
void vt_sim_rename_mapping(struct vt_sim *s, uint32_t from, uint32_t to);

/* ---- one memory for several address spaces (vmtrace-sim --tree) ----------

   An address space given a pool hands what it would give its simulations
   (the page's key as mm_sims.c makes it: the virtual page number of a
   private page, a page-cache page's (file, offset) key with bit 63 set;
   VT_SIMA_* flags; the unlimited model's fault class or -1) to the pool's
   host instead, which keeps one memory for all of them (whose frame a
   page is, copy-on-write sharing, the OOM killer).  Nothing it references
   is absorbed by a filter while it has a pool. */
struct vt_mm_pool {
   void (*ref)(void *ctx, struct vt_mm *mm, vt_u64 key, unsigned flags,
               uint32_t mapping, int cls);
   /* The page leaves this address space (unmap, MADV_DONTNEED, exit): a
      private page is gone from it, a page-cache page stays cached. */
   void (*drop)(void *ctx, struct vt_mm *mm, vt_u64 key);
   void (*lock)(void *ctx, struct vt_mm *mm, vt_u64 key, bool locked);
   void *ctx;
   /* mremap moved a private page from key `from` to key `to`: the same
      page (and frame) under its new key.  NULL: the page leaves `from`
      (drop) and is mapped without a reference at `to` (ref, prefault). */
   void (*move)(void *ctx, struct vt_mm *mm, vt_u64 from, vt_u64 to);
};
/* From now on (NULL: no more); the filter forgets what it cached. */
void vt_mm_set_pool(struct vt_mm *mm, const struct vt_mm_pool *pool);
#define VT_SIM_KEY_PCACHE (1ULL << 63)   /* a page-cache page's key */

/* ---- containers of frames for policies (list.c, heap.c) --------------- */

/* A doubly-linked list of frames through vt_pframe.link[0] (towards the
   head) and link[1] (towards the tail); a frame is on one list at a time. */
struct vt_flist { uint32_t head, tail, n; };
void vt_flist_init(struct vt_flist *l);
void vt_flist_push_head(struct vt_pframe *fr, struct vt_flist *l, uint32_t f);
void vt_flist_push_tail(struct vt_pframe *fr, struct vt_flist *l, uint32_t f);
/* Insert f just before at (towards the head); at == VT_SIM_NO_FRAME: at
   the tail. */
void vt_flist_insert_before(struct vt_pframe *fr, struct vt_flist *l,
                            uint32_t at, uint32_t f);
void vt_flist_del(struct vt_pframe *fr, struct vt_flist *l, uint32_t f);
/* The next frame towards the tail, wrapping from the tail to the head. */
uint32_t vt_flist_next_wrap(const struct vt_pframe *fr,
                            const struct vt_flist *l, uint32_t f);

/* A ring of frames with a hand (CLOCK, WSCLOCK): a frame enters just
   behind the hand (the first one makes the hand); when the frame under the
   hand leaves, the hand moves on to the next. */
struct vt_fring { struct vt_flist l; uint32_t hand; };
void vt_fring_init(struct vt_fring *r);
void vt_fring_insert(struct vt_pframe *fr, struct vt_fring *r, uint32_t f);
void vt_fring_del(struct vt_pframe *fr, struct vt_fring *r, uint32_t f);
/* f leaves and the hand stops just past it. */
void vt_fring_take(struct vt_pframe *fr, struct vt_fring *r, uint32_t f);
/* The hand moves on one frame. */
void vt_fring_advance(const struct vt_pframe *fr, struct vt_fring *r);

/* A binary heap of frames ordered by before(ctx, a, b): a comes out
   first.  O(log n) push, delete, fix (after a frame's key changed). */
struct vt_fheap {
   uint32_t *heap, *pos, *stash;   /* pos: index + 1, 0 = not in heap;
                                      stash: NULL until a frame is not
                                      evictable (locked, or swap full) */
   uint32_t  n, cap;                /* cap: the frames it has room for */
   bool    (*before)(void *ctx, uint32_t a, uint32_t b);
   void     *ctx;
};
void vt_fheap_init(struct vt_fheap *h, uint32_t nr_frames,
                   bool (*before)(void *ctx, uint32_t a, uint32_t b),
                   void *ctx);
void vt_fheap_destroy(struct vt_fheap *h);
void vt_fheap_grow(struct vt_fheap *h, uint32_t old_n, uint32_t new_n);
void vt_fheap_push(struct vt_fheap *h, uint32_t f);
void vt_fheap_del(struct vt_fheap *h, uint32_t f);
void vt_fheap_fix(struct vt_fheap *h, uint32_t f);
bool vt_fheap_has(const struct vt_fheap *h, uint32_t f);
/* Restore the order after the keys of many frames changed: O(n). */
void vt_fheap_rebuild(struct vt_fheap *h);
/* Move every frame of src into dst: O(n). */
void vt_fheap_absorb(struct vt_fheap *dst, struct vt_fheap *src);
/* The first evictable frame in heap order, left in the heap; the frames
   before it are taken out and put back.  VT_SIM_NO_FRAME if none. */
uint32_t vt_fheap_first_evictable(struct vt_fheap *h, const struct vt_sim *s);
/* The same, taken out of the heap: a heap policy's victim. */
uint32_t vt_fheap_take_evictable(struct vt_fheap *h, const struct vt_sim *s);

/* ---- the base of a policy's state (policy.c) -------------------------- */

/* A policy's state begins with this: its simulation, the frames (which
   move when they grow) and the per-frame arrays and heaps the base grows
   with them and frees at the end, so a policy needs no grow or destroy of
   its own. */
#define VT_POLICY_MAX_ARRAYS 4
#define VT_POLICY_MAX_HEAPS  4
struct vt_policy {
   struct vt_sim    *s;
   struct vt_pframe *fr;
   struct vt_fstamp *stamp;             /* vt_sim_stamps: may be NULL */
   vt_u64           *refs;              /* vt_sim_refs: may be NULL */
   uint32_t          nr;                /* frames allocated */
   uint32_t          nr_arrays, nr_heaps;
   void            **arrays[VT_POLICY_MAX_ARRAYS];
   size_t            elem[VT_POLICY_MAX_ARRAYS];
   struct vt_fheap  *heaps[VT_POLICY_MAX_HEAPS];
};
/* size bytes of zeroed state whose first member is a struct vt_policy. */
void *vt_policy_new(struct vt_sim *s, uint32_t nr_frames, size_t size);
/* *array becomes a zeroed array of nr elem-sized items, one per frame. */
void  vt_policy_frame_array(struct vt_policy *b, void *array, size_t elem);
/* h becomes an empty heap of frames in the order before(ctx, a, b). */
void  vt_policy_frame_heap(struct vt_policy *b, struct vt_fheap *h,
                           bool (*before)(void *ctx, uint32_t a, uint32_t b),
                           void *ctx);
void  vt_policy_grow(void *st, uint32_t nr_frames);
void  vt_policy_destroy(void *st);

/* Policies that keep every page in one heap, ties broken by the order in
   which the policy learnt of the page's last insertion or reference (seq):
   LRU, LFU, AGING, OPT.  A victim is the first evictable page in heap
   order.  before() compares two frames (ctx: the policy's state). */
struct vt_heap_policy {
   struct vt_policy  base;
   struct vt_fheap   h;
   vt_u64           *seq;
   vt_u64            clock;
};
void *vt_heap_policy_new(struct vt_sim *s, uint32_t nr_frames, size_t size,
                         bool (*before)(void *ctx, uint32_t a, uint32_t b));
void     vt_heap_policy_insert(void *st, uint32_t f);     /* seq, push */
void     vt_heap_policy_reference(void *st, uint32_t f);  /* seq, fix */
void     vt_heap_policy_remove(void *st, uint32_t f);
uint32_t vt_heap_policy_victim(void *st, vt_u64 now);
#endif /* VT_SIM_H */
