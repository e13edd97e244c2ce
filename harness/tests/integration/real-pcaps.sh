#!/usr/bin/env bash
# real-pcaps.sh: `trustbench analyze` on captures of real daemons and clients
# (fixtures/pcaps/real/, made by fixtures/pcaps/make-real-pcaps.sh) must
# report what is true of each capture.  The expected facts below come from
# how the captures were made (see fixtures/pcaps/real/README.md), not from
# what any version of trustbench printed.
# Usage: harness/tests/integration/real-pcaps.sh PATH/TO/trustbench
# No lab is needed: it only reads files.  Each test prints ok/FAIL; the last
# line is "N passed, N failed".  TB_KEEP=1 keeps the work directory.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
TB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$root"
export TRUSTBENCH_DATADIR=$root # the schema for analyze --out and validate, wherever the binary is
XSD=reports/schema/trustbench-report.xsd
PCAPS=${TB_REAL_PCAPS:-fixtures/pcaps/real} # TB_REAL_PCAPS: check a fresh set from make-real-pcaps.sh
DEV=198.18.20.10   # the device in every capture
PEER=198.18.20.1   # the lab peer: client of the device's servers, server to its clients
DEV6=2001:2:0:20::10 # the same over IPv6 (ipv6.pcap)
PEER6=2001:2:0:20::1
work=$(mktemp -d)
[ -n "${TB_KEEP:-}" ] && echo "work: $work" || trap 'rm -rf "$work"' EXIT
. "$here/testlib.sh"
el() { # element name, namespace-free
  echo "*[local-name()='$1']"
}

# analyze NAME DUT [DUT2]: analyse fixtures/pcaps/real/NAME.pcap with DUT
# (and DUT2: another address of the device) as the device; sets T to the
# traffic.xml.
analyze() {
  local out=$work/$1-${2//[.:]/_}${3:+-${3//[.:]/_}}
  T=$out/traffic.xml
  if "$TB" analyze "$PCAPS/$1.pcap" --dut "$2" ${3:+--dut "$3"} --out "$out" >"$out.log" 2>&1 &&
    [ -s "$T" ]; then
    ok "$1 (DUT $2${3:+ $3}): analyze succeeds"
  else
    bad "$1 (DUT $2${3:+ $3}): analyze failed: $(head -3 "$out.log")"
  fi
  if xmllint --noout --schema "$XSD" "$T" 2>/dev/null; then ok "$1 (DUT $2${3:+ $3}): traffic.xml validates"
  else bad "$1 (DUT $2${3:+ $3}): traffic.xml does not validate"; fi
}
count() { # xpath-predicate-free element and predicate, e.g. secret "[@sender='dut']"
  xp "$T" "count(//$(el "$1")$2)"
}
# expect_secret NAME KIND SENDER FIRST LENGTH: exactly one secret of KIND,
# sent by SENDER (dut|peer), LENGTH bytes long, whose masked form shows at
# most its true first character FIRST (how much to show is the tool's
# policy; showing a wrong or a second character is not).
expect_secret() {
  local s="//$(el secret)[@kind='$2']" m
  expect_eq "$1: one $2" 1 "$(xp "$T" "count($s)")"
  expect_eq "$1: $2 sent by the $3" "$3" "$(xp "$T" "string($s/@sender)")"
  expect_eq "$1: $2 length" "$5" "$(xp "$T" "string($s/@length)")"
  m=$(xp "$T" "string($s/@masked)")
  # FIRST is a letter in every use here, so it is safe inside the pattern.
  if [[ $m =~ ^($4)?\*+$ ]]; then ok "$1: $2 masked ($m)"
  else bad "$1: $2 masked as '$m' (true first character: $4)"; fi
}
# The values used to make the captures (make-real-pcaps.sh) never appear in
# what analyze writes.
no_values_leak() { # name
  if grep -rqF -e Cam-Pa55-4242 -e mq-Real-Pa55w0rd -e http-Real-Pa55 -e dtk-real-5c1e0a77b2 \
    "$(dirname "$T")"; then bad "$1: a secret's value is in the output"
  else ok "$1: no secret's value in the output"; fi
}

echo "# the corpus"
for f in ssh ftp telnet mqtt http tls12 tls13 ipv6; do
  if [ -f "$PCAPS/$f.pcap" ]; then
    size=$(stat -c %s "$PCAPS/$f.pcap")
    if [ "$size" -lt 204800 ]; then ok "$f.pcap present, $size bytes (< 200 KiB)"
    else bad "$f.pcap is $size bytes (>= 200 KiB)"; fi
  else bad "$f.pcap missing"; fi
done

echo "# ssh: sshd on the device, password login and 400 encrypted lines"
analyze ssh "$DEV"
expect_eq "ssh: no cleartext protocol at all" 0 "$(count cleartext "")"
expect_eq "ssh: not telnet" 0 "$(count flow "[@protocol='telnet']")"
expect_eq "ssh: not mqtt" 0 "$(count flow "[@protocol='mqtt']")"
expect_eq "ssh: no secret (the password is inside the encryption)" 0 "$(count secret "")"
expect_eq "ssh: the session to port 22 was started by the peer" peer \
  "$(xp "$T" "string(//$(el flow)[@port='22']/@initiator)")"
expect_eq "ssh: port 22 is not cleartext" false \
  "$(xp "$T" "string(//$(el flow)[@port='22']/@cleartext)")"
analyze ssh "$PEER"
expect_eq "ssh as the client's capture: no cleartext protocol" 0 "$(count cleartext "")"
expect_eq "ssh as the client's capture: the DUT's connection to 22 is not cleartext" false \
  "$(xp "$T" "string(//$(el flow)[@port='22'][@initiator='dut']/@cleartext)")"

echo "# ftp: vsftpd on the device; login, LIST and RETR in passive mode"
analyze ftp "$DEV"
expect_eq "ftp: cleartext ftp" 1 "$(count cleartext "[@protocol='ftp']")"
expect_secret "ftp" ftp-user peer c 6
expect_secret "ftp" ftp-password peer C 13
no_values_leak ftp
expect_eq "ftp: no other secret" 2 "$(count secret "")"
expect_eq "ftp: the device started no connection (passive mode)" 0 "$(count flow "[@initiator='dut']")"
analyze ftp "$PEER"
expect_eq "ftp as the client's capture: user name sent by the DUT" dut \
  "$(xp "$T" "string(//$(el secret)[@kind='ftp-user']/@sender)")"
expect_eq "ftp as the client's capture: password sent by the DUT" dut \
  "$(xp "$T" "string(//$(el secret)[@kind='ftp-password']/@sender)")"

echo "# telnet: telnetd + login on the device; 'Last login:' banner, then id and uname -sr"
analyze telnet "$DEV"
expect_eq "telnet: cleartext telnet" 1 "$(count cleartext "[@protocol='telnet']")"
# The one user name is "camera"; "id" typed after the "Last login:" banner
# is a shell command, not a login.
expect_secret "telnet" telnet-user peer c 6
expect_secret "telnet" telnet-password peer C 13
no_values_leak telnet
expect_eq "telnet: no secret of 2 bytes (the shell command id)" 0 "$(count secret "[@length='2']")"

echo "# mqtt: mosquitto on the peer; the device publishes with a password, then anonymously"
analyze mqtt "$DEV"
expect_eq "mqtt: cleartext mqtt" 1 "$(count cleartext "[@protocol='mqtt']")"
expect_eq "mqtt: the device's connections to 1883 are mqtt" mqtt \
  "$(xp "$T" "string(//$(el flow)[@port='1883'][@initiator='dut']/@protocol)")"
expect_secret "mqtt" mqtt-user dut r 9
expect_secret "mqtt" mqtt-password dut m 16
no_values_leak mqtt

echo "# http: lighttpd on the peer; the device's curl sends Basic credentials and a token header"
analyze http "$DEV"
expect_eq "http: a connection the DUT started to port 80 is http" http \
  "$(xp "$T" "string(//$(el flow)[@port='80'][@initiator='dut']/@protocol)")"
expect_eq "http: port 80 is cleartext" true \
  "$(xp "$T" "string(//$(el flow)[@port='80'][@initiator='dut']/@cleartext)")"
expect_secret "http" http-basic-user dut r 9
expect_secret "http" http-basic-password dut h 14
expect_secret "http" http-token dut d 19
no_values_leak http

for v in 1.2 1.3; do
  n=tls${v/./}
  echo "# $n: lighttpd with TLS on the peer; the device's curl, TLS $v only, SNI"
  analyze "$n" "$DEV"
  expect_eq "$n: the DUT's connection to 443 is tls" tls \
    "$(xp "$T" "string(//$(el flow)[@port='443'][@initiator='dut']/@protocol)")"
  expect_eq "$n: TLS$v chosen" "TLS$v" "$(xp "$T" "string(//$(el tls)[@initiator='dut']/@chosen)")"
  expect_eq "$n: SNI" cloud.trustbench.lab "$(xp "$T" "string(//$(el tls)[@initiator='dut']/@sni)")"
  expect_eq "$n: no cleartext protocol" 0 "$(count cleartext "")"
  expect_eq "$n: no secret (Basic credentials are inside TLS)" 0 "$(count secret "")"
done

# frame_of NAME ERE: the number of the first frame whose tcpdump line
# matches ERE (tcpdump prints one line per frame, in capture order), so
# the expected frame numbers come from another tool, not from trustbench.
frame_of() {
  tcpdump -nr "$PCAPS/$1.pcap" 2>/dev/null | grep -nE -m1 -- "$2" | cut -d: -f1
}

echo "# ipv6: over IPv6 only; vsftpd (listen_ipv6) on the device, ftp login from the peer;"
echo "#       mosquitto on the peer, the device's CONNECT with user name and password"
user_frame=$(frame_of ipv6 "FTP: USER ")
pass_frame=$(frame_of ipv6 "FTP: PASS ")
connect_frame=$(frame_of ipv6 "IP6 ${DEV6}\.[0-9]+ > ${PEER6}\.1883: Flags \[P")
for dut in "$DEV6" "$DEV $DEV6"; do
  # shellcheck disable=SC2086 # two addresses: the IPv4 one and the IPv6 one
  analyze ipv6 $dut
  what="ipv6 (DUT $dut)"
  expect_eq "$what: every frame decoded as IPv6" 0 "$(xp "$T" "string(//$(el analysis)/@non-ip-frames)")"
  expect_eq "$what: no undecodable frame (one MLD report has a hop-by-hop header)" 0 \
    "$(xp "$T" "string(//$(el analysis)/@undecodable-frames)")"
  expect_eq "$what: cleartext ftp" 1 "$(count cleartext "[@protocol='ftp']")"
  expect_eq "$what: cleartext mqtt" 1 "$(count cleartext "[@protocol='mqtt']")"
  expect_eq "$what: the ftp session to port 21 is with the IPv6 peer" "$PEER6" \
    "$(xp "$T" "string(//$(el flow)[@port='21'][@protocol='ftp']/@peer)")"
  expect_eq "$what: the device's connection to 1883 is mqtt, to the IPv6 peer" "$PEER6" \
    "$(xp "$T" "string(//$(el flow)[@port='1883'][@initiator='dut'][@protocol='mqtt']/@peer)")"
  expect_secret "$what" ftp-user peer c 6
  expect_secret "$what" ftp-password peer C 13
  expect_secret "$what" mqtt-user dut r 9
  expect_secret "$what" mqtt-password dut m 16
  expect_eq "$what: ftp-user at frame $user_frame (tcpdump's USER)" "$user_frame" \
    "$(xp "$T" "string(//$(el secret)[@kind='ftp-user']/@frames)")"
  expect_eq "$what: ftp-password at frame $pass_frame (tcpdump's PASS)" "$pass_frame" \
    "$(xp "$T" "string(//$(el secret)[@kind='ftp-password']/@frames)")"
  expect_eq "$what: mqtt-password at frame $connect_frame (the device's first payload to 1883)" \
    "$connect_frame" "$(xp "$T" "string(//$(el secret)[@kind='mqtt-password']/@frames)")"
  expect_eq "$what: the ftp password's flow names the IPv6 peer" "[$PEER6]:21/tcp" \
    "$(xp "$T" "string(//$(el secret)[@kind='ftp-password']/@flow)")"
  no_values_leak "$what"
  if "$TB" validate "$T" >"$T.validate" 2>&1; then ok "$what: trustbench validate accepts traffic.xml"
  else bad "$what: trustbench validate: $(head -3 "$T.validate")"; fi
done
# With only its IPv4 address, the IPv6 frames are not the device's.
analyze ipv6 "$DEV"
expect_eq "ipv6 (DUT $DEV only): no secret" 0 "$(count secret "")"
expect_eq "ipv6 (DUT $DEV only): the IPv6 frames are counted as such" \
  "$(tcpdump -nr "$PCAPS/ipv6.pcap" 2>/dev/null | wc -l)" "$(xp "$T" "string(//$(el analysis)/@ipv6-frames)")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
