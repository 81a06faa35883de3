/* The hostile TA's parts: the victim (victim.c) and the attacker (attacks.c). */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <tee_internal_api.h>

TEE_Result victim_setup(uint32_t types, TEE_Param p[TEE_NUM_PARAMS]);
TEE_Result victim_check(uint32_t types, TEE_Param p[TEE_NUM_PARAMS]);
TEE_Result attack(uint32_t types, TEE_Param p[TEE_NUM_PARAMS]);
void die(void);
TEE_Result keep_memref(uint32_t types, TEE_Param p[TEE_NUM_PARAMS]);
TEE_Result kept_map(uint32_t types, TEE_Param p[TEE_NUM_PARAMS]);
TEE_Result kept_read(uint32_t types, TEE_Param p[TEE_NUM_PARAMS]);
TEE_Result hoard_memref(uint32_t types, TEE_Param p[TEE_NUM_PARAMS]);

#endif
