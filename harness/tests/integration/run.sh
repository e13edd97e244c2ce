#!/usr/bin/env bash
# Integration tests: run trustbench against the reference devices in
# isolated labs (fixtures/lab/lab.sh) and assert what a lab would see.
# Usage: harness/tests/integration/run.sh PATH/TO/trustbench
#
# The scripts mostly wait on devices (throttling, deadlines, capture
# windows), so they run side by side, each in a lab of its own (private
# network namespaces: they cannot see each other).  Each one's output is
# kept and printed whole, in a fixed order, with how long it took; the exit
# code is non-zero if any failed.  TB_INTEGRATION_SERIAL=1 runs them one
# after the other instead.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$root"
REFDEVICE=${TB_REFDEVICE:-build/refdevice}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
names=()

# start NAME CMD...: run CMD in the background, its output into NAME's log.
start() {
  local name=$1
  shift
  names+=("$name")
  (
    s=$(date +%s)
    rc=0
    "$@" >"$logs/$name.log" 2>&1 || rc=$?
    echo "$rc $(($(date +%s) - s))" >"$logs/$name.rc"
  ) &
  if [ "${TB_INTEGRATION_SERIAL:-0}" = 1 ]; then wait; fi
}

lab() { fixtures/lab/lab.sh run --refdevice "$REFDEVICE" -- "$@"; }

# The ETSI suite on the reference devices, in three labs (lab-tests.sh's parts).
for part in core full services; do
  start "lab-tests-$part" env LAB_PARTS=$part fixtures/lab/lab.sh run --refdevice "$REFDEVICE" -- \
    "$here/lab-tests.sh" "$bin"
done
# The EN 18031-1 example suite's decision trees (issue 13).
start en18031 lab "$here/en18031.sh" "$bin"
# Malformed input against the reference devices' services (issue 15, 5.13-1).
start robustness lab "$here/robustness.sh" "$bin"
# The uplink cut mid-run and the reconnection pattern (issue 15, 5.9-1/2/3).
start outage lab "$here/outage.sh" "$bin"
# A forged cloud certificate (issue 15, 5.5-1/5.8-1/5.8-2): one lab per device.
start cloud-identity env TB_REFDEVICE="$REFDEVICE" "$here/cloud-identity.sh" "$bin"
# The rest, one after the other in one slot: the devices' login surfaces as
# ordinary clients see them, the latecomer device (it starts only on
# request), lab.sh itself, captures of real daemons, the robustness campaign
# against real daemons and the forged cloud against a real client (no lab
# needed: each makes a namespace of its own).
start others bash -c 'rc=0; for s in "$@"; do n=${s%% *}; echo "== ${n##*/}"; $s || rc=1; done; exit $rc' \
  others "$here/lab-logins.sh" "$here/latecomer.sh $bin" "$here/lab-setup.sh" "$here/real-pcaps.sh $bin" \
  "$here/real-daemons.sh $bin" "$here/real-clients.sh $bin"
wait

rc=0
for n in "${names[@]}"; do
  read -r code secs <"$logs/$n.rc" || { code=1 secs=?; }
  echo "=== $n (${secs}s, exit $code)"
  cat "$logs/$n.log"
  [ "$code" = 0 ] || rc=1
done
exit "$rc"
