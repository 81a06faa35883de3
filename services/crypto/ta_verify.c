/* Verification of signed TA images (include/microtee/ta_shdr.h) for the TA
 * loader: ta_check.c under the key built into this service (ta_pubkey.h,
 * generated from the signing key by host/tasign at build time). Only init,
 * the loader, may ask (CRYPTO_OP_TA_VERIFY). */
#include <stdio.h>
#include <string.h>

#include "../../include/microtee/ta_shdr.h"
#include "crypto.h"
#include "mt.h"
#include "ta_check.h"
#include "ta_pubkey.h"

/* Where the image is mapped while it is checked (clear of the windows). */
#define TA_IMAGE_VA (MT_USER_SHM + 0x4000000UL)

static TEE_Result check(const uint8_t *img, size_t len, const uint8_t uuid[16], struct reply *r)
{
	static const char *const why[] = {
	    [TA_CHECK_MALFORMED] = "malformed signed header",
	    [TA_CHECK_OTHER_UUID] = "signed for another UUID",
	    [TA_CHECK_HASH] = "its hash does not match",
	    [TA_CHECK_SIGNATURE] = "bad signature",
	    [TA_CHECK_INTERNAL] = "crypto library failure",
	};
	struct ta_shdr_parts p;
	enum ta_check_result c = ta_check(img, len, uuid, ta_pubkey_n, sizeof(ta_pubkey_n),
					  ta_pubkey_e, sizeof(ta_pubkey_e), &p);
	if (c != TA_CHECK_OK) {
		printf("[crypto] TA image refused: %s\n", why[c]);
		return c == TA_CHECK_INTERNAL ? TEE_ERROR_GENERIC : TEE_ERROR_SECURITY;
	}
	r->w[1] = p.img_off;
	r->w[2] = p.img_size;
	r->w[3] = p.boot.version;
	return TEE_SUCCESS;
}

TEE_Result ta_verify(unsigned long shm, const uint64_t *w, struct reply *r)
{
	uint8_t uuid[16];
	for (int i = 0; i < 8; i++) {
		uuid[i] = (uint8_t)(w[2] >> (56 - 8 * i));
		uuid[8 + i] = (uint8_t)(w[3] >> (56 - 8 * i));
	}
	unsigned long mapped = 0;
	if (!shm || MT_SYS_R1(&mapped, SYS_SHM_MAP, shm, TA_IMAGE_VA, MT_PROT_R) != MT_OK)
		return BADP(r);
	TEE_Result res = w[1] && w[1] <= mapped ? check((const uint8_t *)TA_IMAGE_VA, w[1], uuid, r)
						: BADP(r);
	mt_mem_unmap(TA_IMAGE_VA, mapped);
	return res;
}
