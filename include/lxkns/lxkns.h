/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lxkns.h: the umbrella header of liblxkns, the Linux-kernel namespace
 * discovery library. Include this one; it pulls in the rest.
 */
#ifndef LXKNS_LXKNS_H
#define LXKNS_LXKNS_H

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

/* The library version, e.g. "0.1.0". */
const char *lxkns_version(void);

#ifdef __cplusplus
}
#endif
#endif
