/* keys: the key service. It holds the device's hardware-unique key (HUK),
 * read from (or, on a device's first boot, provisioned into) the key area of
 * secure flash0, and serves include/microtee/key_ipc.h: per-TA derived
 * keys, sealing and unsealing bound to the TA and the device, signed
 * attestation reports, and the public device identity. It links mbedTLS
 * (our configuration, services/crypto/mbedtls) and nothing else links the
 * HUK: no request returns it, the attestation private key or a sealing key.
 *
 * init starts it with KEYS_START_ARG (key_ipc.h): its endpoint, the
 * read-only flash ranges of the firmware (measured once, here, at start),
 * the key area, and init's client table, which names the TA behind each
 * badge. It keeps no state per client, so when it dies init restarts it,
 * it reads the same HUK again and every key it derives is the same. Every
 * request is untrusted: bad spans, handles, sizes or data get an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform.h>

#include "keys.h"

static mt_handle_t ep;
static struct keys_conf conf; /* what keys_serve needs of the start */

static void print_id(const char *what)
{
	struct key_device_info info;
	keys_device_info(&info);
	printf("[keys] %s; device ", what);
	for (int i = 0; i < 16; i++)
		printf("%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "",
		       info.device_id[i]);
	printf("\n");
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	ep = KEYS_START_ARG_HANDLE(arg, 0);
	mt_handle_t flash = KEYS_START_ARG_HANDLE(arg, 1), table_h = KEYS_START_ARG_HANDLE(arg, 2);
	conf.test_hooks = (KEYS_START_ARG_FLAGS(arg) & KEYS_START_TEST_HOOKS) != 0;
	mbedtls_platform_set_calloc_free(calloc, free);
	if (rng_init("MicroTEE key service DRBG") != 0) {
		printf("[keys] cannot seed the DRBG from RNDR\n");
		return 1;
	}
	rng_fill(0, (unsigned char *)&conf.run_tag, sizeof(conf.run_tag));
	if (table_h && MT_SYS(SYS_SHM_MAP, table_h, KEYS_TABLE_VA, MT_PROT_R) == MT_OK)
		conf.table = (const volatile struct key_client *)KEYS_TABLE_VA;
	else
		printf("[keys] no client table: no caller is a TA\n");
	conf.measured = measure_firmware(flash) == 0;

	uint8_t fresh[32], huk[32];
	const char *how;
	if (rng_entropy(fresh, sizeof(fresh)) != 0) {
		printf("[keys] no entropy for a hardware-unique key\n");
		return 1;
	}
	switch (nv_huk(flash, fresh, huk)) {
	case NV_LOADED:
		conf.state = KEY_STATE_HUK_PERSISTENT;
		how = "hardware-unique key loaded from flash";
		break;
	case NV_PROVISIONED:
		conf.state = KEY_STATE_HUK_PERSISTENT;
		how = "provisioned a new hardware-unique key in flash";
		break;
	default:
		/* DEVELOPMENT FALLBACK: a key for this run only. Reports
		 * carry KEY_STATE_HUK_VOLATILE so no verifier trusts them. */
		memcpy(huk, fresh, sizeof(huk));
		conf.state = KEY_STATE_HUK_VOLATILE;
		how = "DEVELOPMENT FALLBACK: volatile hardware-unique key, nothing persists";
		break;
	}
	keys_wipe(fresh, sizeof(fresh));
	if (conf.test_hooks)
		conf.state |= KEY_STATE_TEST_HOOKS;
	int rc = keys_init(huk, conf.state);
	keys_wipe(huk, sizeof(huk));
	if (rc != 0) {
		printf("[keys] cannot derive the attestation key: %d\n", rc);
		return 1;
	}
	print_id(how);
	printf("[keys] serving on handle %lu: %u measurements%s\n", ep, nmeas,
	       conf.test_hooks ? " (test hooks on)" : "");

	struct mt_msg m;
	long st = mt_recv(ep, &m);
	for (;;) {
		if (st != MT_OK) {
			printf("[keys] receive failed: %ld\n", st);
			return 1;
		}
		struct reply r = {{0, 0, 0, 0}};
		r.w[0] = keys_serve(&conf, &m, &r);
		m = (struct mt_msg){{r.w[0], r.w[1], r.w[2], r.w[3]}, 0, 0};
		st = mt_reply_recv(ep, &m, MT_RR_REPLY | MT_RR_RECV);
	}
}
