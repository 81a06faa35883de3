/* The RPC service's IPC protocol. The RPC service (services/rpc) is the one
 * process that holds the kernel's NWRPC capability (SYS_NW_RPC): it asks
 * the normal world (Linux's optee driver and tee-supplicant) on behalf of
 * the call its client serves, in OP-TEE's RPC ABI, and checks what comes
 * back. Its clients hold badged handles to its endpoint; the badge is the
 * set of requests a client may make (RPC_ALLOW_*), chosen by init:
 *   TA instances   RPC_ALLOW_TIME | RPC_ALLOW_PLUGIN (TEE_GetREETime, plugins)
 *   the TA loader  RPC_ALLOW_LOAD_TA
 *   storage        RPC_ALLOW_FS
 * so that no TA can send the supplicant an arbitrary command.
 *
 * Requests: w[0] = RPC_OP_*, then the operation's words. Replies: w[0] =
 * a GP TEE_Result: TEE_SUCCESS, TEE_ERROR_ACCESS_DENIED (the badge does not
 * allow it), TEE_ERROR_BAD_STATE (not on behalf of a normal-world call),
 * TEE_ERROR_OUT_OF_MEMORY (the normal world had no buffer),
 * TEE_ERROR_COMMUNICATION (the normal world's answer was refused or
 * malformed), TEE_ERROR_NOT_SUPPORTED (unknown operation), or the error the
 * normal world answered with. */
#ifndef MICROTEE_RPC_IPC_H
#define MICROTEE_RPC_IPC_H

#include <stdint.h>

#define RPC_OP_GET_TIME 1 /* () -> (res, seconds, nanoseconds) of the normal world's clock */
/* (w1, w2 = the UUID as big-endian octets 0-7, 8-15; handle 0 = a secure
 * shared-memory object to receive the image, mapped writable; w3 = how many
 * bytes of it to use) -> (res, the image's size). The supplicant's file
 * <uuid>.ta from /lib/optee_armtz, byte for byte and unchecked: what it
 * holds is the loader's to verify. TEE_ERROR_ITEM_NOT_FOUND: no such file;
 * TEE_ERROR_OUT_OF_MEMORY: larger than w3 or RPC_LOAD_TA_MAX. */
#define RPC_OP_LOAD_TA 2
/* 1 MiB less a page: the supplicant's buffer may start inside a page, and a
 * shared-memory object has at most 256 pages. */
#define RPC_LOAD_TA_MAX (1024U * 1024U - 4096U)
/* (handle 0 = shared memory: struct rpc_fs_req, then the data; mapped
 * writable) -> (res, w1 = the answer's value: the file descriptor (OPEN,
 * CREATE), the directory handle (OPENDIR), bytes read into the data (READ),
 * the name's length with its NUL, into the data (READDIR)). One of
 * tee-supplicant's file-system commands (OPTEE_RPC_CMD_FS; names relative to
 * its storage root, Debian's /var/lib/optee-client/data/tee). For the
 * storage service only (RPC_ALLOW_FS): its REE-FS backend. Names must be
 * NUL-terminated, relative, without a ".." part (else BAD_PARAMETERS).
 * TEE_ERROR_COMMUNICATION: an answer longer than the room it had, a
 * handle wider than 32 bits, a directory entry without its NUL. */
#define RPC_OP_FS       3
#define RPC_FS_NAME_MAX 128
#define RPC_FS_DATA_MAX (32U * 1024U)
struct rpc_fs_req {
	uint32_t sub;    /* OPTEE_RPC_FS_* */
	uint32_t fd;     /* CLOSE, READ, WRITE, TRUNCATE: the file; CLOSEDIR, READDIR: the dir */
	uint64_t offset; /* READ, WRITE: where; TRUNCATE: the new length */
	uint32_t len;    /* WRITE: bytes of data; READ, READDIR: room (<= RPC_FS_DATA_MAX) */
	uint32_t flags;  /* RENAME: RPC_FS_OVERWRITE */
	char name[RPC_FS_NAME_MAX];  /* OPEN, CREATE, REMOVE, OPENDIR; RENAME: the old name */
	char name2[RPC_FS_NAME_MAX]; /* RENAME: the new name */
};
_Static_assert(sizeof(struct rpc_fs_req) == 24 + 2 * RPC_FS_NAME_MAX, "rpc_fs_req layout");
#define RPC_FS_OVERWRITE 1U
/* tee-supplicant's FS sub-commands (param[0].u.value.a), facts of OP-TEE's ABI. */
#define OPTEE_RPC_FS_OPEN     0
#define OPTEE_RPC_FS_CREATE   1
#define OPTEE_RPC_FS_CLOSE    2
#define OPTEE_RPC_FS_READ     3
#define OPTEE_RPC_FS_WRITE    4
#define OPTEE_RPC_FS_TRUNCATE 5
#define OPTEE_RPC_FS_REMOVE   6
#define OPTEE_RPC_FS_RENAME   7
#define OPTEE_RPC_FS_OPENDIR  8
#define OPTEE_RPC_FS_CLOSEDIR 9
#define OPTEE_RPC_FS_READDIR  10
/* (handle 0 = shared memory: the plugin's UUID in 16 octets, then the data;
 * w1 = cmd, w2 = sub_cmd, w3 = the data's length) -> (res, the length of
 * the plugin's answer, which replaced the data). A tee-supplicant plugin
 * (/usr/lib/tee-supplicant/plugins/), as tee_invoke_supp_plugin calls it.
 * TEE_ERROR_COMMUNICATION: the answer claims to be longer than the buffer. */
#define RPC_OP_PLUGIN 4
#define RPC_PLUGIN_MAX (64U * 1024U)

#define RPC_ALLOW_TIME (1U << 0)
#define RPC_ALLOW_PLUGIN (1U << 1)
#define RPC_ALLOW_LOAD_TA (1U << 2)
#define RPC_ALLOW_FS (1U << 3)
#define RPC_BADGE_TA (RPC_ALLOW_TIME | RPC_ALLOW_PLUGIN)

/* OP-TEE's RPC commands (optee_msg_arg.cmd of an RPC_CMD), facts of its ABI. */
#define OPTEE_RPC_CMD_LOAD_TA 0
#define OPTEE_RPC_CMD_FS 2
#define OPTEE_RPC_CMD_GET_TIME 3
#define OPTEE_RPC_CMD_SHM_ALLOC 6
#define OPTEE_RPC_CMD_SHM_FREE 7
#define OPTEE_RPC_CMD_SUPP_PLUGIN 12

#endif
