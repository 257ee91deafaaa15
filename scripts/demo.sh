#!/usr/bin/env bash
# Builds and runs the Musubi QML demo against its embedded server.
#   bash scripts/demo.sh                                   # the demo with its own server
#   bash scripts/demo.sh --url ws://HOST:4000/socket [--protocol auto|shared|per-root]
#   bash scripts/demo.sh --page chat                       # counter, chat, todos or profile
# With a display (X11 or Wayland) the window opens and stays until closed.
# Without one it renders offscreen, saves the window to build-demo/demo.png
# and exits; see README.md for how to look at it (scripts/screenshot.sh, Xvfb).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
cmake -G Ninja -S . -B build-demo -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMUSUBI_BUILD_TESTS=OFF >/dev/null
cmake --build build-demo --target musubi_demo -j "$(nproc)"
demo=build-demo/demo/qml/musubi_demo

if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]] && [[ "${QT_QPA_PLATFORM:-}" != offscreen ]]; then
    exec "$demo" "$@"
fi

# Headless: never wait for a window nobody can close.
export QT_QPA_PLATFORM=offscreen
shot=build-demo/demo.png
rm -f "$shot"
"$demo" --screenshot "$shot" --quit-after 60000 "$@"
echo "demo: no display, so the demo ran offscreen and saved its window to $(pwd)/$shot"
echo "demo: open that PNG, run this script on a desktop, or 'bash scripts/screenshot.sh' (Xvfb, all pages)"
