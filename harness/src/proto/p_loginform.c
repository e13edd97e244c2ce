/* p_loginform.c: is an HTML page a login form and nothing more?  A bounded
 * tag scanner (no DOM, no allocation): it counts the data controls of each
 * form and of the controls outside any form, then judges the page.
 *
 * The scan only needs tag names and the `type` attribute of <input>, so it
 * reads attributes just far enough to find where each tag ends.  Every loop
 * step consumes at least one byte, so the work is linear in the page.
 */
#include "proto/p_loginform.h"

#include <string.h>

#define NAME_MAX_LEN 16

struct cursor {
	const uint8_t *b;
	size_t len, i;
};

/* The data controls of one form (or of the controls outside every form). */
struct form_count {
	unsigned password, text, checkbox, other;
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Does buf[at..) start with the lower-case word w, ignoring case? */
static int starts_with(const struct cursor *c, size_t at, const char *w)
{
	size_t n = strlen(w);
	if (at > c->len || c->len - at < n)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (lower(c->b[at + k]) != w[k])
			return 0;
	return 1;
}

/* Move past the first occurrence of the lower-case word w at or after the
 * cursor; to the end when there is none. */
static void skip_past(struct cursor *c, const char *w)
{
	size_t n = strlen(w);
	for (; c->i < c->len; c->i++)
		if (starts_with(c, c->i, w)) {
			c->i += n;
			return;
		}
}

/* Copy up to NAME_MAX_LEN bytes, lower-cased, of the run of bytes for which
 * keep() holds; the rest of the run is consumed but not copied. */
static void read_word(struct cursor *c, char out[NAME_MAX_LEN + 1], int (*keep)(int))
{
	size_t n = 0;
	while (c->i < c->len && keep(c->b[c->i])) {
		if (n < NAME_MAX_LEN)
			out[n++] = (char)lower(c->b[c->i]);
		c->i++;
	}
	out[n] = '\0';
}

static int attr_name_char(int ch)
{
	return !is_space(ch) && ch != '=' && ch != '>' && ch != '/';
}

static int unquoted_value_char(int ch)
{
	return !is_space(ch) && ch != '>';
}

/* Read one attribute value after '='; a quoted value runs to its closing
 * quote (to the end of the page when there is none). */
static void read_value(struct cursor *c, char out[NAME_MAX_LEN + 1])
{
	out[0] = '\0';
	if (c->i >= c->len)
		return;
	uint8_t q = c->b[c->i];
	if (q != '"' && q != '\'') {
		read_word(c, out, unquoted_value_char);
		return;
	}
	size_t n = 0;
	for (c->i++; c->i < c->len && c->b[c->i] != q; c->i++)
		if (n < NAME_MAX_LEN)
			out[n++] = (char)lower(c->b[c->i]);
	out[n] = '\0';
	if (c->i < c->len)
		c->i++; /* the closing quote */
}

/* Read the attributes of a tag up to and past its '>'; the value of `type`
 * goes to type (empty when absent). */
static void read_attributes(struct cursor *c, char type[NAME_MAX_LEN + 1])
{
	type[0] = '\0';
	while (c->i < c->len) {
		uint8_t ch = c->b[c->i];
		if (ch == '>') {
			c->i++;
			return;
		}
		if (is_space(ch) || ch == '/' || ch == '=') {
			c->i++; /* a stray '=' without a name is skipped too */
			continue;
		}
		char name[NAME_MAX_LEN + 1], value[NAME_MAX_LEN + 1];
		read_word(c, name, attr_name_char);
		while (c->i < c->len && is_space(c->b[c->i]))
			c->i++;
		if (c->i < c->len && c->b[c->i] == '=') {
			c->i++;
			while (c->i < c->len && is_space(c->b[c->i]))
				c->i++;
			read_value(c, value);
			if (strcmp(name, "type") == 0)
				memcpy(type, value, sizeof value);
		}
	}
}

/* Count one <input> by its type.  Hidden fields and buttons carry no data
 * the user sees or sets. */
static void count_input(struct form_count *fc, const char *type)
{
	static const char *const inert[] = { "hidden", "submit", "button", "reset", "image" };
	static const char *const textlike[] = { "", "text", "email", "tel", "number", "search", "url" };
	for (size_t k = 0; k < sizeof inert / sizeof inert[0]; k++)
		if (strcmp(type, inert[k]) == 0)
			return;
	if (strcmp(type, "password") == 0) {
		fc->password++;
		return;
	}
	if (strcmp(type, "checkbox") == 0) {
		fc->checkbox++;
		return;
	}
	for (size_t k = 0; k < sizeof textlike / sizeof textlike[0]; k++)
		if (strcmp(type, textlike[k]) == 0) {
			fc->text++;
			return;
		}
	fc->other++; /* radio, file, range, date, ...: a setting, not a login */
}

static int is_login_form(const struct form_count *fc)
{
	return fc->password == 1 && fc->text <= 2 && fc->checkbox <= 1 && fc->other == 0;
}

static unsigned controls(const struct form_count *fc)
{
	return fc->password + fc->text + fc->checkbox + fc->other;
}

/* Judge one finished form (or the controls outside all forms). */
static void finish_form(struct form_count *fc, struct tb_page_facts *f)
{
	if (is_login_form(fc))
		f->login_forms++;
	else
		f->other_controls += controls(fc);
	memset(fc, 0, sizeof *fc);
}

/* Handle one start or end tag whose name has been read. */
static void on_tag(struct cursor *c, const char *name, int closing, struct form_count *form,
		   struct form_count *outside, int *in_form, struct tb_page_facts *f)
{
	char type[NAME_MAX_LEN + 1];
	read_attributes(c, type);
	struct form_count *fc = *in_form ? form : outside;
	if (closing) {
		if (strcmp(name, "form") == 0 && *in_form) {
			finish_form(form, f);
			*in_form = 0;
		}
		return;
	}
	if (strcmp(name, "form") == 0) {
		if (!*in_form) /* a nested <form> is ignored, as browsers do */
			f->forms++;
		*in_form = 1;
	} else if (strcmp(name, "input") == 0) {
		count_input(fc, type);
		if (strcmp(type, "password") == 0)
			f->password_fields++;
	} else if (strcmp(name, "select") == 0) {
		fc->other++;
	} else if (strcmp(name, "textarea") == 0) {
		fc->other++;
		skip_past(c, "</textarea");
	} else if (strcmp(name, "script") == 0) {
		skip_past(c, "</script");
	} else if (strcmp(name, "style") == 0) {
		skip_past(c, "</style");
	}
}

/* After '<': a comment, a declaration or processing instruction, or a tag. */
static void on_markup(struct cursor *c, struct form_count *form, struct form_count *outside,
		      int *in_form, struct tb_page_facts *f)
{
	if (starts_with(c, c->i, "<!--")) {
		c->i += 4;
		skip_past(c, "-->");
		return;
	}
	size_t at = c->i + 1;
	int closing = at < c->len && c->b[at] == '/';
	at += (size_t)closing;
	if (at < c->len && (c->b[at] == '!' || c->b[at] == '?')) {
		c->i = at;
		skip_past(c, ">");
		return;
	}
	if (at >= c->len || !is_alnum(c->b[at])) {
		c->i++; /* a lone '<' in text */
		return;
	}
	char name[NAME_MAX_LEN + 1];
	c->i = at;
	read_word(c, name, is_alnum);
	f->tags++;
	on_tag(c, name, closing, form, outside, in_form, f);
}

enum tb_page_kind tb_p_login_page(const uint8_t *body, size_t len, struct tb_page_facts *out)
{
	struct tb_page_facts f;
	struct form_count form, outside;
	struct cursor c = { body, len, 0 };
	int in_form = 0;

	memset(&f, 0, sizeof f);
	memset(&form, 0, sizeof form);
	memset(&outside, 0, sizeof outside);
	if (len > TB_LOGINFORM_MAX_BYTES || (len && !body)) {
		if (out)
			*out = f;
		return TB_PAGE_UNJUDGED;
	}
	while (c.i < c.len && f.tags <= TB_LOGINFORM_MAX_TAGS) {
		if (c.b[c.i] != '<') {
			c.i++;
			continue;
		}
		on_markup(&c, &form, &outside, &in_form, &f);
	}
	if (in_form) /* a form the page never closed ends with the page */
		finish_form(&form, &f);
	finish_form(&outside, &f); /* formless login pages exist (scripted logins) */
	if (out)
		*out = f;
	if (f.tags > TB_LOGINFORM_MAX_TAGS)
		return TB_PAGE_UNJUDGED;
	if (f.login_forms == 0)
		return TB_PAGE_CONTENT;
	return f.login_forms == 1 && f.other_controls == 0 ? TB_PAGE_LOGIN_FORM : TB_PAGE_MIXED;
}
