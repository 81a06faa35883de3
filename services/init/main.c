/* init: the first process and the supervisor. It holds the only spawner
 * handle, starts the services with exactly the handles they need, watches
 * its children and restarts a service that dies. The boot command line
 * (`test=NAME`) selects a system-test scenario; without one it runs the
 * demo: the services and a client. */
#include <stdio.h>
#include <string.h>

#include "../../include/microtee/crypto_ipc.h"
#include "../../include/microtee/demo_ipc.h"
#include "../../include/microtee/flash_ipc.h"
#include "../../include/microtee/key_ipc.h"
#include "../../include/microtee/rpc_ipc.h"
#include "../../include/microtee/storage_ipc.h"
#include "crash.h"
#include "loader.h"
#include "rbtable.h"
#include "rollback.h"
#include "talog.h"
#include "../../include/microtee/ta_ipc.h"
#include "mt.h"

#define PRIO_SERVICE 15
#define PRIO_CLIENT 10
#define PRIO_TA 8
#define PRIO_SUPERVISOR 18
#define MAX_RESTARTS 5

/* ---- quotas (issue 13 item 3) ----
 * The kernel charges every page and every kernel object to the process
 * that made it, against a quota its creator carves out of its own
 * (SYS_PROC_CREATE). init's is every pool, whole; so each service, program
 * and TA instance below gets a share of what exists, and what it uses is
 * never another's. A TA that uses up its quota gets MT_ENOMEM (pages) or
 * MT_EQUOTA (objects) and harms nobody else. A shared-memory object the
 * gateway makes for a normal-world call is the gateway's.
 *
 * The plan must fit what the kernel gave init: the services, one scenario
 * program, TA_INSTANCES TA instances at once (the gateway's
 * GW_MAX_INSTANCES) and init's own needs. init checks it at boot
 * (plan_check) and refuses to run if it does not add up. A TA instance
 * that would not fit in what init has left, less what the services that
 * are down need to restart, is refused: the open gets
 * TEE_ERROR_OUT_OF_MEMORY (ta_admissible). */
#define QUOTA(pages, threads, endpoints, shms) {{(pages), (threads), (endpoints), (shms), 0}}
#define TA_INSTANCES 8
/* A TA instance: its image, 64 KiB stack, heap and tables (the demo TAs
 * use about 60 pages), one thread (two for a TA that wants one more), the
 * crypto and key windows and a plugin buffer. */
static const struct mt_quota ta_quota = QUOTA(256, 2, 2, 3);
/* A scenario program or the client: tests that make threads, endpoints
 * and shared memory of their own, and drive TAs as the gateway does. */
static const struct mt_quota prog_quota = QUOTA(256, 8, 12, 12);

struct service {
	const char *name;
	mt_handle_t ep;   /* init's handle: full rights */
	mt_handle_t proc; /* 0 while not running */
	unsigned long pid;
	int restarts;
	struct mt_quota quota;
	int test_only; /* the test image's: not started in a production boot */
};

/* Pages: what each uses after the system tests, measured at 4061960, with
 * room to spare: echo 26, counter 25, gateway 28, crypto 208, keys 69,
 * rpc 27. Only the gateway makes threads and endpoints. */
static struct service services[] = {
	/* First: every later read of flash goes through it (flash_ipc.h).
	 * Page tables for the non-volatile area, a firmware window and a
	 * client's buffer. */
	{"flash", 0, 0, 0, 0, QUOTA(48, 1, 0, 0), 0},
	{"echo", 0, 0, 0, 0, QUOTA(48, 1, 0, 0), 1},
	{"counter", 0, 0, 0, 0, QUOTA(48, 1, 0, 0), 1},
	/* Its registrations' page lists on its heap, and the stacks of its 7
	 * more worker threads (8 in all, one per normal-world call in flight;
	 * services/gateway/gateway.h), each with an endpoint it waits on for
	 * a TA instance, and its watchdog's (session_watchdog). Shared
	 * memory: a parameter page per TA instance (8), and 8 that the calls
	 * in flight share (the message, a page-list page
	 * or a registration's vetting object, memory references). */
	{"gateway", MT_NWCALL_HANDLE, 0, 0, 0, QUOTA(192, 9, 8, 16), 0},
	/* mbedTLS, a 512 KiB heap arena, page tables for 16 client windows
	 * (400: nearly twice the 208 it was seen to use; the kernel and init grew),
	 * and a 24 KiB buffer (shared memory) for the key service */
	{"crypto", 0, 0, 0, 0, QUOTA(400, 1, 0, 1), 0},
	/* mbedTLS, two 33 KiB buffers, a 64 KiB buffer for the flash driver */
	{"keys", 0, 0, 0, 0, QUOTA(128, 1, 0, 2), 0},
	/* The only holder of the kernel's RPC capability (rpc_ipc.h): an
	 * argument buffer, a page list and the supplicant's memory mapped. */
	{"rpc", 0, 0, 0, 0, QUOTA(96, 1, 0, 4), 0},
	/* After flash and keys, which it mounts its store through: the flash
	 * store (33 KiB) and its index (26 KiB), two 16 KiB object buffers,
	 * one 64 KiB buffer (shared memory) for the flash driver and the key
	 * service, page tables for a client's window. */
	{"storage", 0, 0, 0, 0, QUOTA(96, 1, 0, 1), 0},
};
#define FLASH (&services[0])
#define ECHO (&services[1])
#define COUNTER (&services[2])
#define GATEWAY (&services[3])
#define CRYPTO (&services[4])
#define KEYS (&services[5])
#define RPC (&services[6])
#define STORAGE (&services[7])
/* Flags for the crypto service (CRYPTO_START_*), set by the scenario. */
static unsigned long crypto_flags;
/* The key service: its flags (KEYS_START_*), and the client table it reads
 * (key_ipc.h): our handle to it, and where we write it. */
static unsigned long keys_flags;
static mt_handle_t keys_table_shm;
static volatile struct key_client *keys_table;
static long start_keys(mt_handle_t proc, mt_handle_t ep_there);
static long start_flash(mt_handle_t proc, mt_handle_t ep_there);
static long start_storage(mt_handle_t proc, mt_handle_t ep_there);
/* Flags for the storage service (STORE_START_*), set by the scenario. */
static unsigned long storage_flags;

static mt_handle_t sup_ep;

static const char *reason_name(long r)
{
	return r == MT_CHILD_EXITED ? "exited" : r == MT_CHILD_FAULTED ? "faulted" : "was killed";
}

static const char *fault_name(unsigned long f)
{
	static const char *names[] = {"none", "data abort", "instruction abort", "undefined instruction",
				      "alignment", "other"};
	return f < sizeof(names) / sizeof(names[0]) ? names[f] : "?";
}

static int production; /* no test= on the command line: the test-only services stay off */

static const char *const kind_names[MT_Q_KINDS] = {"pages", "threads", "endpoints",
						   "shared-memory objects", "processes"};

/* What init may still need for itself beyond what it holds now: a scratch
 * copy of a program in each of its two loading places (LOADER_VA), or in
 * the second a TA image from the normal world, the notifier's thread,
 * stack and endpoint (made after the plan is checked), and the
 * anti-rollback buffer (taken once the flash driver runs). */
static unsigned long init_headroom(unsigned k)
{
	unsigned long prog = loader_max_pages(), ree = RPC_LOAD_TA_MAX / MT_PAGE_SIZE + 1;
	unsigned long rb = rollback_shms_to_come();
	switch (k) {
	case MT_Q_PAGES:
		return prog + (prog > ree ? prog : ree) + 16 + rb * (RB_CHUNK / MT_PAGE_SIZE);
	case MT_Q_THREADS:
		return 1;
	case MT_Q_ENDPOINTS:
		return 1;
	case MT_Q_SHMS:
		return 2 + rb;
	default:
		return 0;
	}
}

/* What init itself is charged for each TA instance besides its quota: the
 * process slot and the endpoint it serves on. And for a service: the slot,
 * and its endpoint (made once, kept across restarts). */
static const struct mt_quota ta_init_cost = {{0, 0, 1, 0, 1}};
static const struct mt_quota service_init_cost = {{0, 0, 1, 0, 1}};

/* Checks at boot that the plan fits what the kernel gave init: every
 * service this boot starts, a scenario program, TA_INSTANCES TA instances
 * at once and init's own needs. Prints it; returns 0 if it does not add up. */
static int plan_check(void)
{
	struct mt_proc_info me;
	if (mt_proc_info(0, &me) != MT_OK)
		return 0;
	int ok = 1;
	for (unsigned k = 0; k < MT_Q_KINDS; k++) {
		unsigned long svc = 0;
		for (unsigned i = 0; i < sizeof(services) / sizeof(services[0]); i++)
			if (!production || !services[i].test_only)
				svc += services[i].quota.n[k] + service_init_cost.n[k];
		unsigned long tas = TA_INSTANCES * (ta_quota.n[k] + ta_init_cost.n[k]);
		unsigned long own = me.used[k] + me.lent[k] + init_headroom(k);
		unsigned long prog = prog_quota.n[k] + (k == MT_Q_PROCS);
		unsigned long need = svc + tas + own + prog;
		printf("[init] quota plan, %s: %lu of %lu (services %lu, %u TA instances %lu, "
		       "a program %lu, init %lu)\n",
		       kind_names[k], need, me.quota[k], svc, TA_INSTANCES, tas, prog, own);
		if (need > me.quota[k]) {
			printf("[init] the quotas do not add up: %lu %s planned, %lu exist\n", need,
			       kind_names[k], me.quota[k]);
			ok = 0;
		}
	}
	return ok;
}

/* Is there room for one more TA instance, keeping back what init needs
 * for itself and for restarting the services that are down? */
static int ta_admissible(void)
{
	struct mt_proc_info me;
	if (mt_proc_info(0, &me) != MT_OK)
		return 0;
	for (unsigned k = 0; k < MT_Q_KINDS; k++) {
		unsigned long held = init_headroom(k);
		for (unsigned i = 0; i < sizeof(services) / sizeof(services[0]); i++)
			if (!services[i].proc && services[i].restarts <= MAX_RESTARTS &&
			    (!production || !services[i].test_only))
				held += services[i].quota.n[k] + (k == MT_Q_PROCS);
		unsigned long room = me.quota[k] - me.used[k] - me.lent[k];
		if (room < ta_quota.n[k] + ta_init_cost.n[k] + held)
			return 0;
	}
	return 1;
}

/* The boot command line, which the gateway and every program spawn_client
 * starts get as their argument string (mt_proc_start_args): a scenario's
 * own settings, such as test_fuzz's `seed=` and `calls=`, and the
 * gateway's time limits travel on it. */
static const char *boot_args = "";

static long start_service(struct service *s)
{
	mt_handle_t proc, ep_there, nsmem = 0, sup = 0, nwrpc = 0;
	long rc =
		loader_spawn(s->name, PRIO_SERVICE, &s->quota, MT_SPAWN_CONSOLE, LOADER_SLOT_MAIN, &proc);
	if (rc == MT_OK)
		rc = mt_handle_grant(proc, s->ep, MT_R_RECV, 0, &ep_there);
	/* The gateway also maps normal-world memory and asks init for TAs;
	 * the RPC service maps normal-world memory and makes RPCs. */
	if (rc == MT_OK && (s == GATEWAY || s == RPC))
		rc = mt_handle_grant(proc, MT_NSMEM_HANDLE, MT_R_CONTROL, 0, &nsmem);
	if (rc == MT_OK && s == GATEWAY)
		rc = mt_handle_grant(proc, sup_ep, MT_R_CALL, 0, &sup);
	if (rc == MT_OK && s == RPC)
		rc = mt_handle_grant(proc, MT_NWRPC_HANDLE, MT_R_CONTROL, 0, &nwrpc);
	if (rc == MT_OK && s == KEYS)
		rc = start_keys(proc, ep_there);
	else if (rc == MT_OK && s == FLASH)
		rc = start_flash(proc, ep_there);
	else if (rc == MT_OK && s == STORAGE)
		rc = start_storage(proc, ep_there);
	else if (rc == MT_OK && s == CRYPTO) {
		/* The key service, for TAs' persistent keys (KEY_OP_OBJ_*). It
		 * starts after us: its endpoint is made now if it is not yet
		 * (the start loop makes only missing ones). */
		mt_handle_t keys = 0;
		if ((!KEYS->ep && mt_ep_create(&KEYS->ep) != MT_OK) ||
		    mt_handle_grant(proc, KEYS->ep, MT_R_CALL, KEY_BADGE_CRYPTO, &keys) != MT_OK)
			keys = 0;
		rc = mt_proc_start(proc, CRYPTO_START_ARG(ep_there, crypto_flags) |
					     CRYPTO_START_ARG_KEYS(keys));
	}
	else if (rc == MT_OK && s == RPC)
		rc = mt_proc_start(proc, ep_there | nsmem << 8 | nwrpc << 16);
	else if (rc == MT_OK && s == GATEWAY)
		/* Its settings (ta_budget_ms=, cancel_grace_ms=) are boot's. */
		rc = mt_proc_start_args(proc, ep_there | nsmem << 8 | sup << 16,
					boot_args);
	else if (rc == MT_OK)
		rc = mt_proc_start(proc, ep_there | nsmem << 8 | sup << 16);
	if (rc != MT_OK) {
		printf("[init] cannot start %s: %ld\n", s->name, rc);
		return rc;
	}
	struct mt_proc_info info;
	mt_proc_info(proc, &info);
	s->proc = proc;
	s->pid = info.pid;
	return MT_OK;
}

/* ---- crypto clients ----
 * Every process init gives a crypto-service handle gets its own badge,
 * which the service keys its state by. init remembers which process holds
 * which badge and, when that process ends, however it ends, tells the
 * service (CRYPTO_OP_CLIENT_GONE), which frees what the client held. The
 * telling is done by a thread of its own, so that init's main thread never
 * waits for the crypto service: the main thread marks the client's slot
 * "gone" and rings the thread's doorbell only when it is idle. Slots of the
 * table are claimed by both of init's threads, with an atomic
 * compare-and-swap.
 *
 * No notice can be lost: the table is the queue. A gone slot keeps its
 * badge until the notifier has told the service, and only then is it free
 * again, so there are never more notices pending than slots, and a slot is
 * never reused before its notice went out. If every slot is taken (live
 * clients and pending notices), grant_crypto waits for the notifier to free
 * one (issue 13 item 11; before, a ring of 64 dropped notices when clients
 * ended faster than the service heard of them). */
#define MAX_CRYPTO_CLIENTS 64
static struct {
	mt_handle_t proc;
	uint64_t badge; /* 0: free */
	int gone;       /* ended; the service has not been told yet */
} crypto_clients[MAX_CRYPTO_CLIENTS];
static uint64_t crypto_badge_next = CRYPTO_BADGE_FIRST_CLIENT;
static unsigned gone_pending;         /* slots marked gone, not yet told */
static unsigned gone_ended, gone_told; /* clients that ended; notices delivered */
static int notifier_idle;
static mt_handle_t notifier_ep, crypto_sup; /* doorbell; our CRYPTO_BADGE_SUPERVISOR handle */

#define GRANT_WAIT_TRIES 5000 /* 1 ms each: how long a grant waits for a slot */

/* Grants `proc` a CALL handle to the crypto service under a new badge
 * (into *badge_out). Returns the handle's number in proc, or 0. */
static mt_handle_t grant_crypto_badge(mt_handle_t proc, uint64_t *badge_out)
{
	uint64_t badge = __atomic_fetch_add(&crypto_badge_next, 1, __ATOMIC_RELAXED);
	*badge_out = badge;
	for (unsigned tries = 0;; tries++) {
		for (unsigned i = 0; i < MAX_CRYPTO_CLIENTS; i++) {
			uint64_t free_slot = 0;
			if (!__atomic_compare_exchange_n(&crypto_clients[i].badge, &free_slot, badge, 0,
							 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
				continue;
			mt_handle_t h;
			if (!CRYPTO->ep ||
			    mt_handle_grant(proc, CRYPTO->ep, MT_R_CALL, badge, &h) != MT_OK) {
				__atomic_store_n(&crypto_clients[i].badge, 0, __ATOMIC_SEQ_CST);
				return 0;
			}
			__atomic_store_n(&crypto_clients[i].proc, proc, __ATOMIC_SEQ_CST);
			return h;
		}
		/* Full. Slots waiting for their notice come free soon. */
		if (!__atomic_load_n(&gone_pending, __ATOMIC_SEQ_CST) || tries == GRANT_WAIT_TRIES)
			return 0;
		mt_sleep_ns(1000000ULL);
	}
}

static mt_handle_t grant_crypto(mt_handle_t proc)
{
	uint64_t badge;
	return grant_crypto_badge(proc, &badge);
}

static void notifier(void *arg)
{
	(void)arg;
	struct mt_msg m;
	for (;;) {
		while (__atomic_load_n(&gone_pending, __ATOMIC_SEQ_CST)) {
			for (unsigned i = 0; i < MAX_CRYPTO_CLIENTS; i++) {
				if (!__atomic_load_n(&crypto_clients[i].gone, __ATOMIC_SEQ_CST))
					continue;
				uint64_t badge = __atomic_load_n(&crypto_clients[i].badge, __ATOMIC_SEQ_CST);
				/* If the service is down, this waits for its restart,
				 * which knows nothing of the badge: fine either way. */
				m = (struct mt_msg){{CRYPTO_OP_CLIENT_GONE, badge, 0, 0}, 0, 0};
				mt_call(crypto_sup, &m);
				__atomic_fetch_add(&gone_told, 1, __ATOMIC_SEQ_CST);
				__atomic_store_n(&crypto_clients[i].gone, 0, __ATOMIC_SEQ_CST);
				__atomic_store_n(&crypto_clients[i].badge, 0, __ATOMIC_SEQ_CST); /* free */
				__atomic_fetch_sub(&gone_pending, 1, __ATOMIC_SEQ_CST);
			}
		}
		__atomic_store_n(&notifier_idle, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&gone_pending, __ATOMIC_SEQ_CST)) {
			__atomic_store_n(&notifier_idle, 0, __ATOMIC_SEQ_CST);
			continue;
		}
		if (mt_recv(notifier_ep, &m) != MT_OK)
			return;
		__atomic_store_n(&notifier_idle, 0, __ATOMIC_SEQ_CST);
		m = (struct mt_msg){{MT_OK, 0, 0, 0}, 0, 0};
		mt_reply_recv(notifier_ep, &m, MT_RR_REPLY);
	}
}

/* `proc` has ended (called before init closes its handle). */
static void forget_crypto(mt_handle_t proc)
{
	int queued = 0;
	for (unsigned i = 0; i < MAX_CRYPTO_CLIENTS; i++) {
		if (__atomic_load_n(&crypto_clients[i].proc, __ATOMIC_SEQ_CST) != proc)
			continue;
		__atomic_store_n(&crypto_clients[i].proc, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&crypto_clients[i].gone, 1, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(&gone_pending, 1, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(&gone_ended, 1, __ATOMIC_SEQ_CST);
		queued = 1;
	}
	if (queued && notifier_ep && __atomic_load_n(&notifier_idle, __ATOMIC_SEQ_CST)) {
		struct mt_msg m = {{0, 0, 0, 0}, 0, 0};
		mt_call(notifier_ep, &m);
	}
}

/* Waits (a little) until the crypto service has heard of every client
 * that ended. */
static void crypto_settle(void)
{
	for (int i = 0; i < 300; i++) {
		if (!__atomic_load_n(&gone_pending, __ATOMIC_SEQ_CST) &&
		    __atomic_load_n(&notifier_idle, __ATOMIC_SEQ_CST))
			return;
		mt_sleep_ns(10000000ULL);
	}
}

/* ---- the flash driver ----
 * It gets the four DEVMEM ranges of flash0 the kernel gave init: the
 * firmware's three read-only, the non-volatile area read-write. init keeps
 * its own handles to them (to hand them to a restarted driver) but maps
 * none of them after loader_init. */
static long start_flash(mt_handle_t proc, mt_handle_t ep_there)
{
	static const mt_handle_t ranges[] = {MT_DEVMEM_MONITOR_HANDLE, MT_DEVMEM_KERNEL_HANDLE,
					     MT_DEVMEM_BOOTFS_HANDLE, MT_DEVMEM_NV_HANDLE};
	mt_handle_t h[4] = {0};
	long rc = MT_OK;
	for (unsigned i = 0; i < 4 && rc == MT_OK; i++)
		rc = mt_handle_grant(proc, ranges[i],
				     MT_R_MAP_R | (ranges[i] == MT_DEVMEM_NV_HANDLE ? MT_R_MAP_W : 0), 0,
				     &h[i]);
	if (rc == MT_OK)
		rc = mt_proc_start(proc, FLASH_START_ARG(ep_there, h[0], h[1], h[2], h[3]));
	return rc;
}

/* ---- the key service ----
 * It gets the flash driver, badged to read the firmware (to measure it)
 * and to read and write the key area, and the client table read-only.
 * Every TA instance gets its own badge on the key service, and the table
 * says which TA (UUID) holds it: init writes the entry before the instance
 * starts and clears it once the instance has ended; the service believes
 * nothing else. Slots are claimed by both of init's threads, with an
 * atomic compare-and-swap. */
static long start_keys(mt_handle_t proc, mt_handle_t ep_there)
{
	mt_handle_t flash = 0, table = 0;
	long rc = mt_handle_grant(proc, FLASH->ep, MT_R_CALL,
				  FLASH_READS(FLASH_R(FLASH_REGION_MONITOR) | FLASH_R(FLASH_REGION_KERNEL) |
					      FLASH_R(FLASH_REGION_BOOTFS)) |
				      FLASH_WRITES(FLASH_R(FLASH_REGION_KEYS)),
				  &flash);
	if (rc == MT_OK && keys_table_shm)
		rc = mt_handle_grant(proc, keys_table_shm, MT_R_MAP_R, 0, &table);
	if (rc == MT_OK)
		rc = mt_proc_start(proc, KEYS_START_ARG(ep_there, flash, table, keys_flags));
	return rc;
}

/* ---- the storage service ----
 * It gets the flash driver badged to write the storage region and nothing
 * else, the key service under KEY_BADGE_STORAGE (sealing for any owner it
 * names: it takes owners from this client table, which it maps read-only),
 * and the table, and the supervisor endpoint under SUP_BADGE_STORAGE,
 * which may raise the store's rollback counter and nothing else
 * (storage_ipc.h), and the RPC service under RPC_ALLOW_FS (the REE-FS
 * backend's files). A TA's storage handle carries the badge of its key
 * handle, so the table names the TA for both services, and init's clearing
 * of the entry when the TA ends tells both that it is gone. */
static long start_storage(mt_handle_t proc, mt_handle_t ep_there)
{
	mt_handle_t flash = 0, keys = 0, table = 0, sup = 0, rpc = 0;
	long rc = mt_handle_grant(proc, FLASH->ep, MT_R_CALL,
				  FLASH_WRITES(FLASH_R(FLASH_REGION_STORAGE)), &flash);
	if (rc == MT_OK)
		rc = mt_handle_grant(proc, KEYS->ep, MT_R_CALL, KEY_BADGE_STORAGE, &keys);
	if (rc == MT_OK && keys_table_shm)
		rc = mt_handle_grant(proc, keys_table_shm, MT_R_MAP_R, 0, &table);
	if (rc == MT_OK)
		/* The supervisor endpoint, for the store's rollback counter and
		 * nothing else (sup_server checks the badge). */
		rc = mt_handle_grant(proc, sup_ep, MT_R_CALL, SUP_BADGE_STORAGE, &sup);
	/* The RPC service, for tee-supplicant's file system and nothing else
	 * (the REE-FS backend); only this service gets RPC_ALLOW_FS. Without
	 * it the service runs on, and REE objects are not available. */
	if (rc == MT_OK && RPC->ep &&
	    mt_handle_grant(proc, RPC->ep, MT_R_CALL, RPC_ALLOW_FS, &rpc) != MT_OK)
		rpc = 0;
	if (rc == MT_OK)
		rc = mt_proc_start(
		    proc, STORE_START_ARG(ep_there, flash, keys, table, sup, storage_flags) |
		              STORE_START_ARG_RPC(rpc));
	return rc;
}

static struct {
	mt_handle_t proc;
} keys_owner[KEY_CLIENTS_MAX];
static uint64_t keys_badge_next = KEY_BADGE_FIRST_CLIENT;

/* Writes (badge, uuid) into a free entry of the client table, owned by
 * proc (forget_keys clears it); 0 if the table is full. */
static int keys_table_add(mt_handle_t proc, uint64_t badge, const uint8_t *uuid)
{
	for (unsigned i = 0; keys_table && i < KEY_CLIENTS_MAX; i++) {
		uint64_t free_slot = 0;
		if (!__atomic_compare_exchange_n(&keys_table[i].badge, &free_slot, badge, 0,
						 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			continue;
		/* Nobody calls with this badge before the instance starts. */
		for (unsigned j = 0; j < 16; j++)
			keys_table[i].uuid[j] = uuid[j];
		__atomic_store_n(&keys_owner[i].proc, proc, __ATOMIC_SEQ_CST);
		return 1;
	}
	return 0;
}

/* Grants `proc` a CALL handle to the key service under a new badge and,
 * for a TA (uuid not 0), records the badge's UUID in the client table.
 * Returns the handle's number in proc, or 0. */
static mt_handle_t grant_keys(mt_handle_t proc, const uint8_t *uuid, uint64_t *badge_out)
{
	uint64_t badge = __atomic_fetch_add(&keys_badge_next, 1, __ATOMIC_RELAXED);
	mt_handle_t h;
	if (badge_out)
		*badge_out = badge;
	if (!KEYS->ep || mt_handle_grant(proc, KEYS->ep, MT_R_CALL, badge, &h) != MT_OK)
		return 0;
	if (!uuid || keys_table_add(proc, badge, uuid))
		return h;
	/* A full table: the instance would not be known as a TA. */
	mt_handle_close(h);
	return 0;
}

/* `proc` has ended (called before init closes its handle). */
static void forget_keys(mt_handle_t proc)
{
	for (unsigned i = 0; keys_table && i < KEY_CLIENTS_MAX; i++) {
		if (__atomic_load_n(&keys_owner[i].proc, __ATOMIC_SEQ_CST) != proc)
			continue;
		__atomic_store_n(&keys_owner[i].proc, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&keys_table[i].badge, 0, __ATOMIC_SEQ_CST);
		for (unsigned j = 0; j < 16; j++)
			keys_table[i].uuid[j] = 0;
	}
}

/* ---- the supervisor endpoint: starting trusted applications ----
 * The gateway (and test programs standing in for it) ask init for TA
 * instances; init alone holds the spawner. Served by a second thread of
 * init, which shares nothing with the main thread but the handle table. */

static volatile unsigned long tas_started;
/* TA processes init made and holds a handle to (the supervisor thread),
 * and those it has seen end and closed (the main thread). */
static unsigned long tas_made, tas_reaped;
/* TA starts under way (the supervisor thread): a start holds memory, e.g.
 * the image buffer of a TA fetched from the normal world, before any TA
 * process exists, so the main thread's leak check waits for it. */
static unsigned long tas_starting;

static void uuid_name(char *out, uint64_t hi, uint64_t lo)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t u[16];
	for (int i = 0; i < 8; i++) {
		u[i] = (uint8_t)(hi >> (56 - 8 * i));
		u[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
	}
	char *p = out;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		*p++ = hex[u[i] >> 4];
		*p++ = hex[u[i] & 15];
	}
	strcpy(p, ".ta");
}

/* init's handle to the RPC service, badged to load TAs only. */
static mt_handle_t rpc_loader;

#define TEE_ERROR_SECURITY 0xFFFF000FU
#define TEE_ERROR_ACCESS_DENIED 0xFFFF0001U
#define TEE_ERROR_ITEM_NOT_FOUND 0xFFFF0008U
#define TEE_ERROR_OUT_OF_MEMORY 0xFFFF000CU
#define TEE_ERROR_COMMUNICATION 0xFFFF000EU
#define TEE_ERROR_NOT_SUPPORTED 0xFFFF000AU
/* The shared TA libraries an OP-TEE TA needs (loader_fetch_fn): each
 * fetched like a TA (the supplicant's /lib/optee_armtz/<uuid>.ta), its
 * signature checked by the crypto service for its own UUID, mapped at a
 * place of its own until release_libs(). */
static struct {
	mt_handle_t shm;
	unsigned long mapped;
} libs[PIE_LIBS_MAX];

static void release_libs(void)
{
	for (unsigned i = 0; i < PIE_LIBS_MAX; i++) {
		if (libs[i].mapped)
			mt_mem_unmap(LOADER_LIB_VA(i), libs[i].mapped);
		if (libs[i].shm)
			mt_handle_close(libs[i].shm);
		libs[i].shm = 0;
		libs[i].mapped = 0;
	}
}

static long fetch_lib(const uint8_t uuid[16], unsigned i, const uint8_t **elf, size_t *len)
{
	uint64_t hi = 0, lo = 0;
	for (int k = 0; k < 8; k++) {
		hi = hi << 8 | uuid[k];
		lo = lo << 8 | uuid[8 + k];
	}
	if (i >= PIE_LIBS_MAX || libs[i].shm || !rpc_loader ||
	    mt_shm_create(RPC_LOAD_TA_MAX, &libs[i].shm) != MT_OK)
		return MT_ENOMEM;
	struct mt_msg m = {{RPC_OP_LOAD_TA, hi, lo, RPC_LOAD_TA_MAX}, MT_XFER(libs[i].shm, 0, 0, 0), 0};
	if (mt_call(rpc_loader, &m) != MT_OK || m.w[0] != 0)
		return MT_ENOENT;
	struct mt_msg v = {{CRYPTO_OP_TA_VERIFY, m.w[1], hi, lo}, MT_XFER(libs[i].shm, 0, 0, 0), 0};
	if (mt_call(crypto_sup, &v) != MT_OK || v.w[0] != 0) {
		printf("[init] TA library: refused by the signature check: 0x%x\n", (unsigned)v.w[0]);
		return MT_EPERM;
	}
	long rc = MT_SYS_R1(&libs[i].mapped, SYS_SHM_MAP, libs[i].shm, LOADER_LIB_VA(i), MT_PROT_R);
	if (rc != MT_OK)
		return rc;
	if (v.w[1] + v.w[2] > libs[i].mapped)
		return MT_EINVAL;
	*elf = (const uint8_t *)LOADER_LIB_VA(i) + v.w[1];
	*len = v.w[2];
	return MT_OK;
}

/* A TA that is not in the boot file system: the supplicant's file
 * /lib/optee_armtz/<uuid>.ta, fetched through the RPC service into secure
 * memory, its signature checked by the crypto service (the key is built
 * into the secure image), then loaded by init. Returns a TEE_Result; on
 * success *proc is the new process, not started. */
static uint32_t load_ta_from_ree(const char *name, uint64_t hi, uint64_t lo,
				 const uint8_t uuid[16], mt_handle_t *proc)
{
	mt_handle_t img;
	if (!rpc_loader || mt_shm_create(RPC_LOAD_TA_MAX, &img) != MT_OK)
		return TEE_ERROR_OUT_OF_MEMORY;
	struct mt_msg m = {{RPC_OP_LOAD_TA, hi, lo, RPC_LOAD_TA_MAX}, MT_XFER(img, 0, 0, 0), 0};
	long rc = mt_call(rpc_loader, &m);
	uint32_t res = rc == MT_OK ? (uint32_t)m.w[0] : TEE_ERROR_COMMUNICATION;
	uint64_t size = m.w[1];
	if (res == 0) {
		struct mt_msg v = {{CRYPTO_OP_TA_VERIFY, size, hi, lo}, MT_XFER(img, 0, 0, 0), 0};
		rc = mt_call(crypto_sup, &v);
		res = rc == MT_OK ? (uint32_t)v.w[0] : TEE_ERROR_SECURITY;
		uint64_t off = v.w[1], elf_size = v.w[2];
		unsigned long mapped = 0;
		uint32_t version = (uint32_t)v.w[3];
		/* An authentic image older than one that has run maps nothing. */
		if (res == 0)
			res = rollback_check(name, uuid, version);
		if (res == 0 &&
		    MT_SYS_R1(&mapped, SYS_SHM_MAP, img, LOADER_VA(LOADER_SLOT_SUP), MT_PROT_R) ==
			    MT_OK) {
			/* (The crypto service checked off + elf_size <= size <= mapped.) */
			const uint8_t *elf = (const uint8_t *)LOADER_VA(LOADER_SLOT_SUP) + off;
			/* An OP-TEE TA binary runs beside the OP-TEE personality. */
			if (off + elf_size > mapped)
				rc = MT_EINVAL;
			else if (loader_is_pie(elf, elf_size)) {
				rc = loader_load_utee(name, elf, elf_size, uuid, PRIO_TA, &ta_quota,
						      MT_SPAWN_CONSOLE, proc, fetch_lib);
				release_libs();
			} else
				rc = loader_load_elf(name, elf, elf_size, PRIO_TA, &ta_quota,
						     MT_SPAWN_CONSOLE, proc);
			if (rc != MT_OK)
				res = rc == MT_ENOMEM || rc == MT_EQUOTA ? TEE_ERROR_OUT_OF_MEMORY
				      : rc == MT_ENOSYS || rc == MT_ENOENT ? TEE_ERROR_NOT_SUPPORTED
									   : TEE_ERROR_SECURITY;
			mt_mem_unmap(LOADER_VA(LOADER_SLOT_SUP), mapped);
			/* It is built and about to run: from now on nothing older may. */
			if (res == 0 && (res = rollback_commit(name, uuid, version)) != 0) {
				mt_proc_kill(*proc);
				mt_handle_close(*proc);
			}
		} else if (res == 0) {
			res = TEE_ERROR_OUT_OF_MEMORY;
		}
		if (res == 0)
			printf("[init] TA %s from the normal world: %lu bytes, signed version %u\n",
			       name, (unsigned long)size, (unsigned)version);
	}
	mt_handle_close(img);
	if (res != 0)
		printf("[init] TA %s: not in the boot file system; from the normal world: 0x%x\n",
		       name, (unsigned)res);
	return res;
}

/* The log level for the TA of image name "<uuid>.ta" that the command
 * line's ta_log= gives, in TA_START_ARG2's form: 0 if it says nothing. */
static unsigned ta_log_arg(const char *name)
{
	int level = talog_level(boot_args, name);
	return level < 0 ? 0 : (unsigned)level + 1;
}

/* Starts the TA named by a UUID; on success *ep is a CALL handle to its
 * endpoint and *proc a handle to the process, both in init's table. On an
 * error, *res may say what the client is to be told. */
static long start_ta(uint64_t hi, uint64_t lo, mt_handle_t *ep_out, mt_handle_t *proc_out,
		     uint32_t *res)
{
	char name[TA_IMAGE_NAME_LEN + 1];
	uuid_name(name, hi, lo);
	uint8_t uuid[16]; /* the UUID's bytes, as GP and the signed header have them */
	for (int i = 0; i < 8; i++) {
		uuid[i] = (uint8_t)(hi >> (56 - 8 * i));
		uuid[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
	}
	mt_handle_t proc, ep = 0, ep_ta = 0, ep_call = 0;
	if (rollback_reserved(uuid)) {
		/* The store's rollback counter's: no TA may be known by it. */
		printf("[init] TA %s refused: the UUID is reserved\n", name);
		*res = TEE_ERROR_ITEM_NOT_FOUND;
		return MT_ENOENT;
	}
	if (!ta_admissible()) {
		printf("[init] TA %s refused: no room for another instance's quota\n", name);
		*res = TEE_ERROR_OUT_OF_MEMORY;
		return MT_ENOMEM;
	}
	long rc = loader_spawn(name, PRIO_TA, &ta_quota, MT_SPAWN_CONSOLE, LOADER_SLOT_SUP, &proc);
	/* Boot-time TAs take precedence, as OP-TEE's early TAs do. */
	if (rc == MT_ENOENT && (*res = load_ta_from_ree(name, hi, lo, uuid, &proc)) == 0)
		rc = MT_OK;
	if (rc != MT_OK)
		return rc;
	__atomic_fetch_add(&tas_made, 1, __ATOMIC_SEQ_CST);
	/* The key service first: it is the instance's handle TA_KEYS_HANDLE. */
	uint64_t ta_badge = 0;
	mt_handle_t keys = grant_keys(proc, uuid, &ta_badge);
	/* The storage service under the same badge: the client table names
	 * the instance for it too. */
	mt_handle_t store = 0;
	if (!keys || !STORAGE->ep ||
	    mt_handle_grant(proc, STORAGE->ep, MT_R_CALL, ta_badge, &store) != MT_OK)
		store = 0;
	/* Each instance its own badge: its keys are its own. (Forgotten
	 * again when init sees the instance end, however it ends.) */
	uint64_t crypto_badge = 0;
	mt_handle_t crypto = grant_crypto_badge(proc, &crypto_badge);
	/* The crypto service asks the key service to bind the instance's
	 * persistent keys to its UUID, naming it by this badge (key_ipc.h,
	 * KEY_CLIENT_CRYPTO); without the entry it has no persistent keys. */
	if (crypto && !keys_table_add(proc, crypto_badge | KEY_CLIENT_CRYPTO, uuid))
		printf("[init] TA %s: the client table is full: no persistent keys\n", name);
	/* Its way to the normal world's clock and plugins, and nothing else. */
	mt_handle_t rpc = 0;
	if (mt_handle_grant(proc, RPC->ep, MT_R_CALL, RPC_BADGE_TA, &rpc) != MT_OK)
		rpc = 0;
	rc = mt_ep_create(&ep);
	if (rc == MT_OK)
		rc = mt_handle_grant(proc, ep, MT_R_RECV, 0, &ep_ta);
	if (rc == MT_OK)
		rc = mt_handle_grant(0, ep, MT_R_CALL | MT_R_GRANT, 0, &ep_call);
	if (rc == MT_OK)
		rc = MT_SYS(SYS_PROC_START, proc, TA_START_ARG_ALL(ep_ta, crypto, keys, rpc),
			    TA_START_ARG2(store, ta_log_arg(name)));
	if (ep)
		mt_handle_close(ep);
	if (rc != MT_OK) {
		forget_keys(proc);
		mt_proc_kill(proc);
		return rc;
	}
	tas_started++;
	printf("[init] started TA %s\n", name);
	*ep_out = ep_call;
	*proc_out = proc;
	return MT_OK;
}

static void sup_server(void *arg)
{
	(void)arg;
	struct mt_msg m;
	long rc = mt_recv(sup_ep, &m);
	while (rc == MT_OK) {
		mt_handle_t ep = 0, proc = 0, proc_out = 0;
		for (unsigned i = 0; i < MT_XFER_MAX; i++)
			if (MT_XFER_GET(m.handle, i))
				mt_handle_close(MT_XFER_GET(m.handle, i));
		long st = MT_EINVAL;
		uint32_t res = 0;
		if (m.w[0] == SUP_OP_STORE_COUNTER_GET || m.w[0] == SUP_OP_STORE_COUNTER_RAISE) {
			/* The storage service's badge only; it names no entry. */
			uint64_t counter = 0;
			uint32_t r = m.badge == SUP_BADGE_STORAGE
					     ? rollback_store_counter(m.w[0], m.w[1], &counter)
					     : TEE_ERROR_ACCESS_DENIED;
			m = (struct mt_msg){{r, counter, 0, 0}, 0, 0};
			mt_reply_recv(sup_ep, &m, MT_RR_REPLY);
			rc = mt_recv(sup_ep, &m);
			continue;
		}
		if (m.w[0] == SUP_OP_START_TA && m.badge != SUP_BADGE_STORAGE) {
			__atomic_fetch_add(&tas_starting, 1, __ATOMIC_SEQ_CST);
			st = start_ta(m.w[1], m.w[2], &ep, &proc, &res);
			__atomic_fetch_sub(&tas_starting, 1, __ATOMIC_SEQ_CST);
		}
		/* The caller gets control of the instance, init keeps its own
		 * handle to learn when it ends. */
		if (st == MT_OK)
			st = mt_handle_grant(0, proc, MT_R_CONTROL | MT_R_GRANT, 0, &proc_out);
		struct mt_msg r = {{(uint64_t)st, st == MT_OK ? 0 : res},
				   st == MT_OK ? MT_XFER(ep, proc_out, 0, 0) : 0, 0};
		m = r;
		mt_reply_recv(sup_ep, &m, MT_RR_REPLY);
		/* The reply carried copies: drop ours before anything else
		 * happens, so init holds exactly one handle per TA instance
		 * (the one its child events name). */
		if (ep)
			mt_handle_close(ep);
		if (proc_out)
			mt_handle_close(proc_out);
		rc = mt_recv(sup_ep, &m);
	}
	printf("[init] supervisor endpoint failed: %ld\n", rc);
}


/* Spawns a program that talks to the services, each handle badged so the
 * services can tell callers apart; with `sup` it gets the supervisor
 * endpoint in the counter's place; with `crypto`, two handles to the crypto
 * service under two different badges in the places of echo and counter;
 * with both, one crypto handle in echo's place and the supervisor in the
 * counter's.
 * Returns the process handle or 0. */
static mt_handle_t spawn_client(const char *prog, unsigned long test, unsigned long badge, int sup,
				int crypto, int console)
{
	mt_handle_t proc, e = 0, c = 0;
	long rc = loader_spawn(prog, PRIO_CLIENT, &prog_quota, console ? MT_SPAWN_CONSOLE : 0,
			       LOADER_SLOT_MAIN, &proc);
	if (rc == MT_OK && strcmp(prog, "test_flash") == 0) {
		/* The flash driver under badge 0, under a read-only badge, and
		 * under one that reads the storage region only. */
		mt_handle_t none = 0, ro = 0, st = 0;
		rc = mt_handle_grant(proc, FLASH->ep, MT_R_CALL, 0, &none);
		if (rc == MT_OK)
			rc = mt_handle_grant(proc, FLASH->ep, MT_R_CALL,
					     FLASH_READS(FLASH_R(FLASH_REGION_BOOTFS)), &ro);
		if (rc == MT_OK)
			rc = mt_handle_grant(proc, FLASH->ep, MT_R_CALL,
					     FLASH_READS(FLASH_R(FLASH_REGION_STORAGE)), &st);
		if (rc == MT_OK)
			rc = mt_proc_start_args(proc, DEMO_ARG(test, none, ro) | (unsigned long)st << 24,
						boot_args);
		if (rc != MT_OK) {
			printf("[init] cannot start %s: %ld\n", prog, rc);
			return 0;
		}
		return proc;
	}
	if (rc == MT_OK && strcmp(prog, "test_storage") == 0) {
		/* The storage tests: the supervisor (to start TAs) and the
		 * storage service under a badge that names no TA (its test
		 * hooks). */
		mt_handle_t sv = 0, st = 0;
		rc = mt_handle_grant(proc, sup_ep, MT_R_CALL, badge, &sv);
		if (rc == MT_OK)
			rc = mt_handle_grant(proc, STORAGE->ep, MT_R_CALL, badge, &st);
		if (rc == MT_OK)
			rc = mt_proc_start_args(proc, STORE_TEST_ARG(test, sv, st), boot_args);
		if (rc != MT_OK) {
			printf("[init] cannot start %s: %ld\n", prog, rc);
			return 0;
		}
		return proc;
	}
	if (rc == MT_OK && strcmp(prog, "test_keys") == 0) {
		/* The key-service tests: crypto (to crash it), the supervisor
		 * (to start TAs), and the key service under a badge that names
		 * no TA. */
		mt_handle_t cr = grant_crypto(proc), k = grant_keys(proc, 0, 0), sv = 0;
		rc = cr && k ? mt_handle_grant(proc, sup_ep, MT_R_CALL, badge, &sv) : MT_ENOSPACE;
		if (rc == MT_OK)
			rc = mt_proc_start_args(proc, KEYS_TEST_ARG(test, cr, sv, k), boot_args);
		if (rc != MT_OK) {
			printf("[init] cannot start %s: %ld\n", prog, rc);
			return 0;
		}
		return proc;
	}
	if (rc == MT_OK && crypto) {
		e = grant_crypto(proc);
		if (sup) /* one crypto handle, and the supervisor */
			rc = mt_handle_grant(proc, sup_ep, MT_R_CALL, badge, &c);
		else
			c = grant_crypto(proc);
		rc = rc == MT_OK && e && c ? MT_OK : MT_ENOSPACE;
	}
	if (rc == MT_OK && !crypto)
		rc = mt_handle_grant(proc, ECHO->ep, MT_R_CALL, badge, &e);
	if (rc == MT_OK && !crypto)
		rc = mt_handle_grant(proc, sup ? sup_ep : COUNTER->ep, MT_R_CALL, badge, &c);
	if (rc == MT_OK)
		rc = mt_proc_start_args(proc, DEMO_ARG(test, e, c), boot_args);
	if (rc != MT_OK) {
		printf("[init] cannot start %s: %ld\n", prog, rc);
		return 0;
	}
	return proc;
}

/* Restarts a service that died; returns 1 if ev was one of them. */
static int supervise(const struct mt_child_event *ev)
{
	for (unsigned i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		struct service *s = &services[i];
		if (s->proc != ev->proc)
			continue;
		mt_handle_close(s->proc);
		s->proc = 0;
		if (++s->restarts > MAX_RESTARTS) {
			printf("[init] %s keeps dying; not restarting\n", s->name);
			return 1;
		}
		if (start_service(s) == MT_OK)
			printf("[init] restarted %s (pid %lu)\n", s->name, s->pid);
		return 1;
	}
	return 0;
}

/* Prints how a child ended (and, if it faulted, its crash report, which
 * names it exactly: crash.c), then forgets what init knew of its image. */
static void report(const struct mt_child_event *ev, const char *name)
{
	if (ev->reason == MT_CHILD_FAULTED) {
		printf("[init] child %s (pid %lu) faulted: %s at 0x%lx, esr 0x%lx\n", name, ev->pid,
		       fault_name(ev->fault), ev->addr, ev->esr);
		crash_report(ev);
	} else {
		printf("[init] child %s (pid %lu) %s, code %ld\n", name, ev->pid, reason_name(ev->reason),
		       ev->code);
	}
	crash_forget(ev->proc);
}

/* Runs `prog` and waits for it, supervising the services meanwhile. */
static int run_and_wait(const char *prog, unsigned long test, int sup, int crypto, int console,
			struct mt_child_event *out)
{
	mt_handle_t proc = spawn_client(prog, test, 0x100 + test, sup, crypto, console);
	if (!proc)
		return -1;
	for (;;) {
		struct mt_child_event ev;
		long rc = mt_wait_child(&ev, 0);
		if (rc != MT_OK) {
			printf("[init] wait failed: %ld\n", rc);
			return -1;
		}
		const char *name = ev.proc == proc ? prog : "service";
		for (unsigned i = 0; i < sizeof(services) / sizeof(services[0]); i++)
			if (services[i].proc == ev.proc)
				name = services[i].name;
		report(&ev, name);
		if (supervise(&ev))
			continue;
		forget_crypto(ev.proc);
		forget_keys(ev.proc);
		if (ev.proc != proc) {
			mt_handle_close(ev.proc); /* a TA instance ended */
			__atomic_fetch_add(&tas_reaped, 1, __ATOMIC_SEQ_CST);
			continue;
		}
		if (ev.proc == proc) {
			mt_handle_close(proc);
			*out = ev;
			return 0;
		}
	}
}

/* What is free in the kernel's pools plus what the running services hold,
 * for each kind (MT_Q_*): the services may grow (heap, page tables for
 * shared mappings) without that being a leak, but anything else that a
 * finished program, TA or dead service held must be back in the pools. */
static void pool_census(unsigned long out[MT_Q_KINDS])
{
	struct mt_proc_info pi;
	mt_proc_info(0, &pi);
	for (unsigned k = 0; k < MT_Q_KINDS; k++)
		out[k] = pi.kernel_free[k];
	for (unsigned i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (services[i].proc && mt_proc_info(services[i].proc, &pi) == MT_OK)
			for (unsigned k = 0; k < MT_Q_KINDS; k++)
				out[k] += pi.used[k];
}

struct scenario {
	const char *name;
	const char *prog;
	unsigned long arg;
	long reason;          /* how the program must end */
	unsigned long fault;  /* for MT_CHILD_FAULTED */
	int sup;              /* gets the supervisor endpoint instead of counter's */
	int crypto;           /* gets two crypto-service handles instead (two badges) */
	int crypto_hooks;     /* the crypto service honours its test requests */
	int no_console;       /* spawned without the console right (MT_SPAWN_CONSOLE) */
};

static const struct scenario scenarios[] = {
	{"demo", "client", 0, MT_CHILD_EXITED, 0, 0, 0, 0, 0},
	{"fault_unmapped", "test_fault", 1, MT_CHILD_FAULTED, MT_FAULT_DATA_ABORT, 0, 0, 0, 0},
	{"fault_write_code", "test_fault", 2, MT_CHILD_FAULTED, MT_FAULT_DATA_ABORT, 0, 0, 0, 0},
	{"fault_exec_data", "test_fault", 3, MT_CHILD_FAULTED, MT_FAULT_INSN_ABORT, 0, 0, 0, 0},
	{"fault_kernel_read", "test_fault", 4, MT_CHILD_FAULTED, MT_FAULT_DATA_ABORT, 0, 0, 0, 0},
	{"fault_kernel_write", "test_fault", 5, MT_CHILD_FAULTED, MT_FAULT_DATA_ABORT, 0, 0, 0, 0},
	{"fault_undef", "test_fault", 6, MT_CHILD_FAULTED, MT_FAULT_UNDEFINED, 0, 0, 0, 0},
	{"fault_exec_kernel", "test_fault", 7, MT_CHILD_FAULTED, MT_FAULT_INSN_ABORT, 0, 0, 0, 0},
	{"fault_monitor_read", "test_fault", 8, MT_CHILD_FAULTED, MT_FAULT_DATA_ABORT, 0, 0, 0, 0},
	{"ipc", "test_ipc", 1, MT_CHILD_EXITED, 0, 0, 0, 0, 0},
	{"peer_dead", "test_ipc", 2, MT_CHILD_EXITED, 0, 0, 0, 0, 0},
	{"isolation", "test_ipc", 3, MT_CHILD_EXITED, 0, 0, 0, 0, 0},
	{"fuzz", "test_fuzz", 0, MT_CHILD_EXITED, 0, 0, 0, 0, 0},
	{"sched", "test_sched", 0, MT_CHILD_EXITED, 0, 0, 0, 0, 0},
	{"mem", "test_mem", 0, MT_CHILD_EXITED, 0, 0, 0, 0, 0},
	/* System call user dispatch (SYS_DISPATCH_SET): everything; then a
	 * dispatch whose frame was unmapped ends the process. */
	{"dispatch", "test_dispatch", 1, MT_CHILD_EXITED, 0, 0, 0, 0, 0},
	{"dispatch_frame_gone", "test_dispatch", 2, MT_CHILD_FAULTED, MT_FAULT_OTHER, 0, 0, 0, 0},
	/* The flash driver's protocol, as a client sees it. */
	{"flash", "test_flash", 0, MT_CHILD_EXITED, 0, 0, 0, 0, 0},
	{"ipc_bench", "ipc_bench", 0, MT_CHILD_EXITED, 0, 0, 0, 0, 0},
	{"ta", "test_ta", 0, MT_CHILD_EXITED, 0, 1, 0, 1, 0},
	{"crypto_service", "test_crypto", 0, MT_CHILD_EXITED, 0, 0, 1, 1, 0},
	{"crypto_vectors", "test_ta_crypto", 0, MT_CHILD_EXITED, 0, 1, 0, 1, 0},
	/* The key service (test_keys gets its own handles, see spawn_client). */
	{"keys", "test_keys", 0, MT_CHILD_EXITED, 0, 0, 0, 1, 0},
	{"keys_steal_flash", "test_keys", 1, MT_CHILD_FAULTED, MT_FAULT_DATA_ABORT, 0, 0, 1, 0},
	{"keys_bench", "test_keys", 2, MT_CHILD_EXITED, 0, 0, 0, 1, 0},
	{"keys_id", "test_keys", 3, MT_CHILD_EXITED, 0, 0, 0, 1, 0},
	/* The storage service and the GP storage API (test_storage, the
	 * storage_test TAs): everything; then two boots on one flash image
	 * (tests/system/storage.sh): write, and check after the reboot. */
	{"storage", "test_storage", 0, MT_CHILD_EXITED, 0, 0, 0, 1, 0},
	{"storage_put", "test_storage", 1, MT_CHILD_EXITED, 0, 0, 0, 1, 0},
	{"storage_check", "test_storage", 2, MT_CHILD_EXITED, 0, 0, 0, 1, 0},
	/* The store's rollback counter (tests/system/storage.sh): more
	 * commits; the older storage blocks put back; a cut between a commit
	 * and its raise, and the boot after it. */
	{"storage_more", "test_storage", 3, MT_CHILD_EXITED, 0, 0, 0, 1, 0},
	{"storage_rolled", "test_storage", 4, MT_CHILD_EXITED, 0, 0, 0, 1, 0},
	{"storage_cut", "test_storage", 5, MT_CHILD_EXITED, 0, 0, 0, 1, 0},
	{"storage_cut_check", "test_storage", 6, MT_CHILD_EXITED, 0, 0, 0, 1, 0},
	/* Power cuts under QEMU (tests/system/power.sh): the workload that is
	 * cut, and the check after the cut. */
	{"power_work", "test_storage", 7, MT_CHILD_EXITED, 0, 0, 0, 1, 0},
	{"power_check", "test_storage", 8, MT_CHILD_EXITED, 0, 0, 0, 1, 0},
	/* Without the console right, writes to the console are refused. */
	{"console_denied", "test_fault", 9, MT_CHILD_EXITED, 0, 0, 0, 0, 1},
	/* Many crypto clients end while the service is stalled (issue 13 item 11). */
	{"crypto_gone", "test_gone", 0, MT_CHILD_EXITED, 0, 1, 1, 1, 0},
	/* Test hooks off: the hostile TA tries them too. */
	{"hostile_ta", "test_hostile", 0, MT_CHILD_EXITED, 0, 1, 0, 0, 0},
	/* The crash TA faults and panics: crash reports (tests/system/crash.sh). */
	{"crash_report", "test_crash", 0, MT_CHILD_EXITED, 0, 1, 0, 0, 0},
};

static const char *cmdline_value(const char *cmdline, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = cmdline; *p; p++)
		if ((p == cmdline || p[-1] == ' ') && strncmp(p, key, n) == 0)
			return p + n;
	return 0;
}

static int value_is(const char *v, const char *name)
{
	size_t n = strlen(name);
	return v && strncmp(v, name, n) == 0 && (v[n] == '\0' || v[n] == ' ');
}

/* Is `word` one of the command line's space-separated words? */
static int has_word(const char *cmdline, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = cmdline; *p; p++)
		if ((p == cmdline || p[-1] == ' ') && strncmp(p, word, n) == 0 &&
		    (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

#define LEAK_CHECK_DELAY_NS 100000000ULL /* 100 ms */
#define LEAK_CHECK_TRIES 10

/* A normal world is up: stay, keep the services supervised. Whenever the
 * last TA instance has ended, check (a little later: the gateway and the
 * crypto service let go of an instance's objects after it ends) that
 * everything the instances held is back: the pools and the services'
 * holdings are as they were at start-up (`baseline`, pool_census). */
static void supervise_forever(const unsigned long baseline[MT_Q_KINDS])
{
	printf("[init] supervising; the normal world has the CPU when we are idle\n");
	int pending = 0, tries = 0;
	for (;;) {
		struct mt_child_event ev;
		long rc = mt_wait_child(&ev, pending ? LEAK_CHECK_DELAY_NS : 0);
		if (rc == MT_OK) {
			int service = 0;
			for (unsigned i = 0; i < sizeof(services) / sizeof(services[0]); i++)
				service |= services[i].proc == ev.proc;
			report(&ev, service ? "service" : "TA");
			if (!supervise(&ev)) {
				forget_crypto(ev.proc);
				forget_keys(ev.proc);
				mt_handle_close(ev.proc); /* a TA instance ended */
				__atomic_fetch_add(&tas_reaped, 1, __ATOMIC_SEQ_CST);
				pending = 1;
				tries = 0;
			}
		} else if (rc == MT_ETIMEDOUT && pending) {
			unsigned long made = __atomic_load_n(&tas_made, __ATOMIC_SEQ_CST);
			if (made != tas_reaped) {
				pending = 0; /* a TA runs again: checked when it ends */
				continue;
			}
			/* A start under way holds memory that no TA shows yet: look
			 * again later (a start that fails makes no TA to end). */
			if (__atomic_load_n(&tas_starting, __ATOMIC_SEQ_CST))
				continue;
			unsigned long now[MT_Q_KINDS];
			pool_census(now);
			if (__atomic_load_n(&tas_starting, __ATOMIC_SEQ_CST) ||
			    __atomic_load_n(&tas_made, __ATOMIC_SEQ_CST) != made)
				continue; /* one began meanwhile */
			int same = 1;
			for (unsigned k = 0; k < MT_Q_KINDS; k++)
				same &= now[k] == baseline[k];
			if (same) {
				printf("[init] leak check, no TA running: OK\n");
				unsigned long rv[7] = {MT_SPAWNER_HANDLE, MT_BENCH_RV_REPORT};
				mt_syscall(SYS_BENCH_CTL, rv);
				pending = 0;
			} else if (++tries == LEAK_CHECK_TRIES) {
				for (unsigned k = 0; k < MT_Q_KINDS; k++)
					if (now[k] != baseline[k])
						printf("[init] leak check, no TA running: %lu %s free at "
						       "start, %lu now\n",
						       baseline[k], kind_names[k], now[k]);
				pending = 0;
			}
		} else if (rc != MT_ETIMEDOUT) {
			mt_sleep_ns(1000000000ULL);
		}
	}
}

int mt_main(unsigned long cmdline_ptr, unsigned long arg2)
{
	(void)arg2;
	const char *cmdline = (const char *)cmdline_ptr;
	printf("[init] MicroTEE init, command line '%s'\n", cmdline);
	boot_args = cmdline;
	if (loader_init() != MT_OK) {
		printf("[init] cannot map the boot file system\n[init] RESULT: FAIL\n");
		mt_poweroff();
	}

	/* Without test=, a production boot: the services, and no scenario. */
	const char *want = cmdline_value(cmdline, "test=");
	production = !want;
	const struct scenario *sc = &scenarios[0];
	if (want) {
		sc = 0;
		for (unsigned i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
			if (value_is(want, scenarios[i].name))
				sc = &scenarios[i];
		if (!sc) {
			printf("[init] unknown test '%s'\n[init] RESULT: FAIL\n", want);
			mt_poweroff();
		}
	}
	if (!production && sc->crypto_hooks) {
		crypto_flags |= CRYPTO_START_TEST_HOOKS;
		keys_flags |= KEYS_START_TEST_HOOKS;
		storage_flags |= STORE_START_TEST_HOOKS;
	}
	/* The key service's client table. */
	size_t table_size = 0;
	if (mt_shm_create(sizeof(struct key_client) * KEY_CLIENTS_MAX, &keys_table_shm) == MT_OK)
		keys_table = mt_shm_map_any(keys_table_shm, MT_PROT_R | MT_PROT_W, &table_size);
	if (!keys_table)
		printf("[init] no client table for the key service\n");
	if (!production &&
	    ((sc->arg == 0 && strcmp(sc->prog, "ipc_bench") == 0) || strcmp(sc->name, "keys_bench") == 0))
		MT_SYS(SYS_BENCH_CTL, MT_SPAWNER_HANDLE, MT_BENCH_PMU_ENABLE);

	mt_handle_t sup_thread;
	if (mt_ep_create(&sup_ep) != MT_OK ||
	    mt_thread_create(sup_server, 0, PRIO_SUPERVISOR, &sup_thread) != MT_OK) {
		printf("[init] cannot start the supervisor endpoint\n[init] RESULT: FAIL\n");
		mt_poweroff();
	}
	if (!plan_check()) {
		printf("[init] RESULT: FAIL\n");
		mt_poweroff();
	}

	for (unsigned i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		if (production && services[i].test_only)
			continue;
		if ((!services[i].ep && mt_ep_create(&services[i].ep) != MT_OK) ||
		    start_service(&services[i]) != MT_OK) {
			printf("[init] RESULT: FAIL\n");
			mt_poweroff();
		}
		printf("[init] started %s (pid %lu)\n", services[i].name, services[i].pid);
		if (&services[i] == FLASH) {
			mt_handle_t h;
			if (mt_handle_grant(0, FLASH->ep, MT_R_CALL, INIT_FLASH_BADGE, &h) != MT_OK) {
				printf("[init] no handle to the flash driver\n[init] RESULT: FAIL\n");
				mt_poweroff();
			}
			loader_use_flash(h);
			rollback_init(h);
		}
	}
	if (mt_handle_grant(0, RPC->ep, MT_R_CALL, RPC_ALLOW_LOAD_TA, &rpc_loader) != MT_OK)
		printf("[init] no handle to the RPC service: TAs come from the boot file system only\n");
	mt_handle_t notifier_thread;
	if (mt_handle_grant(0, CRYPTO->ep, MT_R_CALL, CRYPTO_BADGE_SUPERVISOR, &crypto_sup) != MT_OK ||
	    mt_ep_create(&notifier_ep) != MT_OK ||
	    mt_thread_create(notifier, 0, PRIO_SUPERVISOR, &notifier_thread) != MT_OK)
		printf("[init] cannot start the crypto notifier\n");

	struct mt_proc_info info;
	unsigned long free_at_start[MT_Q_KINDS], free_now[MT_Q_KINDS];
	pool_census(free_at_start);
	unsigned long kinfo[7] = {MT_SPAWNER_HANDLE, MT_BENCH_KERNEL_INFO};
	if (mt_syscall(SYS_BENCH_CTL, kinfo) == MT_OK)
		printf("[init] secure_ram_used_kib: %lu (kernel image %lu KiB)\n", kinfo[2] / 1024,
		       kinfo[1] / 1024);

	if (production) {
		printf("[init] production boot: the services are up; no test scenario\n");
		if (has_word(cmdline, "nw"))
			supervise_forever(free_at_start);
		mt_poweroff();
	}

	int ok = 1;
	struct mt_child_event ev;
	printf("[init] scenario %s: running %s\n", sc->name, sc->prog);
	if (run_and_wait(sc->prog, sc->arg, sc->sup, sc->crypto, !sc->no_console, &ev) != 0)
		ok = 0;
	else if (ev.reason != sc->reason || (sc->reason == MT_CHILD_FAULTED && ev.fault != sc->fault) ||
		 (sc->reason == MT_CHILD_EXITED && ev.code != 0))
		ok = 0;
	printf("[init] scenario %s: %s ended as expected: %s\n", sc->name, sc->prog, ok ? "yes" : "no");

	/* Whatever happened, the rest of the system must still work. */
	if (strcmp(sc->prog, "client") != 0) {
		if (run_and_wait("client", 0, 0, 0, 1, &ev) != 0 || ev.reason != MT_CHILD_EXITED ||
		    ev.code != 0)
			ok = 0;
	}
	/* Every page a finished program or a dead service held must be back
	 * in the pool: free pages plus what live services hold is constant.
	 * (The crypto service lets go of a client's window when told the
	 * client ended.) */
	crypto_settle();
	/* Every crypto client that ended was told to the service. */
	unsigned ended = __atomic_load_n(&gone_ended, __ATOMIC_SEQ_CST),
		 told = __atomic_load_n(&gone_told, __ATOMIC_SEQ_CST);
	printf("[init] crypto notices: %u clients ended, %u told to the service\n", ended, told);
	if (ended != told)
		ok = 0;
	mt_proc_info(0, &info);
	printf("[init] secure RAM: %lu of %lu kernel pages free\n", info.kernel_free_pages,
	       info.kernel_total_pages);
	pool_census(free_now);
	int leaked = 0;
	for (unsigned k = 0; k < MT_Q_KINDS; k++) {
		if (free_now[k] == free_at_start[k])
			continue;
		printf("[init] leak check: %lu %s free at start, %lu now\n", free_at_start[k],
		       kind_names[k], free_now[k]);
		leaked = 1;
	}
	if (leaked)
		ok = 0;
	else
		printf("[init] leak check: OK (%lu pages, %lu threads, %lu endpoints, %lu "
		       "shared-memory objects, %lu processes)\n",
		       free_now[MT_Q_PAGES], free_now[MT_Q_THREADS], free_now[MT_Q_ENDPOINTS],
		       free_now[MT_Q_SHMS], free_now[MT_Q_PROCS]);
	printf("[init] RESULT: %s\n", ok ? "PASS" : "FAIL");
	if (has_word(cmdline, "nw"))
		supervise_forever(free_at_start);
	mt_poweroff();
	return 0;
}
