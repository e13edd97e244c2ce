#!/usr/bin/env bash
# Runs inside the lab namespace (see run.sh).  Each test prints ok/FAIL;
# the last line is "N passed, N failed".
set -uo pipefail
TB=$1
SUITE=testsuites/etsi-en-303-645.yaml
XSD=reports/schema/trustbench-report.xsd
AUTOMATED=4-1-1,5.1-1-1,5.1-1-2,5.1-2-2,5.2-1-1,5.2-1-2,5.3-13-1,5.6-1-1,5.6-1-2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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
run_tb() { # out profile [args...] -> sets rc
  local out=$1 profile=$2
  shift 2
  "$TB" run --quiet --suite "$SUITE" --profile "$profile" --out "$out" "$@" 2>"$out.log"
  rc=$?
}

echo "# legacy device: must fail 5.1-1 and 5.6-1"
run_tb "$work/legacy" profiles/refdevice-legacy.yaml --only "$AUTOMATED"
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

echo "# hardened device: must pass 5.1-1 and 5.6-1"
run_tb "$work/hardened" profiles/refdevice-hardened.yaml --only "$AUTOMATED"
expect_eq "hardened: exit code 0 (all automated cases pass)" 0 "$rc"
R=$work/hardened/report.xml
valid "$R"
expect_eq "hardened: 5.1-1-2 default credentials" pass "$(verdict "$R" 5.1-1-2)"
expect_eq "hardened: 5.6-1-2 exposure" pass "$(verdict "$R" 5.6-1-2)"
expect_eq "hardened: 5.2-1-2 security.txt" pass "$(verdict "$R" 5.2-1-2)"
expect_eq "hardened: provision 5.1-1" pass "$(provision "$R" en-303-645 5.1-1)"
expect_eq "hardened: provision 5.6-1" pass "$(provision "$R" en-303-645 5.6-1)"
if grep -q 'Kq7v-Xe2p-9mTr-Lw4d' -r "$work/hardened"; then bad "hardened: the declared credential leaked into the evidence"
else ok "hardened: the declared credential is not in the report or evidence"; fi

echo "# full suite on the hardened device: examiner cases keep it undecided"
run_tb "$work/full" profiles/refdevice-hardened.yaml
expect_eq "full: exit code 3 (awaiting examiners)" 3 "$rc"
R=$work/full/report.xml
valid "$R"
expect_eq "full: 109 results" 109 "$(xp "$R" "count(//*[local-name()='result'])")"
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
for _ in $(seq 1 50); do
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

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
