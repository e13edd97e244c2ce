#!/usr/bin/env bash
# bench-capture.sh: trustbench analyze on a generated capture of at least
# 2 million packets, against tshark doing the equivalent dissection and a
# bare libpcap read loop; peak memory on two capture sizes (it must stay
# flat).  The capture is generated into /tmp at bench time, never committed.
# Usage: harness/tools/bench-capture.sh BUILD_DIR   (trustbench, pcapgen, pcaploop)
set -euo pipefail
# Work from the repository root whatever the caller's directory, with the
# binary's path made absolute first (the script may change directory).
B=$(readlink -f -- "$1")
cd "$(dirname -- "$0")/../.."
PACKETS=${BENCH_PACKETS:-2000000}
work=$(mktemp -d /tmp/tb-bench-capture.XXXXXX)
trap 'rm -rf "$work"' EXIT
big=$work/mix.pcap small=$work/half.pcap

"$B/pcapgen" mix --packets "$PACKETS" >"$big"
"$B/pcapgen" mix --packets $((PACKETS / 2)) >"$small"
echo "capture: $(du -h "$big" | cut -f1), $PACKETS+ packets (HTTP, MQTT, FTP, SNMP, telnet, DNS, TLS)"

# timed NAME CMD...: best of $RUNS runs: wall seconds into $secs, CPU seconds
# (user + system, all threads) of that run into $cpu, peak RSS (KiB) into $rss
RUNS=${BENCH_RUNS:-3}
timed() {
	local out=$work/time.txt best= i s
	shift
	for ((i = 0; i < RUNS; i++)); do
		# wall clock to the millisecond from bash (time -v rounds to 10 ms)
		{ TIMEFORMAT=%3R; time /usr/bin/time -v -o "$out" "$@" >/dev/null 2>&1 \
			|| { echo "bench: '$*' failed" >&2; exit 1; }; } 2>"$work/wall.txt"
		s=$(tail -1 "$work/wall.txt")
		if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$s
			cpu=$(awk -F': ' '/User time|System time/ { c += $2 } END { printf "%.2f", c }' "$out")
			rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out")
		fi
	done
	secs=$best
}

# trustbench analyze also computes the capture's SHA-256 (for the report):
# a second thread hashes each chunk of the file while the first parses it,
# so the wall time below includes the hash, overlapped; CPU time shows the
# total work.  The hash alone (openssl dgst: the same SHA-256 code, with the
# CPU's SHA instructions where it has them) is the floor of that design.
timed analyze "$B/trustbench" analyze "$big" --dut 198.18.1.10 --out "$work/an"
tb_s=$secs tb_rss=$rss tb_cpu=$cpu
timed analyze-half "$B/trustbench" analyze "$small" --dut 198.18.1.10 --out "$work/an2"
half_rss=$rss
timed loop "$B/pcaploop" "$big"
loop_s=$secs loop_cpu=$cpu
timed sha256 openssl dgst -sha256 "$big"
sha_s=$secs
if command -v tshark >/dev/null; then
	# The same facts: addresses, ports, DNS answers, HTTP auth and tokens,
	# MQTT credentials, FTP commands, SNMP community, TLS versions and SNI.
	RUNS=1 timed tshark tshark -r "$big" -n -T fields -e frame.number -e ip.src -e ip.dst \
		-e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport -e dns.a \
		-e http.authorization -e http.request.line -e mqtt.username -e mqtt.passwd \
		-e ftp.request.command -e ftp.request.arg -e snmp.community \
		-e tls.handshake.extensions.supported_version -e tls.handshake.extensions_server_name
	ts_s=$secs
else
	ts_s=
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
echo "best of $RUNS runs (wall clock; CPU = user + system of all threads)"
echo "trustbench analyze: ${tb_s}s (CPU ${tb_cpu}s: parse + SHA-256 in a second thread), peak ${tb_rss} KiB (half-size capture: ${half_rss} KiB)"
echo "bare libpcap loop:  ${loop_s}s (CPU ${loop_cpu}s, no hash) -> analyze/loop = $(ratio "$tb_s" "$loop_s")x wall (goal <= 2), $(ratio "$tb_cpu" "$loop_cpu")x CPU"
echo "SHA-256 alone:      ${sha_s}s (the floor for analyze, which must hash the file) = $(ratio "$sha_s" "$loop_s")x the loop"
if [ -n "$ts_s" ]; then
	echo "tshark -r:          ${ts_s}s -> tshark/analyze = $(ratio "$ts_s" "$tb_s")x (goal >= 10)"
else
	echo "tshark -r:          not installed (harness/tools/ensure-deps.sh bench installs it)"
fi
echo "peak memory: $((tb_rss / 1024)) MiB (goal < 64 MiB, flat: half-size capture $((half_rss / 1024)) MiB)"
