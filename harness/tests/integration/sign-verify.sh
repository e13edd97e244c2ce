#!/usr/bin/env bash
# sign-verify.sh: `trustbench sign` and `trustbench verify` end to end.
# Usage: harness/tests/integration/sign-verify.sh PATH/TO/trustbench
#
# Makes a throw-away test PKI (fixtures/keys/make-test-pki.sh), produces one
# real report with evidence files by running trustbench once against the
# hardened reference device in the lab (TB_REFDEVICE names the refdevice
# binary), and a vendor-run report that needs no network.  Then signs and
# verifies them, and tampers with every part.  Last line: "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
TB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$root"
export TRUSTBENCH_DATADIR=$root
tmp=$(mktemp -d /tmp/tb-sign-verify.XXXXXX)
chmod 0755 "$tmp" # run as real root drops to an unprivileged user, which must reach --out
trap 'rm -rf "$tmp"' EXIT
. "$here/cmdlib.sh"
SUITE=testsuites/etsi-en-303-645.yaml

# fresh NAME: a pristine copy of the signed lab report directory.
fresh() {
  rm -rf "$tmp/$1"
  cp -r "$tmp/lab" "$tmp/$1"
  echo "$tmp/$1"
}

verify() { "$TB" verify "$@"; }

# ---- Inputs: a PKI, a lab-run report with evidence, a vendor-run report ----
# The vendor's report needs no network: declarations only.
"$TB" run --suite "$SUITE" --profile profiles/refdevice-hardened.yaml --out "$tmp/vendor" \
  --only 4-1-1,5.2-1-1 --assessor-role vendor --assessor-name "RD Vendor (test-only)" \
  --quiet >/dev/null 2>&1
cp -r "$tmp/vendor" "$tmp/short"
pki=$tmp/pki
short_life=5
fixtures/keys/make-test-pki.sh "$pki" "$short_life" || { echo "cannot make the test PKI"; exit 1; }
# Sign with the short-lived certificate at once, while it is valid.
"$TB" sign "$tmp/short/report.xml" --key "$pki/short.key" --cert "$pki/short.pem" >/dev/null \
  || { echo "cannot sign with the short-lived certificate"; exit 1; }
short_signed=$(date +%s)

if [ -n "${SV_REPORT_DIR:-}" ]; then
  cp -r "$SV_REPORT_DIR" "$tmp/lab"
else
  fixtures/lab/lab.sh run --refdevice "${TB_REFDEVICE:-build/refdevice}" --only hardened -- \
    "$TB" run --suite "$SUITE" --profile profiles/refdevice-hardened.yaml --out "$tmp/lab" \
    --only 4-1-1,5.2-1-1,5.2-1-2,5.6-1-2 --assessor-role lab \
    --assessor-name "Test Lab (test-only)" --quiet >"$tmp/run.log" 2>&1
fi
report=$tmp/lab/report.xml
nfiles=$(grep -c '<file ' "$report" 2>/dev/null || true)
if [ "${nfiles:-0}" -lt 1 ]; then
  echo "the lab run produced no report with evidence files:"; cat "$tmp/run.log" 2>/dev/null
  echo "0 passed, 1 failed"
  exit 1
fi
cap=evidence/capture.pcap
grep -Eq "<capture status=\"recorded\" path=\"$cap\" sha256=\"[0-9a-f]{64}\" bytes=" "$report" \
  && ok "the lab run records its capture by digest" \
  || bad "the lab run records its capture by digest"
grep -q '<assessor role="lab" name="Test Lab (test-only)"/>' "$report" \
  && ok "run records the assessor given on the command line" \
  || bad "run records the assessor given on the command line"
grep -q '<assessor role="unspecified"/>' <("$TB" run --suite "$SUITE" \
  --profile profiles/refdevice-hardened.yaml --out "$tmp/unspec" --only 4-1-1 --quiet \
  >/dev/null 2>&1; cat "$tmp/unspec/report.xml") \
  && ok "run without --assessor-role records role unspecified" \
  || bad "run without --assessor-role records role unspecified"
expect "run refuses an unknown assessor role" 1 "must be vendor or lab" -- \
  "$TB" run --suite "$SUITE" --profile profiles/refdevice-hardened.yaml --out "$tmp/x" \
  --assessor-role auditor

# ---- Sign ----
expect "sign writes REPORT.xml.p7s" 0 "signed: .*report.xml.p7s" -- \
  "$TB" sign "$report" --key "$pki/lab.key" --cert "$pki/lab.pem"
openssl cms -cmsout -print -inform DER -in "$report.p7s" 2>/dev/null | grep -q signingTime \
  && ok "the signature carries a signing time" || bad "the signature carries a signing time"
openssl cms -verify -binary -purpose any -inform DER -in "$report.p7s" -content "$report" \
  -CAfile "$pki/ca.pem" -out /dev/null >/dev/null 2>&1 \
  && ok "openssl cms -verify accepts the signature (interoperable DER)" \
  || bad "openssl cms -verify accepts the signature (interoperable DER)"
expect "sign refuses a key that does not match the certificate" 1 "does not belong to the key" -- \
  "$TB" sign "$report" --key "$pki/other-lab.key" --cert "$pki/lab.pem" --out "$tmp/x.p7s"
expect "sign without --cert is a usage error" 1 "required" -- "$TB" sign "$report" --key "$pki/lab.key"
expect "sign of a missing report fails" 1 "" -- \
  "$TB" sign "$tmp/none.xml" --key "$pki/lab.key" --cert "$pki/lab.pem"

# ---- Verify: intact ----
expect "verify of an intact signed report exits 0" 0 "^verify: +intact \(exit 0\)" -- \
  verify "$report" --ca "$pki/ca.pem"
for line in "^signature: OK: .*signed [0-9T:-]+Z by CN=trustbench test-only lab signer" \
    "^chain: +OK" "^schema: +OK" \
    "^evidence: +OK: all $((nfiles + 1)) files \($nfiles evidence files? and the capture\)" \
    '^assessor: +test lab "Test Lab \(test-only\)"'; do
  grep -Eq -- "$line" "$tmp/out" && ok "verify prints /$line/" || bad "verify prints /$line/"
done
d=$(fresh pem)
openssl cms -cmsout -inform DER -outform PEM -in "$d/report.xml.p7s" -out "$d/report.xml.p7s.pem" 2>/dev/null
expect "a PEM signature is accepted too" 0 "" -- \
  verify "$d/report.xml" --sig "$d/report.xml.p7s.pem" --ca "$pki/ca.pem"

# ---- One flipped byte anywhere gives 4 ----
size=$(stat -c %s "$report")
for off in 0 $((size / 3)) $((size / 2)) $((size - 2)) $((size - 1)); do
  d=$(fresh rflip); flip "$d/report.xml" "$off"
  expect "a flipped byte in the report at offset $off gives 4" 4 "^signature: BROKEN" -- \
    verify "$d/report.xml" --ca "$pki/ca.pem"
done
ssize=$(stat -c %s "$report.p7s")
for ((off = 0; off < ssize; off += ssize / 24 + 1)); do
  d=$(fresh sflip); flip "$d/report.xml.p7s" "$off"
  expect "a flipped byte in the signature at offset $off/$ssize gives 4" 4 "BROKEN" -- \
    verify "$d/report.xml" --ca "$pki/ca.pem"
done
d=$(fresh sappend); printf 'x' >>"$d/report.xml.p7s"
expect "a byte appended to the signature gives 4" 4 "bytes after the signature" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
ev=$(grep -o '<file [^>]*path="[^"]*"' "$report" | head -1 | sed 's/.*path="//; s/"$//')
d=$(fresh eflip); flip "$d/$ev" 0
expect "a flipped byte in evidence file $ev gives 4" 4 "^evidence: +BROKEN" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
grep -Fq -- "- $ev: SHA-256" "$tmp/out" && ok "verify names the altered evidence file" \
  || bad "verify names the altered evidence file"
d=$(fresh eappend); printf '\n' >>"$d/$ev"
expect "a byte appended to an evidence file gives 4" 4 "more than" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
d=$(fresh elink); mv "$d/$ev" "$d/moved"; ln -s "$d/moved" "$d/$ev"
expect "an evidence file replaced by a symbolic link gives 4" 4 "symbolic link" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
d=$(fresh emissing); rm "$d/$ev"
expect "a missing evidence file gives 4" 4 "^evidence: +BROKEN: 1 of the" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
grep -Fq -- "- $ev: missing" "$tmp/out" && ok "verify names the missing evidence file" \
  || bad "verify names the missing evidence file"
d=$(fresh enodir); rm -r "$d/evidence"
expect "a deleted evidence folder gives 4" 4 \
  "^evidence: +BROKEN: $((nfiles + 1)) of the $((nfiles + 1)) files" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
expect "--evidence /nonexistent gives 4" 4 \
  "^evidence: +BROKEN: cannot open the evidence directory /nonexistent" -- \
  verify "$report" --ca "$pki/ca.pem" --evidence /nonexistent

# ---- The capture is evidence too ----
csize=$(stat -c %s "$tmp/lab/$cap")
for off in 0 $((csize / 2)) $((csize - 1)); do
  d=$(fresh cflip); flip "$d/$cap" "$off"
  expect "a flipped byte in the capture at offset $off/$csize gives 4" 4 \
    "^  - $cap \(the capture\): SHA-256" -- verify "$d/report.xml" --ca "$pki/ca.pem"
done
d=$(fresh ctrunc); truncate -s $((csize - 1)) "$d/$cap"
expect "a truncated capture gives 4" 4 "^  - $cap \(the capture\): truncated" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
d=$(fresh cappend); printf 'x' >>"$d/$cap"
expect "a byte appended to the capture gives 4" 4 "\(the capture\): more than" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
d=$(fresh cgone); rm "$d/$cap"
expect "a deleted capture gives 4" 4 "^  - $cap \(the capture\): missing" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"

# ---- --report-only: exit 0 only with words that cannot be missed ----
d=$(fresh ronly); rm -r "$d/evidence"
expect "--report-only without evidence gives 0" 0 "^evidence: +NOT EXAMINED \(--report-only\)" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem" --report-only
grep -Eq "^verify: +intact; report and signature only: the EVIDENCE WAS NOT EXAMINED \(--report-only\) \(exit 0\)" \
  "$tmp/out" && ok "--report-only says in the verdict that the evidence was not examined" \
  || bad "--report-only says in the verdict that the evidence was not examined"
flip "$d/report.xml" 100
expect "--report-only still checks the report: a flipped byte gives 4" 4 "^signature: BROKEN" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem" --report-only
expect "--report-only with --evidence is a usage error" 1 "contradict" -- \
  verify "$report" --ca "$pki/ca.pem" --report-only --evidence "$tmp/lab"
d=$(fresh edir); mkdir "$tmp/evcopy"; cp -r "$d/evidence" "$tmp/evcopy/"; flip "$tmp/evcopy/$ev" 0
expect "--evidence DIR checks the evidence there" 4 "^evidence: +BROKEN" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem" --evidence "$tmp/evcopy"

# ---- The report is untrusted even when signed ----
d=$(fresh unsafe)
sed -i "0,\\|path=\"$ev\"|s||path=\"../../../etc/hostname\"|" "$d/report.xml"
"$TB" sign "$d/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" >/dev/null
expect "a signed report naming ../ evidence paths gives 4" 4 "unsafe path refused" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
d=$(fresh schema)
sed -i 's/<summary>/<summery>/; s/<\/summary>/<\/summery>/' "$d/report.xml"
"$TB" sign "$d/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" >/dev/null
expect "a signed report that breaks the schema gives 4" 4 "^schema: +BROKEN" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
d=$(fresh doctype)
sed -i '1a <!DOCTYPE report [<!ENTITY x SYSTEM "file:///etc/hostname">]>' "$d/report.xml"
"$TB" sign "$d/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" >/dev/null
expect "a signed report with a DOCTYPE and external entity gives 4" 4 "DOCTYPE" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
for cmd in "validate" "render --html $tmp/x.html" "diff $report"; do
  # shellcheck disable=SC2086 # cmd is several words on purpose
  expect "$cmd refuses the report with a DOCTYPE too (one reader, one rule)" 1 "DOCTYPE" -- \
    "$TB" $cmd "$d/report.xml"
done
d=$(fresh attrs)
# 100k attributes (1 MB) on one element inside <results>.
awk 'BEGIN { printf "<notes"; for (i = 0; i < 100000; i++) printf " a%d=\"v\"", i; print "/>" }' \
  >"$tmp/attrs.txt"
awk 'NR == FNR { a = $0; next } { sub(/<results>/, "<results>" a); print }' "$tmp/attrs.txt" \
  "$tmp/lab/report.xml" >"$d/report.xml"
"$TB" sign "$d/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" >/dev/null
expect "a signed report with 100k attributes on one element gives 4 within 5 s" 4 \
  "more than 64 attributes" -- timeout 5 "$TB" verify "$d/report.xml" --ca "$pki/ca.pem"
expect "... and validate refuses it within 5 s" 1 "more than 64 attributes" -- \
  timeout 5 "$TB" validate "$d/report.xml"
mkfifo "$tmp/fifo.xml" "$tmp/fifo.yaml"
expect "a FIFO as the report is refused at once" 1 "not a regular file" -- \
  timeout 5 "$TB" verify "$tmp/fifo.xml" --ca "$pki/ca.pem"
expect "a FIFO as the policy is refused at once" 1 "not a regular file" -- \
  timeout 5 "$TB" verify "$report" --ca "$pki/ca.pem" --policy "$tmp/fifo.yaml"
expect "validate refuses a FIFO at once" 1 "not a regular file" -- \
  timeout 5 "$TB" validate "$tmp/fifo.xml" "$tmp/fifo.yaml"

# ---- Certificates ----
expect "wrong CA gives 4" 4 "^chain: +BROKEN: the signer does not chain to the given CA" -- \
  verify "$report" --ca "$pki/other-ca.pem"
d=$(fresh expired)
"$TB" sign "$d/report.xml" --key "$pki/expired.key" --cert "$pki/expired.pem" >/dev/null
expect "an expired signing certificate is reported and gives 4" 4 \
  "^chain: +BROKEN: the signing certificate expired on 2020-02-01" -- verify "$d/report.xml" --ca "$pki/ca.pem"
d=$(fresh viainter)
"$TB" sign "$d/report.xml" --key "$pki/lab2.key" --cert "$pki/lab2.pem" --chain "$pki/inter.pem" >/dev/null
expect "a signer under an intermediate CA verifies with --chain" 0 "" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
"$TB" sign "$d/report.xml" --key "$pki/lab2.key" --cert "$pki/lab2.pem" >/dev/null
expect "... and without the intermediate in the signature it gives 4" 4 "^chain: +BROKEN" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem"
expect "the intermediate alone is not a trust anchor for the root's signer" 4 "^chain: +BROKEN" -- \
  verify "$report" --ca "$pki/inter.pem"
wait_s=$((short_signed + short_life + 2 - $(date +%s)))
[ "$wait_s" -gt 0 ] && sleep "$wait_s"
expect "a certificate valid when signing but expired now gives 4, saying so" 4 \
  "valid at the signing time the signer claims" -- verify "$tmp/short/report.xml" --ca "$pki/ca.pem"

# ---- Policies ----
cat >"$tmp/met.yaml" <<EOF
policy:
  id: "test-met"
require:
  en-303-645: ["4-1", "5.2-1"]
report:
  full-suite: false
  max-age-days: 2
assessor:
  self-assessment: refuse
  trusted-labs:
    - subject: "CN=trustbench test-only lab signer,O=trustbench test-only"
EOF
expect "a policy that is met gives 0" 0 "^policy: +MET: test-met" -- \
  verify "$report" --ca "$pki/ca.pem" --policy "$tmp/met.yaml"
expect "psti-minimum is not met by a 4-case run: 2" 2 "only 4 of the suite's [0-9]+ test cases" -- \
  verify "$report" --ca "$pki/ca.pem" --policy profiles/policies/psti-minimum.yaml
expect "strict-lab-only names what is missing: 2" 2 "psti 1: not in the report" -- \
  verify "$report" --ca "$pki/ca.pem" --policy profiles/policies/strict-lab-only.yaml
fp=$(openssl x509 -in "$pki/other-lab.pem" -noout -fingerprint -sha256 | cut -d= -f2)
sed "s|- subject: .*|- sha256: \"$fp\"|" "$tmp/met.yaml" >"$tmp/fp.yaml"
expect "a signer missing from trusted-labs: 2" 2 "not one of the policy's trusted labs" -- \
  verify "$report" --ca "$pki/ca.pem" --policy "$tmp/fp.yaml"
fp=$(openssl x509 -in "$pki/lab.pem" -noout -fingerprint -sha256 | cut -d= -f2)
sed "s|- subject: .*|- sha256: \"$fp\"|" "$tmp/met.yaml" >"$tmp/fp.yaml"
expect "a signer named by fingerprint: 0" 0 "^policy: +MET" -- \
  verify "$report" --ca "$pki/ca.pem" --policy "$tmp/fp.yaml"
"$TB" sign "$tmp/vendor/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" >/dev/null
sed 's/\["4-1", "5.2-1"\]/["4-1"]/' "$tmp/met.yaml" >"$tmp/vendor.yaml"
expect "a policy refusing self-assessments refuses a vendor-run report: 2" 2 \
  "the vendor \(a self-assessment\)" -- verify "$tmp/vendor/report.xml" --ca "$pki/ca.pem" --policy "$tmp/vendor.yaml"
grep -Eq '^assessor: +vendor self-assessment "RD Vendor \(test-only\)"' "$tmp/out" \
  && ok "verify shows a vendor self-assessment" || bad "verify shows a vendor self-assessment"
d=$(fresh both); flip "$d/report.xml" 100
expect "integrity beats policy: tampered and not met gives 4" 4 "" -- \
  verify "$d/report.xml" --ca "$pki/ca.pem" --policy profiles/policies/psti-minimum.yaml

# ---- Bad input ----
printf 'policy:\n  id: x\nrequire:\n  psti: sometimes\n' >"$tmp/bad.yaml"
expect "a bad policy is bad input (1) with file:line:col" 1 "bad.yaml:4:9: require.psti" -- \
  verify "$report" --ca "$pki/ca.pem" --policy "$tmp/bad.yaml"
expect "verify without --ca is a usage error" 1 "required" -- verify "$report"
for h in --help -h; do
  "$TB" verify "$h" >"$tmp/out" 2>/dev/null && grep -q "^usage: trustbench verify" "$tmp/out" \
    && grep -q -- "--report-only" "$tmp/out" \
    && ok "verify $h prints the usage on stdout and exits 0" \
    || bad "verify $h prints the usage on stdout and exits 0"
done
expect "a missing signature file is bad input" 1 "" -- verify "$report" --ca "$pki/ca.pem" --sig "$tmp/none.p7s"
expect "a CA file without certificates is bad input" 1 "no PEM certificate" -- \
  verify "$report" --ca "$pki/lab.key"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
