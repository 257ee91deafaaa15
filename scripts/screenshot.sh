#!/usr/bin/env bash
# Renders the four pages of the QML demo (counter, chat, todos, profile)
# under Xvfb and tiles them into docs/demo.png (or the path given as $1).
# Installs Xvfb and ImageMagick through scripts/setup.sh (MUSUBI_SETUP_GUI=1);
# falls back to the offscreen platform when Xvfb is not available.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-docs/demo.png}

MUSUBI_SETUP_GUI=1 bash scripts/setup.sh
cmake -G Ninja -S . -B build-demo -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMUSUBI_BUILD_TESTS=OFF >/dev/null
cmake --build build-demo --target musubi_demo -j "$(nproc)"
demo=build-demo/demo/qml/musubi_demo

tmp=$(mktemp -d /tmp/musubi-shot.XXXXXX)
xvfb_pid=
cleanup() {
    if [[ -n "$xvfb_pid" ]]; then
        kill "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

if command -v Xvfb >/dev/null 2>&1; then
    n=90
    while [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]]; do
        n=$((n + 1))
    done
    Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do
        [[ -e /tmp/.X11-unix/X$n ]] && break
        sleep 0.1
    done
    export DISPLAY=":$n" QT_QPA_PLATFORM=xcb
    echo "screenshot: rendering under Xvfb on :$n" >&2
else
    export QT_QPA_PLATFORM=offscreen
    echo "screenshot: no Xvfb; rendering offscreen" >&2
fi

pages=(counter chat todos profile)
shots=()
for page in "${pages[@]}"; do
    timeout 90 "$demo" --page "$page" --screenshot "$tmp/$page.png" --quit-after 60000 >/dev/null
    shots+=("$tmp/$page.png")
done

mkdir -p "$(dirname "$out")"
if command -v montage >/dev/null 2>&1; then
    montage "${shots[@]}" -tile 2x2 -geometry +6+6 -background '#c9ced6' "$tmp/all.png"
    mv "$tmp/all.png" "$out"
else
    cp "$tmp/chat.png" "$out"
fi
echo "screenshot: wrote $out"
