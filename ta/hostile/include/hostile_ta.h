/* The hostile TA's interface, shared with the secure-world program that
 * drives it (tests/progs/test_hostile, scenario `hostile_ta`).
 *
 * Two instances of this TA play two parts. The victim holds crypto state
 * (an AES key, an AES-CBC operation with that key, an ECDSA key pair) and a
 * secret shared-memory object, and reports their ids and handle number.
 * The attacker, given those numbers by the driver, tries to use them with
 * its own crypto-service handle, sends malformed requests straight to the
 * crypto service, and tries system calls on handles it was never given.
 * Every attempt must fail with an error; the victim must keep working. */
#ifndef HOSTILE_TA_H
#define HOSTILE_TA_H

/* 36652c77-5b6e-4b11-8ed8-9869d0b1cb07 */
/* clang-format off */
#define TA_HOSTILE_UUID \
	{ 0x36652c77, 0x5b6e, 0x4b11, { 0x8e, 0xd8, 0x98, 0x69, 0xd0, 0xb1, 0xcb, 0x07 } }
/* clang-format on */
#define TA_HOSTILE_UUID_STR "36652c77-5b6e-4b11-8ed8-9869d0b1cb07"

/* Commands:
 * VICTIM_SETUP  [0] value out: a = the AES key's object id, b = the AES-CBC operation's id
 *               [1] value out: a = the ECDSA key pair's object id,
 *                              b = the handle number of the secret shared memory
 *               (ids as the crypto service knows them, behind the GP handles)
 * VICTIM_CHECK  [0] value out: a = checks passed, b = checks failed
 *               Encrypts SP 800-38A F.2.1 with the kept operation and with a new
 *               one on the kept key, signs and verifies with the kept key pair,
 *               checks the key's info and the secret memory.
 *               TEE_SUCCESS only if every check passed.
 * ATTACK        [0] value in: a = which attack (TA_HOSTILE_ATTACK_*)
 *               [1] value in: a = victim's AES object id, b = its operation id
 *               [2] value in: a = victim's ECDSA object id, b = its secret handle number
 *               [3] value out: a = attempts made, b = attempts that did not fail as
 *               they must. TEE_SUCCESS only if b is 0.
 * DIE           The attacker ends by a fault while holding crypto state (an object
 *               and an operation in progress): the call never returns.
 * KEEP_MEMREF   [0] memref in   [1] value out: a = 1 if it kept a second mapping of
 *               the reference's object and a copy of its handle, b = 1 if it could
 *               map that input reference's object writable
 * KEPT_MAP      [0] value out: a = the status of mapping the kept handle again
 * KEPT_READ     [0] value out: a = the first word at the kept mapping (a fault
 *               ends the instance if the memory was taken back)
 * HOARD         [0] memref in   [1] value out: a = copies of memory-reference handles
 *               the instance now keeps (one more per call), b = how many of the
 *               copies kept in earlier calls still mapped */
#define TA_HOSTILE_CMD_VICTIM_SETUP 0
#define TA_HOSTILE_CMD_VICTIM_CHECK 1
#define TA_HOSTILE_CMD_ATTACK       2
#define TA_HOSTILE_CMD_DIE          3
#define TA_HOSTILE_CMD_KEEP_MEMREF  4
#define TA_HOSTILE_CMD_KEPT_MAP     5
#define TA_HOSTILE_CMD_KEPT_READ    6
#define TA_HOSTILE_CMD_HOARD        7

#define TA_HOSTILE_ATTACK_IDS      1 /* the victim's object and operation ids */
#define TA_HOSTILE_ATTACK_PROTOCOL 2 /* bad spans, junk records, unknown ops, huge sizes */
#define TA_HOSTILE_ATTACK_KERNEL   3 /* handles it was not given, memory it may not map */
#define TA_HOSTILE_ATTACK_LIMITS   4 /* fills its own tables in the service */
#define TA_HOSTILE_ATTACK_OBJECTS  5 /* makes every kind of kernel object until each runs out,
                                      * and keeps them all */
#define TA_HOSTILE_ATTACKS         5

/* The victim makes its secret handle number at least this, above any
 * handle the attacker holds. */
#define TA_HOSTILE_SECRET_MIN_HANDLE 40

#endif
