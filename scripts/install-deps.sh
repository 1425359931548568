#!/bin/sh
# install-deps.sh: install the Debian 12 packages that vmt needs to build, run and be tested.
#
# Usage: scripts/install-deps.sh [--runtime|--build|--test]   (default: --test, everything)
# Runs apt-get as root (or through sudo when it is available). Idempotent: installed packages are
# left alone. Postfix is preseeded to "No configuration" so it never asks and never starts a
# system instance; the tests start their own private instance on loopback.
set -eu

mode=${1:---test}

runtime="gnupg gpg-agent procmail ca-certificates libmimetic0v5 libgpgmepp6 libcurl4 libyaml-cpp0.7
 libspdlog1.10 libsqlite3-0 libctemplate3 libzip4"
build="build-essential cmake pkg-config git libmimetic-dev libgpgmepp-dev libgpgme-dev
 libcurl4-openssl-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libboost-test-dev libsqlite3-dev
 libcli11-dev nlohmann-json3-dev libctemplate-dev libgcrypt20-dev libvalijson-dev libzip-dev
 help2man"
test="postfix notmuch python3 python3-jsonschema chromium chromium-driver clang libclang-rt-14-dev
 curl sqlite3 hyperfine faketime python3-docutils python3-packaging systemd"

case "$mode" in
  --runtime) pkgs="$runtime" ;;
  --build) pkgs="$runtime $build" ;;
  --test) pkgs="$runtime $build $test" ;;
  *) echo "usage: $0 [--runtime|--build|--test]" >&2; exit 64 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then exec sudo "$0" "$@"; fi
  echo "install-deps.sh: run as root (apt-get needs it), or install sudo" >&2
  exit 77
fi

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections 2>/dev/null || true
echo "install-deps.sh: installing:$missing" >&2
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
