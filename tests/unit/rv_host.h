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

/* Set: a violation is recorded in rv_host_last and the code goes on
 * (the monitored object keeps its state); clear: it aborts. */
extern int rv_host_record;
extern struct rv_host_report rv_host_last;
#endif
