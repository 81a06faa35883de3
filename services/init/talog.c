/* ta_log= on the command line: see talog.h. */
#include "talog.h"

#include <stddef.h>

static int is_end(char c)
{
	return c == '\0' || c == ' ';
}

/* The items of one ta_log= value, into *best / *best_len. */
static void talog_items(const char *p, const char *uuid, int *best, size_t *best_len)
{
	while (!is_end(*p)) {
		const char *item = p;
		while (!is_end(*p) && *p != ',')
			p++;
		const char *end = p;
		if (*p == ',')
			p++;
		const char *colon = item;
		while (colon < end && *colon != ':')
			colon++;
		const char *lv = colon < end ? colon + 1 : item;
		if (end - lv != 1 || *lv < '0' || *lv > '4')
			continue; /* not one digit 0..4 */
		int level = *lv - '0';
		if (colon == end) { /* LEVEL alone */
			if (*best_len == 0)
				*best = level;
			continue;
		}
		size_t n = (size_t)(colon - item);
		if (n < 4 || n > 36)
			continue;
		size_t i = 0;
		while (i < n && uuid[i] && uuid[i] == item[i])
			i++;
		if (i == n && n > *best_len) {
			*best = level;
			*best_len = n;
		}
	}
}

int talog_level(const char *cmdline, const char *uuid)
{
	static const char key[] = "ta_log=";
	int best = -1;
	size_t best_len = 0; /* 0: a bare LEVEL (or nothing yet) */
	for (const char *p = cmdline; p && *p; p++) {
		if (p != cmdline && p[-1] != ' ')
			continue;
		size_t k = 0;
		while (key[k] && p[k] == key[k])
			k++;
		if (!key[k])
			talog_items(p + k, uuid, &best, &best_len);
	}
	return best;
}
