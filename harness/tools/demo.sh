#!/usr/bin/env bash
# demo.sh: run inside the lab (see `make demo`): the ETSI EN 303 645 suite
# against each reference device, reports in reports/out/<device>/.
set -uo pipefail
TB=${1:-build/trustbench}
SUITE=testsuites/etsi-en-303-645.yaml
for dev in legacy hardened; do
  out=reports/out/$dev
  rm -rf "$out"
  echo
  echo "=== reference device: $dev ==="
  "$TB" run --suite "$SUITE" --profile "profiles/refdevice-$dev.yaml" --out "$out"
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
echo
echo "Reports: reports/out/legacy/report.xml and reports/out/hardened/report.xml"
echo "The legacy device is expected to fail (exit 2); the hardened one passes every"
echo "automated case and leaves the rest to an examiner (exit 3)."
