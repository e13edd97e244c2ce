/* login_ssh_mqtt_internal.h: the pure parts of the SSH and MQTT login
 * drivers (login_ssh.c, login_mqtt.c), exposed for the unit tests. */
#ifndef TB_LOGIN_SSH_MQTT_INTERNAL_H
#define TB_LOGIN_SSH_MQTT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "check/login.h"
#include "net/sshc.h"

/* The outcome of one SSH password guess and its one-line detail.  withhold:
 * the password when it is the declared test credential (masked in any
 * device text in detail, login_mask.h), else NULL. */
enum tb_login_outcome tb_login_ssh_judge(const struct tb_sshc_login *r, const char *user,
					 const char *withhold, char *detail, size_t cap);

/* The outcome of one MQTT CONNECT with credentials from what came back:
 * buf/len the bytes received (the first packet should be a CONNACK), why
 * the reason the read stopped when there is no complete packet ("closed",
 * "no answer within the deadline", ...).  *rc gets the CONNACK return code,
 * -1 when there was none. */
enum tb_login_outcome tb_login_mqtt_judge(const uint8_t *buf, size_t len, const char *why, int *rc,
					  char *detail, size_t cap);

#endif
