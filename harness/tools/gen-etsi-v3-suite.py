#!/usr/bin/env python3
"""Generate testsuites/etsi-en-303-645-v3.yaml.

The suite has one group per provision of ETSI EN 303 645 V3.1.3 (its Table
B.1: 78 provisions, the void ones left out) with V3's splits (5.3-4A/B,
5.3-6A/B, 5.3-15A/B, 5.6-4A/B, 5.13-1A/B, 6-3A/B), its renumbering (4-1 ->
5.0-1) and its new provisions (5.1-2A, 6-6, 6-7, 6-8).  Test cases follow
ETSI TS 103 701 where we know its structure: a -1 conceptual and a -2
functional case per group, split groups named after the provision (e.g.
5.13-1A-1, 5.13-1A-2), as TS 103 701 V2.1.1 does; where its V2.1.1 text
was not available to us, unchanged provisions keep the V1.1.1 case layout.

A provision whose test is the same as in V2.1.1 reuses the V2.1.1 suite's
case (title, check family and parameters, examiner guidance) from
harness/tools/gen-etsi-suite.py, imported read-only: the same device gets
the same test under both editions.  Everything V3 changed is written here,
in our own words.  No standard text is copied; keep it that way.

`covers` names only en-303-645 (with V3's numbers).  Mappings to other
frameworks belong in testsuites/crosswalks/, not here.

Usage:
    gen-etsi-v3-suite.py                 write the suite next to this repo's testsuites/
    gen-etsi-v3-suite.py -o PATH         write to PATH ("-" for stdout)
    gen-etsi-v3-suite.py --check         exit 1 if the file on disk differs from the output
    gen-etsi-v3-suite.py --trustbench B  the binary whose `list --json` describes the
                                         check families (default: $TRUSTBENCH, else
                                         build/trustbench in this repo)

Standard library only; the output is deterministic (same input, same bytes).
"""

import copy
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def load_v2():
    """The V2.1.1 generator as a module (its main() is not run)."""
    spec = importlib.util.spec_from_file_location("gen_etsi_v2", os.path.join(HERE, "gen-etsi-suite.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


V2 = load_v2()
ex, decl = V2.ex, V2.decl

SUITE = {
    "id": "etsi-en-303-645-v3",
    "title": "Consumer IoT security baseline (ETSI EN 303 645 V3.1.3) assessed per ETSI TS 103 701 V2.1.1",
    "version": "1.0.0",
    "standard": "ETSI EN 303 645 V3.1.3",
    "method": "ETSI TS 103 701 V2.1.1",
}

OUTPUT_REL = os.path.join("testsuites", "etsi-en-303-645-v3.yaml")

# ---------------------------------------------------------------------------
# Applicability.  V3's Table B.1 statuses have conditions (numbers) and
# features (letters); the suite keeps them as written ("M C(14) F(e)").
# Only those with a profile feature of the same meaning become applies-when;
# the others (e.g. condition 14, "no use-case resource limit stops an
# anti-brute-force measure") are left to the ICS, where the supplier may
# declare the provision not applicable with a justification.
# ---------------------------------------------------------------------------

CONDITION_FEATURE = {
    3: ("software-not-updatable", True),
    12: ("update-mechanism", True),
}
LETTER_FEATURE = {
    "a": ("passwords-used", True),
    "b": ("preinstalled-passwords", True),
    "d": ("user-authentication", True),
    "g": ("update-mechanism", True),
    "j": ("network-updates", True),
    "l": ("per-device-identity", True),
    "w": ("telemetry", True),
    "y": ("consent-based-processing", True),
}

STATUS_RE = re.compile(r"^(M|R)(?: C\((\d+(?:,\d+)*)\))?(?: F\(([a-z]{1,2}(?:,[a-z]{1,2})*)\))?$")
PROVISION_RE = re.compile(r"^(5\.0-1|5\.(\d+)-\d+[AB]?|6-\d+[AB]?)$")

# ---------------------------------------------------------------------------
# Groups.  Each entry is (provision, status, title, cases) where cases is
#   ("v2", "<V2.1.1 provision>")  reuse that provision's V2.1.1 cases as they
#                                 are (the title of the group is ours here), or
#   a list of (kind, title, check[, extra]) as in gen-etsi-suite.py.
# ---------------------------------------------------------------------------

FW_PUSH_NOTE = {
    "comment": ["Our addition, not a TS 103 701 test case: the device's own verification of",
                "updates observed by pushing tampered, unsigned and older images."],
}


def same_as_v2(pid):
    return ("v2", pid)


GROUPS = [
    # --- 5.0 Reporting implementation (V2.1.1: 4-1) ----------------------
    ("5.0-1", "M", "Record a justification for each recommendation treated as not applicable or not met",
     same_as_v2("4-1")),

    # --- 5.1 No universal default passwords ------------------------------
    ("5.1-1", "M F(a)", "Passwords for users or machines, once out of factory default, are unique per device or user-set",
     same_as_v2("5.1-1")),
    ("5.1-2", "M F(b)", "Pre-installed unique passwords are generated so a device class cannot be guessed automatically",
     same_as_v2("5.1-2")),
    ("5.1-2A", "R", "Machine-to-machine authentication does not rely on passwords", [
        ("c", "Declared machine-to-machine authentication uses no password",
         ex(["1-AuthMech"],
            "For every machine-to-machine mechanism in IXIT 1-AuthMech, check that its Authentication Factor is "
            "not a password (e.g. a certificate, a device key or a token bound to the device).")),
        ("f", "Device-to-service logins seen from the DUT carry no password",
         ex(["1-AuthMech", "11-ComMech"],
            "Observe the DUT authenticating to its associated services (capture, service logs) and confirm no "
            "password is used where IXIT 1-AuthMech and IXIT 11-ComMech declare machine-to-machine authentication.")),
    ]),
    ("5.1-3", "M F(c)", "Authentication mechanisms, machine-to-machine ones included, rely on best-practice cryptography",
     same_as_v2("5.1-3")),
    ("5.1-4", "M F(d)", "Users have a simple way to change the authentication value", same_as_v2("5.1-4")),
    ("5.1-5", "M C(14) F(e)", "Brute-force guessing over network interfaces is made impracticable unless the use case leaves no resources for it",
     same_as_v2("5.1-5")),

    # --- 5.2 Manage reports of vulnerabilities ---------------------------
    ("5.2-1", "M", "A vulnerability disclosure policy is published", same_as_v2("5.2-1")),
    ("5.2-2", "R", "Disclosed vulnerabilities are acted on in a timely manner", same_as_v2("5.2-2")),
    ("5.2-3", "R", "Vulnerabilities are monitored, found and fixed for the whole support period", same_as_v2("5.2-3")),

    # --- 5.3 Keep software updated -----------------------------------------
    ("5.3-1", "R F(f)", "Every software component not kept immutable for security reasons can be updated securely",
     same_as_v2("5.3-1")),
    ("5.3-2", "M C(15)", "A secure update mechanism is provided unless the use case leaves no resources for one",
     same_as_v2("5.3-2")),
    ("5.3-3", "M F(g)", "Updates are simple for the user to apply", same_as_v2("5.3-3")),
    ("5.3-4A", "R F(g)", "At least one secure update mechanism can be set to run automatically", [
        ("c", "A secure update mechanism that can be configured as automatic is declared",
         ex(["7-UpdMech"],
            "Look in IXIT 7-UpdMech for a secure update mechanism whose Configuration lets updates be fetched and "
            "installed automatically, and note how that setting is reached.")),
    ]),
    ("5.3-4B", "R F(h)", "Automatic security updates are switched on during initialization once the user agrees", [
        ("c", "Declared initialization offers automatic security updates and enables them on consent",
         ex(["7-UpdMech", "26-UserDec"],
            "Using Initiation and Interaction in IXIT 7-UpdMech and the setup decisions in IXIT 26-UserDec, check that "
            "the user is asked during initialization and that consent turns automatic security updates on.")),
    ]),
    ("5.3-5", "R F(g)", "The device or its service looks for security updates after initialization and then periodically",
     same_as_v2("5.3-5")),
    ("5.3-6A", "R F(h)", "The user can switch automatic updates on and off and postpone their installation", [
        ("c", "Declared controls let the user enable, disable and postpone automatic updates",
         ex(["7-UpdMech"],
            "Check Configuration in IXIT 7-UpdMech for user controls that enable and disable automatic updates and "
            "that postpone an update's installation.")),
        ("f", "Automatic update controls on the DUT work as declared",
         ex(["7-UpdMech"],
            "On the initialized DUT, disable and re-enable automatic updates and postpone a pending one as "
            "IXIT 7-UpdMech describes, and confirm each setting takes effect.")),
    ]),
    ("5.3-6B", "R F(i)", "The user can switch update notifications on and off", [
        ("c", "Declared controls let the user enable and disable update notifications",
         ex(["7-UpdMech"],
            "Check User Notification and Configuration in IXIT 7-UpdMech for a user control that turns update "
            "notifications on and off.")),
        ("f", "Update notification controls on the DUT work as declared",
         ex(["7-UpdMech"],
            "On the DUT, turn update notifications off and on again via the control named in IXIT 7-UpdMech and "
            "confirm notices stop and resume accordingly.")),
    ]),
    ("5.3-7", "M F(g)", "The update mechanism uses best-practice cryptography", same_as_v2("5.3-7")),
    ("5.3-8", "M C(12)", "Security updates are delivered in a timely manner", same_as_v2("5.3-8")),
    ("5.3-9", "R F(g)", "The device itself verifies update authenticity and integrity", [
        ("c", "Declared update verification takes place on the device",
         ex(["7-UpdMech"],
            "Using Security Guarantees and Cryptographic Details in IXIT 7-UpdMech, check that the DUT itself, not "
            "only a server or an app, checks each update's authenticity and integrity before installing it.")),
        ("f", "The DUT itself refuses tampered, unsigned and older updates pushed to it", V2.FW_PUSH, FW_PUSH_NOTE),
    ]),
    ("5.3-10", "M F(j)", "Updates received over a network are verified through a trust relationship",
     same_as_v2("5.3-10")),
    ("5.3-11", "R C(12)", "Users are told that a security update is needed and what risk it addresses",
     same_as_v2("5.3-11")),
    ("5.3-12", "R C(12)", "Users are warned when an update will interrupt basic functioning", same_as_v2("5.3-12")),
    ("5.3-13", "M", "The defined support period is published clearly and accessibly", same_as_v2("5.3-13")),
    # V3 drops the support period from 5.3-14 (5.3-13 covers it): our own cases.
    ("5.3-14", "R C(3)", "A device that cannot be updated comes with a published rationale and a hardware replacement route", [
        ("c", "Declared documentation says why the device cannot be updated and how its hardware is replaced",
         ex(["2-UserInfo"],
            "Using Publication of Non-Updatable and Documentation of Replacement in IXIT 2-UserInfo, check that the "
            "reason the DUT takes no updates and the period and method of hardware replacement are documented.")),
        ("f", "The published rationale and replacement route for the non-updatable DUT can be found",
         ex(["2-UserInfo"],
            "Open the publications IXIT 2-UserInfo names for the non-updatable DUT as a consumer would and confirm "
            "the rationale and the replacement period and method are there and understandable.")),
    ]),
    ("5.3-15A", "R C(3)", "A device that cannot be updated can be isolated", [
        ("c", "Declared isolation of the non-updatable device is sufficient",
         ex(["9-ReplSup"],
            "Assess Isolation in IXIT 9-ReplSup: the non-updatable DUT should be separable from the network "
            "without becoming unsafe.")),
        ("f", "The non-updatable DUT can be isolated as declared",
         ex(["9-ReplSup"],
            "Follow the isolation steps of IXIT 9-ReplSup on the DUT and confirm it no longer communicates on the network.")),
    ]),
    ("5.3-15B", "R C(3)", "The hardware of a device that cannot be updated can be replaced", [
        ("c", "Declared hardware replacement for the non-updatable device is sufficient",
         ex(["9-ReplSup"],
            "Assess Hardware Replacement in IXIT 9-ReplSup: replacement hardware should be obtainable as described "
            "and the route should be clear to the user.")),
        ("f", "The hardware replacement route for the DUT can be followed",
         ex(["9-ReplSup"],
            "Walk through the replacement procedure IXIT 9-ReplSup describes for the DUT and confirm each step can be carried out.")),
    ]),
    ("5.3-16", "M", "The model designation is clearly recognisable", same_as_v2("5.3-16")),

    # --- 5.4 Securely store sensitive security parameters ---------------
    ("5.4-1", "M F(k)", "Sensitive security parameters in persistent storage are kept securely", same_as_v2("5.4-1")),
    ("5.4-2", "M F(l)", "A hard-coded unique per-device identity used for security resists tampering",
     same_as_v2("5.4-2")),
    ("5.4-3", "M", "No hard-coded critical security parameters in device software source code", same_as_v2("5.4-3")),
    ("5.4-4", "M F(m)", "Critical security parameters for updates and service communication are unique per device",
     same_as_v2("5.4-4")),

    # --- 5.5 Communicate securely ------------------------------------------
    ("5.5-1", "M", "Communication uses best-practice cryptography", same_as_v2("5.5-1")),
    ("5.5-2", "R", "Network and security functions use reviewed or evaluated implementations", same_as_v2("5.5-2")),
    ("5.5-3", "R", "Cryptographic algorithms and primitives can be updated", same_as_v2("5.5-3")),
    ("5.5-4", "R", "Device functionality is reachable over the network only after authentication", same_as_v2("5.5-4")),
    ("5.5-5", "M F(n)", "Security-relevant settings change over the network only after authentication",
     same_as_v2("5.5-5")),
    ("5.5-6", "R F(o)", "Critical security parameters are encrypted in transit", same_as_v2("5.5-6")),
    ("5.5-7", "M F(o)", "Critical security parameters sent over remotely reachable interfaces stay confidential",
     same_as_v2("5.5-7")),
    ("5.5-8", "M C(16)", "Critical security parameters of the device are managed securely over their whole lifecycle",
     same_as_v2("5.5-8")),

    # --- 5.6 Minimize exposed attack surfaces --------------------------
    ("5.6-1", "M F(p)", "Unused network and logical interfaces are disabled", same_as_v2("5.6-1")),
    ("5.6-2", "M", "Little security-relevant information is disclosed without authentication", same_as_v2("5.6-2")),
    ("5.6-3", "R", "Physical interfaces are not exposed without need", same_as_v2("5.6-3")),
    ("5.6-4A", "M F(q)", "Debug interfaces are disabled or protected by best-practice authentication and access control", [
        ("c", "Declared debug interfaces are disabled or protected",
         ex(["15-Intf"],
            "For every Debug Interface in IXIT 15-Intf, check its Status and Protection: disabled, or guarded by "
            "authentication and access control that follow best practice.")),
        ("f", "Debug interfaces on the DUT are disabled or ask for authentication",
         ex(["15-Intf"],
            "Try each debug interface IXIT 15-Intf lists (serial console, JTAG, adb, debug ports found by the scan) "
            "and confirm it is off or refuses access without valid credentials.")),
    ]),
    ("5.6-4B", "R F(r)", "Debug interfaces that are physical ports are physically protected", [
        ("c", "Declared physical protection of debug ports is adequate",
         ex(["15-Intf"],
            "Using Protection in IXIT 15-Intf, judge whether each physical debug port is covered, removed, or "
            "otherwise made hard to reach without visible tampering.")),
        ("f", "Physical debug ports on the DUT are protected as declared",
         ex(["15-Intf"],
            "Inspect the DUT's enclosure and board for the debug ports IXIT 15-Intf names and confirm the declared "
            "physical protection is present.")),
    ]),
    ("5.6-5", "R", "Only software services needed for the intended use are enabled", same_as_v2("5.6-5")),
    ("5.6-6", "R", "Code is kept to the functionality needed", same_as_v2("5.6-6")),
    ("5.6-7", "R", "Software runs with the least privileges it needs", same_as_v2("5.6-7")),
    ("5.6-8", "R", "Hardware-level access control for memory is used", same_as_v2("5.6-8")),
    ("5.6-9", "R", "Device software follows secure development processes", same_as_v2("5.6-9")),

    # --- 5.7 Ensure software integrity ---------------------------------------
    ("5.7-1", "R", "Device software is verified by secure boot", same_as_v2("5.7-1")),
    ("5.7-2", "R F(s)", "An unauthorised software change is reported and connectivity limited to that report",
     same_as_v2("5.7-2")),

    # --- 5.8 Ensure that personal data is secure -----------------------
    ("5.8-1", "R F(t)", "Personal data between device and services is protected with best-practice cryptography",
     same_as_v2("5.8-1")),
    ("5.8-2", "M F(u)", "Sensitive personal data between device and services stays confidential", same_as_v2("5.8-2")),
    ("5.8-3", "M F(v)", "External sensing capabilities are documented clearly", same_as_v2("5.8-3")),

    # --- 5.9 Make systems resilient to outages -------------------------
    ("5.9-1", "R", "Resilience against network and power outages is built in", same_as_v2("5.9-1")),
    ("5.9-2", "R", "The device keeps working locally without a network and recovers after power loss",
     same_as_v2("5.9-2")),
    ("5.9-3", "R", "The device (re)connects to networks in an orderly way", same_as_v2("5.9-3")),

    # --- 5.10 Examine system telemetry data -----------------------------
    ("5.10-1", "R F(w)", "Collected telemetry is examined for security anomalies", same_as_v2("5.10-1")),

    # --- 5.11 Make it easy for users to delete user data ----------------
    # V3 asks for all user data to be erasable: our own cases.
    ("5.11-1", "M", "All user data can be erased from the device simply", [
        ("c", "The declared erase function covers every kind of user data on the device",
         ex(["25-DelFunc", "21-PersData"],
            "Compare Target Type in IXIT 25-DelFunc with the user and personal data IXIT 21-PersData lists as held on "
            "the DUT: one simple function should erase all of it.")),
        ("f", "Erasing on the DUT leaves no user data behind",
         ex(["25-DelFunc"],
            "Put every kind of user data on the DUT (accounts, settings, network credentials, recordings), run the "
            "erase function of IXIT 25-DelFunc and confirm through the DUT's interfaces that none remains.")),
    ]),
    ("5.11-2", "R F(x)", "Personal data can be removed from associated services simply", same_as_v2("5.11-2")),
    ("5.11-3", "R", "Users get clear instructions for deleting personal data", same_as_v2("5.11-3")),
    ("5.11-4", "R", "Users get clear confirmation that personal data was deleted", same_as_v2("5.11-4")),

    # --- 5.12 Make installation and maintenance easy -------------------
    ("5.12-1", "R", "Installation and maintenance need few steps and follow usability practice", same_as_v2("5.12-1")),
    ("5.12-2", "R", "Users get guidance on setting the device up securely", same_as_v2("5.12-2")),
    # V3 adds "and stays so": our own case.
    ("5.12-3", "R", "Users get guidance on checking the device is and stays securely set up", [
        ("f", "The guidance lets a user check the DUT's setup now and later",
         ex(["2-UserInfo"],
            "Follow the guidance under Setup Check in IXIT 2-UserInfo on the DUT: it should reveal a deliberately "
            "weakened setting and say how to repeat the check over the device's life.")),
    ]),

    # --- 5.13 Validate input data ----------------------------------------------
    ("5.13-1A", "M", "Application data entered through user interfaces is validated", [
        ("c", "Declared validation covers every user interface input",
         ex(["27-UserIntf", "29-InpVal"],
            "For every user interface in IXIT 27-UserIntf, check that IXIT 29-InpVal describes how its "
            "application-layer input is validated against unexpected values.")),
        ("f", "User interfaces of the DUT reject unexpected input",
         ex(["27-UserIntf", "29-InpVal"],
            "Enter malformed, overlong and out-of-range values through each user interface of IXIT 27-UserIntf and "
            "confirm the DUT rejects them as IXIT 29-InpVal says, without misbehaving.")),
    ]),
    ("5.13-1B", "M", "Application data received over network interfaces is validated", [
        ("c", "Declared validation covers every network interface and API input",
         ex(["28-ExtAPI", "29-InpVal"],
            "For every network interface and API in IXIT 28-ExtAPI (unauthenticated ones included), check that "
            "IXIT 29-InpVal describes validation of its application-layer input.")),
        ("f", "Malformed input to the network services does not stop them", V2.ROBUSTNESS),
    ]),

    # --- 6 Data protection -----------------------------------------------------
    # V3 adds how long personal data is kept: our own cases.
    ("6-1", "M", "Consumers are told what personal data is processed, why, by whom and for how long", [
        ("c", "Declared consumer information names each personal data item, its use, its parties and its retention",
         ex(["21-PersData", "2-UserInfo"],
            "Compare IXIT 21-PersData with the consumer information under Personal Data in IXIT 2-UserInfo: each item, "
            "its purpose, who processes it (third parties too) and how long it is kept.")),
        ("f", "The consumer information on personal data can be found and matches the DUT",
         ex(["21-PersData", "2-UserInfo"],
            "Find the consumer information IXIT 2-UserInfo points to, check it is accessible and that the personal "
            "data the DUT is seen to send and keep agrees with it and with IXIT 21-PersData.")),
    ]),
    ("6-2", "M F(y)", "Consent for consent-based processing is obtained validly", same_as_v2("6-2")),
    ("6-3A", "M F(y)", "Consent can be withdrawn at any time", [
        ("c", "A way to withdraw each consent at any time is declared",
         ex(["21-PersData"],
            "Check Withdrawing Consent in IXIT 21-PersData for a way to take back each consent at any time, no harder "
            "than giving it.")),
        ("f", "Withdrawing a consent on the DUT stops the processing it allowed",
         ex(["21-PersData"],
            "Withdraw a consent given earlier as IXIT 21-PersData describes and confirm the processing it allowed "
            "stops.")),
    ]),
    ("6-3B", "M F(y)", "Consents given are recorded", [
        ("c", "A record of the consents given is declared",
         ex(["21-PersData"],
            "Check Obtaining Consent in IXIT 21-PersData for where and how each consent given is stored, so it can "
            "be shown later.")),
        ("f", "The consents given on the DUT can be found in the declared record",
         ex(["21-PersData"],
            "Give a consent on the DUT, then look it up in the record IXIT 21-PersData names and confirm it is there "
            "with what was agreed.")),
    ]),
    ("6-4", "R F(w)", "Personal data in telemetry is kept to the minimum needed", same_as_v2("6-4")),
    ("6-5", "M F(w)", "Consumers are told what telemetry is collected, how, by whom and why", same_as_v2("6-5")),
    ("6-6", "M F(z)", "Personal data is kept and shared only for its stated purposes and deleted when no longer needed", [
        ("c", "Declared processing limits personal data to its purposes and deletes it in time",
         ex(["21-PersData"],
            "Using Processing Activities in IXIT 21-PersData, check each purpose limits what is stored and shared "
            "and that a deletion rule applies once the data is no longer needed.")),
        ("f", "Personal data the DUT sends matches the declared purposes",
         ex(["21-PersData"],
            "Capture what personal data the DUT stores and sends and compare it with the purposes IXIT 21-PersData "
            "declares; nothing beyond them should leave the device.")),
    ]),
    ("6-7", "R F(aa)", "Data gathered only for an aggregate is minimised, aggregated early and kept briefly", [
        ("c", "Declared aggregate-only processing minimises collection and retention",
         ex(["21-PersData", "24-TelData"],
            "For purposes that IXIT 21-PersData or IXIT 24-TelData declare as aggregate-only, check that the least "
            "data is collected, aggregated as early as possible and not retained longer than needed.")),
    ]),
    ("6-8", "R F(z)", "Personal data is anonymised where possible", [
        ("c", "Declared processing anonymises personal data where it can",
         ex(["21-PersData"],
            "Using Processing Activities in IXIT 21-PersData, check which anonymisation techniques are applied to "
            "personal data and that processing without them is justified.")),
    ]),
]

KIND_NAMES = V2.KIND_NAMES

# ---------------------------------------------------------------------------
# Structure we expect (independent lists, used by the self-check)
# ---------------------------------------------------------------------------

V3_PROVISIONS = (
    ["5.0-1"]
    + ["5.1-1", "5.1-2", "5.1-2A", "5.1-3", "5.1-4", "5.1-5"]
    + ["5.2-%d" % i for i in range(1, 4)]
    + ["5.3-1", "5.3-2", "5.3-3", "5.3-4A", "5.3-4B", "5.3-5", "5.3-6A", "5.3-6B", "5.3-7", "5.3-8",
       "5.3-9", "5.3-10", "5.3-11", "5.3-12", "5.3-13", "5.3-14", "5.3-15A", "5.3-15B", "5.3-16"]
    + ["5.4-%d" % i for i in range(1, 5)]
    + ["5.5-%d" % i for i in range(1, 9)]
    + ["5.6-1", "5.6-2", "5.6-3", "5.6-4A", "5.6-4B"] + ["5.6-%d" % i for i in range(5, 10)]
    + ["5.7-1", "5.7-2"]
    + ["5.8-%d" % i for i in range(1, 4)]
    + ["5.9-%d" % i for i in range(1, 4)]
    + ["5.10-1"]
    + ["5.11-%d" % i for i in range(1, 5)]
    + ["5.12-%d" % i for i in range(1, 4)]
    + ["5.13-1A", "5.13-1B"]
    + ["6-1", "6-2", "6-3A", "6-3B", "6-4", "6-5", "6-6", "6-7", "6-8"]
)
# V2.1.1 provisions that V3 declares void (replaced by their A/B splits).
VOID_IN_V3 = {"4-1", "5.3-4", "5.3-6", "5.3-15", "5.6-4", "5.13-1", "6-3"}
NEW_IN_V3 = {"5.1-2A", "6-6", "6-7", "6-8"}

# Every automated case and its family.
AUTOMATED = {
    "5.0-1-1": "declarations", "5.1-1-1": "declarations", "5.1-1-2": "default-credentials",
    "5.1-2-2": "default-credentials", "5.1-5-2": "brute-force", "5.2-1-1": "declarations",
    "5.2-1-2": "security-txt", "5.3-13-1": "declarations", "5.6-1-1": "declarations",
    "5.6-1-2": "exposure", "5.6-1-3": "amplification", "5.6-2-2": "disclosure",
    "5.1-3-2": "ssh", "5.5-1-2": "tls", "5.5-4-2": "mqtt", "5.5-5-2": "http-auth", "5.5-7-2": "tls",
    "5.5-6-2": "traffic", "5.8-1-2": "traffic", "5.8-2-2": "traffic",
    "5.3-2-2": "firmware-update-push", "5.3-7-1": "firmware-image",
    "5.3-9-2": "firmware-update-push", "5.3-10-1": "firmware-update-push",
    "5.5-1-3": "cloud-identity", "5.9-3-2": "outage", "5.13-1B-2": "robustness",
}

N_GROUPS, N_MANDATORY, N_RECOMMENDED = 78, 36, 42
N_CASES, N_CONCEPTUAL, N_FUNCTIONAL, N_BOTH = 129, 72, 56, 1

# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------


def v2_cases(pid):
    """The V2.1.1 suite's cases of provision pid, as (kind, title, check, extra)."""
    for gpid, _status, _title, cases in V2.GROUPS:
        if gpid == pid:
            return copy.deepcopy(cases)
    raise AssertionError("no V2.1.1 provision %s in gen-etsi-suite.py" % pid)


def v2_kind_code(case):
    names = {v: k for k, v in KIND_NAMES.items()}
    return case[0] if case[0] in KIND_NAMES else names[case[0]]


def applies_when(status):
    m = STATUS_RE.match(status)
    assert m, status
    out = []
    for n in (m.group(2) or "").split(",") if m.group(2) else []:
        if int(n) in CONDITION_FEATURE:
            out.append(CONDITION_FEATURE[int(n)])
    for x in (m.group(3) or "").split(",") if m.group(3) else []:
        if x in LETTER_FEATURE and LETTER_FEATURE[x] not in out:
            out.append(LETTER_FEATURE[x])
    assert len({k for k, _ in out}) == len(out), status
    return out


V3_IDS = {g[0] for g in GROUPS}


def build():
    groups = []
    for pid, status, title, cases in GROUPS:
        if isinstance(cases, tuple):
            cases = v2_cases(cases[1])
        cond = applies_when(status)
        out_cases = []
        for n, case in enumerate(cases, 1):
            kind, ctitle, check = v2_kind_code(case), case[1], case[2]
            extra = case[3] if len(case) > 3 else {}
            # A V2.1.1 case that also covers other provisions covers the
            # same-numbered V3 ones (same_as_v2 groups keep their numbers).
            also = [x for x in extra.get("also-covers", []) if x in V3_IDS]
            covers = [("en-303-645", [pid] + also)]
            out_cases.append({
                "id": "%s-%d" % (pid, n),
                "kind": KIND_NAMES[kind],
                "title": ctitle,
                "covers": covers,
                "applies-when": cond,
                "check": check,
                "comment": list(extra.get("comment", [])),
            })
        groups.append({"provision": pid, "status": status, "title": title, "cases": out_cases})
    return groups


# ---------------------------------------------------------------------------
# Self-check
# ---------------------------------------------------------------------------


def self_check(groups, registry):
    ids = [g["provision"] for g in groups]
    assert ids == V3_PROVISIONS, "provision list/order differs from EN 303 645 V3.1.3"
    assert len(groups) == N_GROUPS, len(groups)
    assert not VOID_IN_V3 & set(ids)
    assert NEW_IN_V3 <= set(ids)
    statuses = [g["status"] for g in groups]
    assert sum(1 for s in statuses if s.startswith("M")) == N_MANDATORY
    assert sum(1 for s in statuses if s.startswith("R")) == N_RECOMMENDED

    cases = [c for g in groups for c in g["cases"]]
    kinds = [c["kind"] for c in cases]
    got = (len(cases), kinds.count("conceptual"), kinds.count("functional"),
           kinds.count("conceptual-functional"))
    assert got == (N_CASES, N_CONCEPTUAL, N_FUNCTIONAL, N_BOTH), got
    case_ids = [c["id"] for c in cases]
    assert len(set(case_ids)) == len(case_ids), "duplicate case id"
    titles = [c["title"] for c in cases]
    assert len(set(titles)) == len(titles), "duplicate case title"

    guidances = []
    for g in groups:
        assert PROVISION_RE.match(g["provision"]), g["provision"]
        assert STATUS_RE.match(g["status"]), g["status"]
        gk = [c["kind"] for c in g["cases"]]
        # Conceptual first, then functional; at most one of our own extras.
        assert gk and gk == sorted(gk, key=lambda k: k != "conceptual"), g["provision"]
        for c in g["cases"]:
            assert c["id"].startswith(g["provision"] + "-")
            assert c["covers"][0][1][0] == g["provision"] and len(c["covers"]) == 1, c["id"]
            V2.check_params(c["id"], c["check"], registry)
            if c["check"]["family"] == "examiner":
                gd = c["check"]["params"]["guidance"]
                assert "IXIT" in gd and len(gd) <= 300, c["id"]
                guidances.append(gd)
                for x in c["check"]["params"]["ixit"]:
                    assert re.match(r"^\d{1,2}-[A-Za-z]+$", x) and x in gd, (c["id"], x)
    assert len(set(guidances)) == len(guidances), "duplicate guidance"

    automated = {c["id"]: c["check"]["family"] for c in cases if c["check"]["family"] != "examiner"}
    assert automated == AUTOMATED, automated
    return {"groups": len(groups), "cases": got[0], "conceptual": got[1], "functional": got[2],
            "conceptual-functional": got[3]}


# ---------------------------------------------------------------------------
# Emitter (the same YAML subset as the V2.1.1 suite; quoting from there)
# ---------------------------------------------------------------------------

HEADER = """\
# ETSI EN 303 645 V3.1.3 conformance suite for trustbench.
#
# GENERATED by harness/tools/gen-etsi-v3-suite.py -- do not edit by hand;
# change the tables in the generator and re-run it.
#
# One group per provision of EN 303 645 V3.1.3 (status as in its Table B.1,
# conditions as C(n) and features as F(x)); void provisions are left out,
# split provisions have a group each (5.3-4A, 5.3-4B, ...), 4-1 is 5.0-1.
# Cases are named as TS 103 701 V2.1.1 names them (<provision>-<n>); where
# its layout was not available to us, the V1.1.1 layout is kept.  Cases of
# provisions whose test did not change are the V2.1.1 suite's, so the same
# device meets the same test. Titles and guidance are our own paraphrases.
# 5.6-1-3 (amplification) and 5.3-9-2 (update push) are our own additions,
# not TS 103 701 test cases.  IXIT names are TS 103 701 V1.1.1's.
#
# covers names EN 303 645 V3.1.3 provisions only; mappings to other
# frameworks live in testsuites/crosswalks/.
#
# applies-when lists profile features that must all hold for the case to
# apply; a V3 condition or feature with no profile declaration of the same
# meaning is left to the ICS (not applicable, with a justification).
#
# check.family "examiner" means no automated check exists: the report shows
# the case as awaiting an examiner, with the guidance below.
"""


def emit(groups):
    return V2.emit(groups, suite=SUITE, header=HEADER, crosswalks=[])


def main():
    return V2.run("gen-etsi-v3-suite.py", __doc__, build, self_check, emit, OUTPUT_REL)


if __name__ == "__main__":
    sys.exit(main())
