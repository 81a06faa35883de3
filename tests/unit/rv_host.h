/* The host's runtime-verification reporter (tests/unit/rv_host.c). */
#ifndef TESTS_UNIT_RV_HOST_H
#define TESTS_UNIT_RV_HOST_H
#include "rv_models.h"

struct rv_host_report {
	unsigned model;
	const void *obj;
	unsigned state, event;
	char text[160];
};

/* Set: a violation is counted and the code goes on (the monitored object
 * keeps its state); the first one since rv_host_record was set is kept in
 * rv_host_first, rv_host_seen counts them. Clear: a violation aborts. */
extern int rv_host_record;
extern unsigned rv_host_seen;
extern struct rv_host_report rv_host_first;
/* Starts recording: rv_host_seen 0, rv_host_first empty. */
void rv_host_start(void);
#endif
