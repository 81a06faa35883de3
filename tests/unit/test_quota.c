/* kernel/quota.c: charging, lending and closing accounts (issue 13 item 3).
 * A child's quota is carved out of its parent's, so however the accounts
 * are nested, charged and closed, everything charged never adds up to more
 * than the root (init) was given: the kernel's pools. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kernel/quota.h"

static const size_t none[MT_Q_KINDS];

static void test_charge_and_refund(void)
{
	struct quota q;
	memset(&q, 0, sizeof(q));
	q.limit[MT_Q_PAGES] = 3;
	q.limit[MT_Q_SHMS] = 1;
	CHECK_EQ(quota_room(&q, MT_Q_PAGES), 3);
	CHECK_EQ(quota_charge(&q, MT_Q_PAGES, 2), MT_OK);
	CHECK_EQ(quota_charge(&q, MT_Q_PAGES, 2), MT_ENOMEM); /* all or nothing */
	CHECK_EQ(q.used[MT_Q_PAGES], 2);
	CHECK_EQ(quota_charge(&q, MT_Q_PAGES, 1), MT_OK);
	CHECK_EQ(quota_charge(&q, MT_Q_PAGES, 1), MT_ENOMEM);
	CHECK_EQ(quota_charge(&q, MT_Q_SHMS, 1), MT_OK);
	/* Objects over their quota: MT_EQUOTA, each kind on its own. */
	CHECK_EQ(quota_charge(&q, MT_Q_SHMS, 1), MT_EQUOTA);
	CHECK_EQ(quota_charge(&q, MT_Q_THREADS, 1), MT_EQUOTA);
	CHECK_EQ(quota_charge(&q, MT_Q_ENDPOINTS, 1), MT_EQUOTA);
	CHECK_EQ(quota_charge(&q, MT_Q_PROCS, 1), MT_EQUOTA);
	CHECK_EQ(quota_charge(&q, MT_Q_THREADS, 0), MT_OK);
	quota_refund(&q, MT_Q_PAGES, 3);
	quota_refund(&q, MT_Q_SHMS, 1);
	CHECK_EQ(quota_room(&q, MT_Q_PAGES), 3);
	CHECK_EQ(quota_room(&q, MT_Q_SHMS), 1);
	CHECK_EQ(quota_error(MT_Q_PAGES), MT_ENOMEM);
	CHECK_EQ(quota_error(MT_Q_ENDPOINTS), MT_EQUOTA);
}

static struct quota refund_q;
static void refund_too_much(void *arg)
{
	(void)arg;
	quota_refund(&refund_q, MT_Q_THREADS, 1);
}

static void test_refund_of_nothing_panics(void)
{
	memset(&refund_q, 0, sizeof(refund_q));
	refund_q.limit[MT_Q_THREADS] = 4;
	CHECK_PANICS(refund_too_much, 0);
}

/* The parent cannot use what it lent; the child cannot borrow more than
 * the parent has left; a failed carve changes nothing. */
static void test_carve(void)
{
	struct quota init, a, b;
	memset(&init, 0, sizeof(init));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	size_t pool[MT_Q_KINDS] = {[MT_Q_PAGES] = 100, [MT_Q_THREADS] = 10, [MT_Q_ENDPOINTS] = 10,
				   [MT_Q_SHMS] = 10, [MT_Q_PROCS] = 4};
	memcpy(init.limit, pool, sizeof(pool));
	CHECK_EQ(quota_charge(&init, MT_Q_PAGES, 10), MT_OK);
	size_t wa[MT_Q_KINDS] = {[MT_Q_PAGES] = 60, [MT_Q_THREADS] = 8, [MT_Q_SHMS] = 4};
	CHECK_EQ(quota_carve(&init, &a, wa), MT_OK);
	CHECK_EQ(quota_room(&init, MT_Q_PAGES), 30);
	CHECK_EQ(quota_room(&init, MT_Q_THREADS), 2);
	CHECK_EQ(init.lent[MT_Q_PAGES], 60);
	CHECK_EQ(quota_room(&a, MT_Q_PAGES), 60);
	CHECK_EQ(quota_charge(&init, MT_Q_PAGES, 31), MT_ENOMEM);

	/* 31 pages are not left: refused, and nothing was lent. */
	size_t wb[MT_Q_KINDS] = {[MT_Q_PAGES] = 31};
	CHECK_EQ(quota_carve(&init, &b, wb), MT_ENOMEM);
	/* Pages fit, threads do not: refused as a whole, MT_EQUOTA. */
	size_t wc[MT_Q_KINDS] = {[MT_Q_PAGES] = 30, [MT_Q_THREADS] = 3};
	CHECK_EQ(quota_carve(&init, &b, wc), MT_EQUOTA);
	CHECK_EQ(init.lent[MT_Q_PAGES], 60);
	CHECK_EQ(b.limit[MT_Q_PAGES], 0);
	/* Exactly what is left fits. */
	size_t wd[MT_Q_KINDS] = {[MT_Q_PAGES] = 30, [MT_Q_THREADS] = 2};
	CHECK_EQ(quota_carve(&init, &b, wd), MT_OK);
	CHECK_EQ(quota_room(&init, MT_Q_PAGES), 0);
	CHECK_EQ(quota_charge(&init, MT_Q_PAGES, 1), MT_ENOMEM);

	/* b ends with nothing charged: everything returns. */
	quota_close(&init, &b);
	CHECK_EQ(quota_room(&init, MT_Q_PAGES), 30);
	CHECK_EQ(quota_room(&init, MT_Q_THREADS), 2);
	CHECK_EQ(b.limit[MT_Q_PAGES], 0);
	/* a ends while 5 of its pages and 2 of its objects live on elsewhere:
	 * they are charged to init now, the rest returns. */
	CHECK_EQ(quota_charge(&a, MT_Q_PAGES, 5), MT_OK);
	CHECK_EQ(quota_charge(&a, MT_Q_SHMS, 2), MT_OK);
	quota_close(&init, &a);
	CHECK_EQ(init.lent[MT_Q_PAGES], 0);
	CHECK_EQ(init.used[MT_Q_PAGES], 15);
	CHECK_EQ(init.used[MT_Q_SHMS], 2);
	CHECK_EQ(quota_room(&init, MT_Q_PAGES), 85);
	quota_refund(&init, MT_Q_PAGES, 5); /* the survivors go: refunded to init */
	quota_refund(&init, MT_Q_SHMS, 2);
	CHECK_EQ(quota_room(&init, MT_Q_PAGES), 90);
	CHECK_EQ(quota_room(&init, MT_Q_SHMS), 10);
	/* An empty quota can be carved and closed. */
	CHECK_EQ(quota_carve(&init, &b, none), MT_OK);
	quota_close(&init, &b);
}

static struct quota lend_parent, lend_child, lend_grandchild;
static void close_while_lending(void *arg)
{
	(void)arg;
	quota_close(&lend_parent, &lend_child);
}

/* An account that still lends cannot close: its children close first. */
static void test_close_order(void)
{
	memset(&lend_parent, 0, sizeof(lend_parent));
	memset(&lend_child, 0, sizeof(lend_child));
	memset(&lend_grandchild, 0, sizeof(lend_grandchild));
	lend_parent.limit[MT_Q_PAGES] = 10;
	size_t w[MT_Q_KINDS] = {[MT_Q_PAGES] = 6}, w2[MT_Q_KINDS] = {[MT_Q_PAGES] = 4};
	CHECK_EQ(quota_carve(&lend_parent, &lend_child, w), MT_OK);
	CHECK_EQ(quota_carve(&lend_child, &lend_grandchild, w2), MT_OK);
	CHECK_EQ(quota_room(&lend_child, MT_Q_PAGES), 2);
	CHECK_PANICS(close_while_lending, 0);
	quota_close(&lend_child, &lend_grandchild);
	quota_close(&lend_parent, &lend_child);
	CHECK_EQ(quota_room(&lend_parent, MT_Q_PAGES), 10);
}

/* A random tree of accounts under a root with fixed pools: processes made
 * (carved), charged, refunded and ended (closed, children first, their
 * survivors adopted) at random. Whatever happens, what is charged anywhere
 * never exceeds the pool, each account keeps used + lent <= limit, and once
 * everything is freed the root has its whole pool back. */
#define NACC 24
static struct quota acc[NACC];
static int parent_of[NACC], alive[NACC];

static size_t charged_total(unsigned k)
{
	size_t n = 0;
	for (int i = 0; i < NACC; i++)
		n += acc[i].used[k];
	return n;
}

static void end_account(int i)
{
	for (int c = 1; c < NACC; c++)
		if (alive[c] && parent_of[c] == i)
			end_account(c);
	quota_close(&acc[parent_of[i]], &acc[i]);
	alive[i] = 0;
}

static void test_random_tree(void)
{
	static const size_t pool[MT_Q_KINDS] = {3867, 96, 95, 64, 31};
	memset(acc, 0, sizeof(acc));
	memset(alive, 0, sizeof(alive));
	memcpy(acc[0].limit, pool, sizeof(pool));
	alive[0] = 1;
	srand(1234);
	unsigned refused = 0, carved = 0, broken = 0;
	for (int step = 0; step < 200000; step++) {
		int i = rand() % NACC, op = rand() % 5;
		unsigned k = (unsigned)rand() % MT_Q_KINDS;
		size_t n = (size_t)rand() % (k == MT_Q_PAGES ? 600 : 12);
		if (!alive[i])
			continue;
		if (op == 0 || op == 1) {
			int rc = quota_charge(&acc[i], k, n);
			refused += rc != MT_OK;
			broken += rc != MT_OK && rc != quota_error(k);
		} else if (op == 2) {
			size_t r = acc[i].used[k] < n ? acc[i].used[k] : n;
			quota_refund(&acc[i], k, r);
		} else if (op == 3) {
			int c = 1 + rand() % (NACC - 1);
			if (alive[c])
				continue;
			size_t want[MT_Q_KINDS];
			/* Around what the parent has left: some fit, some not. */
			for (unsigned j = 0; j < MT_Q_KINDS; j++)
				want[j] = (size_t)rand() % (quota_room(&acc[i], j) / 2 + 2);
			struct quota before = acc[i];
			if (quota_carve(&acc[i], &acc[c], want) == MT_OK) {
				alive[c] = 1;
				parent_of[c] = i;
				carved++;
			} else {
				broken += memcmp(&before, &acc[i], sizeof(before)) != 0;
			}
		} else if (i != 0) {
			end_account(i);
		}
		for (unsigned j = 0; j < MT_Q_KINDS; j++) {
			broken += charged_total(j) > pool[j];
			for (int a = 0; a < NACC; a++)
				broken += acc[a].used[j] + acc[a].lent[j] > acc[a].limit[j];
		}
	}
	CHECK_EQ(broken, 0);
	/* Both sides were exercised. */
	CHECK(refused > 1000);
	CHECK(carved > 1000);
	for (int c = 1; c < NACC; c++)
		if (alive[c] && parent_of[c] == 0)
			end_account(c);
	for (unsigned j = 0; j < MT_Q_KINDS; j++) {
		CHECK_EQ(acc[0].lent[j], 0);
		quota_refund(&acc[0], j, acc[0].used[j]);
		CHECK_EQ(quota_room(&acc[0], j), pool[j]);
	}
}

int main(void)
{
	test_charge_and_refund();
	test_refund_of_nothing_panics();
	test_carve();
	test_close_order();
	test_random_tree();
	return harness_report("quota");
}
