/* init's crash reports: when a child faults, the secure console gets its
 * name (a TA's UUID), the fault in words, its registers, its image's build
 * id and the backtrace the kernel took (struct mt_child_event), in lines
 * scripts/symbolize turns into functions and lines (docs/debugging.md).
 * The kernel gives the mechanism, the addresses; what to print is here. */
#ifndef INIT_CRASH_H
#define INIT_CRASH_H

#include <stddef.h>
#include <stdint.h>

#include "mt.h"

/* Every line of a report starts with this. */
#define CRASH_PREFIX   "[init] crash: "
#define CRASH_NAME_MAX 40 /* "<uuid>.ta" and a NUL */
#define CRASH_ID_MAX   32 /* bytes of build id kept (sha1: 20) */

/* Remembers the name and the build id (from the ELF file elf[0..len)) of
 * the process init holds as handle `proc`, until crash_forget. Called by
 * the loader, before the process starts. */
void crash_note_image(mt_handle_t proc, const char *name, const uint8_t *elf, size_t len);
/* The name remembered for proc, or 0. */
const char *crash_name(mt_handle_t proc);
/* Prints the report of a child that faulted (ev->reason MT_CHILD_FAULTED). */
void crash_report(const struct mt_child_event *ev);
/* proc's event has been handled: forget it. */
void crash_forget(mt_handle_t proc);

#endif
