/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "tool-common.h"

static const char *name = "lxkns";
static bool in_usage;

void tool_init(const char *n)
{
	name = n;
	in_usage = true;
}

void tool_usage_done(void)
{
	in_usage = false;
}

int tool_usage_hint(void)
{
	static bool hinted;

	/* once: tool_fail() gives it during the command line's check, and a
	 * tool's own error path may ask again */
	if (!hinted)
		fprintf(stderr, "Try '%s --help' for more information.\n", name);
	hinted = true;
	return 1;
}

void tool_help(void (*usage)(FILE *out))
{
	usage(stdout);
	printf("\nFor more details see %s(1).\n", name);
}

void tool_version(void)
{
	printf("%s (lxkns) %s\n", name, LXKNS_VERSION);
}

#undef getopt_long
int tool_getopt_long(int argc, char *const argv[], const char *shortopts,
		     const struct option *longopts, int *longindex)
{
	/* argv[] of main() is writable; getopt only permutes it */
	if (argc > 0)
		((char **)argv)[0] = (char *)name;
	return getopt_long(argc, argv, shortopts, longopts, longindex);
}

const char *tool_name(void)
{
	return name;
}

int tool_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (in_usage)
		tool_usage_hint();
	return 1;
}

int tool_parse_int(const char *s, int min, int max, int *ret)
{
	char *end;
	long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

int tool_parse_type_filter(const char *s, unsigned *mask)
{
	char *copy = strdup(s ? s : ""), *save = NULL;
	unsigned m = 0;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int t = lxkns_ns_type_from_name(tok);
		if (t < 0 && tok[0] && !tok[1])
			t = lxkns_ns_type_from_letter(tok[0]);
		if (t < 0) {
			ret = -EINVAL;
			break;
		}
		m |= LXKNS_NS_TYPE_BIT(t);
	}
	free(copy);
	if (ret == 0 && m == 0)
		ret = -EINVAL;
	if (ret == 0)
		*mask = (*mask == LXKNS_NS_TYPE_ALL ? 0 : *mask) | m;
	return ret;
}

int tool_read_input(const char *path, struct lxkns_result **ret)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	char err[512];
	int r;

	if (!f) {
		tool_fail("cannot open '%s': %s", path, strerror(errno));
		return -errno;
	}
	r = lxkns_result_read_json_file(f, ret, err, sizeof(err));
	if (f != stdin)
		fclose(f);
	if (r < 0) {
		tool_fail("cannot read a discovery from '%s': %s",
			  strcmp(path, "-") ? path : "stdin", err[0] ? err : strerror(-r));
	}
	return r;
}

int tool_discover(const struct lxkns_discover_opts *opts, struct lxkns_result **ret)
{
	int r = lxkns_discover(opts, ret);
	if (r < 0)
		tool_fail("discovery failed: %s", strerror(-r));
	return r;
}

void tool_print_diagnostics(const struct lxkns_result *result, FILE *out)
{
	size_t n = lxkns_result_diagnostic_count(result);
	for (size_t i = 0; i < n; i++) {
		const struct lxkns_diagnostic *d = lxkns_result_diagnostic_at(result, i);
		fprintf(out, "%s: %s\n", name, d->message);
	}
}

void tool_report_view(const struct lxkns_result *result, bool diagnostics, FILE *out)
{
	char summary[256];

	if (diagnostics) {
		tool_print_diagnostics(result, out);
		return;
	}
	if (lxkns_result_partial_view(result, summary, sizeof(summary)) > 0)
		fprintf(out, "%s: %s; --diagnostics lists them\n", name, summary);
}

int tool_file_sink(void *userdata, const char *buf, size_t len)
{
	return fwrite(buf, 1, len, userdata) == len ? 0 : -EIO;
}
