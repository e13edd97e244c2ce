#!/usr/bin/env bash
# real-clients.sh: the cloud-identity case (5.5-1-3) with a real TLS client
# as the "device", not only our reference phone-home: curl (OpenSSL), as
# Debian ships it, calls the lab cloud every half second.
#   curl verifying (the lab CA, the name, the dates: its defaults) -> PASS;
#   curl -k (accepts any certificate)                              -> FAIL.
# Runs in a private user + network namespace of its own (unshare -rn): the
# lab cloud (fixtures/refdevice/cloud.c) on 198.18.9.1 and the "device" on
# 198.18.20.10, both on that namespace's loopback; nothing else.
# Usage: harness/tests/integration/real-clients.sh PATH/TO/trustbench
#        (the cloud binary is taken from beside $TB_REFDEVICE, default build/)
# Each test prints ok/FAIL; the last line is "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
TB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$root" || exit 1
readonly DUT=198.18.20.10 CLOUD=198.18.9.1 NAME=cloud.trustbench.lab CASE=5.5-1-3
CLOUD_BIN=$(dirname "${TB_REFDEVICE:-build/refdevice}")/cloud
CLOUD_BIN=$(cd "$(dirname "$CLOUD_BIN")" && pwd)/cloud

for t in curl openssl unshare; do
  command -v "$t" >/dev/null 2>&1 || { echo "FAIL real clients: $t missing"; echo "0 passed, 1 failed"; exit 1; }
done
[ -x "$CLOUD_BIN" ] || { echo "FAIL real clients: no cloud binary at $CLOUD_BIN"; echo "0 passed, 1 failed"; exit 1; }
if [ -z "${TB_REAL_NS:-}" ]; then
  exec env TB_REAL_NS=1 CLOUD_BIN="$CLOUD_BIN" unshare -rn -- "$0" "$TB"
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ "${TB_KEEP:-0}" = 1 ] || rm -rf "$work"
}
[ "${TB_KEEP:-0}" = 1 ] && echo "work directory: $work"
trap cleanup EXIT
# shellcheck source=harness/tests/integration/testlib.sh
. "$here/testlib.sh"
verdict() { xp "$1" "string(//*[local-name()='result'][@id='$CASE']/@verdict)"; }
reason() { xp "$1" "string(//*[local-name()='result'][@id='$CASE']/*[local-name()='reason'])"; }

ip link set lo up
ip addr add "$DUT/32" dev lo
ip addr add "$CLOUD/24" dev lo

# A test-only CA the "device" trusts, and the cloud it calls.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/O=trustbench TEST ONLY/CN=real-clients test CA" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
"$CLOUD_BIN" --addr "$CLOUD" --ca-cert "$work/ca.pem" --ca-key "$work/ca.key" 2>"$work/cloud.log" &
pids+=($!)
for _ in $(seq 100); do
  timeout 1 bash -c "exec 3<>/dev/tcp/$CLOUD/7070" 2>/dev/null && break
  sleep 0.05
done

cat >"$work/profile.yaml" <<EOF
profile: { id: "real-client", description: "curl calling a lab cloud" }
dut: { manufacturer: "Debian packages", model: "curl", firmware: "bookworm", serial: "CURL-0001", address: "$DUT" }
lab:
  scope: ["$DUT/32"]
  interface: "lo"
  intrusive: true
  cloud:
    address: "$CLOUD"
    name: "$NAME"
    control-port: 7070
    trusted-ca: { certificate: "$work/ca.pem", key: "$work/ca.key" }
declarations:
  services: []
EOF

# device ARGS...: curl from the DUT's address to the cloud every 0.5 s.
device() {
  while :; do
    curl -s -o /dev/null --max-time 2 --interface "$DUT" --resolve "$NAME:443:$CLOUD" \
      -H "X-Device-Token: real-client-secret-token-7734" -d '{"motion":0}' "$@" \
      "https://$NAME/telemetry"
    sleep 0.5
  done
}

# run NAME CURL-ARGS...: the case with curl as the device.
run() {
  local name=$1
  shift
  device "$@" &
  local dev=$!
  "$TB" run --quiet --suite testsuites/etsi-en-303-645.yaml --only "$CASE" \
    --profile "$work/profile.yaml" --out "$work/$name" >"$work/$name.out" 2>"$work/$name.log"
  echo $? >"$work/$name.rc"
  kill "$dev" 2>/dev/null
  wait "$dev" 2>/dev/null
}

run verifying --cacert "$work/ca.pem"
R=$work/verifying/report.xml
expect_eq "curl verifying: exit 0" 0 "$(cat "$work/verifying.rc")"
expect_eq "curl verifying: $CASE passes" pass "$(verdict "$R")"
expect_in "curl verifying: it refused all four forged certificates" "refused all four" "$(reason "$R")"
# curl matches the name only after the handshake: over the wrong-name
# certificate it completes the handshake, then sends nothing.
expect_in "curl verifying: its refusal after the handshake is told apart" \
  "after a completed handshake" "$(reason "$R")"

run insecure -k
R=$work/insecure/report.xml
expect_eq "curl -k: exit 2" 2 "$(cat "$work/insecure.rc")"
expect_eq "curl -k: $CASE fails" fail "$(verdict "$R")"
expect_in "curl -k: the self-signed certificate is named" "(self-signed)" "$(reason "$R")"
if grep -rqa "real-client-secret-token-7734" "$work/insecure"; then
  bad "curl -k: the token it sent is in the report or evidence"
else ok "curl -k: the token it sent is masked in the report and evidence"; fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
