#!/usr/bin/env bash
# ensure-deps.sh: make sure the Debian packages trustbench needs are present.
# As root, installs what is missing (apt-get update first); otherwise prints
# the exact apt-get line and fails.  With --check it never installs: it names
# what is missing and the command that fixes it, and fails (a plain `make`
# uses this, so building never installs packages as a side effect).
# Usage: ensure-deps.sh [--check] [compile|build|check|lint|demo|pdf|bench|coverage|fuzz]
#   compile   what `make` needs to compile: toolchain, pkg-config, -dev libraries
#   build     compile + the command-line tools the lab and the tests use (`make deps`)
#   others    build + what that make target needs on top
set -euo pipefail
check_only=0
if [ "${1:-}" = --check ]; then
  check_only=1
  shift
fi
what=${1:-build}
# compile: libssh-dev is for the ssh check's key exchange and userauth "none"
# probe (sshc.c) and the reference device's real SSH server (refsvc.c);
# libqrencode-dev and libpng-dev draw the label's QR code (report/label.c).
pkgs=(build-essential pkg-config libpcap-dev libssl-dev libyaml-dev libxml2-dev libxslt1-dev
      libssh-dev libqrencode-dev libpng-dev)
[ "$what" = compile ] || pkgs+=(libxml2-utils iproute2 util-linux openssl)
case "$what" in
  # tshark: ground truth from captures in the tests; clang-format: make lint;
  # nmap: the service identity is compared with nmap -sV in the lab tests.
  # mosquitto-clients, curl, openssh-client, sshpass, python3: lab-logins.sh
  # shows the reference devices' logins as ordinary clients see them.
  # lighttpd, mosquitto, libcoap3-bin, snmpd, snmp: real-daemons.sh runs the
  # robustness campaign against Debian's own daemons.
  check) pkgs+=(check tshark clang-format nmap mosquitto-clients curl openssh-client sshpass python3
                lighttpd mosquitto libcoap3-bin snmpd snmp) ;;
  lint) pkgs+=(clang-format) ;;
  coverage) pkgs+=(check lcov) ;;
  # /usr/bin/time -v: peak memory in bench-firmware.sh; hydra: bench-creds.sh
  bench) pkgs+=(nmap testssl.sh tshark time hydra) ;;
  fuzz) pkgs+=(clang libclang-rt-14-dev) ;;
esac
# PDF reports: weasyprint typesets the XHTML; the render tests also need
# pdfinfo/pdftotext (poppler-utils) and the XHTML 1.0 DTDs (w3c-sgml-lib).
# zbar-tools (zbarimg): the label's QR code is decoded back in the tests and the demo.
case "$what" in
  demo) pkgs+=(weasyprint zbar-tools) ;;
  pdf) pkgs+=(weasyprint) ;;
  check) pkgs+=(weasyprint poppler-utils w3c-sgml-lib zbar-tools) ;;
esac
if ! command -v dpkg-query >/dev/null; then
  echo "ensure-deps: not a Debian system, cannot check packages; needed: ${pkgs[*]}" >&2
  exit 0
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$check_only" -eq 1 ]; then
  echo "trustbench cannot be built: missing Debian packages: ${missing[*]}" >&2
  echo "install them with 'make deps' (as root), or:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  echo "('make demo' and 'make check' install what they need themselves.)" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "trustbench needs these Debian packages; install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
