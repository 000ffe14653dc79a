#!/usr/bin/env bash
# Build the Linux installer: dist/edgeling_<version>_amd64.deb
#
#   packaging/linux/build_deb.sh            # from the repo root or anywhere inside it
#   packaging/linux/build_deb.sh --reuse    # repack the last PyInstaller output (skip the slow part)
#
# Needs: python3 (3.10+) with Edgeling's dependencies installed (pip install -c constraints.txt .),
# dpkg-deb, strip (binutils); desktop-file-validate (desktop-file-utils) is used when present.
# PyInstaller is a build-time tool only: it goes into a throw-away venv (build/deb/venv) that sees the
# system's packages, together with a non-editable install of Edgeling itself.
#
# Layout of the package: the PyInstaller onedir in /opt/edgeling, links /usr/bin/edgeling-studio (the
# app) and /usr/bin/edgeling (the command line; entry.py dispatches on the name), the .desktop entry and
# the icon. The bundle needs the glibc of the build machine or newer: build releases on the oldest
# distribution you support (CI: ubuntu-22.04).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
OUT="$ROOT/build/deb"
DIST="$ROOT/dist"
REUSE=0
[[ "${1:-}" == "--reuse" ]] && REUSE=1

VERSION="$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
ARCH="$(dpkg --print-architecture)"
DEB="$DIST/edgeling_${VERSION}_${ARCH}.deb"

# Libraries Qt loads from the system. PyInstaller bundles the xcb helper libraries it finds on the build
# machine, but not on a build machine without them (then libxcb-icccm4 / libxcb-keysyms1 come from here),
# and never libc, libGL / libEGL, libxcb or the Wayland client libraries (ldd on the bundled Qt plugins
# and libraries; the scan after the build below warns about anything else missing).
GLIBC="$(dpkg-query -W -f='${Version}' libc6 | cut -d- -f1)"  # the bundle needs the build machine's glibc
DEPENDS=(
  "libc6 (>= $GLIBC)"
  libxcb-icccm4
  libxcb-keysyms1
  libxcb-cursor0
  libxcb-image0
  libxcb-randr0
  libxcb-render-util0
  libxcb-shape0
  libxcb-sync1
  libxcb-xfixes0
  libxcb-xkb1
  libxkbcommon-x11-0
  libxkbcommon0
  libx11-xcb1
  libegl1
  libgl1
  libfontconfig1
  libdbus-1-3
  libxcb1
  libwayland-client0
  libwayland-cursor0
  libwayland-egl1
)

started=$(date +%s)
if [[ $REUSE == 0 || ! -x "$OUT/dist/edgeling/edgeling-studio" ]]; then
  echo "== build environment (build/deb/venv)"
  rm -rf "$OUT"
  mkdir -p "$OUT"
  "$PYTHON" -m venv --system-site-packages "$OUT/venv"
  VPY="$OUT/venv/bin/python"
  "$VPY" -m pip install -q --no-deps "$ROOT"
  "$VPY" -m pip install -q "pyinstaller==6.22.*" pyinstaller-hooks-contrib
  "$VPY" -c 'import edgeling.core, sys; assert "site-packages" in edgeling.core.__file__, edgeling.core.__file__'
  echo "== PyInstaller (several minutes)"
  "$VPY" -m PyInstaller --noconfirm --clean \
    --distpath "$OUT/dist" --workpath "$OUT/work" "$ROOT/packaging/edgeling.spec"
fi
bundle_done=$(date +%s)

# Anything the bundled Qt needs that neither the bundle nor this machine has would be missing at run time.
INTERNAL="$OUT/dist/edgeling/_internal"
missing=$(find "$INTERNAL/PySide6" -name "*.so*" -type f -print0 \
  | xargs -0 -n 20 env LD_LIBRARY_PATH="$INTERNAL:$INTERNAL/PySide6/Qt/lib" ldd 2>/dev/null \
  | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ' || true)
[[ -n "$missing" ]] && echo "WARNING: libraries the bundled Qt needs that are not on this machine: $missing"

echo "== package tree"
PKG="$OUT/root"
rm -rf "$PKG"
mkdir -p "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
  "$PKG/usr/share/icons/hicolor/256x256/apps" "$PKG/usr/share/doc/edgeling" "$PKG/DEBIAN"
cp -a "$OUT/dist/edgeling" "$PKG/opt/edgeling"
ln -s /opt/edgeling/edgeling-studio "$PKG/usr/bin/edgeling-studio"
ln -s /opt/edgeling/edgeling-studio "$PKG/usr/bin/edgeling"
install -m 644 "$ROOT/packaging/linux/edgeling.desktop" "$PKG/usr/share/applications/edgeling.desktop"
install -m 644 "$ROOT/packaging/icons/edgeling.png" "$PKG/usr/share/icons/hicolor/256x256/apps/edgeling.png"
cat > "$PKG/usr/share/doc/edgeling/copyright" <<EOF
Edgeling $VERSION. License: Apache-2.0.
Bundled third-party components (Python, Qt for Python, PyTorch, ONNX Runtime, LiteRT and others) keep
their own licences; their licence files are inside /opt/edgeling/_internal.
EOF
chmod -R u+rwX,go+rX,go-w "$PKG"

if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$PKG/usr/share/applications/edgeling.desktop"
  echo "desktop-file-validate: ok"
else
  echo "desktop-file-validate not found (apt-get install desktop-file-utils); skipped"
fi

installed_kb=$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)
depends=$(IFS=,; echo "${DEPENDS[*]}" | sed 's/,/, /g')
cat > "$PKG/DEBIAN/control" <<EOF
Package: edgeling
Version: $VERSION
Section: science
Priority: optional
Architecture: $ARCH
Maintainer: Edgeling developers <edgeling@users.noreply.github.com>
Installed-Size: $installed_kb
Depends: $depends
Homepage: https://github.com/edgeling/edgeling
Description: build small neural networks from your own files, offline
 Edgeling builds a small neural network from your own images, tables, sensor
 recordings or audio clips, sized for the device it will run on (from a
 256 KB microcontroller to a desktop), trains it and exports a verified ONNX
 or TFLite file. It works without a network connection.
EOF
install -m 755 "$ROOT/packaging/linux/postinst" "$PKG/DEBIAN/postinst"
install -m 755 "$ROOT/packaging/linux/postrm" "$PKG/DEBIAN/postrm"

mkdir -p "$DIST"
rm -f "$DEB"
dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB"
finished=$(date +%s)

onedir_mb=$(du -sm "$OUT/dist/edgeling" | cut -f1)
deb_mb=$(du -m "$DEB" | cut -f1)
echo "== done: $DEB"
echo "bundle (PyInstaller): $((bundle_done - started)) s; package: $((finished - bundle_done)) s"
echo "onedir: ${onedir_mb} MB; .deb: ${deb_mb} MB; installed size: $((installed_kb / 1024)) MB"
