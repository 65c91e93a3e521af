/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pipeline.c: lxkns_discover(), the whole discovery: the pipeline of
 * lib/discover/ with the container step of this layer as its last step.
 * It lives here, not in lib/discover/, so that discover does not depend on
 * containers (layers: core < discover < containers < json).
 */
#include "containers-internal.h"
#include "discover-internal.h"

int lxkns_discover(const struct lxkns_discover_opts *opts, struct lxkns_result **ret_result)
{
	return discover_run(opts, containers_discover, ret_result);
}
