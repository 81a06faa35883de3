/* The normal-world gateway: parses OP-TEE messages from Linux's driver in
 * user space, outside the kernel, and drives trusted applications. */
#ifndef GATEWAY_H
#define GATEWAY_H

#include <stddef.h>
#include <stdint.h>

#include "../../include/microtee/optee_msg.h"
#include "../../include/microtee/ta_ipc.h"
#include "../common/nsmem.h"
#include "mt.h"

#define GW_MAX_PARAMS 6 /* 4 GP parameters + 2 meta (open session) */
#define GW_MAX_INSTANCES 8
#define GW_MAX_SESSIONS 32
#define GW_MAX_SHM 64
#define GW_MAX_SHM_PAGES 256 /* 1 MiB */

/* GP values the gateway reports (GlobalPlatform TEE Client/Internal API). */
#define GW_TEE_SUCCESS 0x00000000U
#define GW_TEE_ERROR_GENERIC 0xFFFF0000U
#define GW_TEE_ERROR_BAD_PARAMETERS 0xFFFF0006U
#define GW_TEE_ERROR_ITEM_NOT_FOUND 0xFFFF0008U
#define GW_TEE_ERROR_NOT_SUPPORTED 0xFFFF000AU
#define GW_TEE_ERROR_OUT_OF_MEMORY 0xFFFF000CU
#define GW_TEE_ERROR_BUSY 0xFFFF000DU
#define GW_TEE_ERROR_COMMUNICATION 0xFFFF000EU
#define GW_TEE_ERROR_TARGET_DEAD 0xFFFF3024U
#define GW_TEE_ORIGIN_API 1
#define GW_TEE_ORIGIN_COMMS 2
#define GW_TEE_ORIGIN_TEE 3
#define GW_TEE_ORIGIN_TRUSTED_APP 4
#define GW_TA_FLAG_SINGLE_INSTANCE (1U << 2)
#define GW_TA_FLAG_MULTI_SESSION (1U << 3)
#define GW_TA_FLAG_INSTANCE_KEEP_ALIVE (1U << 4)

/* A message copied into secure memory: checked and used only here. */
struct gw_msg {
	struct optee_msg_arg hdr;
	struct optee_msg_param params[GW_MAX_PARAMS];
};

/* nsmem.c: normal-world memory mapped into the gateway for one call */
extern mt_handle_t gw_nsmem;
#define NS_SLOT_MSG 0     /* the optee_msg_arg being handled */
#define NS_SLOT_SCRATCH 1 /* anything read while handling it */
int ns_map(uint64_t pa, size_t len, int slot, struct ns_map *m);

/* shm.c: buffers Linux registered (REGISTER_SHM) */
uint32_t shm_register(const struct optee_msg_param *p);
uint32_t shm_unregister(const struct optee_msg_param *p);
/* A shared-memory object covering [offs, offs + size) of registered buffer
 * `cookie`; *obj_offset is where that range starts in the object. */
uint32_t shm_range_object(uint64_t cookie, uint64_t offs, uint64_t size, mt_handle_t *shm,
			  uint64_t *obj_offset);

/* session.c */
void session_init(mt_handle_t sup);
void session_open(struct gw_msg *m);
void session_invoke(struct gw_msg *m);
void session_close(struct gw_msg *m);

#endif
