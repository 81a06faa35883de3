/*
 * MicroTEE — mbedTLS 3.6 LTS configuration for the secure-world crypto service.
 *
 * This file is the complete configuration (selected with
 * -DMBEDTLS_CONFIG_FILE='"mbedtls_config.h"'); nothing from mbedTLS's own
 * default config is inherited.  mbedTLS's build_info.h / config_adjust_*.h
 * derive the internal helper macros from what is enabled here, and
 * check_config.h rejects inconsistent selections at compile time.
 *
 * Target: S-EL0 process, freestanding AArch64, picolibc headers only.
 *   - no file system, no sockets, no TLS/X.509, no clock;
 *   - no platform entropy: the service registers its own strong source
 *     (RNDR, FEAT_RNG) with mbedtls_entropy_add_source();
 *   - memory comes from the service's allocator, installed at start-up with
 *     mbedtls_platform_set_calloc_free(); until then mbedtls_calloc() fails
 *     (returns NULL) rather than silently using some libc heap;
 *   - AES/GHASH/SHA-256/SHA-512 use the Armv8 Crypto Extensions with no
 *     run-time detection (no getauxval(), no SIGILL probing): the secure world
 *     runs only on CPUs that have them (QEMU `-cpu max`).
 *
 * The same header is used for the native host build of the unit tests
 * (tests/unit/mbedtls.mk); there the Arm-only accelerators are compiled out by
 * the __aarch64__ guard below and the portable C code is used, and the test
 * build defines MICROTEE_MBEDTLS_SELF_TEST to get mbedTLS's *_self_test().
 *
 * Knobs (define on the compiler command line):
 *   MICROTEE_MBEDTLS_SELF_TEST    compile in mbedtls_*_self_test() (uses printf)
 *   MICROTEE_MBEDTLS_NO_SHA512_CE do not require FEAT_SHA512 (use C SHA-512)
 *   MICROTEE_MBEDTLS_NO_GP_EXTRAS drop the GlobalPlatform-only legacy algorithms
 *                                 (MD5, DES/3DES, finite-field DH)
 */
#ifndef MICROTEE_MBEDTLS_CONFIG_H
#define MICROTEE_MBEDTLS_CONFIG_H

/* Configuration format version (3.x); silences the "old config" check. */
#define MBEDTLS_CONFIG_VERSION 0x03000000

/* ------------------------------------------------------------------------ *
 * System support
 * ------------------------------------------------------------------------ */

/* Inline assembly: bignum multiply-accumulate (bn_mul.h) and the
 * constant-time value barriers.  GCC on AArch64 and x86_64 both support it. */
#define MBEDTLS_HAVE_ASM

/* No MBEDTLS_HAVE_TIME / MBEDTLS_HAVE_TIME_DATE: the secure world has no
 * wall clock for mbedTLS, and nothing we enable needs one.               */

/* Platform abstraction.  PLATFORM_C provides mbedtls_platform_set_calloc_free()
 * (MBEDTLS_PLATFORM_MEMORY).  NO_STD_FUNCTIONS stops platform.c from naming
 * calloc/free/printf/exit/time as defaults, so the library never pulls the
 * libc heap into the secure world. */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
/* The only formatted output outside the self tests is
 * mbedtls_oid_get_numeric_string(); route it through a settable pointer whose
 * default fails cleanly (returns -1) instead of linking libc's printf engine. */
#define MBEDTLS_PLATFORM_SNPRINTF_ALT

/* Remove every API that is deprecated in 3.6, so nothing new comes to rely on it. */
#define MBEDTLS_DEPRECATED_REMOVED

/* Error codes only; no error-string table (saves ~10 KiB of rodata). */
/* (MBEDTLS_ERROR_C left off.) */

/* ------------------------------------------------------------------------ *
 * Entropy and random bit generation
 * ------------------------------------------------------------------------ */

#define MBEDTLS_ENTROPY_C
/* No /dev/urandom, getrandom() or other OS sources.  The crypto service adds
 * its RNDR source with mbedtls_entropy_add_source(..., MBEDTLS_ENTROPY_SOURCE_STRONG). */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_CTR_DRBG_C               /* AES-256 CTR_DRBG (SP 800-90A) */
#define MBEDTLS_HMAC_DRBG_C              /* needed for deterministic ECDSA (RFC 6979) */

/* ------------------------------------------------------------------------ *
 * Hashes and MACs
 * ------------------------------------------------------------------------ */

#define MBEDTLS_MD_C                     /* generic digest + HMAC layer */
#define MBEDTLS_SHA1_C
#define MBEDTLS_SHA224_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
#define MBEDTLS_SHA3_C                   /* SHA3-224..512 (TEE_ALG_SHA3_*, HMAC-SHA3) */
#define MBEDTLS_HKDF_C
#define MBEDTLS_PKCS5_C                  /* PBKDF2 (OP-TEE's TEE_ALG_PBKDF2_*) */
#define MBEDTLS_CMAC_C                   /* AES-CMAC */

/* ------------------------------------------------------------------------ *
 * Symmetric ciphers and modes
 * ------------------------------------------------------------------------ */

#define MBEDTLS_AES_C
#define MBEDTLS_CIPHER_C                 /* generic cipher layer (CMAC needs it) */
#define MBEDTLS_CIPHER_MODE_CBC
#define MBEDTLS_CIPHER_MODE_CTR
#define MBEDTLS_CIPHER_MODE_XTS
#define MBEDTLS_CIPHER_PADDING_PKCS7     /* cipher layer default padding for CBC */
#define MBEDTLS_GCM_C
#define MBEDTLS_CCM_C
/* GCM and CCM call the block cipher once per 16-byte block. mbedTLS routes
 * those calls through the thin block_cipher module when the generic cipher
 * layer is absent; with the layer present (CMAC needs it) it would go
 * through mbedtls_cipher_update() and its checks every block, about a third
 * of GCM's cost on short messages. Ask for the thin route explicitly. */
#define MBEDTLS_BLOCK_CIPHER_C
/* Software AES (host build): keep the S-boxes/T-tables in .rodata instead of
 * building them in .bss at first use. */
#define MBEDTLS_AES_ROM_TABLES

/* ------------------------------------------------------------------------ *
 * Public-key cryptography
 * ------------------------------------------------------------------------ */

#define MBEDTLS_BIGNUM_C
#define MBEDTLS_GENPRIME                 /* RSA key generation */
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15                /* RSAES-PKCS1-v1_5, RSASSA-PKCS1-v1_5 */
#define MBEDTLS_PKCS1_V21                /* RSAES-OAEP, RSASSA-PSS */
#define MBEDTLS_OID_C                    /* DigestInfo for PKCS#1 v1.5 signatures */

#define MBEDTLS_ECP_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECP_DP_SECP192R1_ENABLED /* GP's P-192 and P-224 (xtest 4007_ecc, 4009) */
#define MBEDTLS_ECP_DP_SECP224R1_ENABLED
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED /* X25519 (RFC 7748) */
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_SECP521R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM           /* fast reduction modulo the NIST primes */

#define MBEDTLS_ASN1_PARSE_C             /* ECDSA signatures, PK parsing */
#define MBEDTLS_ASN1_WRITE_C
/* PK: DER import/export of RSA/EC keys (attestation, key service).
 * No PEM (no base64) and no encrypted-key formats. */
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C

/* ------------------------------------------------------------------------ *
 * Algorithms that only GlobalPlatform compatibility asks for
 * (TEE_ALG_MD5, TEE_ALG_HMAC_MD5, TEE_ALG_DES*, TEE_ALG_DES3*,
 *  TEE_ALG_DH_DERIVE_SHARED_SECRET).  Existing OP-TEE TAs and the GP
 *  conformance tests use them; new code should not.
 * ------------------------------------------------------------------------ */
#if !defined(MICROTEE_MBEDTLS_NO_GP_EXTRAS)
#define MBEDTLS_MD5_C
#define MBEDTLS_DES_C
#define MBEDTLS_DHM_C
#endif

/* ------------------------------------------------------------------------ *
 * Armv8-A Crypto Extensions (secure world only)
 *
 * aarch64-linux-gnu-gcc predefines __linux__, which would make mbedTLS probe
 * for the extensions with getauxval(); the *_ONLY / HARDWARE_ONLY forms below
 * select the instructions unconditionally instead.  aesce.c and sha*.c switch
 * the compiler to +crypto (+sha3 for SHA-512) with a target pragma, so no
 * -march flag is needed.
 * ------------------------------------------------------------------------ */
#if defined(__aarch64__)
#define MBEDTLS_AESCE_C                  /* AESE/AESD/AESMC + PMULL for GHASH */
#define MBEDTLS_AES_USE_HARDWARE_ONLY    /* no C fallback, no detection */
#define MBEDTLS_SHA256_USE_ARMV8_A_CRYPTO_ONLY
#if !defined(MICROTEE_MBEDTLS_NO_SHA512_CE)
#define MBEDTLS_SHA512_USE_A64_CRYPTO_ONLY  /* FEAT_SHA512 */
#endif
#endif

/* ------------------------------------------------------------------------ *
 * Self tests (host unit tests; optional power-on self test)
 * ------------------------------------------------------------------------ */
#if defined(MICROTEE_MBEDTLS_SELF_TEST)
#define MBEDTLS_SELF_TEST
/* Self tests report through mbedtls_printf: a pointer the caller sets with
 * mbedtls_platform_set_printf() (default: prints nothing). */
#define MBEDTLS_PLATFORM_PRINTF_ALT
#endif

/* ------------------------------------------------------------------------ *
 * Sizes
 * ------------------------------------------------------------------------ */

/* Largest bignum: 4096-bit RSA / DH (GP's maximum), which also bounds the
 * on-stack buffers in rsa.c and pk*.c to 512 bytes. */
#define MBEDTLS_MPI_MAX_SIZE            512
/* Sliding window for modular exponentiation: 2^(w-1) precomputed values.
 * 5 trades ~8 KiB of heap per 4096-bit exponentiation for speed. */
#define MBEDTLS_MPI_WINDOW_SIZE         5
/* GP allows RSA key generation from 256 bits; policy on minimum sizes is the
 * crypto service's job, not the library's. */
#define MBEDTLS_RSA_GEN_KEY_MIN_BITS    256
/* One or two sources (RNDR, optionally a seed from the key service). */
#define MBEDTLS_ENTROPY_MAX_SOURCES     4

#endif /* MICROTEE_MBEDTLS_CONFIG_H */
