/*
 * Link proof for the secure-world libmbedcrypto.a (not run; see mbedtls.mk,
 * target mbedtls-linkcheck).  It wires up what the crypto service must supply
 * at run time — an allocator and a strong entropy source — and calls one
 * representative function of every enabled family, so the linker must resolve
 * everything a real service would pull in.  Linked with -nostdlib against
 * picolibc's libc.a only: whatever stays undefined is ours to provide.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <mbedtls/platform.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/md.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <mbedtls/aes.h>
#include <mbedtls/gcm.h>
#include <mbedtls/ccm.h>
#include <mbedtls/cmac.h>
#include <mbedtls/cipher.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/rsa.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/pk.h>

/* --- allocator: a bump allocator over a static arena (link test only) --- */
static unsigned char arena[64 * 1024] __attribute__((aligned(16)));
static size_t arena_used;

static void *lc_calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return NULL;
    }
    size_t len = (n * size + 15u) & ~(size_t) 15u;
    if (len > sizeof(arena) - arena_used) {
        return NULL;
    }
    void *p = &arena[arena_used];
    arena_used += len;
    memset(p, 0, len);
    return p;
}

static void lc_free(void *p)
{
    (void) p;
}

/* --- entropy: FEAT_RNG RNDR (S3_3_C2_C4_0); NZCV.Z set means "no data" --- */
static int rndr_source(void *ctx, unsigned char *out, size_t len, size_t *olen)
{
    (void) ctx;
    size_t done = 0;
    while (done < len) {
        uint64_t v;
        uint64_t ok;
        __asm__ volatile ("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne"
                          : "=r" (v), "=r" (ok) : : "cc");
        if (!ok) {
            return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
        }
        size_t n = len - done < sizeof(v) ? len - done : sizeof(v);
        memcpy(out + done, &v, n);
        done += n;
    }
    *olen = done;
    return 0;
}

static volatile int sink;

int linkcheck_main(void);
int linkcheck_main(void)
{
    static const unsigned char key[32] = { 1 }, msg[64] = { 2 };
    unsigned char out[64], tag[16];
    mbedtls_entropy_context ent;
    mbedtls_ctr_drbg_context drbg;
    int r = 0;

    mbedtls_platform_set_calloc_free(lc_calloc, lc_free);
    mbedtls_entropy_init(&ent);
    r |= mbedtls_entropy_add_source(&ent, rndr_source, NULL, 32,
                                    MBEDTLS_ENTROPY_SOURCE_STRONG);
    mbedtls_ctr_drbg_init(&drbg);
    r |= mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &ent, NULL, 0);

    /* hashes, HMAC, HKDF, CMAC */
    r |= mbedtls_sha1(msg, sizeof(msg), out);
    r |= mbedtls_sha256(msg, sizeof(msg), out, 0);
    r |= mbedtls_sha512(msg, sizeof(msg), out, 1);
    r |= mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
                         key, sizeof(key), msg, sizeof(msg), out);
    r |= mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA384),
                      NULL, 0, key, sizeof(key), NULL, 0, out, 48);
    r |= mbedtls_cipher_cmac(mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_128_ECB),
                             key, 128, msg, sizeof(msg), out);

    /* AES modes */
    {
        mbedtls_aes_context aes;
        mbedtls_aes_xts_context xts;
        unsigned char iv[16] = { 0 }, stream[16];
        size_t off = 0;
        mbedtls_aes_init(&aes);
        r |= mbedtls_aes_setkey_enc(&aes, key, 256);
        r |= mbedtls_aes_crypt_ecb(&aes, MBEDTLS_AES_ENCRYPT, msg, out);
        r |= mbedtls_aes_crypt_cbc(&aes, MBEDTLS_AES_ENCRYPT, 64, iv, msg, out);
        r |= mbedtls_aes_crypt_ctr(&aes, 64, &off, iv, stream, msg, out);
        mbedtls_aes_free(&aes);
        mbedtls_aes_xts_init(&xts);
        r |= mbedtls_aes_xts_setkey_dec(&xts, key, 256);
        r |= mbedtls_aes_crypt_xts(&xts, MBEDTLS_AES_DECRYPT, 64, iv, msg, out);
        mbedtls_aes_xts_free(&xts);
    }
    {
        mbedtls_gcm_context gcm;
        mbedtls_gcm_init(&gcm);
        r |= mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 128);
        r |= mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, 64, key, 12,
                                       NULL, 0, msg, out, 16, tag);
        mbedtls_gcm_free(&gcm);
    }
    {
        mbedtls_ccm_context ccm;
        mbedtls_ccm_init(&ccm);
        r |= mbedtls_ccm_setkey(&ccm, MBEDTLS_CIPHER_ID_AES, key, 128);
        r |= mbedtls_ccm_auth_decrypt(&ccm, 64, key, 13, NULL, 0, msg, out, tag, 16);
        mbedtls_ccm_free(&ccm);
    }

    /* RSA: generation, PSS sign, OAEP encrypt */
    {
        mbedtls_rsa_context rsa;
        unsigned char sig[256];
        mbedtls_rsa_init(&rsa);
        r |= mbedtls_rsa_set_padding(&rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256);
        r |= mbedtls_rsa_gen_key(&rsa, mbedtls_ctr_drbg_random, &drbg, 2048, 65537);
        r |= mbedtls_rsa_rsassa_pss_sign(&rsa, mbedtls_ctr_drbg_random, &drbg,
                                         MBEDTLS_MD_SHA256, 32, out, sig);
        r |= mbedtls_rsa_rsaes_oaep_encrypt(&rsa, mbedtls_ctr_drbg_random, &drbg,
                                            NULL, 0, 16, msg, sig);
        r |= mbedtls_rsa_pkcs1_sign(&rsa, NULL, NULL, MBEDTLS_MD_SHA1, 20, out, sig);
        mbedtls_rsa_free(&rsa);
    }

    /* ECDSA (deterministic) and ECDH on P-256 */
    {
        mbedtls_ecdsa_context ec;
        mbedtls_ecp_group grp;
        mbedtls_ecp_point q;
        mbedtls_mpi d, z;
        unsigned char sig[MBEDTLS_ECDSA_MAX_LEN];
        size_t slen;
        mbedtls_ecdsa_init(&ec);
        r |= mbedtls_ecdsa_genkey(&ec, MBEDTLS_ECP_DP_SECP256R1,
                                  mbedtls_ctr_drbg_random, &drbg);
        r |= mbedtls_ecdsa_write_signature(&ec, MBEDTLS_MD_SHA256, out, 32, sig,
                                           sizeof(sig), &slen,
                                           mbedtls_ctr_drbg_random, &drbg);
        mbedtls_ecdsa_free(&ec);
        mbedtls_ecp_group_init(&grp);
        mbedtls_ecp_point_init(&q);
        mbedtls_mpi_init(&d);
        mbedtls_mpi_init(&z);
        r |= mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP521R1);
        r |= mbedtls_ecdh_gen_public(&grp, &d, &q, mbedtls_ctr_drbg_random, &drbg);
        r |= mbedtls_ecdh_compute_shared(&grp, &z, &q, &d, mbedtls_ctr_drbg_random, &drbg);
        mbedtls_mpi_free(&z);
        mbedtls_mpi_free(&d);
        mbedtls_ecp_point_free(&q);
        mbedtls_ecp_group_free(&grp);
    }

    /* PK: DER key import */
    {
        mbedtls_pk_context pk;
        mbedtls_pk_init(&pk);
        r |= mbedtls_pk_parse_public_key(&pk, msg, sizeof(msg));
        mbedtls_pk_free(&pk);
    }

    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&ent);
    return r;
}

/* Dummy entry point: the real one is the S-EL0 runtime's. */
void _start(void);
void _start(void)
{
    sink = linkcheck_main();
    for (;;) {
        __asm__ volatile ("wfe");
    }
}
