/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdlib.h>

#include "ptrvec.h"

int ptrvec_push(struct ptrvec *v, void *item)
{
	if (v->count == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 4;
		void **n = realloc(v->items, ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		v->items = n;
		v->cap = ncap;
	}
	v->items[v->count++] = item;
	return 0;
}

void ptrvec_sort(struct ptrvec *v, int (*cmp)(const void *a, const void *b))
{
	if (v->count > 1)
		qsort(v->items, v->count, sizeof(void *), cmp);
}

void ptrvec_free(struct ptrvec *v)
{
	free(v->items);
	v->items = NULL;
	v->count = v->cap = 0;
}
