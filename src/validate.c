/* Validation of names, numbers and port specs. */
#include "compat.h"

#include <stdlib.h>
#include <string.h>

#include "baseimg.h"
#include "util.h"
#include "validate.h"

int
valid_name(const char *s)
{
	size_t n = 0;

	if (*s < 'a' || *s > 'z')
		return 0;
	for (; *s; s++, n++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '-'))
			return 0;
	}
	return n <= NAME_MAX_LEN;
}

int
reserved_vm_name(const char *s)
{
	return strcmp(s, "base") == 0 || strcmp(s, "builder") == 0 ||
	    strcmp(s, baseimg_builder()) == 0;
}

int
valid_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (*s == '\0' || *s == '0')
		return 0;	/* empty, zero or a leading zero */
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		if ((unsigned long)(*s - '0') > max ||
		    v > (max - (unsigned long)(*s - '0')) / 10)
			return 0;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (out)
		*out = v;
	return v >= 1;
}

int
valid_count(const char *s, unsigned long max)
{
	if (strcmp(s, "0") == 0)
		return 1;
	return valid_uint(s, max, NULL);
}

int
valid_gib(const char *s)
{
	const char *dot = strchr(s, '.');
	size_t ilen = dot ? (size_t)(dot - s) : strlen(s);
	size_t i;
	int nonzero = 0;

	/* Lima prints the float32 with %v: a million would become 1e+06. */
	if (ilen == 0 || ilen > 6 || (ilen > 1 && s[0] == '0'))
		return 0;
	for (i = 0; s[i]; i++) {
		if (s + i == dot)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (s[i] != '0')
			nonzero = 1;
	}
	if (dot && (dot[1] == '\0' || strlen(dot + 1) > 3))
		return 0;
	return nonzero;
}

int
valid_size(const char *s, unsigned long long *out)
{
	unsigned long long v = 0, unit = 1;
	const char *p = s;

	if (*p < '1' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (~0ULL - (unsigned)(*p - '0')) / 10)
			return 0;
		v = v * 10 + (unsigned)(*p - '0');
	}
	switch (*p) {
	case '\0':
		break;
	case 'K': case 'k':
		unit = 1ULL << 10;
		break;
	case 'M': case 'm':
		unit = 1ULL << 20;
		break;
	case 'G': case 'g':
		unit = 1ULL << 30;
		break;
	case 'T': case 't':
		unit = 1ULL << 40;
		break;
	default:
		return 0;
	}
	if (*p != '\0' && p[1] != '\0')
		return 0;
	if (v > ~0ULL / unit)
		return 0;
	if (out)
		*out = v * unit;
	return 1;
}

static int
valid_port(const char *s, size_t len)
{
	char buf[8];

	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return valid_uint(buf, 65535, NULL);
}

int
valid_port_spec(const char *s)
{
	const char *colon = strchr(s, ':');

	if (colon == NULL || strchr(colon + 1, ':') != NULL)
		return 0;
	return valid_port(s, (size_t)(colon - s)) &&
	    valid_port(colon + 1, strlen(colon + 1));
}

int
valid_vm_type(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return 0;
	}
	return n <= 16;
}

int
valid_egress_host(const char *s)
{
	const char *label, *e;
	size_t labels = 0;
	int digits = 0;

	if (*s == '.')
		s++;
	if (*s == '\0' || strlen(s) > 253)
		return 0;
	for (label = s;; label = e + 1) {
		digits = 1;
		for (e = label; *e && *e != '.'; e++) {
			if (*e >= '0' && *e <= '9')
				continue;
			digits = 0;
			if (!((*e >= 'a' && *e <= 'z') || *e == '-'))
				return 0;
		}
		if (e == label || e - label > 63 || *label == '-' ||
		    e[-1] == '-')
			return 0;
		labels++;
		if (*e == '\0')
			break;
	}
	return labels >= 2 && !digits;
}

int
parse_target(const char *arg, char **vm, char **proj, const char **why)
{
	const char *slash = strchr(arg, '/');
	char *v;

	*vm = *proj = NULL;
	if (slash == NULL) {
		if (!valid_name(arg)) {
			*why = "invalid VM name";
			return 0;
		}
		*vm = xstrdup(arg);
		return 1;
	}
	if (strchr(slash + 1, '/') != NULL) {
		*why = "expected <vm>/<project> with one '/'";
		return 0;
	}
	v = xstrndup(arg, (size_t)(slash - arg));
	if (!valid_name(v)) {
		free(v);
		*why = "invalid VM name";
		return 0;
	}
	if (!valid_name(slash + 1)) {
		free(v);
		*why = "invalid project name";
		return 0;
	}
	*vm = v;
	*proj = xstrdup(slash + 1);
	return 1;
}

int
valid_env_name(const char *s)
{
	size_t n = 0;

	if (!((*s >= 'A' && *s <= 'Z') || *s == '_'))
		return 0;
	for (; *s; s++, n++) {
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    *s == '_'))
			return 0;
	}
	return n <= 64;
}

int
valid_plain(const char *s, const char *extra)
{
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(extra, *s) != NULL))
			return 0;
	}
	return 1;
}

int
valid_unit(const char *s)
{
	if (*s == '\0' || *s == '-' || *s == '.')
		return 0;
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		    *s == '.' || *s == '@' || *s == ':'))
			return 0;
	}
	return 1;
}
