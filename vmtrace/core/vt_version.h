/* vt_version.h: the version of every vmtrace program (the tool,
   vmtrace-sim, vmtrace-native) is configure's (AC_INIT), which the build
   passes to every compile; `--version` prints "NAME VERSION"
   (docs/manual.md, "Versions").
   SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef VT_VERSION_H
#define VT_VERSION_H

#ifndef PACKAGE_VERSION
#error "PACKAGE_VERSION comes from configure (AC_INIT)"
#endif
#define VT_VERSION PACKAGE_VERSION

#endif
