/* The GlobalPlatform TEE Internal Core API, as a TA includes it. */
#ifndef TEE_INTERNAL_API_H
#define TEE_INTERNAL_API_H

#include <stddef.h>

#include "compiler.h"
#include "tee_api_defines.h"
#include "tee_api_types.h"
#include "tee_ta_api.h"
#include "trace.h"

/* Last: in v1.1 compatibility mode, renames types and functions. */
#include "tee_api_compat.h"

#endif
