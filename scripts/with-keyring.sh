#!/usr/bin/env bash
# Runs a command with a D-Bus session and an unlocked gnome-keyring, so keytar talks to a real
# Secret Service (as it does on a user's desktop). Without dbus-run-session it runs the command as is,
# and the keychain tests report why they cannot run.
set -euo pipefail
if [[ -n "${SIGNOFF_KEYRING_READY:-}" ]] || ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  exec "$@"
fi
export SIGNOFF_KEYRING_READY=1
# shellcheck disable=SC2016
exec dbus-run-session -- bash -c 'printf signoff-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"' bash "$@"
