#!/usr/bin/env bash
# Runs inside the lab namespace (see run.sh).  Each test prints ok/FAIL;
# the last line is "N passed, N failed".
set -uo pipefail
TB=$1
SUITE=testsuites/etsi-en-303-645.yaml
XSD=reports/schema/trustbench-report.xsd
AUTOMATED=4-1-1,5.1-1-1,5.1-1-2,5.1-2-2,5.2-1-1,5.2-1-2,5.3-13-1,5.6-1-1,5.6-1-2
# The attack-surface cases that judge 5.6-1-2's sweeps (asserted further down).
SURFACE=5.6-1-3,5.6-2-2
# The cases that judge the credential phase 5.1-1-2 runs (issue 12, asserted
# further down): brute-force protection, settings changed without real
# authentication.
LOGINS=5.1-5-2,5.5-5-2
work=$(mktemp -d)
# Suites edited into $work name their data (the credential list) relative to
# themselves, and the loader prepares every case at load time: bring it along.
cp -r testsuites/data testsuites/crosswalks "$work/"
trap 'rm -rf "$work"' EXIT
# The lab's copies of the legacy and hardened profiles for the long runs,
# at 40000 new connections per second instead of the reference profiles'
# gentle 5000 and 20000: the lab's veth links take it, and the exposure
# cases give the same verdicts and reasons (measured: legacy's 5.6-1-2 in
# 15 s instead of 66 s), which keeps make check within its budget.  The
# shipped profiles are what make demo runs.
mkdir -p "$work/profiles"
ln -s "$PWD/build" "$work/build" # their "../build/test-firmware" paths
for dev in legacy hardened; do
  sed 's/^  rate-limit: [0-9]*/  rate-limit: 40000/' "profiles/refdevice-$dev.yaml" >"$work/profiles/$dev.yaml"
done
LEGACY=$work/profiles/legacy.yaml
HARDENED=$work/profiles/hardened.yaml
# The hardened device throttles every login it offers, and the credential
# phase honours each wait (an MQTT broker that answers "server unavailable"
# for 2 s after each failure makes the 62-entry list take three minutes).
# The lab's hardened runs stop each interface's list after 12 guesses: the
# throttling shows long before, and make demo runs the whole list.
HSUITE=$work/etsi-hardened.yaml
awk '{ print } /family: "(default-credentials|brute-force)"/ { dc = 1 } dc && /^ *params:$/ { sub(/params:/, "max-attempts: 12"); print "  " $0; dc = 0 }' \
  "$SUITE" >"$HSUITE"
# Parts, each of which can run alone in a lab of its own (run.sh runs them
# side by side): core (the legacy and hardened runs and what is judged from
# them), full (the full suite, examiner decisions, hostile device, killed
# run, bad input), services (firmware, TLS/SSH/MQTT, traffic, the hostile
# device's issue 9 cases).  LAB_PARTS picks some; all by default.
PARTS=" ${LAB_PARTS:-core full services} "
want() { case "$PARTS" in *" $1 "*) return 0 ;; esac; return 1; }
passed=0
failed=0

ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
expect_eq() { # name expected actual
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}
xp() { # report xpath
  xmllint --xpath "$2" "$1" 2>/dev/null || true
}
verdict() { # report case-id
  xp "$1" "string(//*[local-name()='result'][@id='$2']/@verdict)"
}
provision() { # report framework ref
  xp "$1" "string(//*[local-name()='framework'][@id='$2']/*[local-name()='item'][@ref='$3']/@verdict)"
}
valid() { # report
  if xmllint --noout --schema "$XSD" "$1" 2>"$work/xsd.err"; then ok "$1 validates against the XSD"
  else bad "$1 does not validate: $(head -3 "$work/xsd.err")"; fi
}
note_has() { # report case text: does an evidence note of the case contain text?
  xp "$1" "//*[local-name()='result'][@id='$2']//*[local-name()='note']/text()" | grep -qF -- "$3"
}
expect_note() { # name report case text
  if note_has "$2" "$3" "$4"; then ok "$1"; else bad "$1: no note with '$4' in $3"; fi
}
tx() { # report xpath-under-analysis
  xp "$1" "$2"
}
reason() { xp "$1" "string(//*[local-name()='result'][@id='$2']/*[local-name()='reason'])"; }
# trustbench firmware verify on the generated artefacts ($FW, set below).
fwv() { # expected-rc name profile sig [manifest] [image]
  local want=$1 name=$2 prof=$3 sig=$4 man=${5:-} img=${6:-fw-newer.bin} out
  out=$("$TB" firmware verify "$FW/$img" --profile "$FW/profile-$prof.yaml" --sig "$FW/$sig" ${man:+--manifest "$FW/$man"} 2>&1)
  local got=$?
  if [ "$got" = "$want" ]; then ok "firmware verify: $name (exit $got)"; else bad "firmware verify: $name: exit $got: $out"; fi
}
run_tb() { # out profile [args...] -> sets rc
  local out=$1 profile=$2
  shift 2
  "$TB" run --quiet --suite "${RUN_SUITE:-$SUITE}" --profile "$profile" --out "$out" "$@" >"$out.summary" 2>"$out.log"
  rc=$?
}

if want core; then
echo "# legacy device: must fail 5.1-1 and 5.6-1"
run_tb "$work/legacy" "$LEGACY" --only "$AUTOMATED,$SURFACE,$LOGINS"
expect_eq "legacy: exit code 2 (non-conformant)" 2 "$rc"
R=$work/legacy/report.xml
valid "$R"
expect_eq "legacy: status complete" complete "$(xp "$R" 'string(/*/@status)')"
expect_eq "legacy: 5.1-1-2 default credentials" fail "$(verdict "$R" 5.1-1-2)"
expect_eq "legacy: 5.1-2-2 default credentials" fail "$(verdict "$R" 5.1-2-2)"
expect_eq "legacy: 5.6-1-2 exposure" fail "$(verdict "$R" 5.6-1-2)"
expect_eq "legacy: provision 5.1-1" fail "$(provision "$R" en-303-645 5.1-1)"
expect_eq "legacy: provision 5.6-1" fail "$(provision "$R" en-303-645 5.6-1)"
expect_eq "legacy: UK CoP 1" fail "$(provision "$R" uk-cop 1)"
expect_eq "legacy: PSTI 1" fail "$(provision "$R" psti 1)"
expect_eq "legacy: 4-1-1 unjustified ICS" fail "$(verdict "$R" 4-1-1)"
expect_eq "legacy: 5.3-13-1 no support period" fail "$(verdict "$R" 5.3-13-1)"
reason=$(xp "$R" "string(//*[local-name()='result'][@id='5.6-1-2']/*[local-name()='reason'])")
case "$reason" in *5555*23*|*23*5555*) ok "legacy: exposure names ports 23 and 5555" ;;
  *) bad "legacy: exposure reason lacks the ports: $reason" ;; esac
login=$(xp "$R" "string(//*[local-name()='result'][@id='5.1-1-2']/*[local-name()='reason'])")
case "$login" in *root/xmhdipc*) ok "legacy: the confirmed telnet login is named" ;;
  *) bad "legacy: login reason: $login" ;; esac
ev=$(xp "$R" "string(//*[local-name()='result'][@id='5.6-1-2']//*[local-name()='file']/@path)")
sum=$(xp "$R" "string(//*[local-name()='result'][@id='5.6-1-2']//*[local-name()='file']/@sha256)")
expect_eq "legacy: evidence file digest matches" "$sum" "$(sha256sum "$work/legacy/$ev" 2>/dev/null | cut -d' ' -f1)"
# The lab's user-namespace root holds CAP_NET_RAW: the sweep is the raw SYN one, and it
# leaves nothing half-open (each SYN-ACK gets our kernel's RST, none is retransmitted).
method=$(xp "$R" "string(//*[local-name()='result'][@id='5.6-1-2']//*[local-name()='note'][@label='method'])")
case "$method" in "raw SYN sweep"*) ok "legacy: the sweep was the raw SYN one" ;;
  *) bad "legacy: sweep method: $method" ;; esac
if command -v tshark >/dev/null; then
  cap=$work/legacy/evidence/capture.pcap
  # The sweep's one local port: the source of most SYNs.
  sport=$(tshark -r "$cap" -Y 'ip.dst==198.18.1.10 && tcp.flags.syn==1 && tcp.flags.ack==0' \
    -T fields -e tcp.srcport 2>/dev/null | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
  synack=$(tshark -r "$cap" -Y "ip.src==198.18.1.10 && tcp.dstport==${sport:-0} && tcp.flags.syn==1 && tcp.flags.ack==1" \
    -T fields -e tcp.srcport 2>/dev/null | sort -u)
  rst=$(tshark -r "$cap" -Y "ip.dst==198.18.1.10 && tcp.srcport==${sport:-0} && tcp.flags.reset==1" \
    -T fields -e tcp.dstport 2>/dev/null | sort -u)
  expect_eq "legacy: the sweep's SYN-ACKs, one per open port" \
    "$(cut -f1 "$work/legacy/$ev" 2>/dev/null | sort -u | tr '\n' ' ')" "$(echo "$synack" | sort -u | tr '\n' ' ')"
  expect_eq "legacy: each of them reset by our kernel" "$synack" "$rst"
  expect_eq "legacy: none retransmitted (nothing half-open)" 0 "$(tshark -r "$cap" \
    -Y "ip.src==198.18.1.10 && tcp.dstport==${sport:-0} && tcp.analysis.retransmission" 2>/dev/null | wc -l)"
fi

echo "# hardened device: must pass 5.1-1 and 5.6-1"
RUN_SUITE=$HSUITE run_tb "$work/hardened" "$HARDENED" --only "$AUTOMATED,$SURFACE,$LOGINS"
# Hardened's port 80 answers every admin path with a redirect to HTTPS on
# the device itself; 5.5-5-2 judges those paths where they are served (443).
expect_eq "hardened: exit code 0" 0 "$rc"
R=$work/hardened/report.xml
valid "$R"
expect_eq "hardened: every automated case passes" "" \
  "$(xp "$R" "//*[local-name()='result'][@verdict!='pass']/@id" | grep -o '"[^"]*"' | tr -d '"' | tr '\n' ' ')"
expect_eq "hardened: 5.1-1-2 default credentials" pass "$(verdict "$R" 5.1-1-2)"
expect_eq "hardened: 5.6-1-2 exposure" pass "$(verdict "$R" 5.6-1-2)"
expect_eq "hardened: 5.2-1-2 security.txt" pass "$(verdict "$R" 5.2-1-2)"
expect_eq "hardened: provision 5.1-1" pass "$(provision "$R" en-303-645 5.1-1)"
expect_eq "hardened: provision 5.6-1" pass "$(provision "$R" en-303-645 5.6-1)"
if grep -q 'Kq7v-Xe2p-9mTr-Lw4d' -r "$work/hardened"; then bad "hardened: the declared credential leaked into the evidence"
else ok "hardened: the declared credential is not in the report or evidence"; fi

fi

if want full; then
echo "# full suite on the hardened device: examiner cases keep it undecided"
RUN_SUITE=$HSUITE run_tb "$work/full" "$HARDENED"
expect_eq "full: exit code 3 (awaiting examiners)" 3 "$rc"
R=$work/full/report.xml
valid "$R"
expect_eq "full: 111 results" 111 "$(xp "$R" "count(//*[local-name()='result'])")"
expect_eq "full: no examiner case passes by default" 0 \
  "$(xp "$R" "count(//*[local-name()='result'][@check='examiner'][@verdict='pass'])")"
expect_eq "full: N/A from the ICS carries the justification" not-applicable "$(verdict "$R" 5.3-14-1)"

echo "# examiner decisions are recorded with who and why"
cat > "$work/decisions.yaml" <<'YAML'
decisions:
  - case: "5.2-2-1"
    verdict: pass
    examiner: "I. Examiner"
    date: "2026-11-23"
    rationale: "Disclosure handling procedure reviewed against IXIT 4-Conf."
YAML
run_tb "$work/decided" profiles/refdevice-hardened.yaml --only 5.2-2-1 --decisions "$work/decisions.yaml"
R=$work/decided/report.xml
expect_eq "decisions: verdict from the examiner" pass "$(verdict "$R" 5.2-2-1)"
expect_eq "decisions: examiner recorded" "I. Examiner" \
  "$(xp "$R" "string(//*[local-name()='result'][@id='5.2-2-1']/*[local-name()='examiner']/@name)")"
expect_eq "decisions: decided-by" examiner "$(xp "$R" "string(//*[local-name()='result'][@id='5.2-2-1']/@decided-by)")"

echo "# hostile device: the harness survives, answers within its deadlines, never passes"
start=$(date +%s)
run_tb "$work/hostile" profiles/refdevice-hostile.yaml --only "$AUTOMATED"
took=$(( $(date +%s) - start ))
R=$work/hostile/report.xml
valid "$R"
if [ "$rc" -le 3 ] && [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then ok "hostile: exit code $rc"; else bad "hostile: exit code $rc"; fi
if [ "$took" -lt 180 ]; then ok "hostile: finished in ${took}s"; else bad "hostile: took ${took}s"; fi
for c in 5.1-1-2 5.2-1-2; do
  v=$(verdict "$R" $c)
  case "$v" in pass|"") bad "hostile: $c gave '$v'" ;; *) ok "hostile: $c is $v" ;; esac
done

echo "# a killed run leaves a valid partial report"
"$TB" run --quiet --suite "$SUITE" --profile profiles/refdevice-legacy.yaml --out "$work/killed" \
  --only 4-1-1,5.6-1-2,5.1-1-2 2>/dev/null &
pid=$!
# up to 10 s: the profile's observation window (lab.observe-seconds) comes first
for _ in $(seq 1 100); do
  [ "$(xp "$work/killed/report.xml" 'string(/*/@completed-cases)')" = 1 ] && break
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
R=$work/killed/report.xml
valid "$R"
expect_eq "killed: status partial" partial "$(xp "$R" 'string(/*/@status)')"
expect_eq "killed: the finished case is kept" fail "$(verdict "$R" 4-1-1)"
if ls "$work/killed"/*.tmp.* >/dev/null 2>&1; then bad "killed: temporary files left"; else ok "killed: no half-written files"; fi

echo "# bad input: exit 1, file:line:col, nothing written"
sed 's/^  intrusive: true/  intrusive: maybe/' profiles/refdevice-legacy.yaml > "$work/bad.yaml"
"$TB" run --suite "$SUITE" --profile "$work/bad.yaml" --out "$work/none" 2>"$work/bad.err"
expect_eq "bad profile: exit code 1" 1 "$?"
if grep -qE "bad.yaml:[0-9]+:[0-9]+: lab.intrusive must be true or false" "$work/bad.err"; then ok "bad profile: file:line:col and the field"
else bad "bad profile: message was: $(cat "$work/bad.err")"; fi
if [ -e "$work/none" ]; then bad "bad profile: output directory created"; else ok "bad profile: nothing written"; fi
"$TB" run --suite "$SUITE" 2>/dev/null
expect_eq "missing arguments: exit code 1" 1 "$?"

fi

if want services; then
echo "# firmware updates (issue 5): static verification and the update push test"
FW=build/test-firmware
FWCASES=5.3-2-2,5.3-7-1,5.3-9-1,5.3-10-1
run_tb "$work/fw-legacy" profiles/refdevice-legacy.yaml --only "$FWCASES"
R=$work/fw-legacy/report.xml
valid "$R"
expect_eq "fw legacy: exit code 2" 2 "$rc"
expect_eq "fw legacy: 5.3-2-2 push test fails" fail "$(verdict "$R" 5.3-2-2)"
expect_eq "fw legacy: 5.3-10-1 push test fails" fail "$(verdict "$R" 5.3-10-1)"
expect_eq "fw legacy: 5.3-7-1 plain HTTP delivery fails" fail "$(verdict "$R" 5.3-7-1)"
reason=$(xp "$R" "string(//*[local-name()='result'][@id='5.3-2-2']/*[local-name()='reason'])")
case "$reason" in *byte-flipped*unsigned*signed-older*) ok "fw legacy: names the three bad updates it installed" ;;
  *) bad "fw legacy: reason: $reason" ;; esac
fsha=$(xp "$R" "string(//*[local-name()='result'][@id='5.3-2-2']//*[local-name()='file'][contains(@path,'2-byte-flipped.body')]/@sha256)")
fpath=$(xp "$R" "string(//*[local-name()='result'][@id='5.3-2-2']//*[local-name()='file'][contains(@path,'2-byte-flipped.body')]/@path)")
if [ -n "$fsha" ] && [ "$fsha" = "$(sha256sum "$work/fw-legacy/$fpath" 2>/dev/null | cut -d' ' -f1)" ]; then
  ok "fw legacy: the pushed artefact is evidence with its SHA-256"
else bad "fw legacy: pushed artefact evidence missing or digest wrong ($fpath $fsha)"; fi
nresp=$(xp "$R" "count(//*[local-name()='result'][@id='5.3-2-2']//*[local-name()='file'][contains(@path,'.response')])")
expect_eq "fw legacy: the four device answers are evidence" 4 "$nresp"
run_tb "$work/fw-hardened" profiles/refdevice-hardened.yaml --only "$FWCASES"
R=$work/fw-hardened/report.xml
valid "$R"
expect_eq "fw hardened: exit code 0" 0 "$rc"
for c in 5.3-2-2 5.3-7-1 5.3-9-1 5.3-10-1; do
  expect_eq "fw hardened: $c passes" pass "$(verdict "$R" "$c")"
done
# A device that hangs during the push: INCONCLUSIVE within the deadline.
sed 's/timeout-ms: 15000/timeout-ms: 1500/' "$SUITE" > "$work/fw-suite.yaml"
sed -e 's/port: 80, path: "\/update"/port: 8080, path: "\/update"/' profiles/refdevice-hardened.yaml |
  sed -e "s/198\.18\.2\.10/${TB_LAB_HOSTILE:-198.18.3.10}/g" -e 's/tb-hrd0/tb-hos0/' > "$work/fw-hang.yaml"
sed -i "s#\.\./build/test-firmware#$PWD/$FW#g" "$work/fw-hang.yaml"
start=$SECONDS
"$TB" run --quiet --suite "$work/fw-suite.yaml" --profile "$work/fw-hang.yaml" --out "$work/fw-hang" --only 5.3-2-2,5.3-7-1 2>"$work/fw-hang.log"
rc=$?
took=$((SECONDS - start))
expect_eq "fw hang: exit code 3" 3 "$rc"
expect_eq "fw hang: push inconclusive" inconclusive "$(verdict "$work/fw-hang/report.xml" 5.3-2-2)"
expect_eq "fw hang: the run goes on to the next case" pass "$(verdict "$work/fw-hang/report.xml" 5.3-7-1)"
if [ "$took" -lt 40 ]; then ok "fw hang: finished in ${took}s"; else bad "fw hang: took ${took}s"; fi
fwv 0 "ECDSA P-256 good" ecdsa fw-newer.sig fw-newer.manifest
fwv 0 "Ed25519 good" ed25519 fw-newer.ed25519.sig fw-newer.manifest
fwv 0 "RSA-3072 PSS good" rsa3072 fw-newer.rsa3072.sig fw-newer.manifest
fwv 2 "RSA-1024 refused" rsa1024 fw-newer.rsa1024.sig fw-newer.manifest
fwv 2 "flipped image" ecdsa fw-newer.sig fw-newer.manifest fw-newer.flipped.bin
fwv 2 "truncated signature" ecdsa fw-newer.truncated.sig fw-newer.manifest
fwv 2 "rollback" ecdsa fw-older.sig fw-older.manifest fw-older.bin
fwv 2 "plain HTTP delivery" ecdsa-http fw-newer.sig fw-newer.manifest
fwv 3 "CMS good (no authenticated version)" cms fw-newer.p7s
fwv 2 "CMS from another CA" cms fw-newer.rogue.p7s
fwv 2 "CMS truncated" cms fw-newer.truncated.p7s
fwv 2 "CMS flipped image" cms fw-newer.p7s "" fw-newer.flipped.bin

echo "# TLS, SSH and MQTT (refsvc beside refdevice)"
COMMS=5.1-3-2,5.5-1-2,5.5-4-2,5.5-5-2,5.5-7-2
run_tb "$work/comms-leg" profiles/refdevice-legacy.yaml --only "$COMMS"
R=$work/comms-leg/report.xml
valid "$R"
expect_eq "legacy: 5.5-1-2 TLS fails" fail "$(verdict "$R" 5.5-1-2)"
expect_note "legacy: TLS 1.0 accepted, beside its rule" "$R" 5.5-1-2 "TLS 1.0 accepted — rule min-version 1.2: broken"
expect_note "legacy: a NULL-encryption suite is accepted" "$R" 5.5-1-2 "NULL-SHA (broken) accepted"
expect_note "legacy: an anonymous suite is accepted" "$R" 5.5-1-2 "AECDH-AES128-SHA (broken) accepted"
expect_note "legacy: RSA-1024 certificate breaks min-rsa-bits" "$R" 5.5-1-2 "1024 bits — rule min-rsa-bits 2048: broken"
expect_note "legacy: SHA-1 certificate signature" "$R" 5.5-1-2 "sha1WithRSAEncryption — rule allow-weak-signature-hash: broken"
expect_eq "legacy: 5.5-7-2 TLS on MQTT too" fail "$(verdict "$R" 5.5-7-2)"
expect_note "legacy: 8883 probed" "$R" 5.5-7-2 "TLS 1.0 accepted"
expect_eq "legacy: 5.1-3-2 weak SSH" fail "$(verdict "$R" 5.1-3-2)"
expect_note "legacy: diffie-hellman-group1-sha1 flagged" "$R" 5.1-3-2 "diffie-hellman-group1-sha1 offered — rule forbidden-kex: broken"
expect_note "legacy: 3des-cbc flagged" "$R" 5.1-3-2 "3des-cbc offered — rule forbidden-ciphers: broken"
expect_note "legacy: hmac-md5 flagged" "$R" 5.1-3-2 "hmac-md5 offered — rule forbidden-macs: broken"
expect_note "legacy: password auth honestly not determined" "$R" 5.1-3-2 "password authentication offered: not determined"
expect_eq "legacy: 5.5-4-2 anonymous MQTT" fail "$(verdict "$R" 5.5-4-2)"
expect_note "legacy: anonymous CONNECT accepted on 1883" "$R" 5.5-4-2 "CONNACK return code 0 (accepted)"
expect_note "legacy: anonymous SUBSCRIBE '#' granted" "$R" 5.5-4-2 "granted: every topic readable"
expect_eq "legacy: 5.5-5-2 /admin asks for authentication" pass "$(verdict "$R" 5.5-5-2)"

run_tb "$work/comms-hrd" profiles/refdevice-hardened.yaml --only "$COMMS"
expect_eq "hardened: exit code 0 on the comms cases" 0 "$rc"
R=$work/comms-hrd/report.xml
for c in 5.1-3-2 5.5-1-2 5.5-4-2 5.5-7-2; do
  expect_eq "hardened: $c" pass "$(verdict "$R" $c)"
done
expect_eq "hardened: 5.5-5-2" pass "$(verdict "$R" 5.5-5-2)"
expect_note "hardened: TLS 1.1 refused" "$R" 5.5-1-2 "TLS 1.1 refused"
expect_note "hardened: anonymous MQTT refused" "$R" 5.5-4-2 "CONNACK return code 5 (refused)"

# SSH authentication methods (libssh key exchange + userauth "none", no
# credential sent): legacy's real server on 2222 offers password login, which
# the suite allows (5.1-3 asks for best-practice cryptography, not key-only
# login) and records as a finding for 5.1-5 (issue 13); hardened offers
# publickey only.
R=$work/comms-leg/report.xml
expect_note "legacy: 2222 lists its methods" "$R" 5.1-3-2 "authentication methods offered: password, publickey"
expect_note "legacy: password offered meets allow-password-auth" "$R" 5.1-3-2 \
  "password authentication offered: yes — rule allow-password-auth true: met"
expect_note "legacy: password login recorded as a finding for 5.1-5" "$R" 5.1-3-2 \
  "finding: password login offered — not a cryptography fault under 5.1-3"
expect_note "legacy: probe fell back to legacy algorithms" "$R" 5.1-3-2 "(legacy algorithms, used only because"
# libssh may report the server's DISCONNECT or the close that follows it:
# either way the methods must be "not determined", never guessed.
expect_note "legacy: KEXINIT-only port 22 says why it is undetermined" "$R" 5.1-3-2 \
  "not determined: key exchange failed"
case "$(xp "$R" "string(//*[local-name()='result'][@id='5.1-3-2']/*[local-name()='reason'])")" in
  *"0 port(s) offer password authentication the suite forbids; password login offered on 1 port(s)"*)
    ok "legacy: 5.1-3-2 reason names the password login finding" ;;
  *) bad "legacy: 5.1-3-2 reason does not name password authentication" ;; esac
R=$work/comms-hrd/report.xml
expect_note "hardened: publickey only" "$R" 5.1-3-2 "authentication methods offered: publickey"
expect_note "hardened: password not offered meets the rule" "$R" 5.1-3-2 \
  "password authentication offered: no — rule allow-password-auth true: met"

# The hostile device's stalling, flooding and garbage ports as TLS, SSH and
# MQTT endpoints: never PASS, and within the checks' deadlines.
sed -e 's/ports: \[443, 8883\]/ports: [5555, 8080]/' -e 's/ports: \[22\]/ports: [5555, 80]/' \
  -e 's/ports: \[1883\]/ports: [5555]/' -e 's/tls-ports: \[8883\]/tls-ports: [8080]/' \
  "$SUITE" > "$work/comms-hostile.yaml"
start=$(date +%s)
"$TB" run --quiet --suite "$work/comms-hostile.yaml" --profile profiles/refdevice-hostile.yaml \
  --out "$work/comms-hos" --only 5.1-3-2,5.5-1-2,5.5-4-2 2>/dev/null
took=$(( $(date +%s) - start ))
R=$work/comms-hos/report.xml
if [ "$took" -lt 120 ]; then ok "hostile comms: finished in ${took}s"; else bad "hostile comms: took ${took}s"; fi
for c in 5.1-3-2 5.5-1-2 5.5-4-2; do
  v=$(verdict "$R" $c)
  case "$v" in inconclusive) ok "hostile: $c is inconclusive" ;; *) bad "hostile: $c gave '$v'" ;; esac
done

echo "# traffic capture (issue 3): each device's own cloud traffic, live and offline"
TRAFFIC=5.5-6-2,5.8-1-2,5.8-2-2
for dev in legacy hardened; do
  run_tb "$work/tr-$dev" "profiles/refdevice-$dev.yaml" --only "$TRAFFIC"
  R=$work/tr-$dev/report.xml
  valid "$R"
  cap=$work/tr-$dev/evidence/capture.pcap
  expect_eq "$dev: capture recorded" recorded "$(tx "$R" "string(//*[local-name()='capture']/@status)")"
  expect_eq "$dev: capture digest in the report" \
    "$(sha256sum "$cap" 2>/dev/null | cut -d' ' -f1)" "$(tx "$R" "string(//*[local-name()='capture']/@sha256)")"
  case "$(tx "$R" "string(//*[local-name()='capture']/@privileges)")" in
    *dropped*) ok "$dev: privileges dropped once the capture was open" ;;
    *) bad "$dev: no privilege drop recorded" ;; esac
  expect_eq "$dev: cloud named from the device's DNS answer" cloud.trustbench.lab \
    "$(tx "$R" "string(//*[local-name()='name'][@address='198.18.9.1']/@name)")"
  "$TB" analyze "$cap" --profile "profiles/refdevice-$dev.yaml" --out "$work/off-$dev" 2>/dev/null
  O=$work/off-$dev/traffic.xml
  if xmllint --noout --schema "$XSD" "$O" 2>/dev/null; then ok "$dev: offline analysis validates"
  else bad "$dev: offline analysis does not validate"; fi
  expect_eq "$dev: offline and live analyses agree on secrets" \
    "$(tx "$R" "count(//*[local-name()='secret'][@sender='dut'])")" \
    "$(tx "$O" "count(//*[local-name()='secret'][@sender='dut'])")"
done
R=$work/tr-legacy/report.xml
for c in 5.5-6-2 5.8-1-2 5.8-2-2; do expect_eq "legacy: $c" fail "$(verdict "$R" $c)"; done
expect_eq "legacy: HTTP token seen, masked" "d***" \
  "$(tx "$R" "string(//*[local-name()='secret'][@kind='http-token'][@sender='dut']/@masked)")"
expect_eq "legacy: MQTT password seen, masked" "m***" \
  "$(tx "$R" "string(//*[local-name()='secret'][@kind='mqtt-password'][@sender='dut']/@masked)")"
expect_eq "legacy: cleartext HTTP to the cloud" 1 \
  "$(tx "$R" "count(//*[local-name()='cleartext'][@protocol='http']/*[starts-with(@flow,'198.18.9.1:80/')])")"
if grep -rqe 'dtk-7f3a9c01e4b2d8556a10' -e 'mq-Pa55w0rd-legacy' "$work/tr-legacy/report.xml" "$work/off-legacy"; then
  bad "legacy: a secret's value leaked into the report"
else ok "legacy: secret values are not in the report"; fi
R=$work/tr-hardened/report.xml
for c in 5.5-6-2 5.8-1-2 5.8-2-2; do expect_eq "hardened: $c" pass "$(verdict "$R" $c)"; done
expect_eq "hardened: TLS with SNI to the cloud" cloud.trustbench.lab \
  "$(tx "$R" "string(//*[local-name()='tls'][@initiator='dut']/@sni)")"
expect_eq "hardened: no secret sent by the device" 0 \
  "$(tx "$R" "count(//*[local-name()='secret'][@sender='dut'])")"
run_tb "$work/tr-hostile" profiles/refdevice-hostile.yaml --only "$TRAFFIC"
expect_eq "hostile (no cloud traffic): 5.8-1-2 inconclusive" inconclusive "$(verdict "$work/tr-hostile/report.xml" 5.8-1-2)"
TBNOCAP=$work/nocap.yaml
sed 's/interface: "tb-leg0"/interface: "tb-none0"/' profiles/refdevice-legacy.yaml >"$TBNOCAP"
run_tb "$work/tr-nocap" "$TBNOCAP" --only 5.8-1-2
R=$work/tr-nocap/report.xml
expect_eq "no such interface: capture missing" missing "$(tx "$R" "string(//*[local-name()='capture']/@status)")"
case "$(tx "$R" "string(//*[local-name()='capture']/@reason)")" in
  *tb-none0*) ok "no such interface: the reason names it" ;; *) bad "no such interface: no reason" ;; esac
expect_eq "no capture: 5.8-1-2 inconclusive" inconclusive "$(verdict "$R" 5.8-1-2)"
"$TB" analyze fixtures/pcaps/legacy.pcap --out "$work/fx" 2>/dev/null
expect_eq "regression pcap: token and MQTT password found" 2 \
  "$(xp "$work/fx/traffic.xml" "count(//*[local-name()='secret'][@sender='dut'][@kind='http-token' or @kind='mqtt-password'])")"

echo "# hostile device, issue 9: endless telnet subnegotiation, SIGTERM, MQTT hang-up, capture tail"
# Telnet on 2323 opens IAC SB and streams as fast as it is read, for 25 s:
# each guess (the random credential, then one from the list) must end at
# the attempt's 256 KiB cap on text without a prompt or at its 10 s
# deadline, never when the stream does.
sed 's/^\( *\)services: \[.*\]$/\1services: ["telnet"]\n\1telnet-ports: [2323]\n\1max-attempts: 1/' "$SUITE" > "$work/sb-suite.yaml"
sed -e 's/port: 23,/port: 2323,/' -e 's/^      port: 23$/      port: 2323/' profiles/refdevice-hostile.yaml > "$work/sb-hostile.yaml"
"$TB" run --quiet --suite "$work/sb-suite.yaml" --profile "$work/sb-hostile.yaml" --out "$work/sb" \
  --only 5.1-1-2 2>/dev/null
R=$work/sb/report.xml
expect_eq "sb stream: 5.1-1-2 inconclusive" inconclusive "$(verdict "$R" 5.1-1-2)"
ms=$(xp "$R" "string(//*[local-name()='result'][@id='5.1-1-2']/@duration-ms)")
if [ -n "$ms" ] && [ "$ms" -lt 16000 ]; then ok "sb stream: the guesses ended before the stream did (${ms} ms)"
else bad "sb stream: took '${ms}' ms (the stream lasts 25000)"; fi
expect_note "sb stream: the note says what ended it" "$R" 5.1-1-2 "more than 256 KiB without a recognisable prompt"
# SIGTERM in the middle of that case: exit 3 within a second, partial report.
# Telnet guesses on 5555, which drips a byte every 500 ms, so each lasts
# its whole 10 s deadline and the signal lands inside one.
sed 's/^\( *\)telnet-ports: \[2323\]$/\1telnet-ports: [5555]/' "$work/sb-suite.yaml" > "$work/drip-suite.yaml"
"$TB" run --quiet --suite "$work/drip-suite.yaml" --profile "$work/sb-hostile.yaml" --out "$work/term" \
  --only 4-1-1,5.1-1-2,5.6-1-2 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do
  [ "$(xp "$work/term/report.xml" 'string(/*/@completed-cases)')" = 1 ] && break
  sleep 0.1
done
sleep 2 # inside 5.1-1-2, reading the drip
t0=$(date +%s%N)
kill -TERM "$pid"
wait "$pid"
rc=$?
took=$(( ($(date +%s%N) - t0) / 1000000 ))
R=$work/term/report.xml
expect_eq "SIGTERM: exit code 3" 3 "$rc"
if [ "$took" -le 1000 ]; then ok "SIGTERM: the run ended ${took} ms after the signal"
else bad "SIGTERM: the run ended ${took} ms after the signal"; fi
valid "$R"
expect_eq "SIGTERM: status partial" partial "$(xp "$R" 'string(/*/@status)')"
expect_eq "SIGTERM: the interrupted case is not a pass" inconclusive "$(verdict "$R" 5.1-1-2)"
expect_eq "SIGTERM: no case after it ran" "" "$(verdict "$R" 5.6-1-2)"
# MQTT on 1883 that takes the CONNECT and hangs up without a byte: no PASS.
run_tb "$work/hangup" profiles/refdevice-hostile.yaml --only 5.5-4-2
R=$work/hangup/report.xml
expect_eq "mqtt hang-up: 5.5-4-2 inconclusive, not pass" inconclusive "$(verdict "$R" 5.5-4-2)"
expect_note "mqtt hang-up: says why" "$R" 5.5-4-2 "nothing shows that an MQTT broker refused"
# The capture's tail: the kernel's counters and the file agree after a short
# run whose last packets come right before the end (no observation window).
sed 's/^\( *\)observe-seconds: [0-9]*/\1observe-seconds: 0/' profiles/refdevice-legacy.yaml > "$work/short.yaml"
run_tb "$work/short" "$work/short.yaml" --only 5.2-1-2
R=$work/short/report.xml
recv=$(xp "$R" "string(//*[local-name()='capture']/@kernel-received)")
drop=$(xp "$R" "string(//*[local-name()='capture']/@kernel-dropped)")
inpcap=$(python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
end = "<" if d[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
o, n = 24, 0
while o + 16 <= len(d):
    o += 16 + struct.unpack(end + "IIII", d[o:o + 16])[2]
    n += 1
print(n)' "$work/short/evidence/capture.pcap" 2>/dev/null)
if [ -n "$recv" ] && [ "$recv" -gt 0 ] && [ "$((recv - drop))" = "$inpcap" ]; then
  ok "capture: kernel-received $recv - kernel-dropped $drop = $inpcap packets in the file"
else bad "capture: kernel-received '$recv' - kernel-dropped '$drop' but $inpcap packets in the file"; fi

fi

if want core; then
echo "# attack surface (issue 11): UDP, service identity, amplification, disclosure"
# From the legacy and hardened runs above (5.6-1-2 and the cases that judge its sweeps).
R=$work/legacy/report.xml
expect_eq "legacy: 5.6-1-2 judges TCP and UDP" fail "$(verdict "$R" 5.6-1-2)"
case "$(reason "$R" 5.6-1-2)" in *"8023 (telnet, IPv6 only, at 2001:2:0:1::10)"*)
  ok "legacy: the root shell reachable only over IPv6 is found and fails 5.6-1-2" ;;
  *) bad "legacy: 5.6-1-2 missed the IPv6-only shell: $(reason "$R" 5.6-1-2)" ;; esac
case "$(reason "$R" 5.6-1-2)" in *"UDP 1900 (undeclared ssdp), 5683 (undeclared coap)"*)
  ok "legacy: the undeclared SSDP and CoAP services fail 5.6-1-2" ;;
  *) bad "legacy: 5.6-1-2 reason: $(reason "$R" 5.6-1-2)" ;; esac
U=$work/legacy/evidence/5.6-1-2/udp-ports.tsv
if grep -q "^161	open	snmp" "$U"; then ok "legacy: the declared SNMP agent is found and identified"
else bad "legacy: udp-ports.tsv lacks 161 snmp: $(head -5 "$U" 2>/dev/null)"; fi
T=$work/legacy/evidence/5.6-1-2/open-ports.tsv
if grep -q "^5000	undeclared	-	upnp	" "$T" && grep -q "^22	ssh	-	ssh	dropbear" "$T"; then
  ok "legacy: TCP ports identified (5000 upnp, 22 dropbear)"
else bad "legacy: open-ports.tsv: $(tr '\n' '|' < "$T" 2>/dev/null)"; fi
# Service identity against nmap -sV on the ports both name without guessing
# (nmap answers TLS ports "ssl|https", where we say "tls" and do not look inside).
if command -v nmap >/dev/null; then
  ours=$(awk -F'\t' '$1 ~ /^(22|23|80|1883|2222|5000)$/ { print $1 "/" $4 }' "$T" | tr '\n' ' ')
  theirs=$(nmap -sV --version-light -p 22,23,80,1883,2222,5000 -n -Pn -oG - 198.18.1.10 2>/dev/null |
    grep -o '[0-9]*/open/tcp//[a-z]*' | sed 's|/open/tcp//|/|' | tr '\n' ' ')
  expect_eq "legacy: protocols as nmap -sV names them (22 23 80 1883 2222 5000)" "$theirs" "$ours"
else
  echo "skip legacy: nmap not installed, identity not compared with nmap -sV"
fi
expect_eq "legacy: 5.6-1-3 amplification" fail "$(verdict "$R" 5.6-1-3)"
case "$(reason "$R" 5.6-1-3)" in *"udp/1900 ssdp"*"in 13 datagrams"*) ok "legacy: the SSDP reflector is measured (13 datagrams)" ;;
  *) bad "legacy: amplification reason: $(reason "$R" 5.6-1-3)" ;; esac
used=$(xp "$R" "string(//*[local-name()='result'][@id='5.6-1-3']//*[local-name()='note'][@label='udp sweep'])")
case "$used" in *"test case 5.6-1-2"*) ok "legacy: amplification measures 5.6-1-2's sweep, not a second one" ;;
  *) bad "legacy: amplification did not reuse the sweep: $used" ;; esac
ev=$(xp "$R" "string(//*[local-name()='result'][@id='5.6-1-3']//*[local-name()='file'][contains(@path,'amplification.tsv')]/@path)")
sum=$(xp "$R" "string(//*[local-name()='result'][@id='5.6-1-3']//*[local-name()='file'][contains(@path,'amplification.tsv')]/@sha256)")
expect_eq "legacy: amplification.tsv digest matches" "$sum" "$(sha256sum "$work/legacy/$ev" 2>/dev/null | cut -d' ' -f1)"
expect_eq "legacy: 5.6-2-2 disclosure" fail "$(verdict "$R" 5.6-2-2)"
D=$work/legacy/evidence/5.6-2-2/disclosures.tsv
if grep -q "serialNumber	LEG-0001	UPnP description, tcp/5000	serial	UNDECLARED" "$D"; then
  ok "legacy: the serial number in the UPnP description fails 5.6-2-2"
else bad "legacy: disclosures.tsv lacks the serial: $(grep -c . "$D" 2>/dev/null) lines"; fi
if grep -q "^udp	161	snmp	sysDescr	.*firmware 1.0.3.*	version	UNDECLARED" "$D"; then
  ok "legacy: the SNMP sysDescr firmware version is an undeclared disclosure"
else bad "legacy: disclosures.tsv lacks sysDescr"; fi
R=$work/hardened/report.xml
expect_eq "hardened: 5.6-1-2 (TCP and UDP as declared)" pass "$(verdict "$R" 5.6-1-2)"
case "$(reason "$R" 5.6-1-2)" in *"open UDP ports"*"UDP cannot prove"*) ok "hardened: the PASS says UDP cannot prove absence" ;;
  *) bad "hardened: 5.6-1-2 reason: $(reason "$R" 5.6-1-2)" ;; esac
if grep -q "^161	open	snmp	.*	yes" "$work/hardened/evidence/5.6-1-2/udp-ports.tsv"; then
  ok "hardened: SNMPv3 answers but needs credentials"
else bad "hardened: udp-ports.tsv: $(grep '^161' "$work/hardened/evidence/5.6-1-2/udp-ports.tsv")"; fi
expect_eq "hardened: 5.6-1-3 nothing amplifies" pass "$(verdict "$R" 5.6-1-3)"
expect_eq "hardened: 5.6-2-2 discloses only what it declares" pass "$(verdict "$R" 5.6-2-2)"

echo "# HTTP(S) done right (issue 12, item 1): logins after a redirect, HTTPS on 443"
# refdevice answers an authenticated GET /admin with a 301 to /admin/ (like
# lighttpd); refsvc serves the same Basic-auth admin inside TLS on 443.
# Judged on the legacy and hardened runs above (their credential phase).
R=$work/legacy/report.xml
case "$(reason "$R" 5.1-1-2)" in *"http/80/admin as admin/admin"*) ok "legacy: 5.1-1-2 names the HTTP login on /admin" ;;
  *) bad "legacy: 5.1-1-2 reason: $(reason "$R" 5.1-1-2)" ;; esac
expect_note "legacy: the HTTP login is confirmed after the 301 to /admin/" "$R" 5.1-1-2 \
  "HTTP 200 with the credential where it was 401 without, at http://198.18.1.10:80/admin/"
expect_note "legacy: the HTTPS admin on 443 is found and guessed over TLS" "$R" 5.1-1-2 \
  "at https://198.18.1.10:443/admin/"
expect_note "legacy: http-auth spoke TLS to 443" "$R" 5.5-5-2 "(over TLS): asks for authentication"
R=$work/hardened/report.xml
expect_note "hardened: the declared credential logs in through the redirect" "$R" 5.1-1-2 \
  "the declared test credential logged in (positive control)"
n443=$(xp "$R" "string(//*[local-name()='result'][@id='5.1-1-2']//*[local-name()='note'][starts-with(@label,'https/443/admin')][contains(.,' guesses in ')])")
case "$n443" in *" 0 without a clear answer"*) ok "hardened: the HTTPS admin on 443 refuses every guess ($n443)" ;;
  *) bad "hardened: guesses on https/443/admin: ${n443:-none}" ;; esac
expect_eq "hardened: 5.5-5-2 pass, 443 included" pass "$(verdict "$R" 5.5-5-2)"
expect_note "hardened: port 80's /admin only redirects to HTTPS, judged there" "$R" 5.5-5-2 \
  "to https://198.18.2.10/admin: served only over HTTPS on the device"
expect_note "hardened: http-auth spoke TLS to 443" "$R" 5.5-5-2 "(over TLS): asks for authentication"
# security-txt on the TLS port: fetched over HTTPS, and the URL says so.
sed 's#^\( *\)path: "/.well-known/security.txt"#&\n\1port: 443#' "$SUITE" > "$work/sectxt-tls.yaml"
"$TB" run --quiet --suite "$work/sectxt-tls.yaml" --profile profiles/refdevice-hardened.yaml \
  --out "$work/sectxt-tls" --only 5.2-1-2 >/dev/null 2>&1
case "$(reason "$work/sectxt-tls/report.xml" 5.2-1-2)" in
  *"https://198.18.2.10:443/.well-known/security.txt answered HTTP 404"*) ok "hardened: security-txt speaks HTTPS to 443" ;;
  *) bad "hardened: security-txt on 443: $(reason "$work/sectxt-tls/report.xml" 5.2-1-2)" ;; esac

echo "# every login surface (issue 12): one credential phase, every protocol, brute force"
R=$work/legacy/report.xml
L=$(reason "$R" 5.1-1-2)
for login in "telnet/23 as root/xmhdipc" "http/80/admin as admin/admin" "https/443/admin" \
  "http-form/80/login.cgi as admin/admin" \
  "ssh/2222 as root/vizxv" "mqtt/1883 as admin/admin" "mqtt+tls/8883 as admin/admin" \
  "ftp/21 as anonymous/anonymous@" "rtsp/554/ as admin/admin" "snmp/161 as community 'public', community 'private'"; do
  case "$L" in *"$login"*) ok "legacy: confirmed login $login" ;; *) bad "legacy: 5.1-1-2 lacks '$login': $L" ;; esac
done
expect_note "legacy: the SSH login is a real userauth success" "$R" 5.1-1-2 "SSH_MSG_USERAUTH_SUCCESS"
expect_note "legacy: the FTP login is confirmed by a command" "$R" 5.1-1-2 "PWD answered 257"
expect_note "legacy: the SNMP write test restores what it changed" "$R" 5.1-1-2 "and restored"
expect_eq "legacy: the phase ran once, in 5.1-1-2" 1 \
  "$(xp "$R" "count(//*[local-name()='note'][@label='credential phase'][starts-with(.,'ran here')])")"
for c in 5.1-2-2 5.1-5-2; do
  expect_note "legacy: $c judged the phase 5.1-1-2 ran" "$R" $c "judged from the phase test case 5.1-1-2 ran"
done
expect_eq "legacy: 5.1-2-2 fails like 5.1-1-2" fail "$(verdict "$R" 5.1-2-2)"
expect_eq "legacy: 5.1-5-2 brute force not throttled" fail "$(verdict "$R" 5.1-5-2)"
case "$(reason "$R" 5.1-5-2)" in *"telnet/23 evaluated"*"wrong guesses in one minute"*) ok "legacy: 5.1-5-2 measured the telnet login" ;;
  *) bad "legacy: 5.1-5-2 reason: $(reason "$R" 5.1-5-2)" ;; esac
expect_eq "legacy: 5.5-5-2 the 'private' community changes settings" fail "$(verdict "$R" 5.5-5-2)"
case "$(reason "$R" 5.5-5-2)" in *"snmp/161"*"can write"*) ok "legacy: 5.5-5-2 names the SNMP write" ;;
  *) bad "legacy: 5.5-5-2 reason: $(reason "$R" 5.5-5-2)" ;; esac
if [ -s "$work/legacy/evidence/5.1-5-2/attempts.tsv" ]; then ok "legacy: 5.1-5-2 keeps every timed attempt"
else bad "legacy: no attempts.tsv"; fi
R=$work/hardened/report.xml
expect_eq "hardened: 5.1-2-2 pass" pass "$(verdict "$R" 5.1-2-2)"
# Hardened takes no credential in clear: its web admin is HTTPS only (port
# 80 redirects), its broker TLS only (no 1883), and it has no form login.
for ifc in https/443/admin mqtt+tls/8883 ftp/21 rtsp/554/live; do
  n=$(xp "$R" "count(//*[local-name()='result'][@id='5.1-1-2']//*[local-name()='note'][@label='$ifc'][contains(.,'logged in (positive control)')])")
  expect_eq "hardened: $ifc positive control logs in" 1 "$n"
done
expect_eq "hardened: no login interface on plain HTTP 80 or MQTT 1883" 0 \
  "$(xp "$R" "count(//*[local-name()='result'][@id='5.1-1-2']//*[local-name()='note'][starts-with(@label,'http/80') or starts-with(@label,'http-form/80') or starts-with(@label,'mqtt/1883')][contains(.,' guesses in ')])")"
expect_note "hardened: SSH offers keys only" "$R" 5.1-1-2 "no password login: the server offers publickey"
expect_eq "hardened: 5.1-5-2 every login throttles" pass "$(verdict "$R" 5.1-5-2)"
for ifc in https/443/admin mqtt+tls/8883 ftp/21 rtsp/554/live; do
  case "$(reason "$R" 5.1-5-2)" in *"$ifc"*throttles*) ok "hardened: $ifc throttles" ;;
    *) bad "hardened: 5.1-5-2 does not say $ifc throttles: $(reason "$R" 5.1-5-2)" ;; esac
done
expect_note "hardened: the owner is not locked out after the burst" "$R" 5.1-5-2 "the owner is not locked out"
masked=$(xp "$R" "string(//*[local-name()='capture']/@masked-secrets)")
if [ "${masked:-0}" -gt 0 ]; then ok "hardened: the capture masks the declared credentials ($masked strings)"
else bad "hardened: capture masked-secrets '${masked}'"; fi

fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
