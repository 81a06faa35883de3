/* tasign — signs TA images for MicroTEE (and OP-TEE: the same container,
 * include/microtee/ta_shdr.h), over OpenSSL's libcrypto on the host.
 *
 *   tasign sign KEY.pem UUID VERSION IN.elf OUT.ta [pss|pkcs1]
 *       the signed image: header, SHA-256 hash, RSA signature (PSS with a
 *       32-byte salt by default, as OP-TEE's tool makes them), the UUID and
 *       version, then the ELF file as it is
 *   tasign pubkey KEY.pem OUT.h [NAME]   (NAME_n, NAME_e; ta_pubkey by default;
 *                                         KEY.pem may be a public key)
 *       a C header with the key's public modulus and exponent, which the
 *       crypto service builds in to verify TAs
 *
 * KEY.pem is an RSA-2048 private key (PEM, e.g. `openssl genrsa 2048`). */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../include/microtee/ta_shdr.h"

static void die(const char *what)
{
	fprintf(stderr, "tasign: %s\n", what);
	exit(1);
}

static EVP_PKEY *load_key(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die("cannot open the key");
	EVP_PKEY *k = PEM_read_PrivateKey(f, 0, 0, 0);
	fclose(f);
	if (!k || EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA || EVP_PKEY_get_bits(k) != 2048)
		die("the key is not an RSA-2048 private key");
	return k;
}

static int parse_uuid(const char *s, uint8_t out[16])
{
	int n = 0;
	for (const char *p = s; *p && n < 32; p++) {
		if (*p == '-')
			continue;
		int v = (*p >= '0' && *p <= '9')   ? *p - '0'
			: (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10
			: (*p >= 'A' && *p <= 'F') ? *p - 'A' + 10
						   : -1;
		if (v < 0)
			return -1;
		if (n % 2 == 0)
			out[n / 2] = (uint8_t)(v << 4);
		else
			out[n / 2] |= (uint8_t)v;
		n++;
	}
	return n == 32 && strlen(s) == 36 ? 0 : -1;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open the input");
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n <= 0 || n > (1L << 30))
		die("the input is empty or too large");
	uint8_t *b = malloc((size_t)n);
	if (!b || fread(b, 1, (size_t)n, f) != (size_t)n)
		die("cannot read the input");
	fclose(f);
	*len = (size_t)n;
	return b;
}

static int sign(int argc, char **argv)
{
	if (argc < 7)
		die("usage: tasign sign KEY.pem UUID VERSION IN.elf OUT.ta [pss|pkcs1]");
	int pss = argc < 8 || strcmp(argv[7], "pkcs1") != 0;
	EVP_PKEY *key = load_key(argv[2]);
	struct ta_shdr_boot boot;
	if (parse_uuid(argv[3], boot.uuid) != 0)
		die("bad UUID");
	char *end;
	unsigned long v = strtoul(argv[4], &end, 0);
	if (*end || v > 0xFFFFFFFFUL)
		die("bad version");
	boot.version = (uint32_t)v;
	size_t img_len;
	uint8_t *img = read_file(argv[5], &img_len);
	if (img_len > 0xFFFFFFFFUL)
		die("image too large");
	struct ta_shdr h = {TA_SHDR_MAGIC,
			    TA_SHDR_BOOTSTRAP_TA,
			    (uint32_t)img_len,
			    pss ? TA_SHDR_ALG_RSA_PSS_SHA256 : TA_SHDR_ALG_RSA_PKCS1_SHA256,
			    TA_SHDR_HASH_SIZE,
			    TA_SHDR_SIG_SIZE};
	uint8_t hash[TA_SHDR_HASH_SIZE], sig[TA_SHDR_SIG_SIZE];
	unsigned hlen = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), 0) || !EVP_DigestUpdate(md, &h, sizeof(h)) ||
	    !EVP_DigestUpdate(md, &boot, sizeof(boot)) || !EVP_DigestUpdate(md, img, img_len) ||
	    !EVP_DigestFinal_ex(md, hash, &hlen) || hlen != sizeof(hash))
		die("hashing failed");
	EVP_MD_CTX_free(md);
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(key, 0);
	size_t slen = sizeof(sig);
	if (!pc || EVP_PKEY_sign_init(pc) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(pc, pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(pc, EVP_sha256()) <= 0 ||
	    (pss && EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, TA_SHDR_HASH_SIZE) <= 0) ||
	    EVP_PKEY_sign(pc, sig, &slen, hash, sizeof(hash)) <= 0 || slen != sizeof(sig))
		die("signing failed");
	EVP_PKEY_CTX_free(pc);
	FILE *o = fopen(argv[6], "wb");
	if (!o || fwrite(&h, sizeof(h), 1, o) != 1 || fwrite(hash, sizeof(hash), 1, o) != 1 ||
	    fwrite(sig, sizeof(sig), 1, o) != 1 || fwrite(&boot, sizeof(boot), 1, o) != 1 ||
	    fwrite(img, img_len, 1, o) != 1 || fclose(o) != 0)
		die("cannot write the output");
	free(img);
	EVP_PKEY_free(key);
	return 0;
}

/* The public half of an RSA-2048 key: from a private key's file or from a
 * public key's (SubjectPublicKeyInfo PEM, as OP-TEE's kit's key is kept). */
static EVP_PKEY *load_public(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die("cannot open the key");
	EVP_PKEY *k = PEM_read_PUBKEY(f, 0, 0, 0);
	fclose(f);
	if (!k)
		return load_key(path);
	if (EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA || EVP_PKEY_get_bits(k) != 2048)
		die("the key is not an RSA-2048 key");
	return k;
}

static int pubkey(int argc, char **argv)
{
	if (argc < 4)
		die("usage: tasign pubkey KEY.pem OUT.h [NAME]");
	const char *name = argc > 4 ? argv[4] : "ta_pubkey";
	EVP_PKEY *key = load_public(argv[2]);
	BIGNUM *n = 0, *e = 0;
	if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) ||
	    !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e))
		die("cannot read the public key");
	uint8_t nb[256], eb[8];
	if (BN_bn2binpad(n, nb, sizeof(nb)) != sizeof(nb) || BN_bn2binpad(e, eb, sizeof(eb)) != sizeof(eb))
		die("unexpected key size");
	FILE *o = fopen(argv[3], "w");
	if (!o)
		die("cannot write the output");
	fprintf(o, "/* Generated by host/tasign from %s: the public key that TAs from the\n"
		   " * normal world must be signed with. Not committed. */\n", argv[2]);
	fprintf(o, "static const unsigned char %s_n[256] = {", name);
	for (unsigned i = 0; i < sizeof(nb); i++)
		fprintf(o, "%s0x%02x,", i % 12 ? " " : "\n\t", nb[i]);
	fprintf(o, "\n};\nstatic const unsigned char %s_e[8] = {", name);
	for (unsigned i = 0; i < sizeof(eb); i++)
		fprintf(o, "%s0x%02x", i ? ", " : "", eb[i]);
	fprintf(o, "};\n");
	if (fclose(o) != 0)
		die("cannot write the output");
	BN_free(n);
	BN_free(e);
	EVP_PKEY_free(key);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "sign"))
		return sign(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "pubkey"))
		return pubkey(argc, argv);
	die("usage: tasign sign ... | tasign pubkey ...");
	return 1;
}
