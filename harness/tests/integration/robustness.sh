#!/usr/bin/env bash
# robustness.sh: does malformed input crash the device (5.13-1, issue 15)?
# The robustness campaign on the reference devices: without intrusive
# consent nothing is sent (INCONCLUSIVE); legacy's telnet, MQTT, UPnP SOAP and
# TLS services survive;
# legacy's and hostile's web servers stop on a negative Content-Length (FAIL,
# with the seed and the last inputs in the evidence, and the port really
# refuses afterwards); legacy's and hostile's CoAP (udp/5683) go silent after
# an option with the reserved nibble 15 (FAIL, the input in the evidence,
# and a valid GET really gets no answer afterwards); hardened survives the
# whole campaign, inside TLS on 443 and 8883 too (PASS with the count of
# inputs).  Every campaign carries a
# summary table (seed, inputs, services, batches, probes, time, why it
# stopped, uptime, verdict basis, the caveat), and legacy's SNMP sysUpTime
# is read before and after (no reboot).  Runs inside the lab:
#   fixtures/lab/lab.sh run --refdevice build/refdevice -- \
#     harness/tests/integration/robustness.sh build/trustbench
# Each test prints ok/FAIL; the last line is "N passed, N failed".
set -uo pipefail
TB=$1
SUITE=testsuites/etsi-en-303-645.yaml
XSD=reports/schema/trustbench-report.xsd
CASE=5.13-1-2
SEED=303645
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
expect_eq() { # name expected actual
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}
expect_in() { # name needle haystack
  case "$3" in *"$2"*) ok "$1" ;; *) bad "$1: no '$2' in '$3'" ;; esac
}
xp() { # report xpath
  xmllint --xpath "$2" "$1" 2>/dev/null || true
}
verdict() { xp "$1" "string(//*[local-name()='result'][@id='$CASE']/@verdict)"; }
reason() { xp "$1" "string(//*[local-name()='result'][@id='$CASE']/*[local-name()='reason'])"; }
valid() { # report
  if xmllint --noout --schema "$XSD" "$1" 2>"$work/xsd.err"; then ok "${1#"$work"/} validates against the XSD"
  else bad "$1 does not validate: $(head -3 "$work/xsd.err")"; fi
}
# run NAME PROFILE: the robustness case alone; the exit code is echoed.
run() {
  "$TB" run --quiet --suite "$SUITE" --profile "$2" --out "$work/$1" --only "$CASE" \
    >"$work/$1.out" 2>"$work/$1.log"
  echo $?
}
# answers HOST PORT: does the port take a TCP connection?
answers() { timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }
# coap_answers HOST: does udp/5683 answer a CON GET /.well-known/core?
coap_answers() {
  python3 - "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.sendto(bytes.fromhex("41010a0b74bb2e77656c6c2d6b6e6f776e04636f7265"), (sys.argv[1], 5683))
try:
    d = s.recv(2048)
except OSError:
    sys.exit(1)
sys.exit(0 if len(d) >= 5 and d[0] >> 4 == 6 and d[2:4] == b"\x0a\x0b" and d[4] == 0x74 else 1)
PY
}
# fact REPORT NAME: a fact of the case's robustness summary.
fact() { xp "$1" "string(//*[local-name()='result'][@id='$CASE']//*[local-name()='summary'][@label='robustness campaign']/*[local-name()='fact'][@name='$2'])"; }
# summary_ok NAME REPORT: the summary table is there with every fact.
summary_ok() {
  local f missing=
  for f in seed "inputs in all" "services targeted" batches "liveness probes" "time spent" \
    "stopped early" uptime "verdict basis" note; do
    [ -n "$(fact "$2" "$f")" ] || missing="$missing '$f'"
  done
  if [ -z "$missing" ]; then ok "$1: the summary table has every fact"
  else bad "$1: the summary lacks$missing"; fi
  expect_eq "$1: the summary records the seed" "$SEED" "$(fact "$2" seed)"
  expect_in "$1: the summary's caveat" "presence of faults, never their absence" "$(fact "$2" note)"
}
# with_coap PROFILE-IN PROFILE-OUT [SED-ARGS...]: the profile with CoAP on
# udp/5683 declared (no device's vendor declares it; an exposure sweep would
# find it), minus the lines the sed arguments delete.
with_coap() {
  local in=$1 out=$2
  shift 2
  sed "$@" -e '/^  services:$/a\    - { port: 5683, transport: "udp", protocol: "coap", description: "CoAP", purpose: "Local control", in-use: true }' \
    "$in" >"$out"
}

# Derived profiles live in $work/profiles; their "../build/..." paths resolve
# through a link to this tree's build directory.
mkdir -p "$work/profiles" && ln -s "$PWD/build" "$work/build"

# 1. No consent: INCONCLUSIVE, and not one connection to the device.
sed 's/^\(  intrusive:\) true/\1 false/' profiles/refdevice-legacy.yaml >"$work/profiles/noconsent.yaml"
expect_eq "no consent: exit 3" 3 "$(run noconsent "$work/profiles/noconsent.yaml")"
R=$work/noconsent/report.xml
expect_eq "no consent: $CASE inconclusive" inconclusive "$(verdict "$R")"
expect_in "no consent: the reason names the missing consent" "lab.intrusive: false" "$(reason "$R")"
expect_eq "no consent: no connection made" 0 "$(xp "$R" "string(//*[local-name()='lab']/@connections)")"

# 2. Legacy without its web service in the profile, with its UPnP server
# (tcp/5000, undeclared by its vendor) declared: telnet, MQTT, the SOAP
# control URL its description names and its TLS services (HTTPS on 443,
# MQTT over TLS on 8883) survive.
grep -v '^    - { port: 80, transport: "tcp", protocol: "http"' profiles/refdevice-legacy.yaml |
  sed '/^  services:$/a\    - { port: 5000, transport: "tcp", protocol: "upnp", description: "UPnP", purpose: "Discovery", in-use: true }' \
  >"$work/profiles/noweb.yaml"
expect_eq "legacy without web: exit 0" 0 "$(run noweb "$work/profiles/noweb.yaml")"
R=$work/noweb/report.xml
valid "$R"
expect_eq "legacy without web: $CASE pass" pass "$(verdict "$R")"
why=$(reason "$R")
expect_in "legacy without web: 200 negotiations to telnet 23" "tcp/23 (telnet) 200 inputs" "$why"
expect_in "legacy without web: 200 CONNECTs to 1883" "tcp/1883 (mqtt) 200 inputs" "$why"
expect_in "legacy without web: 200 SOAP requests to 5000" "tcp/5000 (soap) 200 inputs" "$why"
expect_in "legacy without web: 200 requests inside TLS to 443" "tcp/443 (http over TLS) 200 inputs" "$why"
expect_in "legacy without web: 200 CONNECTs inside TLS to 8883" "tcp/8883 (mqtt over TLS) 200 inputs" "$why"
expect_in "legacy without web: 1000 inputs in all" "survived 1000 malformed inputs" "$why"
notes=$(xp "$R" "string(//*[local-name()='result'][@id='$CASE'])")
expect_in "legacy without web: the control URL from the description" "SOAP POSTs to /ctl/cds (urn:schemas-upnp-org:service:ContentDirectory:1), from the description at /rootDesc.xml" "$notes"
summary_ok "legacy without web" "$R"
expect_eq "legacy without web: inputs to telnet in the summary" 200 "$(fact "$R" "inputs to tcp/23 (telnet)")"
expect_in "legacy without web: nothing stopped it early" "no: every input was sent" "$(fact "$R" "stopped early")"
expect_in "legacy without web: sysUpTime read before and after" "sysUpTime went from" "$(fact "$R" uptime)"
expect_in "legacy without web: ... and no reboot" "no reboot" "$(fact "$R" uptime)"

# 3. Legacy and hostile: the web server stops on a negative Content-Length.
for dev in legacy hostile; do
  case $dev in legacy) ip=$TB_LAB_LEGACY ;; hostile) ip=$TB_LAB_HOSTILE ;; esac
  if answers "$ip" 80; then ok "$dev: port 80 answers before the campaign"
  else bad "$dev: port 80 closed before the campaign"; fi
  expect_eq "$dev: exit 2" 2 "$(run "$dev" "profiles/refdevice-$dev.yaml")"
  R=$work/$dev/report.xml
  valid "$R"
  expect_eq "$dev: $CASE fail" fail "$(verdict "$R")"
  why=$(reason "$R")
  expect_in "$dev: the web server stopped" "tcp/80 (http) stopped answering (connection refused)" "$why"
  expect_in "$dev: the reason names the seed" "of seed $SEED" "$why"
  batch=$(xp "$R" "string(//*[local-name()='result'][@id='$CASE']//*[local-name()='file'][contains(@label,'-batch')]/@path)")
  f=$work/$dev/$batch
  if [ -n "$batch" ] && [ -s "$f" ]; then ok "$dev: the batch is evidence ($batch)"; else bad "$dev: no batch file ($batch)"; fi
  want=$(xp "$R" "string(//*[local-name()='file'][@path='$batch']/@sha256)")
  expect_eq "$dev: the batch file's SHA-256 is in the report" "${want:-none}" "$(sha256sum "$f" 2>/dev/null | cut -d' ' -f1)"
  expect_in "$dev: the batch records the seed" "seed $SEED" "$(head -1 "$f" 2>/dev/null)"
  expect_in "$dev: the batch holds the input that did it" '\r\nContent-Length: -' "$(cat "$f" 2>/dev/null)"
  last=$(xp "$R" "string(//*[local-name()='result'][@id='$CASE']//*[local-name()='file'][contains(@label,'.bin')]/@path)")
  if [ -n "$last" ] && grep -qa $'\r\nContent-Length: -' "$work/$dev/$last"; then ok "$dev: the last input, raw ($last)"
  else bad "$dev: the last input is not the negative Content-Length ($last)"; fi
  if answers "$ip" 80; then bad "$dev: port 80 still answers: the fault was not real"
  else ok "$dev: port 80 refuses after the campaign"; fi
done

# 4. Legacy's and hostile's CoAP: silent after the reserved nibble 15.  Both
# campaigns at once (two devices; each waits out its liveness deadline).
for dev in legacy hostile; do
  case $dev in legacy) ip=$TB_LAB_LEGACY ;; hostile) ip=$TB_LAB_HOSTILE ;; esac
  if coap_answers "$ip"; then ok "$dev: CoAP answers a valid GET before the campaign"
  else bad "$dev: CoAP silent before the campaign"; fi
  with_coap "profiles/refdevice-$dev.yaml" "$work/profiles/$dev-coap.yaml" \
    -e '/^    - { port: \(23\|80\|1883\|8080\), transport: "tcp"/d'
  run "$dev-coap" "$work/profiles/$dev-coap.yaml" >"$work/$dev-coap.rc" &
done
wait
for dev in legacy hostile; do
  case $dev in legacy) ip=$TB_LAB_LEGACY ;; hostile) ip=$TB_LAB_HOSTILE ;; esac
  expect_eq "$dev coap: exit 2" 2 "$(cat "$work/$dev-coap.rc")"
  R=$work/$dev-coap/report.xml
  valid "$R"
  expect_eq "$dev coap: $CASE fail" fail "$(verdict "$R")"
  why=$(reason "$R")
  expect_in "$dev coap: CoAP stopped answering" "udp/5683 (coap) stopped answering (no answer to a valid GET" "$why"
  expect_in "$dev coap: the reason names the seed" "of seed $SEED" "$why"
  batch=$(xp "$R" "string(//*[local-name()='result'][@id='$CASE']//*[local-name()='file'][contains(@label,'udp5683-batch')]/@path)")
  f=$work/$dev-coap/$batch
  expect_in "$dev coap: the batch says how CoAP inputs were sent" "sent as one datagram of its own" "$(cat "$f" 2>/dev/null)"
  expect_in "$dev coap: the batch holds the reserved nibble" "of the reserved nibble 15" "$(cat "$f" 2>/dev/null)"
  # Replayed from the batch alone: the first input with the reserved nibble,
  # its escaped bytes decoded, has it right after the valid GET's options.
  if python3 - "$f" <<'PY'
import sys
lines = open(sys.argv[1], encoding="ascii").read().split("\n")
i = next(k for k, l in enumerate(lines) if "reserved nibble 15" in l)
d = lines[i + 1].encode("ascii").decode("unicode_escape").encode("latin-1")
sys.exit(0 if len(d) > 25 and d[25] != 0xff and (d[25] >> 4 == 15 or d[25] & 15 == 15) else 1)
PY
  then ok "$dev coap: the input that did it replays from the batch file"
  else bad "$dev coap: no reserved-nibble input decodes from $batch"; fi
  summary_ok "$dev coap" "$R"
  expect_in "$dev coap: the summary names the CoAP service" "udp/5683 (coap)" "$(fact "$R" "services targeted")"
  expect_in "$dev coap: the summary says why it stopped" "a service stopped answering" "$(fact "$R" "stopped early")"
  if coap_answers "$ip"; then bad "$dev: CoAP still answers: the fault was not real"
  else ok "$dev: CoAP silent after the campaign"; fi
done
R=$work/hostile-coap/report.xml
expect_in "hostile coap: no uptime exposed, said so" "not exposed" "$(fact "$R" uptime)"

# 5. Hardened survives the whole campaign.
expect_eq "hardened: exit 0" 0 "$(run hardened profiles/refdevice-hardened.yaml)"
R=$work/hardened/report.xml
valid "$R"
expect_eq "hardened: $CASE pass" pass "$(verdict "$R")"
why=$(reason "$R")
# Its TLS services too (it has no other plain-TCP service than port 80):
# the inputs go inside TLS, each input ends with close_notify.
expect_in "hardened: the count of inputs" "survived 600 malformed inputs" "$why"
expect_in "hardened: HTTPS on 443 exercised inside TLS" "tcp/443 (http over TLS) 200 inputs" "$why"
expect_in "hardened: MQTT over TLS on 8883 exercised" "tcp/8883 (mqtt over TLS) 200 inputs" "$why"
expect_in "hardened: the seed" "seed $SEED" "$why"
expect_in "hardened: faults, never their absence" "presence of faults, never their absence" "$why"
if answers "$TB_LAB_HARDENED" 80; then ok "hardened: port 80 answers after the campaign"
else bad "hardened: port 80 closed after the campaign"; fi
summary_ok hardened "$R"
expect_eq "hardened: the summary counts the inputs" 600 "$(fact "$R" "inputs in all")"
expect_in "hardened: SNMPv3 only: no uptime to read, said so" "not exposed" "$(fact "$R" uptime)"
expect_in "hardened: the verdict basis" "answered a valid request after every batch" "$(fact "$R" "verdict basis")"


echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
