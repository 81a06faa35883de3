/* The export image of a key object (objimg.h): a header, then the
 * attributes as serialized records, parsed back by attrs.c's parser. */
#include <string.h>

#include "objimg.h"

static size_t rec_size(const struct attr *a)
{
	return 8 + (attr_is_value(a->id) ? 8 : (((size_t)a->len + 7) & ~(size_t)7));
}

size_t objimg_size(const struct attr *a, unsigned n)
{
	size_t total = sizeof(struct crypto_obj_image);
	for (unsigned i = 0; i < n; i++)
		total += rec_size(&a[i]);
	return total;
}

int objimg_write(uint8_t *out, size_t cap, const struct crypto_obj_image *h, const struct attr *a,
                 unsigned n, size_t *len)
{
	size_t total = objimg_size(a, n);
	if (n == 0 || n > OBJ_MAX_ATTRS || total > cap)
		return -1;
	struct crypto_obj_image hd = *h;
	hd.magic = OBJIMG_MAGIC;
	hd.version = OBJIMG_VERSION;
	hd.nattrs = (uint16_t)n;
	hd.attrs_len = (uint32_t)(total - sizeof(hd));
	hd.reserved = 0;
	memset(out, 0, total);
	memcpy(out, &hd, sizeof(hd));
	uint8_t *p = out + sizeof(hd);
	for (unsigned i = 0; i < n; i++) {
		uint32_t w[2] = {a[i].id, attr_is_value(a[i].id) ? 0 : a[i].len};
		memcpy(p, w, 8);
		if (attr_is_value(a[i].id)) {
			uint32_t v[2] = {a[i].a, a[i].b};
			memcpy(p + 8, v, 8);
		} else if (a[i].len) {
			memcpy(p + 8, a[i].data, a[i].len);
		}
		p += rec_size(&a[i]);
	}
	*len = total;
	return 0;
}

int objimg_read(const uint8_t *in, size_t len, struct crypto_obj_image *h, struct attr *a,
                unsigned *n)
{
	if (len < sizeof(*h))
		return -1;
	memcpy(h, in, sizeof(*h));
	if (h->magic != OBJIMG_MAGIC || h->version != OBJIMG_VERSION || h->reserved ||
	    h->nattrs == 0 || h->nattrs > OBJ_MAX_ATTRS || h->attrs_len != len - sizeof(*h))
		return -1;
	struct attr tmp[MAX_RECORDS];
	unsigned count = 0;
	if (attrs_parse(in + sizeof(*h), h->attrs_len, tmp, &count) != TEE_SUCCESS ||
	    count != h->nattrs)
		return -1;
	/* Whole records only: the last one's padding too. */
	if (objimg_size(tmp, count) != len)
		return -1;
	memcpy(a, tmp, count * sizeof(tmp[0]));
	*n = count;
	return 0;
}
