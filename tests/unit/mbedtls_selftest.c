/*
 * Native (host) test of MicroTEE's mbedTLS configuration.
 *
 * Built by tests/unit/mbedtls.mk from the same library modules and the same
 * services/crypto/mbedtls/mbedtls_config.h as the secure-world library, plus
 * MICROTEE_MBEDTLS_SELF_TEST.  It wires the platform hooks the way the crypto
 * service will (calloc/free and printf through mbedtls_platform_set_*, a
 * strong entropy source added with mbedtls_entropy_add_source, no platform
 * entropy), runs mbedTLS's own self tests and known-answer tests for what has
 * no self test (HMAC, HKDF, deterministic ECDSA), and round trips for
 * RSA-PSS/OAEP, ECDSA, ECDH and PK.
 *
 * Last line of output: "N passed, M failed".  Exit status 0 iff M == 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/build_info.h>
#ifndef MICROTEE_MBEDTLS_CONFIG_H
#error "built without MicroTEE's mbedtls_config.h"
#endif
#ifndef MBEDTLS_SELF_TEST
#error "build with -DMICROTEE_MBEDTLS_SELF_TEST"
#endif

#include <mbedtls/platform.h>
#include <mbedtls/aes.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ccm.h>
#include <mbedtls/cmac.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/des.h>
#include <mbedtls/dhm.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>
#include <mbedtls/md5.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

static int passed, failed;
static int verbose;

static void check(const char *name, int ok)
{
    if (ok) {
        passed++;
        printf("PASS %s\n", name);
    } else {
        failed++;
        printf("FAIL %s\n", name);
    }
}

/* Counting allocator: proves the library allocates only through the hook and
 * frees everything it allocates. */
static long live_allocs;

static void *test_calloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (p != NULL) {
        live_allocs++;
    }
    return p;
}

static void test_free(void *p)
{
    if (p != NULL) {
        live_allocs--;
    }
    free(p);
}

/* Stand-in for the service's RNDR source: a xorshift64* stream.  Not random,
 * but it exercises the exact registration path the service uses. */
static unsigned long long test_entropy_state = 0x9E3779B97F4A7C15ull;
static int test_entropy_calls;

static int test_entropy_source(void *ctx, unsigned char *out, size_t len, size_t *olen)
{
    (void) ctx;
    test_entropy_calls++;
    for (size_t i = 0; i < len; i++) {
        unsigned long long x = test_entropy_state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        test_entropy_state = x;
        out[i] = (unsigned char) ((x * 0x2545F4914F6CDD1Dull) >> 56);
    }
    *olen = len;
    return 0;
}

/* Some self tests print even when not verbose (cmac's PRF lines). */
static int quiet_printf(const char *fmt, ...)
{
    (void) fmt;
    return 0;
}

static size_t unhex(const char *hex, unsigned char *out, size_t cap)
{
    size_t n = strlen(hex) / 2;
    if (n > cap) {
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
            abort();
        }
        out[i] = (unsigned char) v;
    }
    return n;
}

static int eq_hex(const unsigned char *buf, size_t len, const char *hex)
{
    unsigned char want[512];
    size_t n = unhex(hex, want, sizeof(want));
    return n == len && memcmp(buf, want, n) == 0;
}

/* ------------------------------------------------------------------------ */

static void run_builtin_self_tests(void)
{
    static const struct {
        const char *name;
        int (*fn)(int);
    } t[] = {
#if defined(MBEDTLS_MD5_C)
        { "self_test md5",       mbedtls_md5_self_test },
#endif
        { "self_test sha1",      mbedtls_sha1_self_test },
        { "self_test sha224",    mbedtls_sha224_self_test },
        { "self_test sha256",    mbedtls_sha256_self_test },
        { "self_test sha384",    mbedtls_sha384_self_test },
        { "self_test sha512",    mbedtls_sha512_self_test },
        { "self_test aes (ecb cbc ctr xts)", mbedtls_aes_self_test },
#if defined(MBEDTLS_DES_C)
        { "self_test des/3des",  mbedtls_des_self_test },
#endif
        { "self_test gcm",       mbedtls_gcm_self_test },
        { "self_test ccm",       mbedtls_ccm_self_test },
        { "self_test cmac",      mbedtls_cmac_self_test },
        { "self_test ctr_drbg",  mbedtls_ctr_drbg_self_test },
        { "self_test hmac_drbg", mbedtls_hmac_drbg_self_test },
        { "self_test bignum",    mbedtls_mpi_self_test },
        { "self_test rsa (pkcs1 v1.5)", mbedtls_rsa_self_test },
        { "self_test ecp",       mbedtls_ecp_self_test },
#if defined(MBEDTLS_DHM_C)
        { "self_test dhm",       mbedtls_dhm_self_test },
#endif
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        check(t[i].name, t[i].fn(verbose) == 0);
    }
    /* mbedtls_entropy_self_test() is not run: it assumes the platform's
     * default strong sources, which this configuration deliberately lacks
     * (MBEDTLS_NO_PLATFORM_ENTROPY), so it must fail.  test_entropy() below
     * checks the same properties with the source the service registers. */
}

static int weak_source(void *ctx, unsigned char *out, size_t len, size_t *olen)
{
    (void) ctx;
    memset(out, 0x42, len);
    *olen = len;
    return 0;
}

static void test_entropy(void)
{
    mbedtls_entropy_context ctx;
    unsigned char buf[MBEDTLS_ENTROPY_BLOCK_SIZE], acc[MBEDTLS_ENTROPY_BLOCK_SIZE] = { 0 };
    int ret;

    /* With no platform entropy, a weak-only pool must not produce output. */
    mbedtls_entropy_init(&ctx);
    ret = mbedtls_entropy_add_source(&ctx, weak_source, NULL, 16, MBEDTLS_ENTROPY_SOURCE_WEAK);
    check("entropy_func refuses a pool with no strong source",
          ret == 0 && mbedtls_entropy_func(&ctx, buf, sizeof(buf)) ==
          MBEDTLS_ERR_ENTROPY_NO_STRONG_SOURCE);
    mbedtls_entropy_free(&ctx);

    /* As in mbedTLS's own self test: 8 full-block draws, every byte of the
     * OR-accumulated output must be non-zero (and ASan watches for overruns). */
    mbedtls_entropy_init(&ctx);
    ret = mbedtls_entropy_add_source(&ctx, test_entropy_source, NULL, 32,
                                     MBEDTLS_ENTROPY_SOURCE_STRONG);
    ret |= mbedtls_entropy_update_manual(&ctx, buf, 16);
    for (int i = 0; i < 8 && ret == 0; i++) {
        ret = mbedtls_entropy_func(&ctx, buf, sizeof(buf));
        for (size_t j = 0; j < sizeof(buf); j++) {
            acc[j] |= buf[j];
        }
    }
    int allset = 1;
    for (size_t j = 0; j < sizeof(acc); j++) {
        allset &= acc[j] != 0;
    }
    check("entropy_func with a strong source (full blocks)", ret == 0 && allset);
    mbedtls_entropy_free(&ctx);
}

/* RFC 4231 test case 2 ("Jefe"), through the generic MD layer. */
static void test_hmac(void)
{
    static const char key[] = "Jefe";
    static const char msg[] = "what do ya want for nothing?";
    unsigned char mac[64];
    int r;

    r = mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
                        (const unsigned char *) key, 4,
                        (const unsigned char *) msg, strlen(msg), mac);
    check("hmac-sha256 rfc4231 #2", r == 0 && eq_hex(mac, 32,
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));

    r = mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA512),
                        (const unsigned char *) key, 4,
                        (const unsigned char *) msg, strlen(msg), mac);
    check("hmac-sha512 rfc4231 #2", r == 0 && eq_hex(mac, 64,
          "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
          "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"));
}

/* RFC 5869 test cases 1 and 3 (SHA-256). */
static void test_hkdf(void)
{
    const mbedtls_md_info_t *sha256 = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    unsigned char ikm[22], salt[13], info[10], okm[42];
    int r;

    memset(ikm, 0x0b, sizeof(ikm));
    for (size_t i = 0; i < sizeof(salt); i++) {
        salt[i] = (unsigned char) i;
    }
    for (size_t i = 0; i < sizeof(info); i++) {
        info[i] = (unsigned char) (0xf0 + i);
    }
    r = mbedtls_hkdf(sha256, salt, sizeof(salt), ikm, sizeof(ikm),
                     info, sizeof(info), okm, sizeof(okm));
    check("hkdf-sha256 rfc5869 #1", r == 0 && eq_hex(okm, 42,
          "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
          "34007208d5b887185865"));

    r = mbedtls_hkdf(sha256, NULL, 0, ikm, sizeof(ikm), NULL, 0, okm, sizeof(okm));
    check("hkdf-sha256 rfc5869 #3", r == 0 && eq_hex(okm, 42,
          "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
          "9d201395faa4b61a96c8"));
}

/* The service's seeding path: entropy context with only our strong source,
 * CTR_DRBG on top. */
static void test_entropy_ctr_drbg(mbedtls_entropy_context *ent, mbedtls_ctr_drbg_context *drbg)
{
    static const char pers[] = "microtee-crypto";
    unsigned char a[64], b[64];
    int r;

    /* With no platform entropy and no source, seeding must fail. */
    {
        mbedtls_entropy_context empty;
        mbedtls_ctr_drbg_context d;
        mbedtls_entropy_init(&empty);
        mbedtls_ctr_drbg_init(&d);
        r = mbedtls_ctr_drbg_seed(&d, mbedtls_entropy_func, &empty, NULL, 0);
        check("ctr_drbg refuses to seed without an entropy source", r != 0);
        mbedtls_ctr_drbg_free(&d);
        mbedtls_entropy_free(&empty);
    }

    r = mbedtls_entropy_add_source(ent, test_entropy_source, NULL, 32,
                                   MBEDTLS_ENTROPY_SOURCE_STRONG);
    check("entropy_add_source (strong)", r == 0);
    r = mbedtls_ctr_drbg_seed(drbg, mbedtls_entropy_func, ent,
                              (const unsigned char *) pers, strlen(pers));
    check("ctr_drbg seeded from entropy_func", r == 0 && test_entropy_calls > 0);
    r = mbedtls_ctr_drbg_random(drbg, a, sizeof(a));
    r |= mbedtls_ctr_drbg_random(drbg, b, sizeof(b));
    check("ctr_drbg generates distinct blocks", r == 0 && memcmp(a, b, sizeof(a)) != 0);
    r = mbedtls_ctr_drbg_reseed(drbg, NULL, 0);
    check("ctr_drbg reseed", r == 0);
}

/* RFC 6979 deterministic ECDSA, message "sample".  The RNG only blinds the
 * computation; it must not change the result. */
static void test_ecdsa_det(mbedtls_ctr_drbg_context *drbg)
{
    static const struct {
        const char *name;
        mbedtls_ecp_group_id id;
        mbedtls_md_type_t md;
        const char *d, *r, *s;
    } v[] = {
        { "ecdsa det p256/sha256 rfc6979", MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_MD_SHA256,
          "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
          "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
          "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8" },
        { "ecdsa det p384/sha384 rfc6979", MBEDTLS_ECP_DP_SECP384R1, MBEDTLS_MD_SHA384,
          "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D8"
          "96D5724E4C70A825F872C9EA60D2EDF5",
          "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C"
          "81A648152E44ACF96E36DD1E80FABE46",
          "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94F"
          "A329C145786E679E7B82C71A38628AC8" },
        { "ecdsa det p521/sha512 rfc6979", MBEDTLS_ECP_DP_SECP521R1, MBEDTLS_MD_SHA512,
          "0FAD06DAA62BA3B25D2FB40133DA757205DE67F5BB0018FEE8C86E1B68C7E75C"
          "AA896EB32F1F47C70855836A6D16FCC1466F6D8FBEC67DB89EC0C08B0E996B83538",
          "0C328FAFCBD79DD77850370C46325D987CB525569FB63C5D3BC53950E6D4C5F1"
          "74E25A1EE9017B5D450606ADD152B534931D7D4E8455CC91F9B15BF05EC36E377FA",
          "0617CCE7CF5064806C467F678D3B4080D6F1CC50AF26CA209417308281B68AF2"
          "82623EAA63E5B5C0723D8B8C37FF0777B1A20F8CCB1DCCC43997F1EE0E44DA4A67A" },
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        mbedtls_ecp_group grp;
        mbedtls_mpi d, r, s, rr, ss;
        mbedtls_ecp_point q;
        unsigned char hash[64];
        const mbedtls_md_info_t *mi = mbedtls_md_info_from_type(v[i].md);
        int ret;

        mbedtls_ecp_group_init(&grp);
        mbedtls_ecp_point_init(&q);
        mbedtls_mpi_init(&d); mbedtls_mpi_init(&r); mbedtls_mpi_init(&s);
        mbedtls_mpi_init(&rr); mbedtls_mpi_init(&ss);
        ret = mbedtls_ecp_group_load(&grp, v[i].id);
        ret |= mbedtls_mpi_read_string(&d, 16, v[i].d);
        ret |= mbedtls_mpi_read_string(&rr, 16, v[i].r);
        ret |= mbedtls_mpi_read_string(&ss, 16, v[i].s);
        ret |= mbedtls_md(mi, (const unsigned char *) "sample", 6, hash);
        ret |= mbedtls_ecdsa_sign_det_ext(&grp, &r, &s, &d, hash, mbedtls_md_get_size(mi),
                                          v[i].md, mbedtls_ctr_drbg_random, drbg);
        int ok = ret == 0 && mbedtls_mpi_cmp_mpi(&r, &rr) == 0 &&
                 mbedtls_mpi_cmp_mpi(&s, &ss) == 0;
        /* and it verifies against Q = dG */
        ret = mbedtls_ecp_mul(&grp, &q, &d, &grp.G, mbedtls_ctr_drbg_random, drbg);
        ok = ok && ret == 0 &&
             mbedtls_ecdsa_verify(&grp, hash, mbedtls_md_get_size(mi), &q, &r, &s) == 0;
        hash[0] ^= 1;
        ok = ok && mbedtls_ecdsa_verify(&grp, hash, mbedtls_md_get_size(mi), &q, &r, &s) != 0;
        check(v[i].name, ok);
        mbedtls_mpi_free(&d); mbedtls_mpi_free(&r); mbedtls_mpi_free(&s);
        mbedtls_mpi_free(&rr); mbedtls_mpi_free(&ss);
        mbedtls_ecp_point_free(&q);
        mbedtls_ecp_group_free(&grp);
    }
}

static void test_ecdsa_ecdh_roundtrip(mbedtls_ctr_drbg_context *drbg)
{
    static const struct {
        const char *name;
        mbedtls_ecp_group_id id;
    } c[] = {
        { "p256", MBEDTLS_ECP_DP_SECP256R1 },
        { "p384", MBEDTLS_ECP_DP_SECP384R1 },
        { "p521", MBEDTLS_ECP_DP_SECP521R1 },
    };
    char name[64];
    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        mbedtls_ecdsa_context k;
        unsigned char hash[32], sig[MBEDTLS_ECDSA_MAX_LEN];
        size_t slen = 0;
        int ret;

        memset(hash, 0x5a, sizeof(hash));
        mbedtls_ecdsa_init(&k);
        ret = mbedtls_ecdsa_genkey(&k, c[i].id, mbedtls_ctr_drbg_random, drbg);
        ret |= mbedtls_ecdsa_write_signature(&k, MBEDTLS_MD_SHA256, hash, sizeof(hash),
                                             sig, sizeof(sig), &slen,
                                             mbedtls_ctr_drbg_random, drbg);
        ret |= mbedtls_ecdsa_read_signature(&k, hash, sizeof(hash), sig, slen);
        sig[slen - 1] ^= 1;
        int bad = mbedtls_ecdsa_read_signature(&k, hash, sizeof(hash), sig, slen) != 0;
        snprintf(name, sizeof(name), "ecdsa keygen/sign/verify %s", c[i].name);
        check(name, ret == 0 && bad);
        mbedtls_ecdsa_free(&k);

        /* ECDH: two parties agree */
        mbedtls_ecp_group g;
        mbedtls_ecp_point qa, qb;
        mbedtls_mpi da, db, za, zb;
        mbedtls_ecp_group_init(&g);
        mbedtls_ecp_point_init(&qa); mbedtls_ecp_point_init(&qb);
        mbedtls_mpi_init(&da); mbedtls_mpi_init(&db);
        mbedtls_mpi_init(&za); mbedtls_mpi_init(&zb);
        ret = mbedtls_ecp_group_load(&g, c[i].id);
        ret |= mbedtls_ecdh_gen_public(&g, &da, &qa, mbedtls_ctr_drbg_random, drbg);
        ret |= mbedtls_ecdh_gen_public(&g, &db, &qb, mbedtls_ctr_drbg_random, drbg);
        ret |= mbedtls_ecdh_compute_shared(&g, &za, &qb, &da, mbedtls_ctr_drbg_random, drbg);
        ret |= mbedtls_ecdh_compute_shared(&g, &zb, &qa, &db, mbedtls_ctr_drbg_random, drbg);
        snprintf(name, sizeof(name), "ecdh shared secret %s", c[i].name);
        check(name, ret == 0 && mbedtls_mpi_cmp_mpi(&za, &zb) == 0 &&
              mbedtls_mpi_cmp_int(&za, 0) != 0);
        mbedtls_mpi_free(&da); mbedtls_mpi_free(&db);
        mbedtls_mpi_free(&za); mbedtls_mpi_free(&zb);
        mbedtls_ecp_point_free(&qa); mbedtls_ecp_point_free(&qb);
        mbedtls_ecp_group_free(&g);
    }
}

static void test_rsa_pss_oaep(mbedtls_ctr_drbg_context *drbg)
{
    mbedtls_rsa_context rsa;
    unsigned char hash[32], sig[256], ct[256], pt[256];
    static const unsigned char msg[] = "attack at dawn";
    size_t olen = 0;
    int ret;

    memset(hash, 0xa5, sizeof(hash));
    mbedtls_rsa_init(&rsa);
    ret = mbedtls_rsa_gen_key(&rsa, mbedtls_ctr_drbg_random, drbg, 2048, 65537);
    check("rsa-2048 keygen", ret == 0 && mbedtls_rsa_check_privkey(&rsa) == 0);

    ret = mbedtls_rsa_set_padding(&rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256);
    ret |= mbedtls_rsa_rsassa_pss_sign(&rsa, mbedtls_ctr_drbg_random, drbg,
                                       MBEDTLS_MD_SHA256, sizeof(hash), hash, sig);
    ret |= mbedtls_rsa_rsassa_pss_verify(&rsa, MBEDTLS_MD_SHA256, sizeof(hash), hash, sig);
    sig[10] ^= 1;
    int bad = mbedtls_rsa_rsassa_pss_verify(&rsa, MBEDTLS_MD_SHA256, sizeof(hash), hash, sig) != 0;
    check("rsa pss sign/verify sha256", ret == 0 && bad);

    ret = mbedtls_rsa_rsaes_oaep_encrypt(&rsa, mbedtls_ctr_drbg_random, drbg,
                                         NULL, 0, sizeof(msg), msg, ct);
    ret |= mbedtls_rsa_rsaes_oaep_decrypt(&rsa, mbedtls_ctr_drbg_random, drbg,
                                          NULL, 0, &olen, ct, pt, sizeof(pt));
    check("rsa oaep encrypt/decrypt sha256", ret == 0 && olen == sizeof(msg) &&
          memcmp(pt, msg, olen) == 0);

    ret = mbedtls_rsa_set_padding(&rsa, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
    ret |= mbedtls_rsa_pkcs1_sign(&rsa, mbedtls_ctr_drbg_random, drbg,
                                  MBEDTLS_MD_SHA256, sizeof(hash), hash, sig);
    ret |= mbedtls_rsa_pkcs1_verify(&rsa, MBEDTLS_MD_SHA256, sizeof(hash), hash, sig);
    check("rsa pkcs1 v1.5 sign/verify sha256", ret == 0);

    /* PK: DER export and re-import of the private key */
    {
        mbedtls_pk_context pk, pk2;
        unsigned char der[2048];
        mbedtls_pk_init(&pk);
        mbedtls_pk_init(&pk2);
        ret = mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA));
        ret |= mbedtls_rsa_copy(mbedtls_pk_rsa(pk), &rsa);
        int n = mbedtls_pk_write_key_der(&pk, der, sizeof(der));
        ret |= n <= 0;
        if (n > 0) {
            ret |= mbedtls_pk_parse_key(&pk2, der + sizeof(der) - n, (size_t) n, NULL, 0,
                                        mbedtls_ctr_drbg_random, drbg);
            ret |= mbedtls_pk_check_pair(&pk, &pk2, mbedtls_ctr_drbg_random, drbg);
        }
        check("pk rsa der write/parse/check_pair", ret == 0);
        mbedtls_pk_free(&pk2);
        mbedtls_pk_free(&pk);
    }
    mbedtls_rsa_free(&rsa);
}

static void test_allocator_hook(void)
{
    /* The library must have freed everything it allocated through our hook. */
    check("every mbedtls_calloc was freed", live_allocs == 0);
}

int main(int argc, char **argv)
{
    mbedtls_entropy_context ent;
    mbedtls_ctr_drbg_context drbg;

    verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    (void) argv;

    /* Until the hook is set, allocation must fail (no silent libc heap). */
    check("mbedtls_calloc fails before set_calloc_free", mbedtls_calloc(1, 16) == NULL);

    mbedtls_platform_set_calloc_free(test_calloc, test_free);
    mbedtls_platform_set_printf(verbose ? printf : quiet_printf);
    mbedtls_platform_set_snprintf(snprintf);

    run_builtin_self_tests();
    test_hmac();
    test_hkdf();
    test_entropy();

    mbedtls_entropy_init(&ent);
    mbedtls_ctr_drbg_init(&drbg);
    test_entropy_ctr_drbg(&ent, &drbg);
    test_ecdsa_det(&drbg);
    test_ecdsa_ecdh_roundtrip(&drbg);
    test_rsa_pss_oaep(&drbg);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&ent);

    test_allocator_hook();

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
