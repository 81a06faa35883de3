/* The key service's IPC protocol and the formats it produces: the one
 * contract between the service (services/keys), its clients (the TA
 * library, lib/tee/keys.c), init (which starts it and tells it who its
 * clients are) and the host verifier (host/attest).
 *
 * The key service holds the device's hardware-unique key (HUK), provisioned
 * once from the CPU's entropy source into the key area of secure flash0.
 * Neither the HUK nor anything it derives for the service's own use (the
 * sealing keys, the attestation private key) ever leaves its address space.
 *
 * Identity. init gives each TA instance a CALL handle to the service under
 * a badge of its own, and writes (badge, TA UUID) into the client table, a
 * page of shared memory that init alone writes and the service maps
 * read-only. The service takes a caller's UUID from that table, by the
 * badge the kernel delivers; nothing a caller says about itself counts. A
 * caller whose badge is not in the table is no TA: it may only ask for the
 * public device information.
 *
 * Data. Requests that move bytes carry a shared-memory object in handle
 * slot 0 (created by the client, mapped read-write, at most
 * KEY_WINDOW_MAX bytes). The service maps it for that request only, checks
 * every span against its size, copies inputs out before it uses them and
 * writes outputs back; it closes every handle a message carried. So the
 * service keeps no state per client, and a restarted service serves the
 * same clients at once.
 *
 * Message: w0 = request code (KEY_OP_*), w1..w3 = arguments. Spans are
 * KEY_SPAN(offset, length) into the data object: inputs in w1, outputs in
 * w2. Reply: w0 = TEE_Result
 * (GlobalPlatform values), w1 = the length written, or for
 * TEE_ERROR_SHORT_BUFFER the length needed.
 *
 * All integers in the formats below are little-endian; hashes, UUIDs and
 * key material are byte strings (UUIDs in RFC 4122 order: time_low first,
 * big-endian fields).
 */
#ifndef MICROTEE_KEY_IPC_H
#define MICROTEE_KEY_IPC_H

#include <stdint.h>

#define KEY_SPAN(off, len) ((uint64_t)(uint32_t)(off) | ((uint64_t)(uint32_t)(len) << 32))
#define KEY_SPAN_OFF(s) ((uint32_t)(s))
#define KEY_SPAN_LEN(s) ((uint32_t)((s) >> 32))

#define KEY_WINDOW_MAX (128 * 1024) /* largest data object the service maps */

/* ---- requests ---- (0x4Bxx: 'K', apart from the crypto service's codes) */
#define KEY_OP_HELLO 0x4B01       /* -> w1 = KEY_HELLO_MAGIC, w2 = KEY_PROTOCOL_VERSION,
				   * w3 = KEY_STATE_* of the service | a random tag of this
				   * run of the service << 32 (it changes when the service is
				   * restarted). Any caller. */
#define KEY_OP_DEVICE_INFO 0x4B02 /* w2 = SPAN out -> struct key_device_info. Any caller. */
#define KEY_OP_DERIVE 0x4B03      /* w1 = SPAN label (0..KEY_LABEL_MAX bytes), w2 = SPAN out
				   * (KEY_DERIVE_MIN..KEY_DERIVE_MAX bytes: the key's length)
				   * -> the caller's own key for that label (see below). TAs only. */
#define KEY_OP_SEAL 0x4B04        /* w1 = SPAN data (0..KEY_SEAL_MAX bytes), w2 = SPAN out
				   * -> w1 = sealed length (KEY_SEALED_SIZE(data length)). TAs only. */
#define KEY_OP_UNSEAL 0x4B05      /* w1 = SPAN sealed, w2 = SPAN out -> w1 = data length.
				   * TEE_ERROR_MAC_INVALID: not sealed by this TA on this device, or
				   * changed; TEE_ERROR_BAD_FORMAT: not a sealed blob. TAs only. */
#define KEY_OP_ATTEST 0x4B06      /* w1 = SPAN nonce (1..KEY_NONCE_MAX bytes), w2 = SPAN out
				   * -> w1 = report length: a signed struct key_report. TAs only. */
#define KEY_OP_STORE_SEAL 0x4B07  /* w1 = SPAN in: struct key_store_req, then aad (aad_len
				   * bytes), then data (len bytes, 0..KEY_STORE_DATA_MAX); w2 =
				   * SPAN out -> w1 = sealed length (KEY_STORE_SEALED_SIZE(len)).
				   * The storage service only (badge KEY_BADGE_STORAGE). */
#define KEY_OP_STORE_UNSEAL 0x4B08 /* w1 = SPAN in: struct key_store_req, aad, then the sealed
				   * blob (len bytes); w2 = SPAN out -> w1 = data length.
				   * TEE_ERROR_MAC_INVALID: not sealed for this owner and aad on
				   * this device, or changed; TEE_ERROR_BAD_FORMAT: not a storage
				   * blob. The storage service only. */
/* Persistent keys (docs/storage.md, "Stored attributes"): the crypto
 * service's export and import of a key object, bound to the TA that is its
 * client. Only KEY_BADGE_CRYPTO may ask. w1 = SPAN in: struct key_obj_req,
 * then the data (SEAL, at most KEY_OBJ_DATA_MAX bytes) or the blob
 * (UNSEAL); w2 = SPAN out -> w1 = the blob's (data's) length.
 * ACCESS_DENIED: the client is no TA, or (UNSEAL) the blob names another
 * TA; CORRUPT_OBJECT: the blob does not unseal. */
#define KEY_OP_OBJ_SEAL 0x4B09
#define KEY_OP_OBJ_UNSEAL 0x4B0A
#define KEY_OP_TEST_CRASH 0x4B7E  /* the service faults; only when started with
				   * KEYS_START_TEST_HOOKS, else TEE_ERROR_NOT_SUPPORTED */

#define KEY_HELLO_MAGIC 0x4D544B4559534552ULL /* "MTKEYSER" */
#define KEY_PROTOCOL_VERSION 1

/* KEY_OP_HELLO w3, struct key_device_info.flags, struct key_report.flags. */
#define KEY_STATE_HUK_PERSISTENT 0x1 /* the HUK came from (or was just written to) flash */
#define KEY_STATE_HUK_VOLATILE 0x2   /* DEVELOPMENT FALLBACK: the key area could not be read
				      * or written, so the HUK is random for this run of the
				      * service only. Keys and reports are worthless. */
#define KEY_STATE_TEST_HOOKS 0x4     /* the service honours KEY_OP_TEST_CRASH (system tests) */

/* The storage service's badge on the key service (init grants it; no TA
 * badge is ever below KEY_BADGE_FIRST_CLIENT). Only it may ask
 * KEY_OP_STORE_*: it names the owner (a TA's UUID, which it took from its
 * own caller's badge), so the key service trusts it for every TA's stored
 * data, and for nothing else (it is no TA: no DERIVE, SEAL, ATTEST). */
#define KEY_BADGE_STORAGE 0x5354
/* The crypto service's badge. It names a client by the badge init gave
 * that client's crypto handle; init writes (that badge | KEY_CLIENT_CRYPTO,
 * the TA's UUID) into the client table when it starts a TA, so no crypto
 * badge is ever taken for a key-service badge. The service trusts it to
 * name its own caller (the kernel's badge), and for nothing else. */
#define KEY_BADGE_CRYPTO 0x4352
#define KEY_CLIENT_CRYPTO (1ULL << 63)

#define KEY_LABEL_MAX 64
#define KEY_DERIVE_MIN 16
#define KEY_DERIVE_MAX 64
#define KEY_SEAL_MAX (32 * 1024)
#define KEY_NONCE_MAX 32

struct key_device_info {
	uint8_t device_id[16]; /* the device identity ("gpd.tee.deviceID"), see below */
	uint32_t flags;        /* KEY_STATE_* */
	uint32_t reserved;     /* 0 */
	uint8_t pubkey[65];    /* attestation public key: uncompressed P-256 point 04 || X || Y */
	uint8_t pad[7];        /* 0 */
};
_Static_assert(sizeof(struct key_device_info) == 96, "key_device_info layout");

/* ---- derivation ----
 * Every key is HKDF-SHA256 (RFC 5869) with IKM = the 32-byte HUK, salt =
 * KEY_HKDF_SALT (without its NUL), and info = a purpose string (with its
 * NUL) followed by the purpose's context:
 *   KEY_OP_DERIVE        "microtee/ta-key/v1"  || TA UUID || key length (1 byte) || label
 *   sealing              "microtee/seal/v1"    || TA UUID        (32 bytes, AES-256)
 *   attestation key      "microtee/attest/p256/v1"               (48 bytes, see below)
 * (The length is in the context so that a shorter key is not a prefix of a
 * longer one for the same label.)
 * So a TA's keys depend on the device (HUK) and on its UUID as init
 * recorded it, and no label a TA chooses can reach another purpose. The
 * attestation private key is d = (c mod (n - 1)) + 1, c the 48 bytes as a
 * big-endian integer and n the order of P-256 (FIPS 186-4 B.4.1): the same
 * key on every boot of the device.
 * Device ID: the first 16 bytes of SHA-256(the 65-byte public key), with
 * the UUID version set to 8 (byte 6 = 0x8X) and the RFC 4122 variant (byte
 * 8 = 0b10XXXXXX). */
#define KEY_HKDF_SALT "MicroTEE HUK v1"
#define KEY_INFO_TA_KEY "microtee/ta-key/v1"
#define KEY_INFO_SEAL "microtee/seal/v1"
#define KEY_INFO_ATTEST "microtee/attest/p256/v1"
/* and for the storage service (KEY_OP_STORE_*):
 *   storage key          "microtee/storage/v1" || owner UUID  (32 bytes, AES-256)
 * The owner of all zeros is the storage service's own (its log's block
 * headers). A TA's storage key is not its sealing key: a blob sealed by
 * KEY_OP_SEAL never opens as a stored record, nor the reverse. */
#define KEY_INFO_STORAGE "microtee/storage/v1"
/*   object key           "microtee/object/v1" || TA UUID   (32 bytes, AES-256)
 * A key object's blob (KEY_OP_OBJ_*): struct key_obj_blob_header (the TA's
 * UUID in the clear, so that another TA's blob is told apart), then the
 * sealed layout with magic KEY_OBJ_MAGIC: AES-256-GCM under the TA's
 * object key, a random IV, additional data the header (32) || the UUID
 * (16) || the device ID (16) || the blob header (16). The crypto service's
 * plaintext is its own (services/crypto: struct crypto_obj_image). */
#define KEY_INFO_OBJECT "microtee/object/v1"
#define KEY_OBJ_MAGIC "MTOB"
#define KEY_OBJ_DATA_MAX 8192
struct key_obj_req {
	uint64_t client;   /* the crypto service's badge of its client */
	uint32_t len;      /* bytes of data or blob after this */
	uint32_t reserved; /* 0 */
};
_Static_assert(sizeof(struct key_obj_req) == 16, "key_obj_req layout");
struct key_obj_blob_header {
	uint8_t owner[16]; /* the TA's UUID */
};
_Static_assert(sizeof(struct key_obj_blob_header) == 16, "key_obj_blob_header layout");
#define KEY_OBJ_BLOB_SIZE(n) (sizeof(struct key_obj_blob_header) + KEY_SEALED_SIZE(n))

/* ---- sealed data ----
 * struct key_sealed_header, then the ciphertext (data_len bytes), then the
 * 16-byte GCM tag. AES-256-GCM with the TA's sealing key, a random 96-bit
 * IV, and as additional data: the header (32 bytes) || the TA's UUID (16)
 * || the device ID (16). Only the same TA on the same device can unseal. */
#define KEY_SEAL_MAGIC "MTSL"
#define KEY_SEAL_VERSION 1
#define KEY_SEAL_ALG_AES256_GCM 1
#define KEY_SEAL_TAG_LEN 16

struct key_sealed_header {
	char magic[4];     /* KEY_SEAL_MAGIC, no NUL */
	uint16_t version;  /* KEY_SEAL_VERSION */
	uint16_t alg;      /* KEY_SEAL_ALG_AES256_GCM */
	uint32_t data_len; /* bytes of plaintext */
	uint32_t reserved; /* 0 */
	uint8_t iv[12];
	uint32_t reserved2; /* 0 */
};
_Static_assert(sizeof(struct key_sealed_header) == 32, "key_sealed_header layout");

#define KEY_SEALED_OVERHEAD (sizeof(struct key_sealed_header) + KEY_SEAL_TAG_LEN)
#define KEY_SEALED_SIZE(n) ((n) + KEY_SEALED_OVERHEAD)

/* ---- stored records (KEY_OP_STORE_*) ----
 * The same layout as sealed data, with magic KEY_STORE_MAGIC: struct
 * key_sealed_header, the ciphertext, the 16-byte tag. AES-256-GCM under
 * the owner's storage key, a random 96-bit IV, and as additional data: the
 * header (32) || the owner (16) || the device ID (16) || the caller's aad
 * (aad_len bytes: for the flash store, the record's header and ids). */
#define KEY_STORE_MAGIC "MTSR"
#define KEY_STORE_AAD_MAX 512
#define KEY_STORE_DATA_MAX (24 * 1024)
#define KEY_STORE_SEALED_SIZE(n) KEY_SEALED_SIZE(n)
struct key_store_req {
	uint8_t owner[16]; /* whose key: a TA's UUID, or all zeros (the service's own) */
	uint32_t aad_len;  /* bytes of aad after this */
	uint32_t len;      /* bytes of data (seal) or of the sealed blob (unseal) after them */
};
_Static_assert(sizeof(struct key_store_req) == 24, "key_store_req layout");
_Static_assert(sizeof(struct key_store_req) + KEY_STORE_AAD_MAX +
			       KEY_STORE_SEALED_SIZE(KEY_STORE_DATA_MAX) <=
		       KEY_SEALED_SIZE(KEY_SEAL_MAX),
	       "a storage request fits the service's buffers");

/* ---- attestation report ----
 * struct key_report, then nmeas struct key_report_meas, then the signature:
 * 64 bytes r || s (big-endian, 32 bytes each), ECDSA P-256 with the device
 * attestation key over SHA-256 of every byte before it. total_size counts
 * all three parts. The measurements are SHA-256 hashes the service took
 * when it started, by reading secure flash0 read-only: the monitor, the
 * kernel and the boot file system as regions of the firmware image, and
 * every program and TA image in the boot file system. */
#define KEY_REPORT_MAGIC "MTATTEST"
#define KEY_REPORT_VERSION 1
#define KEY_REPORT_SIG_ECDSA_P256_SHA256 1
#define KEY_REPORT_SIG_LEN 64
#define KEY_REPORT_MEAS_MAX 64

#define KEY_MEAS_MONITOR 1 /* flash0 [0, kernel): the monitor's load image, zero-padded */
#define KEY_MEAS_KERNEL 2  /* kernel.bin as the monitor loads it, zero-padded to a page */
#define KEY_MEAS_BOOTFS 3  /* the whole boot file system region, zero-padded to a page */
#define KEY_MEAS_PROGRAM 4 /* one program of the boot file system (init, a service...) */
#define KEY_MEAS_TA 5      /* one TA image of the boot file system (<uuid>.ta) */

struct key_report {
	char magic[8];        /* KEY_REPORT_MAGIC, no NUL */
	uint16_t version;     /* KEY_REPORT_VERSION */
	uint16_t header_size; /* sizeof(struct key_report) */
	uint32_t total_size;  /* header + measurements + signature */
	uint32_t flags;       /* KEY_STATE_* of the service */
	uint16_t nmeas;       /* measurement records after the header */
	uint16_t meas_size;   /* sizeof(struct key_report_meas) */
	uint32_t nonce_len;   /* bytes of nonce[] the caller gave; the rest is zero */
	uint32_t sig_alg;     /* KEY_REPORT_SIG_ECDSA_P256_SHA256 */
	uint8_t device_id[16];
	uint8_t ta_uuid[16];  /* the caller, as init recorded it */
	uint8_t ta_hash[32];  /* SHA-256 of the caller's image (<uuid>.ta), zero if not found */
	uint8_t nonce[KEY_NONCE_MAX];
};
_Static_assert(sizeof(struct key_report) == 128, "key_report layout");

struct key_report_meas {
	uint32_t kind;         /* KEY_MEAS_* */
	uint32_t flash_offset; /* where the bytes are in flash0 */
	uint32_t size;         /* how many were hashed */
	uint32_t reserved;     /* 0 */
	char name[48];         /* "monitor", "kernel", "bootfs", or the boot file system name */
	uint8_t sha256[32];
};
_Static_assert(sizeof(struct key_report_meas) == 96, "key_report_meas layout");

#define KEY_REPORT_MAX                                                                     \
	(sizeof(struct key_report) + KEY_REPORT_MEAS_MAX * sizeof(struct key_report_meas) + \
	 KEY_REPORT_SIG_LEN)

/* ---- the client table ----
 * One page, written by init only (before it starts the TA, cleared when the
 * TA has ended), mapped read-only by the service. An entry is valid while
 * its badge is non-zero; init writes the UUID before the badge and clears
 * the badge first, and badges are never reused. */
#define KEY_CLIENTS_MAX 128
struct key_client {
	uint64_t badge;
	uint8_t uuid[16];
	uint64_t reserved;
};
_Static_assert(sizeof(struct key_client) * KEY_CLIENTS_MAX == 4096, "key client table");

/* Badges init gives key-service clients: never 0 (init's own, unbadged
 * handle), never below this. */
#define KEY_BADGE_FIRST_CLIENT 0x10000

/* ---- the service's start argument ----
 * Its handles, 8 bits each: the endpoint (RECV), the flash driver (CALL,
 * badged to read the firmware and to write the key area:
 * include/microtee/flash_ipc.h), the client table (shared memory, MAP_R);
 * then flags. */
#define KEYS_START_ARG(ep, flash, table, flags)                                                \
	((unsigned long)(ep) | (unsigned long)(flash) << 8 | (unsigned long)(table) << 16 |     \
	 (unsigned long)(flags) << 48)
#define KEYS_START_ARG_HANDLE(a, i) (((a) >> (8 * (i))) & 0xFFUL) /* i: 0 ep, 1 flash, 2 table */
#define KEYS_START_ARG_FLAGS(a) ((a) >> 48)
#define KEYS_START_TEST_HOOKS 1UL

/* ---- system tests ----
 * tests/progs/test_keys's start argument (init, scenarios keys*): the test
 * number, then CALL handles to the crypto service (badged, test hooks),
 * init's supervisor endpoint, and the key service under a badge that is in
 * no client table (so it stands for a process that is no TA). */
#define KEYS_TEST_ARG(test, crypto, sup, keys)                                               \
	((unsigned long)(test) | (unsigned long)(crypto) << 8 | (unsigned long)(sup) << 16 | \
	 (unsigned long)(keys) << 24)
#define KEYS_TEST_ARG_GET(a, i) (((a) >> (8 * (i))) & 0xFFUL) /* 0 test, 1 crypto, 2 sup, 3 keys */

/* ---- the non-volatile record ----
 * At the start of the key area (the last 256 KiB of flash0), programmed
 * once, on the first boot of a device: */
#define KEY_NV_MAGIC 0x4B55484DU /* "MHUK" */
#define KEY_NV_VERSION 1
struct key_nv_record {
	uint32_t magic;     /* KEY_NV_MAGIC */
	uint32_t version;   /* KEY_NV_VERSION */
	uint8_t huk[32];
	uint8_t check[32]; /* SHA-256 of the 40 bytes before it */
};
_Static_assert(sizeof(struct key_nv_record) == 72, "key_nv_record layout");

#endif
