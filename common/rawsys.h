/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rawsys.h: openat, read and close for the per-process /proc hot path,
 * made through syscall(2) instead of their libc wrappers. The wrappers are
 * pthread cancellation points: in a process with threads (the scanner's
 * workers) each call switches the cancellation state on and off, which is
 * more user-space work than the rest of the call. Nothing in lxkns cancels
 * threads, so the plain syscall is the same call without that work.
 * Same return convention as the wrappers: -1 and errno. cleanup.h's
 * _cleanup_close_ closes this way too.
 */
#ifndef LXKNS_COMMON_RAWSYS_H
#define LXKNS_COMMON_RAWSYS_H

#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static inline int raw_openat(int dirfd, const char *path, int flags)
{
	return (int)syscall(SYS_openat, dirfd, path, flags, 0);
}

static inline ssize_t raw_read(int fd, void *buf, size_t n)
{
	return (ssize_t)syscall(SYS_read, fd, buf, n);
}

static inline int raw_close(int fd)
{
	return (int)syscall(SYS_close, fd);
}

#endif
