#!/usr/bin/env bash
# demo.sh: run inside the lab (see `make demo`): the ETSI EN 303 645 suite
# against each reference device, reports in reports/out/<device>/.
set -uo pipefail
# Work from the repository root whatever the caller's directory, with the
# binary's path made absolute first (the script may change directory).
TB=$(readlink -f -- "${1:-build/trustbench}")
cd "$(dirname -- "$0")/../.."
SUITE=testsuites/etsi-en-303-645.yaml
for dev in legacy hardened; do
  out=reports/out/$dev
  rm -rf "$out"
  echo
  echo "=== reference device: $dev ==="
  "$TB" run --suite "$SUITE" --profile "profiles/refdevice-$dev.yaml" --out "$out" \
    --assessor-role lab --assessor-name "trustbench demo lab (test-only)"
  rc=$?
  case $rc in
    0) meaning="every applicable test case passed" ;;
    2) meaning="at least one FAIL: the device does not conform" ;;
    3) meaning="no FAIL, but test cases await an examiner or were inconclusive" ;;
    *) echo "demo: trustbench failed on $dev (exit $rc)" >&2; exit 1 ;;
  esac
  echo "exit code $rc: $meaning"
  "$TB" validate "$out/report.xml" || exit 1
done
# Sign each report with a test-only lab key made now, then verify it against
# the test-only CA and the example policies.  Only the two certificates are
# kept (reports/out/test-pki/); the keys die with the temporary directory.
pki_tmp=$(mktemp -d)
fixtures/keys/make-test-pki.sh "$pki_tmp" >/dev/null || { echo "demo: cannot make the test PKI" >&2; exit 1; }
mkdir -p reports/out/test-pki
cp "$pki_tmp/ca.pem" "$pki_tmp/lab.pem" reports/out/test-pki/
for dev in legacy hardened; do
  echo
  echo "=== sign and verify: $dev ==="
  "$TB" sign "reports/out/$dev/report.xml" --key "$pki_tmp/lab.key" --cert "$pki_tmp/lab.pem" \
    || { rm -rf "$pki_tmp"; exit 1; }
  "$TB" verify "reports/out/$dev/report.xml" --ca reports/out/test-pki/ca.pem \
    --policy profiles/policies/psti-minimum.yaml
  rc=$?
  [ $rc -eq 0 ] || [ $rc -eq 2 ] || { echo "demo: verify failed on $dev (exit $rc)" >&2; rm -rf "$pki_tmp"; exit 1; }
done
rm -rf "$pki_tmp"
# Render each (signed) report for people: XHTML via XSLT, PDF via weasyprint.
for dev in legacy hardened; do
  echo
  echo "=== render: $dev ==="
  TRUSTBENCH_DATADIR=${TRUSTBENCH_DATADIR:-$PWD} "$TB" render "reports/out/$dev/report.xml" --html "reports/out/$dev/report.html" \
    --pdf "reports/out/$dev/report.pdf" || { echo "demo: render failed on $dev" >&2; exit 1; }
done
echo
echo "Reports: reports/out/legacy/report.xml and reports/out/hardened/report.xml"
echo "For people: reports/out/<device>/report.html and report.pdf"
echo "The legacy device is expected to fail (exit 2); the hardened one passes every"
echo "automated case and leaves the rest to an examiner (exit 3)."
