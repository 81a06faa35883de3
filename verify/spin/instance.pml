/* The gateway's TA-instance ownership with TA-to-TA sessions, for SPIN
 * (make verify, docs/verification.md). Every ownership change goes through
 * rv_instance.pml, generated from verify/instance.dot, the gateway's own
 * monitor.
 *
 * What is modelled (services/gateway/session.c, under gw_lock, each step
 * one atomic block): NWORKER workers, each serving one normal-world call
 * on an instance of its choosing; the TA's operation may open a session to
 * a TA, the same or the other (a nested request, served by the same worker,
 * which then owns both); the nested TA may nest once more. A worker that
 * finds an instance busy follows the chain of owners and the instances
 * they wait for (waits_for_itself): if it comes back to itself it answers
 * TEE_ERROR_BUSY, else it queues and waits to be handed the instance.
 *
 * Checked: one owner at a time (the automaton, and owner/busy agreeing),
 * no deadlock (no invalid end state: a nested open that would wait for
 * its own chain is refused), and every call ends. BUG_NO_CYCLE_CHECK
 * plants the defect of waiting without the check: SPIN must find the
 * deadlock. */
#include "rv_instance.pml"

#define NWORKER 3
#define NINST 2
#define DEPTH 3 /* a call and two nested requests */
#define NONE 255

byte st[NINST];        /* instance automaton state */
byte owner[NINST];     /* the worker that owns it, NONE */
byte waiting_for[NWORKER]; /* the instance a worker is queued for, NONE */
chan waiters[NINST] = [NWORKER] of { byte };
byte done;

/* instance_own: 1 owned (possibly after a wait), 0 TEE_ERROR_BUSY. */
inline own(w, in, got)
{
	atomic {
		if
		:: owner[in] == NONE ->
			instance_event(st[in], INSTANCE_EV_OWN);
			owner[in] = w;
			got = 1
		:: else ->
			/* waits_for_itself: the chain of owners and what they wait for */
			byte o = owner[in], hops = 0;
			got = 2;
			do
			:: o == w -> got = 0; break
			:: o != w && waiting_for[o] == NONE -> break
			:: o != w && waiting_for[o] != NONE ->
				o = owner[waiting_for[o]];
				hops++;
				if
				:: o == NONE -> break
				:: hops > NWORKER -> got = 0; break
				:: else -> skip
				fi
			od;
#ifdef BUG_NO_CYCLE_CHECK
			got = 2;
#endif
			if
			:: got == 2 -> waiting_for[w] = in; waiters[in] ! w
			:: else -> skip
			fi
		fi
	}
	if
	:: got == 2 -> atomic { owner[in] == w -> got = 1 }
	:: else -> skip
	fi
}

/* instance_disown: the next waiter is handed it, or it is free. */
inline disown(w, in)
{
	atomic {
		assert(owner[in] == w);
		if
		:: nempty(waiters[in]) ->
			instance_event(st[in], INSTANCE_EV_HANDOFF);
			waiters[in] ? owner[in];
			waiting_for[owner[in]] = NONE /* it owns in now */
		:: empty(waiters[in]) ->
			instance_event(st[in], INSTANCE_EV_RELEASE);
			owner[in] = NONE
		fi
	}
}

proctype worker(byte w)
{
	byte chain[DEPTH];  /* the instances this worker owns, outermost first */
	byte depth = 0, got, in;
	/* The normal-world call's instance, then nested requests. */
	do
	:: depth < DEPTH ->
		if
		:: in = 0
		:: in = 1
		:: depth > 0 -> break /* the TA's operation asks for nothing more */
		fi;
		own(w, in, got);
		if
		:: got == 1 -> chain[depth] = in; depth++
		:: got == 0 -> assert(depth > 0); break /* TEE_ERROR_BUSY to the TA */
		fi
	:: depth == DEPTH -> break
	od;
	/* The operations end, innermost first. */
	do
	:: depth > 0 -> depth--; disown(w, chain[depth])
	:: depth == 0 -> break
	od;
	done++
}

init
{
	byte i;
	atomic {
		for (i : 0 .. NINST - 1) {
			owner[i] = NONE;
			/* Started once, as instance_start leaves it, then let go. */
			instance_event(st[i], INSTANCE_EV_START);
			instance_event(st[i], INSTANCE_EV_STARTED);
			instance_event(st[i], INSTANCE_EV_RELEASE)
		}
		for (i : 0 .. NWORKER - 1) {
			waiting_for[i] = NONE
		}
		for (i : 0 .. NWORKER - 1) {
			run worker(i)
		}
	}
	done == NWORKER;
	for (i : 0 .. NINST - 1) {
		assert(owner[i] == NONE && st[i] == INSTANCE_READY_IDLE)
	}
}
