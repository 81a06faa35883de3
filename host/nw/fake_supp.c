/*
 * fake_supp — a hostile stand-in for tee-supplicant, for tests/system/nw_tee.sh.
 * It serves /dev/teepriv0 the way tee-supplicant does (TEE_IOC_SUPPL_RECV,
 * TEE_IOC_SUPPL_SEND) but answers the secure world's requests with lies,
 * to check that the secure world takes nothing the normal world says on
 * trust. Modes (argv[1]):
 *   huge    LOAD_TA says the image is 1 TiB
 *   grow    LOAD_TA says 4 KiB when asked for the size, 8 KiB when filling
 *   badshm  SHM_ALLOC answers with a shared-memory id that does not exist
 *   error   LOAD_TA fails with a code that is not a GP one (0x12345)
 *   slow    LOAD_TA answers after 3 s (the caller is killed meanwhile)
 * Runs until killed. Prints `fake_supp: <mode>: <request> -> <answer>`.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/tee.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define RPC_LOAD_TA 0
#define RPC_SHM_ALLOC 6
#define RPC_SHM_FREE 7
#define MAX_PARAMS 5

union msg {
	struct tee_iocl_supp_recv_arg recv;
	struct tee_iocl_supp_send_arg send;
	uint8_t raw[sizeof(struct tee_iocl_supp_recv_arg) + MAX_PARAMS * sizeof(struct tee_ioctl_param)];
};

static int shm_register(int fd, size_t size)
{
	struct tee_ioctl_shm_register_data d;
	memset(&d, 0, sizeof(d));
	void *p = calloc(1, size ? size : 1);
	if (!p)
		return -1;
	d.addr = (uintptr_t)p;
	d.length = size;
	int shm_fd = ioctl(fd, TEE_IOC_SHM_REGISTER, &d);
	return shm_fd < 0 ? -1 : d.id;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "huge";
	int fd = open("/dev/teepriv0", O_RDWR);
	if (fd < 0) {
		printf("fake_supp: open /dev/teepriv0: %s\n", strerror(errno));
		return 1;
	}
	printf("fake_supp: %s: serving\n", mode);
	fflush(stdout);
	union msg m;
	uint32_t ret = 0;
	int first = 1;
	for (;;) {
		struct tee_ioctl_buf_data b = {(uintptr_t)&m, sizeof(m)};
		struct tee_ioctl_param *p = m.recv.params;
		if (!first) {
			/* The answer to the last request, then the next request. */
			m.send.ret = ret;
			/* (Refused when the request went away meanwhile.) */
			if (ioctl(fd, TEE_IOC_SUPPL_SEND, &b) < 0)
				printf("fake_supp: send: %s\n", strerror(errno));
		}
		first = 0;
		memset(&m, 0, sizeof(m));
		m.recv.num_params = MAX_PARAMS;
		if (ioctl(fd, TEE_IOC_SUPPL_RECV, &b) < 0) {
			printf("fake_supp: recv: %s\n", strerror(errno));
			return 1;
		}
		uint32_t func = m.recv.func, n = m.recv.num_params;
		ret = 0xFFFF000A; /* TEEC_ERROR_NOT_SUPPORTED */
		if (func == RPC_LOAD_TA && n == 2) {
			int query = p[1].c == TEE_MEMREF_NULL || p[1].b == 0;
			ret = 0;
			if (!strcmp(mode, "huge"))
				p[1].b = 1ULL << 40;
			else if (!strcmp(mode, "grow"))
				p[1].b = query ? 4096 : 8192;
			else if (!strcmp(mode, "error"))
				ret = 0x12345;
			else if (!strcmp(mode, "slow")) {
				sleep(3);
				p[1].b = 4096;
			} else
				p[1].b = 4096;
		} else if (func == RPC_SHM_ALLOC && n == 1) {
			ret = 0;
			p[0].c = !strcmp(mode, "badshm") ? 9999 : (uint64_t)shm_register(fd, p[0].b);
		} else if (func == RPC_SHM_FREE && n == 1) {
			ret = 0;
		}
		/* The reply's parameters are the request's, as changed above. */
		m.send.num_params = n;
		printf("fake_supp: %s: request %u -> 0x%x\n", mode, func, ret);
		fflush(stdout);
	}
}
