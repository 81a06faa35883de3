/* kernel/handle.c: per-process handle tables and object reference counts. */
#include <string.h>

#include "harness.h"
#include "kernel/handle.h"

/* The kernel's kobj_release frees objects by type; here it only counts. */
static unsigned releases;
static struct kobj *last_released;

void kobj_release(struct kobj *obj)
{
	releases++;
	last_released = obj;
}

static struct handle_table ht;

static void test_insert_lookup(void)
{
	struct kobj ep = {.type = KOBJ_ENDPOINT}, shm = {.type = KOBJ_SHM};
	memset(&ht, 0, sizeof(ht));

	long h1 = ht_insert(&ht, &ep, MT_R_CALL | MT_R_GRANT, 0x1234);
	long h2 = ht_insert(&ht, &shm, MT_R_MAP_R, 0);
	CHECK_EQ(h1, 1); /* 0 is never a handle */
	CHECK_EQ(h2, 2);
	CHECK_EQ(ht.used, 2);
	CHECK_EQ(ep.refs, 1);
	CHECK_EQ(shm.refs, 1);

	int err = 0;
	struct handle *h = ht_lookup(&ht, (uint64_t)h1, KOBJ_ENDPOINT, MT_R_CALL, &err);
	CHECK(h != 0);
	if (h) {
		CHECK(h->obj == &ep);
		CHECK_EQ(h->rights, MT_R_CALL | MT_R_GRANT);
		CHECK_EQ(h->badge, 0x1234);
	}
	CHECK(ht_lookup(&ht, (uint64_t)h1, KOBJ_ENDPOINT, MT_R_CALL | MT_R_GRANT, &err) == h);
	CHECK(ht_lookup(&ht, (uint64_t)h1, KOBJ_ENDPOINT, 0, &err) == h);
	CHECK(ht_lookup(&ht, (uint64_t)h1, KOBJ_NONE, 0, &err) == h); /* any type */

	/* The wrong type is a bad handle, whatever the rights. */
	err = 0;
	CHECK(ht_lookup(&ht, (uint64_t)h1, KOBJ_SHM, 0, &err) == 0);
	CHECK_EQ(err, MT_EBADH);
	err = 0;
	CHECK(ht_lookup(&ht, (uint64_t)h1, KOBJ_PROCESS, MT_R_RECV, &err) == 0);
	CHECK_EQ(err, MT_EBADH);
	/* The right type without every needed right is a permission error. */
	err = 0;
	CHECK(ht_lookup(&ht, (uint64_t)h1, KOBJ_ENDPOINT, MT_R_RECV, &err) == 0);
	CHECK_EQ(err, MT_EPERM);
	err = 0;
	CHECK(ht_lookup(&ht, (uint64_t)h1, KOBJ_ENDPOINT, MT_R_CALL | MT_R_RECV, &err) == 0);
	CHECK_EQ(err, MT_EPERM);
	err = 0;
	CHECK(ht_lookup(&ht, (uint64_t)h2, KOBJ_SHM, MT_R_MAP_W, &err) == 0);
	CHECK_EQ(err, MT_EPERM);

	/* Handle 0, unused slots, and anything out of range name nothing;
	 * (1 << 32) + 1 and (1 << 63) + 2 would be handles 1 and 2 if truncated. */
	static const uint64_t bad[] = {
	    0,         3, HT_SIZE - 1, HT_SIZE, HT_SIZE + 1, (1ULL << 32) + 1, (1ULL << 63) + 2,
	    UINT64_MAX};
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		err = 0;
		CHECK(ht_lookup(&ht, bad[i], KOBJ_NONE, 0, &err) == 0);
		CHECK_EQ(err, MT_EBADH);
		CHECK_EQ(ht_remove(&ht, bad[i]), MT_EBADH);
	}
	CHECK_EQ(ht.used, 2);

	/* Handle 0 names nothing even if slot 0 were somehow filled. */
	ht.slot[0] = (struct handle){.obj = &shm, .rights = MT_R_ALL};
	err = 0;
	CHECK(ht_lookup(&ht, 0, KOBJ_NONE, 0, &err) == 0);
	CHECK_EQ(err, MT_EBADH);
	CHECK_EQ(ht_remove(&ht, 0), MT_EBADH);
	CHECK_EQ(shm.refs, 1);
	ht.slot[0] = (struct handle){0};

	/* Rights beyond MT_R_ALL are dropped, not stored. */
	long h3 = ht_insert(&ht, &ep, 0xFFFFFFFFu, 7);
	CHECK_EQ(h3, 3);
	h = ht_lookup(&ht, (uint64_t)h3, KOBJ_ENDPOINT, 0, &err);
	CHECK(h && h->rights == MT_R_ALL);
	CHECK(ht_lookup(&ht, (uint64_t)h3, KOBJ_ENDPOINT, 1u << 7, &err) == 0);
	CHECK_EQ(err, MT_EPERM);
	CHECK_EQ(ep.refs, 2);

	releases = 0;
	ht_clear(&ht);
	CHECK_EQ(releases, 2);
}

static void test_remove_refcount(void)
{
	struct kobj a = {.type = KOBJ_ENDPOINT}, b = {.type = KOBJ_THREAD};
	memset(&ht, 0, sizeof(ht));
	releases = 0;
	last_released = 0;

	long ha1 = ht_insert(&ht, &a, MT_R_CALL, 0x77);
	long ha2 = ht_insert(&ht, &a, MT_R_RECV, 0);
	long hb = ht_insert(&ht, &b, MT_R_ALL, 0);
	CHECK_EQ(a.refs, 2);
	CHECK_EQ(b.refs, 1);

	/* The kernel's own reference keeps `b` alive after its handle goes. */
	kobj_get(&b);
	CHECK_EQ(ht_remove(&ht, (uint64_t)hb), MT_OK);
	CHECK_EQ(b.refs, 1);
	CHECK_EQ(releases, 0);
	kobj_put(&b);
	CHECK_EQ(releases, 1);
	CHECK(last_released == &b);

	/* Closing one of two handles releases nothing. */
	CHECK_EQ(ht_remove(&ht, (uint64_t)ha1), MT_OK);
	CHECK_EQ(a.refs, 1);
	CHECK_EQ(releases, 1);
	int err = 0;
	CHECK(ht_lookup(&ht, (uint64_t)ha1, KOBJ_NONE, 0, &err) == 0);
	CHECK_EQ(err, MT_EBADH);
	CHECK(ht_lookup(&ht, (uint64_t)ha2, KOBJ_ENDPOINT, MT_R_RECV, &err) != 0);
	/* Closing it twice is an error, not a second drop. */
	CHECK_EQ(ht_remove(&ht, (uint64_t)ha1), MT_EBADH);
	CHECK_EQ(a.refs, 1);

	/* The last close releases, exactly once. */
	CHECK_EQ(ht_remove(&ht, (uint64_t)ha2), MT_OK);
	CHECK_EQ(a.refs, 0);
	CHECK_EQ(releases, 2);
	CHECK(last_released == &a);
	CHECK_EQ(ht.used, 0);
	CHECK_EQ(ht_remove(&ht, (uint64_t)ha2), MT_EBADH);
	CHECK_EQ(releases, 2);

	/* A freed slot is wiped and reused, lowest first. */
	CHECK(ht.slot[ha1].obj == 0 && ht.slot[ha1].rights == 0 && ht.slot[ha1].badge == 0);
	CHECK_EQ(ht_insert(&ht, &a, MT_R_CALL, 9), 1);
	CHECK_EQ(ht_insert(&ht, &a, MT_R_CALL, 9), 2);
	ht_clear(&ht);
	CHECK_EQ(releases, 3);
}

static void put_obj(void *arg)
{
	kobj_put(arg);
}

static void test_put_underflow(void)
{
	struct kobj o = {.type = KOBJ_SHM, .refs = 0};
	releases = 0;
	CHECK_PANICS(put_obj, &o);
	CHECK_EQ(releases, 0);
	CHECK_EQ(o.refs, 0);
}

static void test_full_and_clear(void)
{
	static struct kobj objs[HT_SIZE];
	memset(&ht, 0, sizeof(ht));
	memset(objs, 0, sizeof(objs));
	releases = 0;

	bool in_order = true;
	for (unsigned i = 1; i < HT_SIZE; i++) {
		objs[i].type = (uint8_t)(i % 2 ? KOBJ_ENDPOINT : KOBJ_SHM);
		in_order &= ht_insert(&ht, &objs[i], MT_R_CALL, i) == (long)i;
	}
	CHECK(in_order);
	CHECK_EQ(ht.used, HT_SIZE - 1);
	/* Full: refused, and the object is not referenced. */
	CHECK_EQ(ht_insert(&ht, &objs[0], MT_R_ALL, 0), MT_ENOSPACE);
	CHECK_EQ(objs[0].refs, 0);
	CHECK_EQ(ht.used, HT_SIZE - 1);

	/* One slot opens, and is the one reused. */
	CHECK_EQ(ht_remove(&ht, 17), MT_OK);
	CHECK_EQ(releases, 1);
	CHECK_EQ(ht_insert(&ht, &objs[0], MT_R_ALL, 0), 17);
	CHECK_EQ(ht_insert(&ht, &objs[0], MT_R_ALL, 0), MT_ENOSPACE);
	CHECK_EQ(objs[0].refs, 1);

	/* An extra reference survives ht_clear; the rest are released. */
	kobj_get(&objs[5]);
	ht_clear(&ht);
	CHECK_EQ(ht.used, 0);
	CHECK_EQ(releases, 1 + (HT_SIZE - 1) - 1);
	bool empty = true, dropped = true;
	for (unsigned i = 0; i < HT_SIZE; i++) {
		empty &= ht.slot[i].obj == 0;
		dropped &= objs[i].refs == (i == 5);
	}
	CHECK(empty);
	CHECK(dropped);
	int err = 0;
	CHECK(ht_lookup(&ht, 1, KOBJ_NONE, 0, &err) == 0);
	CHECK_EQ(err, MT_EBADH);

	/* Clearing an empty table does nothing. */
	ht_clear(&ht);
	CHECK_EQ(releases, HT_SIZE - 1);
	CHECK_EQ(ht.used, 0);
	kobj_put(&objs[5]);
	CHECK_EQ(releases, HT_SIZE);
}

int main(void)
{
	test_insert_lookup();
	test_remove_refcount();
	test_put_underflow();
	test_full_and_clear();
	return harness_report("handle");
}
