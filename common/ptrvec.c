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
	/* mostly already in order (filled in order): check that first */
	for (size_t i = 1; i < v->count; i++)
		if (cmp(&v->items[i - 1], &v->items[i]) > 0) {
			qsort(v->items, v->count, sizeof(void *), cmp);
			return;
		}
}

void ptrvec_free(struct ptrvec *v)
{
	free(v->items);
	v->items = NULL;
	v->count = v->cap = 0;
}
