<?xml version="1.0" encoding="UTF-8"?>
<!-- report-html.xsl: a trustbench report (urn:trustbench:report:1) as XHTML 1.0
     Strict for a person to read, on screen or (through WeasyPrint) as an A4 PDF.

     Order: what was tested and the overall outcome; the summary per framework;
     every test case with its reason and evidence; the inputs examined.

     The report may come from anyone, so nothing from it is ever copied into
     an attribute of the output except through fixed mappings (verdict ->
     class) or generate-id(); device bytes only ever become text.
     Templates that walk strings split them in halves, so recursion depth
     stays logarithmic even for a hostile report.
     A timeline is drawn as inline SVG (its own namespace, which the XHTML
     1.0 DTD does not describe: a page with a timeline is XHTML 1.0 Strict
     plus SVG).  Its attributes are only numbers computed from the report,
     never strings copied from it.

     Parameters (set by trustbench render, always as quoted strings):
       report-sha256     SHA-256 of the exact report bytes
       signature-status  "unsigned" or "signature file present (...)"
       report-name       the report's file name
       label-uri         the trustmark label SVG as a data: URI (render's label option),
                         shown at the top of the first page; "" for none -->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:tb="urn:trustbench:report:1"
                xmlns="http://www.w3.org/1999/xhtml"
                exclude-result-prefixes="tb">

  <xsl:output method="xml" encoding="UTF-8" indent="yes"
              doctype-public="-//W3C//DTD XHTML 1.0 Strict//EN"
              doctype-system="http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"/>

  <xsl:param name="report-sha256" select="''"/>
  <xsl:param name="signature-status" select="'unsigned'"/>
  <xsl:param name="report-name" select="''"/>
  <xsl:param name="label-uri" select="''"/>

  <!-- The results that cover a framework item ("en-303-645 5.1-1"). -->
  <xsl:key name="refs" match="tb:result/tb:covers/tb:ref" use="concat(@framework, ' ', .)"/>

  <!-- A timeline's connection attempts per whole second (its plot's bars). -->
  <xsl:key name="tl-attempt-sec" match="tb:timeline/tb:event[@kind = 'attempt']"
           use="concat(generate-id(..), ' ', floor(@t-ms div 1000))"/>

  <xsl:variable name="r" select="/tb:report"/>
  <xsl:variable name="dut" select="/tb:report/tb:dut"/>

  <!-- ============ page ============ -->
  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="tb:report"><xsl:apply-templates select="tb:report"/></xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes">not a trustbench report</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tb:report">
    <html xml:lang="en" lang="en">
      <head>
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
        <title>
          <xsl:text>trustbench report: </xsl:text>
          <xsl:value-of select="concat($dut/@manufacturer, ' ', $dut/@model, ' firmware ', $dut/@firmware)"/>
        </title>
        <style type="text/css">
          <xsl:call-template name="css"/>
        </style>
      </head>
      <body>
        <xsl:call-template name="front"/>
        <xsl:call-template name="summary"/>
        <xsl:call-template name="cases"/>
        <xsl:call-template name="inputs"/>
      </body>
    </html>
  </xsl:template>

  <!-- ============ styles (screen and print) ============ -->
  <xsl:template name="css">
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt;
       color: #1b1b1b; max-width: 60em; margin: 1.5em auto; padding: 0 1em; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 0.2em 0; }
h2 { font-size: 13.5pt; border-bottom: 2px solid #33475b; padding-bottom: 2px; margin-top: 1.4em; }
h3 { font-size: 11pt; margin: 1.1em 0 0.3em 0; }
p.sub { color: #4a4a4a; margin: 0 0 0.8em 0; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0 0.8em 0; }
th, td { border: 1px solid #c3c8cf; padding: 2px 5px; text-align: left; vertical-align: top; }
th { background: #e8ecf1; font-weight: bold; }
table.kv th { width: 11em; }
th.c-ref, th.c-status { width: 7em; }
th.c-verdict { width: 9.5em; }
td.num, th.num { text-align: right; width: 4.5em; }
.mono, pre, code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8pt; }
.digest { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
pre { white-space: pre-wrap; word-break: break-all; background: #f6f7f9; border: 1px solid #dde1e6;
      padding: 3px 5px; margin: 0.15em 0 0.5em 0; }
.v { font-weight: bold; white-space: nowrap; }
.v-pass { background: #d5f0d8; color: #14521e; }
.v-fail { background: #f6d0d0; color: #7a1010; }
.v-error { background: #ead6f2; color: #561570; }
.v-inconclusive { background: #fbe6c2; color: #6b4300; }
.v-needs-examiner { background: #d6e4f7; color: #123f75; }
.v-not-applicable { background: #ececec; color: #555555; }
.v-unknown { background: #ffffff; color: #000000; outline: 1px dashed #000000; }
.banner { border: 2px solid #b00000; background: #fff0f0; padding: 4px 8px; margin: 0.6em 0; }
.outcome { font-size: 11pt; padding: 4px 8px; margin: 0.6em 0; border: 1px solid #c3c8cf; }
div.case { border-top: 1px solid #9aa5b1; margin-top: 0.9em; padding-top: 0.2em; }
div.case h3 { margin-top: 0.2em; }
p.reason { margin: 0.3em 0 0.4em 0; }
.label { color: #4a4a4a; font-size: 8.5pt; }
p.label, p.dir { margin: 0.35em 0 0.1em 0; break-after: avoid; page-break-after: avoid; }
p.dir { color: #4a4a4a; font-size: 8pt; }
table.notes td.nl { width: 10em; overflow-wrap: break-word; }
div.exchange { margin: 0.2em 0 0.4em 0; }
a { color: #0b4f8a; text-decoration: none; }
dl.meta { margin: 0; }
div.trustmark { margin: 0 0 1em 0; }
table.evsummary th { width: 16em; }
div.timeline { margin: 0.3em 0 0.8em 0; break-inside: avoid; page-break-inside: avoid; }
div.timeline svg { display: block; width: 100%; max-width: 680px; height: auto; }
div.trustmark img { width: 96mm; height: 54mm; display: block; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2.newpage { break-before: page; page-break-before: always; }
  pre { break-inside: avoid; page-break-inside: avoid; }
}
@page {
  size: A4;
  margin: 16mm 14mm 22mm 14mm;
  @top-right { content: "trustbench report"; font-size: 7.5pt; color: #666666;
               font-family: "DejaVu Sans", sans-serif; }
  @bottom-left { content: "Report SHA-256: <xsl:value-of select="translate($report-sha256, '&quot;\&#10;&#13;', '')"/>\A Signature: <xsl:value-of select="translate($signature-status, '&quot;\&#10;&#13;', '')"/>";
                 white-space: pre; font-size: 7pt; color: #444444; width: 80%;
                 font-family: "DejaVu Sans Mono", monospace; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt;
                  color: #444444; font-family: "DejaVu Sans", sans-serif; }
}
  </xsl:template>

  <!-- ============ front matter ============ -->
  <xsl:template name="front">
    <!-- render only passes a label SVG it has checked, base64-encoded. -->
    <xsl:if test="starts-with($label-uri, 'data:image/svg+xml;base64,')">
      <div class="trustmark">
        <img src="{$label-uri}" alt="trustmark label: scheme, level, device, support period, expiry and QR code"/>
        <p class="label">Trustmark label, as given to trustbench render --label; it is not
          checked against this report here (trustbench verify --statement does that).</p>
      </div>
    </xsl:if>
    <h1>
      <xsl:value-of select="concat($dut/@manufacturer, ' ', $dut/@model)"/>
    </h1>
    <p class="sub">
      <xsl:text>trustbench conformance report · firmware </xsl:text>
      <xsl:value-of select="$dut/@firmware"/>
      <xsl:text> · serial </xsl:text>
      <xsl:value-of select="$dut/@serial"/>
      <xsl:text> · suite </xsl:text>
      <xsl:value-of select="tb:inputs/tb:suite/tb:title"/>
    </p>
    <xsl:if test="@status != 'complete'">
      <p class="banner">
        <xsl:text>Partial report: the run did not finish. </xsl:text>
        <xsl:value-of select="@completed-cases"/>
        <xsl:text> of </xsl:text>
        <xsl:value-of select="@total-cases"/>
        <xsl:text> test cases completed; the rest were not run.</xsl:text>
      </p>
    </xsl:if>
    <xsl:variable name="tc" select="tb:summary/tb:test-cases"/>
    <p class="outcome">
      <xsl:text>Outcome: </xsl:text>
      <strong>
        <xsl:choose>
          <xsl:when test="$tc/@exit-code = '0'">every applicable test case passed</xsl:when>
          <xsl:when test="$tc/@exit-code = '2'">at least one test case failed: the device does not conform</xsl:when>
          <xsl:when test="$tc/@exit-code = '3'">no failure, but some test cases are inconclusive, in error or await an examiner</xsl:when>
          <xsl:otherwise>unknown (exit code <xsl:value-of select="$tc/@exit-code"/>)</xsl:otherwise>
        </xsl:choose>
      </strong>
      <xsl:text> (exit code </xsl:text>
      <xsl:value-of select="$tc/@exit-code"/>
      <xsl:text>).</xsl:text>
    </p>
    <table class="kv">
      <tbody>
        <tr><th>Device under test</th>
          <td><xsl:value-of select="concat($dut/@manufacturer, ', ', $dut/@model, ', firmware ', $dut/@firmware, ', serial ', $dut/@serial, ', at ', $dut/@address)"/></td></tr>
        <tr><th>Run</th>
          <td>
            <xsl:value-of select="tb:run/@started"/>
            <xsl:text> to </xsl:text>
            <xsl:choose>
              <xsl:when test="tb:run/@finished"><xsl:value-of select="tb:run/@finished"/></xsl:when>
              <xsl:otherwise>(not finished)</xsl:otherwise>
            </xsl:choose>
            <xsl:value-of select="concat(' · ', tb:harness/@name, ' ', tb:harness/@version)"/>
          </td></tr>
        <tr><th>Report</th>
          <td>
            <xsl:if test="$report-name != ''">
              <xsl:value-of select="$report-name"/>
              <xsl:text>, </xsl:text>
            </xsl:if>
            <xsl:text>SHA-256 </xsl:text>
            <span class="digest"><xsl:value-of select="$report-sha256"/></span>
          </td></tr>
        <tr><th>Assessed by</th>
          <td>
            <xsl:variable name="a" select="tb:assessor"/>
            <xsl:choose>
              <xsl:when test="$a/@role = 'lab'">a test lab</xsl:when>
              <xsl:when test="$a/@role = 'vendor'">the vendor (self-assessment)</xsl:when>
              <xsl:otherwise>not stated</xsl:otherwise>
            </xsl:choose>
            <xsl:if test="string($a/@name) != ''">
              <xsl:value-of select="concat(': ', $a/@name)"/>
            </xsl:if>
          </td></tr>
        <tr><th>Signature</th><td><xsl:value-of select="$signature-status"/></td></tr>
      </tbody>
    </table>
  </xsl:template>

  <!-- ============ summary ============ -->
  <xsl:template name="summary">
    <h2 id="summary">Summary</h2>
    <xsl:call-template name="notified-body-summary"/>
    <h3>Test cases</h3>
    <xsl:call-template name="counts-table">
      <xsl:with-param name="c" select="tb:summary/tb:test-cases"/>
      <xsl:with-param name="what" select="'test cases'"/>
    </xsl:call-template>
    <xsl:apply-templates select="tb:summary/tb:framework"/>
  </xsl:template>

  <xsl:template name="counts-table">
    <xsl:param name="c"/>
    <xsl:param name="what"/>
    <table>
      <thead>
        <tr>
          <th><xsl:value-of select="$what"/></th>
          <th class="num v-fail">fail</th>
          <th class="num v-error">error</th>
          <th class="num v-inconclusive">inconclusive</th>
          <th class="num v-needs-examiner">needs examiner</th>
          <th class="num v-pass">pass</th>
          <th class="num v-not-applicable">not applicable</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>count</td>
          <td class="num"><xsl:value-of select="$c/@fail"/></td>
          <td class="num"><xsl:value-of select="$c/@error"/></td>
          <td class="num"><xsl:value-of select="$c/@inconclusive"/></td>
          <td class="num"><xsl:value-of select="$c/@needs-examiner"/></td>
          <td class="num"><xsl:value-of select="$c/@pass"/></td>
          <td class="num"><xsl:value-of select="$c/@not-applicable"/></td>
        </tr>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template match="tb:framework">
    <xsl:variable name="en" select="@id = 'en-303-645'"/>
    <h3><xsl:value-of select="@title"/></h3>
    <!-- What the crosswalk lets this framework's items judge, and what not:
         no "PSTI pass" without saying what was left out. -->
    <xsl:if test="tb:scope">
      <p class="sub"><strong>Judged: </strong><xsl:value-of select="tb:scope/tb:judged"/></p>
      <xsl:if test="tb:scope/tb:not-judged">
        <p class="sub"><strong>Not judged: </strong><xsl:value-of select="tb:scope/tb:not-judged"/></p>
      </xsl:if>
    </xsl:if>
    <xsl:call-template name="counts-table">
      <xsl:with-param name="c" select="tb:counts"/>
      <xsl:with-param name="what" select="'items'"/>
    </xsl:call-template>
    <table>
      <thead>
        <tr>
          <th class="c-ref">
            <xsl:choose>
              <xsl:when test="$en">Provision</xsl:when>
              <xsl:otherwise>Item</xsl:otherwise>
            </xsl:choose>
          </th>
          <xsl:if test="$en"><th class="c-status">Status</th></xsl:if>
          <th class="c-verdict">Verdict</th>
          <th>Test cases</th>
          <xsl:if test="not($en)"><th>Mapping (who vouches for it)</th></xsl:if>
        </tr>
      </thead>
      <tbody>
        <!-- XHTML needs a row: a partial run may not have reached any item. -->
        <xsl:if test="not(tb:item)">
          <tr><td colspan="4">No item of this framework was reached by the test cases run.</td></tr>
        </xsl:if>
        <xsl:for-each select="tb:item">
          <tr>
            <td><xsl:value-of select="@ref"/></td>
            <xsl:if test="$en">
              <td>
                <strong><xsl:value-of select="substring(@status, 1, 1)"/></strong>
                <xsl:value-of select="substring(@status, 2)"/>
              </td>
            </xsl:if>
            <xsl:call-template name="verdict-cell">
              <xsl:with-param name="v" select="@verdict"/>
            </xsl:call-template>
            <td>
              <xsl:for-each select="key('refs', concat(../@id, ' ', @ref))/../..">
                <xsl:if test="position() > 1"><xsl:text> </xsl:text></xsl:if>
                <a href="#{generate-id()}"><xsl:value-of select="@id"/></a>
              </xsl:for-each>
            </td>
            <xsl:if test="not($en)">
              <td>
                <xsl:if test="not(@authority)">not stated (report written before crosswalks)</xsl:if>
                <xsl:for-each select="tb:via">
                  <div>
                    <strong><xsl:value-of select="@authority"/></strong>
                    <xsl:text>: </xsl:text>
                    <xsl:value-of select="@provisions"/>
                    <xsl:if test="@cases">
                      <xsl:text> (cases </xsl:text><xsl:value-of select="@cases"/><xsl:text>)</xsl:text>
                    </xsl:if>
                    <xsl:if test="@source">
                      <xsl:text> · source: </xsl:text><xsl:value-of select="@source"/>
                    </xsl:if>
                    <xsl:if test="@rationale">
                      <xsl:text> · ours: </xsl:text><xsl:value-of select="@rationale"/>
                    </xsl:if>
                    <xsl:if test="@note">
                      <xsl:text> · </xsl:text><xsl:value-of select="@note"/>
                    </xsl:if>
                  </div>
                </xsl:for-each>
              </td>
            </xsl:if>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <!-- A verdict as a coloured cell; the class comes from a fixed list. -->
  <xsl:template name="verdict-cell">
    <xsl:param name="v"/>
    <td>
      <xsl:attribute name="class">
        <xsl:text>v </xsl:text>
        <xsl:call-template name="verdict-class"><xsl:with-param name="v" select="$v"/></xsl:call-template>
      </xsl:attribute>
      <xsl:value-of select="$v"/>
    </td>
  </xsl:template>

  <xsl:template name="verdict-class">
    <xsl:param name="v"/>
    <xsl:choose>
      <xsl:when test="$v = 'pass'">v-pass</xsl:when>
      <xsl:when test="$v = 'fail'">v-fail</xsl:when>
      <xsl:when test="$v = 'error'">v-error</xsl:when>
      <xsl:when test="$v = 'inconclusive'">v-inconclusive</xsl:when>
      <xsl:when test="$v = 'needs-examiner'">v-needs-examiner</xsl:when>
      <xsl:when test="$v = 'not-applicable'">v-not-applicable</xsl:when>
      <xsl:otherwise>v-unknown</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============ test cases ============ -->
  <xsl:template name="cases">
    <h2 id="cases" class="newpage">Test cases</h2>
    <p class="sub">
      <xsl:value-of select="count(tb:results/tb:result)"/>
      <xsl:text> test cases, in run order. Exchanges show the bytes sent and received as
recorded: UTF-8 text (CR LF line ends shown as line breaks) or hex, 16 bytes a line.</xsl:text>
    </p>
    <xsl:apply-templates select="tb:results/tb:result"/>
  </xsl:template>

  <xsl:template match="tb:result">
    <div class="case" id="{generate-id()}">
      <h3>
        <xsl:value-of select="@id"/>
        <xsl:text>: </xsl:text>
        <xsl:value-of select="tb:title"/>
      </h3>
      <table class="kv">
        <tbody>
          <tr><th>Verdict</th>
            <xsl:call-template name="verdict-cell">
              <xsl:with-param name="v" select="@verdict"/>
            </xsl:call-template></tr>
          <tr><th>Reason</th><td><xsl:value-of select="tb:reason"/></td></tr>
          <tr><th>Covers</th>
            <td>
              <xsl:for-each select="tb:covers/tb:ref">
                <xsl:if test="position() > 1"><xsl:text>; </xsl:text></xsl:if>
                <xsl:call-template name="framework-short">
                  <xsl:with-param name="f" select="@framework"/>
                </xsl:call-template>
                <xsl:text> </xsl:text>
                <xsl:value-of select="."/>
              </xsl:for-each>
              <xsl:text> (EN 303 645 status </xsl:text>
              <xsl:value-of select="tb:group/@status"/>
              <xsl:text>)</xsl:text>
            </td></tr>
          <tr><th>How decided</th>
            <td>
              <xsl:value-of select="concat(@kind, ' test case, check ', @check, ', decided by ', @decided-by, ', started ', @started, ', ', @duration-ms, ' ms')"/>
            </td></tr>
          <xsl:if test="tb:examiner">
            <tr><th>Examiner</th>
              <td>
                <xsl:value-of select="concat(tb:examiner/@name, ' on ', tb:examiner/@date, ': ', tb:examiner)"/>
              </td></tr>
          </xsl:if>
        </tbody>
      </table>
      <xsl:apply-templates select="tb:decision-tree"/>
      <xsl:apply-templates select="tb:evidence"/>
    </div>
  </xsl:template>

  <!-- A decision-tree case: per item, the path node by node (question,
       answer, who answered and on what basis), then where it ended. -->
  <xsl:template match="tb:decision-tree">
    <xsl:for-each select="tb:notified-body-needed">
      <p class="banner">
        <strong>Notified body needed: </strong>
        <xsl:value-of select="."/>
        <xsl:value-of select="concat(' (', @items, ' of ', ../@items, ' ', ../@for-each, '; a route result, not a requirement verdict)')"/>
      </p>
    </xsl:for-each>
    <p class="label">
      <xsl:text>Decision tree, walked for each of the </xsl:text>
      <xsl:value-of select="@items"/>
      <xsl:text> declared </xsl:text>
      <xsl:value-of select="@for-each"/>
      <xsl:if test="@kind"><xsl:value-of select="concat(' of kind ', @kind)"/></xsl:if>
      <xsl:text>; combined verdict </xsl:text>
      <strong><xsl:value-of select="@verdict"/></strong>
    </p>
    <xsl:for-each select="tb:item">
      <table class="tree">
        <thead>
          <tr>
            <th colspan="3">
              <xsl:value-of select="@id"/>
              <xsl:if test="@kind"><xsl:value-of select="concat(' (', @kind, ')')"/></xsl:if>
            </th>
            <xsl:call-template name="verdict-cell">
              <xsl:with-param name="v" select="@verdict"/>
            </xsl:call-template>
          </tr>
          <tr><th>Node</th><th>Question</th><th>Answer (source)</th><th>Basis</th></tr>
        </thead>
        <tbody>
          <xsl:for-each select="tb:step">
            <tr>
              <td><xsl:value-of select="@node"/></td>
              <td><xsl:value-of select="tb:question"/></td>
              <td class="v"><xsl:value-of select="concat(@answer, ' (', @source, ')')"/></td>
              <td><xsl:value-of select="tb:detail"/></td>
            </tr>
          </xsl:for-each>
          <tr>
            <th>Outcome</th>
            <td colspan="3">
              <xsl:value-of select="tb:outcome"/>
              <xsl:if test="tb:justification[@given = 'false']">
                <xsl:value-of select="concat(' (justification ', tb:justification/@key, ' missing)')"/>
              </xsl:if>
            </td>
          </tr>
        </tbody>
      </table>
    </xsl:for-each>
  </xsl:template>

  <!-- Every case whose tree routes the equipment to a notified body (an
       Official Journal restriction applies), one banner line each. -->
  <xsl:template name="notified-body-summary">
    <xsl:for-each select="tb:results/tb:result[tb:decision-tree/tb:notified-body-needed]">
      <p class="banner">
        <strong>Notified body needed: </strong>
        <xsl:value-of select="concat(@id, ': ', tb:decision-tree/tb:notified-body-needed)"/>
      </p>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="framework-short">
    <xsl:param name="f"/>
    <xsl:choose>
      <xsl:when test="$f = 'en-303-645'">EN 303 645</xsl:when>
      <xsl:when test="$f = 'uk-cop'">UK CoP</xsl:when>
      <xsl:when test="$f = 'psti'">PSTI</xsl:when>
      <xsl:when test="$f = 'ota'">OTA</xsl:when>
      <xsl:otherwise><xsl:value-of select="$f"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tb:evidence">
    <xsl:if test="*">
      <p class="label">
        <xsl:text>Evidence</xsl:text>
        <xsl:if test="@dropped">
          <xsl:text> (</xsl:text>
          <xsl:value-of select="@dropped"/>
          <xsl:text> further items were not kept)</xsl:text>
        </xsl:if>
      </p>
    </xsl:if>
    <xsl:apply-templates select="tb:summary | tb:timeline"/>
    <xsl:if test="tb:note">
      <table class="notes">
        <thead><tr><th>Note</th><th>Text</th></tr></thead>
        <tbody>
          <xsl:for-each select="tb:note">
            <tr><td class="nl"><xsl:value-of select="@label"/></td><td><xsl:value-of select="."/></td></tr>
          </xsl:for-each>
        </tbody>
      </table>
    </xsl:if>
    <xsl:apply-templates select="tb:exchange"/>
    <xsl:if test="tb:file">
      <table>
        <thead><tr><th>Evidence file</th><th>Bytes</th><th>SHA-256</th></tr></thead>
        <tbody>
          <xsl:for-each select="tb:file">
            <tr>
              <td><xsl:value-of select="@path"/> <span class="label"> (<xsl:value-of select="@label"/>)</span></td>
              <td class="num"><xsl:value-of select="@bytes"/></td>
              <td class="digest"><xsl:value-of select="@sha256"/></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </xsl:if>
  </xsl:template>

  <!-- Structured evidence: a summary is a small table, shown as is. -->
  <xsl:template match="tb:evidence/tb:summary">
    <table class="kv evsummary">
      <thead><tr><th colspan="2"><xsl:value-of select="@label"/></th></tr></thead>
      <tbody>
        <xsl:for-each select="tb:fact">
          <tr><th><xsl:value-of select="@name"/></th><td><xsl:value-of select="."/></td></tr>
        </xsl:for-each>
        <xsl:if test="not(tb:fact)"><tr><td colspan="2">(no facts)</td></tr></xsl:if>
        <xsl:if test="@dropped">
          <tr><td colspan="2" class="label">
            <xsl:value-of select="concat(@dropped, ' further facts were not kept')"/>
          </td></tr>
        </xsl:if>
      </tbody>
    </table>
  </xsl:template>

  <!-- Structured evidence: a timeline as a plot.  Time runs left to right
       (seconds from @started); spans are shaded and labelled; connection
       attempts are bars, one per whole second, as high as the attempts in
       that second (the scale goes to at least 5/s, so a device retrying
       every 200 ms and one backing off look different); connections, probes
       and other marks each have a row.  Every event is drawn (at most 4096
       in a valid report), with nothing per event that recurses. -->
  <xsl:template match="tb:evidence/tb:timeline">
    <xsl:variable name="ok" select="tb:event[number(@t-ms) = number(@t-ms)]"/>
    <xsl:variable name="spans" select="tb:span[number(@from-ms) = number(@from-ms) and number(@to-ms) = number(@to-ms)]"/>
    <xsl:variable name="times" select="@end-ms[number(.) = number(.)] | $ok/@t-ms | $spans/@from-ms | $spans/@to-ms"/>
    <xsl:variable name="tmin">
      <xsl:for-each select="$times">
        <xsl:sort select="." data-type="number" order="ascending"/>
        <xsl:if test="position() = 1"><xsl:value-of select="number(.)"/></xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="tmax">
      <xsl:for-each select="$times">
        <xsl:sort select="." data-type="number" order="descending"/>
        <xsl:if test="position() = 1"><xsl:value-of select="number(.)"/></xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <!-- The time axis: from 0 (or the earliest time, if before) to the latest. -->
    <xsl:variable name="t0">
      <xsl:choose>
        <xsl:when test="number($tmin) &lt; 0"><xsl:value-of select="number($tmin)"/></xsl:when>
        <xsl:otherwise>0</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="t1">
      <xsl:choose>
        <xsl:when test="number($tmax) &gt; number($t0)"><xsl:value-of select="number($tmax)"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="number($t0) + 1000"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="tid" select="generate-id()"/>
    <!-- The first attempt of each second: one bar each. -->
    <xsl:variable name="firsts" select="$ok[@kind = 'attempt'][generate-id() = generate-id(key('tl-attempt-sec', concat($tid, ' ', floor(@t-ms div 1000)))[1])]"/>
    <xsl:variable name="maxn">
      <xsl:for-each select="$firsts">
        <xsl:sort select="count(key('tl-attempt-sec', concat($tid, ' ', floor(@t-ms div 1000))))" data-type="number" order="descending"/>
        <xsl:if test="position() = 1">
          <xsl:value-of select="count(key('tl-attempt-sec', concat($tid, ' ', floor(@t-ms div 1000))))"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="ymax">
      <xsl:choose>
        <xsl:when test="number($maxn) &gt; 5"><xsl:value-of select="number($maxn)"/></xsl:when>
        <xsl:otherwise>5</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <div class="timeline">
      <p class="label">
        <xsl:text>Timeline: </xsl:text>
        <strong><xsl:value-of select="@label"/></strong>
        <xsl:value-of select="concat(' (from ', @started, ', ', format-number(@end-ms div 1000, '0.###'), ' s)')"/>
      </p>
      <xsl:call-template name="tl-svg">
        <xsl:with-param name="ok" select="$ok"/>
        <xsl:with-param name="spans" select="$spans"/>
        <xsl:with-param name="firsts" select="$firsts"/>
        <xsl:with-param name="tid" select="$tid"/>
        <xsl:with-param name="t0" select="number($t0)"/>
        <xsl:with-param name="t1" select="number($t1)"/>
        <xsl:with-param name="ymax" select="number($ymax)"/>
      </xsl:call-template>
      <p class="dir">
        <xsl:value-of select="concat(count($ok[@kind = 'attempt']), ' connection attempts (at most ', number(concat('0', $maxn)), ' in one second), ',
                              count($ok[@kind = 'connected']), ' connected, ',
                              count($ok[@kind = 'probe-ok']), ' probes answered, ',
                              count($ok[@kind = 'probe-fail']), ' probes failed, ',
                              count($ok[@kind = 'mark']), ' other marks.')"/>
        <xsl:for-each select="$spans">
          <xsl:value-of select="concat(' ', @what, ': ', format-number(@from-ms div 1000, '0.###'), ' s to ', format-number(@to-ms div 1000, '0.###'), ' s.')"/>
        </xsl:for-each>
        <xsl:if test="@spans-dropped">
          <xsl:value-of select="concat(' ', @spans-dropped, ' further spans were not kept.')"/>
        </xsl:if>
        <xsl:if test="@events-dropped">
          <xsl:value-of select="concat(' ', @events-dropped, ' further events were not kept (only the first 4096 are; the plot ends with them).')"/>
        </xsl:if>
      </p>
      <xsl:if test="tb:event[@kind = 'mark' and @what]">
        <table class="notes">
          <thead><tr><th>Mark at</th><th>What</th></tr></thead>
          <tbody>
            <xsl:for-each select="tb:event[@kind = 'mark' and @what]">
              <tr><td class="nl"><xsl:value-of select="concat(format-number(@t-ms div 1000, '0.###'), ' s')"/></td>
                <td><xsl:value-of select="@what"/></td></tr>
            </xsl:for-each>
          </tbody>
        </table>
      </xsl:if>
    </div>
  </xsl:template>

  <!-- The plot itself.  Geometry in px: the plot area starts at x 92 and is
       572 wide; bars fill y 22..86, then a row each for connected, probe ok,
       probe failed and other marks, the time axis at y 156, a legend. -->
  <xsl:template name="tl-svg" xmlns="http://www.w3.org/2000/svg">
    <xsl:param name="ok"/>
    <xsl:param name="spans"/>
    <xsl:param name="firsts"/>
    <xsl:param name="tid"/>
    <xsl:param name="t0"/>
    <xsl:param name="t1"/>
    <xsl:param name="ymax"/>
    <xsl:variable name="L" select="92"/>
    <xsl:variable name="W" select="572"/>
    <xsl:variable name="sx" select="$W div ($t1 - $t0)"/>
    <xsl:variable name="bw">
      <xsl:choose>
        <xsl:when test="1000 * $sx * 0.8 &gt; 1"><xsl:value-of select="1000 * $sx * 0.8"/></xsl:when>
        <xsl:otherwise>1</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <svg width="680" height="212" viewBox="0 0 680 212" font-family="DejaVu Sans, Arial, sans-serif" font-size="9">
      <rect x="{$L}" y="22" width="{$W}" height="134" fill="#fbfbfc" stroke="#c3c8cf" stroke-width="0.5"/>
      <!-- the time axis: ticks, labels and grid lines, behind everything -->
      <xsl:call-template name="tl-ticks">
        <xsl:with-param name="t0" select="$t0"/>
        <xsl:with-param name="t1" select="$t1"/>
        <xsl:with-param name="sx" select="$sx"/>
        <xsl:with-param name="L" select="$L"/>
      </xsl:call-template>
      <!-- spans -->
      <xsl:for-each select="$spans">
        <xsl:variable name="a">
          <xsl:choose>
            <xsl:when test="@to-ms &lt; @from-ms"><xsl:value-of select="@to-ms"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="@from-ms"/></xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:variable name="x" select="$L + ($a - $t0) * $sx"/>
        <rect class="tl-span" x="{format-number($x, '0.##')}" y="14"
              width="{format-number((@to-ms - @from-ms) * $sx * (1 - 2 * (@to-ms &lt; @from-ms)), '0.##')}"
              height="142" fill="#f2b8b5" fill-opacity="0.55"/>
        <text x="{format-number($x + 2, '0.##')}" y="11" fill="#8a1c1c" font-weight="bold">
          <xsl:value-of select="substring(@what, 1, 48)"/>
        </text>
      </xsl:for-each>
      <!-- row labels and the bar scale -->
      <text x="4" y="58">attempts / s</text>
      <text x="4" y="105">connected</text>
      <text x="4" y="119">probe ok</text>
      <text x="4" y="133">probe failed</text>
      <text x="4" y="147">other mark</text>
      <line x1="{$L}" y1="22" x2="{$L + $W}" y2="22" stroke="#9aa5b1" stroke-width="0.5" stroke-dasharray="3,3"/>
      <line x1="{$L}" y1="86" x2="{$L + $W}" y2="86" stroke="#9aa5b1" stroke-width="0.7"/>
      <text x="{$L - 3}" y="25" text-anchor="end"><xsl:value-of select="$ymax"/></text>
      <text x="{$L - 3}" y="89" text-anchor="end">0</text>
      <xsl:for-each select="$firsts">
        <xsl:variable name="sec" select="floor(@t-ms div 1000)"/>
        <xsl:variable name="n" select="count(key('tl-attempt-sec', concat($tid, ' ', $sec)))"/>
        <xsl:variable name="h" select="$n * 64 div $ymax"/>
        <rect class="tl-bar" x="{format-number($L + ($sec * 1000 - $t0) * $sx, '0.##')}"
              y="{format-number(86 - $h, '0.##')}" width="{format-number($bw, '0.##')}"
              height="{format-number($h, '0.##')}" fill="#4a6fa5">
          <title><xsl:value-of select="concat($n, ' attempts in second ', $sec)"/></title>
        </rect>
      </xsl:for-each>
      <!-- one row per kind of instant -->
      <xsl:for-each select="$ok[@kind = 'connected']">
        <xsl:variable name="x" select="$L + (@t-ms - $t0) * $sx"/>
        <rect class="tl-connected" x="{format-number($x - 1, '0.##')}" y="96" width="2" height="12" fill="#1a7f37">
          <title><xsl:value-of select="concat(format-number(@t-ms div 1000, '0.###'), ' s: connected ', @what)"/></title>
        </rect>
      </xsl:for-each>
      <xsl:for-each select="$ok[@kind = 'probe-ok']">
        <circle class="tl-probe-ok" cx="{format-number($L + (@t-ms - $t0) * $sx, '0.##')}" cy="116" r="3.2" fill="#2e8b57">
          <title><xsl:value-of select="concat(format-number(@t-ms div 1000, '0.###'), ' s: probe ok ', @what)"/></title>
        </circle>
      </xsl:for-each>
      <xsl:for-each select="$ok[@kind = 'probe-fail']">
        <xsl:variable name="x" select="$L + (@t-ms - $t0) * $sx"/>
        <path class="tl-probe-fail" fill="none" stroke="#c0392b" stroke-width="1.6"
              d="{concat('M', format-number($x - 3, '0.##'), ' 127 L', format-number($x + 3, '0.##'), ' 133 M',
                         format-number($x - 3, '0.##'), ' 133 L', format-number($x + 3, '0.##'), ' 127')}">
          <title><xsl:value-of select="concat(format-number(@t-ms div 1000, '0.###'), ' s: probe failed ', @what)"/></title>
        </path>
      </xsl:for-each>
      <xsl:for-each select="$ok[@kind = 'mark']">
        <xsl:variable name="x" select="$L + (@t-ms - $t0) * $sx"/>
        <path class="tl-mark" fill="#6b4fa0"
              d="{concat('M', format-number($x, '0.##'), ' 139 L', format-number($x + 3.5, '0.##'), ' 147 L', format-number($x - 3.5, '0.##'), ' 147 Z')}">
          <title><xsl:value-of select="concat(format-number(@t-ms div 1000, '0.###'), ' s: ', @what)"/></title>
        </path>
      </xsl:for-each>
      <line x1="{$L}" y1="156" x2="{$L + $W}" y2="156" stroke="#1b1b1b" stroke-width="0.8"/>
      <text x="{$L + $W div 2}" y="182" text-anchor="middle" fill="#4a4a4a">seconds from the start of the timeline</text>
      <!-- legend -->
      <rect x="{$L}" y="194" width="14" height="9" fill="#f2b8b5" fill-opacity="0.55"/>
      <text x="{$L + 18}" y="202">span (as labelled)</text>
      <rect x="{$L + 120}" y="194" width="6" height="9" fill="#4a6fa5"/>
      <text x="{$L + 130}" y="202">attempts in that second</text>
      <rect x="{$L + 252}" y="193" width="2" height="11" fill="#1a7f37"/>
      <text x="{$L + 258}" y="202">connected</text>
      <circle cx="{$L + 320}" cy="198.5" r="3.2" fill="#2e8b57"/>
      <text x="{$L + 326}" y="202">probe ok</text>
      <path d="{concat('M', $L + 379, ' 195.5 L', $L + 385, ' 201.5 M', $L + 379, ' 201.5 L', $L + 385, ' 195.5')}" fill="none" stroke="#c0392b" stroke-width="1.6"/>
      <text x="{$L + 390}" y="202">probe failed</text>
      <path d="{concat('M', $L + 460, ' 194 L', $L + 463.5, ' 202 L', $L + 456.5, ' 202 Z')}" fill="#6b4fa0"/>
      <text x="{$L + 467}" y="202">other mark</text>
    </svg>
  </xsl:template>

  <!-- Ticks on the time axis: a round step giving at most about 11 ticks,
       so the recursion is shallow whatever the times are. -->
  <xsl:template name="tl-ticks" xmlns="http://www.w3.org/2000/svg">
    <xsl:param name="t0"/>
    <xsl:param name="t1"/>
    <xsl:param name="sx"/>
    <xsl:param name="L"/>
    <xsl:variable name="d" select="($t1 - $t0) div 1000"/>
    <xsl:variable name="step">
      <xsl:choose>
        <xsl:when test="$d &lt;= 2">0.2</xsl:when>
        <xsl:when test="$d &lt;= 5">0.5</xsl:when>
        <xsl:when test="$d &lt;= 10">1</xsl:when>
        <xsl:when test="$d &lt;= 20">2</xsl:when>
        <xsl:when test="$d &lt;= 50">5</xsl:when>
        <xsl:when test="$d &lt;= 100">10</xsl:when>
        <xsl:when test="$d &lt;= 200">20</xsl:when>
        <xsl:when test="$d &lt;= 300">30</xsl:when>
        <xsl:when test="$d &lt;= 600">60</xsl:when>
        <xsl:when test="$d &lt;= 1200">120</xsl:when>
        <xsl:when test="$d &lt;= 3000">300</xsl:when>
        <xsl:when test="$d &lt;= 6000">600</xsl:when>
        <xsl:when test="$d &lt;= 18000">1800</xsl:when>
        <xsl:when test="$d &lt;= 36000">3600</xsl:when>
        <xsl:otherwise><xsl:value-of select="ceiling($d div 10)"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:call-template name="tl-tick">
      <xsl:with-param name="k" select="ceiling($t0 div 1000 div $step)"/>
      <xsl:with-param name="last" select="floor($t1 div 1000 div $step)"/>
      <xsl:with-param name="step" select="number($step)"/>
      <xsl:with-param name="t0" select="$t0"/>
      <xsl:with-param name="sx" select="$sx"/>
      <xsl:with-param name="L" select="$L"/>
      <xsl:with-param name="left" select="14"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="tl-tick" xmlns="http://www.w3.org/2000/svg">
    <xsl:param name="k"/>
    <xsl:param name="last"/>
    <xsl:param name="step"/>
    <xsl:param name="t0"/>
    <xsl:param name="sx"/>
    <xsl:param name="L"/>
    <xsl:param name="left"/>
    <xsl:if test="$k &lt;= $last and $left &gt; 0">
      <xsl:variable name="x" select="format-number($L + ($k * $step * 1000 - $t0) * $sx, '0.##')"/>
      <line class="tl-tick" x1="{$x}" y1="156" x2="{$x}" y2="160" stroke="#1b1b1b" stroke-width="0.8"/>
      <line x1="{$x}" y1="22" x2="{$x}" y2="156" stroke="#dde1e6" stroke-width="0.4"/>
      <text x="{$x}" y="169" text-anchor="middle"><xsl:value-of select="concat(format-number($k * $step, '0.#'), ' s')"/></text>
      <xsl:call-template name="tl-tick">
        <xsl:with-param name="k" select="$k + 1"/>
        <xsl:with-param name="last" select="$last"/>
        <xsl:with-param name="step" select="$step"/>
        <xsl:with-param name="t0" select="$t0"/>
        <xsl:with-param name="sx" select="$sx"/>
        <xsl:with-param name="L" select="$L"/>
        <xsl:with-param name="left" select="$left - 1"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tb:exchange">
    <div class="exchange">
      <p class="label">
        <xsl:text>Exchange: </xsl:text>
        <strong><xsl:value-of select="@label"/></strong>
      </p>
      <xsl:apply-templates select="tb:sent | tb:received"/>
    </div>
  </xsl:template>

  <xsl:template match="tb:sent | tb:received">
    <p class="dir">
      <xsl:choose>
        <xsl:when test="self::tb:sent">sent: </xsl:when>
        <xsl:otherwise>received: </xsl:otherwise>
      </xsl:choose>
      <xsl:choose>
        <xsl:when test="string-length(.) = 0 and (@bytes = '0' or not(@bytes))">nothing</xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="concat(@bytes, ' bytes')"/>
          <xsl:if test="@kept">
            <xsl:value-of select="concat(', the first ', @kept, ' kept')"/>
          </xsl:if>
          <xsl:choose>
            <xsl:when test="@encoding = 'hex'">, as hex</xsl:when>
            <xsl:otherwise>, as text</xsl:otherwise>
          </xsl:choose>
        </xsl:otherwise>
      </xsl:choose>
    </p>
    <xsl:choose>
      <xsl:when test="string-length(.) = 0"/>
      <xsl:when test="@encoding = 'hex'">
        <pre><xsl:call-template name="hex-rows"><xsl:with-param name="s" select="string(.)"/></xsl:call-template></pre>
      </xsl:when>
      <xsl:otherwise>
        <pre><xsl:value-of select="translate(., '&#13;', '')"/></pre>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Hex digits as rows of 16 bytes; split in halves (depth log n). -->
  <xsl:template name="hex-rows">
    <xsl:param name="s"/>
    <xsl:variable name="rows" select="ceiling(string-length($s) div 32)"/>
    <xsl:choose>
      <xsl:when test="$rows &lt;= 1">
        <xsl:call-template name="hex-pairs"><xsl:with-param name="s" select="$s"/></xsl:call-template>
        <xsl:text>&#10;</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="cut" select="floor($rows div 2) * 32"/>
        <xsl:call-template name="hex-rows"><xsl:with-param name="s" select="substring($s, 1, $cut)"/></xsl:call-template>
        <xsl:call-template name="hex-rows"><xsl:with-param name="s" select="substring($s, $cut + 1)"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="hex-pairs">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="string-length($s) &lt;= 2"><xsl:value-of select="$s"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="cut" select="floor(string-length($s) div 4) * 2"/>
        <xsl:call-template name="hex-pairs"><xsl:with-param name="s" select="substring($s, 1, $cut)"/></xsl:call-template>
        <xsl:text> </xsl:text>
        <xsl:call-template name="hex-pairs"><xsl:with-param name="s" select="substring($s, $cut + 1)"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============ inputs ============ -->
  <xsl:template name="inputs">
    <h2 id="inputs" class="newpage">Declarations and inputs examined</h2>
    <p class="sub">The supplier's declarations (ICS and IXIT) are in the profile; the
digests identify exactly which files this run read.</p>
    <xsl:variable name="s" select="tb:inputs/tb:suite"/>
    <h3>Test suite</h3>
    <table class="kv">
      <tbody>
        <tr><th>Suite</th><td><xsl:value-of select="concat($s/@id, ' version ', $s/@version, ': ', $s/tb:title)"/></td></tr>
        <xsl:if test="$s/tb:standard"><tr><th>Standard</th><td><xsl:value-of select="$s/tb:standard"/></td></tr></xsl:if>
        <xsl:if test="$s/tb:method"><tr><th>Method</th><td><xsl:value-of select="$s/tb:method"/></td></tr></xsl:if>
        <tr><th>File</th><td><xsl:value-of select="$s/@path"/></td></tr>
        <tr><th>SHA-256</th><td class="digest"><xsl:value-of select="$s/@sha256"/></td></tr>
        <xsl:for-each select="tb:inputs/tb:crosswalk">
          <tr><th>Crosswalk to <xsl:value-of select="@to"/></th>
            <td><xsl:value-of select="@path"/><br/><span class="digest"><xsl:value-of select="@sha256"/></span></td></tr>
        </xsl:for-each>
      </tbody>
    </table>
    <xsl:variable name="p" select="tb:inputs/tb:profile"/>
    <h3>Device profile (supplier's declarations)</h3>
    <table class="kv">
      <tbody>
        <tr><th>Profile</th><td><xsl:value-of select="$p/@id"/></td></tr>
        <tr><th>File</th><td><xsl:value-of select="$p/@path"/></td></tr>
        <tr><th>SHA-256</th><td class="digest"><xsl:value-of select="$p/@sha256"/></td></tr>
      </tbody>
    </table>
    <h3>Examiner decisions</h3>
    <xsl:choose>
      <xsl:when test="tb:inputs/tb:decisions">
        <table class="kv">
          <tbody>
            <tr><th>File</th><td><xsl:value-of select="tb:inputs/tb:decisions/@path"/></td></tr>
            <tr><th>SHA-256</th><td class="digest"><xsl:value-of select="tb:inputs/tb:decisions/@sha256"/></td></tr>
            <tr><th>Decided cases</th><td><xsl:value-of select="count(tb:results/tb:result[@decided-by = 'examiner'])"/></td></tr>
          </tbody>
        </table>
      </xsl:when>
      <xsl:otherwise><p>No examiner decisions file was used.</p></xsl:otherwise>
    </xsl:choose>
    <h3>Device under test</h3>
    <table class="kv">
      <tbody>
        <tr><th>Manufacturer</th><td><xsl:value-of select="$dut/@manufacturer"/></td></tr>
        <tr><th>Model</th><td><xsl:value-of select="$dut/@model"/></td></tr>
        <tr><th>Firmware</th><td><xsl:value-of select="$dut/@firmware"/></td></tr>
        <tr><th>Serial</th><td><xsl:value-of select="$dut/@serial"/></td></tr>
        <tr><th>Lab address</th><td><xsl:value-of select="$dut/@address"/></td></tr>
      </tbody>
    </table>
    <xsl:variable name="l" select="tb:lab"/>
    <h3>Lab</h3>
    <table class="kv">
      <tbody>
        <tr><th>Scope</th>
          <td>
            <xsl:for-each select="$l/tb:scope">
              <xsl:if test="position() > 1"><xsl:text>, </xsl:text></xsl:if>
              <xsl:value-of select="@cidr"/>
            </xsl:for-each>
          </td></tr>
        <tr><th>Interface</th><td><xsl:value-of select="$l/@interface"/></td></tr>
        <tr><th>Intrusive tests</th>
          <td>
            <xsl:choose>
              <xsl:when test="$l/@intrusive = 'true' or $l/@intrusive = '1'">consented</xsl:when>
              <xsl:otherwise>not consented</xsl:otherwise>
            </xsl:choose>
          </td></tr>
        <tr><th>Rate limit</th><td><xsl:value-of select="$l/@rate-limit"/> new connections per second</td></tr>
        <xsl:if test="$l/@connections">
          <tr><th>Connections made</th><td><xsl:value-of select="$l/@connections"/></td></tr>
        </xsl:if>
        <xsl:if test="$l/@scope-refusals">
          <tr><th>Out-of-scope attempts refused</th><td><xsl:value-of select="$l/@scope-refusals"/></td></tr>
        </xsl:if>
      </tbody>
    </table>
  </xsl:template>
</xsl:stylesheet>
