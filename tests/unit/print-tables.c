/* SPDX-License-Identifier: Apache-2.0 */
/*
 * print-tables: prints the namespace-type table and the discovery-option
 * table through the public API, one row a line, tab-separated, for
 * check-options.py:
 *   type    NAME    LETTER  CLONE_FLAG
 *   option  QUERY   FLAG    JSON_KEY|-      DEFAULT(0/1)    ALSO|-  HELP
 */
#include <stdio.h>

#include <lxkns/lxkns.h>

int main(void)
{
	const struct lxkns_discover_option *o;

	for (int t = 0; t < _LXKNS_NS_TYPE_MAX; t++)
		printf("type\t%s\t%c\t%#lx\n", lxkns_ns_type_name(t), lxkns_ns_type_letter(t),
		       lxkns_ns_type_clone_flag(t));
	for (size_t i = 0; (o = lxkns_discover_option_at(i)); i++)
		printf("option\t%s\t%s\t%s\t%d\t%s\t%s\n", o->query, o->flag,
		       o->json_key ? o->json_key : "-", o->on_by_default,
		       o->flag_also ? o->flag_also : "-", o->help);
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
