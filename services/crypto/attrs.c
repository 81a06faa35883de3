/* Attribute records as clients serialize them (crypto_ipc.h):
 *   uint32_t id; uint32_t length; then `length` bytes padded to a multiple
 *   of 8, or for a value attribute (TEE_ATTR_FLAG_VALUE in id) length 0
 *   and two uint32_t a, b.
 * Parsed from the request's private copy, never from the window. */
#include <string.h>

#include "crypto.h"

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

TEE_Result attrs_parse(const uint8_t *p, size_t len, struct attr *out, unsigned *n)
{
	size_t pos = 0;
	unsigned count = 0;
	while (pos < len) {
		if (len - pos < 8 || count == MAX_RECORDS)
			return TEE_ERROR_BAD_PARAMETERS;
		struct attr a = {rd32(p + pos), rd32(p + pos + 4), 0, 0, 0};
		pos += 8;
		if (attr_is_value(a.id)) {
			if (a.len != 0 || len - pos < 8)
				return TEE_ERROR_BAD_PARAMETERS;
			a.a = rd32(p + pos);
			a.b = rd32(p + pos + 4);
			pos += 8;
		} else {
			if (a.len > len - pos)
				return TEE_ERROR_BAD_PARAMETERS;
			a.data = p + pos;
			/* The padding of the last record may be missing. */
			size_t padded = ((size_t)a.len + 7) & ~(size_t)7;
			pos += padded < len - pos ? padded : len - pos;
		}
		/* The same attribute twice is ambiguous: refused. */
		if (attrs_find(out, count, a.id))
			return TEE_ERROR_BAD_PARAMETERS;
		out[count++] = a;
	}
	*n = count;
	return TEE_SUCCESS;
}

const struct attr *attrs_find(const struct attr *a, unsigned n, uint32_t id)
{
	for (unsigned i = 0; i < n; i++)
		if (a[i].id == id)
			return &a[i];
	return 0;
}
