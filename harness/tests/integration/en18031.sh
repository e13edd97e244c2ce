#!/usr/bin/env bash
# en18031.sh: the EN 18031-1 example suite's decision trees on the reference
# devices (issue 13 item 1).  Runs inside the lab with legacy and hardened up:
#   fixtures/lab/lab.sh run --refdevice build/refdevice -- \
#     harness/tests/integration/en18031.sh build/trustbench
# Each test prints ok/FAIL; the last line is "N passed, N failed".
set -uo pipefail
TB=$1
SUITE=testsuites/en-18031-1.yaml
XSD=reports/schema/trustbench-report.xsd
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
item() { # report case-id item-id attribute
  xp "$1" "string(//*[local-name()='result'][@id='$2']/*[local-name()='decision-tree']/*[local-name()='item'][@id='$3']/@$4)"
}
step() { # report case-id item-id node attribute
  xp "$1" "string(//*[local-name()='result'][@id='$2']/*[local-name()='decision-tree']/*[local-name()='item'][@id='$3']/*[local-name()='step'][@node='$4']/@$5)"
}
valid() { # report
  if xmllint --noout --schema "$XSD" "$1" 2>"$work/xsd.err"; then ok "$1 validates against the XSD"
  else bad "$1 does not validate: $(head -3 "$work/xsd.err")"; fi
}

# A broken tree is refused with file:line:col.
sed '0,/              no: "DN-2"/s//              no: "DN-9"/' "$SUITE" >"$work/broken.yaml"
mkdir -p "$work/data" && cp testsuites/data/* "$work/data/"
msg=$("$TB" validate "$work/broken.yaml" 2>&1)
case "$msg" in
*broken.yaml:4[0-9]:19:*"'DN-9' is neither a node"*) ok "broken tree refused at file:line:col" ;;
*) bad "broken tree: $msg" ;;
esac

# Legacy: the whole example suite.
L=$work/legacy
"$TB" run --quiet --suite "$SUITE" --profile profiles/refdevice-legacy.yaml --out "$L" >/dev/null 2>"$work/legacy.log"
expect_eq "legacy exits 2" 2 $?
R=$L/report.xml
valid "$R"
expect_eq "legacy ACM-1-1" fail "$(verdict "$R" ACM-1-1)"
expect_eq "legacy ACM-1-1 status-page (N/A without justification)" fail "$(item "$R" ACM-1-1 status-page verdict)"
expect_eq "legacy AUM-1-1-1 awaits an examiner" needs-examiner "$(verdict "$R" AUM-1-1-1)"
expect_eq "legacy AUM-1-1-1 mqtt stops at DN-3" DN-3 "$(item "$R" AUM-1-1-1 mqtt stopped-at)"
expect_eq "legacy AUM-5-1-1" fail "$(verdict "$R" AUM-5-1-1)"
expect_eq "legacy AUM-5-1-1 web-admin DN-1a answered by the check" "no/check" \
  "$(step "$R" AUM-5-1-1 web-admin DN-1a answer)/$(step "$R" AUM-5-1-1 web-admin DN-1a source)"
expect_eq "legacy AUM-5-1-1 telnet-root fails at DN-2 (declaration)" "no/declaration" \
  "$(step "$R" AUM-5-1-1 telnet-root DN-2 answer)/$(step "$R" AUM-5-1-1 telnet-root DN-2 source)"
expect_eq "legacy SCM-1-2" fail "$(verdict "$R" SCM-1-2)"
expect_eq "legacy SCM-1-2 web-https reads SCM-1-1" "no/check" \
  "$(step "$R" SCM-1-2 web-https DN-1a answer)/$(step "$R" SCM-1-2 web-https DN-1a source)"
expect_eq "legacy CCK-1-2" fail "$(verdict "$R" CCK-1-2)"

# An examiner answers the node nobody else could.
cat >"$work/decisions.yaml" <<'YAML'
decisions:
  - case: "AUM-1-1-1"
    item: "mqtt"
    node: "DN-3"
    answer: "no"
    examiner: "Integration Test"
    date: "2026-12-03"
    rationale: "The broker accepted a CONNECT without credentials."
YAML
D=$work/decided
"$TB" run --quiet --suite "$SUITE" --profile profiles/refdevice-legacy.yaml --only AUM-1-1-1 \
  --decisions "$work/decisions.yaml" --out "$D" >/dev/null 2>"$work/decided.log"
valid "$D/report.xml"
expect_eq "legacy AUM-1-1-1 decided by the examiner at DN-3" "fail/examiner" \
  "$(verdict "$D/report.xml" AUM-1-1-1)/$(step "$D/report.xml" AUM-1-1-1 mqtt DN-3 source)"

# Hardened, AUM-5-1-1 included: its credential phase refuses every guess on
# every interface (the hardened device throttles, so it takes about a minute).
H=$work/hardened
"$TB" run --quiet --suite "$SUITE" --profile profiles/refdevice-hardened.yaml \
  --only ACM-1-1,AUM-1-1-1,AUM-5-1-1,SCM-1-1,SCM-1-2,CCK-1-1,CCK-1-2 --out "$H" >/dev/null 2>"$work/hardened.log"
R=$H/report.xml
valid "$R"
expect_eq "hardened ACM-1-1" pass "$(verdict "$R" ACM-1-1)"
expect_eq "hardened ACM-1-1 status-page justified" not-applicable "$(item "$R" ACM-1-1 status-page verdict)"
expect_eq "hardened AUM-1-1-1" pass "$(verdict "$R" AUM-1-1-1)"
# The check refuses every default: DN-2a is answered yes by it, and the tree
# then asks the examiner whether the per-unit default is strong (DN-3).
expect_eq "hardened AUM-5-1-1 awaits the examiner at DN-3" needs-examiner "$(verdict "$R" AUM-5-1-1)"
n=$(xp "$R" "count(//*[local-name()='result'][@id='AUM-5-1-1']//*[@node='DN-2a'][@answer='yes'][@source='check'])")
if [ "${n:-0}" -ge 1 ]; then ok "hardened AUM-5-1-1: the check answered DN-2a yes ($n items)"
else bad "hardened AUM-5-1-1: no DN-2a answered yes by the check"; fi
expect_eq "hardened SCM-1-1" pass "$(verdict "$R" SCM-1-1)"
expect_eq "hardened SCM-1-2 web-https" pass "$(item "$R" SCM-1-2 web-https verdict)"
# Stated honestly in the profile: port 80 still serves /admin behind Basic.
expect_eq "hardened SCM-1-2 web-http" fail "$(item "$R" SCM-1-2 web-http verdict)"
expect_eq "hardened CCK-1-2" pass "$(verdict "$R" CCK-1-2)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
