/* The kernel's runtime-verification reporter (common/rv.h,
 * docs/verification.md): the monitors of verify/ipc.dot, thread.dot and
 * nwcall.dot step under the big kernel lock, so their counters need no
 * atomics. A violation is printed with the model, the object, its state
 * and the event, then panics: a kernel whose IPC, scheduler or
 * normal-world call state broke its own protocol must not go on. A build
 * with RV_ON_VIOLATION=log counts it and goes on instead. */
#include "kernel.h"
#include "rv_ipc.h"
#include "rv_nwcall.h"
#include "rv_thread.h"

#if RV_ENABLED
unsigned long rv_violations;

void rv_violation(unsigned model, const void *obj, unsigned state, unsigned event)
{
	const struct rv_model_desc *m = &rv_models[model];
	rv_violations++;
	printk("[rv] VIOLATION kernel: model %s, object %p, state %s, event %s\n", m->name, obj,
	       state < m->nstates ? m->states[state] : "?",
	       event < m->nevents ? m->events[event] : "?");
#if RV_STOP
	panic("runtime verification: %s", m->name);
#endif
}

void rv_report(void)
{
	unsigned long n = 0;
	for (unsigned i = 0; i < RV_NMODELS; i++)
		n += *rv_models[i].count;
	printk(
	    "[rv] kernel: %lu events checked (ipc %lu, thread %lu, nwcall %lu), %lu violations\n",
	    n, rv_ipc_count, rv_thread_count, rv_nwcall_count, rv_violations);
}
#else
void rv_report(void)
{
	printk("[rv] kernel: monitors off (RV=0)\n");
}
#endif
