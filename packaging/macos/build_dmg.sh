#!/usr/bin/env bash
# Build the macOS installer (Apple silicon only): dist/Edgeling-<version>-arm64.dmg
#
#   packaging/macos/build_dmg.sh            # PyInstaller .app -> sign -> notarize -> staple -> .dmg
#   packaging/macos/build_dmg.sh --reuse    # skip PyInstaller, reuse dist/Edgeling.app
#
# Needs: python3 with Edgeling's dependencies and pyinstaller==6.22.* + pyinstaller-hooks-contrib,
# Xcode command line tools (codesign, xcrun, hdiutil). Intel Macs are not supported: there are no
# current torch wheels for them.
#
# Signing and notarization happen only when their secrets are set; without them every such step is
# skipped with a message and the result is an unsigned (ad-hoc signed) .dmg that macOS opens after
# right-click > Open (see README "Install").
#   MACOS_CERTIFICATE_P12_BASE64, MACOS_CERTIFICATE_PASSWORD  a "Developer ID Application" certificate,
#                                                             imported into a temporary keychain (CI)
#   MACOS_SIGNING_IDENTITY    e.g. "Developer ID Application: Name (TEAMID)"
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD               notarization (app-specific password)
# Not run on this project's Linux machine: built and smoke-tested by CI only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VERSION="$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
APP="$ROOT/dist/Edgeling.app"
DMG="$ROOT/dist/Edgeling-${VERSION}-arm64.dmg"
ENTITLEMENTS="$ROOT/packaging/macos/entitlements.plist"
IDENTITY="${MACOS_SIGNING_IDENTITY:-}"

if [[ "$(uname -m)" != "arm64" ]]; then
  echo "build_dmg.sh: Edgeling for macOS is built on Apple silicon (arm64) only." >&2
  exit 1
fi

started=$(date +%s)
if [[ "${1:-}" != "--reuse" || ! -d "$APP" ]]; then
  echo "== PyInstaller (several minutes)"
  EDGELING_VERSION="$VERSION" "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/macos" "$ROOT/packaging/edgeling.spec"
fi
echo "PyInstaller: $(( $(date +%s) - started )) s; app: $(du -sh "$APP" | cut -f1)"

KEYCHAIN=""
cleanup() { [[ -n "$KEYCHAIN" ]] && security delete-keychain "$KEYCHAIN" || true; }
trap cleanup EXIT

if [[ -n "$IDENTITY" && -n "${MACOS_CERTIFICATE_P12_BASE64:-}" ]]; then
  echo "== importing the signing certificate into a temporary keychain"
  KEYCHAIN="${RUNNER_TEMP:-$(mktemp -d)}/edgeling-signing.keychain-db"
  KC_PASS="$(uuidgen)"
  security create-keychain -p "$KC_PASS" "$KEYCHAIN"
  security set-keychain-settings -lut 21600 "$KEYCHAIN"
  security unlock-keychain -p "$KC_PASS" "$KEYCHAIN"
  P12="$(mktemp).p12"
  echo "$MACOS_CERTIFICATE_P12_BASE64" | base64 --decode > "$P12"
  security import "$P12" -k "$KEYCHAIN" -P "${MACOS_CERTIFICATE_PASSWORD:-}" -T /usr/bin/codesign
  rm -f "$P12"
  security set-key-partition-list -S apple-tool:,apple: -s -k "$KC_PASS" "$KEYCHAIN" >/dev/null
  security list-keychains -d user -s "$KEYCHAIN" $(security list-keychains -d user | tr -d '"')
fi

if [[ -n "$IDENTITY" ]]; then
  echo "== codesign (hardened runtime) with: $IDENTITY"
  # Inside out: every Mach-O file first, then the bundle. --deep is deprecated for signing.
  while IFS= read -r -d '' f; do
    if file -b "$f" | grep -q "Mach-O"; then
      codesign --force --timestamp --options runtime --sign "$IDENTITY" "$f"
    fi
  done < <(find "$APP/Contents" -type f -print0)
  codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" \
    --sign "$IDENTITY" "$APP/Contents/MacOS/edgeling-studio"
  codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" --sign "$IDENTITY" "$APP"
  codesign --verify --deep --strict --verbose=2 "$APP"
else
  echo "== codesign skipped: MACOS_SIGNING_IDENTITY is not set (the app keeps PyInstaller's ad-hoc signature)"
fi

notarize() {  # notarize FILE: submit, wait, staple
  if [[ -z "$IDENTITY" || -z "${APPLE_ID:-}" || -z "${APPLE_TEAM_ID:-}" || -z "${APPLE_APP_PASSWORD:-}" ]]; then
    echo "== notarization of $(basename "$1") skipped: signing identity or APPLE_ID / APPLE_TEAM_ID / APPLE_APP_PASSWORD not set"
    return 0
  fi
  echo "== notarizing $(basename "$1") (waits for Apple)"
  xcrun notarytool submit "$1" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
    --password "$APPLE_APP_PASSWORD" --wait --timeout 2h
}

if [[ -n "$IDENTITY" && -n "${APPLE_ID:-}" ]]; then
  ZIP="$(mktemp -d)/Edgeling.zip"
  ditto -c -k --keepParent "$APP" "$ZIP"
  notarize "$ZIP"
  xcrun stapler staple "$APP"
  rm -f "$ZIP"
else
  notarize "$APP"  # prints why it is skipped
fi

echo "== dmg"
STAGE="$(mktemp -d)"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -volname "Edgeling" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
rm -rf "$STAGE"

if [[ -n "$IDENTITY" ]]; then
  codesign --force --timestamp --sign "$IDENTITY" "$DMG"
  if [[ -n "${APPLE_ID:-}" ]]; then
    notarize "$DMG"
    xcrun stapler staple "$DMG"
  fi
else
  echo "== dmg signing skipped: MACOS_SIGNING_IDENTITY is not set"
fi
echo "== done: $DMG ($(du -h "$DMG" | cut -f1)) in $(( $(date +%s) - started )) s"
