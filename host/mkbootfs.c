/* mkbootfs OUT NAME=FILE...: packs user programs into the boot file system
 * (include/microtee/bootfs.h) that the firmware image carries.
 * mkbootfs --list IMAGE: prints each entry's name and size, one a line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../include/microtee/bootfs.h"

static int list(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "mkbootfs: cannot open %s\n", path);
		return 1;
	}
	struct bootfs_header h;
	if (fread(&h, sizeof(h), 1, f) != 1 || h.magic != BOOTFS_MAGIC || h.count > 4096) {
		fprintf(stderr, "mkbootfs: %s is not a boot file system\n", path);
		fclose(f);
		return 1;
	}
	for (uint32_t i = 0; i < h.count; i++) {
		struct bootfs_entry e;
		if (fread(&e, sizeof(e), 1, f) != 1 || memchr(e.name, 0, sizeof(e.name)) == 0) {
			fprintf(stderr, "mkbootfs: %s: bad entry %u\n", path, i);
			fclose(f);
			return 1;
		}
		printf("%s %u\n", e.name, e.size);
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--list") == 0)
		return list(argv[2]);
	if (argc < 3) {
		fprintf(stderr, "usage: %s OUT NAME=FILE...\n", argv[0]);
		return 2;
	}
	unsigned n = (unsigned)(argc - 2);
	struct bootfs_header h = {BOOTFS_MAGIC, n};
	struct bootfs_entry *e = calloc(n, sizeof(*e));
	unsigned char **data = calloc(n, sizeof(*data));
	if (!e || !data)
		return 1;
	uint32_t off = (uint32_t)(sizeof(h) + n * sizeof(*e));
	for (unsigned i = 0; i < n; i++) {
		char *arg = argv[i + 2], *eq = strchr(arg, '=');
		if (!eq || (size_t)(eq - arg) >= BOOTFS_NAME_MAX || eq == arg) {
			fprintf(stderr, "mkbootfs: bad entry '%s'\n", arg);
			return 1;
		}
		memcpy(e[i].name, arg, (size_t)(eq - arg));
		FILE *f = fopen(eq + 1, "rb");
		if (!f) {
			perror(eq + 1);
			return 1;
		}
		fseek(f, 0, SEEK_END);
		long size = ftell(f);
		fseek(f, 0, SEEK_SET);
		data[i] = malloc((size_t)size);
		if (!data[i] || fread(data[i], 1, (size_t)size, f) != (size_t)size) {
			fprintf(stderr, "mkbootfs: cannot read %s\n", eq + 1);
			return 1;
		}
		fclose(f);
		off = (off + 15) & ~15U;
		e[i].offset = off;
		e[i].size = (uint32_t)size;
		off += (uint32_t)size;
	}
	FILE *out = fopen(argv[1], "wb");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	fwrite(&h, sizeof(h), 1, out);
	fwrite(e, sizeof(*e), n, out);
	long pos = (long)(sizeof(h) + n * sizeof(*e));
	for (unsigned i = 0; i < n; i++) {
		while (pos < (long)e[i].offset)
			fputc(0, out), pos++;
		fwrite(data[i], 1, e[i].size, out);
		pos += e[i].size;
	}
	return fclose(out) ? 1 : 0;
}
