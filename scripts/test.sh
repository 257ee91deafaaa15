#!/usr/bin/env bash
# Builds and runs every test twice: a normal build, then an
# AddressSanitizer + UndefinedBehaviorSanitizer build (halt on first report).
#   bash scripts/test.sh            # both builds
#   bash scripts/test.sh --quick    # the normal build only
# Build trees: build-tests/normal and build-tests/asan.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=0
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
    esac
done

bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
jobs=$(nproc)

run_suite() {
    local name=$1
    shift
    echo "== $name build" >&2
    cmake -G Ninja -S . -B "build-tests/$name" -DMUSUBI_WERROR=ON -DMUSUBI_BUILD_BENCH=ON "$@" >/dev/null
    cmake --build "build-tests/$name" -j "$jobs"
    echo "== $name tests" >&2
    ctest --test-dir "build-tests/$name" --output-on-failure -j "$jobs" --timeout 600
}

run_suite normal -DCMAKE_BUILD_TYPE=RelWithDebInfo
if ((quick == 0)); then
    run_suite asan -DCMAKE_BUILD_TYPE=Debug "-DMUSUBI_SANITIZE=address;undefined"
fi
