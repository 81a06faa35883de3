/* GlobalPlatform TEE Internal Core API v1.3.1: the data types. Layouts are
 * the specification's; the opaque handles are pointers to structures that
 * only lib/tee knows. The __GP11_ types are the v1.1 layouts (32-bit sizes)
 * that tee_api_compat.h substitutes for a TA built in compatibility mode. */
#ifndef TEE_API_TYPES_H
#define TEE_API_TYPES_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler.h"
#include "tee_api_defines.h"

typedef uint32_t TEE_Result;
typedef uint32_t TEE_ErrorOrigin;

typedef struct {
	uint32_t timeLow;
	uint16_t timeMid;
	uint16_t timeHiAndVersion;
	uint8_t clockSeqAndNode[8];
} TEE_UUID;

typedef struct {
	uint32_t login; /* TEE_LOGIN_* */
	TEE_UUID uuid;
} TEE_Identity;

/* One parameter of an entry point or of TEE_OpenTASession /
 * TEE_InvokeTACommand; which member is valid follows from paramTypes. The
 * tag lets code name this layout even where v1.1 mode renames TEE_Param. */
typedef union mt_tee_param {
	struct {
		void *buffer;
		size_t size;
	} memref;
	struct {
		uint32_t a;
		uint32_t b;
	} value;
} TEE_Param;

typedef union mt_tee_param_gp11 {
	struct {
		void *buffer;
		uint32_t size;
	} memref;
	struct {
		uint32_t a;
		uint32_t b;
	} value;
} __GP11_TEE_Param;

/* Opaque handles */
typedef struct mt_tee_ta_session *TEE_TASessionHandle;
typedef struct mt_tee_propset *TEE_PropSetHandle;
typedef struct mt_tee_object *TEE_ObjectHandle;
typedef struct mt_tee_object_enum *TEE_ObjectEnumHandle;
typedef struct mt_tee_operation *TEE_OperationHandle;

typedef uint32_t TEE_ObjectType;
typedef uint32_t TEE_Whence;
typedef uint32_t TEE_OperationMode;

/* v1.1 called objectSize/maxObjectSize keySize/maxKeySize; both names work. */
typedef struct {
	uint32_t objectType;
	union {
		uint32_t objectSize;
		uint32_t keySize;
	};
	union {
		uint32_t maxObjectSize;
		uint32_t maxKeySize;
	};
	uint32_t objectUsage;
	size_t dataSize;
	size_t dataPosition;
	uint32_t handleFlags;
} TEE_ObjectInfo;

typedef struct {
	uint32_t objectType;
	union {
		uint32_t objectSize;
		uint32_t keySize;
	};
	union {
		uint32_t maxObjectSize;
		uint32_t maxKeySize;
	};
	uint32_t objectUsage;
	uint32_t dataSize;
	uint32_t dataPosition;
	uint32_t handleFlags;
} __GP11_TEE_ObjectInfo;

typedef struct {
	uint32_t attributeID;
	union {
		struct {
			void *buffer;
			size_t length;
		} ref;
		struct {
			uint32_t a, b;
		} value;
	} content;
} TEE_Attribute;

typedef struct {
	uint32_t attributeID;
	union {
		struct {
			void *buffer;
			uint32_t length;
		} ref;
		struct {
			uint32_t a, b;
		} value;
	} content;
} __GP11_TEE_Attribute;

typedef struct {
	uint32_t algorithm;
	uint32_t operationClass;
	uint32_t mode;
	uint32_t digestLength;
	uint32_t maxKeySize;
	uint32_t keySize;
	uint32_t requiredKeyUsage;
	uint32_t handleState;
} TEE_OperationInfo;

typedef struct {
	uint32_t keySize;
	uint32_t requiredKeyUsage;
} TEE_OperationInfoKey;

typedef struct {
	uint32_t algorithm;
	uint32_t operationClass;
	uint32_t mode;
	uint32_t digestLength;
	uint32_t maxKeySize;
	uint32_t handleState;
	uint32_t operationState;
	uint32_t numberOfKeys;
	TEE_OperationInfoKey keyInformation[];
} TEE_OperationInfoMultiple;

typedef struct {
	uint32_t seconds;
	uint32_t millis;
} TEE_Time;

/* Arithmetic: arrays of 32-bit words, sized with TEE_BigIntSizeInU32 and
 * friends. */
typedef uint32_t TEE_BigInt;
typedef uint32_t TEE_BigIntFMM;
typedef uint32_t TEE_BigIntFMMContext;

/* Layout checks against the specification (LP64). */
_Static_assert(sizeof(TEE_UUID) == 16, "TEE_UUID");
_Static_assert(sizeof(TEE_Identity) == 20, "TEE_Identity");
_Static_assert(sizeof(TEE_Param) == 16, "TEE_Param");
_Static_assert(sizeof(__GP11_TEE_Param) == 16, "__GP11_TEE_Param");
_Static_assert(sizeof(TEE_Time) == 8, "TEE_Time");
_Static_assert(sizeof(TEE_OperationInfoMultiple) == 32, "TEE_OperationInfoMultiple");

#endif
