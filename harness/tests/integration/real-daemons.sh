#!/usr/bin/env bash
# real-daemons.sh: the robustness campaign (5.13-1-2) against real daemons
# from Debian's packages, not only against our reference devices: lighttpd
# (HTTP), mosquitto (MQTT), libcoap's coap-server (CoAP) and net-snmp's
# snmpd (the uptime the campaign reads before and after).  Mature daemons
# survive malformed input: a FAIL here would be a false alarm of ours.
# Runs in a private user + network namespace of its own (unshare -rn): the
# daemons listen on 198.18.20.10 on that namespace's loopback, nothing else.
# Usage: harness/tests/integration/real-daemons.sh PATH/TO/trustbench
# Each test prints ok/FAIL; the last line is "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
TB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$root" || exit 1
readonly A=198.18.20.10
readonly CASE=5.13-1-2

missing=()
for t in lighttpd mosquitto coap-server-notls coap-client-notls snmpd snmpget unshare; do
  command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || missing+=("$t")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "FAIL real daemons: missing ${missing[*]} (make check installs them: harness/tools/ensure-deps.sh)"
  echo "0 passed, 1 failed"
  exit 1
fi
if [ -z "${TB_REAL_NS:-}" ]; then
  exec env TB_REAL_NS=1 PATH="$PATH:/usr/sbin" unshare -rn -- "$0" "$TB"
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ "${TB_KEEP:-0}" = 1 ] || rm -rf "$work"
}
[ "${TB_KEEP:-0}" = 1 ] && echo "work directory: $work"
trap cleanup EXIT
# shellcheck source=harness/tests/integration/testlib.sh
. "$here/testlib.sh"
valid() { # report
  if xmllint --noout --schema reports/schema/trustbench-report.xsd "$1" 2>"$work/xsd.err"; then
    ok "the report validates against the XSD"
  else bad "the report does not validate: $(head -3 "$work/xsd.err")"; fi
}
verdict() { xp "$1" "string(//*[local-name()='result'][@id='$CASE']/@verdict)"; }
fact() { # report name: a fact of the campaign's summary
  xp "$1" "string(//*[local-name()='result'][@id='$CASE']//*[local-name()='summary']/*[local-name()='fact'][@name='$2'])"
}

ip link set lo up
ip addr add "$A/32" dev lo

# The daemons, each bound to the lab address only.
mkdir -p "$work/www" && echo "hello" >"$work/www/index.html"
cat >"$work/lighttpd.conf" <<EOF
server.document-root = "$work/www"
server.bind = "$A"
server.port = 80
server.errorlog = "$work/lighttpd.err"
server.pid-file = "$work/lighttpd.pid"
EOF
lighttpd -D -f "$work/lighttpd.conf" &
pids+=($!)
cat >"$work/mosquitto.conf" <<EOF
listener 1883 $A
allow_anonymous true
persistence false
user root
EOF
mosquitto -c "$work/mosquitto.conf" 2>"$work/mosquitto.log" &
pids+=($!)
coap-server-notls -A "$A" -p 5683 >"$work/coap.log" 2>&1 &
pids+=($!)
cat >"$work/snmpd.conf" <<EOF
agentaddress udp:$A:161
rocommunity public
smuxsocket 127.0.0.1
EOF
snmpd -f -Lf "$work/snmpd.log" -C -c "$work/snmpd.conf" -p "$work/snmpd.pid" &
pids+=($!)

# All four answer before the campaign.
alive() { # what: does each daemon still answer a valid request?
  local bad=()
  timeout 3 bash -c "exec 3<>/dev/tcp/$A/80; printf 'GET /index.html HTTP/1.0\r\n\r\n' >&3; grep -q hello <&3" \
    2>/dev/null || bad+=(lighttpd)
  timeout 3 bash -c "exec 3<>/dev/tcp/$A/1883" 2>/dev/null || bad+=(mosquitto)
  timeout 5 coap-client-notls -B 3 -m get "coap://$A/.well-known/core" 2>/dev/null | grep -q '<' ||
    bad+=(coap-server)
  timeout 5 snmpget -v2c -c public -t 1 -r 1 "$A" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 || bad+=(snmpd)
  if [ ${#bad[@]} -eq 0 ]; then ok "$1: lighttpd, mosquitto, coap-server and snmpd answer"
  else bad "$1: no answer from ${bad[*]}"; fi
}
for _ in $(seq 50); do
  timeout 1 bash -c "exec 3<>/dev/tcp/$A/80" 2>/dev/null &&
    timeout 1 bash -c "exec 3<>/dev/tcp/$A/1883" 2>/dev/null && break
  sleep 0.1
done
alive "before the campaign"

mkdir -p "$work/profiles"
cat >"$work/profiles/real.yaml" <<EOF
profile: { id: "real-daemons", description: "Debian's lighttpd, mosquitto, coap-server and snmpd in a private namespace" }
dut: { manufacturer: "Debian packages", model: "real daemons", firmware: "bookworm", serial: "REAL-0001", address: "$A" }
lab:
  scope: ["$A/32"]
  interface: "lo"
  intrusive: true
  connect-timeout-ms: 1000
declarations:
  services:
    - { port: 80, transport: "tcp", protocol: "http", description: "lighttpd" }
    - { port: 1883, transport: "tcp", protocol: "mqtt", description: "mosquitto" }
    - { port: 5683, transport: "udp", protocol: "coap", description: "libcoap coap-server" }
    - { port: 161, transport: "udp", protocol: "snmp", description: "net-snmp snmpd" }
EOF
"$TB" run --quiet --suite testsuites/etsi-en-303-645.yaml --profile "$work/profiles/real.yaml" \
  --only "$CASE" --out "$work/out" >"$work/run.out" 2>"$work/run.log"
rc=$?
R=$work/out/report.xml
expect_eq "exit code 0" 0 "$rc"
valid "$R"
expect_eq "$CASE: the real daemons survive (pass)" pass "$(verdict "$R")"
for s in "tcp/80 (http)" "tcp/1883 (mqtt)" "udp/5683 (coap)"; do
  expect_in "the campaign reached $s" "$s" "$(fact "$R" "services targeted")"
done
expect_eq "600 inputs in all" 600 "$(fact "$R" "inputs in all" | grep -o '^[0-9]*')"
expect_in "the uptime was read from snmpd, and shows no reboot" "no reboot" "$(fact "$R" "uptime")"
expect_in "the summary says what robustness testing cannot show" "never their absence" "$(cat "$R")"
alive "after the campaign"

# The uptime sign of a reboot, on a real agent: snmpd restarts while the
# campaign runs (once lighttpd has logged the first malformed request, i.e.
# after the campaign read the uptime), and every service answers again
# afterwards, so only its sysUpTime going back shows it.
sed 's/^\(            inputs-per-service:\) 200$/\1 1500/' testsuites/etsi-en-303-645.yaml >"$work/long.yaml"
cp -r testsuites/crosswalks testsuites/data "$work/" # the suite names them relative to itself
# (lighttpd may write the first run's lines late: only lines stamped from
# this run's start on count.)
sleep 1
t0=$(date '+%Y-%m-%d %H:%M:%S')
"$TB" run --quiet --suite "$work/long.yaml" --profile "$work/profiles/real.yaml" \
  --only "$CASE" --out "$work/reboot" >"$work/reboot.out" 2>"$work/reboot.log" &
run_pid=$!
for _ in $(seq 200); do
  awk -v t="$t0" 'substr($0, 1, 19) >= t && /oversized/ { found = 1 } END { exit !found }' \
    "$work/lighttpd.err" && break
  sleep 0.05
done
kill "$(cat "$work/snmpd.pid")" 2>/dev/null
sleep 0.3
snmpd -f -Lf "$work/snmpd.log" -C -c "$work/snmpd.conf" -p "$work/snmpd.pid" &
pids+=($!)
wait "$run_pid"
rc=$?
R=$work/reboot/report.xml
expect_eq "snmpd restarted mid-campaign: exit code 2" 2 "$rc"
expect_eq "snmpd restarted mid-campaign: $CASE fails" fail "$(verdict "$R")"
expect_in "the reason is the reboot the uptime shows" "reboot" "$(xp "$R" "string(//*[local-name()='result'][@id='$CASE']/*[local-name()='reason'])")"
alive "after the restart"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
