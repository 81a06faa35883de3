/* Every Core API function that does no work yet. Trusted storage, crypto,
 * arithmetic and TA-to-TA sessions become calls to the storage and crypto
 * services (or library code) in later steps; until then:
 *   - a function that returns TEE_Result returns TEE_ERROR_NOT_IMPLEMENTED
 *     (TEE_IsAlgorithmSupported: TEE_ERROR_NOT_SUPPORTED);
 *   - freeing or closing TEE_HANDLE_NULL does nothing, as the specification
 *     allows; any other handle cannot have come from us, so the TA panics;
 *   - a function with no way to report an error panics with
 *     TEE_ERROR_NOT_IMPLEMENTED.
 * lib/tee/README.md has the list. */
#include <tee_internal_api.h>

/* Stubs do not look at their arguments. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#define NOT_IMPLEMENTED TEE_ERROR_NOT_IMPLEMENTED

TEE_Result TEE_OpenTASession(const TEE_UUID *destination, uint32_t cancellationRequestTimeout,
                             uint32_t paramTypes, TEE_Param params[TEE_NUM_PARAMS],
                             TEE_TASessionHandle *session, uint32_t *returnOrigin)
{
	if (returnOrigin)
		*returnOrigin = TEE_ORIGIN_TEE;
	return TEE_ERROR_NOT_IMPLEMENTED;
}

void TEE_CloseTASession(TEE_TASessionHandle session)
{
	if (session != TEE_HANDLE_NULL)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
}

TEE_Result TEE_InvokeTACommand(TEE_TASessionHandle session, uint32_t cancellationRequestTimeout,
                               uint32_t commandID, uint32_t paramTypes,
                               TEE_Param params[TEE_NUM_PARAMS], uint32_t *returnOrigin)
{
	if (returnOrigin)
		*returnOrigin = TEE_ORIGIN_TEE;
	return TEE_ERROR_NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_OpenTASession(const TEE_UUID *destination,
                                    uint32_t cancellationRequestTimeout, uint32_t paramTypes,
                                    __GP11_TEE_Param params[TEE_NUM_PARAMS],
                                    TEE_TASessionHandle *session, uint32_t *returnOrigin)
{
	if (returnOrigin)
		*returnOrigin = TEE_ORIGIN_TEE;
	return TEE_ERROR_NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_InvokeTACommand(TEE_TASessionHandle session,
                                      uint32_t cancellationRequestTimeout, uint32_t commandID,
                                      uint32_t paramTypes, __GP11_TEE_Param params[TEE_NUM_PARAMS],
                                      uint32_t *returnOrigin)
{
	if (returnOrigin)
		*returnOrigin = TEE_ORIGIN_TEE;
	return TEE_ERROR_NOT_IMPLEMENTED;
}

void TEE_GetObjectInfo(TEE_ObjectHandle object, TEE_ObjectInfo *objectInfo)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_GetObjectInfo1(TEE_ObjectHandle object, TEE_ObjectInfo *objectInfo)
{
	return NOT_IMPLEMENTED;
}

void TEE_RestrictObjectUsage(TEE_ObjectHandle object, uint32_t objectUsage)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_RestrictObjectUsage1(TEE_ObjectHandle object, uint32_t objectUsage)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_GetObjectBufferAttribute(TEE_ObjectHandle object, uint32_t attributeID, void *buffer,
                                        size_t *size)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_GetObjectValueAttribute(TEE_ObjectHandle object, uint32_t attributeID, uint32_t *a,
                                       uint32_t *b)
{
	return NOT_IMPLEMENTED;
}

void TEE_CloseObject(TEE_ObjectHandle object)
{
	if (object != TEE_HANDLE_NULL)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
}

void __GP11_TEE_GetObjectInfo(TEE_ObjectHandle object, __GP11_TEE_ObjectInfo *objectInfo)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result __GP11_TEE_GetObjectInfo1(TEE_ObjectHandle object, __GP11_TEE_ObjectInfo *objectInfo)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_GetObjectBufferAttribute(TEE_ObjectHandle object, uint32_t attributeID,
                                               void *buffer, uint32_t *size)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_AllocateTransientObject(TEE_ObjectType objectType, uint32_t maxObjectSize,
                                       TEE_ObjectHandle *object)
{
	return NOT_IMPLEMENTED;
}

void TEE_FreeTransientObject(TEE_ObjectHandle object)
{
	if (object != TEE_HANDLE_NULL)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
}

void TEE_ResetTransientObject(TEE_ObjectHandle object)
{
	if (object != TEE_HANDLE_NULL)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
}

TEE_Result TEE_PopulateTransientObject(TEE_ObjectHandle object, const TEE_Attribute *attrs,
                                       uint32_t attrCount)
{
	return NOT_IMPLEMENTED;
}

void TEE_CopyObjectAttributes(TEE_ObjectHandle destObject, TEE_ObjectHandle srcObject)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_CopyObjectAttributes1(TEE_ObjectHandle destObject, TEE_ObjectHandle srcObject)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_GenerateKey(TEE_ObjectHandle object, uint32_t keySize, const TEE_Attribute *params,
                           uint32_t paramCount)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_AllocateTransientObject(TEE_ObjectType objectType, uint32_t maxKeySize,
                                              TEE_ObjectHandle *object)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_PopulateTransientObject(TEE_ObjectHandle object,
                                              const __GP11_TEE_Attribute *attrs, uint32_t attrCount)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_GenerateKey(TEE_ObjectHandle object, uint32_t keySize,
                                  const __GP11_TEE_Attribute *params, uint32_t paramCount)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_OpenPersistentObject(uint32_t storageID, const void *objectID, size_t objectIDLen,
                                    uint32_t flags, TEE_ObjectHandle *object)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_CreatePersistentObject(uint32_t storageID, const void *objectID, size_t objectIDLen,
                                      uint32_t flags, TEE_ObjectHandle attributes,
                                      const void *initialData, size_t initialDataLen,
                                      TEE_ObjectHandle *object)
{
	return NOT_IMPLEMENTED;
}

void TEE_CloseAndDeletePersistentObject(TEE_ObjectHandle object)
{
	if (object != TEE_HANDLE_NULL)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
}

TEE_Result TEE_CloseAndDeletePersistentObject1(TEE_ObjectHandle object)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_RenamePersistentObject(TEE_ObjectHandle object, const void *newObjectID,
                                      size_t newObjectIDLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_OpenPersistentObject(uint32_t storageID, const void *objectID,
                                           uint32_t objectIDLen, uint32_t flags,
                                           TEE_ObjectHandle *object)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_CreatePersistentObject(uint32_t storageID, const void *objectID,
                                             uint32_t objectIDLen, uint32_t flags,
                                             TEE_ObjectHandle attributes, const void *initialData,
                                             uint32_t initialDataLen, TEE_ObjectHandle *object)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_RenamePersistentObject(TEE_ObjectHandle object, const void *newObjectID,
                                             uint32_t newObjectIDLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_AllocatePersistentObjectEnumerator(TEE_ObjectEnumHandle *objectEnumerator)
{
	return NOT_IMPLEMENTED;
}

void TEE_FreePersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator)
{
	if (objectEnumerator != TEE_HANDLE_NULL)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
}

void TEE_ResetPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_StartPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator,
                                               uint32_t storageID)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_GetNextPersistentObject(TEE_ObjectEnumHandle objectEnumerator,
                                       TEE_ObjectInfo *objectInfo, void *objectID,
                                       size_t *objectIDLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_GetNextPersistentObject(TEE_ObjectEnumHandle objectEnumerator,
                                              __GP11_TEE_ObjectInfo *objectInfo, void *objectID,
                                              uint32_t *objectIDLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_ReadObjectData(TEE_ObjectHandle object, void *buffer, size_t size, size_t *count)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_WriteObjectData(TEE_ObjectHandle object, const void *buffer, size_t size)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_TruncateObjectData(TEE_ObjectHandle object, size_t size)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_SeekObjectData(TEE_ObjectHandle object, intmax_t offset, TEE_Whence whence)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_ReadObjectData(TEE_ObjectHandle object, void *buffer, uint32_t size,
                                     uint32_t *count)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_WriteObjectData(TEE_ObjectHandle object, const void *buffer, uint32_t size)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_TruncateObjectData(TEE_ObjectHandle object, uint32_t size)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_SeekObjectData(TEE_ObjectHandle object, int32_t offset, TEE_Whence whence)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_AllocateOperation(TEE_OperationHandle *operation, uint32_t algorithm, uint32_t mode,
                                 uint32_t maxKeySize)
{
	return NOT_IMPLEMENTED;
}

void TEE_FreeOperation(TEE_OperationHandle operation)
{
	if (operation != TEE_HANDLE_NULL)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
}

void TEE_GetOperationInfo(TEE_OperationHandle operation, TEE_OperationInfo *operationInfo)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_GetOperationInfoMultiple(TEE_OperationHandle operation,
                                        TEE_OperationInfoMultiple *operationInfoMultiple,
                                        size_t *operationSize)
{
	return NOT_IMPLEMENTED;
}

void TEE_ResetOperation(TEE_OperationHandle operation)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_SetOperationKey(TEE_OperationHandle operation, TEE_ObjectHandle key)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_SetOperationKey2(TEE_OperationHandle operation, TEE_ObjectHandle key1,
                                TEE_ObjectHandle key2)
{
	return NOT_IMPLEMENTED;
}

void TEE_CopyOperation(TEE_OperationHandle dstOperation, TEE_OperationHandle srcOperation)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_IsAlgorithmSupported(uint32_t algId, uint32_t element)
{
	return TEE_ERROR_NOT_SUPPORTED;
}

void __GP11_TEE_FreeOperation(TEE_OperationHandle operation)
{
	if (operation != TEE_HANDLE_NULL)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
}

TEE_Result __GP11_TEE_GetOperationInfoMultiple(TEE_OperationHandle operation,
                                               TEE_OperationInfoMultiple *operationInfoMultiple,
                                               uint32_t *operationSize)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_SetOperationKey(TEE_OperationHandle operation, TEE_ObjectHandle key)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_SetOperationKey2(TEE_OperationHandle operation, TEE_ObjectHandle key1,
                                       TEE_ObjectHandle key2)
{
	return NOT_IMPLEMENTED;
}

void TEE_DigestUpdate(TEE_OperationHandle operation, const void *chunk, size_t chunkSize)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_DigestDoFinal(TEE_OperationHandle operation, const void *chunk, size_t chunkLen,
                             void *hash, size_t *hashLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_DigestExtract(TEE_OperationHandle operation, void *hash, size_t *hashLen)
{
	return NOT_IMPLEMENTED;
}

void __GP11_TEE_DigestUpdate(TEE_OperationHandle operation, const void *chunk, uint32_t chunkSize)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result __GP11_TEE_DigestDoFinal(TEE_OperationHandle operation, const void *chunk,
                                    uint32_t chunkLen, void *hash, uint32_t *hashLen)
{
	return NOT_IMPLEMENTED;
}

void TEE_CipherInit(TEE_OperationHandle operation, const void *IV, size_t IVLen)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_CipherUpdate(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
                            void *destData, size_t *destLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_CipherDoFinal(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
                             void *destData, size_t *destLen)
{
	return NOT_IMPLEMENTED;
}

void __GP11_TEE_CipherInit(TEE_OperationHandle operation, const void *IV, uint32_t IVLen)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result __GP11_TEE_CipherUpdate(TEE_OperationHandle operation, const void *srcData,
                                   uint32_t srcLen, void *destData, uint32_t *destLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_CipherDoFinal(TEE_OperationHandle operation, const void *srcData,
                                    uint32_t srcLen, void *destData, uint32_t *destLen)
{
	return NOT_IMPLEMENTED;
}

void TEE_MACInit(TEE_OperationHandle operation, const void *IV, size_t IVLen)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_MACUpdate(TEE_OperationHandle operation, const void *chunk, size_t chunkSize)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_MACComputeFinal(TEE_OperationHandle operation, const void *message,
                               size_t messageLen, void *mac, size_t *macLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_MACCompareFinal(TEE_OperationHandle operation, const void *message,
                               size_t messageLen, const void *mac, size_t macLen)
{
	return NOT_IMPLEMENTED;
}

void __GP11_TEE_MACInit(TEE_OperationHandle operation, const void *IV, uint32_t IVLen)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void __GP11_TEE_MACUpdate(TEE_OperationHandle operation, const void *chunk, uint32_t chunkSize)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result __GP11_TEE_MACComputeFinal(TEE_OperationHandle operation, const void *message,
                                      uint32_t messageLen, void *mac, uint32_t *macLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_MACCompareFinal(TEE_OperationHandle operation, const void *message,
                                      uint32_t messageLen, const void *mac, uint32_t macLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_AEInit(TEE_OperationHandle operation, const void *nonce, size_t nonceLen,
                      uint32_t tagLen, size_t AADLen, size_t payloadLen)
{
	return NOT_IMPLEMENTED;
}

void TEE_AEUpdateAAD(TEE_OperationHandle operation, const void *AADdata, size_t AADdataLen)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_AEUpdate(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
                        void *destData, size_t *destLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_AEEncryptFinal(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
                              void *destData, size_t *destLen, void *tag, size_t *tagLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_AEDecryptFinal(TEE_OperationHandle operation, const void *srcData, size_t srcLen,
                              void *destData, size_t *destLen, void *tag, size_t tagLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_AEInit(TEE_OperationHandle operation, const void *nonce, uint32_t nonceLen,
                             uint32_t tagLen, uint32_t AADLen, uint32_t payloadLen)
{
	return NOT_IMPLEMENTED;
}

void __GP11_TEE_AEUpdateAAD(TEE_OperationHandle operation, const void *AADdata, uint32_t AADdataLen)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result __GP11_TEE_AEUpdate(TEE_OperationHandle operation, const void *srcData, uint32_t srcLen,
                               void *destData, uint32_t *destLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_AEEncryptFinal(TEE_OperationHandle operation, const void *srcData,
                                     uint32_t srcLen, void *destData, uint32_t *destLen, void *tag,
                                     uint32_t *tagLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_AEDecryptFinal(TEE_OperationHandle operation, const void *srcData,
                                     uint32_t srcLen, void *destData, uint32_t *destLen, void *tag,
                                     uint32_t tagLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_AsymmetricEncrypt(TEE_OperationHandle operation, const TEE_Attribute *params,
                                 uint32_t paramCount, const void *srcData, size_t srcLen,
                                 void *destData, size_t *destLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_AsymmetricDecrypt(TEE_OperationHandle operation, const TEE_Attribute *params,
                                 uint32_t paramCount, const void *srcData, size_t srcLen,
                                 void *destData, size_t *destLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_AsymmetricSignDigest(TEE_OperationHandle operation, const TEE_Attribute *params,
                                    uint32_t paramCount, const void *digest, size_t digestLen,
                                    void *signature, size_t *signatureLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation, const TEE_Attribute *params,
                                      uint32_t paramCount, const void *digest, size_t digestLen,
                                      const void *signature, size_t signatureLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_AsymmetricEncrypt(TEE_OperationHandle operation,
                                        const __GP11_TEE_Attribute *params, uint32_t paramCount,
                                        const void *srcData, uint32_t srcLen, void *destData,
                                        uint32_t *destLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_AsymmetricDecrypt(TEE_OperationHandle operation,
                                        const __GP11_TEE_Attribute *params, uint32_t paramCount,
                                        const void *srcData, uint32_t srcLen, void *destData,
                                        uint32_t *destLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_AsymmetricSignDigest(TEE_OperationHandle operation,
                                           const __GP11_TEE_Attribute *params, uint32_t paramCount,
                                           const void *digest, uint32_t digestLen, void *signature,
                                           uint32_t *signatureLen)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation,
                                             const __GP11_TEE_Attribute *params,
                                             uint32_t paramCount, const void *digest,
                                             uint32_t digestLen, const void *signature,
                                             uint32_t signatureLen)
{
	return NOT_IMPLEMENTED;
}

void TEE_DeriveKey(TEE_OperationHandle operation, const TEE_Attribute *params, uint32_t paramCount,
                   TEE_ObjectHandle derivedKey)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void __GP11_TEE_DeriveKey(TEE_OperationHandle operation, const __GP11_TEE_Attribute *params,
                          uint32_t paramCount, TEE_ObjectHandle derivedKey)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_GenerateRandom(void *randomBuffer, size_t randomBufferLen)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void __GP11_TEE_GenerateRandom(void *randomBuffer, uint32_t randomBufferLen)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_GetTAPersistentTime(TEE_Time *time)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_SetTAPersistentTime(const TEE_Time *time)
{
	return NOT_IMPLEMENTED;
}

size_t TEE_BigIntFMMSizeInU32(size_t modulusSizeInBits)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

size_t TEE_BigIntFMMContextSizeInU32(size_t modulusSizeInBits)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntInit(TEE_BigInt *bigInt, size_t len)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntInitFMMContext(TEE_BigIntFMMContext *context, size_t len, const TEE_BigInt *modulus)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_BigIntInitFMMContext1(TEE_BigIntFMMContext *context, size_t len,
                                     const TEE_BigInt *modulus)
{
	return NOT_IMPLEMENTED;
}

void TEE_BigIntInitFMM(TEE_BigIntFMM *bigIntFMM, size_t len)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_BigIntConvertFromOctetString(TEE_BigInt *dest, const uint8_t *buffer,
                                            size_t bufferLen, int32_t sign)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_BigIntConvertToOctetString(uint8_t *buffer, size_t *bufferLen,
                                          const TEE_BigInt *bigInt)
{
	return NOT_IMPLEMENTED;
}

void TEE_BigIntConvertFromS32(TEE_BigInt *dest, int32_t shortVal)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_BigIntConvertToS32(int32_t *dest, const TEE_BigInt *src)
{
	return NOT_IMPLEMENTED;
}

int32_t TEE_BigIntCmp(const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

int32_t TEE_BigIntCmpS32(const TEE_BigInt *op, int32_t shortVal)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntShiftRight(TEE_BigInt *dest, const TEE_BigInt *op, size_t bits)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

bool TEE_BigIntGetBit(const TEE_BigInt *src, uint32_t bitIndex)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

uint32_t TEE_BigIntGetBitCount(const TEE_BigInt *src)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_BigIntSetBit(TEE_BigInt *op, uint32_t bitIndex, bool value)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_BigIntAssign(TEE_BigInt *dest, const TEE_BigInt *src)
{
	return NOT_IMPLEMENTED;
}

TEE_Result TEE_BigIntAbs(TEE_BigInt *dest, const TEE_BigInt *src)
{
	return NOT_IMPLEMENTED;
}

void TEE_BigIntAdd(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntSub(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntNeg(TEE_BigInt *dest, const TEE_BigInt *op)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntMul(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntSquare(TEE_BigInt *dest, const TEE_BigInt *op)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntDiv(TEE_BigInt *dest_q, TEE_BigInt *dest_r, const TEE_BigInt *op1,
                   const TEE_BigInt *op2)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntMod(TEE_BigInt *dest, const TEE_BigInt *op, const TEE_BigInt *n)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntAddMod(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2,
                      const TEE_BigInt *n)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntSubMod(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2,
                      const TEE_BigInt *n)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntMulMod(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2,
                      const TEE_BigInt *n)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntSquareMod(TEE_BigInt *dest, const TEE_BigInt *op, const TEE_BigInt *n)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntInvMod(TEE_BigInt *dest, const TEE_BigInt *op, const TEE_BigInt *n)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result TEE_BigIntExpMod(TEE_BigInt *dest, const TEE_BigInt *op1, const TEE_BigInt *op2,
                            const TEE_BigInt *n, const TEE_BigIntFMMContext *context)
{
	return NOT_IMPLEMENTED;
}

bool TEE_BigIntRelativePrime(const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntComputeExtendedGcd(TEE_BigInt *gcd, TEE_BigInt *u, TEE_BigInt *v,
                                  const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

int32_t TEE_BigIntIsProbablePrime(const TEE_BigInt *op, uint32_t confidenceLevel)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntConvertToFMM(TEE_BigIntFMM *dest, const TEE_BigInt *src, const TEE_BigInt *n,
                            const TEE_BigIntFMMContext *context)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntConvertFromFMM(TEE_BigInt *dest, const TEE_BigIntFMM *src, const TEE_BigInt *n,
                              const TEE_BigIntFMMContext *context)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void TEE_BigIntComputeFMM(TEE_BigIntFMM *dest, const TEE_BigIntFMM *op1, const TEE_BigIntFMM *op2,
                          const TEE_BigInt *n, const TEE_BigIntFMMContext *context)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

uint32_t __GP11_TEE_BigIntFMMSizeInU32(uint32_t modulusSizeInBits)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

uint32_t __GP11_TEE_BigIntFMMContextSizeInU32(uint32_t modulusSizeInBits)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void __GP11_TEE_BigIntInit(TEE_BigInt *bigInt, uint32_t len)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void __GP11_TEE_BigIntInitFMMContext(TEE_BigIntFMMContext *context, uint32_t len,
                                     const TEE_BigInt *modulus)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

void __GP11_TEE_BigIntInitFMM(TEE_BigIntFMM *bigIntFMM, uint32_t len)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}

TEE_Result __GP11_TEE_BigIntConvertFromOctetString(TEE_BigInt *dest, const uint8_t *buffer,
                                                   uint32_t bufferLen, int32_t sign)
{
	return NOT_IMPLEMENTED;
}

TEE_Result __GP11_TEE_BigIntConvertToOctetString(uint8_t *buffer, uint32_t *bufferLen,
                                                 const TEE_BigInt *bigInt)
{
	return NOT_IMPLEMENTED;
}

void __GP11_TEE_BigIntShiftRight(TEE_BigInt *dest, const TEE_BigInt *op, uint32_t bits)
{
	TEE_Panic(TEE_ERROR_NOT_IMPLEMENTED);
}
