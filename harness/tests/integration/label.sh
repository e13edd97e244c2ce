#!/usr/bin/env bash
# label.sh: `trustbench label` end to end, with a real QR decoder: the label's
# QR code (the PNG, and the SVG rasterised by weasyprint and pdftoppm) is read
# back with zbarimg and must be the statement's digest URL; a tampered
# statement gives another URL; a withheld or malformed statement writes nothing.
# Needs no lab.  Usage: harness/tests/integration/label.sh PATH/TO/trustbench
# Each test prints ok/FAIL; the last line is "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
TB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$root"
export TRUSTBENCH_DATADIR=$root
GOOD=fixtures/label/statement-hardened.xml
WITHHELD=fixtures/label/statement-withheld.xml
work=$(mktemp -d)
[ -n "${TB_KEEP:-}" ] && echo "work: $work" || trap 'rm -rf "$work"' EXIT
. "$here/testlib.sh"
has() { # name file text
  if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: '$3' not in $2"; fi
}
# The one QR code in an image, as zbarimg reads it (its D-Bus chatter dropped).
qr() { zbarimg --quiet --raw "$1" 2>/dev/null; }
url_of() { echo "https://registry.example.test/cls-style/$(sha256sum "$1" | cut -d' ' -f1)"; }

echo "# a statement that earns a label"
"$TB" label "$GOOD" --svg "$work/label.svg" --png "$work/label.png" >"$work/out.txt" 2>"$work/err.txt"
expect_eq "label: exit 0" 0 $?
want=$(url_of "$GOOD")
has "label prints the URL" "$work/out.txt" "url: $want"
expect_eq "PNG: zbarimg decodes the statement's digest URL" "$want" "$(qr "$work/label.png")"
if xmllint --noout --nonet "$work/label.svg" 2>/dev/null; then ok "SVG is well-formed XML"
else bad "SVG does not parse"; fi
for field in "CLS-style consumer IoT label" ">Level 2<" "Level 2: lifecycle and secure design" "RD-2 Smart Plug" "Firmware 2.4.0" \
  "Security updates until 2030-12-31" "Label valid until 2028-12-03"; do
  has "SVG shows $field" "$work/label.svg" "$field"
done
# The printed label is the SVG: its QR code, drawn as merged rects, must scan too.
printf '<html><body style="margin:0"><img src="label.svg" style="width:96mm"/></body></html>' \
  >"$work/label.html"
if weasyprint "$work/label.html" "$work/label.pdf" 2>/dev/null &&
  pdftoppm -r 200 -png -singlefile "$work/label.pdf" "$work/svg-raster" 2>/dev/null; then
  expect_eq "SVG, printed at 200 dpi: zbarimg decodes the same URL" "$want" "$(qr "$work/svg-raster.png")"
else
  bad "cannot rasterise the SVG (weasyprint, pdftoppm)"
fi

echo "# a tampered statement"
sed 's/firmware-version="2.4.0"/firmware-version="2.4.1"/' "$GOOD" >"$work/tampered.xml"
"$TB" label "$work/tampered.xml" --svg "$work/t.svg" --png "$work/t.png" >/dev/null 2>&1
expect_eq "tampered: exit 0 (label does not verify; verify --statement does)" 0 $?
got=$(qr "$work/t.png")
expect_eq "tampered: the QR code carries the tampered bytes' digest" "$(url_of "$work/tampered.xml")" "$got"
[ "$got" != "$want" ] && ok "tampered: the URL differs from the original's" ||
  bad "tampered statement gives the original URL"

echo "# statements that earn no label"
"$TB" label "$WITHHELD" --svg "$work/w.svg" --png "$work/w.png" >/dev/null 2>"$work/w.err"
expect_eq "withheld: exit 2" 2 $?
has "withheld: the reasons on stderr" "$work/w.err" "5.1-1 failed: the device accepts a universal default password"
has "withheld: every reason" "$work/w.err" "5.3-13 failed"
[ -e "$work/w.svg" ] || [ -e "$work/w.png" ] && bad "withheld: something was written" ||
  ok "withheld: nothing written"
printf '<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<statement xmlns="urn:trustbench:statement:1" format="1">&x;</statement>\n' \
  >"$work/xxe.xml"
"$TB" label "$work/xxe.xml" --svg "$work/x.svg" --png "$work/x.png" >/dev/null 2>"$work/x.err"
expect_eq "a statement with a DTD: exit 1" 1 $?
has "the DTD is named as the reason" "$work/x.err" "DOCTYPE"
[ -e "$work/x.svg" ] || [ -e "$work/x.png" ] && bad "refused statement: something was written" ||
  ok "refused statement: nothing written"
sed 's|registry.example.test|registry.example.com|' "$GOOD" >"$work/public.xml"
"$TB" label "$work/public.xml" --svg "$work/p.svg" >/dev/null 2>"$work/p.err"
expect_eq "a URL on a public host: exit 1" 1 $?
has "the host is named as the reason" "$work/p.err" "not a reserved example name"
"$TB" label "$work/missing.xml" --svg "$work/m.svg" >/dev/null 2>&1
expect_eq "missing statement: exit 1" 1 $?
"$TB" label "$GOOD" >/dev/null 2>&1
expect_eq "no --svg: exit 1" 1 $?
"$TB" label --help >"$work/help.txt" 2>"$work/help.err"
expect_eq "label --help: exit 0" 0 $?
has "label --help: the usage on stdout" "$work/help.txt" "usage: trustbench label STATEMENT.xml --svg OUT.svg"
[ -s "$work/help.err" ] && bad "label --help wrote to stderr" || ok "label --help: nothing on stderr"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
