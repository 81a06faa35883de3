/* Argument strings (mt_proc_start_args): space-separated words, some of
 * them key=value. Portable: the host unit test (tests/unit/test_args.c)
 * builds it too. */
#include "args.h"

#include <string.h>

#include "../../include/microtee/syscall.h"

const char *mt_arg(const char *args, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = args; p && *p; p++)
		if ((p == args || p[-1] == ' ') && strncmp(p, key, n) == 0)
			return p + n;
	return 0;
}

long mt_arg_u64(const char *args, const char *key, uint64_t *out)
{
	const char *p = mt_arg(args, key);
	if (!p)
		return MT_ENOENT;
	unsigned base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2;
	uint64_t v = 0;
	int digits = 0;
	for (; *p && *p != ' '; p++, digits++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return MT_EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return MT_EINVAL;
		v = v * base + d;
	}
	if (!digits)
		return MT_EINVAL;
	*out = v;
	return MT_OK;
}
