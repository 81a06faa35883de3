/* A service's runtime-verification reporter (common/rv.h,
 * docs/verification.md). The gateway's monitors (verify/session.dot,
 * instance.dot) step under gw_lock, the storage service's (commit.dot) in
 * its one thread, so the counters need no atomics. A violation is printed
 * with the model, the object, its state and the event, and the process
 * ends (init restarts a service that ended); with RV_ON_VIOLATION=log it
 * is counted and the service goes on. */
#include <stdio.h>

#include "common/rv.h"
#include "mt.h"
#include "rv_models.h"

#if RV_ENABLED
unsigned long rv_violations;
const char *rv_who = "service";

void rv_violation(unsigned model, const void *obj, unsigned state, unsigned event)
{
	const struct rv_model_desc *m = &rv_models[model];
	rv_violations++;
	printf("[rv] VIOLATION %s: model %s, object %p, state %s, event %s\n", rv_who, m->name, obj,
	       state < m->nstates ? m->states[state] : "?",
	       event < m->nevents ? m->events[event] : "?");
#if RV_STOP
	printf("[rv] %s ends\n", rv_who);
	mt_exit(RV_EXIT_CODE);
#endif
}

static unsigned long rv_total(void)
{
	unsigned long n = 0;
	for (unsigned i = 0; i < RV_NMODELS; i++)
		n += *rv_models[i].count;
	return n;
}

void rv_report(void)
{
	printf("[rv] %s: %lu events checked, %lu violations\n", rv_who, rv_total(), rv_violations);
}

void rv_report_growth(void)
{
	static unsigned long last = 32;
	unsigned long n = rv_total();
	if (n >= 2 * last) {
		last = n;
		rv_report();
	}
}
#else
const char *rv_who = "service";

void rv_report(void)
{
	printf("[rv] %s: monitors off (RV=0)\n", rv_who);
}

void rv_report_growth(void)
{
}
#endif
