/* The v1.1 signatures (32-bit sizes) of the operation functions, for TAs
 * built with __OPTEE_CORE_API_COMPAT_1_1. Each converts and calls the v1.3
 * function. (objects.c and asym.c have those that take attributes.) */
#include <tee_internal_api.h>

void __GP11_TEE_FreeOperation(TEE_OperationHandle operation)
{
	TEE_FreeOperation(operation);
}

TEE_Result __GP11_TEE_GetOperationInfoMultiple(TEE_OperationHandle operation,
                                               TEE_OperationInfoMultiple *operationInfoMultiple,
                                               uint32_t *operationSize)
{
	size_t n = *operationSize;
	TEE_Result res = TEE_GetOperationInfoMultiple(operation, operationInfoMultiple, &n);
	*operationSize = (uint32_t)n;
	return res;
}

TEE_Result __GP11_TEE_SetOperationKey(TEE_OperationHandle operation, TEE_ObjectHandle key)
{
	return TEE_SetOperationKey(operation, key);
}

TEE_Result __GP11_TEE_SetOperationKey2(TEE_OperationHandle operation, TEE_ObjectHandle key1,
                                       TEE_ObjectHandle key2)
{
	return TEE_SetOperationKey2(operation, key1, key2);
}

void __GP11_TEE_DigestUpdate(TEE_OperationHandle operation, const void *chunk, uint32_t chunkSize)
{
	TEE_DigestUpdate(operation, chunk, chunkSize);
}

TEE_Result __GP11_TEE_DigestDoFinal(TEE_OperationHandle operation, const void *chunk,
                                    uint32_t chunkLen, void *hash, uint32_t *hashLen)
{
	size_t n = *hashLen;
	TEE_Result res = TEE_DigestDoFinal(operation, chunk, chunkLen, hash, &n);
	*hashLen = (uint32_t)n;
	return res;
}

void __GP11_TEE_CipherInit(TEE_OperationHandle operation, const void *IV, uint32_t IVLen)
{
	TEE_CipherInit(operation, IV, IVLen);
}

TEE_Result __GP11_TEE_CipherUpdate(TEE_OperationHandle operation, const void *srcData,
                                   uint32_t srcLen, void *destData, uint32_t *destLen)
{
	size_t n = *destLen;
	TEE_Result res = TEE_CipherUpdate(operation, srcData, srcLen, destData, &n);
	*destLen = (uint32_t)n;
	return res;
}

TEE_Result __GP11_TEE_CipherDoFinal(TEE_OperationHandle operation, const void *srcData,
                                    uint32_t srcLen, void *destData, uint32_t *destLen)
{
	size_t n = *destLen;
	TEE_Result res = TEE_CipherDoFinal(operation, srcData, srcLen, destData, &n);
	*destLen = (uint32_t)n;
	return res;
}

void __GP11_TEE_MACInit(TEE_OperationHandle operation, const void *IV, uint32_t IVLen)
{
	TEE_MACInit(operation, IV, IVLen);
}

void __GP11_TEE_MACUpdate(TEE_OperationHandle operation, const void *chunk, uint32_t chunkSize)
{
	TEE_MACUpdate(operation, chunk, chunkSize);
}

TEE_Result __GP11_TEE_MACComputeFinal(TEE_OperationHandle operation, const void *message,
                                      uint32_t messageLen, void *mac, uint32_t *macLen)
{
	size_t n = *macLen;
	TEE_Result res = TEE_MACComputeFinal(operation, message, messageLen, mac, &n);
	*macLen = (uint32_t)n;
	return res;
}

TEE_Result __GP11_TEE_MACCompareFinal(TEE_OperationHandle operation, const void *message,
                                      uint32_t messageLen, const void *mac, uint32_t macLen)
{
	return TEE_MACCompareFinal(operation, message, messageLen, mac, macLen);
}

TEE_Result __GP11_TEE_AEInit(TEE_OperationHandle operation, const void *nonce, uint32_t nonceLen,
                             uint32_t tagLen, uint32_t AADLen, uint32_t payloadLen)
{
	return TEE_AEInit(operation, nonce, nonceLen, tagLen, AADLen, payloadLen);
}

void __GP11_TEE_AEUpdateAAD(TEE_OperationHandle operation, const void *AADdata, uint32_t AADdataLen)
{
	TEE_AEUpdateAAD(operation, AADdata, AADdataLen);
}

TEE_Result __GP11_TEE_AEUpdate(TEE_OperationHandle operation, const void *srcData, uint32_t srcLen,
                               void *destData, uint32_t *destLen)
{
	size_t n = *destLen;
	TEE_Result res = TEE_AEUpdate(operation, srcData, srcLen, destData, &n);
	*destLen = (uint32_t)n;
	return res;
}

TEE_Result __GP11_TEE_AEEncryptFinal(TEE_OperationHandle operation, const void *srcData,
                                     uint32_t srcLen, void *destData, uint32_t *destLen, void *tag,
                                     uint32_t *tagLen)
{
	size_t n = *destLen, t = *tagLen;
	TEE_Result res = TEE_AEEncryptFinal(operation, srcData, srcLen, destData, &n, tag, &t);
	*destLen = (uint32_t)n;
	*tagLen = (uint32_t)t;
	return res;
}

TEE_Result __GP11_TEE_AEDecryptFinal(TEE_OperationHandle operation, const void *srcData,
                                     uint32_t srcLen, void *destData, uint32_t *destLen, void *tag,
                                     uint32_t tagLen)
{
	size_t n = *destLen;
	TEE_Result res = TEE_AEDecryptFinal(operation, srcData, srcLen, destData, &n, tag, tagLen);
	*destLen = (uint32_t)n;
	return res;
}
