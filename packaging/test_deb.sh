#!/usr/bin/env bash
# End-to-end test of the Linux installer. Too slow for every CI run (the PyInstaller build alone takes
# several minutes), so it runs on every release tag (.github/workflows/installers.yml) and by hand before
# a packaging change is merged:
#
#   packaging/test_deb.sh              # build from a clean clone of the committed HEAD
#   packaging/test_deb.sh --worktree   # build from the working tree's files (tracked + new, not ignored)
#   packaging/test_deb.sh --deb FILE   # test an already built .deb (skips step 1; for iterating only)
#
# Steps, each of which must pass:
#   1. build the .deb from a clean copy of the sources (packaging/linux/build_deb.sh), timed;
#   2. apt-get install ./edgeling_*.deb (pulls the xcb libraries Qt needs);
#   3. `edgeling-studio --self-test` and `edgeling --help` from the installed package with the network
#      unavailable (a new network namespace: unshare -n);
#   4. start the app under Xvfb with its .desktop entry's Exec line, wait for its window, screenshot it
#      into docs/screenshots/edgeling-deb-xvfb.png;
#   5. apt-get purge edgeling: the app is gone, the user's projects folder (~/.local/share/edgeling) is not.
# Needs root or passwordless sudo (apt-get, unshare), Xvfb, xwininfo (x11-utils), python3 with Pillow and
# Edgeling's dependencies (the build uses them), dpkg-deb, git.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"
WORK="$(mktemp -d /tmp/edgeling-deb-test.XXXXXX)"
TEST_HOME="$WORK/home"
LOG_DIR="${EDGELING_TEST_LOG_DIR:-$WORK/self-test}"
SHOT="$ROOT/docs/screenshots/edgeling-deb-xvfb.png"
DISPLAY_NUM=":97"
mkdir -p "$TEST_HOME"
step() { echo; echo "=== $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }       # a step the later steps cannot do without
PROBLEMS=()
problem() { echo "FAIL: $*" >&2; PROBLEMS+=("$*"); }  # recorded; the later steps still run
as_user() { env HOME="$TEST_HOME" XDG_RUNTIME_DIR="$WORK/run" "$@"; }
mkdir -p -m 700 "$WORK/run"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

build_s="not built here"
if [[ "${1:-}" == "--deb" ]]; then
  DEB="$(realpath "$2")"
  step "1. skipped: testing the given $DEB"
else
  step "1. clean copy of the sources in $WORK/src"
  if [[ "${1:-}" == "--worktree" ]]; then
    mkdir -p "$WORK/src"
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
       | python3 -c 'import os, sys; [print(p) for p in sys.stdin.read().split("\0") if p and os.path.exists(p)]' \
       | tar -cf - -T -) | tar -xf - -C "$WORK/src"
  else
    git clone --quiet "$ROOT" "$WORK/src"
  fi
  t0=$(date +%s)
  (cd "$WORK/src" && packaging/linux/build_deb.sh) 2>&1 | tee "$WORK/build.log"
  build_s="$(( $(date +%s) - t0 )) s"
  DEB="$(ls "$WORK"/src/dist/edgeling_*.deb)"
  echo "build time: ${build_s}"
fi

step "2. apt-get install $DEB"
$SUDO apt-get remove -y -q edgeling >/dev/null 2>&1 || true
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$DEB"
[[ -x /opt/edgeling/edgeling-studio && -L /usr/bin/edgeling-studio && -L /usr/bin/edgeling ]] \
  || fail "the package did not install /opt/edgeling and the /usr/bin links"
installed_mb=$(du -sm /opt/edgeling | cut -f1)

step "3. self-test from the installed package, network unavailable"
offline() { $SUDO unshare -n -- "$@"; }
if offline python3 -c 'import socket; socket.create_connection(("1.1.1.1", 53), timeout=3)' 2>/dev/null; then
  fail "unshare -n did not cut the network off"
fi
echo "network inside the namespace: unavailable (checked)"
offline env HOME="$TEST_HOME" XDG_RUNTIME_DIR="$WORK/run" /usr/bin/edgeling-studio --self-test --log-dir "$LOG_DIR" \
  || problem "edgeling-studio --self-test failed offline (log: $LOG_DIR/self-test.log)"
offline env HOME="$TEST_HOME" /usr/bin/edgeling --help >/dev/null && echo "CLI link: ok" \
  || problem "edgeling --help (the CLI link) failed"

step "4. start the app from its .desktop entry under Xvfb and take a screenshot"
EXEC_LINE="$(sed -n 's/^Exec=//p' /usr/share/applications/edgeling.desktop | head -1)"
EXEC_CMD="$(echo "$EXEC_LINE" | sed 's/ *%[fFuUdDnNickvm]//g')"
echo "Exec line: $EXEC_LINE"
if ! command -v Xvfb >/dev/null; then
  # No X server to draw on (a machine without Xvfb): start the Exec line offscreen instead and check that the
  # app stays up with its window made (the self-test above drew it too); no screenshot can be taken.
  echo "Xvfb is not installed: starting the Exec line offscreen (no screenshot)"
  # shellcheck disable=SC2086 - the Exec line is split into words the way a desktop launcher does
  as_user env QT_QPA_PLATFORM=offscreen $EXEC_CMD >"$WORK/app.log" 2>&1 &
  APP_PID=$!
  PIDS+=($APP_PID)
  sleep 20
  if kill -0 "$APP_PID" 2>/dev/null && ! grep -qi "traceback" "$WORK/app.log"; then
    echo "the app started from its Exec line and was still running after 20 s (offscreen)"
  else
    cat "$WORK/app.log"
    problem "the app started from its Exec line exited or printed a traceback (offscreen, no Xvfb here)"
  fi
  kill "$APP_PID" 2>/dev/null || true
  wait "$APP_PID" 2>/dev/null || true
else
Xvfb "$DISPLAY_NUM" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
PIDS+=($!)
sleep 2
# shellcheck disable=SC2086 - the Exec line is split into words the way a desktop launcher does
as_user env DISPLAY="$DISPLAY_NUM" QT_QPA_PLATFORM=xcb $EXEC_CMD >"$WORK/app.log" 2>&1 &
APP_PID=$!
PIDS+=($APP_PID)
found=""
for _ in $(seq 1 90); do
  kill -0 "$APP_PID" 2>/dev/null || break
  if xwininfo -display "$DISPLAY_NUM" -root -tree 2>/dev/null | grep -qi 'edgeling'; then found=1; break; fi
  sleep 1
done
if [[ -z "$found" ]]; then
  cat "$WORK/app.log"
  problem "no Edgeling window appeared under Xvfb within 90 s (or the app exited)"
else
  sleep 3  # let it finish painting
  xwininfo -display "$DISPLAY_NUM" -root -tree | grep -i edgeling | head -3
  mkdir -p "$(dirname "$SHOT")"
  python3 - "$DISPLAY_NUM" "$SHOT" <<'EOF' || problem "the screenshot failed or is blank"
import sys
from PIL import ImageGrab
img = ImageGrab.grab(xdisplay=sys.argv[1]).convert("RGB")
colours = img.getcolors(1 << 20)
if colours is not None and len(colours) < 3:
    sys.exit(f"the screenshot is blank ({len(colours)} colours)")
img.save(sys.argv[2], optimize=True)
print(f"screenshot {img.size[0]}x{img.size[1]} -> {sys.argv[2]}")
EOF
fi
kill "$APP_PID" 2>/dev/null || true
wait "$APP_PID" 2>/dev/null || true
fi

step "5. uninstall (purge) keeps the user's projects"
PROJECTS="$TEST_HOME/.local/share/edgeling/projects/kept-project"
mkdir -p "$PROJECTS"
echo '{"name": "kept-project"}' > "$PROJECTS/project.json"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q edgeling
[[ ! -e /opt/edgeling && ! -e /usr/bin/edgeling-studio && ! -e /usr/bin/edgeling \
   && ! -e /usr/share/applications/edgeling.desktop ]] || fail "files of the package are still there"
[[ -f "$PROJECTS/project.json" ]] || fail "uninstalling removed the user's projects"
echo "app removed; $PROJECTS kept"

if [[ ${#PROBLEMS[@]} -gt 0 ]]; then
  step "FAILED (${#PROBLEMS[@]})"
  printf '  - %s\n' "${PROBLEMS[@]}"
  echo "work folder: $WORK"
  exit 1
fi
step "PASSED"
echo "build ${build_s}; .deb $(du -m "$DEB" | cut -f1) MB; installed ${installed_mb} MB; screenshot $SHOT"
echo "self-test log: $LOG_DIR/self-test.log; work folder: $WORK"
