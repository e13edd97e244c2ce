#!/usr/bin/env python3
"""Generate testsuites/etsi-en-303-645.yaml.

The suite has one group per provision of ETSI EN 303 645 V2.1.1 (Table B.1) and
one test case per test case of ETSI TS 103 701 V1.1.1 (a -1 conceptual case, a
-2 functional case, or just one of them, as in TS 103 701 V1.1.1), plus our
own extra functional cases where EXTRA_FUNCTIONAL says so (5.6-1-3
amplification, 5.5-1-3 forged cloud).

Every title and every guidance string below is our own short paraphrase. No
standard text is copied here; keep it that way when editing.

Usage:
    gen-etsi-suite.py                 write the suite next to this repo's testsuites/
    gen-etsi-suite.py -o PATH         write to PATH ("-" for stdout)
    gen-etsi-suite.py --check         exit 1 if the file on disk differs from the output
    gen-etsi-suite.py --trustbench B  the binary whose `list --json` describes the
                                      check families (default: $TRUSTBENCH, else
                                      build/trustbench in this repo)

The check families' parameters (names, types, ranges, choices) are not copied
here: they come from `trustbench list --json`, the C registry itself.

Standard library only; the output is deterministic (same input, same bytes).
"""

import argparse
import json
import os
import re
import subprocess
import sys

# ---------------------------------------------------------------------------
# Suite header
# ---------------------------------------------------------------------------

SUITE = {
    "id": "etsi-en-303-645",
    "title": "Consumer IoT security baseline (ETSI EN 303 645 V2.1.1) assessed per ETSI TS 103 701 V1.1.1",
    "version": "1.0.0",
    "standard": "ETSI EN 303 645 V2.1.1",
    "method": "ETSI TS 103 701 V1.1.1",
}

OUTPUT_REL = os.path.join("testsuites", "etsi-en-303-645.yaml")

# ---------------------------------------------------------------------------
# Table B.1 conditions of EN 303 645 V2.1.1 -> profile feature (name, value).
# A status "R C(3,4)" means both conditions must hold.
# ---------------------------------------------------------------------------

CONDITION_FEATURE = {
    1: ("passwords-used", True),
    2: ("preinstalled-passwords", True),
    3: ("software-not-updatable", True),
    4: ("constrained", True),
    5: ("constrained", False),  # condition 5: device is NOT constrained
    6: ("telemetry", True),
    7: ("consent-based-processing", True),
    8: ("user-authentication", True),
    9: ("automatic-updates", True),
    10: ("per-device-identity", True),
    11: ("network-updates", True),
    12: ("update-mechanism", True),
    13: ("debug-interface", True),
}

# ---------------------------------------------------------------------------
# Crosswalks (issue 13): the suite covers only its own provisions; the
# mappings to UK CoP, PSTI and OTA live in testsuites/crosswalks/, one file
# per pair, each mapping with its authority (legislated, published or
# derived).  The suite names them; trustbench reads them with the suite.
# ---------------------------------------------------------------------------

CROSSWALKS = [
    "crosswalks/en-303-645-to-uk-cop.yaml",
    "crosswalks/en-303-645-to-psti.yaml",
    "crosswalks/en-303-645-to-ota.yaml",
]

# ---------------------------------------------------------------------------
# Test groups of TS 103 701 V1.1.1 (independent list, used by the self-check)
# ---------------------------------------------------------------------------

CONCEPTUAL_ONLY = {
    "4-1", "5.2-2", "5.2-3", "5.3-3", "5.3-4", "5.3-5", "5.3-7", "5.3-8",
    "5.3-9", "5.3-11", "5.3-12", "5.4-4", "5.5-3", "5.5-8", "5.6-5", "5.6-6",
    "5.6-7", "5.6-8", "5.6-9", "5.10-1", "6-4",
}
FUNCTIONAL_ONLY = {"5.8-3", "5.11-3", "5.11-4", "5.12-2", "5.12-3"}
# TS 103 701 assesses these conceptually, but our case runs a functional
# check instead: the kind says functional and the title says so (issue 13).
FUNCTIONAL_IN_PLACE_OF_CONCEPTUAL = {"5.3-9"}
MIXED = {"5.3-10"}
# Functional cases of our own beyond TS 103 701's pair (issue 11:
# amplification, filed under 5.6-1 by our mapping).
EXTRA_FUNCTIONAL = {"5.6-1": 1, "5.5-1": 1}

# Every provision of EN 303 645 V2.1.1, in document order (68 including 4-1).
V211_PROVISIONS = (
    ["4-1"]
    + ["5.1-%d" % i for i in range(1, 6)]
    + ["5.2-%d" % i for i in range(1, 4)]
    + ["5.3-%d" % i for i in range(1, 17)]
    + ["5.4-%d" % i for i in range(1, 5)]
    + ["5.5-%d" % i for i in range(1, 9)]
    + ["5.6-%d" % i for i in range(1, 10)]
    + ["5.7-%d" % i for i in range(1, 3)]
    + ["5.8-%d" % i for i in range(1, 4)]
    + ["5.9-%d" % i for i in range(1, 4)]
    + ["5.10-1"]
    + ["5.11-%d" % i for i in range(1, 5)]
    + ["5.12-%d" % i for i in range(1, 4)]
    + ["5.13-1"]
    + ["6-%d" % i for i in range(1, 6)]
)

# ---------------------------------------------------------------------------
# Groups and cases
#
# Each group: (provision, status, title, [case, ...]).
# Each case:  (kind, title, check) where kind is "c" conceptual, "f"
# functional, "cf" conceptual-functional, and check is either
#   ex(ixit_list, guidance)           -> family examiner
#   or a dict {"family": ..., "params": {...}} for an automated family.
# Case ids are numbered <provision>-1, -2 in the order given.
# ---------------------------------------------------------------------------


def ex(ixit, guidance):
    return {"family": "examiner", "params": {"guidance": guidance, "ixit": list(ixit)}}


def decl(rule):
    return {"family": "declarations", "params": {"rule": rule}}


# The credential phase (issue 12) runs once per run and every case below that
# names it judges the same attempts: every login interface the device has.
DEFAULT_CREDS = {"family": "default-credentials", "params": {
    "services": ["telnet", "http", "ssh", "mqtt", "ftp", "snmp", "rtsp"]}}
# Brute-force protection measured on the same interfaces.  The rule table:
# more than 10 wrong guesses evaluated in any minute, with no throttling,
# lockout or growing delay, fails.
BRUTE_FORCE = {"family": "brute-force", "params": {
    "services": ["telnet", "http", "ssh", "mqtt", "ftp", "snmp", "rtsp"],
    "max-failures-per-minute": 10, "growth-factor": 2}}

# The TLS verdict rule table (best practice as the suite defines it): TLS 1.2+,
# forward-secret AEAD suites only, RSA >= 2048 or EC >= 256 bits, no MD5/SHA-1
# signatures, valid dates, a SAN naming the address, no compression and no
# insecure renegotiation.  Self-signed device certificates are accepted.
TLS_RULES = {"family": "tls", "params": {
    "ports": [443, 8883], "min-version": "1.2", "allowed-groups": ["aead-fs"],
    "min-rsa-bits": 2048, "min-ec-bits": 256, "allow-weak-signature-hash": False,
    "require-valid-dates": True, "allow-self-signed": True, "require-san-match": True,
    "allow-compression": False, "allow-insecure-renegotiation": False}}
SSH_RULES = {"family": "ssh", "params": {
    "ports": [22],
    "forbidden-kex": ["diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
                      "diffie-hellman-group-exchange-sha1", "rsa1024-sha1"],
    "forbidden-hostkey": ["ssh-dss", "ssh-rsa", "ssh-dss-cert-v01@openssh.com",
                          "ssh-rsa-cert-v01@openssh.com"],
    "forbidden-ciphers": ["none", "des-cbc", "3des-cbc", "arcfour", "arcfour128", "arcfour256",
                          "blowfish-cbc", "cast128-cbc", "rijndael-cbc@lysator.liu.se"],
    "forbidden-macs": ["none", "hmac-md5", "hmac-md5-96", "hmac-md5-etm@openssh.com",
                       "hmac-md5-96-etm@openssh.com", "hmac-sha1-96", "hmac-ripemd160"],
    # Best practice for SSH user authentication is key-based: a server that
    # offers password or keyboard-interactive login invites online guessing.
    # The check learns the offered methods from a userauth "none" request and
    # never sends a credential.
    "allow-password-auth": True}}  # password login: a finding for 5.1-5, not a 5.1-3 fault
MQTT_ANON = {"family": "mqtt", "params": {"ports": [1883], "tls-ports": [8883]}}
# Firmware updates (issue 5): the declared update artefact verified against the
# declared trust anchor, and the device's own update endpoint fed signed,
# byte-flipped, unsigned and older updates.
FW_IMAGE = {"family": "firmware-image", "params": {"artefact": "newer"}}
FW_PUSH = {"family": "firmware-update-push", "params": {"timeout-ms": 15000}}
HTTP_AUTH = {"family": "http-auth", "params": {
    "paths": ["/admin", "/config", "/settings", "/setup", "/cgi-bin/admin"]}}
# Exposure (issue 11): every TCP port, then every UDP port (protocol probes
# on usual ports and, within the budget, on ports that gave no answer), each
# open one identified and judged against the declared services.  The
# amplification case measures what that UDP sweep found (same ports): an
# unauthenticated reply may be at most 2x the request's bytes and 2 datagrams.
EXPOSURE = {"family": "exposure", "params": {"ports": "1-65535", "udp-ports": "1-65535"}}
AMPLIFICATION = {"family": "amplification", "params": {
    "ports": "1-65535", "window-ms": 1500, "max-byte-ratio": 2, "max-packets": 2}}
# Outward security has no provision of its own in EN 303 645: filing the
# amplification case under 5.6-1 (an exposed service that answers anyone) is
# OUR mapping, said so in the suite beside the case.  It reaches UK CoP 6
# through 5.6-1's published crosswalk mapping; the OTA crosswalk leaves it out.
AMPLIFICATION_NOTE = {
    "comment": ["Our mapping, not the standard's: EN 303 645 has no provision against a device",
                "being used as a UDP reflector; 5.6-1 (an exposed interface anyone can use) is",
                "the closest. Evidence: bytes and datagrams returned per request."],
}

# Robustness (issue 15): seeded malformed HTTP requests, MQTT CONNECTs and
# telnet negotiations to every plain-TCP HTTP/MQTT/telnet service, a liveness
# probe of every service after each batch.  The seed is fixed so that a
# campaign is reproducible (the report records it).
ROBUSTNESS = {"family": "robustness", "params": {
    "seed": 303645, "inputs-per-service": 200, "batch-size": 20, "time-budget-s": 180,
    "liveness-timeout-ms": 3000}}

# Forged cloud (issue 15): the lab cloud presents, in turn, a self-signed
# certificate, one for another name, an expired one and one from a CA made
# at test time, then its genuine one; a device that talks over any forged
# channel fails.  Filed under 5.5-1 (our own extra case) and covering 5.8-1
# and 5.8-2 too: the data the device sends its cloud is only confidential if
# it checks whom it talks to.
CLOUD_IDENTITY = {"family": "cloud-identity", "params": {"per-certificate-s": 12, "genuine-s": 20}}

# Lost link (issue 15): the lab cuts the device's uplink to its cloud, probes
# its local services during the outage and times its reconnection.  The rule
# table below is the suite's: at most one attempt per second at peak,
# growing intervals, back within 20 s, local services answering throughout.
OUTAGE = {"family": "outage", "params": {
    "outage-s": 20, "max-peak-attempts-per-s": 1, "intervals-must-grow": True,
    "max-recovery-s": 20, "local-services-must-answer": True}}

# What each open port discloses without authentication (banners, headers,
# error pages, SSDP/UPnP, mDNS, SNMP, CoAP), from the exposure sweeps of the
# same run, judged against each service's declared `discloses` list.
DISCLOSURE = {"family": "disclosure", "params": {"fail-on": ["version", "serial", "mac"]}}

GROUPS = [
    # --- 4 Reporting implementation -------------------------------------
    ("4-1", "M", "Record a justification for each recommendation treated as not applicable or not met", [
        ("c", "Every recommendation the ICS marks not applicable or not fulfilled carries a justification",
         decl("justifications")),
    ]),

    # --- 5.1 No universal default passwords -----------------------------
    ("5.1-1", "M C(1)", "Passwords in use after factory default are unique per device or chosen by the user", [
        ("c", "Declared generation of non-user-defined passwords gives each device its own value",
         decl("passwords")),
        ("f", "Network services of the DUT accept no class-wide default or undeclared password",
         DEFAULT_CREDS),
    ]),
    ("5.1-2", "M C(2)", "Pre-installed unique passwords are generated so a device class cannot be guessed automatically", [
        ("c", "Declared generation of pre-installed passwords avoids predictable patterns",
         ex(["1-AuthMech"],
            "Using Password Generation Mechanism in IXIT 1-AuthMech, judge whether pre-installed passwords avoid "
            "counters, serial numbers, MAC addresses and other public identifiers, so guessing across a device class is impractical.")),
        ("f", "Well-known default and dictionary credentials are rejected by the DUT",
         DEFAULT_CREDS),
    ]),
    ("5.1-3", "M", "Authentication mechanisms rely on best-practice cryptography", [
        ("c", "Declared cryptography of each authentication mechanism is best practice",
         ex(["1-AuthMech"],
            "For every entry in IXIT 1-AuthMech, check that Cryptographic Details name algorithms, key sizes and "
            "protocols found in a recognised best-practice catalogue and that the claimed Security Guarantees follow from them.")),
        ("f", "Observed authentication exchanges match the declared cryptography",
         SSH_RULES),
    ]),
    ("5.1-4", "M C(8)", "Users have a simple way to change the authentication value", [
        ("c", "A simple change procedure is documented for every user authentication value",
         ex(["1-AuthMech", "2-UserInfo"],
            "Using IXIT 1-AuthMech and Documentation of Change Mechanisms in IXIT 2-UserInfo, verify each user-facing "
            "mechanism has a documented, simple way for the user or administrator to change its authentication value.")),
        ("f", "The authentication value can be changed on the DUT as documented",
         ex(["1-AuthMech", "2-UserInfo"],
            "On the DUT, follow the change procedure from IXIT 2-UserInfo for each user mechanism in IXIT 1-AuthMech; "
            "confirm the new value works, the old one is refused, and no specialist knowledge is needed.")),
    ]),
    ("5.1-5", "M C(5)", "Brute-force guessing over network interfaces is made impracticable", [
        ("c", "Declared anti-brute-force measures make network guessing impracticable",
         ex(["1-AuthMech"],
            "For every network-reachable mechanism in IXIT 1-AuthMech, assess whether the declared Security Guarantees "
            "(rate limiting, lockout, back-off or sufficient secret entropy) defeat repeated guessing at basic attack potential.")),
        ("f", "Repeated failed network logins are throttled or blocked",
         BRUTE_FORCE),
    ]),

    # --- 5.2 Manage reports of vulnerabilities -------------------------
    ("5.2-1", "M", "A vulnerability disclosure policy is published", [
        ("c", "The declared policy gives a contact point and timelines for acknowledgement and status updates",
         decl("disclosure-policy")),
        ("f", "Vulnerability reporting contact details can be retrieved in machine-readable form (security.txt)",
         {"family": "security-txt", "params": {"path": "/.well-known/security.txt"}}),
    ]),
    ("5.2-2", "R", "Disclosed vulnerabilities are acted on in a timely manner", [
        ("c", "Declared vulnerability handling and its time frames are adequate",
         ex(["3-VulnTypes", "4-Conf"],
            "Using IXIT 3-VulnTypes and the Vulnerability Actions confirmation in IXIT 4-Conf, check that reported "
            "vulnerabilities are triaged and fixed under a defined process with time frames suited to each vulnerability type.")),
    ]),
    ("5.2-3", "R", "Vulnerabilities are monitored, found and fixed for the whole support period", [
        ("c", "Declared vulnerability monitoring covers the product until end of support",
         ex(["5-VulnMon", "4-Conf"],
            "Using IXIT 5-VulnMon and the Vulnerability Monitoring confirmation in IXIT 4-Conf, verify that own and "
            "third-party components are watched for new vulnerabilities continuously until the declared end of support.")),
    ]),

    # --- 5.3 Keep software updated -------------------------------------
    ("5.3-1", "R", "Software components can be updated securely", [
        ("c", "Every software component has a declared secure update path",
         ex(["6-SoftComp", "7-UpdMech"],
            "Check that each component in IXIT 6-SoftComp names an Update Mechanism described in IXIT 7-UpdMech and "
            "that the referenced mechanism claims authenticity and integrity protection for updates.")),
        ("f", "Components declared updateable are updated on the DUT",
         ex(["6-SoftComp", "7-UpdMech"],
            "For a sample of components from IXIT 6-SoftComp, apply an update (or a supplier test update) to the DUT "
            "through the mechanism in IXIT 7-UpdMech and confirm the reported component version changes.")),
    ]),
    ("5.3-2", "M C(5)", "A secure update mechanism is provided", [
        ("c", "The declared update mechanism prevents installation of manipulated software",
         ex(["7-UpdMech"],
            "Using Description and Security Guarantees in IXIT 7-UpdMech, assess whether at least one update "
            "mechanism exists and whether its design stops an attacker installing altered or unauthorised software.")),
        ("f", "The DUT refuses a manipulated update delivered through its mechanism", FW_PUSH),
    ]),
    ("5.3-3", "M C(12)", "Updates are simple for the user to apply", [
        ("c", "Declared update interaction requires little user effort",
         ex(["7-UpdMech"],
            "Using Initiation and Interaction in IXIT 7-UpdMech, judge whether applying an update is simple for the "
            "user, e.g. fully automatic, a single action in the app, or one documented step.")),
    ]),
    ("5.3-4", "R C(12)", "Updates are installed by an automatic mechanism", [
        ("c", "An automatic update mechanism is declared",
         ex(["7-UpdMech"],
            "Look in IXIT 7-UpdMech for at least one mechanism whose Initiation and Interaction says updates are "
            "fetched and installed without the user having to start them.")),
    ]),
    ("5.3-5", "R C(12)", "The device looks for security updates after initialization and then periodically", [
        ("c", "Declared update checks run after initialization and on a regular schedule",
         ex(["7-UpdMech"],
            "Using Initiation and Interaction in IXIT 7-UpdMech, verify that the DUT or its service checks for new "
            "security updates once initialized and afterwards at a stated interval.")),
    ]),
    ("5.3-6", "R C(9,12)", "Automatic updates and update notices are on by default and the user can configure them", [
        ("c", "Declared defaults and user controls for automatic updates and notices are adequate",
         ex(["7-UpdMech"],
            "Using Configuration and User Notification in IXIT 7-UpdMech, check that automatic updates and/or update "
            "notices are enabled by default and that the user can switch them on or off and postpone updates.")),
        ("f", "Default update settings and their controls on the DUT behave as declared",
         ex(["7-UpdMech"],
            "On the DUT in its initialized state, confirm automatic updates or notices are on by default, then "
            "disable, re-enable and postpone them as IXIT 7-UpdMech describes.")),
    ]),
    ("5.3-7", "M C(12)", "The update mechanism uses best-practice cryptography", [
        ("c", "Declared update cryptography is best practice", FW_IMAGE),
    ]),
    ("5.3-8", "M C(12)", "Security updates are delivered in a timely manner", [
        ("c", "Declared update procedures ship security fixes in good time",
         ex(["8-UpdProc", "4-Conf"],
            "Using Description and Time Frame in IXIT 8-UpdProc and the Update Procedures confirmation in IXIT 4-Conf, "
            "judge whether the time from a known vulnerability to a deployed fix suits its severity.")),
    ]),
    ("5.3-9", "R C(12)", "The device itself verifies update authenticity and integrity", [
        ("f", "Verification of updates takes place on the device, judged functionally by pushing "
         "a tampered update (TS 103 701 assesses this conceptually; the declarations are not examined)",
         FW_PUSH),
    ]),
    ("5.3-10", "M C(11,12)", "Updates received over a network are verified through a trust relationship", [
        ("cf", "Network-delivered updates are accepted only from a trusted source and unaltered", FW_PUSH),
    ]),
    ("5.3-11", "R C(12)", "Users are told that a security update is needed and what risk it addresses", [
        ("c", "Declared update notices explain the need and the risk addressed",
         ex(["7-UpdMech"],
            "Check User Notification in IXIT 7-UpdMech: the notice shown to the user should say a security update is "
            "required and summarise the risk it mitigates.")),
    ]),
    ("5.3-12", "R C(12)", "Users are warned when an update will interrupt basic functioning", [
        ("c", "Declared notices warn before a disruptive update",
         ex(["7-UpdMech"],
            "Using User Notification in IXIT 7-UpdMech, verify the user is warned in advance when installing an update "
            "will interrupt basic operation, such as a reboot or a temporary loss of function.")),
    ]),
    ("5.3-13", "M", "The defined support period is published clearly and accessibly", [
        ("c", "A support period end and its publication place are declared",
         decl("support-period")),
        ("f", "The published support period is easy to find and understand",
         ex(["2-UserInfo"],
            "Open the publication named under Publication of Support Period in IXIT 2-UserInfo as a consumer would and "
            "confirm it states this model's support period in plain terms, matching the declared end date.")),
    ]),
    ("5.3-14", "R C(3,4)", "A non-updateable constrained device comes with published rationale, replacement route and support period", [
        ("c", "Declared documentation covers why updates are impossible and how hardware is replaced",
         ex(["2-UserInfo"],
            "Using Publication of Non-Updatable and Documentation of Replacement in IXIT 2-UserInfo, check that the "
            "reason for lacking updates, the replacement method and period, and the support period are all documented.")),
        ("f", "The published non-updateability and replacement information is accessible",
         ex(["2-UserInfo"],
            "Retrieve the documents IXIT 2-UserInfo points to for the non-updatable DUT and confirm the rationale, "
            "replacement method and periods are actually published and understandable.")),
    ]),
    ("5.3-15", "R C(3,4)", "A non-updateable constrained device can be isolated and its hardware replaced", [
        ("c", "Declared isolation and hardware replacement measures are sufficient",
         ex(["9-ReplSup"],
            "Assess Isolation and Hardware Replacement in IXIT 9-ReplSup: the DUT should be separable from the network "
            "while staying safe, and replacement hardware obtainable as described.")),
        ("f", "The DUT can be isolated and replaced as declared",
         ex(["9-ReplSup"],
            "Carry out the isolation steps from IXIT 9-ReplSup on the DUT and confirm it stops communicating on the "
            "network, then walk through the replacement procedure to check it can be followed.")),
    ]),
    ("5.3-16", "M", "The model designation is clearly recognisable", [
        ("c", "Declared model designation is available on a label or an interface",
         ex(["2-UserInfo"],
            "Check that Model Designation in IXIT 2-UserInfo says where the model designation appears (device label or "
            "a user interface) and how the user reads it.")),
        ("f", "The model designation can be read on the DUT",
         ex(["2-UserInfo"],
            "Find the model designation on the DUT's label or interface as IXIT 2-UserInfo describes and confirm it is "
            "legible and matches the model named in the supplier documentation.")),
    ]),

    # --- 5.4 Securely store sensitive security parameters --------------
    ("5.4-1", "M", "Sensitive security parameters in persistent storage are kept securely", [
        ("c", "Declared protection of stored security parameters is adequate",
         ex(["10-SecParam"],
            "For every parameter in IXIT 10-SecParam held in persistent storage, judge whether its Protection Scheme "
            "(encryption, secure element, access control) delivers the claimed Security Guarantees.")),
        ("f", "Stored security parameters cannot be read through accessible interfaces",
         ex(["10-SecParam"],
            "Through the DUT's accessible interfaces and any exported configuration or backup files, look for the "
            "parameters listed in IXIT 10-SecParam in readable form and confirm the declared protection holds.")),
    ]),
    ("5.4-2", "M C(10)", "A hard-coded unique per-device identity used for security resists tampering", [
        ("c", "Declared tamper resistance of hard-coded identities is adequate",
         ex(["10-SecParam"],
            "For each hard-coded unique identity in IXIT 10-SecParam used for security, assess whether its Protection "
            "Scheme prevents modification by physical, electrical or software means.")),
        ("f", "Hard-coded identities cannot be changed through available means",
         ex(["10-SecParam"],
            "Try to alter the identity declared in IXIT 10-SecParam via the DUT's accessible interfaces (configuration, "
            "debug, firmware upload) and confirm it remains unchanged.")),
    ]),
    ("5.4-3", "M", "No hard-coded critical security parameters in device software source code", [
        ("c", "Declared provisioning keeps critical parameters out of the source code",
         ex(["10-SecParam"],
            "Review Provisioning Mechanism for every critical parameter in IXIT 10-SecParam and confirm none is "
            "compiled into the device software.")),
        ("f", "The firmware image holds no hard-coded critical security parameters",
         ex(["10-SecParam"],
            "Obtain the DUT's firmware image (update channel or supplier), search it for keys, passwords and tokens, "
            "and compare findings with the critical parameters declared in IXIT 10-SecParam.")),
    ]),
    ("5.4-4", "M", "Critical parameters for update integrity and service communication are unique per device", [
        ("c", "Declared generation of such parameters is per device and resists class-wide attack",
         ex(["10-SecParam"],
            "For critical parameters in IXIT 10-SecParam used for update integrity and authenticity or for "
            "associated-service communication, confirm the Generation Mechanism makes them unique and unpredictable per device.")),
    ]),

    # --- 5.5 Communicate securely ---------------------------------------
    ("5.5-1", "M", "Communication is secured with best-practice cryptography", [
        ("c", "Declared communication cryptography is best practice",
         ex(["11-ComMech"],
            "For each mechanism in IXIT 11-ComMech, check that Cryptographic Details (protocols, versions, cipher "
            "suites, key sizes) are best practice and support the Security Guarantees claimed.")),
        ("f", "Observed traffic uses the declared secure protocols",
         TLS_RULES),
        ("f", "The device refuses to talk to a cloud with a forged certificate",
         CLOUD_IDENTITY, {"also-covers": ["5.8-1", "5.8-2"], "comment": [
             "Our own case, not a TS 103 701 test case: intrusive (it changes what the lab",
             "cloud presents), and it needs lab.cloud in the profile."]}),
    ]),
    ("5.5-2", "R", "Network and security functions use reviewed or evaluated implementations", [
        ("c", "Declared network and security implementations have been reviewed or evaluated",
         ex(["12-NetSecImpl"],
            "Check that every entry of IXIT 12-NetSecImpl names a Review/Evaluation Method and Report suited to the "
            "component, paying particular attention to cryptographic libraries.")),
        ("f", "Implementations found on the DUT are the reviewed ones declared",
         ex(["12-NetSecImpl"],
            "Identify the network and cryptographic libraries the DUT runs (banners, TLS fingerprints, firmware "
            "strings) and confirm they match the implementations and versions in IXIT 12-NetSecImpl.")),
    ]),
    ("5.5-3", "R", "Cryptographic algorithms and primitives can be updated", [
        ("c", "Declared crypto-agility lets algorithms be replaced by an update",
         ex(["6-SoftComp", "7-UpdMech"],
            "Using Cryptographic Usage in IXIT 6-SoftComp and the mechanisms in IXIT 7-UpdMech, confirm the "
            "algorithms and primitives the DUT relies on can be swapped through a software update.")),
    ]),
    ("5.5-4", "R", "Device functionality is reachable over the network only after authentication", [
        ("c", "Declared services grant network access to functions only after authentication",
         ex(["13-SoftServ"],
            "For every network-reachable service in IXIT 13-SoftServ, verify its Authentication Mechanism requires "
            "authentication in the initialized state, or that any exception is justified.")),
        ("f", "Network services refuse unauthenticated use of device functions",
         MQTT_ANON),
    ]),
    ("5.5-5", "M", "Security-relevant configuration over a network requires authentication", [
        ("c", "Declared configuration services require authentication",
         ex(["13-SoftServ"],
            "For services in IXIT 13-SoftServ marked Allows Configuration, check security-relevant settings change only "
            "after authentication, apart from network protocols the device relies on that cannot be authenticated.")),
        ("f", "Security-relevant settings cannot be changed over the network unauthenticated",
         HTTP_AUTH),
    ]),
    ("5.5-6", "R", "Critical security parameters are encrypted in transit", [
        ("c", "Declared transport protection of critical parameters fits technology, risk and use",
         ex(["10-SecParam", "11-ComMech"],
            "For each critical parameter in IXIT 10-SecParam that leaves the device, check that the mechanism in "
            "IXIT 11-ComMech encrypts it in a way suited to the technology, risk and use.")),
        ("f", "Critical parameters are never seen in clear on the wire",
         {"family": "traffic", "params": {"rule": "no-cleartext-secrets"}}),
    ]),
    ("5.5-7", "M", "Critical parameters sent over remotely accessible interfaces stay confidential", [
        ("c", "Declared confidentiality on remotely accessible interfaces is adequate",
         ex(["10-SecParam", "11-ComMech"],
            "For critical parameters in IXIT 10-SecParam exchanged over remotely accessible interfaces, confirm the "
            "matching mechanism in IXIT 11-ComMech gives confidentiality with best-practice cryptography.")),
        ("f", "Remotely accessible interfaces keep critical parameters confidential in practice",
         TLS_RULES),
    ]),
    ("5.5-8", "M", "Critical security parameters of the device are managed by secure processes", [
        ("c", "Declared management of critical parameters over their life is secure",
         ex(["14-SecMgmt", "4-Conf"],
            "Review IXIT 14-SecMgmt and the Secure Management confirmation in IXIT 4-Conf for how the supplier "
            "generates, provisions, stores, renews and revokes the device's critical security parameters.")),
    ]),

    # --- 5.6 Minimize exposed attack surfaces --------------------------
    ("5.6-1", "M", "Unused network and logical interfaces are disabled", [
        ("c", "Every declared network service has a stated purpose and is in use",
         decl("services")),
        ("f", "The DUT exposes no TCP or UDP service beyond those declared (UDP cannot prove absence)",
         EXPOSURE),
        ("f", "UDP services usable without authentication do not amplify traffic toward third parties",
         AMPLIFICATION, AMPLIFICATION_NOTE),
    ]),
    ("5.6-2", "M", "Unauthenticated disclosure of security-relevant information is kept minimal", [
        ("c", "Declared pre-authentication disclosure is minimal",
         ex(["15-Intf"],
            "Using Disclosed Information in IXIT 15-Intf, judge whether what each interface reveals before "
            "authentication (versions, identifiers, configuration) is limited to what operation needs.")),
        ("f", "Unauthenticated responses reveal no more than declared", DISCLOSURE),
    ]),
    ("5.6-3", "R", "Physical interfaces are not exposed unnecessarily", [
        ("c", "Every declared physical interface is needed",
         ex(["15-Intf"],
            "Check in IXIT 15-Intf that each physical interface has a stated need and that unneeded ones are removed, "
            "disabled or covered.")),
        ("f", "The DUT has no exposed physical interface beyond those declared",
         ex(["15-Intf"],
            "Inspect the enclosure and, where non-invasive, the board of the DUT for reachable connectors and test "
            "pads, and compare them with the physical interfaces declared in IXIT 15-Intf.")),
    ]),
    ("5.6-4", "M C(13)", "A physically accessible debug interface is disabled in software", [
        ("c", "Declared debug interfaces are disabled by software",
         ex(["15-Intf"],
            "For each interface flagged Debug Interface in IXIT 15-Intf, check that its Protection entry states it is "
            "disabled in software in the shipped configuration.")),
        ("f", "Debug interfaces on the DUT give no access",
         ex(["15-Intf"],
            "Connect to each physically accessible debug interface declared in IXIT 15-Intf (e.g. UART, JTAG, SWD) and "
            "confirm it offers no console, memory access or debug control.")),
    ]),
    ("5.6-5", "R", "Only software services needed for intended use are enabled", [
        ("c", "Each declared enabled service is justified by intended use",
         ex(["13-SoftServ"],
            "Review Status and Justification in IXIT 13-SoftServ and confirm every enabled software service is needed "
            "for the device's intended use or operation.")),
    ]),
    ("5.6-6", "R", "Code is minimised to the functionality needed", [
        ("c", "Declared code minimisation measures are adequate",
         ex(["16-CodeMin"],
            "Using IXIT 16-CodeMin, assess whether unused code, libraries and features are kept out of the device "
            "software, e.g. by build-time feature selection and removal of debug code.")),
    ]),
    ("5.6-7", "R", "Software runs with the least privilege it needs", [
        ("c", "Declared privilege separation limits each component to what it needs",
         ex(["17-PrivlCtrl"],
            "Using IXIT 17-PrivlCtrl, check that processes and services run with the least privilege they require and "
            "that the described separation mechanisms are suitable.")),
    ]),
    ("5.6-8", "R", "Hardware-level memory access control is used", [
        ("c", "Declared hardware memory protection is present and applied",
         ex(["18-AccCtrl"],
            "Confirm from IXIT 18-AccCtrl that the platform's hardware memory protection (MMU or MPU, non-executable "
            "regions) is enabled and applied to the device software.")),
    ]),
    ("5.6-9", "R", "Device software is developed under secure development processes", [
        ("c", "Declared development process includes security activities",
         ex(["19-SecDev", "4-Conf"],
            "Review IXIT 19-SecDev and the Secure Development confirmation in IXIT 4-Conf for security activities "
            "throughout development, such as threat modelling, code review, static analysis and security testing.")),
    ]),

    # --- 5.7 Ensure software integrity ---------------------------------
    ("5.7-1", "R", "Device software is verified by secure boot", [
        ("c", "Declared secure boot verifies software before it runs",
         ex(["20-SecBoot"],
            "Using Description and Security Guarantees in IXIT 20-SecBoot, assess whether each boot stage checks the "
            "next against a hardware-rooted trust anchor before executing it.")),
        ("f", "The DUT refuses to boot modified software",
         ex(["20-SecBoot"],
            "Where possible without invasive attack, load a modified boot or firmware image onto the DUT by the means "
            "described in IXIT 20-SecBoot and confirm it is not executed.")),
    ]),
    ("5.7-2", "R", "Unauthorised software changes trigger an alert and restricted connectivity", [
        ("c", "Declared detection and alerting on unauthorised changes is adequate",
         ex(["20-SecBoot"],
            "Check Detection Mechanisms, Notification Functionality and User Notification in IXIT 20-SecBoot: a change "
            "should be detected, the user or administrator alerted, and network use cut back to what alerting needs.")),
        ("f", "Tampering with the DUT's software raises an alert and limits its connections",
         ex(["20-SecBoot"],
            "Trigger the detection declared in IXIT 20-SecBoot (e.g. with a modified image) and observe whether the DUT "
            "alerts the user or administrator and stops connecting beyond what the alert requires.")),
    ]),

    # --- 5.8 Ensure that personal data is secure -----------------------
    ("5.8-1", "R", "Personal data between device and associated services is kept confidential", [
        ("c", "Declared protection of personal data in transit is best practice",
         ex(["21-PersData", "11-ComMech"],
            "For personal data in IXIT 21-PersData sent to associated services, confirm the matching mechanism in "
            "IXIT 11-ComMech protects its confidentiality with best-practice cryptography.")),
        ("f", "Personal data does not travel unencrypted",
         {"family": "traffic", "params": {"rule": "outbound-encrypted"}}),
    ]),
    ("5.8-2", "M", "Sensitive personal data between device and associated services is kept confidential", [
        ("c", "Declared protection of sensitive personal data in transit is adequate",
         ex(["21-PersData", "11-ComMech"],
            "For items marked Sensitive in IXIT 21-PersData, verify the corresponding mechanism in IXIT 11-ComMech gives "
            "confidentiality with cryptography suited to the technology and use.")),
        ("f", "Sensitive personal data is protected on the wire",
         {"family": "traffic", "params": {"rule": "outbound-encrypted"}}),
    ]),
    ("5.8-3", "M", "All external sensing capabilities are documented clearly and accessibly", [
        ("f", "User documentation describes every external sensor of the DUT",
         ex(["22-ExtSens", "2-UserInfo"],
            "Compare the sensors listed in IXIT 22-ExtSens with the DUT's physical features and confirm the "
            "documentation referenced under Sensors in IXIT 2-UserInfo describes each one clearly and accessibly.")),
    ]),

    # --- 5.9 Make systems resilient to outages -------------------------
    ("5.9-1", "R", "Resilience against data-network and power outages is built in", [
        ("c", "Declared resilience covers network and power outages",
         ex(["23-ResMech"],
            "Using Description and Type in IXIT 23-ResMech, check that the DUT and its services are designed to cope "
            "with loss of data network and power in proportion to the device's use.")),
        ("f", "The DUT survives simulated outages as declared",
         ex(["23-ResMech"],
            "Interrupt the DUT's network connection and its power in turn and observe whether it behaves as "
            "IXIT 23-ResMech describes, without corrupting state or failing unsafe.")),
    ]),
    ("5.9-2", "R", "Local functions continue without network and the device recovers cleanly after power loss", [
        ("c", "Declared behaviour on network loss and power return is adequate",
         ex(["23-ResMech"],
            "Check in IXIT 23-ResMech that the DUT keeps its local functions when the network is lost and comes back "
            "to a clean working state after power is restored.")),
        ("f", "Local functions work offline and the DUT restarts cleanly",
         ex(["23-ResMech"],
            "Disconnect the DUT from the upstream network and exercise its local functions, then cut and restore power "
            "and verify it resumes configuration and operation as IXIT 23-ResMech states.")),
    ]),
    ("5.9-3", "R", "Connecting and reconnecting to networks is orderly and stable", [
        ("c", "Declared reconnection behaviour is expected, stable and orderly",
         ex(["23-ResMech", "11-ComMech"],
            "Review IXIT 23-ResMech and Resilience Measures in IXIT 11-ComMech for how the DUT reconnects, e.g. "
            "back-off with jitter rather than immediate retries that could overload infrastructure.")),
        ("f", "The DUT keeps its local services through an uplink outage and reconnects without flooding",
         OUTAGE, {"also-covers": ["5.9-1", "5.9-2"], "comment": [
             "Intrusive: the harness cuts lab.uplink (never lab.interface) for outage-s and",
             "restores it; power outages (5.9-1, 5.9-2) stay with the examiner."]}),
    ]),

    # --- 5.10 Examine system telemetry data ----------------------------
    ("5.10-1", "R C(6)", "Collected telemetry is examined for security anomalies", [
        ("c", "Declared telemetry analysis looks for security anomalies",
         ex(["24-TelData"],
            "Using Security Examination in IXIT 24-TelData, confirm the supplier analyses collected telemetry for "
            "security anomalies and describes what it looks for.")),
    ]),

    # --- 5.11 Make it easy for users to delete user data ---------------
    ("5.11-1", "M", "User data on the device can be erased with a simple function", [
        ("c", "Declared erase function removes user data from the device",
         ex(["25-DelFunc"],
            "Using Target Type and Initiation and Interaction in IXIT 25-DelFunc, confirm a simple user-triggered "
            "function (e.g. factory reset) erases the user data held on the device.")),
        ("f", "Erasing user data on the DUT actually removes it",
         ex(["25-DelFunc"],
            "Fill the DUT with user data (accounts, settings, network credentials), run the erase function from "
            "IXIT 25-DelFunc and verify through the DUT's interfaces that the data is gone.")),
    ]),
    ("5.11-2", "R", "Personal data held by associated services can be removed easily from the device side", [
        ("c", "Declared function removes personal data from associated services",
         ex(["25-DelFunc"],
            "Check IXIT 25-DelFunc for a function that lets the user remove personal data held by associated services "
            "with little effort, and note which data it covers.")),
        ("f", "Removing personal data from associated services works as declared",
         ex(["25-DelFunc"],
            "Invoke the service-side deletion described in IXIT 25-DelFunc with a test account and confirm, via the app "
            "or service, that the personal data is no longer available.")),
    ]),
    ("5.11-3", "R", "Users get clear instructions on deleting their personal data", [
        ("f", "Documentation explains clearly how to delete personal data",
         ex(["2-UserInfo", "25-DelFunc"],
            "Follow the deletion instructions referenced in IXIT 2-UserInfo as a consumer would and confirm they are "
            "clear and cover every deletion function listed in IXIT 25-DelFunc.")),
    ]),
    ("5.11-4", "R", "Users get clear confirmation that personal data was deleted", [
        ("f", "The DUT or its service confirms deletion to the user",
         ex(["25-DelFunc"],
            "Run each deletion function in IXIT 25-DelFunc and check the user receives a clear confirmation, as "
            "described under its Confirmation field.")),
    ]),

    # --- 5.12 Make installation and maintenance easy -------------------
    ("5.12-1", "R", "Installation and maintenance need few user decisions and follow usability good practice", [
        ("c", "Declared user decisions in setup and maintenance are few and well designed",
         ex(["26-UserDec"],
            "Review IXIT 26-UserDec (Description, Triggered By, Options) and judge whether security-relevant decisions "
            "asked of the user are few, well presented and secure by default.")),
        ("f", "Setting up and maintaining the DUT involves only the declared decisions",
         ex(["26-UserDec"],
            "Install the DUT and carry out routine maintenance as a user would, recording every decision presented and "
            "comparing the list with IXIT 26-UserDec.")),
    ]),
    ("5.12-2", "R", "Guidance on setting the device up securely is provided", [
        ("f", "Secure-setup guidance can be followed on the DUT",
         ex(["2-UserInfo"],
            "Set up the DUT following the guidance referenced under Secure Setup in IXIT 2-UserInfo and confirm it is "
            "understandable and leads to a securely configured device.")),
    ]),
    ("5.12-3", "R", "Guidance on checking that the device is set up securely is provided", [
        ("f", "The DUT's setup can be checked with the provided guidance",
         ex(["2-UserInfo"],
            "Use the guidance referenced under Setup Check in IXIT 2-UserInfo to review the DUT's configuration and "
            "confirm it reveals a deliberately weakened setting.")),
    ]),

    # --- 5.13 Validate input data --------------------------------------
    ("5.13-1", "M", "Data input via user interfaces, APIs and between networks is validated", [
        ("c", "Declared input validation covers every user interface and API",
         ex(["27-UserIntf", "28-ExtAPI", "29-InpVal"],
            "Check IXIT 29-InpVal against the interfaces in IXIT 27-UserIntf and IXIT 28-ExtAPI: every input path needs "
            "a stated validation approach (type, length, range, format).")),
        ("f", "Malformed input to the network services does not stop them", ROBUSTNESS),
    ]),

    # --- 6 Data protection ----------------------------------------------
    ("6-1", "M", "Consumers are told what personal data is processed, by whom and for what purpose", [
        ("c", "Declared consumer information on personal data processing is complete",
         ex(["21-PersData", "2-UserInfo"],
            "Compare Personal Data and Processing Activities in IXIT 21-PersData with the consumer information under "
            "Personal Data in IXIT 2-UserInfo: each item, its use, the parties involved (third parties too) and purposes.")),
        ("f", "Consumer information on personal data is accessible and matches the DUT",
         ex(["21-PersData", "2-UserInfo"],
            "Find the information referenced in IXIT 2-UserInfo via the DUT, app or packaging as a consumer would and "
            "check it is clear and consistent with IXIT 21-PersData and the data the DUT is seen to send.")),
    ]),
    ("6-2", "M C(7)", "Valid consent is obtained where processing relies on consent", [
        ("c", "Declared collection of consent is valid",
         ex(["21-PersData"],
            "Using Obtaining Consent in IXIT 21-PersData, assess whether consent for each consent-based processing "
            "activity is requested explicitly, specifically and in an informed way before processing starts.")),
        ("f", "The DUT asks for consent before consent-based processing starts",
         ex(["21-PersData"],
            "During setup and use of the DUT, observe that consent is requested as IXIT 21-PersData describes and that "
            "no such processing (e.g. traffic to the related service) happens before it is given.")),
    ]),
    ("6-3", "M", "Consent given can be withdrawn at any time", [
        ("c", "Declared consent withdrawal is available at any time",
         ex(["21-PersData"],
            "Check Withdrawing Consent in IXIT 21-PersData for a way to withdraw each consent, usable at any time and "
            "no harder than giving it.")),
        ("f", "Withdrawing consent on the DUT stops the related processing",
         ex(["21-PersData"],
            "Withdraw a previously given consent by the means in IXIT 21-PersData and confirm the setting takes effect "
            "and the associated processing stops.")),
    ]),
    ("6-4", "R C(6)", "Personal data in telemetry is kept to the minimum needed", [
        ("c", "Declared telemetry carries only the personal data its purpose needs",
         ex(["24-TelData", "21-PersData"],
            "Using IXIT 24-TelData and IXIT 21-PersData, check that any personal data included in telemetry is limited "
            "to what the stated purpose requires.")),
    ]),
    ("6-5", "M C(6)", "Consumers are told what telemetry is collected, how, by whom and why", [
        ("c", "Declared consumer information on telemetry is complete",
         ex(["24-TelData", "2-UserInfo"],
            "Compare IXIT 24-TelData with the consumer information under Telemetry Data in IXIT 2-UserInfo and confirm "
            "it says what is collected, how and by whom it is used, and for which purposes.")),
        ("f", "Telemetry observed from the DUT matches what consumers are told",
         ex(["24-TelData", "2-UserInfo"],
            "Capture the DUT's telemetry traffic and compare destinations, volume and any visible content with "
            "IXIT 24-TelData and the telemetry information published per IXIT 2-UserInfo.")),
    ]),
]

KIND_NAMES = {"c": "conceptual", "f": "functional", "cf": "conceptual-functional"}

# ---------------------------------------------------------------------------
# The check families, as the C registry describes them (`trustbench list --json`)
# ---------------------------------------------------------------------------


def load_registry(binary):
    """{family name: {param name: param dict}} from `binary list --json`."""
    try:
        out = subprocess.run([binary, "list", "--json"], check=True, stdout=subprocess.PIPE).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit("gen-etsi-suite.py: cannot run %s list --json (%s); build it first "
                 "(make build/trustbench) or name it with --trustbench" % (binary, e))
    reg = json.loads(out.decode("utf-8"))
    return {f["name"]: {p["name"]: p for p in f["params"]} for f in reg["families"]}


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def value_ok(p, v):
    """Would the suite loader accept v for the parameter p (type, range, choices)?"""
    item_ok = {
        "string": lambda x: isinstance(x, str) and ("choices" not in p or x in p["choices"]),
        "integer": lambda x: is_int(x) and p["min"] <= x <= p["max"],
        "boolean": lambda x: isinstance(x, bool),
    }
    t = p["type"]
    if t.endswith("-list"):
        return isinstance(v, list) and all(item_ok[t[:-5]](x) for x in v)
    return item_ok[t](v)


def check_params(case_id, check, registry):
    fam, params = check["family"], check["params"]
    assert fam in registry, (case_id, fam)
    for k, v in params.items():
        assert k in registry[fam], (case_id, fam, k)
        assert value_ok(registry[fam][k], v), (case_id, k, v)
    for k, p in registry[fam].items():
        assert not p["required"] or k in params, (case_id, "needs", k)

# ---------------------------------------------------------------------------
# Derived data
# ---------------------------------------------------------------------------

STATUS_RE = re.compile(r"^(M|R)( C\((\d+(?:,\d+)*)\))?$")
PROVISION_RE = re.compile(r"^(4-1|5\.(\d+)-\d+|6-\d+)$")


def applies_when(status):
    m = STATUS_RE.match(status)
    assert m, status
    if not m.group(3):
        return []
    out = []
    for n in m.group(3).split(","):
        name, value = CONDITION_FEATURE[int(n)]
        assert name not in [k for k, _ in out], status
        out.append((name, value))
    return out


def build():
    groups = []
    for pid, status, title, cases in GROUPS:
        cond = applies_when(status)
        out_cases = []
        for n, case in enumerate(cases, 1):
            kind, ctitle, check = case[:3]
            extra = case[3] if len(case) > 3 else {}
            covers = [("en-303-645", [pid] + extra.get("also-covers", []))]
            out_cases.append({
                "id": "%s-%d" % (pid, n),
                "kind": KIND_NAMES[kind],
                "title": ctitle,
                "covers": covers,
                "applies-when": cond,
                "check": check,
                "comment": extra.get("comment", []),
            })
        groups.append({"provision": pid, "status": status, "title": title, "cases": out_cases})
    return groups


# ---------------------------------------------------------------------------
# Self-check
# ---------------------------------------------------------------------------


def self_check(groups, registry):
    ids = [g["provision"] for g in groups]
    assert len(groups) == 68, len(groups)
    assert ids == V211_PROVISIONS, "provision list/order differs from EN 303 645 V2.1.1"
    assert len(set(ids)) == len(ids)

    cases = [c for g in groups for c in g["cases"]]
    kinds = [c["kind"] for c in cases]
    assert len(cases) == 111, len(cases)
    # TS 103 701 V1.1.1: 62 conceptual, 46 functional, 1 both; plus our
    # amplification and forged-cloud cases, and 5.3-9-1 run functionally in place of conceptually.
    assert kinds.count("conceptual") == 62 - len(FUNCTIONAL_IN_PLACE_OF_CONCEPTUAL), kinds.count("conceptual")
    assert kinds.count("functional") == 48 + len(FUNCTIONAL_IN_PLACE_OF_CONCEPTUAL), kinds.count("functional")
    assert kinds.count("conceptual-functional") == 1
    case_ids = [c["id"] for c in cases]
    assert len(set(case_ids)) == len(case_ids), "duplicate case id"

    statuses = [g["status"] for g in groups]
    assert sum(1 for s in statuses if s.startswith("M")) == 33
    assert sum(1 for s in statuses if s.startswith("R")) == 35
    st = dict(zip(ids, statuses))
    assert st["4-1"] == "M" and st["5.3-10"] == "M C(11,12)"

    guidances = []
    for g in groups:
        pid = g["provision"]
        assert PROVISION_RE.match(pid), pid
        assert STATUS_RE.match(g["status"]), g["status"]
        gk = [c["kind"] for c in g["cases"]]
        if pid in FUNCTIONAL_IN_PLACE_OF_CONCEPTUAL:
            assert pid in CONCEPTUAL_ONLY and gk == ["functional"], pid
            assert all("conceptually" in c["title"] for c in g["cases"]), pid
        elif pid in CONCEPTUAL_ONLY:
            assert gk == ["conceptual"], pid
        elif pid in FUNCTIONAL_ONLY:
            assert gk == ["functional"], pid
        elif pid in MIXED:
            assert gk == ["conceptual-functional"], pid
        elif pid in EXTRA_FUNCTIONAL:
            # TS 103 701's pair, then our own extra functional cases.
            assert gk == ["conceptual", "functional"] + ["functional"] * EXTRA_FUNCTIONAL[pid], pid
        else:
            assert gk == ["conceptual", "functional"], pid
        for c in g["cases"]:
            assert c["id"].startswith(pid + "-")
            fam = c["check"]["family"]
            params = c["check"]["params"]
            check_params(c["id"], c["check"], registry)
            if fam == "examiner":
                gd = params["guidance"]
                assert "IXIT" in gd, c["id"]
                assert len(gd) <= 300, (c["id"], len(gd))
                guidances.append(gd)
                for x in params["ixit"]:
                    assert re.match(r"^\d{1,2}-[A-Za-z]+$", x), x
                    assert x in gd, (c["id"], x)
    assert len(set(guidances)) == len(guidances), "duplicate guidance"
    titles = [c["title"] for c in cases]
    assert len(set(titles)) == len(titles), "duplicate case title"

    automated = {c["id"]: c["check"]["family"] for c in cases if c["check"]["family"] != "examiner"}
    assert automated == {
        "4-1-1": "declarations", "5.1-1-1": "declarations", "5.1-1-2": "default-credentials",
        "5.1-2-2": "default-credentials", "5.1-5-2": "brute-force", "5.2-1-1": "declarations", "5.2-1-2": "security-txt",
        "5.3-13-1": "declarations", "5.6-1-1": "declarations", "5.6-1-2": "exposure",
        "5.6-1-3": "amplification", "5.6-2-2": "disclosure",
        "5.1-3-2": "ssh", "5.5-1-2": "tls", "5.5-4-2": "mqtt", "5.5-5-2": "http-auth",
        "5.5-7-2": "tls",
        "5.5-6-2": "traffic", "5.8-1-2": "traffic", "5.8-2-2": "traffic",
        "5.3-2-2": "firmware-update-push", "5.3-7-1": "firmware-image",
        "5.3-9-1": "firmware-update-push", "5.3-10-1": "firmware-update-push",
        "5.13-1-2": "robustness", "5.5-1-3": "cloud-identity", "5.9-3-2": "outage",
    }, automated
    return {
        "groups": len(groups), "cases": len(cases),
        "conceptual": kinds.count("conceptual"), "functional": kinds.count("functional"),
        "conceptual-functional": kinds.count("conceptual-functional"),
    }


# ---------------------------------------------------------------------------
# Emitter: a fixed, small YAML subset. Every string is double-quoted.
# ---------------------------------------------------------------------------


def q(s):
    assert isinstance(s, str)
    assert s.isascii(), "non-ASCII text: %r" % s
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif o < 0x20 or o == 0x7F:
            out.append("\\x%02X" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return q(v)


def flow_list(vals):
    return "[" + ", ".join(scalar(v) for v in vals) + "]"


HEADER = """\
# ETSI EN 303 645 V2.1.1 conformance suite for trustbench.
#
# GENERATED by harness/tools/gen-etsi-suite.py -- do not edit by hand; change
# the tables in the generator and re-run it.
#
# One group per provision of EN 303 645 V2.1.1 (status from its Table B.1) and
# one case per test case of ETSI TS 103 701 V1.1.1 (-1 conceptual, -2
# functional, 5.3-10-1 both). Titles and guidance are our own paraphrases,
# not the standards' text. 5.6-1-3 (amplification) and 5.5-1-3 (a forged
# cloud) are our own additions, not TS 103 701 test cases.
#
# covers names only EN 303 645 provisions.  The UK CoP, PSTI and OTA items
# come from the crosswalk files named under suite.crosswalks (relative to this
# file), where every mapping says who vouches for it: legislated, published
# (with its source) or derived (ours, with a rationale).
#
# 5.3-9-1 is conceptual in TS 103 701 but is run here as a functional check
# (a tampered update is pushed); its kind and title say so.
#
# applies-when lists profile features (from the Table B.1 conditions) that
# must all hold for the case to apply.
#
# check.family "examiner" means no automated check exists: the report shows
# the case as awaiting an examiner, with the guidance below.
"""


def emit(groups, suite=None, header=None, crosswalks=None):
    """The suite as YAML text; the V3 generator passes its own suite fields,
    header and (no) crosswalks."""
    suite = SUITE if suite is None else suite
    crosswalks = CROSSWALKS if crosswalks is None else crosswalks
    L = [HEADER if header is None else header, "suite:"]
    for k in ("id", "title", "version", "standard", "method"):
        L.append("  %s: %s" % (k, q(suite[k])))
    if crosswalks:
        L.append("  crosswalks:")
        for path in crosswalks:
            L.append("    - %s" % q(path))
    L.append("")
    L.append("groups:")
    section = None
    for g in groups:
        pid = g["provision"]
        sec = pid.split("-")[0]
        if sec != section:
            section = sec
            L.append("")
            L.append("  # ---- clause %s" % sec)
        L.append("  - provision: %s" % q(pid))
        L.append("    status: %s" % q(g["status"]))
        L.append("    title: %s" % q(g["title"]))
        L.append("    cases:")
        for c in g["cases"]:
            for line in c["comment"]:
                assert line.isascii() and "\n" not in line
                L.append("      # %s" % line)
            L.append("      - id: %s" % q(c["id"]))
            L.append("        kind: %s" % q(c["kind"]))
            L.append("        title: %s" % q(c["title"]))
            L.append("        covers:")
            for key, vals in c["covers"]:
                L.append("          %s: %s" % (key, flow_list(vals)))
            if c["applies-when"]:
                L.append("        applies-when:")
                for name, value in c["applies-when"]:
                    L.append("          %s: %s" % (name, scalar(value)))
            L.append("        check:")
            L.append("          family: %s" % q(c["check"]["family"]))
            L.append("          params:")
            for k, v in c["check"]["params"].items():
                if isinstance(v, list):
                    L.append("            %s: %s" % (k, flow_list(v)))
                else:
                    L.append("            %s: %s" % (k, scalar(v)))
    L.append("")
    return "\n".join(L)


def run(script, doc, build_groups, check_groups, emit_groups, output_rel):
    """The command line both generators share: build, self-check against the
    binary's families, then write (or --check) the suite."""
    if not __debug__:
        sys.exit("%s: the self-check uses assert; do not run with python -O" % script)
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("-o", "--output", help='output path ("-" for stdout)')
    ap.add_argument("--check", action="store_true", help="compare with the file on disk instead of writing")
    ap.add_argument("--trustbench", help="the trustbench binary whose `list --json` describes the families")
    args = ap.parse_args()

    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    binary = args.trustbench or os.environ.get("TRUSTBENCH") or os.path.join(repo, "build", "trustbench")
    groups = build_groups()
    counts = check_groups(groups, load_registry(binary))
    text = emit_groups(groups)

    path = args.output or os.path.join(repo, output_rel)
    if args.check:
        try:
            with open(path, "r", encoding="utf-8", newline="") as f:
                same = f.read() == text
        except OSError:
            same = False
        if not same:
            print("%s is out of date; re-run %s" % (path, sys.argv[0]), file=sys.stderr)
            return 1
        return 0
    if path == "-":
        sys.stdout.write(text)
    else:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print("wrote %s: %d groups, %d cases (%d conceptual, %d functional, %d conceptual-functional)" % (
            path, counts["groups"], counts["cases"], counts["conceptual"], counts["functional"],
            counts["conceptual-functional"]), file=sys.stderr)
    return 0


def main():
    return run("gen-etsi-suite.py", __doc__, build, self_check, emit, OUTPUT_REL)


if __name__ == "__main__":
    sys.exit(main())
