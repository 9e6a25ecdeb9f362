/* vmtrace.h: client requests for programs run under valgrind --tool=vmtrace.

   Copyright (c) 2026 the vmtrace developers.

   Permission is hereby granted, free of charge, to any person obtaining a
   copy of this file, to deal in it without restriction, including without
   limitation the rights to use, copy, modify, merge, publish, distribute,
   sublicense, and/or sell copies of it, and to permit persons to whom it
   is furnished to do so.  THIS FILE IS PROVIDED "AS IS", WITHOUT WARRANTY
   OF ANY KIND.  (MIT license; the rest of vmtrace is GPL-2.0-or-later.)

   Every macro is a no-op costing a few instructions when the program is not
   running under vmtrace, so the requests can stay in production builds.

     VMTRACE_LABEL(addr, len, "name")   the pages of [addr, addr+len) get
                                        figures of their own under "name"
                                        (faults by class, pages touched),
                                        overall and per phase.  Labelling a
                                        range that overlaps an older label
                                        takes the overlap from the old one.
     VMTRACE_UNLABEL(addr, len)         removes labels from the range.
     VMTRACE_PHASE("name")              from here on, figures are also
                                        counted under phase "name" (the run
                                        starts in phase "main"); naming a
                                        phase again continues it.
     VMTRACE_START_COLLECTION()         count events (the default, unless
     VMTRACE_STOP_COLLECTION()          --collect-atstart=no); the simulated
                                        memory always follows the program,
                                        only the figures stop.
     VMTRACE_RUNNING()                  1 under vmtrace, else 0. */

#ifndef VMTRACE_H
#define VMTRACE_H

#include <valgrind/valgrind.h>

typedef enum {
   VMTRACE_USERREQ__LABEL = VG_USERREQ_TOOL_BASE('V', 'T'),
   VMTRACE_USERREQ__UNLABEL,
   VMTRACE_USERREQ__PHASE,
   VMTRACE_USERREQ__START_COLLECTION,
   VMTRACE_USERREQ__STOP_COLLECTION,
   VMTRACE_USERREQ__RUNNING
} Vg_VmtraceClientRequest;

#define VMTRACE_LABEL(_qzz_addr, _qzz_len, _qzz_name)                      \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VMTRACE_USERREQ__LABEL, (_qzz_addr),    \
                                   (_qzz_len), (_qzz_name), 0, 0)

#define VMTRACE_UNLABEL(_qzz_addr, _qzz_len)                               \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VMTRACE_USERREQ__UNLABEL, (_qzz_addr),  \
                                   (_qzz_len), 0, 0, 0)

#define VMTRACE_PHASE(_qzz_name)                                           \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VMTRACE_USERREQ__PHASE, (_qzz_name),    \
                                   0, 0, 0, 0)

#define VMTRACE_START_COLLECTION()                                         \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VMTRACE_USERREQ__START_COLLECTION,      \
                                   0, 0, 0, 0, 0)

#define VMTRACE_STOP_COLLECTION()                                          \
   VALGRIND_DO_CLIENT_REQUEST_STMT(VMTRACE_USERREQ__STOP_COLLECTION,       \
                                   0, 0, 0, 0, 0)

#define VMTRACE_RUNNING()                                                  \
   ((int)VALGRIND_DO_CLIENT_REQUEST_EXPR(0, VMTRACE_USERREQ__RUNNING,      \
                                         0, 0, 0, 0, 0))

#endif /* VMTRACE_H */
