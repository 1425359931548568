#!/bin/bash
# T630-ingest-hostile-corpus: every message of ../shared/corpus/mail through the real vmt-ingest,
# run as the unprivileged vmt user, into one team per corpus source (made by `vmt init`, with the
# keys that source ships imported into the team's GnuPG home and team.notify set). Asserted for
# each message (tests/lib/hostile_ingest.py): exit 0 (filed, duplicate or quarantined; never a
# deferral, never a bounce code), under 10 s and 200 MB; in the spool and either done on a case or
# quarantined (nothing lost); the stored verdict agrees with `vmt inspect` on readable, quarantine
# reason, encrypted, mixed, decryption, signature status and matches_from; PROVENANCE's class rules
# (tests/lib/hostile_corpus.py) hold for the stored verdict. Then: mail queued only to the single
# From address of a case (acknowledgement) or to team.notify, never to a Reply-To or an address the
# message only names; no acknowledgement quotes report text (decrypted with the team key).
# Prints the pass count per class. Skips when ../shared is absent (a user's clone).
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/ingest.sh"
t_setup
t_require_shared corpus/mail
t_require_cmd gpg
t_require_cmd python3
C="$VMT_SHARED_DIR/corpus/mail"

mkdir -p "$T/teams"
t_give_to_vmt_user "$T/teams"
for s in johnny-you-are-fired covert-content-attacks e2e-mitigation-ccs20 thunderbird notmuch gmime mimetic \
         kde-mimetreeparser james-mime4j mailparse-rs; do
  t_as_vmt "$VMT" init "$T/teams/$s" --team-address security@example.org --coordinator-email coordinator@example.org >/dev/null || t_fail "vmt init $s"
  team_set "$T/teams/$s" team.notify "[coord@example.org]"
done
preset=$(t_as_vmt bash "$VMT_SOURCE_DIR/tests/lib/corpus_keys.sh" "$T/teams" "$C")
[ -n "$preset" ] || t_log "gpg-preset-passphrase unavailable: GMime's encrypted samples are only checked for a clean quarantine"

set +e
t_as_vmt python3 "$VMT_SOURCE_DIR/tests/lib/hostile_ingest.py" "$VMT" "$VMT_INGEST" "$C" "$T/teams" $preset |
  tee "$T/corpus.log"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || t_fail "hostile corpus through vmt-ingest (see FAIL lines above)"
t_log pass
