#!/bin/bash
# test.sh: install everything the tests need (gpg, procmail, Postfix, notmuch, Chromium, clang...),
# build, and run the whole suite: unit tests (Boost.Test) and integration tests that drive the real
# binaries with real gpg, procmail and a private Postfix on loopback. Tests that need ../shared/
# (the corpora beside the clone in CI) skip with a message when it is absent.
# Environment: VMT_BUILD_DIR (default ./build), CTEST_ARGS (extra ctest arguments).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
build=${VMT_BUILD_DIR:-$(pwd)/build}
cmake -S . -B "$build" >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
# shellcheck disable=SC2086
ctest --output-on-failure ${CTEST_ARGS:-}
