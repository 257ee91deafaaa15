#!/usr/bin/env bash
# Builds and runs the Musubi demo against its embedded server.
# Without a display it runs offscreen; see README.md for how to look at it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
cmake -G Ninja -S . -B build-demo -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMUSUBI_BUILD_TESTS=OFF >/dev/null
cmake --build build-demo -j "$(nproc)"
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
fi
for candidate in build-demo/demo/qml/musubi_demo build-demo/src/testing/musubi-test-server; do
    if [[ -x "$candidate" ]]; then
        exec "$candidate" "$@"
    fi
done
echo "demo: nothing to run yet" >&2
exit 1
