#!/usr/bin/env bash
# The one list of Debian/Ubuntu packages this project needs, and the one place that installs them.
# ./demo and .ci/run both call it, so a fresh machine gets the same packages either way and the two
# cannot drift. It installs only what dpkg says is missing, so on a provisioned machine it touches
# nothing (no apt-get update, no sudo) and returns at once.
#
#   scripts/install-system-packages.sh            install the missing packages (apt-get update first)
#   scripts/install-system-packages.sh --check    print the missing ones, one a line; exit 1 if any
#   scripts/install-system-packages.sh --list     print the whole list, one a line
#
# Exit status: 0 done (or nothing missing), 1 something is missing or could not be installed,
# 2 bad arguments, 3 not a Debian-like system (no apt-get/dpkg-query): the list is printed instead,
# since the equivalent packages must be installed by hand there.
set -euo pipefail

packages=(
  g++                # node-gyp compiles keytar's and better-sqlite3's native modules during npm ci
  make               # node-gyp drives that compiler through make
  python3            # node-gyp itself is a Python program
  libsecret-1-dev    # keytar links against libsecret; without it npm ci stops at "Package libsecret-1 was not found"
  gnome-keyring      # a real Secret Service, so the keychain tests store tokens as on a user's desktop
  dbus               # dbus-run-session gives the tests (scripts/with-keyring.sh) a private session bus
  dbus-x11           # dbus-launch: GLib's (libsecret's, gnome-keyring's) fallback when no session bus is announced
  chromium           # the renderer's real-browser tests and scripts/render-icons.ts (playwright-core drives it)
  fonts-wqy-microhei # CJK glyphs, so zh-CN screenshots show text rather than boxes
  desktop-file-utils # desktop-file-validate checks the Linux autostart entry
  dunst              # a real notification server (actions, context menu drivable by dunstctl) for the Linux D-Bus notification tests
  xvfb               # dunst draws on X11: a private headless display for it
  nsis               # makensis compiles the installer include that stamps the toast CLSID (test/packaging)
  rabbitmq-server    # a real STOMP broker (Web-STOMP plugin) the core's STOMP client is tested against (scripts/start-rabbitmq.sh)
  postgresql         # the stub's PostgreSQL store: its test suite, the cluster tests and bench:cluster (scripts/start-postgres.sh)
  tinyproxy          # a real HTTP proxy (CONNECT, basic auth) that REST and both stream clients are tested through
)

say() { echo "install-system-packages: $*"; }

mode=install
case "${1:-}" in
  '') ;;
  --check) mode=check ;;
  --list) mode=list ;;
  *)
    echo "usage: $0 [--check | --list]" >&2
    exit 2
    ;;
esac

if [[ "$mode" == list ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  say "this is not a Debian/Ubuntu system (no apt-get or dpkg-query), so nothing was checked or installed." >&2
  say "Install these Debian packages, or your system's equivalents, with its package manager:" >&2
  printf '  %s\n' "${packages[@]}" >&2
  exit 3
fi

missing=()
for pkg in "${packages[@]}"; do
  # Status "install ok installed" is dpkg's word for present; removed-but-configured packages are not.
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == 'install ok installed' ]] || missing+=("$pkg")
done

if [[ "$mode" == check ]]; then
  ((${#missing[@]})) || exit 0
  printf '%s\n' "${missing[@]}"
  exit 1
fi
((${#missing[@]})) || exit 0

# apt-get must run as root; a developer's shell usually is not, CI's usually is.
as_root=(env)
if [[ "$(id -u)" != 0 ]]; then
  if ! command -v sudo >/dev/null; then
    say "not running as root and sudo is not installed; as root, run:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  say "not running as root, so installing with sudo (it may ask for your password)"
  as_root=(sudo env)
fi
say "installing ${missing[*]}"
# env sets the variable for the root process itself; sudo would drop an exported one.
"${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
say "installed ${missing[*]}"
