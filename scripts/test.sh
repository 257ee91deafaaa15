#!/usr/bin/env bash
# Builds and runs every test twice: a normal build (plus the QDoc reference,
# the `docs` target), then an
# AddressSanitizer + UndefinedBehaviorSanitizer build (halt on first report).
# Between the two, a short libFuzzer run of each fuzz target (clang).
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh --quick    # the normal build only
# Build trees: build-tests/normal, build-tests/fuzz and build-tests/asan.
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
    if [[ "$name" == normal ]]; then
        # The QDoc reference (docs/README.md): fails on any QDoc warning and on
        # undocumented public API, except files listed in docs/qdoc/pending.txt.
        echo "== docs" >&2
        cmake --build "build-tests/$name" --target docs
    fi
    echo "== $name tests" >&2
    ctest --test-dir "build-tests/$name" --output-on-failure -j "$jobs" --timeout 600 "${ctest_extra[@]}"
}
ctest_extra=()

run_suite normal -DCMAKE_BUILD_TYPE=RelWithDebInfo

# Fuzz stage (docs/hardening.md): libFuzzer + ASan + UBSan needs clang; each
# target runs MUSUBI_FUZZ_SECONDS (default 60; 0 skips the stage) from its seed corpus.
fuzz_seconds=${MUSUBI_FUZZ_SECONDS:-60}
if ((quick == 0 && fuzz_seconds > 0)) && command -v clang++ >/dev/null; then
    echo "== fuzz build" >&2
    CC=clang CXX=clang++ cmake -G Ninja -S . -B build-tests/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DMUSUBI_BUILD_FUZZ=ON -DMUSUBI_BUILD_TESTS=OFF -DMUSUBI_BUILD_DEMO=OFF >/dev/null
    cmake --build build-tests/fuzz -j "$jobs" --target musubi_fuzzers
    for target in phoenix_frame envelope json_pointer etf; do
        echo "== fuzz $target (${fuzz_seconds}s)" >&2
        corpus=build-tests/fuzz/corpus/$target
        mkdir -p "$corpus" build-tests/fuzz/artifacts
        dict=()
        [[ -f tests/fuzz/$target.dict ]] && dict=("-dict=tests/fuzz/$target.dict")
        ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
            "build-tests/fuzz/tests/fuzz/fuzz_$target" -max_total_time="$fuzz_seconds" -timeout=30 \
            -print_final_stats=1 -artifact_prefix=build-tests/fuzz/artifacts/ "${dict[@]}" \
            "$corpus" "tests/fuzz/corpus/$target"
    done
fi

# The sanitizer suite runs last, so that ctest's summary closes the output.
# Tests labelled `heavy` (tst_install_parent: the libraries compiled again below
# a parent project, a CMake wiring check) add nothing under sanitizers.
if ((quick == 0)); then
    ctest_extra=(-LE heavy)
    run_suite asan -DCMAKE_BUILD_TYPE=Debug "-DMUSUBI_SANITIZE=address;undefined"
fi
