#!/usr/bin/env bash
# lab-setup.sh: fixtures/lab/lab.sh builds its lab even when a device's
# network namespace appears late (a loaded machine): the veth must not be
# handed to the device before its `unshare -n` has run, or it stays in the
# harness namespace and the device waits for it in vain ("never arrived").
# A slow `unshare` wrapper first in PATH makes that window a second wide.
# Then the lab's IPv6 and the devices' UDP services (lab-ipv6.py).
# Usage: harness/tests/integration/lab-setup.sh [PATH/TO/refdevice]
# The last line is "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
refdevice=${1:-${TB_REFDEVICE:-$root/build/refdevice}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$here/testlib.sh"
real=$(command -v unshare)
cat >"$work/unshare" <<SH
#!/bin/sh
# A slow unshare: the new namespaces exist only a second after the fork.
sleep 1
exec "$real" "\$@"
SH
chmod +x "$work/unshare"
start=$SECONDS
# shellcheck disable=SC2016
out=$(PATH="$work:$PATH" timeout 120 "$root/fixtures/lab/lab.sh" run --refdevice "$refdevice" \
  --only legacy -- bash -c 'exec 3<>"/dev/tcp/$TB_LAB_LEGACY/80" && echo reached' 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ "$(printf '%s\n' "$out" | tail -1)" = reached ]; then
  ok "slow namespace start: the lab comes up and the device answers ($((SECONDS - start)) s)"
else
  bad "slow namespace start: exit $rc: $(printf '%s\n' "$out" | grep lab.sh | head -2)"
fi

# IPv6 on the lab links (2001:2::/48 and link-local only, nothing else on
# the wire) and the devices' UDP and IPv6-only services (fixtures/refdevice/refudp.c).
out=$(timeout 120 "$root/fixtures/lab/lab.sh" run --refdevice "$refdevice" --only legacy \
  --only hardened -- python3 "$here/lab-ipv6.py" 2>&1)
rc=$?
n=0
while IFS= read -r line; do
  case $line in
    "ok   "*) ok "${line#ok   }"; n=$((n + 1)) ;;
    "FAIL "*) bad "${line#FAIL }"; n=$((n + 1)) ;;
  esac
done <<<"$out"
if [ "$rc" -ne 0 ] || [ "$n" -lt 15 ]; then
  bad "lab-ipv6.py: exit $rc after $n of 15 assertions: $(printf '%s\n' "$out" | grep -v '^ok' | tail -3)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
