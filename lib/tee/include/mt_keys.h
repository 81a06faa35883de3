/* Keys, sealing and attestation for TAs: MicroTEE's extension of the
 * GlobalPlatform TEE Internal Core API, served by the key service
 * (services/keys; protocol and formats in include/microtee/key_ipc.h).
 *
 * Every key here derives from the device's hardware-unique key (HUK), which
 * never leaves the key service, and from the calling TA's UUID as the
 * system (not the TA) knows it. So:
 *   - a TA's derived keys and sealed data are its own: another TA, or the
 *     same TA on another device, gets different keys and cannot unseal;
 *   - they stay the same across reboots and restarts of the key service.
 *
 * Results are TEE_Result values. Output lengths follow the GP rule: *len is
 * the buffer's size on entry, the size written (or needed, with
 * TEE_ERROR_SHORT_BUFFER) on exit. TEE_ERROR_NOT_SUPPORTED: this instance
 * has no key service. TEE_ERROR_COMMUNICATION: the service did not answer
 * (a call in progress when it died is sent once more after its restart). */
#ifndef MT_KEYS_H
#define MT_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "tee_api_types.h"

/* Sealed data is this much longer than the data (header + GCM tag). */
#define TEE_SEALED_DATA_OVERHEAD   48
#define TEE_SEALED_DATA_MAX        (32 * 1024) /* the most data one call seals */
#define TEE_DERIVED_KEY_MIN        16
#define TEE_DERIVED_KEY_MAX        64
#define TEE_DERIVE_LABEL_MAX       64
#define TEE_ATTESTATION_NONCE_MAX  32
#define TEE_ATTESTATION_REPORT_MAX 6336 /* with the most measurements a report carries */

/* Device properties (TEE_GetDeviceProperty*): */
#define TEE_DEVICE_PROP_ID "gpd.tee.deviceID" /* UUID; string: 8-4-4-4-12; binary: 16 bytes */
#define TEE_DEVICE_PROP_ATTESTATION_KEY                                                            \
	"microtee.attestation.publicKey" /* binary: 65-byte uncompressed P-256 point; string: hex  \
	                                  */
#define TEE_DEVICE_PROP_KEY_STATE "microtee.keys.state" /* U32: KEY_STATE_* of key_ipc.h */

/* Encrypts and authenticates data (AES-256-GCM, a fresh IV each time) for
 * this TA on this device. *sealedLen >= dataLen + TEE_SEALED_DATA_OVERHEAD. */
TEE_Result TEE_SealData(const void *data, size_t dataLen, void *sealed, size_t *sealedLen);

/* Undoes TEE_SealData. TEE_ERROR_MAC_INVALID if the blob was sealed by
 * another TA or on another device, or was changed; TEE_ERROR_BAD_FORMAT if
 * it is no sealed blob at all. */
TEE_Result TEE_UnsealData(const void *sealed, size_t sealedLen, void *data, size_t *dataLen);

/* This TA's key for `label` (0..TEE_DERIVE_LABEL_MAX bytes), keyLen bytes
 * (TEE_DERIVED_KEY_MIN..MAX): HKDF-SHA256 over the HUK, the TA's UUID and
 * the label. The same on every boot of this device. */
TEE_Result TEE_DeriveTAKey(const void *label, size_t labelLen, void *key, size_t keyLen);

/* A report signed with the device attestation key (ECDSA P-256): this TA's
 * UUID and image hash, the boot measurements of monitor, kernel and every
 * program, and the caller's nonce (1..TEE_ATTESTATION_NONCE_MAX bytes).
 * Format: struct key_report in include/microtee/key_ipc.h; host/attest
 * verifies it. */
TEE_Result TEE_GetAttestationReport(const void *nonce, size_t nonceLen, void *report,
                                    size_t *reportLen);

/* The device identity, by property name (TEE_DEVICE_PROP_*), in the style
 * of TEE_GetPropertyAs*. TEE_ERROR_ITEM_NOT_FOUND: no such property;
 * TEE_ERROR_BAD_FORMAT: it has no such form. */
TEE_Result TEE_GetDevicePropertyAsUUID(const char *name, TEE_UUID *value);
TEE_Result TEE_GetDevicePropertyAsBinaryBlock(const char *name, void *value, size_t *valueLen);
TEE_Result TEE_GetDevicePropertyAsString(const char *name, char *value, size_t *valueLen);
TEE_Result TEE_GetDevicePropertyAsU32(const char *name, uint32_t *value);

#endif
