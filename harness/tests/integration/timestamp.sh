#!/usr/bin/env bash
# timestamp.sh: RFC 3161 trusted time end to end: `trustbench sign --tsa-file
# DIR | --tsa URL` and `trustbench verify --tsa-ca FILE`.
# Usage: harness/tests/integration/timestamp.sh PATH/TO/trustbench
#
# Runs inside its own network namespace (unshare -rn, only loopback up), so
# no packet can leave whatever trustbench does.  Makes a throw-away test PKI
# with a test-only TSA (fixtures/keys/make-test-pki.sh), a vendor-run report
# (no network), signs it with a timestamp from the test-only TSA in-process
# and from a loopback HTTP TSA (python3 http.server running `openssl ts
# -reply`), then checks and tampers.  Last line: "N passed, N failed".
set -uo pipefail
if [ -z "${TB_TIMESTAMP_NETNS:-}" ]; then
  export TB_TIMESTAMP_NETNS=1
  exec unshare -rn "$0" "$@"
fi
ip link set lo up || { echo "cannot bring loopback up in the namespace"; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
TB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$root" || exit 1
export TRUSTBENCH_DATADIR=$root
tmp=$(mktemp -d /tmp/tb-timestamp.XXXXXX)
srv_pid=
cleanup() { [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
. "$here/cmdlib.sh"
SUITE=testsuites/etsi-en-303-645.yaml

# der.py: find the timestamp token in a signature, and graft another in.
cat >"$tmp/der.py" <<'PY'
import sys
TOKEN_OID = bytes.fromhex("060b2a864886f70d010910020e")  # id-aa-timeStampToken

def node(b, i):
    """(start, header length, content length) of the DER element at i."""
    n = b[i + 1]
    if n < 0x80:
        return i, 2, n
    k = n & 0x7f
    return i, 2 + k, int.from_bytes(b[i + 2:i + 2 + k], "big")

def token_span(b):
    """Offset and length of the token: the SEQUENCE inside the SET after the OID."""
    at = b.index(TOKEN_OID) + len(TOKEN_OID)
    s, hl, _ = node(b, at)          # the SET
    t, thl, tl = node(b, s + hl)    # its one value
    return t, thl + tl

def enc_len(n):
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw

def enclosing(b, start):
    """The elements that contain offset start, outermost first: walk from
    the top, entering the one that contains it each time."""
    chain, i = [], 0
    while i < start:
        s, hl, l = node(b, i)
        if s + hl + l <= start:
            i = s + hl + l
            continue
        chain.append((s, hl, l))
        i = s + hl
    return chain

def sigval(b):
    """The SignerInfo's signature value: the OCTET STRING before [1] unsignedAttrs."""
    chain = enclosing(b, token_span(b)[0])
    k = [j for j, (s, hl, l) in enumerate(chain) if b[s] == 0xa1][-1]
    s, hl, l = chain[k - 1]               # the SignerInfo
    i, last = s + hl, None
    while i < chain[k][0]:
        c, chl, cl = node(b, i)
        if b[c] == 0x04:
            last = b[c + chl:c + chl + cl]
        i = c + chl + cl
    return last

def graft(b, new):
    """b with its token replaced by new, every enclosing length fixed."""
    start, length = token_span(b)
    chain = enclosing(b, start)
    out = b[:start] + new + b[start + length:]
    delta = len(new) - length
    for s, hl, l in reversed(chain):   # innermost first: offsets before s do not move
        head = out[s:s + 1] + enc_len(l + delta)
        delta += len(head) - hl
        out = out[:s] + head + out[s + hl:]
    return out

cmd, a = sys.argv[1], open(sys.argv[2], "rb").read()
if cmd == "token":          # print "offset length" of the token
    print(*token_span(a))
elif cmd == "extract":      # write the token to argv[3]
    s, l = token_span(a)
    open(sys.argv[3], "wb").write(a[s:s + l])
elif cmd == "sigval":       # the signature value, in hex
    print(sigval(a).hex())
elif cmd == "graft":        # argv[2] with the token of argv[3], to argv[4]
    b = open(sys.argv[3], "rb").read()
    s, l = token_span(b)
    open(sys.argv[4], "wb").write(graft(a, b[s:s + l]))
PY
der() { python3 "$tmp/der.py" "$@"; }

# ---- Inputs: a PKI with a test-only TSA, and a vendor-run report ----
"$TB" run --suite "$SUITE" --profile profiles/refdevice-hardened.yaml --out "$tmp/rep" \
  --only 4-1-1,5.2-1-1 --assessor-role vendor --assessor-name "RD Vendor (test-only)" \
  --quiet >/dev/null 2>&1
[ -f "$tmp/rep/report.xml" ] || { echo "cannot make the vendor-run report"; exit 1; }
pki=$tmp/pki
short_life=6
fixtures/keys/make-test-pki.sh "$pki" "$short_life" || { echo "cannot make the test PKI"; exit 1; }
# fresh NAME: a copy of the unsigned report directory.
fresh() {
  rm -rf "${tmp:?}/$1"
  cp -r "$tmp/rep" "$tmp/$1"
  echo "$tmp/$1"
}
# The short-lived signer signs first, with a timestamp and without, while it is valid.
s=$(fresh short)
"$TB" sign "$s/report.xml" --key "$pki/short.key" --cert "$pki/short.pem" --tsa-file "$pki" \
  >/dev/null || { echo "cannot sign with the short-lived certificate"; exit 1; }
short_signed=$(date +%s)
s=$(fresh shortnots)
"$TB" sign "$s/report.xml" --key "$pki/short.key" --cert "$pki/short.pem" >/dev/null \
  || { echo "cannot sign with the short-lived certificate"; exit 1; }

# ---- sign --tsa-file: the test-only TSA, in-process ----
d=$(fresh ts)
expect "sign --tsa-file writes a timestamped signature" 0 \
  "^signed: .*report.xml.p7s \(timestamped by the TEST-ONLY TSA" -- \
  "$TB" sign "$d/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa-file "$pki"
openssl cms -cmsout -print -inform DER -in "$d/report.xml.p7s" 2>/dev/null \
  | grep -q "object: id-smime-aa-timeStampToken" \
  && ok "the token is the SignerInfo's unsigned attribute id-aa-timeStampToken" \
  || bad "the token is the SignerInfo's unsigned attribute id-aa-timeStampToken"
openssl cms -verify -binary -purpose any -inform DER -in "$d/report.xml.p7s" -content "$d/report.xml" \
  -CAfile "$pki/ca.pem" -out /dev/null >/dev/null 2>&1 \
  && ok "openssl cms -verify still accepts the signature" \
  || bad "openssl cms -verify still accepts the signature"
der extract "$d/report.xml.p7s" "$tmp/token.der"
# The imprint is the SHA-256 of the signature value.
sigval=$(der sigval "$d/report.xml.p7s")
imprint=$(printf '%s' "$sigval" | xxd -r -p | sha256sum | cut -d' ' -f1)
openssl ts -verify -token_in -in "$tmp/token.der" -digest "$imprint" -CAfile "$pki/ca.pem" \
  >/dev/null 2>&1 \
  && ok "openssl ts -verify accepts the token over SHA-256(signature value)" \
  || bad "openssl ts -verify accepts the token over SHA-256(signature value)"
openssl ts -reply -token_in -in "$tmp/token.der" -text 2>/dev/null \
  | grep -q "Policy OID: 1.3.6.1.4.1.32473.3161.1" \
  && ok "the test-only TSA stamps under the test-only policy OID" \
  || bad "the test-only TSA stamps under the test-only policy OID"

expect "verify --tsa-ca with a valid timestamp exits 0" 0 "^verify: +intact \(exit 0\)" -- \
  "$TB" verify "$d/report.xml" --ca "$pki/ca.pem" --tsa-ca "$pki/ca.pem"
for line in "^timestamp: valid, by CN=trustbench test-only TSA,O=trustbench test-only, at [0-9T:-]+Z" \
    "^chain: +OK: issued by .* chains to the given CA at the timestamped time [0-9T:-]+Z"; do
  grep -Eq -- "$line" "$tmp/out" && ok "verify prints /$line/" || bad "verify prints /$line/"
done
expect "verify without --tsa-ca: the token is not used, judged now, exit 0" 0 \
  "^timestamp: NOT CHECKED: .*give --tsa-ca" -- "$TB" verify "$d/report.xml" --ca "$pki/ca.pem"
expect "a token from a TSA the user does not trust gives 4" 4 \
  "^timestamp: BROKEN: the token does not verify against the given TSA CA" -- \
  "$TB" verify "$d/report.xml" --ca "$pki/ca.pem" --tsa-ca "$pki/other-ca.pem"
mkdir -p "$tmp/tsa-other"
cp "$pki/other-tsa.key" "$tmp/tsa-other/tsa.key"
cp "$pki/other-tsa.pem" "$tmp/tsa-other/tsa.pem"
o=$(fresh othertsa)
"$TB" sign "$o/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa-file "$tmp/tsa-other" >/dev/null
expect "a TSA under another CA: trusted with that CA as --tsa-ca" 0 \
  "^timestamp: valid, by CN=trustbench test-only TSA of the unrelated CA" -- \
  "$TB" verify "$o/report.xml" --ca "$pki/ca.pem" --tsa-ca "$pki/other-ca.pem"
expect "... and refused (4) with the lab CA as --tsa-ca" 4 "^timestamp: BROKEN" -- \
  "$TB" verify "$o/report.xml" --ca "$pki/ca.pem" --tsa-ca "$pki/ca.pem"
expect "an unusable --tsa-ca file is bad input" 1 "no PEM certificate" -- \
  "$TB" verify "$d/report.xml" --ca "$pki/ca.pem" --tsa-ca "$pki/tsa.key"
n=$(fresh notoken)
"$TB" sign "$n/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" >/dev/null
expect "without a token, --tsa-ca changes nothing" 0 "^chain: +OK: issued by .*; certificate valid until" -- \
  "$TB" verify "$n/report.xml" --ca "$pki/ca.pem" --tsa-ca "$pki/ca.pem"
grep -q "^timestamp:" "$tmp/out" && bad "no timestamp line without a token" \
  || ok "no timestamp line without a token"

# ---- Tampering with the token gives 4 ----
read -r toff tlen < <(der token "$d/report.xml.p7s")
for rel in 3 $((tlen / 5)) $((tlen / 3)) $((tlen / 2)) $((tlen * 2 / 3)) $((tlen - 40)) $((tlen - 2)); do
  e=$(fresh tflip)
  cp "$d/report.xml.p7s" "$e/"
  flip "$e/report.xml.p7s" $((toff + rel))
  expect "a flipped byte inside the token (at +$rel of $tlen) gives 4" 4 "BROKEN" -- \
    "$TB" verify "$e/report.xml" --ca "$pki/ca.pem" --tsa-ca "$pki/ca.pem"
done
ssize=$(stat -c %s "$d/report.xml.p7s")
missed=0
for ((off = 0; off < ssize; off += 13)); do
  cp "$d/report.xml.p7s" "$tmp/sweep.p7s"
  flip "$tmp/sweep.p7s" "$off"
  "$TB" verify "$d/report.xml" --sig "$tmp/sweep.p7s" --ca "$pki/ca.pem" --tsa-ca "$pki/ca.pem" \
    >"$tmp/out" 2>&1
  [ $? -eq 4 ] || { missed=$((missed + 1)); echo "       offset $off/$ssize not caught"; }
done
[ "$missed" -eq 0 ] && ok "every 13th byte of a timestamped signature flipped gives 4" \
  || bad "every 13th byte of a timestamped signature flipped gives 4 ($missed missed)"
# A token from another signature over the same report (imprint mismatch).
o=$(fresh other)
"$TB" sign "$o/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa-file "$pki" >/dev/null
e=$(fresh graft)
der graft "$d/report.xml.p7s" "$o/report.xml.p7s" "$e/report.xml.p7s"
expect "a token from another signature (imprint mismatch) gives 4" 4 \
  "^timestamp: BROKEN: the timestamp is over another signature" -- \
  "$TB" verify "$e/report.xml" --ca "$pki/ca.pem" --tsa-ca "$pki/ca.pem"
expect "... also without --tsa-ca" 4 "^timestamp: BROKEN: the timestamp is over another signature" -- \
  "$TB" verify "$e/report.xml" --ca "$pki/ca.pem"
der graft "$d/report.xml.p7s" "$d/report.xml.p7s" "$tmp/same.p7s"
cmp -s "$tmp/same.p7s" "$d/report.xml.p7s" && ok "(the graft helper is exact: grafting a token onto itself changes nothing)" \
  || bad "(the graft helper is exact: grafting a token onto itself changes nothing)"

# ---- Expired signing certificates ----
wait_s=$((short_signed + short_life + 2 - $(date +%s)))
[ "$wait_s" -gt 0 ] && sleep "$wait_s"
expect "an expired signer with a valid timestamp (signed while valid) verifies: 0" 0 \
  "^chain: +OK: signer certificate expired [0-9T:-]+Z, valid at the timestamped time [0-9T:-]+Z" -- \
  "$TB" verify "$tmp/short/report.xml" --ca "$pki/ca.pem" --tsa-ca "$pki/ca.pem"
grep -Eq "^timestamp: valid, by CN=trustbench test-only TSA" "$tmp/out" \
  && ok "... and names the TSA and the time" || bad "... and names the TSA and the time"
expect "the same without --tsa-ca is refused as today: 4" 4 \
  "valid at the signing time the signer claims, but no timestamp authority vouches" -- \
  "$TB" verify "$tmp/short/report.xml" --ca "$pki/ca.pem"
expect "an expired signer without a token is refused as today, even with --tsa-ca: 4" 4 \
  "^chain: +BROKEN: the signing certificate expired on" -- \
  "$TB" verify "$tmp/shortnots/report.xml" --ca "$pki/ca.pem" --tsa-ca "$pki/ca.pem"
e=$(fresh expired)
"$TB" sign "$e/report.xml" --key "$pki/expired.key" --cert "$pki/expired.pem" --tsa-file "$pki" >/dev/null
expect "a signer already expired when the timestamp was made gives 4" 4 \
  "^chain: +BROKEN: judged at the timestamped time [0-9T:-]+Z: the signing certificate expired on 2020-02-01" -- \
  "$TB" verify "$e/report.xml" --ca "$pki/ca.pem" --tsa-ca "$pki/ca.pem"

# ---- sign: refusals ----
e=$(fresh refuse)
expect "--tsa to an address outside the lab is refused" 1 \
  "192.0.2.1 is outside the lab \(198.18.0.0/15 or loopback\); nothing was sent" -- \
  "$TB" sign "$e/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa http://192.0.2.1/
[ -e "$e/report.xml.p7s" ] && bad "... and writes no signature" || ok "... and writes no signature"
if strace -o /dev/null true 2>/dev/null; then
  strace -f -qq -e trace=socket,connect,sendto,sendmsg -o "$tmp/strace" "$TB" sign "$e/report.xml" \
    --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa http://192.0.2.1/ >/dev/null 2>&1
  grep -E "socket|connect|send" "$tmp/strace" >"$tmp/out" \
    && bad "... before any packet: strace shows no socket, connect or send" \
    || ok "... before any packet: strace shows no socket, connect or send"
else
  echo "skip - strace is not usable here"
fi
expect "--tsa https:// is refused" 1 "only plain http://" -- \
  "$TB" sign "$e/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa https://198.18.0.1/
expect "--tsa with a host name is refused (nothing is resolved)" 1 "names are never resolved" -- \
  "$TB" sign "$e/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa http://tsa.example.test/
expect "--tsa and --tsa-file together are a usage error" 1 "exclude each other" -- \
  "$TB" sign "$e/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa http://127.0.0.1/ \
  --tsa-file "$pki"
mkdir -p "$tmp/notsa"
cp "$pki/lab.key" "$tmp/notsa/tsa.key"
cp "$pki/lab.pem" "$tmp/notsa/tsa.pem"
expect "--tsa-file with a certificate not for time stamping is refused" 1 \
  "not a time-stamping certificate" -- \
  "$TB" sign "$e/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa-file "$tmp/notsa"
"$TB" sign --help >"$tmp/out" 2>&1 && grep -q -- "--tsa-file DIR  the same from a TEST-ONLY TSA" "$tmp/out" \
  && ok "sign --help names --tsa-file as a test-only TSA" \
  || bad "sign --help names --tsa-file as a test-only TSA"
"$TB" verify --help >"$tmp/out" 2>&1 && grep -q -- "--tsa-ca FILE" "$tmp/out" \
  && ok "verify --help explains --tsa-ca" || bad "verify --help explains --tsa-ca"

# ---- sign --tsa URL: a TSA over HTTP on loopback (openssl ts -reply) ----
mkdir -p "$tmp/tsa"
echo 01 >"$tmp/tsa/serial"
cat >"$tmp/tsa/tsa.cnf" <<EOF
[ tsa ]
default_tsa = test_tsa
[ test_tsa ]
serial = $tmp/tsa/serial
signer_cert = $pki/tsa.pem
signer_key = $pki/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.32473.3161.2
digests = sha256
accuracy = secs:1
ess_cert_id_alg = sha256
EOF
cat >"$tmp/tsa/server.py" <<'PY'
# A test-only TSA over HTTP: each POST is answered by `openssl ts -reply`.
import http.server, os, subprocess, sys, time
port, d = int(sys.argv[1]), sys.argv[2]

class TSA(http.server.BaseHTTPRequestHandler):
    def answer(self, code, ctype, body, extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        q = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Type") != "application/timestamp-query":
            return self.answer(415, "text/plain", b"not a timestamp query\n")
        if self.path == "/redirect":
            return self.answer(302, "text/plain", b"", [("Location", "/tsa")])
        if self.path == "/big":
            return self.answer(200, "application/timestamp-reply", b"\x30" * 100000)
        if self.path == "/slow":
            time.sleep(30)
        if self.path == "/text":
            return self.answer(200, "text/html", b"<html></html>")
        open(os.path.join(d, "q.der"), "wb").write(q)
        subprocess.run(["openssl", "ts", "-reply", "-config", os.path.join(d, "tsa.cnf"),
                        "-queryfile", os.path.join(d, "q.der"), "-out", os.path.join(d, "r.der")],
                       check=True, stderr=subprocess.DEVNULL)
        self.answer(200, "application/timestamp-reply", open(os.path.join(d, "r.der"), "rb").read())

    def log_message(self, *a):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", port), TSA).serve_forever()
PY
port=8318
python3 "$tmp/tsa/server.py" "$port" "$tmp/tsa" &
srv_pid=$!
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
h=$(fresh http)
expect "sign --tsa http://127.0.0.1:$port/tsa (a loopback TSA) works" 0 \
  "^signed: .*report.xml.p7s \(timestamped by the TSA\)" -- \
  "$TB" sign "$h/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa "http://127.0.0.1:$port/tsa"
expect "... and verify --tsa-ca accepts its token" 0 \
  "^timestamp: valid, by CN=trustbench test-only TSA,O=trustbench test-only, at " -- \
  "$TB" verify "$h/report.xml" --ca "$pki/ca.pem" --tsa-ca "$pki/ca.pem"
openssl ts -reply -in "$tmp/tsa/r.der" -text 2>/dev/null | grep -q "Policy OID: 1.3.6.1.4.1.32473.3161.2" \
  && ok "... the token came from openssl ts -reply (its policy OID)" \
  || bad "... the token came from openssl ts -reply (its policy OID)"
h=$(fresh http2)
expect "a TSA that redirects is not followed" 1 "answered HTTP 302 \(redirects are not followed\)" -- \
  "$TB" sign "$h/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa "http://127.0.0.1:$port/redirect"
expect "a TSA answer over 64 KiB is refused" 1 "answered more than 65536 bytes" -- \
  "$TB" sign "$h/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa "http://127.0.0.1:$port/big"
expect "a TSA answer of another media type is refused" 1 "without Content-Type application/timestamp-reply" -- \
  "$TB" sign "$h/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa "http://127.0.0.1:$port/text"
[ -e "$h/report.xml.p7s" ] && bad "a failed TSA leaves no signature behind" \
  || ok "a failed TSA leaves no signature behind"
expect "a closed TSA port is an error" 1 "TSA http://127.0.0.1:1/: " -- \
  "$TB" sign "$h/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" --tsa "http://127.0.0.1:1/"
t0=$(date +%s)
expect "a TSA that never answers is given up at the deadline" 1 "TSA http://127.0.0.1:$port/slow: " -- \
  timeout 25 "$TB" sign "$h/report.xml" --key "$pki/lab.key" --cert "$pki/lab.pem" \
  --tsa "http://127.0.0.1:$port/slow"
t=$(($(date +%s) - t0))
[ "$t" -le 12 ] && ok "... within the 10 s deadline (${t} s)" || bad "... within the 10 s deadline (${t} s)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
