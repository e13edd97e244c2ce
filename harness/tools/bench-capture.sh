#!/usr/bin/env bash
# bench-capture.sh: trustbench analyze on a generated capture of at least
# 2 million packets, against tshark doing the equivalent dissection and a
# bare libpcap read loop; peak memory on two capture sizes (it must stay
# flat).  The capture is generated into /tmp at bench time, never committed.
# Usage: harness/tools/bench-capture.sh BUILD_DIR   (trustbench, pcapgen, pcaploop)
set -euo pipefail
B=$1
PACKETS=${BENCH_PACKETS:-2000000}
work=$(mktemp -d /tmp/tb-bench-capture.XXXXXX)
trap 'rm -rf "$work"' EXIT
big=$work/mix.pcap small=$work/half.pcap

"$B/pcapgen" mix --packets "$PACKETS" >"$big"
"$B/pcapgen" mix --packets $((PACKETS / 2)) >"$small"
echo "capture: $(du -h "$big" | cut -f1), $PACKETS+ packets (HTTP, MQTT, FTP, SNMP, telnet, DNS, TLS)"

# timed NAME CMD...: wall seconds into $secs, peak RSS (KiB) into $rss
timed() {
	local out=$work/time.txt
	shift
	/usr/bin/time -v -o "$out" "$@" >/dev/null 2>&1 || { echo "bench: '$*' failed" >&2; exit 1; }
	secs=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
		for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$out")
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out")
}

timed analyze "$B/trustbench" analyze "$big" --dut 198.18.1.10 --out "$work/an"
tb_s=$secs tb_rss=$rss
timed analyze-half "$B/trustbench" analyze "$small" --dut 198.18.1.10 --out "$work/an2"
half_rss=$rss
timed loop "$B/pcaploop" "$big"
loop_s=$secs
if command -v tshark >/dev/null; then
	# The same facts: addresses, ports, DNS answers, HTTP auth and tokens,
	# MQTT credentials, FTP commands, SNMP community, TLS versions and SNI.
	timed tshark tshark -r "$big" -n -T fields -e frame.number -e ip.src -e ip.dst \
		-e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport -e dns.a \
		-e http.authorization -e http.request.line -e mqtt.username -e mqtt.passwd \
		-e ftp.request.command -e ftp.request.arg -e snmp.community \
		-e tls.handshake.extensions.supported_version -e tls.handshake.extensions_server_name
	ts_s=$secs
else
	ts_s=
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
echo "trustbench analyze: ${tb_s}s, peak ${tb_rss} KiB (half-size capture: ${half_rss} KiB)"
echo "bare libpcap loop:  ${loop_s}s -> analyze/loop = $(ratio "$tb_s" "$loop_s")x (goal <= 2)"
if [ -n "$ts_s" ]; then
	echo "tshark -r:          ${ts_s}s -> tshark/analyze = $(ratio "$ts_s" "$tb_s")x (goal >= 10)"
else
	echo "tshark -r:          not installed (harness/tools/ensure-deps.sh bench installs it)"
fi
echo "peak memory: $((tb_rss / 1024)) MiB (goal < 64 MiB, flat: half-size capture $((half_rss / 1024)) MiB)"
