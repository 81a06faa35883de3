/* Layout checks of a signed TA image (include/microtee/ta_shdr.h): pure
 * code over bytes, so the host unit tests run it under ASan on mutated
 * images (tests/unit/test_shdr.c). */
#include <string.h>

#include "../../include/microtee/ta_shdr.h"

int ta_shdr_parse(const uint8_t *buf, size_t len, struct ta_shdr_parts *out)
{
	if (!buf || len < sizeof(struct ta_shdr))
		return -1;
	struct ta_shdr h;
	memcpy(&h, buf, sizeof(h)); /* the image may be unaligned */
	if (h.magic != TA_SHDR_MAGIC || h.img_type != TA_SHDR_BOOTSTRAP_TA ||
	    (h.algo != TA_SHDR_ALG_RSA_PSS_SHA256 && h.algo != TA_SHDR_ALG_RSA_PKCS1_SHA256) ||
	    h.hash_size != TA_SHDR_HASH_SIZE || h.sig_size != TA_SHDR_SIG_SIZE || h.img_size == 0)
		return -1;
	/* Fixed sizes now, so these sums cannot wrap; the image's size is
	 * checked against what is left, never added blindly. */
	size_t hash_off = sizeof(h), sig_off = hash_off + h.hash_size;
	size_t boot_off = sig_off + h.sig_size, img_off = boot_off + sizeof(struct ta_shdr_boot);
	if (len < img_off || len - img_off != h.img_size)
		return -1;
	out->hdr = h;
	memcpy(&out->boot, buf + boot_off, sizeof(out->boot));
	out->hash_off = hash_off;
	out->sig_off = sig_off;
	out->boot_off = boot_off;
	out->img_off = img_off;
	out->img_size = h.img_size;
	return 0;
}
