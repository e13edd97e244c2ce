#!/usr/bin/env bash
# lab-logins.sh: the reference devices' login surfaces as ordinary clients
# see them, so the credential tests have a known ground truth: SSH (refsvc,
# OpenSSH's ssh through sshpass), MQTT (refsvc, mosquitto_pub), FTP
# (reflogin, curl and Python's ftplib), RTSP (reflogin, a small Python
# client doing Basic and RFC 2617 Digest itself) and the HTTP admin
# (refdevice and refsvc, curl).  Legacy has default accounts and never
# throttles; hardened takes only admin with its label password, throttles,
# and takes no credential in clear (HTTP 80 redirects to HTTPS, MQTT only
# over TLS on 8883).
# Usage: harness/tests/integration/lab-logins.sh
# It re-runs itself inside fixtures/lab/lab.sh with the legacy and hardened
# devices.  Each test prints ok/FAIL (or skip); the last line is
# "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
if [ -z "${TB_LAB:-}" ]; then
  cd "$root" || exit 2
  exec fixtures/lab/lab.sh run --refdevice "${TB_REFDEVICE:-build/refdevice}" \
    --only legacy --only hardened -- "$here/lab-logins.sh"
fi
L=$TB_LAB_LEGACY
H=$TB_LAB_HARDENED
PW=Kq7v-Xe2p-9mTr-Lw4d # fixtures/lab/lab.sh's hardened password
CA=$TB_LAB_LOGDIR/certs # refsvc's test certificates (lab.sh)
passed=0
failed=0

ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
expect_eq() { # name expected actual
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}

# tcp_open HOST PORT: does anything accept a TCP connection there?
tcp_open() {
  # shellcheck disable=SC2016
  if timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; then echo open; else echo closed; fi
}

# connack HOST [mosquitto_pub options]: the CONNACK code the broker sent.
connack() {
  local host=$1
  shift
  timeout 5 mosquitto_pub -d -h "$host" -t tb/test -m x "$@" 2>&1 |
    sed -n 's/.*received CONNACK (\([0-9]*\)).*/\1/p' | head -1
}

# ftp_codes HOST [USER PASS]...: the greeting's code, then each login's
# reply code, on ONE control connection (ftplib); stops at a 421.
ftp_codes() {
  python3 - "$@" <<'PY'
import ftplib, sys
host, creds = sys.argv[1], sys.argv[2:]
out = []
try:
    f = ftplib.FTP(host, timeout=10)
    out.append(f.getwelcome()[:3])
    for u, p in zip(creds[0::2], creds[1::2]):
        try:
            f.login(u, p)
            out.append("230:" + f.pwd())
        except (ftplib.error_perm, ftplib.error_temp) as e:
            out.append(str(e)[:3])
            if str(e).startswith("421"):
                break
except (ftplib.error_temp, ftplib.error_perm) as e:
    out.append(str(e)[:3])
except (OSError, EOFError) as e:
    out.append(type(e).__name__)
print(" ".join(out))
PY
}

# rtsp HOST METHOD PATH [basic|digest USER PASS]: the final status code on
# one connection (Digest: the 401's challenge, then the answer to it);
# with "nonce" as the scheme, the nonce of a 401 instead.
rtsp() {
  python3 - "$@" <<'PY'
import base64, hashlib, re, socket, sys
host, method, path = sys.argv[1:4]
scheme, user, pw = (sys.argv[4:7] + ["", "", ""])[:3]
uri = "rtsp://%s%s" % (host, path)
try:
    s = socket.create_connection((host, 554), timeout=10)
except OSError as e:
    raise SystemExit(print(type(e).__name__))
buf = b""
def req(cseq, auth=""):
    global buf
    s.sendall(("%s %s RTSP/1.0\r\nCSeq: %d\r\n%s\r\n" % (method, uri, cseq, auth)).encode())
    while b"\r\n\r\n" not in buf:
        d = s.recv(4096)
        if not d:
            raise SystemExit("closed")
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    head = head.decode()
    n = int(re.search(r"(?im)^Content-Length:\s*(\d+)", head).group(1))
    while len(rest) < n:
        rest += s.recv(4096)
    buf = rest[n:]
    return int(head.split()[1]), head
def md5(t):
    return hashlib.md5(t.encode()).hexdigest()
if scheme == "basic":
    code, head = req(1, "Authorization: Basic %s\r\n" % base64.b64encode(("%s:%s" % (user, pw)).encode()).decode())
else:
    code, head = req(1)
if scheme in ("digest", "nonce") and code == 401:
    ch = dict(re.findall(r'(\w+)="([^"]*)"', re.search(r"(?im)^WWW-Authenticate:\s*Digest (.*)$", head).group(1)))
    if scheme == "nonce":
        print(ch["nonce"]); raise SystemExit
    ha1 = md5("%s:%s:%s" % (user, ch["realm"], pw))
    ha2 = md5("%s:%s" % (method, uri))
    resp = md5("%s:%s:00000001:0a4f113b:auth:%s" % (ha1, ch["nonce"], ha2))
    code, head = req(2, 'Authorization: Digest username="%s", realm="%s", nonce="%s", uri="%s", '
                     'response="%s", qop=auth, nc=00000001, cnonce="0a4f113b", algorithm=MD5\r\n'
                     % (user, ch["realm"], ch["nonce"], uri, resp))
print(code, "retry-after=" + (re.search(r"(?im)^Retry-After:\s*(\d+)", head) or [None, "-"])[1])
PY
}

# shellcheck disable=SC2016
if ! timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/554"' _ "$L" 2>/dev/null; then
  bad "reflogin is not running beside refdevice (build it: make all)"
fi

echo "# SSH"
if command -v sshpass >/dev/null; then
  # shellcheck disable=SC2054 # commas inside one ssh option value
  SSHO=(-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR
    -o PubkeyAuthentication=no -o PreferredAuthentications=password,keyboard-interactive
    -o NumberOfPasswordPrompts=1 -o ConnectTimeout=5)
  LEG=(-p 2222 -o KexAlgorithms=+diffie-hellman-group14-sha1 -o HostKeyAlgorithms=+ssh-rsa
    -o Ciphers=+aes128-cbc)
  # shellcheck disable=SC2016
  expect_eq "legacy 2222: root/vizxv logs in and a command runs" TB42 \
    "$(timeout 20 sshpass -p vizxv ssh "${SSHO[@]}" "${LEG[@]}" "root@$L" 'echo TB$((20+22))' 2>/dev/null)"
  out=$(timeout 20 sshpass -p wrong ssh "${SSHO[@]}" "${LEG[@]}" "root@$L" true 2>&1)
  case $out in *"Permission denied (publickey,password)"*) ok "legacy 2222: a wrong password is refused" ;;
    *) bad "legacy 2222: wrong password: $out" ;; esac
  out=$(timeout 20 sshpass -p "$PW" ssh "${SSHO[@]}" "admin@$H" true 2>&1)
  case $out in *"Permission denied (publickey)"*) ok "hardened 22: no password login offered" ;;
    *) bad "hardened 22: $out" ;; esac
else
  echo "skip SSH: sshpass not installed (apt-get install sshpass)"
fi

echo "# MQTT"
expect_eq "legacy: anonymous CONNECT accepted" 0 "$(connack "$L")"
expect_eq "legacy: admin/admin accepted" 0 "$(connack "$L" -u admin -P admin)"
expect_eq "legacy: admin/wrong refused (bad user name or password)" 4 "$(connack "$L" -u admin -P wrong)"
expect_eq "legacy: root/admin refused" 4 "$(connack "$L" -u root -P admin)"
for i in 1 2 3 4 5 6; do connack "$L" -u admin -P "w$i" >/dev/null; done
expect_eq "legacy: still admin/admin after 7 failures (no throttling)" 0 "$(connack "$L" -u admin -P admin)"
# Hardened: no plaintext broker; over TLS on 8883, its certificate verified.
expect_eq "hardened: nothing listens on plaintext 1883" closed "$(tcp_open "$H" 1883)"
T=(-p 8883 --cafile "$CA/hardened.crt")
expect_eq "hardened 8883: anonymous CONNECT refused (not authorised)" 5 "$(connack "$H" "${T[@]}")"
expect_eq "hardened 8883: admin/<password> accepted" 0 "$(connack "$H" "${T[@]}" -u admin -P "$PW")"
expect_eq "hardened 8883: admin/admin refused" 4 "$(connack "$H" "${T[@]}" -u admin -P admin)"
for i in 1 2 3 4; do connack "$H" "${T[@]}" -u admin -P "w$i" >/dev/null; done
expect_eq "hardened 8883: after 5 failures even the right password gets CONNACK 3" 3 \
  "$(connack "$H" "${T[@]}" -u admin -P "$PW")"
expect_eq "hardened 8883: ... and so does an anonymous CONNECT" 3 "$(connack "$H" "${T[@]}")"

echo "# FTP"
expect_eq "legacy: anonymous login, PWD" "220 230:/" "$(ftp_codes "$L" anonymous guest@)"
expect_eq "legacy: root/12345 logs in" "220 230:/" "$(ftp_codes "$L" root 12345)"
expect_eq "legacy: wrong logins refused, never throttled" "220 530 530 530 530 530 530 230:/" \
  "$(ftp_codes "$L" root a root b root c root d root e root f root 12345)"
out=$(timeout 10 curl -sS -I "ftp://root:12345@$L/" 2>&1)
expect_eq "legacy: curl logs in as root:12345" "0" "$?"
expect_eq "hardened: no anonymous login, no admin/admin; admin/<password> logs in" "220 530 530 230:/" \
  "$(ftp_codes "$H" anonymous guest@ admin admin admin "$PW")"
# 3 more failures: 5 from this source, the last one also the connection's 3rd.
expect_eq "hardened: the 3rd failure on a connection closes it with 421" "220 530 530 530 421" \
  "$(ftp_codes "$H" admin a admin b admin c admin "$PW")"
expect_eq "hardened: after 5 failures a new connection gets 421 at once" "421" "$(ftp_codes "$H" admin "$PW")"
out=$(timeout 10 curl -sS -v -I "ftp://admin:$PW@$H/" 2>&1 | grep -c "^< 421 Too many login failures")
expect_eq "hardened: curl sees 421 Too many login failures" 1 "$out"

echo "# RTSP"
expect_eq "legacy: OPTIONS without credentials" "200 retry-after=-" "$(rtsp "$L" OPTIONS /live)"
expect_eq "legacy: DESCRIBE without credentials" "401 retry-after=-" "$(rtsp "$L" DESCRIBE /live)"
expect_eq "legacy: DESCRIBE with admin:admin (Basic)" "200 retry-after=-" "$(rtsp "$L" DESCRIBE /live basic admin admin)"
expect_eq "legacy: DESCRIBE / with admin:admin" "200 retry-after=-" "$(rtsp "$L" DESCRIBE / basic admin admin)"
for i in 1 2 3 4 5 6; do rtsp "$L" DESCRIBE /live basic admin "w$i" >/dev/null; done
expect_eq "legacy: admin:admin after 6 failures (no throttling)" "200 retry-after=-" \
  "$(rtsp "$L" DESCRIBE /live basic admin admin)"
n1=$(rtsp "$H" DESCRIBE /live nonce admin x)
n2=$(rtsp "$H" DESCRIBE /live nonce admin x)
if [ -n "$n1" ] && [ "$n1" != "$n2" ]; then ok "hardened: a fresh Digest nonce in every 401"
else bad "hardened: nonces '$n1' '$n2'"; fi
expect_eq "hardened: Basic admin:<password> refused (Digest only)" "401 retry-after=-" \
  "$(rtsp "$H" DESCRIBE /live basic admin "$PW")"
expect_eq "hardened: Digest admin:<password> (qop=auth)" "200 retry-after=-" \
  "$(rtsp "$H" DESCRIBE /live digest admin "$PW")"
for i in 1 2 3; do rtsp "$H" DESCRIBE /live digest admin "w$i" >/dev/null; done
expect_eq "hardened: 5th failure still 401" "401 retry-after=-" "$(rtsp "$H" DESCRIBE /live digest admin w4)"
expect_eq "hardened: then 503 with Retry-After: 3" "503 retry-after=3" \
  "$(rtsp "$H" DESCRIBE /live digest admin "$PW")"
sleep 3.2
expect_eq "hardened: 3 s later the right password works again" "200 retry-after=-" \
  "$(rtsp "$H" DESCRIBE /live digest admin "$PW")"

echo "# HTTP admin"
codes=$(for i in 1 2 3 4 5 6 7; do curl -s -o /dev/null -w '%{http_code} ' -u "admin:w$i" "http://$L/admin/"; done)
expect_eq "legacy: 7 wrong logins, all 401, then admin:admin" "401 401 401 401 401 401 401 200" \
  "$codes$(curl -s -o /dev/null -w '%{http_code}' -u admin:admin "http://$L/admin/")"
# Hardened's port 80 asks for no credential: every request, with or without
# one, is redirected (308) to the same target on HTTPS.
for req in "/admin/" "/login.html" "/settings?a=1"; do
  expect_eq "hardened: http://$H$req redirects to HTTPS" "308 https://$H$req" \
    "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -u "admin:$PW" "http://$H$req")"
done
hdr=$(curl -s -D - -o /dev/null -d "username=admin&password=$PW" "http://$H/login.cgi" | tr -d '\r')
expect_eq "hardened: a form login POSTed to port 80 is redirected" "308 https://$H/login.cgi" \
  "$(awk 'NR == 1 { c = $2 } tolower($1) == "location:" { l = $2 } END { print c, l }' <<<"$hdr")"
expect_eq "hardened: ... without a credential challenge or a session cookie" 0 \
  "$(grep -ci -e '^www-authenticate:' -e '^set-cookie:' <<<"$hdr")"
# The admin over TLS (refsvc), the hardened device's only web login.
codes=$(for i in 1 2 3 4 5 6; do curl -s -o /dev/null -w '%{http_code} ' -k \
  -u "admin:w$i" "https://$L/admin/"; done)
expect_eq "legacy https: 6 wrong logins, all 401, then admin:admin" "401 401 401 401 401 401 200" \
  "$codes$(curl -s -o /dev/null -w '%{http_code}' -k -u admin:admin "https://$L/admin/")"
codes=$(for i in 1 2 3 4 5; do curl -s -o /dev/null -w '%{http_code} ' --cacert "$CA/hardened.crt" \
  -u "admin:w$i" "https://$H/admin/"; done)
expect_eq "hardened https: 5 wrong logins, then 429 even for the right password" "401 401 401 401 401 429" \
  "$codes$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CA/hardened.crt" -u "admin:$PW" "https://$H/admin/")"
sleep 1.1
expect_eq "hardened https: 1 s later the right password works" 200 \
  "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$CA/hardened.crt" -u "admin:$PW" "https://$H/admin/")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
