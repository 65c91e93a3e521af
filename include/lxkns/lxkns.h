/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lxkns.h: the umbrella header of liblxkns, the Linux-kernel namespace
 * discovery library. Include this one; it pulls in the rest.
 */
#ifndef LXKNS_LXKNS_H
#define LXKNS_LXKNS_H

#include <lxkns/version.h>
#include <lxkns/species.h>
#include <lxkns/model.h>
#include <lxkns/discover.h>
#include <lxkns/options.h>
#include <lxkns/json.h>
#include <lxkns/mounts.h>
#include <lxkns/pidmap.h>
#include <lxkns/ops.h>
#include <lxkns/nsfs.h>
#include <lxkns/containers.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the liblxkns a program runs with, "MAJOR.MINOR.PATCH" (a
 * static string). The header's version, the one a program was compiled
 * with, is LXKNS_VERSION_STRING in <lxkns/version.h>, with
 * LXKNS_VERSION_MAJOR, LXKNS_VERSION_MINOR, LXKNS_VERSION_PATCH and
 * LXKNS_RELEASE_DATE; a newer library keeps the ABI of an older header
 * with the same major version. */
const char *lxkns_version(void);

#ifdef __cplusplus
}
#endif
#endif
