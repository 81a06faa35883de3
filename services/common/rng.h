/* Random numbers for the services that link mbedTLS: a CTR_DRBG seeded from
 * the CPU's RNDR entropy source (services/common/rng.c). */
#ifndef SERVICES_COMMON_RNG_H
#define SERVICES_COMMON_RNG_H
#include <stddef.h>
#include <stdint.h>

/* Sets up the entropy source and seeds the DRBG; `pers` names the service
 * (personalisation, with a time stamp and an RNDR sample added). 0 or -1. */
int rng_init(const char *pers);
/* mbedTLS's f_rng: DRBG output. */
int rng_fill(void *ctx, unsigned char *out, size_t len);
/* Up to 64 bytes straight from the entropy pool (for long-term keys). */
int rng_entropy(uint8_t *out, size_t len);
/* Mixes caller-supplied bytes into the DRBG's state (SP 800-90A's update
 * with additional input). The bytes need not be secret or random: they
 * can add to the state, never take from what RNDR gave. 0 or an mbedTLS
 * error. */
int rng_add(const uint8_t *in, size_t len);
#endif
