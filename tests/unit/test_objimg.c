/* Unit tests: services/crypto/objimg.c, the export image of a key object
 * (the plaintext the key service seals for persistent keys): what it
 * writes reads back the same, and every malformed image is refused. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "services/crypto/objimg.h"

static uint8_t img[4096], bad[4096];

static int same_attrs(const struct attr *a, const struct attr *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (a[i].id != b[i].id)
			return 0;
		if (attr_is_value(a[i].id)
		        ? a[i].a != b[i].a || a[i].b != b[i].b
		        : a[i].len != b[i].len ||
		              (a[i].len && memcmp(a[i].data, b[i].data, a[i].len)))
			return 0;
	}
	return 1;
}

static void roundtrip(const struct attr *a, unsigned n, uint32_t type, uint32_t bits)
{
	struct crypto_obj_image h = {0}, back;
	h.type = type;
	h.max_bits = bits;
	h.key_bits = bits;
	h.usage = 0xFFFFFFFEU;
	size_t len = 0;
	struct attr got[OBJ_MAX_ATTRS];
	unsigned gn = 0;
	CHECK_EQ(objimg_write(img, sizeof(img), &h, a, n, &len), 0);
	CHECK_EQ(len, objimg_size(a, n));
	CHECK_EQ(len % 8, 0);
	CHECK_EQ(objimg_read(img, len, &back, got, &gn), 0);
	CHECK(gn == n && same_attrs(a, got, n));
	CHECK(back.type == type && back.max_bits == bits && back.key_bits == bits &&
	      back.usage == 0xFFFFFFFEU && back.nattrs == n && back.magic == OBJIMG_MAGIC);
	/* Too small an output: refused, nothing claimed. */
	CHECK_EQ(objimg_write(img, len - 1, &h, a, n, &len), -1);
	CHECK_EQ(objimg_write(img, sizeof(img), &h, a, n, &len), 0);
	/* Every truncation and one byte more: refused. */
	unsigned refused = 0;
	for (size_t cut = 0; cut < len; cut++)
		refused += objimg_read(img, cut, &back, got, &gn) == -1;
	CHECK_EQ(refused, len);
	memcpy(bad, img, len);
	bad[len] = 0;
	CHECK_EQ(objimg_read(bad, len + 1, &back, got, &gn), -1);
	/* A changed header field: refused (type, sizes and usage are the
	 * caller's to check; they read back as written). */
	static const size_t fields[] = {0, 4, 6, 24, 28};
	for (unsigned i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		memcpy(bad, img, len);
		bad[fields[i]] ^= 1;
		CHECK_EQ(objimg_read(bad, len, &back, got, &gn), -1);
	}
	/* A record's length beyond the image. */
	memcpy(bad, img, len);
	uint32_t huge = 0x7FFFFFF0U;
	if (!attr_is_value(a[0].id)) {
		memcpy(bad + sizeof(struct crypto_obj_image) + 4, &huge, 4);
		CHECK_EQ(objimg_read(bad, len, &back, got, &gn), -1);
	}
}

int main(void)
{
	uint8_t key[32], n[256], e[3] = {1, 0, 1}, d[256], p[128], q[128], x[32], y[32], s[32];
	for (unsigned i = 0; i < sizeof(n); i++)
		n[i] = (uint8_t)(i * 7 + 1), d[i] = (uint8_t)(i * 13 + 5);
	for (unsigned i = 0; i < 128; i++)
		p[i] = (uint8_t)(i + 3), q[i] = (uint8_t)(i * 3);
	for (unsigned i = 0; i < 32; i++)
		key[i] = (uint8_t)i, x[i] = (uint8_t)(0xA0 ^ i), y[i] = (uint8_t)(0x50 + i),
		s[i] = (uint8_t)(i * 9);
	struct attr aes[] = {{TEE_ATTR_SECRET_VALUE, 32, 0, 0, key}};
	roundtrip(aes, 1, TEE_TYPE_AES, 256);
	struct attr odd[] = {{TEE_ATTR_SECRET_VALUE, 13, 0, 0, key}}; /* padding */
	roundtrip(odd, 1, TEE_TYPE_HMAC_SHA256, 104);
	struct attr rsa[] = {{TEE_ATTR_RSA_MODULUS, 256, 0, 0, n},
	                     {TEE_ATTR_RSA_PUBLIC_EXPONENT, 3, 0, 0, e},
	                     {TEE_ATTR_RSA_PRIVATE_EXPONENT, 256, 0, 0, d},
	                     {TEE_ATTR_RSA_PRIME1, 128, 0, 0, p},
	                     {TEE_ATTR_RSA_PRIME2, 128, 0, 0, q},
	                     {TEE_ATTR_RSA_EXPONENT1, 127, 0, 0, p + 1},
	                     {TEE_ATTR_RSA_EXPONENT2, 128, 0, 0, q},
	                     {TEE_ATTR_RSA_COEFFICIENT, 128, 0, 0, p}};
	roundtrip(rsa, 8, TEE_TYPE_RSA_KEYPAIR, 2048);
	struct attr ecc[] = {{TEE_ATTR_ECC_PUBLIC_VALUE_X, 32, 0, 0, x},
	                     {TEE_ATTR_ECC_PUBLIC_VALUE_Y, 32, 0, 0, y},
	                     {TEE_ATTR_ECC_CURVE, 0, TEE_ECC_CURVE_NIST_P256, 0, 0},
	                     {TEE_ATTR_ECC_PRIVATE_VALUE, 32, 0, 0, s}};
	roundtrip(ecc, 4, TEE_TYPE_ECDSA_KEYPAIR, 256);

	/* No attributes, or more than an object holds: not written. */
	struct crypto_obj_image h = {0}, back;
	size_t len = 0;
	CHECK_EQ(objimg_write(img, sizeof(img), &h, aes, 0, &len), -1);
	struct attr many[OBJ_MAX_ATTRS + 1];
	for (unsigned i = 0; i <= OBJ_MAX_ATTRS; i++)
		many[i] = (struct attr){TEE_ATTR_SECRET_VALUE + i, 1, 0, 0, key};
	CHECK_EQ(objimg_write(img, sizeof(img), &h, many, OBJ_MAX_ATTRS + 1, &len), -1);
	/* The same attribute twice: written (the writer trusts the object),
	 * refused when read. */
	struct attr twice[] = {aes[0], aes[0]};
	struct attr got[OBJ_MAX_ATTRS];
	unsigned gn = 0;
	CHECK_EQ(objimg_write(img, sizeof(img), &h, twice, 2, &len), 0);
	CHECK_EQ(objimg_read(img, len, &back, got, &gn), -1);
	/* A record count that does not match the records. */
	CHECK_EQ(objimg_write(img, sizeof(img), &h, ecc, 4, &len), 0);
	((struct crypto_obj_image *)img)->nattrs = 3;
	CHECK_EQ(objimg_read(img, len, &back, got, &gn), -1);
	((struct crypto_obj_image *)img)->nattrs = 0;
	CHECK_EQ(objimg_read(img, len, &back, got, &gn), -1);
	((struct crypto_obj_image *)img)->nattrs = 4;
	CHECK_EQ(objimg_read(img, len, &back, got, &gn), 0);
	/* A value record with a length. */
	uint32_t one = 1;
	memcpy(img + sizeof(struct crypto_obj_image) + 2 * (8 + 32) + 4, &one, 4);
	CHECK_EQ(objimg_read(img, len, &back, got, &gn), -1);
	return harness_report("objimg");
}
