/* The host's runtime-verification reporter (common/rv.h), for the unit
 * tests and the fuzzing harnesses that compile monitored code. By default
 * a violation prints its report and aborts: a unit test or a fuzzer that
 * makes the code break its own protocol fails. A detection test sets
 * rv_host_record and reads the last report from rv_host_last instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rv_host.h"

unsigned long rv_violations;
const char *rv_who = "host";
int rv_host_record;
unsigned rv_host_seen;
struct rv_host_report rv_host_first;

void rv_host_start(void)
{
	rv_host_record = 1;
	rv_host_seen = 0;
	rv_host_first = (struct rv_host_report){0, 0, 0, 0, ""};
}

void rv_violation(unsigned model, const void *obj, unsigned state, unsigned event)
{
	const struct rv_model_desc *m = &rv_models[model];
	char text[sizeof(rv_host_first.text)];
	rv_violations++;
	snprintf(text, sizeof(text), "[rv] VIOLATION %s: model %s, object %p, state %s, event %s",
	         rv_who, m->name, obj, state < m->nstates ? m->states[state] : "?",
	         event < m->nevents ? m->events[event] : "?");
	if (!rv_host_record) {
		fprintf(stderr, "%s\n", text);
		abort();
	}
	if (rv_host_seen++ == 0) {
		rv_host_first.model = model;
		rv_host_first.obj = obj;
		rv_host_first.state = state;
		rv_host_first.event = event;
		memcpy(rv_host_first.text, text, sizeof(text));
	}
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
