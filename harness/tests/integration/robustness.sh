#!/usr/bin/env bash
# robustness.sh: does malformed input crash the device (5.13-1, issue 15)?
# The robustness campaign on the reference devices: without intrusive
# consent nothing is sent (INCONCLUSIVE); legacy's telnet and MQTT survive;
# legacy's and hostile's web servers stop on a negative Content-Length (FAIL,
# with the seed and the last inputs in the evidence, and the port really
# refuses afterwards); hardened survives the whole campaign (PASS with the
# count of inputs).  Runs inside the lab:
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

# 2. Legacy without its web service in the profile: telnet and MQTT survive.
grep -v '^    - { port: 80, transport: "tcp", protocol: "http"' profiles/refdevice-legacy.yaml \
  >"$work/profiles/noweb.yaml"
expect_eq "legacy without web: exit 0" 0 "$(run noweb "$work/profiles/noweb.yaml")"
R=$work/noweb/report.xml
expect_eq "legacy without web: $CASE pass" pass "$(verdict "$R")"
why=$(reason "$R")
expect_in "legacy without web: 200 negotiations to telnet 23" "tcp/23 (telnet) 200 inputs" "$why"
expect_in "legacy without web: 200 CONNECTs to 1883" "tcp/1883 (mqtt) 200 inputs" "$why"
expect_in "legacy without web: 400 inputs in all" "survived 400 malformed inputs" "$why"

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

# 4. Hardened survives the whole campaign.
expect_eq "hardened: exit 0" 0 "$(run hardened profiles/refdevice-hardened.yaml)"
R=$work/hardened/report.xml
valid "$R"
expect_eq "hardened: $CASE pass" pass "$(verdict "$R")"
why=$(reason "$R")
expect_in "hardened: the count of inputs" "survived 200 malformed inputs" "$why"
expect_in "hardened: the seed" "seed $SEED" "$why"
expect_in "hardened: faults, never their absence" "presence of faults, never their absence" "$why"
if answers "$TB_LAB_HARDENED" 80; then ok "hardened: port 80 answers after the campaign"
else bad "hardened: port 80 closed after the campaign"; fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
