/* What happens to each kind of object when its last reference goes. */
#include "object.h"

void kobj_release(struct kobj *obj)
{
	switch (obj->type) {
	case KOBJ_ENDPOINT:
		endpoint_release((struct endpoint *)obj);
		break;
	case KOBJ_SHM:
		shm_release((struct shm *)obj);
		break;
	case KOBJ_PROCESS:
		process_release((struct process *)obj);
		break;
	case KOBJ_THREAD: {
		struct thread *t = (struct thread *)((char *)obj - offsetof(struct thread, obj));
		if (t->state == T_DEAD)
			thread_free(t);
		break;
	}
	default:
		break; /* the spawner is static */
	}
}
