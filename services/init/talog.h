/* Run-time TA log levels from the command line (`ta_log=`), for init to pass
 * to each TA instance it starts (TA_START_ARG2's log field, ta_ipc.h).
 *
 *   ta_log=ITEM[,ITEM...]   one or more such words on the command line
 *                    (QEMU's -fw_cfg takes no comma, so there give one
 *                    word per item: "ta_log=1 ta_log=4358:3"). An ITEM is
 *                    LEVEL (every TA) or PREFIX:LEVEL (the TAs whose UUID,
 *                    in its usual lowercase form, starts with PREFIX: 4 to
 *                    36 characters). LEVEL is 0..4 (none, error, info,
 *                    debug, flow). The longest matching PREFIX wins over a
 *                    shorter one and over a bare LEVEL; among bare LEVELs
 *                    the last one counts.
 *
 * Pure logic, no system calls: tests/unit/test_talog.c. */
#ifndef INIT_TALOG_H
#define INIT_TALOG_H

/* The level the command line gives the TA of UUID string uuid (36
 * characters), or -1 if it names none for it. A malformed item is skipped,
 * never guessed at. */
int talog_level(const char *cmdline, const char *uuid);

#endif
