#!/usr/bin/env bash
# ensure-deps.sh: make sure the Debian packages trustbench needs are present.
# As root, installs what is missing (apt-get update first); otherwise prints
# the exact apt-get line and fails.  Usage: ensure-deps.sh [build|check|demo|pdf|bench|coverage|fuzz]
set -euo pipefail
what=${1:-build}
pkgs=(build-essential pkg-config libpcap-dev libssl-dev libyaml-dev libxml2-dev libxslt1-dev
      libxml2-utils iproute2 util-linux openssl)
# libssh-dev: the ssh check's key exchange and userauth "none" probe (sshc.c)
# and the reference device's real SSH server (refsvc.c).
pkgs+=(libssh-dev)
case "$what" in
  check) pkgs+=(check tshark) ;; # tshark: ground truth from captures in the tests
  coverage) pkgs+=(check lcov) ;;
  bench) pkgs+=(nmap testssl.sh tshark time)
    pkgs+=(time) ;; # /usr/bin/time -v: peak memory in bench-firmware.sh
  fuzz) pkgs+=(clang libclang-rt-14-dev) ;;
esac
# PDF reports: weasyprint typesets the XHTML; the render tests also need
# pdfinfo/pdftotext (poppler-utils) and the XHTML 1.0 DTDs (w3c-sgml-lib).
case "$what" in
  demo|pdf) pkgs+=(weasyprint) ;;
  check) pkgs+=(weasyprint poppler-utils w3c-sgml-lib) ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "trustbench needs these Debian packages; install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
