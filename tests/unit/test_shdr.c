/* services/crypto/shdr.c: the layout check of signed TA images
 * (include/microtee/ta_shdr.h). Each image is parsed from a heap buffer of
 * exactly its length, so under AddressSanitizer a read past the end is
 * caught; 200000 seeded mutants of a well-formed image and 20000 random
 * buffers must never crash, and every image accepted must be consistent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "include/microtee/ta_shdr.h"

#define IMG 1000

/* A well-formed image (the signature and hash are placeholders: the
 * layout check does not verify them). */
static size_t make(uint8_t *buf, uint32_t img_size)
{
	struct ta_shdr h = {TA_SHDR_MAGIC, TA_SHDR_BOOTSTRAP_TA, img_size, TA_SHDR_ALG_RSA_PSS_SHA256,
			    TA_SHDR_HASH_SIZE, TA_SHDR_SIG_SIZE};
	size_t n = 0;
	memcpy(buf, &h, sizeof(h));
	n += sizeof(h);
	memset(buf + n, 0x11, TA_SHDR_HASH_SIZE + TA_SHDR_SIG_SIZE);
	n += TA_SHDR_HASH_SIZE + TA_SHDR_SIG_SIZE;
	struct ta_shdr_boot b = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 7};
	memcpy(buf + n, &b, sizeof(b));
	n += sizeof(b);
	for (uint32_t i = 0; i < img_size; i++)
		buf[n + i] = (uint8_t)i;
	return n + img_size;
}

/* Parses a copy of buf[0..len) in a heap block of exactly len bytes. */
static int parse(const uint8_t *buf, size_t len, struct ta_shdr_parts *p)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, buf, len);
	int rc = ta_shdr_parse(copy, len, p);
	free(copy);
	return rc;
}

static uint64_t seed = 0x2545F4914F6CDD1DULL;
static uint64_t rnd(void)
{
	return harness_rand(&seed);
}

/* An image with one 32-bit field of the header set to v. */
static int with_field(unsigned off, uint32_t v, size_t cut)
{
	uint8_t buf[2048];
	size_t n = make(buf, IMG);
	memcpy(buf + off, &v, sizeof(v));
	struct ta_shdr_parts p;
	return parse(buf, n - cut, &p);
}

int main(void)
{
	uint8_t buf[2048];
	size_t n = make(buf, IMG);
	struct ta_shdr_parts p;
	CHECK(parse(buf, n, &p) == 0);
	CHECK_EQ(p.img_off, 328);
	CHECK_EQ(p.img_size, IMG);
	CHECK_EQ(p.hash_off, 20);
	CHECK_EQ(p.sig_off, 52);
	CHECK_EQ(p.boot_off, 308);
	CHECK_EQ(p.boot.version, 7);
	CHECK(p.boot.uuid[0] == 1 && p.boot.uuid[15] == 16);

	/* Each field wrong, each size inconsistent: refused. */
	CHECK(with_field(0, 0x4f545349, 0) != 0);                      /* magic */
	CHECK(with_field(4, 0, 0) != 0);                               /* a plain SHDR_TA */
	CHECK(with_field(4, 2, 0) != 0);                               /* encrypted */
	CHECK(with_field(4, 3, 0) != 0);                               /* a subkey */
	CHECK(with_field(8, IMG + 1, 0) != 0);                         /* image size larger */
	CHECK(with_field(8, IMG - 1, 0) != 0);                         /* smaller: bytes after it */
	CHECK(with_field(8, 0, 0) != 0);                               /* empty */
	CHECK(with_field(8, 0xFFFFFFFFU, 0) != 0);                     /* huge */
	CHECK(with_field(12, 0x70004830, 0) == 0);                     /* PKCS#1 v1.5: fine */
	CHECK(with_field(12, 0x70002830, 0) != 0);                     /* another algorithm */
	CHECK(with_field(16, 48 | (256U << 16), 0) != 0);              /* SHA-384-sized hash */
	CHECK(with_field(16, 32 | (512U << 16), 0) != 0);              /* RSA-4096-sized signature */
	CHECK(with_field(16, 0xFFFFFFFFU, 0) != 0);                    /* both huge */
	CHECK(with_field(8, IMG, 1) != 0);                             /* truncated by one byte */
	for (size_t cut = 0; cut <= n; cut++) {                        /* every prefix */
		if (cut < n)
			CHECK(parse(buf, cut, &p) != 0);
	}
	CHECK(ta_shdr_parse(0, 100, &p) != 0);

	/* Mutants: bytes changed, removed, added; never a crash, and every
	 * accepted image's parts lie inside it and cover it exactly. */
	unsigned accepted = 0, bad = 0;
	for (unsigned i = 0; i < 200000; i++) {
		uint8_t m[2100];
		size_t len = n;
		memcpy(m, buf, n);
		unsigned edits = 1 + (unsigned)(rnd() % 4);
		for (unsigned e = 0; e < edits; e++) {
			switch (rnd() % 4) {
			case 0: /* a byte of the header area */
				m[rnd() % 40] = (uint8_t)rnd();
				break;
			case 1: /* a byte anywhere */
				if (len)
					m[rnd() % len] = (uint8_t)rnd();
				break;
			case 2: /* shorter */
				len -= rnd() % (len + 1);
				break;
			default: /* longer */
				if (len < sizeof(m) - 64)
					len += rnd() % 64;
				break;
			}
		}
		if (parse(m, len, &p) == 0) {
			accepted++;
			if (p.img_off + p.img_size != len || p.img_off != 328 || p.hash_off >= len ||
			    p.sig_off + TA_SHDR_SIG_SIZE > len || p.boot_off + 20 > len)
				bad++;
		}
	}
	CHECK(bad == 0);
	CHECK(accepted > 0); /* the mutator also makes images that stay valid */
	for (unsigned i = 0; i < 20000; i++) {
		uint8_t r[600];
		size_t len = rnd() % sizeof(r);
		for (size_t k = 0; k < len; k++)
			r[k] = (uint8_t)rnd();
		if (rnd() % 2 && len >= 4)
			memcpy(r, &(uint32_t){TA_SHDR_MAGIC}, 4);
		CHECK(parse(r, len, &p) != 0);
	}
	printf("shdr: 200000 mutants, %u accepted, %u rejected; 20000 random buffers\n", accepted,
	       200000 - accepted);
	return harness_report("shdr");
}
