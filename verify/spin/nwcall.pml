/* The normal-world call protocol on two CPUs, for SPIN (make verify,
 * docs/verification.md). The automata are the monitors' own: rv_nwcall.pml and
 * rv_ipc.pml are generated from verify/nwcall.dot and verify/ipc.dot, and
 * every transition below goes through them, so a behaviour of this model
 * that the automata do not allow fails an assertion.
 *
 * What is modelled (kernel/nwentry.c, kernel/endpoint.c, kernel/thread.c):
 * - NCLIENT normal-world threads, each with one call (CALL_WITH_ARG), on
 *   any CPU; each SMC enters on a CPU of its choosing, and a resume
 *   (RETURN_FROM_RPC) may come on the other one;
 * - NSLOT call slots, each an nwcall automaton, its stand-in thread an ipc
 *   automaton; a call is active on at most one CPU;
 * - the gateway's worker on the normal-world endpoint: it replies, answers
 *   ETHREAD_LIMIT (once per run: the slot is kept, NWCALL_RETRY, when the
 *   call had been out), asks for an RPC, or dies (once); init restarts it;
 * - the kernel lock: every kernel section holds it.
 *
 * Safety (assertions, and no invalid end state: nobody waits for ever):
 * no lost reply, no double completion, no call left stuck when its peer
 * dies (each call ends with one result), mutual exclusion of the kernel
 * sections and of a call's CPUs. Liveness (with -DLIVENESS, under weak
 * fairness): every call completes or fails.
 *
 * Each BUG_* below plants one defect; verify/check.sh requires SPIN to
 * find each, so that the checks above are shown able to fail:
 *   BUG_LOST_REPLY   a dying worker's call is not answered (the kernel
 *                    forgetting thread_destroy's MT_EPEERDEAD)
 *   BUG_DOUBLE_REPLY a reply does not clear the worker's caller, so its
 *                    death answers the call a second time
 *   BUG_NO_LOCK      the kernel sections run without the lock
 *   BUG_STAYS_ACTIVE a return to the normal world does not clear the CPU
 *                    the call is active on (clear_active) */
#include "rv_nwcall.pml"
#include "rv_ipc.pml"

#define NCPU 2
#define NSLOT 2
#define NCLIENT 2
#define NONE 255

/* Results a client can get. */
#define R_OK 1
#define R_PEERDEAD 2 /* the gateway died with the call: ENOTAVAIL */
#define R_LIMIT 3    /* the gateway answered ETHREAD_LIMIT: not served now */

/* The kernel lock. LIVENESS: each section is one atomic step, so that
 * under weak fairness a process waiting for the lock is not starved by a
 * lock that is free between every two steps (the safety run interleaves
 * inside the sections). */
byte in_kernel;
#ifdef LIVENESS
#define K_BEGIN(c) atomic {
#define K_END }
#elif defined(BUG_NO_LOCK)
#define K_BEGIN(c) in_kernel++; assert(in_kernel == 1);
#define K_END in_kernel--
#else
bit bkl;
#define K_BEGIN(c) atomic { bkl == 0 -> bkl = 1; in_kernel++ }; assert(in_kernel == 1);
#define K_END atomic { in_kernel--; bkl = 0 }
#endif

byte slot[NSLOT];     /* nwcall automaton state */
byte thr[NSLOT];      /* the stand-in thread's ipc automaton state */
byte cpu_of[NSLOT];   /* the CPU it is active on, NONE */
bit went_out[NSLOT];
byte result[NSLOT];   /* R_* once complete */
byte completions[NSLOT]; /* of the slot's current call: never more than one */
/* RPCs a call asks for: finitely many (a TA's operation has a time budget,
 * the gateway's watchdog), or liveness could not hold. */
#define MAXRPC 2
byte rpcs[NSLOT];

/* The normal-world endpoint: the calls waiting for the gateway. */
chan ep = [NSLOT] of { byte };
bit gw_waiting;       /* the worker waits in receive */
byte gw_call = NONE;  /* the call it serves (its caller) */
bit gw_rpc;           /* it waits for its RPC's answer */
bit gw_alive = 1;
bit gw_died;          /* once per run */
bit limit_used;       /* one ETHREAD_LIMIT answer per run */
byte finished;        /* clients whose call ended */

/* Completes the call of slot s (the gateway's reply, or its death). */
inline complete(s, r)
{
	nwcall_event(slot[s], NWCALL_EV_COMPLETE);
	completions[s]++;
	assert(completions[s] == 1); /* no double completion */
	result[s] = r
}

/* The kernel's send of call s to the endpoint (endpoint_send_from_kernel). */
inline send(s)
{
	if
	:: gw_alive && gw_waiting ->
		ipc_event(thr[s], IPC_EV_CALL_DELIVERED);
		gw_waiting = 0;
		gw_call = s
	:: else ->
		ipc_event(thr[s], IPC_EV_CALL_QUEUED);
		ep ! s
	fi
}

/* call_start: the slot runs its call from its message, active on CPU c. */
inline start(s, c)
{
	nwcall_event(slot[s], NWCALL_EV_START);
	completions[s] = 0;
	result[s] = 0;
	rpcs[s] = 0;
	assert(cpu_of[s] == NONE);
	cpu_of[s] = c;
	send(s)
}

proctype client(byte id)
{
	byte s = NONE, c, i, r;
	bit kept; /* an ETHREAD_LIMIT answer kept the slot (NWCALL_RETRY) */
again:
	/* CALL_WITH_ARG on some CPU. */
	if
	:: c = 0
	:: c = 1
	fi;
	K_BEGIN(c)
	i = 0;
	do
	:: i < NSLOT && slot[i] == NWCALL_FREE -> s = i; break
	:: i < NSLOT && slot[i] != NWCALL_FREE -> i++
	:: i == NSLOT -> break
	od;
	if
	:: s != NONE -> went_out[s] = 0; start(s, c)
	:: else -> skip
	fi;
	K_END;
	if
	:: s == NONE -> goto again /* ETHREAD_LIMIT: the driver waits and retries */
	:: else -> skip
	fi;
	/* The secure world runs the call; the CPU returns it when it is done,
	 * has an RPC to send, or at any time with FOREIGN_INTR. */
	do
	:: K_BEGIN(c)
		assert(cpu_of[s] == c);
#ifndef BUG_STAYS_ACTIVE
		cpu_of[s] = NONE;
#endif
		if
		:: slot[s] == NWCALL_DONE ->
			r = result[s];
			if
			:: r == R_LIMIT && went_out[s] -> kept = 1;
				nwcall_event(slot[s], NWCALL_EV_RETURN_RETRY)
			:: else -> kept = 0; nwcall_event(slot[s], NWCALL_EV_RETURN)
			fi
		:: slot[s] == NWCALL_RPC_PENDING ->
			went_out[s] = 1;
			nwcall_event(slot[s], NWCALL_EV_RPC_SEND);
			r = 0
		:: slot[s] != NWCALL_DONE && slot[s] != NWCALL_RPC_PENDING ->
			went_out[s] = 1; /* FOREIGN_INTR */
			r = 0
		fi;
		K_END;
		if
		:: r == R_LIMIT && !kept -> s = NONE; goto again /* never out: sent again */
		:: r != 0 && r != R_LIMIT -> break /* the call's result */
		:: else -> skip /* out: resumed below (from NWCALL_RETRY, started again) */
		fi;
		/* RETURN_FROM_RPC, on either CPU. */
		if
		:: c = 0
		:: c = 1
		fi;
		K_BEGIN(c)
		if
		:: cpu_of[s] != NONE -> assert(false) /* one SMC per call: never active elsewhere */
		:: slot[s] == NWCALL_RETRY -> start(s, c)
		:: slot[s] == NWCALL_RPC_OUT || slot[s] == NWCALL_DONE_RPC_OUT ->
			cpu_of[s] = c;
			nwcall_event(slot[s], NWCALL_EV_RPC_ANSWER);
			if
			:: slot[s] == NWCALL_RUNNING && gw_rpc && gw_call == s -> gw_rpc = 0
			:: else -> skip /* its thread went away: the answer is dropped */
			fi
		:: else -> cpu_of[s] = c
		fi;
		K_END
	od;
	assert(r == R_OK || r == R_PEERDEAD); /* no lost reply: one result */
	finished++
}

/* The gateway's worker: receive, then reply, answer ETHREAD_LIMIT, ask for
 * an RPC, or die. */
proctype gateway()
{
	byte s;
	do
	:: finished == NCLIENT -> break
	:: K_BEGIN(0)
		if
		:: gw_alive && gw_call == NONE && !gw_waiting ->
			if
			:: ep ? s -> ipc_event(thr[s], IPC_EV_CALL_TAKEN); gw_call = s
			:: empty(ep) -> gw_waiting = 1
			fi
		:: gw_alive && gw_call != NONE && !gw_rpc ->
			s = gw_call;
			if
			:: ipc_event(thr[s], IPC_EV_REPLIED);
#ifndef BUG_DOUBLE_REPLY
				gw_call = NONE;
#endif
				complete(s, R_OK)
			:: !limit_used -> limit_used = 1;
				ipc_event(thr[s], IPC_EV_REPLIED); gw_call = NONE; complete(s, R_LIMIT)
			:: slot[s] == NWCALL_RUNNING && rpcs[s] < MAXRPC -> /* SYS_NW_RPC */
				rpcs[s]++;
				nwcall_event(slot[s], NWCALL_EV_RPC_ASK); gw_rpc = 1
			fi
		:: gw_alive && !gw_died -> /* the worker dies (thread_destroy) */
			gw_died = 1; gw_alive = 0; gw_waiting = 0;
			if
			:: gw_call != NONE ->
				s = gw_call;
				if
				:: gw_rpc && slot[s] == NWCALL_RPC_PENDING ->
					nwcall_event(slot[s], NWCALL_EV_RPC_WITHDRAW)
				:: else -> skip
				fi;
				gw_rpc = 0;
				gw_call = NONE;
#ifndef BUG_LOST_REPLY
				ipc_event(thr[s], IPC_EV_PEER_DEAD);
				complete(s, R_PEERDEAD)
#endif
			:: else -> skip
			fi
		:: !gw_alive -> gw_alive = 1 /* init restarts it; the endpoint stays */
		:: else -> skip
		fi;
		K_END
	od
}

init
{
	byte i;
	atomic {
		for (i : 0 .. NSLOT - 1) {
			cpu_of[i] = NONE
		}
		run gateway();
		for (i : 1 .. NCLIENT) {
			run client(i)
		}
	}
}

#ifdef LIVENESS
ltl every_call_ends { <> (finished == NCLIENT) }
#endif
