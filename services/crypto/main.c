/* crypto: the crypto service. The only process besides the key service
 * that links a crypto library (mbedTLS 3.6, our configuration). It serves
 * include/microtee/crypto_ipc.h to every holder of a CALL handle to its
 * endpoint, one request at a time, and keeps each client's state apart by
 * the badge init gave that client's handle: the data window, objects (keys)
 * and operations. Every request is untrusted: a bad id, span, state or
 * record is answered with an error, never with a crash.
 *
 * init starts it with CRYPTO_START_ARG(endpoint, flags) and restarts it if
 * it dies; all state is then gone, and clients learn it from
 * CRYPTO_REASON_NOT_ATTACHED (or MT_EPEERDEAD for a call in flight). init
 * also tells it when a client has ended (CRYPTO_OP_CLIENT_GONE). */
#include <stdio.h>

#include <mbedtls/platform.h>

#include "crypto.h"
#include "mt.h"

void crypto_fatal(const char *why)
{
	printf("[crypto] fatal: %s\n", why);
	mt_exit(2);
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	mt_handle_t ep = CRYPTO_START_ARG_EP(arg);
	int test_hooks = (CRYPTO_START_ARG_FLAGS(arg) & CRYPTO_START_TEST_HOOKS) != 0;
	alloc_init();
	mbedtls_platform_set_calloc_free(svc_calloc, svc_free);
	if (rng_init("MicroTEE crypto service DRBG") != 0) {
		printf("[crypto] cannot seed the DRBG from RNDR\n");
		return 1;
	}
	uint32_t salt;
	rng_fill(0, (unsigned char *)&salt, sizeof(salt));
	crypto_serve_init(salt, test_hooks);
	int keys = persist_init(CRYPTO_START_ARG_KEYS_OF(arg));
	printf("[crypto] serving on handle %lu%s%s\n", ep, test_hooks ? " (test hooks on)" : "",
	       keys ? "" : " (no key service: no persistent keys)");

	struct mt_msg m;
	long rc = mt_recv(ep, &m);
	for (;;) {
		if (rc != MT_OK) {
			printf("[crypto] receive failed: %ld\n", rc);
			return 1;
		}
		struct reply r = {{0, 0, 0, 0}};
		r.w[0] = crypto_serve(&m, &r);
		m = (struct mt_msg){{r.w[0], r.w[1], r.w[2], r.w[3]}, 0, 0};
		rc = mt_reply_recv(ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
}
