/* cli_list.c: `trustbench list [--json | --suite FILE]`: the check families
 * with their parameters and the features (as text, or as JSON for tools such
 * as harness/tools/gen-etsi-suite.py), or a suite's test cases. */
#include <stdio.h>
#include <string.h>

#include "check/family.h"
#include "cli/cli.h"
#include "result/verdict.h"
#include "load/suite.h"

static const char list_usage[] =
	"usage: trustbench list [--json | --suite FILE]\n"
	"Without --suite: the check families, their parameters and the features\n"
	"(--json: the same as one JSON object, for tools).\n"
	"With --suite: the suite's test cases (id, kind, check family, title).\n";

static const char *ptype_name(enum tb_ptype t)
{
	switch (t) {
	case TB_P_STR: return "string";
	case TB_P_INT: return "integer";
	case TB_P_BOOL: return "boolean";
	case TB_P_STRLIST: return "list of strings";
	case TB_P_INTLIST: return "list of integers";
	}
	return "?";
}

/* A default as text: a list without its brackets ("23, 2323"). */
static void print_param(const struct tb_param_def *def)
{
	printf("      %s%s (%s): %s", def->name, def->required ? "*" : "", ptype_name(def->type),
	       def->help);
	const char *v = def->dflt;
	if (v && v[0] == '[')
		printf(" (default %.*s)", (int)strlen(v) - 2, v + 1);
	else if (v)
		printf(" (default %s)", v);
	printf("\n");
}

/* ---- JSON ---- */

/* A JSON string; the text is the program's own (names, help), but is
 * escaped fully all the same. */
static void json_str(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void json_strs(const char *const *v)
{
	putchar('[');
	for (size_t i = 0; v[i]; i++) {
		printf(i ? ", " : "");
		json_str(v[i]);
	}
	putchar(']');
}

static const char *json_type(enum tb_ptype t)
{
	switch (t) {
	case TB_P_STR: return "string";
	case TB_P_INT: return "integer";
	case TB_P_BOOL: return "boolean";
	case TB_P_STRLIST: return "string-list";
	case TB_P_INTLIST: return "integer-list";
	}
	return "?";
}

/* The default as a typed JSON value, loaded as the suite loader loads it. */
static int json_default(const struct tb_param_def *def)
{
	struct tb_param v;
	struct tb_diag d = { 0 };
	if (tb_param_default(def, &v, &d) != TB_OK) {
		fprintf(stderr, "trustbench list: %s\n", d.msg);
		return -1;
	}
	switch (def->type) {
	case TB_P_STR: json_str(v.s); break;
	case TB_P_INT: printf("%lld", v.i); break;
	case TB_P_BOOL: printf(v.b ? "true" : "false"); break;
	case TB_P_STRLIST:
	case TB_P_INTLIST:
		putchar('[');
		for (size_t i = 0; i < v.n; i++) {
			printf(i ? ", " : "");
			if (def->type == TB_P_INTLIST)
				printf("%lld", v.il[i]);
			else
				json_str(v.sl[i]);
		}
		putchar(']');
		break;
	}
	tb_param_clear(&v);
	return 0;
}

static int json_param(const struct tb_param_def *def)
{
	printf("        {\"name\": ");
	json_str(def->name);
	printf(", \"type\": \"%s\", \"required\": %s", json_type(def->type),
	       def->required ? "true" : "false");
	if (def->type == TB_P_INT || def->type == TB_P_INTLIST)
		printf(", \"min\": %lld, \"max\": %lld", def->min, def->max);
	if (def->choices) {
		printf(", \"choices\": ");
		json_strs(def->choices);
	}
	if (def->dflt) {
		printf(", \"default\": ");
		if (json_default(def))
			return -1;
	}
	printf(", \"help\": ");
	json_str(def->help);
	printf("}");
	return 0;
}

static void json_flags(unsigned flags)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ TB_FAM_INTRUSIVE, "intrusive" },
		{ TB_FAM_CONCEPTUAL, "conceptual" },
		{ TB_FAM_EXAMINER, "examiner" },
		{ TB_FAM_AFTER_ACTIVE, "after-active" },
	};
	int first = 1;
	putchar('[');
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (flags & names[i].bit) {
			printf(first ? "\"%s\"" : ", \"%s\"", names[i].name);
			first = 0;
		}
	putchar(']');
}

/* The registry as one JSON object: version, families (name, summary,
 * flags, params with type, required, min/max, choices, default, help) and
 * features.  Returns the exit code. */
static int list_families_json(void)
{
	printf("{\n  \"trustbench\": \"%s\",\n  \"families\": [\n", TB_VERSION);
	for (size_t i = 0; i < tb_nfamilies; i++) {
		const struct tb_check_family *f = tb_families[i];
		printf("    {\"name\": ");
		json_str(f->name);
		printf(", \"summary\": ");
		json_str(f->summary);
		printf(", \"flags\": ");
		json_flags(f->flags);
		printf(", \"params\": [%s", f->nparams ? "\n" : "");
		for (size_t j = 0; j < f->nparams; j++) {
			if (json_param(&f->params[j]))
				return TB_EXIT_USAGE;
			printf(j + 1 < f->nparams ? ",\n" : "\n      ");
		}
		printf("]}%s\n", i + 1 < tb_nfamilies ? "," : "");
	}
	printf("  ],\n  \"features\": ");
	json_strs(tb_feature_names);
	printf("\n}\n");
	return 0;
}

static void list_families(void)
{
	printf("check families:\n");
	for (size_t i = 0; i < tb_nfamilies; i++) {
		const struct tb_check_family *f = tb_families[i];
		printf("  %-20s %s%s\n", f->name, f->summary,
		       f->flags & TB_FAM_INTRUSIVE ? " [intrusive: needs lab.intrusive: true]" : "");
		for (size_t j = 0; j < f->nparams; j++)
			print_param(&f->params[j]);
	}
	printf("features usable in applies-when and declarations.features:\n ");
	for (const char *const *n = tb_feature_names; *n; n++)
		printf(" %s", *n);
	printf("\n");
}

int tb_cmd_list(int argc, char **argv)
{
	if (argc == 1 && tb_cli_is_help(argv[0])) {
		fputs(list_usage, stdout);
		return 0;
	}
	if (argc == 0) {
		list_families();
		return 0;
	}
	if (argc == 1 && strcmp(argv[0], "--json") == 0)
		return list_families_json();
	if (argc != 2 || strcmp(argv[0], "--suite") != 0) {
		fprintf(stderr, "trustbench list: unexpected arguments\n%s", list_usage);
		return TB_EXIT_USAGE;
	}
	struct tb_diag d = { 0 };
	struct tb_suite *s;
	if (tb_suite_load(argv[1], &s, &d) != TB_OK) {
		tb_cli_print_diag(&d);
		return TB_EXIT_USAGE;
	}
	printf("%s: %s (%zu groups, %zu test cases)\n", s->id, s->title, s->ngroups, s->ncases);
	for (size_t i = 0; i < s->ncases; i++) {
		const struct tb_case *c = &s->cases[i];
		printf("  %-10s %-22s %-20s %s\n", c->id, tb_kind_name(c->kind), c->family->name,
		       c->title);
	}
	tb_suite_free(s);
	return 0;
}
