/* chk_ssh_internal.h: what chk_ssh.c shares with its unit tests only (the
 * two judges; TB_UNITTEST in tb.h). */
#ifndef TB_CHK_SSH_INTERNAL_H
#define TB_CHK_SSH_INTERNAL_H

#include "base/tb.h"
#include "load/suite.h"
#include "net/sshc.h"
#include "proto/p_sshkex.h"
#include "result/result.h"

/* AUTH_PASSWORD_FINDING: password login offered and no rule forbids it (met,
 * recorded as a finding for brute-force protection). */
enum auth_out { AUTH_MET, AUTH_BROKEN, AUTH_UNDETERMINED, AUTH_PASSWORD_FINDING };

/* Judge a parsed KEXINIT: note every offered list and every forbidden
 * algorithm offered.  Returns the number of rules broken. */
TB_UNITTEST unsigned ssh_judge(const struct tb_ssh_kexinit *k, const struct tb_params *p,
			       struct tb_result *res, const char *label);
/* Judge what the libssh probe found against the allow-password-auth rule.
 * A fact without a rule is noted and decides nothing. */
TB_UNITTEST enum auth_out ssh_judge_auth(const struct tb_sshc_auth *a, const struct tb_params *p,
					 struct tb_result *res, const char *label);

#endif
