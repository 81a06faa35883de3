/* kernel/shm.c with kernel/handle.c, kernel/kobj.c and kernel/quota.c:
 * shared-memory objects are charged to their creator, and SYS_SHM_REVOKE
 * takes an object back from everyone: mappings go, and copies of its
 * handle that other processes kept hold nothing alive, so the creator gets
 * its object back as soon as it closes its own handle (issue 13: a TA that
 * kept the copies of memory-reference handles starved the gateway). */
#include <string.h>

#include "harness.h"
#include "kernel/object.h"

/* Stand-ins for the process layer shm.c calls. */
struct process procs[MAX_PROCS];
static unsigned unmapped[MAX_PROCS];
static unsigned pages_live;
void process_unmap_shm(struct process *p, struct shm *s)
{
	for (unsigned i = 0; i < PROC_MAX_SHM_MAPS; i++) {
		if (p->shm_maps[i].shm == s) {
			p->shm_maps[i].shm = 0;
			unmapped[p - procs]++;
			s->nmaps--;
			kobj_put(&s->obj);
		}
	}
}
paddr_t process_alloc_page(struct process *p)
{
	if (quota_charge(&p->quota, MT_Q_PAGES, 1) != MT_OK)
		return 0;
	pages_live++;
	return 0x50000000UL + pages_live * PAGE_SIZE;
}
void process_free_page(struct process *p, paddr_t pa)
{
	(void)pa;
	quota_refund(&p->quota, MT_Q_PAGES, 1);
	pages_live--;
}
void endpoint_release(struct endpoint *e)
{
	(void)e;
}
void process_release(struct process *p)
{
	(void)p;
}
void thread_free(struct thread *t)
{
	(void)t;
}

static struct process *gw = &procs[1], *ta = &procs[2], *svc = &procs[3];

static void setup(void)
{
	memset(procs, 0, sizeof(procs));
	memset(unmapped, 0, sizeof(unmapped));
	for (unsigned i = 1; i <= 3; i++) {
		procs[i].state = P_ALIVE;
		procs[i].quota.limit[MT_Q_SHMS] = 4;
		procs[i].quota.limit[MT_Q_PAGES] = 64;
	}
}

/* gw makes an object and gives ta two copies (one mapped) and svc one. */
static struct shm *lend(long *gh, long th[2], long *sh)
{
	int err;
	struct shm *s = shm_create(gw, 2 * PAGE_SIZE, &err);
	if (!s)
		return 0;
	*gh = ht_insert(&gw->ht, &s->obj, MT_R_ALL, 0);
	th[0] = ht_insert(&ta->ht, &s->obj, MT_R_MAP_R | MT_R_GRANT, 0);
	th[1] = ht_insert(&ta->ht, &s->obj, MT_R_MAP_R, 0);
	*sh = ht_insert(&svc->ht, &s->obj, MT_R_MAP_R, 0);
	for (unsigned i = 0; i < PROC_MAX_SHM_MAPS; i++) {
		if (!ta->shm_maps[i].shm) {
			ta->shm_maps[i] = (struct shm_map){.shm = s, .va = 0x71000000UL + i * 0x100000UL};
			s->nmaps++;
			kobj_get(&s->obj);
			break;
		}
	}
	return s;
}

static void test_revoke_kills_copies(void)
{
	setup();
	long gh, th[2], sh;
	struct shm *s = lend(&gh, th, &sh);
	CHECK(s != 0);
	if (!s)
		return;
	CHECK_EQ(s->obj.refs, 5);
	CHECK_EQ(gw->quota.used[MT_Q_SHMS], 1);
	CHECK_EQ(gw->quota.used[MT_Q_PAGES], 2);
	shm_revoke(s, gw);
	CHECK(s->revoked);
	CHECK_EQ(unmapped[2], 1);             /* ta's mapping went */
	CHECK_EQ(s->obj.refs, 1);             /* only gw's handle holds it */
	CHECK(gw->ht.slot[gh].obj == &s->obj); /* the revoker keeps its own */
	/* The copies stay valid handles (so closing them works), of a dead,
	 * page-less object that is revoked too. */
	for (unsigned i = 0; i < 2; i++) {
		struct kobj *o = ta->ht.slot[th[i]].obj;
		CHECK(o != 0 && o != &s->obj && o->type == KOBJ_SHM);
		CHECK(o && ((struct shm *)o)->revoked && ((struct shm *)o)->npages == 0);
	}
	CHECK(svc->ht.slot[sh].obj == ta->ht.slot[th[0]].obj);
	/* The revoker closes: the object, its pages and its charge go now,
	 * although ta and svc still hold their copies. */
	CHECK_EQ(ht_remove(&gw->ht, (uint64_t)gh), MT_OK);
	CHECK_EQ(s->obj.type, KOBJ_NONE);
	CHECK_EQ(gw->quota.used[MT_Q_SHMS], 0);
	CHECK_EQ(gw->quota.used[MT_Q_PAGES], 0);
	CHECK_EQ(pages_live, 0);
	CHECK_EQ(ta->ht.used, 2);
	/* Closing the dead copies is harmless, and never frees the dead object. */
	CHECK_EQ(ht_remove(&ta->ht, (uint64_t)th[0]), MT_OK);
	CHECK_EQ(ht_remove(&ta->ht, (uint64_t)th[1]), MT_OK);
	CHECK_EQ(ht_remove(&svc->ht, (uint64_t)sh), MT_OK);
	CHECK_EQ(ta->ht.used, 0);
}

/* The failure this fixes: a hoarder keeps a copy of every object it is
 * lent; the lender revokes and closes after each loan. Ten loans against a
 * quota of four objects must all succeed. */
static void test_hoarder_cannot_starve(void)
{
	setup();
	unsigned ok = 0;
	for (unsigned i = 0; i < 10; i++) {
		long gh, th[2], sh;
		struct shm *s = lend(&gh, th, &sh);
		if (!s)
			break;
		shm_revoke(s, gw);
		ht_remove(&gw->ht, (uint64_t)gh);
		ok++;
	}
	CHECK_EQ(ok, 10);
	CHECK_EQ(gw->quota.used[MT_Q_SHMS], 0);
	CHECK_EQ(ta->ht.used, 20);
	CHECK_EQ(svc->ht.used, 10);
	CHECK_EQ(shm_pool_free(), MAX_SHMS);
	ht_clear(&ta->ht);
	ht_clear(&svc->ht);
}

/* Without revocation, copies do keep an object alive (they are references
 * like any other), and the lender's quota then runs out. */
static void test_copies_hold_without_revoke(void)
{
	setup();
	long gh, th[2], sh;
	unsigned ok = 0;
	for (unsigned i = 0; i < 10 && lend(&gh, th, &sh); i++) {
		ht_remove(&gw->ht, (uint64_t)gh);
		ok++;
	}
	CHECK_EQ(ok, 4);
	CHECK_EQ(gw->quota.used[MT_Q_SHMS], 4);
	/* Ending the holders frees them. */
	for (unsigned i = 0; i < PROC_MAX_SHM_MAPS; i++)
		if (ta->shm_maps[i].shm)
			process_unmap_shm(ta, ta->shm_maps[i].shm);
	ht_clear(&ta->ht);
	ht_clear(&svc->ht);
	CHECK_EQ(gw->quota.used[MT_Q_SHMS], 0);
	CHECK_EQ(pages_live, 0);
}

/* Revoking a dead copy (a holder granted REVOKE on it) changes nothing. */
static void test_revoke_dead(void)
{
	setup();
	long gh, th[2], sh;
	struct shm *s = lend(&gh, th, &sh);
	CHECK(s != 0);
	if (!s)
		return;
	shm_revoke(s, gw);
	struct shm *dead = (struct shm *)ta->ht.slot[th[0]].obj;
	uint32_t refs = dead->obj.refs;
	shm_revoke(dead, ta);
	CHECK_EQ(dead->obj.refs, refs);
	CHECK(gw->ht.slot[gh].obj == &s->obj);
	CHECK_EQ(s->obj.refs, 1);
	ht_clear(&gw->ht);
	ht_clear(&ta->ht);
	ht_clear(&svc->ht);
	CHECK_EQ(pages_live, 0);
}

int main(void)
{
	test_revoke_kills_copies();
	test_hoarder_cannot_starve();
	test_copies_hold_without_revoke();
	test_revoke_dead();
	return harness_report("shm");
}
