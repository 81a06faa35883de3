/* attest: verifies a MicroTEE attestation report on the host and prints
 * what it attests. The report format is struct key_report in
 * include/microtee/key_ipc.h; the cryptography is OpenSSL's (libcrypto).
 *
 *   attest verify --pubkey KEY [--nonce HEX] [--ta UUID] [--firmware IMAGE] REPORT
 *   attest show REPORT
 *
 * KEY is the device's attestation public key, the 65-byte uncompressed
 * P-256 point, as hex or a file holding the hex (TEE_GetDevicePropertyAs*
 * "microtee.attestation.publicKey"; the secure console prints it). REPORT
 * is a file, binary or hex. `verify` checks, in this order: the layout,
 * the signature against KEY, that the device ID is KEY's, that the report
 * does not come from a development-fallback key, the nonce the verifier
 * chose (--nonce), the TA (--ta), and with --firmware every measurement
 * against the firmware image (build/microtee.bin or a flash image) it
 * should come from. It prints what the report attests and, last,
 * `attest: OK` (exit 0) or `attest: REJECTED: why` (exit 1); exit 2 is a
 * usage or input error. `show` prints without checking anything. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/sha.h>

#include "../../include/microtee/key_ipc.h"

#define MAX_FILE (64 * 1024 * 1024)

static void usage(void)
{
	fprintf(stderr, "usage: attest verify --pubkey KEY [--nonce HEX] [--ta UUID] "
	                "[--firmware IMAGE] REPORT\n"
	                "       attest show REPORT\n");
	exit(2);
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "attest: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static int reject(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("attest: REJECTED: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	return 1;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open %s", path);
	size_t cap = 4096, n = 0;
	uint8_t *p = malloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap >= MAX_FILE)
				die("%s is too large", path);
			cap *= 2;
			uint8_t *q = realloc(p, cap);
			if (!q)
				die("out of memory");
			p = q;
		}
		if (!p)
			die("out of memory");
		size_t got = fread(p + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	fclose(f);
	*len = n;
	return p;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

/* Decodes hex (whitespace allowed between digit pairs); -1 if it is not. */
static long unhex(const char *s, size_t n, uint8_t *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		if (isspace((unsigned char)s[i])) {
			i++;
			continue;
		}
		if (i + 1 >= n || hexval((unsigned char)s[i]) < 0 ||
		    hexval((unsigned char)s[i + 1]) < 0 || k == cap)
			return -1;
		out[k++] =
		    (uint8_t)(hexval((unsigned char)s[i]) << 4 | hexval((unsigned char)s[i + 1]));
		i += 2;
	}
	return (long)k;
}

/* A report file: binary, or hex text. */
static uint8_t *read_report(const char *path, size_t *len)
{
	uint8_t *p = read_file(path, len);
	uint8_t *bin = malloc(*len + 1);
	long k = bin ? unhex((const char *)p, *len, bin, *len) : -1;
	if (k > 0) {
		free(p);
		*len = (size_t)k;
		return bin;
	}
	free(bin);
	return p;
}

/* A hex argument, or a file holding hex. */
static size_t hex_arg(const char *arg, uint8_t *out, size_t cap, const char *what)
{
	long k = unhex(arg, strlen(arg), out, cap);
	if (k < 0) {
		size_t n;
		uint8_t *p = read_file(arg, &n);
		k = unhex((const char *)p, n, out, cap);
		free(p);
	}
	if (k <= 0)
		die("%s: not hex (or a file of hex) of at most %zu bytes", what, cap);
	return (size_t)k;
}

static void print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static void uuid_str(const uint8_t u[16], char out[37])
{
	char *q = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*q++ = '-';
		q += sprintf(q, "%02x", u[i]);
	}
}

static const char *kind_name(uint32_t k)
{
	static const char *names[] = {"?", "monitor", "kernel", "bootfs", "program", "TA"};
	return k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

/* The structural checks: everything the signature check and the printing
 * rely on. Returns 0 or the reason. */
static const char *check_layout(const uint8_t *p, size_t len, struct key_report *r)
{
	if (len < sizeof(*r))
		return "shorter than a report header";
	memcpy(r, p, sizeof(*r));
	if (memcmp(r->magic, KEY_REPORT_MAGIC, sizeof(r->magic)) != 0)
		return "not a MicroTEE attestation report (magic)";
	if (r->version != KEY_REPORT_VERSION)
		return "unknown report version";
	if (r->header_size != sizeof(*r) || r->meas_size != sizeof(struct key_report_meas))
		return "unexpected header or record size";
	if (r->sig_alg != KEY_REPORT_SIG_ECDSA_P256_SHA256)
		return "unknown signature algorithm";
	if (r->nmeas > KEY_REPORT_MEAS_MAX)
		return "too many measurements";
	size_t want =
	    sizeof(*r) + (size_t)r->nmeas * sizeof(struct key_report_meas) + KEY_REPORT_SIG_LEN;
	if (r->total_size != want || len != want)
		return "its size does not match its contents";
	if (r->nonce_len == 0 || r->nonce_len > KEY_NONCE_MAX)
		return "bad nonce length";
	for (size_t i = r->nonce_len; i < KEY_NONCE_MAX; i++)
		if (r->nonce[i])
			return "bytes after the nonce";
	return 0;
}

static EVP_PKEY *p256_public(const uint8_t pub[65])
{
	EVP_PKEY *pkey = 0;
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = 0;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(0, "EC", 0);
	if (b && ctx &&
	    OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
	    OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pub, 65) &&
	    (params = OSSL_PARAM_BLD_to_param(b)) && EVP_PKEY_fromdata_init(ctx) > 0 &&
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) > 0) {
		/* fromdata does not check the point: do. */
		EVP_PKEY_CTX *c2 = EVP_PKEY_CTX_new(pkey, 0);
		if (!c2 || EVP_PKEY_public_check(c2) <= 0) {
			EVP_PKEY_free(pkey);
			pkey = 0;
		}
		EVP_PKEY_CTX_free(c2);
	}
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/* ECDSA P-256 / SHA-256, signature r || s. 1 if valid. */
static int signature_valid(const uint8_t pub[65], const uint8_t *body, size_t n,
                           const uint8_t sig[64])
{
	uint8_t hash[32];
	SHA256(body, n, hash);
	EVP_PKEY *pkey = p256_public(pub);
	if (!pkey)
		return 0;
	int ok = 0;
	ECDSA_SIG *s = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, 32, 0), *ss = BN_bin2bn(sig + 32, 32, 0);
	unsigned char *der = 0;
	int der_len = 0;
	if (s && r && ss && ECDSA_SIG_set0(s, r, ss)) {
		r = ss = 0; /* owned by s now */
		der_len = i2d_ECDSA_SIG(s, &der);
	}
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, 0);
	if (der_len > 0 && ctx && EVP_PKEY_verify_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) > 0)
		ok = EVP_PKEY_verify(ctx, der, (size_t)der_len, hash, sizeof(hash)) == 1;
	EVP_PKEY_CTX_free(ctx);
	OPENSSL_free(der);
	BN_free(r);
	BN_free(ss);
	ECDSA_SIG_free(s);
	EVP_PKEY_free(pkey);
	return ok;
}

/* The device ID a public key gives (key_ipc.h). */
static void device_id_of(const uint8_t pub[65], uint8_t id[16])
{
	uint8_t h[32];
	SHA256(pub, 65, h);
	memcpy(id, h, 16);
	id[6] = (uint8_t)((id[6] & 0x0F) | 0x80);
	id[8] = (uint8_t)((id[8] & 0x3F) | 0x80);
}

static int parse_uuid(const char *s, uint8_t out[16])
{
	char digits[33];
	size_t k = 0;
	for (; *s && k < 32; s++)
		if (*s != '-')
			digits[k++] = *s;
	if (k != 32 || *s)
		return -1;
	return unhex(digits, 32, out, 16) == 16 ? 0 : -1;
}

/* SHA-256 of firmware bytes [off, off + size), zeros past the file's end
 * (the flash image is zero-padded there). */
static void hash_firmware(const uint8_t *fw, size_t fw_len, uint32_t off, uint32_t size,
                          uint8_t out[32])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	static const uint8_t zeros[4096];
	EVP_DigestInit_ex(ctx, EVP_sha256(), 0);
	size_t have = off < fw_len ? fw_len - off : 0;
	if (have > size)
		have = size;
	if (have)
		EVP_DigestUpdate(ctx, fw + off, have);
	for (size_t left = size - have; left;) {
		size_t n = left < sizeof(zeros) ? left : sizeof(zeros);
		EVP_DigestUpdate(ctx, zeros, n);
		left -= n;
	}
	unsigned len = 32;
	EVP_DigestFinal_ex(ctx, out, &len);
	EVP_MD_CTX_free(ctx);
}

static void show(const uint8_t *p, const struct key_report *r, const uint8_t *fw, size_t fw_len,
                 int *fw_mismatch)
{
	char u[37];
	uuid_str(r->device_id, u);
	printf("device      %s\n", u);
	uuid_str(r->ta_uuid, u);
	printf("ta          %s\n", u);
	printf("ta_sha256   ");
	print_hex(r->ta_hash, 32);
	printf("\nnonce       ");
	print_hex(r->nonce, r->nonce_len);
	printf("\nflags       0x%x%s%s%s\n", r->flags,
	       r->flags & KEY_STATE_HUK_PERSISTENT ? " huk-persistent" : "",
	       r->flags & KEY_STATE_HUK_VOLATILE ? " HUK-VOLATILE(development-fallback)" : "",
	       r->flags & KEY_STATE_TEST_HOOKS ? " test-hooks" : "");
	printf("measurements %u\n", r->nmeas);
	for (unsigned i = 0; i < r->nmeas; i++) {
		struct key_report_meas m;
		memcpy(&m, p + sizeof(*r) + i * sizeof(m), sizeof(m));
		m.name[sizeof(m.name) - 1] = '\0';
		printf("  %-7s %-42s flash 0x%07x +%-8u ", kind_name(m.kind), m.name,
		       m.flash_offset, m.size);
		print_hex(m.sha256, 32);
		if (fw) {
			uint8_t h[32];
			hash_firmware(fw, fw_len, m.flash_offset, m.size, h);
			int same = memcmp(h, m.sha256, 32) == 0;
			printf(same ? "  = firmware" : "  DIFFERS FROM THE FIRMWARE");
			*fw_mismatch |= !same;
		}
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	int verify = strcmp(argv[1], "verify") == 0;
	if (!verify && strcmp(argv[1], "show") != 0)
		usage();
	const char *pub_arg = 0, *nonce_arg = 0, *ta_arg = 0, *fw_arg = 0, *path = 0;
	for (int i = 2; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--pubkey") == 0)
			pub_arg = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--nonce") == 0)
			nonce_arg = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--ta") == 0)
			ta_arg = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--firmware") == 0)
			fw_arg = argv[++i];
		else if (!path && argv[i][0] != '-')
			path = argv[i];
		else
			usage();
	}
	if (!path || (verify && !pub_arg))
		usage();

	size_t len;
	uint8_t *p = read_report(path, &len);
	struct key_report r;
	const char *bad = check_layout(p, len, &r);
	if (bad)
		return reject("%s", bad);
	if (!verify) {
		int unused = 0;
		show(p, &r, 0, 0, &unused);
		return 0;
	}

	uint8_t pub[65], nonce[KEY_NONCE_MAX], uuid[16], id[16];
	if (hex_arg(pub_arg, pub, sizeof(pub), "--pubkey") != 65 || pub[0] != 0x04)
		die("--pubkey: want the 65-byte uncompressed point (04 || X || Y)");
	size_t nonce_len = nonce_arg ? hex_arg(nonce_arg, nonce, sizeof(nonce), "--nonce") : 0;
	if (ta_arg && parse_uuid(ta_arg, uuid) != 0)
		die("--ta: not a UUID");
	uint8_t *fw = 0;
	size_t fw_len = 0;
	if (fw_arg)
		fw = read_file(fw_arg, &fw_len);

	size_t body = len - KEY_REPORT_SIG_LEN;
	if (!signature_valid(pub, p, body, p + body))
		return reject("the signature does not verify with this public key");
	printf("attest: signature verifies (ECDSA P-256, SHA-256)\n");
	device_id_of(pub, id);
	if (memcmp(id, r.device_id, 16) != 0)
		return reject("the device ID is not this key's");
	int fw_mismatch = 0;
	show(p, &r, fw, fw_len, &fw_mismatch);
	if (r.flags & KEY_STATE_HUK_VOLATILE)
		return reject("signed with a development-fallback (volatile) key");
	if (nonce_arg && (nonce_len != r.nonce_len || memcmp(nonce, r.nonce, nonce_len) != 0))
		return reject("the nonce is not the one expected");
	if (ta_arg && memcmp(uuid, r.ta_uuid, 16) != 0)
		return reject("the report is for another TA");
	if (fw_mismatch)
		return reject("measurements differ from the firmware image");
	if (r.flags & KEY_STATE_TEST_HOOKS)
		printf("attest: note: the key service ran with its test hooks on\n");
	if (!nonce_arg)
		printf("attest: note: no --nonce given: the report may be a replay\n");
	printf("attest: OK\n");
	free(fw);
	free(p);
	return 0;
}
