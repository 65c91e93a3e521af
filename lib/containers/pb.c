/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pb.c: the protobuf wire format, as much as containerd's and the CRI's
 * messages need: a reader that walks the fields of one message (varints,
 * 32/64-bit fixed values, length-delimited bytes; groups are rejected) and
 * a writer for small requests. The reader never reads outside its span.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "containers-internal.h"

struct pb_reader pb_reader_of(const void *data, size_t len)
{
	const uint8_t *p = data ? data : (const uint8_t *)"";
	return (struct pb_reader){ .p = p, .end = p + (data ? len : 0) };
}

static int get_varint(struct pb_reader *r, uint64_t *ret)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end)
			return -EBADMSG;
		uint8_t b = *r->p++;
		if (shift == 63 && (b & 0x7e))
			return -EBADMSG; /* more than 64 bits */
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*ret = v;
			return 0;
		}
	}
	return -EBADMSG;
}

int pb_next(struct pb_reader *r, struct pb_field *f)
{
	uint64_t key, len;

	if (r->p >= r->end)
		return 0;
	if (get_varint(r, &key) < 0 || (key >> 3) == 0 || (key >> 3) > 0x1fffffff)
		return -EBADMSG;
	f->num = (uint32_t)(key >> 3);
	f->wire = (int)(key & 7);
	f->v = 0;
	f->data = NULL;
	f->len = 0;
	switch (f->wire) {
	case PB_VARINT:
		return get_varint(r, &f->v) < 0 ? -EBADMSG : 1;
	case PB_I64:
		if (r->end - r->p < 8)
			return -EBADMSG;
		for (int i = 7; i >= 0; i--)
			f->v = (f->v << 8) | r->p[i];
		r->p += 8;
		return 1;
	case PB_I32:
		if (r->end - r->p < 4)
			return -EBADMSG;
		for (int i = 3; i >= 0; i--)
			f->v = (f->v << 8) | r->p[i];
		r->p += 4;
		return 1;
	case PB_LEN:
		if (get_varint(r, &len) < 0 || len > (uint64_t)(r->end - r->p))
			return -EBADMSG;
		f->data = r->p;
		f->len = (size_t)len;
		r->p += len;
		return 1;
	default: /* groups (3, 4) and the reserved 6, 7 */
		return -EBADMSG;
	}
}

static void put_raw_varint(struct buf *w, uint64_t v)
{
	if (buf_reserve(w, 10) < 0)
		return;
	do {
		uint8_t b = v & 0x7f;
		v >>= 7;
		w->data[w->len++] = (char)(b | (v ? 0x80 : 0));
	} while (v);
	w->data[w->len] = 0;
}

/* A field's tag: its number and its wire type. */
static uint64_t pb_tag(uint32_t field, unsigned wire_type)
{
	return (uint64_t)field << 3 | wire_type;
}

void pb_put_varint(struct buf *w, uint32_t field, uint64_t v)
{
	put_raw_varint(w, pb_tag(field, PB_VARINT));
	put_raw_varint(w, v);
}

void pb_put_bytes(struct buf *w, uint32_t field, const void *data, size_t len)
{
	put_raw_varint(w, pb_tag(field, PB_LEN));
	put_raw_varint(w, len);
	buf_append(w, data, len);
}

void pb_put_string(struct buf *w, uint32_t field, const char *s)
{
	pb_put_bytes(w, field, s, strlen(s));
}
