#!/usr/bin/env bash
# statement.sh: `trustbench statement` and `verify --statement` end to end.
# Usage: harness/tests/integration/statement.sh PATH/TO/trustbench
#
# Needs no lab: like sign-verify.sh, it makes a vendor-run report of
# declaration-only test cases (no network), a throw-away test PKI
# (fixtures/keys/make-test-pki.sh), and a small levelled scheme of its own,
# then derives statements and tampers with every part.  Last line:
# "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
TB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$root"
tmp=$(mktemp -d /tmp/tb-statement.XXXXXX)
chmod 0755 "$tmp" # run as real root drops to an unprivileged user, which must reach --out
trap 'rm -rf "$tmp"' EXIT
# A data directory of our own: the shipped schemas and schemes, plus the
# test scheme below, found by id as an installed scheme would be (verify
# --statement loads the scheme the statement names from here).
data=$tmp/data
mkdir -p "$data/reports" "$data/testsuites/schemes"
ln -s "$root/reports/schema" "$data/reports/schema"
cp testsuites/schemes/*.yaml "$data/testsuites/schemes/"
export TRUSTBENCH_DATADIR=$data
. "$here/cmdlib.sh"
SUITE=testsuites/etsi-en-303-645.yaml

check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# ---- Inputs: a PKI, a lab-role report of declaration-only cases (no network) ----
pki=$tmp/pki
fixtures/keys/make-test-pki.sh "$pki" >/dev/null 2>&1 || { echo "cannot make the test PKI"; exit 1; }
"$TB" run --suite "$SUITE" --profile profiles/refdevice-hardened.yaml --out "$tmp/r" \
  --only 4-1-1,5.2-1-1,5.3-13-1 --assessor-role lab --assessor-name "Test Lab (test-only)" \
  --quiet >/dev/null 2>&1
rep=$tmp/r/report.xml
[ -f "$rep" ] || { echo "the run wrote no report"; echo "0 passed, 1 failed"; exit 1; }
ca=$pki/ca.pem

# A levelled scheme of our own: level 1 the disclosure policy, level 2 also
# the support period (lab only), level 3 unreachable.
cat >"$data/testsuites/schemes/t.yaml" <<'EOF'
scheme:
  id: "t"
  name: "Test scheme (test-only)"
  version: "1"
  levelled: true
  framework: "en-303-645"
  validity-months: 36
  expiry-capped-by-support-period: true
  support-period-required: true
  label-url-template: "https://registry.example.test/t/{statement-sha256}"
  met-by: ["pass", "not-applicable"]
  judged: "5.2-1 and 5.3-13 through the report"
items:
  - {id: "vdp", title: "Disclosure policy", ref: "5.2-1"}
  - {id: "support", title: "Support period", ref: "5.3-13"}
  - {id: "pen", title: "Penetration test", not-judged: "not done by trustbench"}
levels:
  - {level: 1, name: "One", requires: ["vdp"]}
  - {level: 2, name: "Two", assessor: "lab", requires: ["support"]}
  - {level: 3, name: "Three", requires: ["pen"], unreachable: "needs a penetration test"}
EOF

# ---- The report carries the declared support period and contact ----
check "the report's dut carries the declared support-period end and disclosure contact" \
  "grep -q 'support-period-end=\"2031-12-31\" disclosure-contact=\"mailto:security@refdevice.invalid\"' '$rep'"
expect "validate accepts the shipped schemes" 0 "valid scheme" -- \
  "$TB" validate testsuites/schemes/psti.yaml testsuites/schemes/en-303-645.yaml \
  testsuites/schemes/cls-style.yaml "$data/testsuites/schemes/t.yaml"
sed 's/^  judged:/  colour: 1\n  judged:/' "$data/testsuites/schemes/t.yaml" >"$tmp/bad.yaml"
expect "validate refuses a bad scheme with file:line:col" 1 "bad.yaml:12:3: unknown key 'colour'" -- \
  "$TB" validate "$tmp/bad.yaml"
expect "statement --help exits 0" 0 "usage: trustbench statement" -- "$TB" statement --help

# ---- Unsigned: no statement ----
expect "an unsigned report gives no statement (exit 4)" 4 "not signed" -- \
  "$TB" statement "$rep" --scheme psti --out "$tmp/s0.xml" --ca "$ca" --json "$tmp/s0.json"
check "nothing written for the unsigned report" "[ ! -e '$tmp/s0.xml' ] && [ ! -e '$tmp/s0.json' ]"

"$TB" sign "$rep" --key "$pki/lab.key" --cert "$pki/lab.pem" >/dev/null || { echo "cannot sign"; exit 1; }

# ---- A statement from the signed, complete report ----
st=$tmp/st.xml
expect "statement from a signed complete report (exit 0)" 0 "outcome: +pass, level 2: Two" -- \
  "$TB" statement "$rep" --scheme t --out "$st" --ca "$ca" --json "$tmp/st.json" \
  --registry "$tmp/reg.json"
digest=$(sha256sum "$st" | cut -d' ' -f1)
check "the statement says level 2 and qualifies for its label" \
  "grep -q '<outcome result=\"pass\" level=\"2\" level-name=\"Two\" qualifies-for-label=\"true\"/>' '$st'"
check "the statement names the report's SHA-256" \
  "grep -q \"sha256=\\\"$(sha256sum "$rep" | cut -d' ' -f1)\\\"\" '$st'"
check "the unreachable level's item is not-judged, never pass" \
  "grep -q '<item id=\"pen\" result=\"not-judged\"' '$st'"
if command -v xmllint >/dev/null; then
  check "the statement validates against trustbench-statement.xsd (xmllint)" \
    "xmllint --noout --schema reports/schema/trustbench-statement.xsd '$st' 2>/dev/null"
fi
check "the JSON has the statement's digest and label URL" \
  "python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j[\"statement-sha256\"]==sys.argv[2]; assert j[\"label\"][\"url\"].endswith(sys.argv[2]); assert j[\"outcome\"][\"level\"]==2' '$tmp/st.json' $digest"
check "the registry record: statement and report digests, label URL" \
  "python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j[\"label-url\"]==\"https://registry.example.test/t/\"+sys.argv[2]; assert j[\"report-sha256\"]==sys.argv[3]; assert j[\"statement\"][\"scheme\"][\"id\"]==\"t\"' '$tmp/reg.json' $digest $(sha256sum "$rep" | cut -d' ' -f1)"
expect "psti statement of the same report: withheld, with the reasons" 0 "needs item 1 .*not-judged" -- \
  "$TB" statement "$rep" --scheme psti --out "$tmp/psti.xml" --ca "$ca"

# ---- verify --statement ----
expect "verify --statement: the statement matches its report (exit 0)" 0 "^statement: OK: " -- \
  "$TB" verify "$rep" --ca "$ca" --statement "$st"
sed 's/level="2" level-name="Two"/level="3" level-name="Two"/' "$st" >"$tmp/st-level.xml"
check "the edited statement differs by one byte" \
  "[ \$(cmp -l '$st' '$tmp/st-level.xml' | wc -l) -eq 1 ]"
expect "verify --statement: level edited by one byte gives 4" 4 "^statement: BROKEN: .*line 4: derived from the report .*level=.2.*the statement says .*level=.3" -- \
  "$TB" verify "$rep" --ca "$ca" --statement "$tmp/st-level.xml"
sed 's/expires="\([0-9]*\)-/expires="2099-/' "$st" >"$tmp/st-exp.xml"
expect "verify --statement: a later expiry gives 4" 4 "^statement: BROKEN" -- \
  "$TB" verify "$rep" --ca "$ca" --statement "$tmp/st-exp.xml"
sed 's/<issued date="[0-9-]*"/<issued date="2099-01-01"/' "$st" >"$tmp/st-future.xml"
expect "verify --statement: an issue date after today gives 4" 4 "after today" -- \
  "$TB" verify "$rep" --ca "$ca" --statement "$tmp/st-future.xml"
sed 's/<issued date="[0-9-]*"/<issued date="2020-01-01"/' "$st" >"$tmp/st-past.xml"
expect "verify --statement: an issue date before the signature gives 4" 4 "before the report was signed" -- \
  "$TB" verify "$rep" --ca "$ca" --statement "$tmp/st-past.xml"
expect "verify --statement: not a statement gives 4" 4 "^statement: BROKEN" -- \
  "$TB" verify "$rep" --ca "$ca" --statement "$rep"

# ---- A trusted timestamp (RFC 3161, sign --tsa-file) ----
cp -r "$tmp/r" "$tmp/ts"
"$TB" sign "$tmp/ts/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa-file "$pki" >/dev/null
expect "statement --tsa-ca of a timestamped report (exit 0)" 0 "" -- \
  "$TB" statement "$tmp/ts/report.xml" --scheme psti --out "$tmp/ts.xml" --ca "$ca" --tsa-ca "$ca"
check "the statement gives the timestamped time" \
  "grep -Eq 'timestamped-at=\"[0-9T:-]+Z\"' '$tmp/ts.xml'"
expect "verify --statement --tsa-ca of the timestamped statement (exit 0)" 0 "^statement: OK" -- \
  "$TB" verify "$tmp/ts/report.xml" --ca "$ca" --tsa-ca "$ca" --statement "$tmp/ts.xml"
expect "verify --statement without --tsa-ca cannot confirm the timestamp (exit 4)" 4 \
  "statement: BROKEN: .*timestamped-at" -- \
  "$TB" verify "$tmp/ts/report.xml" --ca "$ca" --statement "$tmp/ts.xml"

# ---- Policies that require a statement ----
policy() {
  printf 'policy:\n  id: "p%s"\nrequire-statement: {scheme: "t", minimum-level: %s}\n' "$1" "$1" >"$tmp/p$1.yaml"
  printf 'report: {full-suite: false}\n' >>"$tmp/p$1.yaml"
}
policy 2
policy 3
expect "policy minimum-level 2, statement level 2: met (exit 0)" 0 "^policy: +MET" -- \
  "$TB" verify "$rep" --ca "$ca" --statement "$st" --policy "$tmp/p2.yaml"
expect "policy minimum-level 3 above the statement's level 2: exit 2" 2 "at least level 3" -- \
  "$TB" verify "$rep" --ca "$ca" --statement "$st" --policy "$tmp/p3.yaml"
expect "policy requiring a statement, none given: exit 2" 2 "none was given" -- \
  "$TB" verify "$rep" --ca "$ca" --policy "$tmp/p2.yaml"
expect "the example policy validates" 0 "valid policy" -- \
  "$TB" validate profiles/policies/cls-style-level-1.yaml

# ---- Tampering and partial reports ----
cp -r "$tmp/r" "$tmp/t1"
flip "$tmp/t1/report.xml" 300
expect "a report tampered after signing gives no statement (exit 4)" 4 "does not verify" -- \
  "$TB" statement "$tmp/t1/report.xml" --scheme psti --out "$tmp/t1.xml" --ca "$ca"
check "nothing written for the tampered report" "[ ! -e '$tmp/t1.xml' ]"
expect "verify --statement against the tampered report gives 4" 4 "" -- \
  "$TB" verify "$tmp/t1/report.xml" --ca "$ca" --statement "$st"
cp -r "$tmp/r" "$tmp/t2"
"$TB" sign "$tmp/t2/report.xml" --key "$pki/other-lab.key" --cert "$pki/other-lab.pem" >/dev/null 2>&1
expect "a report signed by another CA's signer gives no statement (exit 4)" 4 "" -- \
  "$TB" statement "$tmp/t2/report.xml" --scheme psti --out "$tmp/t2.xml" --ca "$ca"
mkdir -p "$tmp/part"
sed 's/status="complete"/status="partial"/' "$rep" >"$tmp/part/report.xml"
"$TB" sign "$tmp/part/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" >/dev/null
expect "a signed partial report gives no statement (exit 1)" 1 "partial report" -- \
  "$TB" statement "$tmp/part/report.xml" --scheme psti --out "$tmp/part.xml" --ca "$ca"
check "nothing written for the partial report" "[ ! -e '$tmp/part.xml' ]"

# ---- All or nothing ----
expect "an unwritable --registry writes nothing at all (exit 1)" 1 "nothing written" -- \
  "$TB" statement "$rep" --scheme psti --out "$tmp/a.xml" --json "$tmp/a.json" \
  --registry "$tmp/no/such/dir/reg.json" --ca "$ca"
check "neither the statement nor its JSON was left behind" "[ ! -e '$tmp/a.xml' ] && [ ! -e '$tmp/a.json' ]"
expect "an unknown scheme is a usage error (exit 1)" 1 "cannot|unknown" -- \
  "$TB" statement "$rep" --scheme nosuch --out "$tmp/b.xml" --ca "$ca"
expect "--out is required (exit 1)" 1 "required" -- "$TB" statement "$rep" --scheme psti --ca "$ca"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
