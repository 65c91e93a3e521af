/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caps.h: least privilege. At start the service keeps only the capabilities
 * discovery needs (CAP_SYS_PTRACE, CAP_SYS_ADMIN, CAP_SYS_CHROOT,
 * CAP_DAC_READ_SEARCH, CAP_DAC_OVERRIDE) and drops every other one from its
 * effective, permitted, inheritable, ambient and (where it may) bounding
 * sets; it also sets no_new_privs.
 */
#ifndef LXKNS_SERVICE_CAPS_H
#define LXKNS_SERVICE_CAPS_H

#include <stddef.h>

/*
 * Trims the capabilities. kept and missing receive comma-separated
 * capability names (those needed and held, those needed but not held).
 * Returns 0 or -errno when the sets could not be changed.
 */
int caps_trim(char *kept, size_t kept_size, char *missing, size_t missing_size);

#endif
