/* p_loginform.h: does an HTML page only ask for a login (a form with one
 * password field and nothing of an admin function), or does it show more?
 * A pure, bounded scan of the page's tags, for http-auth (5.5-5).
 */
#ifndef TB_P_LOGINFORM_H
#define TB_P_LOGINFORM_H

#include <stddef.h>
#include <stdint.h>

/* Pages longer than this are not judged (the HTTP client caps responses at
 * 256 KiB anyway), and scanning stops after this many tags. */
#define TB_LOGINFORM_MAX_BYTES (256u * 1024u)
#define TB_LOGINFORM_MAX_TAGS 20000u

enum tb_page_kind {
	TB_PAGE_LOGIN_FORM, /* asks for authentication and shows nothing else */
	TB_PAGE_CONTENT,    /* no login form: whatever the page shows, it grants */
	TB_PAGE_MIXED,      /* a login form beside other data controls: the page
			     * alone does not say whether it grants anything */
	TB_PAGE_UNJUDGED,   /* too long or too many tags to judge */
};

/* What the scan counted (for the evidence note). */
struct tb_page_facts {
	unsigned forms;           /* <form> elements */
	unsigned login_forms;     /* forms with exactly one password field and no
				   * select, textarea or other data controls */
	unsigned password_fields; /* <input type=password> anywhere */
	unsigned other_controls;  /* data controls outside the one login form:
				   * inputs other than hidden/submit/button/reset/
				   * image, selects and textareas */
	unsigned tags;            /* tags scanned */
};

/* Classify the page body[0..len) (need not be NUL-terminated).  A login form
 * page has exactly one login form (one password field, at most two text-like
 * fields such as a user name or a one-time code, an optional remember-me
 * checkbox, hidden fields and buttons) and no other data control anywhere:
 * a form with a second password field (a change-password form), a select
 * or a textarea is no login form.  A page with no login form is CONTENT; one
 * with a login form and other data controls as well is MIXED.  Comments and the contents of <script>,
 * <style> and <textarea> are skipped; tag and attribute names and the type value are case-insensitive;
 * quoted and unquoted attribute values are read.  Never reads outside the buffer; linear in len.  f may
 * be NULL. */
enum tb_page_kind tb_p_login_page(const uint8_t *body, size_t len, struct tb_page_facts *f);

#endif
