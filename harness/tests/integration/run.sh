#!/usr/bin/env bash
# Integration tests: run trustbench against the reference devices in an
# isolated lab (fixtures/lab/lab.sh) and assert what a lab would see.
# Usage: harness/tests/integration/run.sh PATH/TO/trustbench
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$root"
rc=0
fixtures/lab/lab.sh run --refdevice "${TB_REFDEVICE:-build/refdevice}" -- "$here/lab-tests.sh" "$bin" || rc=$?
# The EN 18031-1 example suite's decision trees (issue 13), in a lab of its own.
fixtures/lab/lab.sh run --refdevice "${TB_REFDEVICE:-build/refdevice}" -- "$here/en18031.sh" "$bin" || rc=$((rc ? rc : 1))
# The devices' login surfaces as ordinary clients see them, in a lab of its own.
"$here/lab-logins.sh" || rc=$((rc ? rc : 1))
# The latecomer device starts only on request, in a lab of its own.
"$here/latecomer.sh" "$bin" || rc=$((rc ? rc : 1))
# lab.sh itself: a device namespace that appears late.
"$here/lab-setup.sh" || rc=$((rc ? rc : 1))
# Captures of real daemons (no lab needed).
"$here/real-pcaps.sh" "$bin" || rc=$((rc ? rc : 1))
exit "$rc"
