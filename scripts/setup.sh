#!/usr/bin/env bash
# Installs the Debian 12 packages Musubi for Qt needs to build, test and run
# its demo. Idempotent: packages that are already installed are skipped, and
# nothing is fetched when everything is there. Needs root (or sudo) only when
# something is missing.
set -euo pipefail

packages=(
    # toolchain
    g++ cmake ninja-build pkg-config
    # Qt 6.4 (see QT-NOTES: the qml6-module-* packages must be listed one by one)
    qt6-base-dev qt6-declarative-dev qt6-declarative-dev-tools qt6-websockets-dev
    qt6-qpa-plugins libqt6opengl6-dev
    qml6-module-qtqml qml6-module-qtqml-workerscript qml6-module-qtqml-models
    qml6-module-qtquick qml6-module-qtquick-window qml6-module-qtquick-templates
    qml6-module-qtquick-controls qml6-module-qtquick-layouts qml6-module-qttest
    qml6-module-qtquick-dialogs qml6-module-qt-labs-platform qml6-module-qt-labs-folderlistmodel
    qml6-module-qtcore
    # the reference documentation (docs target: QDoc, and its runner script)
    qt6-documentation-tools python3
    # fonts for rendered text
    fonts-dejavu-core
    # fuzzing (libFuzzer ships with clang's runtime)
    clang libclang-rt-14-dev
    # interop test against the official phoenix.js client
    nodejs npm
)
if [[ "${MUSUBI_SETUP_GUI:-0}" == 1 ]]; then
    packages+=(xvfb x11-apps imagemagick xdotool)
fi

# npm packages of the phoenix.js interop test (tests/interop), pinned by its
# package-lock.json. Skipped when node_modules is already there.
install_interop_packages() {
    local dir
    dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/interop"
    if [[ -f "$dir/package-lock.json" && ! -d "$dir/node_modules" ]] && command -v npm >/dev/null 2>&1; then
        echo "setup: npm ci in tests/interop" >&2
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
    fi
}

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        # A command that already exists (e.g. node from another source) is good enough.
        case "$p" in
            nodejs) command -v node >/dev/null 2>&1 && continue ;;
            npm) command -v npm >/dev/null 2>&1 && continue ;;
        esac
        missing+=("$p")
    fi
done

if ((${#missing[@]} == 0)); then
    install_interop_packages
    exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) != 0 ]]; then
    sudo=(sudo)
fi
log=$(mktemp /tmp/musubi-setup.XXXXXX.log)
if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "setup: apt-get failed (full log: $log)" >&2
    exit 1
fi
rm -f "$log"
install_interop_packages
