/* fuzz_profile.c: libFuzzer target for the profile loader (tb_profile_parse). */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tb_profile *p = (struct tb_profile *)1;
	struct tb_diag d;
	memset(&d, 0, sizeof d);
	enum tb_err e = tb_profile_parse("fuzz/profile.yaml", data, size, &p, &d);
	if (e != TB_OK) {
		if (p != NULL || (e != TB_E_CONFIG && e != TB_E_TOOBIG))
			abort();
		if (memchr(d.msg, '\0', sizeof d.msg) == NULL || d.msg[0] == '\0')
			abort();
		/* Print the diagnostic as the CLI does: file:line:col must stay valid. */
		char out[768];
		tb_diag_format(&d, out, sizeof out);
		if (d.file[0] && strncmp(out, "fuzz/profile.yaml", 17) != 0)
			abort();
		return 0;
	}
	/* What the loader promises to the harness. */
	if (!p || p->scope.n == 0 || !tb_scope_contains(&p->scope, p->address))
		abort();
	for (size_t i = 0; i < p->scope.n; i++)
		if (p->scope.v[i].prefix < TB_SCOPE_MIN_PREFIX || p->scope.v[i].prefix > 32)
			abort();
	/* IPv6: only the lab's ranges, each declared address inside them. */
	for (size_t i = 0; i < p->scope.n6; i++)
		if (p->scope.v6[i].prefix > 128 ||
		    (p->scope.v6[i].prefix < TB_SCOPE6_MIN_PREFIX_BENCH &&
		     !tb_cidr6_is_link_local(&p->scope.v6[i])) ||
		    (tb_cidr6_is_link_local(&p->scope.v6[i]) &&
		     p->scope.v6[i].prefix < TB_SCOPE6_MIN_PREFIX_LL))
			abort();
	for (size_t i = 0; i < p->naddress6; i++)
		if (p->address6[i].family != AF_INET6 || p->address6[i].scope_id != 0 ||
		    !tb_scope_covers_v6(&p->scope, p->address6[i].u.v6))
			abort();
	if (p->discover_ipv6 && p->scope.n6 == 0)
		abort();
	if (p->rate_limit < 1 || !p->interface || !p->interface[0])
		abort();
	for (size_t i = 0; i < p->nservices; i++)
		if (p->services[i].port < 1 || p->services[i].port > 65535)
			abort();
	for (size_t i = 0; i < p->nauths; i++)
		if (strcmp(p->auths[i].protocol, "http-basic") == 0 &&
		    (!p->auths[i].path || p->auths[i].path[0] != '/' || !p->auths[i].port))
			abort();
	for (size_t i = 0; i < p->nfeatures; i++)
		if (tb_profile_feature(p, p->features[i].name) < 0)
			abort();
	tb_profile_free(p);
	return 0;
}
