#include "fmt.h"

#include <stdint.h>

static int emit_num(fmt_putc_fn out, void *ctx, unsigned long long v, unsigned base, int upper,
                    int neg, int width, char pad)
{
	char tmp[24];
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0, count = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	if (neg && pad == '0') {
		out(ctx, '-');
		count++;
		n--;
		width--;
	}
	for (int i = n; i < width; i++, count++)
		out(ctx, pad);
	while (n)
		out(ctx, tmp[--n]), count++;
	return count;
}

int fmt_vformat(fmt_putc_fn out, void *ctx, const char *fmt, va_list ap)
{
	int count = 0;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out(ctx, *fmt);
			count++;
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, lng = 0;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z')
			lng++, fmt++;
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);
			unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
			count += emit_num(out, ctx, u, 10, 0, v < 0, width, pad);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			unsigned long long v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
			count += emit_num(out, ctx, v, *fmt == 'u' ? 10 : 16, *fmt == 'X', 0, width, pad);
			break;
		}
		case 'p':
			out(ctx, '0');
			out(ctx, 'x');
			count += 2 + emit_num(out, ctx, (uintptr_t)va_arg(ap, void *), 16, 0, 0, width, pad);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int len = 0;
			while (s[len])
				len++;
			for (int i = len; i < width; i++, count++)
				out(ctx, ' ');
			for (int i = 0; i < len; i++, count++)
				out(ctx, s[i]);
			break;
		}
		case 'c':
			out(ctx, (char)va_arg(ap, int));
			count++;
			break;
		case '%':
			out(ctx, '%');
			count++;
			break;
		case '\0':
			return count;
		default:
			out(ctx, '%');
			out(ctx, *fmt);
			count += 2;
			break;
		}
	}
	return count;
}

struct sbuf {
	char *buf;
	size_t size, pos;
};

static void sbuf_putc(void *ctx, char c)
{
	struct sbuf *s = ctx;
	if (s->pos + 1 < s->size)
		s->buf[s->pos] = c;
	s->pos++;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct sbuf s = {buf, size, 0};
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vformat(sbuf_putc, &s, fmt, ap);
	va_end(ap);
	if (size)
		buf[s.pos < size ? s.pos : size - 1] = '\0';
	return n;
}
