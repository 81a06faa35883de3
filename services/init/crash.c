/* init's crash reports (crash.h).
 *
 * One entry per handle init can hold: the loader (init's main thread for
 * services and test programs, the supervisor thread for TAs) fills an
 * entry before the process starts, and the main thread reads and empties
 * it when the child's event arrives, before it closes the handle. So no
 * two threads ever use one entry at a time, and a stale one (a process
 * killed before its start) is overwritten when its handle is reused. */
#include <stdio.h>
#include <string.h>

#include "../../common/elf.h"
#include "../../common/esr.h"
#include "crash.h"

#define CRASH_HANDLES 64 /* the kernel's handle table size */

struct crash_image {
	char name[CRASH_NAME_MAX];
	uint8_t id[CRASH_ID_MAX];
	size_t id_len;
};

static struct crash_image images[CRASH_HANDLES];

void crash_note_image(mt_handle_t proc, const char *name, const uint8_t *elf, size_t len)
{
	if (proc == 0 || proc >= CRASH_HANDLES)
		return;
	struct crash_image *c = &images[proc];
	size_t n = strlen(name);
	if (n >= sizeof(c->name))
		n = sizeof(c->name) - 1;
	memcpy(c->name, name, n);
	c->name[n] = '\0';
	const uint8_t *id;
	size_t id_len;
	c->id_len = 0;
	if (elf_build_id(elf, len, &id, &id_len) == MT_OK) {
		c->id_len = id_len < sizeof(c->id) ? id_len : sizeof(c->id);
		memcpy(c->id, id, c->id_len);
	}
}

const char *crash_name(mt_handle_t proc)
{
	if (proc == 0 || proc >= CRASH_HANDLES || !images[proc].name[0])
		return 0;
	return images[proc].name;
}

void crash_forget(mt_handle_t proc)
{
	if (proc != 0 && proc < CRASH_HANDLES)
		memset(&images[proc], 0, sizeof(images[proc]));
}

static const char *bt_end_name(unsigned long end)
{
	switch (end) {
	case MT_BT_END_ZERO:
		return "end of the chain";
	case MT_BT_END_MAX:
		return "cut at the frame limit";
	case MT_BT_END_MISALIGNED:
		return "cut: a frame pointer not 8-byte aligned";
	case MT_BT_END_UNREADABLE:
		return "cut: a frame pointer outside the process's readable memory";
	case MT_BT_END_NOT_UP:
		return "cut: a frame record not above the one before";
	default:
		return "cut";
	}
}

void crash_report(const struct mt_child_event *ev)
{
	const char *name = crash_name(ev->proc);
	size_t n = name ? strlen(name) : 0;
	/* A TA's image is <uuid>.ta (its bootfs entry, or the normal world's
	 * /lib/optee_armtz file). */
	if (n > 3 && strcmp(name + n - 3, ".ta") == 0)
		printf(CRASH_PREFIX "TA %.*s (pid %lu) faulted\n", (int)(n - 3), name, ev->pid);
	else
		printf(CRASH_PREFIX "process %s (pid %lu) faulted\n", name ? name : "?", ev->pid);
	struct esr_info e;
	esr_decode(ev->esr, &e);
	if (e.fault && e.level >= 0)
		printf(CRASH_PREFIX "  %s: %s, level %d, on %s at 0x%lx\n", e.what, e.fault,
		       e.level, e.access, ev->addr);
	else if (e.fault)
		printf(CRASH_PREFIX "  %s: %s on %s at 0x%lx\n", e.what, e.fault, e.access,
		       ev->addr);
	else
		printf(CRASH_PREFIX "  %s (exception class 0x%02x) at 0x%lx\n", e.what, e.ec,
		       ev->addr);
	printf(CRASH_PREFIX "  pc 0x%lx lr 0x%lx sp 0x%lx fp 0x%lx esr 0x%lx\n", ev->pc, ev->lr,
	       ev->sp, ev->fp, ev->esr);
	char hex[2 * CRASH_ID_MAX + 1] = "none";
	if (name && images[ev->proc].id_len) {
		static const char digits[] = "0123456789abcdef";
		const struct crash_image *c = &images[ev->proc];
		for (size_t i = 0; i < c->id_len; i++) {
			hex[2 * i] = digits[c->id[i] >> 4];
			hex[2 * i + 1] = digits[c->id[i] & 15];
		}
		hex[2 * c->id_len] = '\0';
	}
	printf(CRASH_PREFIX "  build id %s\n", hex);
	printf(CRASH_PREFIX "  backtrace:\n");
	printf(CRASH_PREFIX "  #0 0x%lx\n", ev->pc);
	for (unsigned long i = 0; i < ev->nframes && i < MT_BT_MAX; i++)
		printf(CRASH_PREFIX "  #%lu 0x%lx\n", i + 1, ev->frames[i]);
	printf(CRASH_PREFIX "  (%s)\n", bt_end_name(ev->bt_end));
}
