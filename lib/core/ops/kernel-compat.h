/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kernel-compat.h: kernel interfaces newer than (or missing from) Debian
 * 12's headers, defined here once and probed at run time by their users
 * (ENOSYS/ENOTTY mean "not on this kernel"), plus the socket-to-netns
 * lookup that discovery and entering share.
 */
#ifndef LXKNS_OPS_KERNEL_COMPAT_H
#define LXKNS_OPS_KERNEL_COMPAT_H

#include <linux/sockios.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#ifndef NSIO
#define NSIO 0xb7
#endif
#ifndef NS_GET_USERNS
#define NS_GET_USERNS _IO(NSIO, 0x1)
#endif
#ifndef NS_GET_PARENT
#define NS_GET_PARENT _IO(NSIO, 0x2)
#endif
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE _IO(NSIO, 0x3)
#endif
#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif
#ifndef NS_GET_OWNER_UID
#define NS_GET_OWNER_UID _IO(NSIO, 0x4)
#endif
#ifndef SIOCGSKNS
#define SIOCGSKNS 0x894C
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef RESOLVE_IN_ROOT
#define RESOLVE_IN_ROOT 0x10
#endif

/* The network namespace of socket fd number fd of the process behind
 * pidfd (pidfd_getfd + SIOCGSKNS): an O_CLOEXEC nsfs fd, or -errno.
 * *ret_denied (if not NULL) tells whether it was SIOCGSKNS that failed
 * with EPERM: the caller lacks CAP_NET_ADMIN, for every socket alike. */
__attribute__((visibility("hidden"))) int socket_netns_fd(int pidfd, int fd, bool *ret_denied);

#endif
