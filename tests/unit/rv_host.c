/* The host's runtime-verification reporter (common/rv.h), for the unit
 * tests and the fuzzing harnesses that compile monitored code. By default
 * a violation prints its report and aborts: a unit test or a fuzzer that
 * makes the code break its own protocol fails. A detection test sets
 * rv_host_record and reads the last report from rv_host_last instead. */
#include <stdio.h>
#include <stdlib.h>

#include "rv_host.h"

unsigned long rv_violations;
const char *rv_who = "host";
int rv_host_record;
struct rv_host_report rv_host_last;

void rv_violation(unsigned model, const void *obj, unsigned state, unsigned event)
{
	const struct rv_model_desc *m = &rv_models[model];
	rv_violations++;
	rv_host_last.model = model;
	rv_host_last.obj = obj;
	rv_host_last.state = state;
	rv_host_last.event = event;
	snprintf(rv_host_last.text, sizeof(rv_host_last.text),
		 "[rv] VIOLATION %s: model %s, object %p, state %s, event %s", rv_who, m->name, obj,
		 state < m->nstates ? m->states[state] : "?", event < m->nevents ? m->events[event] : "?");
	if (rv_host_record)
		return;
	fprintf(stderr, "%s\n", rv_host_last.text);
	abort();
}

void rv_report(void)
{
	unsigned long n = 0;
	for (unsigned i = 0; i < RV_NMODELS; i++)
		n += *rv_models[i].count;
	printf("[rv] %s: %lu events checked, %lu violations\n", rv_who, n, rv_violations);
}

void rv_report_growth(void)
{
}
