#!/bin/bash
# demo.sh: install what vmt needs, build and install it, then run the main job on the embedded
# defaults: an encrypted, signed vulnerability report goes through the shipped procmail recipe into
# vmt-ingest, which files a private case and a private security bug in the local tracker and queues
# a signed, encrypted acknowledgement; `vmt show` then prints the case and its ledger.
#
# No outside server is needed. As root, vmt is installed under /usr/local and runs as the system
# user `vmt-demo` (vmt refuses root); otherwise under ~/.local as yourself.
# Environment: VMT_DEMO_DIR (default /tmp/vmt-demo), VMT_BUILD_DIR (default ./build).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)

./scripts/install-deps.sh --build

build=${VMT_BUILD_DIR:-$src/build}
if [ "$(id -u)" -eq 0 ]; then prefix=/usr/local; else prefix=$HOME/.local; fi
cmake -S "$src" -B "$build" -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$build" -j"$(nproc)" --target vmt vmt-ingest vmt-send
cmake --install "$build" --prefix "$prefix" >/dev/null
echo "== installed vmt, vmt-ingest and vmt-send in $prefix/bin, templates in $prefix/share/vmt"

dir=${VMT_DEMO_DIR:-/tmp/vmt-demo}
run=()
rm -rf "$dir"
mkdir -p "$dir"
if [ "$(id -u)" -eq 0 ]; then
  # vmt refuses root: the demo runs as a system user whose home is the demo folder (procmail
  # changes into the user's home).
  if id vmt-demo >/dev/null 2>&1; then usermod --home "$dir" vmt-demo; else
    useradd --system --no-create-home --home-dir "$dir" --shell /usr/sbin/nologin vmt-demo; fi
  chown vmt-demo: "$dir"
  run=(runuser -u vmt-demo -- env HOME="$dir")
fi

echo "== vmt init $dir --demo   (team key, and throwaway keys for a reporter, two stakeholders, linux-distros)"
"${run[@]}" "$prefix/bin/vmt" init "$dir/team" --demo

echo "== the reporter's mail: PGP/MIME, signed by the reporter, encrypted to the team key"
grep -E '^(From|To|Subject|Content-Type):' "$dir/team/demo/report.eml" | head -4

echo "== delivering it through $prefix/share/vmt/procmail/vmt.procmailrc"
if "${run[@]}" procmail -m VMT_INGEST="$prefix/bin/vmt-ingest" VMT_CONFIG="$dir/team/vmt.yaml" \
  "$prefix/share/vmt/procmail/vmt.procmailrc" < "$dir/team/demo/report.eml"; then
  echo "   procmail exit status 0: filed"
else
  echo "   procmail exit status $?: deferred (see the messages above)" >&2
  exit 1
fi

echo "== vmt list"
"${run[@]}" "$prefix/bin/vmt" --config "$dir/team/vmt.yaml" list
case_id=$("${run[@]}" "$prefix/bin/vmt" --config "$dir/team/vmt.yaml" list | awk 'END {print $1}')
echo "== vmt show $case_id"
"${run[@]}" "$prefix/bin/vmt" --config "$dir/team/vmt.yaml" show "$case_id"
echo "== vmt-send --once: the queue runner delivers the acknowledgement (maildir transport: into $dir/team/sent)"
"${run[@]}" "$prefix/bin/vmt-send" --config "$dir/team/vmt.yaml" --once
"${run[@]}" "$prefix/bin/vmt" --config "$dir/team/vmt.yaml" outbox list
echo "== the reporter decrypts it with their own key"
ack=$(ls "$dir"/team/sent/new/* | head -1)
awk '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/' "$ack" |
  "${run[@]}" gpg --homedir "$dir/team/demo/reporter/gnupg" --batch --decrypt 2>/dev/null | sed -n '/^Hello/,/^--$/p'
"${run[@]}" gpgconf --homedir "$dir/team/demo/reporter/gnupg" --kill all 2>/dev/null || true
echo
echo "The team folder is $dir/team; try: $prefix/bin/vmt --config $dir/team/vmt.yaml show $case_id --json"
