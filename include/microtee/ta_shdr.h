/* The signed TA image that tee-supplicant hands over from /lib/optee_armtz:
 * OP-TEE's container (facts of its format), so that the same tools and
 * places work. Little-endian throughout:
 *
 *   struct ta_shdr        magic, image type, image size, algorithm,
 *                         hash size, signature size            (20 bytes)
 *   hash[hash_size]       SHA-256 of everything signed (below)
 *   sig[sig_size]         RSA signature of that hash (PSS or PKCS#1 v1.5)
 *   struct ta_shdr_boot   the TA's UUID (octets) and version   (20 bytes)
 *   image[img_size]       the TA's ELF file
 *
 * What is hashed: the 20-byte header, the 20-byte UUID and version, and the
 * image, in that order. Only SHDR_BOOTSTRAP_TA images are accepted. Used by
 * the crypto service (services/crypto/shdr.c) and host/tasign. */
#ifndef MICROTEE_TA_SHDR_H
#define MICROTEE_TA_SHDR_H

#include <stddef.h>
#include <stdint.h>

#define TA_SHDR_MAGIC 0x4f545348U
#define TA_SHDR_BOOTSTRAP_TA 1U
#define TA_SHDR_ALG_RSA_PSS_SHA256 0x70414930U   /* TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256 */
#define TA_SHDR_ALG_RSA_PKCS1_SHA256 0x70004830U /* TEE_ALG_RSASSA_PKCS1_V1_5_SHA256 */
#define TA_SHDR_HASH_SIZE 32U
#define TA_SHDR_SIG_SIZE 256U /* RSA-2048 */

struct ta_shdr {
	uint32_t magic;
	uint32_t img_type;
	uint32_t img_size;
	uint32_t algo;
	uint16_t hash_size;
	uint16_t sig_size;
};

struct ta_shdr_boot {
	uint8_t uuid[16];
	uint32_t version;
};

_Static_assert(sizeof(struct ta_shdr) == 20, "signed header is 20 bytes");
_Static_assert(sizeof(struct ta_shdr_boot) == 20, "bootstrap header is 20 bytes");

/* Where the parts of a well-formed image lie. */
struct ta_shdr_parts {
	struct ta_shdr hdr;
	struct ta_shdr_boot boot;
	size_t hash_off, sig_off, boot_off, img_off, img_size;
};

/* Checks the layout of buf[0..len): header fields we accept, every size
 * consistent with len (no part missing, nothing after the image), no
 * arithmetic that can wrap. Nothing is verified here: that is the crypto
 * service's (hash and signature). 0 on success, -1 otherwise. */
int ta_shdr_parse(const uint8_t *buf, size_t len, struct ta_shdr_parts *out);

#endif
