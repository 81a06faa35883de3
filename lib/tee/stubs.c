/* Every Core API function that does no work yet: arithmetic (TA-to-TA sessions are in ta2ta.c,
 * trusted storage in storage.c, the crypto functions in objects.c, operations.c, asym.c and
 * crypto_algs.c). Until they come:
 *   - a function that returns TEE_Result returns TEE_ERROR_NOT_IMPLEMENTED;
 *   - freeing or closing TEE_HANDLE_NULL does nothing, as the specification
 *     allows; any other handle cannot have come from us, so the TA panics;
 *   - a function with no way to report an error panics with
 *     TEE_ERROR_NOT_IMPLEMENTED.
 * lib/tee/README.md has the list. */
#include <tee_internal_api.h>

/* Stubs do not look at their arguments. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#define NOT_IMPLEMENTED TEE_ERROR_NOT_IMPLEMENTED

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
