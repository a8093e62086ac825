# shellcheck shell=bash
# Shared setup for scripts/kiosk and scripts/test. Source it, don't run it.
#
# What it guarantees before the kiosk or the tests start:
#   1. the Debian packages Qt's xcb/Wayland plugins load at run time are installed
#      (a missing one otherwise shows up as a Qt abort that blames the wrong library),
#   2. .venv exists (python3 -m venv),
#   3. exactly the packages in requirements.lock are installed into it (with their hashes
#      checked), then the kiosk itself in editable mode; again only when requirements.lock,
#      pyproject.toml or setup.py changed. scripts/lock refreshes the lock.

KIOSK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KIOSK_VENV="$KIOSK_ROOT/.venv"
KIOSK_LOCK="$KIOSK_ROOT/requirements.lock"
KIOSK_STAMP="$KIOSK_VENV/.kiosk-install.sha256"
KIOSK_ME=${KIOSK_ME:-$(basename "$0")}

# What PySide6's xcb plugin and Qt libraries link against, found with ldd on
# libqxcb.so, libQt6*.so and the print-support plugin, then checked by opening
# a real window under Xvfb on a bare Debian 12. On that machine only
# libxcb-icccm4 and libxcb-keysyms1 were missing, and Qt's message blamed
# libxcb-cursor0. The Wayland libraries are there for cage, the usual kiosk
# compositor. libcups2 is what Qt's print dialog and CUPS engine need. Speech
# output (QtTextToSpeech's speechd engine) needs libspeechd2, speech-dispatcher
# with espeak-ng voices, and a sound server (PulseAudio) to play to.
KIOSK_RUNTIME_DEBS=(
  libxcb1 libx11-6 libx11-xcb1
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
  libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1 libxcb-glx0
  libxkbcommon0 libxkbcommon-x11-0
  libwayland-client0 libwayland-cursor0 libwayland-egl1
  libegl1 libgl1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
  libcups2 fonts-dejavu-core
)

# Speech output (Listen): Qt's speechd engine over speech-dispatcher and espeak-ng,
# played by PulseAudio. Optional for the kiosk (Listen hides without it), needed by the tests.
# shellcheck disable=SC2034  # used by kiosk_setup, scripts/test and .ci/run
KIOSK_SPEECH_DEBS=(
  speech-dispatcher speech-dispatcher-espeak-ng espeak-ng libspeechd2 pulseaudio pulseaudio-utils
)

# Only the tests need these: a virtual X server and a way to drive it, a real
# CUPS scheduler with the generic PDF driver (cups-filters), PDF tools, and git
# (kiosk deck install from a git repository), and sox to measure recorded speech.
# shellcheck disable=SC2034  # used by scripts/test and .ci/run
KIOSK_TEST_DEBS=(
  xvfb xauth xdotool x11-utils openbox
  cups cups-client cups-bsd cups-filters
  poppler-utils git sox
  systemd debootstrap
)

say() { printf '%s: %s\n' "$KIOSK_ME" "$*" >&2; }
die() { say "$*"; exit 1; }

# Print the packages among "$@" that are not installed. Ubuntu 24.04 renamed some
# libraries with a t64 suffix (libglib2.0-0t64, libcups2t64): either name counts.
kiosk_missing_debs() {
  local p installed
  # One dpkg-query for all names; it exits 1 when some name is unknown, which is expected.
  installed=$(dpkg-query -W -f='${db:Status-Abbrev}${Package}\n' "$@" "${@/%/t64}" 2>/dev/null \
    | awk '/^ii/ {printf " %s", $2}' || true)
  installed="$installed "
  for p in "$@"; do
    [[ $installed == *" $p "* || $installed == *" ${p}t64 "* ]] || printf '%s\n' "$p"
  done
}

# apt-get install, running apt-get update first only when the package lists are
# empty or the install fails on them (a second run stays offline).
kiosk_apt_install() {
  local -a sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  local -a apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y --no-install-recommends)
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    "${sudo[@]}" apt-get -q update || return 1
  fi
  "${apt[@]}" install "${KIOSK_APT_PKGS[@]}" && return 0
  "${sudo[@]}" apt-get -q update && "${apt[@]}" install "${KIOSK_APT_PKGS[@]}"
}

# kiosk_ensure_debs required|optional WHAT PKG...
#   required: install them (as root, or through sudo), else print the command and exit 1.
#   optional: install them when that needs no password, else say which are missing
#             and go on (tests that need them skip, or fail under KIOSK_REQUIRE_REAL=1).
kiosk_ensure_debs() {
  local mode=$1 what=$2; shift 2
  if ! command -v dpkg-query >/dev/null; then
    say "not a Debian/Ubuntu system: cannot check the $what packages; install the equivalents of: $*"
    return 0
  fi
  local -a missing
  mapfile -t missing < <(kiosk_missing_debs "$@")
  [ "${#missing[@]}" -eq 0 ] && return 0
  KIOSK_APT_PKGS=("${missing[@]}")
  local cmd="sudo apt-get install ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    say "installing the $what packages that are missing: ${missing[*]}"
    kiosk_apt_install || die "could not install ${missing[*]}; try: apt-get update && apt-get install ${missing[*]}"
  elif [ "$mode" = required ] && command -v sudo >/dev/null; then
    say "the $what packages ${missing[*]} are missing; running: $cmd"
    kiosk_apt_install || die "could not install them; run: $cmd"
  elif [ "$mode" = optional ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    say "installing the $what packages that are missing: ${missing[*]}"
    kiosk_apt_install || say "could not install them; tests that need them will skip. To install: $cmd"
  elif [ "$mode" = required ]; then
    die "the $what packages ${missing[*]} are missing. Install them with: $cmd"
  else
    say "the $what packages ${missing[*]} are missing, so the tests that need them will skip. To install: $cmd"
  fi
}

# Pick a Python 3.11+ ($PYTHON, else python3).
kiosk_python() {
  local py=${PYTHON:-python3}
  command -v "$py" >/dev/null || die "no $py found; install Python 3.11 or newer (Debian: apt-get install python3 python3-venv)"
  "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "$("$py" -c 'import sys; print("Python %d.%d" % sys.version_info[:2])') is too old: the kiosk needs 3.11 or newer (set PYTHON=/path/to/python3.11)"
  printf '%s\n' "$py"
}

kiosk_ensure_venv() {
  [ -x "$KIOSK_VENV/bin/python" ] && return 0
  local py; py=$(kiosk_python)
  if ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
    local pkg
    pkg=$("$py" -c 'import sys; print("python3-venv (or python%d.%d-venv)" % sys.version_info[:2])')
    die "$py has no working venv module; install it with: sudo apt-get install $pkg"
  fi
  say "creating $KIOSK_VENV"
  rm -rf "$KIOSK_VENV"
  "$py" -m venv "$KIOSK_VENV" || { rm -rf "$KIOSK_VENV"; die "python3 -m venv failed (see above)"; }
}

# Install the lock, then the kiosk (editable, no dependencies of its own), only when
# requirements.lock, pyproject.toml or setup.py differ from the last install.
kiosk_ensure_install() {
  local want have="" f
  for f in pyproject.toml setup.py requirements.lock; do
    [ -f "$KIOSK_ROOT/$f" ] || die "no $f in $KIOSK_ROOT"
  done
  want=$(cd "$KIOSK_ROOT" && cat pyproject.toml setup.py requirements.lock | sha256sum | cut -d' ' -f1)
  [ -f "$KIOSK_STAMP" ] && have=$(cat "$KIOSK_STAMP")
  [ "$want" = "$have" ] && return 0
  local -a pip=("$KIOSK_VENV/bin/python" -m pip install -q --disable-pip-version-check)
  say "installing the locked packages (requirements.lock) and the kiosk into .venv"
  "${pip[@]}" --require-hashes -r "$KIOSK_LOCK" \
    || die "pip install --require-hashes -r requirements.lock failed (see above)"
  # The build backend (setuptools) is in the lock, so no unpinned build environment is fetched.
  (cd "$KIOSK_ROOT" && "${pip[@]}" --no-deps --no-build-isolation -e .) \
    || die "pip install --no-deps -e . failed (see above)"
  # A dependency added to pyproject.toml but not yet locked shows up here.
  "$KIOSK_VENV/bin/python" -m pip check --disable-pip-version-check >/dev/null \
    || die "requirements.lock does not cover pyproject.toml ($("$KIOSK_VENV/bin/python" -m pip check 2>&1 \
      | head -3 | tr '\n' ' ')); refresh it with scripts/lock and commit it"
  printf '%s\n' "$want" >"$KIOSK_STAMP"
}

# Last guard before Qt starts: every library the platform plugin links against resolves.
kiosk_check_qt_libs() {
  local plugin_dir plugin missing
  plugin_dir=$("$KIOSK_VENV/bin/python" -c \
    'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt", "plugins", "platforms"))' 2>/dev/null) \
    || die "PySide6 is not importable from .venv; delete $KIOSK_STAMP and run again to reinstall"
  for plugin in "$@"; do
    [ -f "$plugin_dir/$plugin" ] || continue
    missing=$(ldd "$plugin_dir/$plugin" 2>/dev/null | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
    [ -z "$missing" ] || die "Qt's $plugin plugin cannot load: missing ${missing% }. Install the package that provides it (apt-file search NAME) and run again"
  done
}

kiosk_setup() {
  kiosk_ensure_debs required "Qt runtime" "${KIOSK_RUNTIME_DEBS[@]}"
  kiosk_ensure_debs optional "speech" "${KIOSK_SPEECH_DEBS[@]}"
  kiosk_ensure_venv
  kiosk_ensure_install
}
