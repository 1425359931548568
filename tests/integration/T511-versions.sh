#!/usr/bin/env bash
# T511-versions: `vmt versions` prints the AFFECTED_VERSIONS line by the seed's convention, from
# per-branch versions and from a real git repository (fix commit per branch, `git tag --contains`);
# `vmt taxonomy` prints the report classes. No configuration file is needed.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
t_require_cmd git
unset VMT_CONFIG
cd "$T"

# The seed's three examples.
t_assert_eq "$("$VMT" versions --branch kilo=2015.1.0..2015.1.4 --branch liberty=8.0.0..8.1.0 --branch mitaka=9.0.0)" \
  ">=2015.1.0 <2015.1.5, >=8.0.0 <8.1.1 and ==9.0.0" "kilo, liberty and mitaka supported"
t_assert_eq "$("$VMT" versions --branch kilo=2015.1.0..2015.1.4 --branch liberty=8.0.0..8.1.0 --branch mitaka=9.0.0 --eol kilo 2>/dev/null)" \
  ">=8.0.0 <8.1.1 and ==9.0.0" "kilo end of life"
t_assert_eq "$("$VMT" versions --branch liberty=..8.1.0 --branch mitaka=9.0.0)" "<8.1.1 and ==9.0.0" "oldest unknown"
"$VMT" versions --branch kilo=2015.1.0..2015.1.4 --branch liberty=8.0.0..8.1.0 --eol kilo --json > v.json 2>/dev/null
t_assert_eq "$(t_json v.json 'j["dropped"][0]["reason"]')" "end of life"
t_assert_eq "$(t_json v.json 'j["ranges"][0]["text"]')" ">=8.0.0 <8.1.1"
t_expect_exit 64 "$VMT" versions --branch liberty=8.1 2>/dev/null
t_expect_exit 65 "$VMT" versions --branch liberty=8.0.0..9.0.1 --branch mitaka=9.0.0 2>/dev/null

# A keystone-like history built with git: kilo forks after the flaw, liberty later, mitaka's
# 9.0.0 is tagged on a commit master shares; each branch has its fix.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
mkdir repo
(
  cd repo
  git init -q -b master .
  c() { git commit -q --allow-empty -m "$1"; }
  c A; c B; git tag flaw
  git checkout -q -b stable/2015.1
  c k1; git tag 2015.1.0; c k2; git tag 2015.1.4; c kfix; git tag fix-kilo; c k3; git tag 2015.1.5
  git checkout -q master; c C
  git checkout -q -b stable/liberty
  c l1; git tag 8.0.0; c l2; git tag 8.1.0; c lfix
  git checkout -q master; c D; git tag 9.0.0.0rc1
  git checkout -q -b stable/mitaka; git tag 9.0.0; c mfix
  git checkout -q master; c E; c mafix
)
lfix=$(git -C repo rev-parse stable/liberty)
mfix=$(git -C repo rev-parse stable/mitaka)
fixes=(--fix stable/2015.1=fix-kilo --fix "stable/liberty=$lfix" --fix "stable/mitaka=$mfix" --fix master=master)
t_assert_eq "$("$VMT" versions --git repo "${fixes[@]}" --introduced flaw 2>/dev/null)" \
  ">=2015.1.0 <2015.1.5, >=8.0.0 <8.1.1 and ==9.0.0" "from git"
t_assert_eq "$("$VMT" versions --git repo "${fixes[@]}" --eol stable/2015.1 2>/dev/null)" \
  "<8.1.1 and ==9.0.0" "from git, kilo end of life, oldest unknown"
# liberty not fixed yet: 8.1.0 is still its highest release.
t_assert_eq "$("$VMT" versions --git repo --fix stable/liberty --fix "stable/mitaka=$mfix" --introduced flaw 2>/dev/null)" \
  ">=8.0.0 <8.1.1 and ==9.0.0"
set +e
"$VMT" versions --git repo --fix "stable/2015.1=$lfix" > /dev/null 2> err.txt
rc=$?
set -e
t_assert_eq "$rc" 65 "a fix that is not on its branch"
t_assert_contains "$(cat err.txt)" "is not on stable/2015.1"
t_expect_exit 66 "$VMT" versions --git "$T/nowhere" --fix master 2>/dev/null

# The taxonomy.
t_assert_contains "$("$VMT" taxonomy)" "Class B1  OSSN            A vulnerability that can only be fixed in master"
"$VMT" taxonomy --json > tax.json
t_assert_eq "$(t_json tax.json 'len(j)')" 10
t_assert_eq "$(t_json tax.json '[c["outcome"] for c in j if c["class"] in ("A", "C2", "Z")]')" '["OSSA", "Potential OSSN", "none"]'
t_log "ok"
