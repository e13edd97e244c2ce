/* fuzz_login_judge.c: libFuzzer target for what the SSH and MQTT login
 * drivers make of device bytes: a broker's answer to CONNECT, and device
 * text (a DISCONNECT message, a prompt) in an SSH login's outcome, with the
 * declared password masked wherever the device echoes it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/login_ssh_mqtt_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SECRET "fuzz-secret"

static void mqtt(const uint8_t *data, size_t size)
{
	char detail[320];
	int rc;
	enum tb_login_outcome o = tb_login_mqtt_judge(data, size, "closed", &rc, detail, sizeof detail);

	if (strlen(detail) >= sizeof detail || rc < -1 || rc > 5)
		abort();
	if (o == TB_LOGIN_ACCEPTED && (rc != 0 || size < 4 || data[0] != 0x20))
		abort();
	if (o == TB_LOGIN_REJECTED && rc != 4 && rc != 5)
		abort();
}

static void ssh(const uint8_t *data, size_t size)
{
	struct tb_sshc_login r = { .method = "password" };
	char detail[320];
	size_t n = size < sizeof r.why - 1 ? size : sizeof r.why - 1;

	/* Device text as sshc.c leaves it: terminated, at most the field. */
	memcpy(r.why, data, n);
	memcpy(r.prompt, data, n < sizeof r.prompt - 1 ? n : sizeof r.prompt - 1);
	for (int o = TB_SSHC_LOGIN_ACCEPTED; o <= TB_SSHC_LOGIN_LOCAL; o++) {
		r.outcome = (enum tb_sshc_login_outcome)o;
		enum tb_login_outcome lo =
			tb_login_ssh_judge(&r, "root", SECRET, detail, sizeof detail);
		if (strstr(detail, SECRET) || strlen(detail) >= sizeof detail)
			abort();
		/* Only the server's own success message is positive evidence. */
		if (lo == TB_LOGIN_ACCEPTED && o != TB_SSHC_LOGIN_ACCEPTED &&
		    o != TB_SSHC_LOGIN_NONE_OK)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mqtt(data, size);
	ssh(data, size);
	return 0;
}
