/* Another name some TAs include for the whole API. */
#ifndef TEE_API_H
#define TEE_API_H
#include "tee_internal_api.h"
#endif
