/* The v1.1 signatures (32-bit sizes) of the functions lib/tee implements,
 * for TAs built with __OPTEE_CORE_API_COMPAT_1_1. Each converts and calls
 * the v1.3 function. */
#include <tee_internal_api.h>

/* A size going back into a 32-bit variable. */
static uint32_t narrow(size_t n)
{
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

TEE_Result __GP11_TEE_GetPropertyAsString(TEE_PropSetHandle propsetOrEnumerator, const char *name,
                                          char *valueBuffer, uint32_t *valueBufferLen)
{
	size_t len = *valueBufferLen;
	TEE_Result res = TEE_GetPropertyAsString(propsetOrEnumerator, name, valueBuffer, &len);
	*valueBufferLen = narrow(len);
	return res;
}

TEE_Result __GP11_TEE_GetPropertyAsBinaryBlock(TEE_PropSetHandle propsetOrEnumerator,
                                               const char *name, void *valueBuffer,
                                               uint32_t *valueBufferLen)
{
	size_t len = *valueBufferLen;
	TEE_Result res = TEE_GetPropertyAsBinaryBlock(propsetOrEnumerator, name, valueBuffer, &len);
	*valueBufferLen = narrow(len);
	return res;
}

TEE_Result __GP11_TEE_GetPropertyName(TEE_PropSetHandle enumerator, void *nameBuffer,
                                      uint32_t *nameBufferLen)
{
	size_t len = *nameBufferLen;
	TEE_Result res = TEE_GetPropertyName(enumerator, nameBuffer, &len);
	*nameBufferLen = narrow(len);
	return res;
}

TEE_Result __GP11_TEE_CheckMemoryAccessRights(uint32_t accessFlags, void *buffer, uint32_t size)
{
	return TEE_CheckMemoryAccessRights(accessFlags, buffer, size);
}

void *__GP11_TEE_Malloc(uint32_t size, uint32_t hint)
{
	return TEE_Malloc(size, hint);
}

void *__GP11_TEE_Realloc(void *buffer, uint32_t newSize)
{
	return TEE_Realloc(buffer, newSize);
}

void __GP11_TEE_MemMove(void *dest, const void *src, uint32_t size)
{
	TEE_MemMove(dest, src, size);
}

int32_t __GP11_TEE_MemCompare(const void *buffer1, const void *buffer2, uint32_t size)
{
	return TEE_MemCompare(buffer1, buffer2, size);
}

void __GP11_TEE_MemFill(void *buffer, uint32_t x, uint32_t size)
{
	TEE_MemFill(buffer, x, size);
}

void __GP11_TEE_InitRefAttribute(__GP11_TEE_Attribute *attr, uint32_t attributeID,
                                 const void *buffer, uint32_t length)
{
	if (attributeID & TEE_ATTR_FLAG_VALUE)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	attr->attributeID = attributeID;
	attr->content.ref.buffer = (void *)buffer;
	attr->content.ref.length = length;
}

void __GP11_TEE_InitValueAttribute(__GP11_TEE_Attribute *attr, uint32_t attributeID, uint32_t a,
                                   uint32_t b)
{
	if (!(attributeID & TEE_ATTR_FLAG_VALUE))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	attr->attributeID = attributeID;
	attr->content.value.a = a;
	attr->content.value.b = b;
}
