#!/bin/bash
# T590-man-pages: vmt(1), vmt-ingest(8), vmt-send(8) and vmt.yaml(5) are built from the programs'
# own --help and the example configuration, so they agree with them: every verb (and sub-verb)
# and every option the CLI prints is in vmt(1), each program's options in its page, every setting
# of the example in vmt.yaml(5). The pages render without groff warnings and are installed.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
M=$VMT_BUILD_DIR/man
for p in vmt.1 vmt-ingest.8 vmt-send.8 vmt.yaml.5; do t_assert_file "$M/$p" "man page"; done
prod=$VMT_BUILD_DIR/mailer/vmt/vmt
# The roff source with its escaped hyphens (\-) read back as hyphens.
mkdir "$T/plain"
for p in vmt.1 vmt-ingest.8 vmt-send.8 vmt.yaml.5; do sed 's/\\-/-/g' "$M/$p" > "$T/plain/$p"; done

# Every verb, sub-verb and option the CLI knows is in the page.
verbs=$("$prod" --help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z0-9'"'"'-]*\).*/\1/p')
[ "$(echo "$verbs" | wc -l)" -gt 30 ] || t_fail "too few verbs read from vmt --help: $verbs"
for v in $verbs; do
  grep -q "^\.SS $v\$" "$T/plain/vmt.1" || t_fail "vmt(1) lacks the verb $v"
  for opt in $("$prod" "$v" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -q -- "$opt" "$T/plain/vmt.1" || t_fail "vmt(1) lacks $v $opt"
  done
  for s in $("$prod" "$v" --help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z-]*\).*/\1/p'); do
    grep -q "^\.SS \"$v $s\"\$" "$T/plain/vmt.1" || t_fail "vmt(1) lacks $v $s"
  done
done
for prog in vmt-ingest:filters/ingest vmt-send:mailer/send; do
  name=${prog%%:*}
  for opt in $("$VMT_BUILD_DIR/${prog#*:}/$name" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -q -- "$opt" "$T/plain/$name.8" || t_fail "$name(8) lacks $opt"
  done
done
for key in $(sed -n 's/^\([a-z_]*\):.*/\1/p' "$VMT_SOURCE_DIR/config/vmt.yaml.example" | sort -u); do
  grep -q "^$key:" "$T/plain/vmt.yaml.5" || t_fail "vmt.yaml(5) lacks the setting $key"
done
if command -v man > /dev/null; then
  for p in "$M"/vmt.1 "$M"/vmt-ingest.8 "$M"/vmt-send.8 "$M"/vmt.yaml.5; do
    out=$(MANWIDTH=80 man --warnings -l "$p" 2>&1 > /dev/null) || t_fail "man cannot render $p"
    [ -z "$out" ] || t_fail "$(basename "$p"): $out"
  done
fi
DESTDIR=$T/root cmake --install "$VMT_BUILD_DIR" > /dev/null 2>&1 || t_fail "cmake --install"
for p in man1/vmt.1 man8/vmt-ingest.8 man8/vmt-send.8 man5/vmt.yaml.5; do
  [ -n "$(find "$T/root" -path "*/share/man/$p")" ] || t_fail "$p is not installed"
done
t_log "ok: $(echo "$verbs" | wc -l) verbs"
