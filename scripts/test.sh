#!/bin/bash
# test.sh: install everything the tests need (gpg, procmail, Postfix, notmuch, Chromium, clang...),
# build, and run the whole suite: unit tests (Boost.Test) and integration tests that drive the real
# binaries with real gpg, procmail and a private Postfix on loopback. Tests that need ../shared/
# (the corpora beside the clone in CI) skip with a message when it is absent.
# Environment: VMT_BUILD_DIR (default ./build), VMT_FUZZ_BUILD_DIR (default ./build-fuzz),
# VMT_FUZZ_SECONDS (per fuzz target, default 60), VMT_SKIP_FUZZ=1, CTEST_ARGS (extra ctest arguments).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
build=${VMT_BUILD_DIR:-$(pwd)/build}
fuzz_build=${VMT_FUZZ_BUILD_DIR:-$(pwd)/build-fuzz}
cmake -S . -B "$build" -DVMT_FUZZ_BUILD_DIR="$fuzz_build" >/dev/null
cmake --build "$build" -j"$(nproc)"
# The fuzz targets: a second build with clang, libFuzzer, ASan and UBSan (fuzz/README.md); the
# ctest entry fuzz.run runs each of them for VMT_FUZZ_SECONDS (60 here). VMT_SKIP_FUZZ=1 skips.
if [ "${VMT_SKIP_FUZZ:-0}" != 1 ]; then
  CC=clang CXX=clang++ cmake -S . -B "$fuzz_build" -DVMT_BUILD_FUZZ=ON -DVMT_BUILD_TESTS=OFF -DVMT_BUILD_BENCH=OFF >/dev/null
  cmake --build "$fuzz_build" -j"$(nproc)" --target fuzz
  export VMT_FUZZ_SECONDS=${VMT_FUZZ_SECONDS:-60}
fi
cd "$build"
# shellcheck disable=SC2086
ctest --output-on-failure ${CTEST_ARGS:-}
