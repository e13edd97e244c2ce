#!/usr/bin/env bash
# render.sh: `trustbench render` (XHTML, PDF), `run --junit` and `trustbench
# diff`, on reports made by running trustbench against the reference devices
# in the lab, and on a fixture report carrying structured evidence (summary
# tables, timeline plots; fixtures/reports/structured-evidence.xml).
# Usage: harness/tests/integration/render.sh PATH/TO/trustbench
# It re-runs itself inside fixtures/lab/lab.sh.  Each test prints ok/FAIL;
# the last line is "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
if [ -z "${TB_LAB:-}" ]; then
  bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  cd "$root"
  exec fixtures/lab/lab.sh run --refdevice "${TB_REFDEVICE:-build/refdevice}" \
    --only legacy --only hardened -- "$here/render.sh" "$bin"
fi
TB=$1
cd "$root"
export TRUSTBENCH_DATADIR=$root
SUITE=testsuites/etsi-en-303-645.yaml
XHTML_DTD=/usr/share/xml/w3c-sgml-lib/schema/dtd/REC-xhtml1-20020801/xhtml1-strict.dtd
# Automated cases that need no port sweep, plus examiner and n/a cases.
# (5.1-2-2 would repeat 5.1-1-2's 15 s of throttled guessing on hardened.)
CASES=4-1-1,5.1-1-1,5.1-1-2,5.2-1-1,5.2-1-2,5.3-13-1,5.6-1-1,5.2-2-1,5.3-2-1,5.5-1-1
NCASES=10
work=$(mktemp -d)
[ -n "${TB_KEEP:-}" ] && echo "work: $work" || trap 'rm -rf "$work"' EXIT
. "$here/testlib.sh"
expect_in() { # name min max actual
  if [ "$4" -ge "$2" ] 2>/dev/null && [ "$4" -le "$3" ]; then ok "$1 ($4)"
  else bad "$1: expected $2..$3, got '$4'"; fi
}
has() { # name file text
  if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: '$3' not in $2"; fi
}
nverdict() { # report verdict -> number of results with it
  xp "$1" "count(//*[local-name()='result'][@verdict='$2'])"
}

echo "# reports from the lab, with --junit"
"$TB" run --quiet --suite "$SUITE" --profile profiles/refdevice-legacy.yaml --out "$work/legacy" \
  --only "$CASES" --junit "$work/legacy.junit.xml" 2>"$work/legacy.log"
expect_eq "legacy run: exit 2" 2 $?
"$TB" run --quiet --suite "$SUITE" --profile profiles/refdevice-hardened.yaml --out "$work/hardened" \
  --only "$CASES" --junit "$work/hardened.junit.xml" 2>"$work/hardened.log"
expect_eq "hardened run: exit 3 (examiner cases)" 3 $?
L=$work/legacy/report.xml
H=$work/hardened/report.xml

echo "     (lab runs done after ${SECONDS} s)"
echo "# JUnit"
for dev in legacy hardened; do
  J=$work/$dev.junit.xml R=$work/$dev/report.xml
  if xmllint --noout "$J" 2>/dev/null; then ok "$dev: JUnit file is well-formed XML"
  else bad "$dev: JUnit file does not parse"; fi
  expect_eq "$dev: one testcase per test case" "$NCASES" "$(xp "$J" 'count(//testcase)')"
  expect_eq "$dev: failures = fail verdicts" "$(nverdict "$R" fail)" "$(xp "$J" 'string(/testsuites/@failures)')"
  expect_eq "$dev: errors = error + inconclusive" \
    "$(( $(nverdict "$R" error) + $(nverdict "$R" inconclusive) ))" "$(xp "$J" 'string(/testsuites/@errors)')"
  expect_eq "$dev: skipped = needs-examiner + not-applicable" \
    "$(( $(nverdict "$R" needs-examiner) + $(nverdict "$R" not-applicable) ))" "$(xp "$J" 'string(/testsuites/@skipped)')"
  expect_eq "$dev: passed testcases = pass verdicts" "$(nverdict "$R" pass)" "$(xp "$J" 'count(//testcase[not(*)])')"
done
J=$work/legacy.junit.xml
expect_eq "legacy: 5.1-1-2 is a failure in class 5.1-1" "5.1-1" \
  "$(xp "$J" "string(//testcase[failure][starts-with(@name,'5.1-1-2 ')]/@classname)")"
msg=$(xp "$J" "string(//testcase[starts-with(@name,'5.1-1-2 ')]/failure/@message)")
case "$msg" in fail:*root/xmhdipc*) ok "legacy: the failure message names the login" ;;
  *) bad "legacy: failure message: $msg" ;; esac
expect_eq "legacy: examiner cases are skipped with their verdict" "needs-examiner:" \
  "$(xp "$J" "substring(//testcase[starts-with(@name,'5.2-2-1 ')]/skipped/@message, 1, 15)")"

echo "# HTML"
"$TB" render "$L" --html "$work/legacy.html" >/dev/null
expect_eq "render --html: exit 0" 0 $?
if [ -r "$XHTML_DTD" ]; then
  if xmllint --noout --nonet --dtdvalid "$XHTML_DTD" "$work/legacy.html" 2>"$work/dtd.err"; then
    ok "HTML validates against XHTML 1.0 Strict"
  else bad "HTML is not valid XHTML 1.0 Strict: $(head -3 "$work/dtd.err")"; fi
else
  bad "the XHTML 1.0 Strict DTD is missing (install w3c-sgml-lib)"
fi
expect_eq "HTML: summary first" Summary "$(xp "$work/legacy.html" "string((//*[local-name()='h2'])[1])")"
expect_eq "HTML: one section per test case" "$NCASES" "$(xp "$work/legacy.html" "count(//*[local-name()='div'][@class='case'])")"
expect_eq "HTML: provision 5.1-1 is red" "v v-fail" \
  "$(xp "$work/legacy.html" "string(//*[local-name()='tr'][*[1]='5.1-1']/*[3]/@class)")"
sha=$(sha256sum "$L" | cut -d' ' -f1)
has "HTML: shows the report's SHA-256" "$work/legacy.html" "$sha"
has "HTML: unsigned report says so" "$work/legacy.html" "Signature: unsigned"
# Issue 13: every framework item names who vouches for its mapping, and
# PSTI says what was not judged; PSTI 2 rests on 5.2-1-1, not security.txt.
has "HTML: PSTI says what was not judged" "$work/legacy.html" "the statement of compliance"
for a in published legislated derived; do
  expect_eq "HTML: some mapping shows authority $a" 1 \
    "$(xp "$work/legacy.html" "count((//*[local-name()='strong'][.='$a'])[1])")"
done
expect_eq "report: PSTI 2 is judged from 5.2-1-1 alone" "5.2-1-1 legislated" \
  "$(xp "$L" "concat(//*[local-name()='framework'][@id='psti']/*[@ref='2']/@cases, ' ', //*[local-name()='framework'][@id='psti']/*[@ref='2']/@authority)")"
: >"$L.p7s"
"$TB" render "$L" --html "$work/signed.html" >/dev/null
has "HTML: a .p7s beside the report is mentioned" "$work/signed.html" "signature file present"
rm -f "$L.p7s"

echo "# PDF"
start=$(date +%s%N)
"$TB" render "$H" --html "$work/hardened.html" --pdf "$work/hardened.pdf" >/dev/null
expect_eq "render --html --pdf: exit 0" 0 $?
"$TB" render "$L" --pdf "$work/legacy.pdf" >/dev/null
expect_eq "render --pdf: exit 0" 0 $?
echo "     (two PDFs in $(( ($(date +%s%N) - start) / 1000000 )) ms)"
pages=$(pdfinfo "$work/legacy.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
expect_in "legacy PDF: pdfinfo reads it, page count" 5 14 "${pages:-0}"
expect_eq "legacy PDF: A4" "595.276 x 841.89 pts (A4)" \
  "$(pdfinfo "$work/legacy.pdf" 2>/dev/null | sed -n 's/^Page size: *//p')"
pdftotext "$work/legacy.pdf" "$work/legacy.txt" 2>/dev/null
has "legacy PDF: footer has the report SHA-256" "$work/legacy.txt" "$sha"
has "legacy PDF: page numbers" "$work/legacy.txt" "Page 2 of $pages"
has "legacy PDF: footer has the signature status" "$work/legacy.txt" "Signature: unsigned"
pages=$(pdfinfo "$work/hardened.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
expect_in "hardened PDF: page count" 5 14 "${pages:-0}"
ls "$work"/*.src.*.html >/dev/null 2>&1 && bad "render left its temporary HTML behind" || ok "no temporary files left"

echo "# the trustmark label on the first page"
"$TB" label fixtures/label/statement-hardened.xml --svg "$work/label.svg" >/dev/null
"$TB" render "$H" --label "$work/label.svg" --html "$work/labelled.html" --pdf "$work/labelled.pdf" >/dev/null
expect_eq "render --label: exit 0" 0 $?
has "HTML: the label is inlined as an SVG image" "$work/labelled.html" 'src="data:image/svg+xml;base64,'
expect_eq "HTML: the label is the first thing on the page" trustmark \
  "$(xp "$work/labelled.html" "string(//*[local-name()='body']/*[1]/@class)")"
if xmllint --noout --nonet --dtdvalid "$XHTML_DTD" "$work/labelled.html" 2>/dev/null; then
  ok "HTML with the label validates against XHTML 1.0 Strict"
else bad "HTML with the label is not valid XHTML 1.0 Strict"; fi
expect_eq "HTML without --label: no label" 0 \
  "$(xp "$work/hardened.html" "count(//*[local-name()='div'][@class='trustmark'])")"
pdftotext -f 1 -l 1 "$work/labelled.pdf" "$work/labelled-p1.txt" 2>/dev/null
has "PDF: the label's text is on page 1" "$work/labelled-p1.txt" "Label valid until 2028-12-03"
pdftoppm -r 150 -png -f 1 -l 1 -singlefile "$work/labelled.pdf" "$work/labelled-p1" 2>/dev/null
expect_eq "PDF: the label's QR code on page 1 decodes (zbarimg) to the statement's URL" \
  "https://registry.example.test/cls-style/$(sha256sum fixtures/label/statement-hardened.xml | cut -d' ' -f1)" \
  "$(zbarimg --quiet --raw "$work/labelled-p1.png" 2>/dev/null)"
printf '<svg xmlns="http://www.w3.org/2000/svg"><image href="http://198.18.0.1/x.png"/></svg>\n' >"$work/evil.svg"
"$TB" render "$H" --label "$work/evil.svg" --html "$work/evil.html" 2>/dev/null
expect_eq "a label SVG with a link is refused (exit 1)" 1 $?
[ -e "$work/evil.html" ] && bad "refused label still produced HTML" || ok "refused label produced nothing"

echo "# bad input to render"
printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<report xmlns="urn:trustbench:report:1">&x;</report>\n' >"$work/xxe.xml"
"$TB" render "$work/xxe.xml" --html "$work/xxe.html" 2>"$work/xxe.err"
expect_eq "a report with a DTD is refused (exit 1)" 1 $?
[ -e "$work/xxe.html" ] && bad "refused report still produced HTML" || ok "refused report produced nothing"
"$TB" render "$work/missing.xml" --html "$work/m.html" 2>/dev/null
expect_eq "missing report: exit 1" 1 $?

echo "# structured evidence: summaries as tables, timelines as SVG plots"
# A fixture report (no lab needed): a device retrying every 200 ms while the
# uplink is cut, one backing off, and an empty timeline (see the file).
S=fixtures/reports/structured-evidence.xml
"$TB" validate "$S" >/dev/null
expect_eq "the fixture is a valid report" 0 $?
"$TB" render "$S" --html "$work/se.html" --pdf "$work/se.pdf" >/dev/null
expect_eq "render --html --pdf of summaries and timelines: exit 0" 0 $?
if xmllint --noout --nonet "$work/se.html" 2>/dev/null; then ok "HTML with plots is well-formed XML"
else bad "HTML with plots does not parse"; fi
svgx() { # n-th timeline, what inside its svg -> count
  xp "$work/se.html" "count((//*[local-name()='div'][@class='timeline'])[$1]/*[local-name()='svg']//*[$2])"
}
expect_eq "one inline SVG per timeline" 3 "$(xp "$work/se.html" "count(//*[local-name()='svg'][namespace-uri()='http://www.w3.org/2000/svg'])")"
expect_eq "summaries are tables" 3 "$(xp "$work/se.html" "count(//*[local-name()='table'][contains(@class,'evsummary')])")"
expect_eq "summary row as given" "75 (5.0 per second)" \
  "$(xp "$work/se.html" "string((//*[local-name()='table'][contains(@class,'evsummary')])[1]//*[local-name()='tr'][*[1]='connection attempts during the cut']/*[2])")"
# hammering: 7 seconds with an attempt before the cut, 15 at 5/s during it, 10 after
expect_eq "hammering: one bar per second with attempts" 32 "$(svgx 1 "@class='tl-bar'")"
expect_eq "hammering: 15 bars at the full 5/s" 15 "$(svgx 1 "@class='tl-bar' and @height='64'")"
expect_eq "hammering: connected marks" 17 "$(svgx 1 "@class='tl-connected'")"
expect_eq "hammering: probe-ok marks" 19 "$(svgx 1 "@class='tl-probe-ok'")"
expect_eq "hammering: probe-fail marks" 1 "$(svgx 1 "@class='tl-probe-fail'")"
expect_eq "hammering: other marks" 1 "$(svgx 1 "@class='tl-mark'")"
expect_eq "hammering: the cut is shaded" 1 "$(svgx 1 "@class='tl-span'")"
expect_eq "hammering: the cut is labelled" "uplink cut" "$(xp "$work/se.html" "string((//*[local-name()='svg'])[1]//*[local-name()='text'][.='uplink cut'])")"
expect_eq "hammering: time axis ticks 0..40 s every 5 s" 9 "$(svgx 1 "@class='tl-tick'")"
# backing off: 7 + 5 + 9 seconds, never more than one attempt in a second
expect_eq "backing off: bars" 21 "$(svgx 2 "@class='tl-bar'")"
expect_eq "backing off: no bar above 1/s" 0 "$(svgx 2 "@class='tl-bar' and @height!='12.8'")"
expect_eq "empty timeline: no bars, no marks" 0 "$(svgx 3 "starts-with(@class,'tl-') and @class!='tl-tick'")"
pdftotext "$work/se.pdf" "$work/se.txt" 2>/dev/null
has "PDF: the plot's legend is typeset" "$work/se.txt" "attempts in that second"
has "PDF: the summary is typeset" "$work/se.txt" "outage campaign"
# The bars' colour (#4a6fa5) is really drawn on the page with the first plot.
pg=$(for i in $(seq 1 "$(pdfinfo "$work/se.pdf" | awk '/^Pages:/ {print $2}')"); do
  pdftotext -f "$i" -l "$i" "$work/se.pdf" - 2>/dev/null | grep -q "hammering device" && { echo "$i"; break; }; done)
pdftoppm -r 60 -f "${pg:-1}" -l "${pg:-1}" -singlefile "$work/se.pdf" "$work/se-page" 2>/dev/null
bars=$(python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
parts = d.split(b"\n", 3)  # P6, size, maxval, pixels
px = parts[3]
print(sum(1 for i in range(0, len(px) - 2, 3) if abs(px[i] - 0x4a) < 12 and abs(px[i+1] - 0x6f) < 12 and abs(px[i+2] - 0xa5) < 12))
' "$work/se-page.ppm" 2>/dev/null)
expect_in "PDF: the bars are drawn (pixels in the bar colour)" 300 1000000 "${bars:-0}"
# Signed, verified and diffed like any report; a changed event breaks the signature.
mkdir -p "$work/se"
cp "$S" "$work/se/report.xml"
fixtures/keys/make-test-pki.sh "$work/pki" 5 >/dev/null 2>&1
"$TB" sign "$work/se/report.xml" --key "$work/pki/lab.key" --cert "$work/pki/lab.pem" >/dev/null
expect_eq "sign a report with a timeline: exit 0" 0 $?
"$TB" verify "$work/se/report.xml" --ca "$work/pki/ca.pem" --report-only >/dev/null
expect_eq "verify it: exit 0" 0 $?
sed 's|<event t-ms="10200" kind="attempt"/>|<event t-ms="10200" kind="connected"/>|' "$S" >"$work/se/t.xml"
cp "$work/se/report.xml.p7s" "$work/se/t.xml.p7s"
"$TB" verify "$work/se/t.xml" --ca "$work/pki/ca.pem" --report-only >/dev/null
expect_eq "verify a report whose timeline was changed: exit 4" 4 $?
"$TB" diff "$S" "$S" >/dev/null
expect_eq "diff of a report with timelines: exit 0" 0 $?

echo "# diff"
"$TB" diff "$L" "$L" >"$work/d0.txt"
expect_eq "diff of a report with itself: exit 0" 0 $?
has "diff of a report with itself: nothing changed" "$work/d0.txt" "0 worse, 0 better, 0 changed otherwise, 0 added, 0 dropped"
"$TB" diff "$H" "$L" >"$work/d1.txt"
expect_eq "hardened -> legacy: exit 2 (regressed)" 2 $?
has "hardened -> legacy: 5.1-1-2 got worse" "$work/d1.txt" "$(printf '%-16s%s' worse 5.1-1-2)  pass -> fail"
has "hardened -> legacy: profile change by digest" "$work/d1.txt" \
  "profile:   changed: refdevice-hardened sha256 $(sha256sum profiles/refdevice-hardened.yaml | cut -d' ' -f1) -> refdevice-legacy"
has "hardened -> legacy: same suite" "$work/d1.txt" "suite:     unchanged: etsi-en-303-645"
"$TB" diff "$L" "$H" >"$work/d2.txt"
expect_eq "legacy -> hardened: exit 0 (only fixes)" 0 $?
has "legacy -> hardened: 5.1-1-2 got better" "$work/d2.txt" "$(printf '%-16s%s' better 5.1-1-2)  fail -> pass"
has "legacy -> hardened: firmware change shown" "$work/d2.txt" "firmware 1.0.3 -> 2.4.0"
has "legacy -> hardened: counts" "$work/d2.txt" "0 worse, 6 better, 0 changed otherwise, 0 added, 0 dropped"
"$TB" run --quiet --suite "$SUITE" --profile profiles/refdevice-legacy.yaml --out "$work/fewer" \
  --only 4-1-1,5.1-1-1 2>/dev/null
"$TB" diff "$L" "$work/fewer/report.xml" >"$work/d3.txt"
expect_eq "same suite, cases not run: exit 2" 2 $?
has "cases not run are dropped" "$work/d3.txt" "$(( NCASES - 2 )) dropped"
"$TB" diff "$L" "$work/xxe.xml" >/dev/null 2>&1
expect_eq "diff of a refused report: exit 1" 1 $?
"$TB" diff "$L" >/dev/null 2>&1
expect_eq "diff with one report: exit 1" 1 $?

echo "     (${SECONDS} s in the lab)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
