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
 * image, in that order. Used by the crypto service (services/crypto/shdr.c)
 * and host/tasign.
 *
 * OP-TEE's subkeys may come first: a chain of signed headers of type
 * SHDR_SUBKEY, each followed by
 *
 *   struct ta_shdr_subkey  its UUID, name size, version, depth, algorithm
 *                          and public-key attributes          (img_size bytes,
 *                          the attributes' values inside them)
 *   name[name_size]        the name the next UUID is made from
 *
 * The first is signed by a root key; each next header (another subkey, or
 * the TA's SHDR_BOOTSTRAP_TA header above) by the subkey before it, over
 * the hash of the 20-byte header and the subkey's img_size bytes. The TA's
 * UUID must lie in the last subkey's namespace: with a name, the UUID v5
 * of SHA-512(the subkey's UUID || the name up to its first NUL), else the
 * subkey's UUID itself. A subkey's depth bounds how many subkeys may
 * follow it (0: only a TA), and must be below the one before it. */
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

#define TA_SHDR_SUBKEY 3U
#define TA_SHDR_ATTR_RSA_MODULUS 0xD0000130U         /* TEE_ATTR_RSA_MODULUS */
#define TA_SHDR_ATTR_RSA_PUBLIC_EXPONENT 0xD0000230U /* TEE_ATTR_RSA_PUBLIC_EXPONENT */
#define TA_SHDR_MAX_SUBKEYS 8U /* in one image; OP-TEE sets no limit but the depths */

struct ta_shdr_subkey {
	uint8_t uuid[16];
	uint32_t name_size;
	uint32_t subkey_version;
	uint32_t max_depth;
	uint32_t algo;
	uint32_t attr_count;
	/* then attr_count of struct ta_shdr_subkey_attr */
};
struct ta_shdr_subkey_attr {
	uint32_t id;
	uint32_t offs; /* from the start of struct ta_shdr_subkey */
	uint32_t size;
};

_Static_assert(sizeof(struct ta_shdr) == 20, "signed header is 20 bytes");
_Static_assert(sizeof(struct ta_shdr_subkey) == 36, "subkey header is 36 bytes");
_Static_assert(sizeof(struct ta_shdr_subkey_attr) == 12, "subkey attribute is 12 bytes");
_Static_assert(sizeof(struct ta_shdr_boot) == 20, "bootstrap header is 20 bytes");

/* Where the parts of a well-formed image lie (offsets from the start of
 * the TA's own signed header, which follows any subkeys). */
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
