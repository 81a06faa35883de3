/* Runtime verification: the step every generated monitor's hook takes
 * (docs/verification.md). A monitored object keeps its automaton state in
 * a byte of its own (obj->rv_MODEL); the hook rv_MODEL_event(obj, EV),
 * generated from verify/MODEL.dot into build/verify/rv_MODEL.h, reads it,
 * looks the next state up in the model's const table (one row per event,
 * so a constant event is one indexed load) and stores it, or reports a
 * violation: the model, the object, its state and the event. What a
 * violation then does is the reporter's (kernel/rv.c panics; a service,
 * services/common/rv.c, exits, and init restarts it), unless the build
 * says RV_ON_VIOLATION=log (report and go on, for the detection tests).
 *
 * Built with RV_ENABLED=0 (make RV=0) every hook is empty. Freestanding:
 * the kernel, the services and the host unit tests include it. */
#ifndef COMMON_RV_H
#define COMMON_RV_H
#include <stdint.h>

#ifndef RV_ENABLED
#define RV_ENABLED 1
#endif

/* A table entry: no transition (bit 7: one test-and-branch; states are
 * numbered below 128). */
#define RV_BAD 0x80

struct rv_model_desc {
	const char *name;
	unsigned nstates, nevents;
	const char *const *states, *const *events;
	unsigned long *count; /* events checked (under the lock that guards the objects) */
};

/* build/verify/rv_names.c: every model's names, by model number. */
extern const struct rv_model_desc rv_models[];

/* Violations reported (only RV_ON_VIOLATION=log goes on after one). */
extern unsigned long rv_violations;

/* The reporter, out of line: one per image (kernel/rv.c,
 * services/common/rv.c, tests/unit/rv_host.c). */
void rv_violation(unsigned model, const void *obj, unsigned state, unsigned event)
    __attribute__((cold));
/* Prints the tally: events checked, violations. */
void rv_report(void);
/* A service's tally, each time its count of events has doubled (from 64). */
void rv_report_growth(void);
/* A service's name in its reports (services/common/rv.c). */
extern const char *rv_who;
/* The exit code of a service that a violation ended. */
#define RV_EXIT_CODE 0x5256

static inline __attribute__((always_inline)) void rv_step(uint8_t *st, const uint8_t *row,
                                                          unsigned long *count, unsigned model,
                                                          const void *obj, unsigned event)
{
	unsigned s = *st;
	unsigned n = row[s];
	if (__builtin_expect(n & RV_BAD, 0)) {
		rv_violation(model, obj, s, event);
		return;
	}
	*st = (uint8_t)n;
	++*count;
}

#endif
