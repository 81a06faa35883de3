/* Functions and hints outside the GlobalPlatform specification that OP-TEE
 * provides to TAs, so that TAs written for it build here. See
 * lib/tee/README.md for what each does on MicroTEE. */
#ifndef TEE_INTERNAL_API_EXTENSIONS_H
#define TEE_INTERNAL_API_EXTENSIONS_H

#include <stdio.h>

#include "tee_api_defines_extensions.h"
#include "tee_api_types.h"
#include "trace.h"
#include "types_ext.h"

/* TEE_Malloc hint: do not zero the new memory (same as TEE_MALLOC_NO_FILL). */
#define TEE_USER_MEM_HINT_NO_FILL_ZERO 0x80000000

void tee_user_mem_mark_heap(void);
size_t tee_user_mem_check_heap(void);

TEE_Result TEE_CacheClean(char *buf, size_t len);
TEE_Result TEE_CacheFlush(char *buf, size_t len);
TEE_Result TEE_CacheInvalidate(char *buf, size_t len);

void *tee_map_zi(size_t len, uint32_t flags);
void *tee_map_zi_va(vaddr_t va, size_t len, uint32_t flags);
TEE_Result tee_unmap(void *buf, size_t len);

/* Parses "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
TEE_Result tee_uuid_from_str(TEE_UUID *uuid, const char *s);

TEE_Result tee_invoke_supp_plugin(const TEE_UUID *uuid, uint32_t cmd, uint32_t sub_cmd, void *buf,
                                  size_t len, size_t *outlen);

#endif
