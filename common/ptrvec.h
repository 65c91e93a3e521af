/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ptrvec.h: a growable array of pointers (leaders, children, ...).
 */
#ifndef LXKNS_COMMON_PTRVEC_H
#define LXKNS_COMMON_PTRVEC_H

#include <stddef.h>

struct ptrvec {
	void **items;
	size_t count, cap;
};

/* 0 or -ENOMEM. */
int ptrvec_push(struct ptrvec *v, void *item);
void ptrvec_sort(struct ptrvec *v, int (*cmp)(const void *a, const void *b));
void ptrvec_free(struct ptrvec *v);

#endif
