#!/usr/bin/env bash
# deploy/install.sh: turn a fresh Debian 12 machine into a kiosk terminal. Idempotent: run it again
# after an update of this directory and it changes only what differs. Run as root from a checkout
# (or an unpacked copy) of the repository. docs/deployment.md is the field engineer's guide.
#
#   deploy/install.sh [--release DIR] [--no-start] [--dry-run]
#
#   --release DIR  a release built by `deploy/kiosk_release.py build DIR`: installed and made live
#   --no-start     do not (re)start kiosk.service at the end
#   --dry-run      print every step and the commands it would run; change nothing (CI runs this)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DRY=0 START=1 RELEASE=""
while (($#)); do
  case $1 in
    --dry-run) DRY=1 ;;
    --no-start) START=0 ;;
    --release) RELEASE=${2:?--release needs a directory}; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# Debian packages a kiosk needs at run time, and to build pyscard (no Linux wheel on PyPI)
PACKAGES=(cage xwayland python3 python3-venv pcscd libpcsclite1 libpulse0 espeak-ng
  libwayland-client0 libwayland-cursor0 libwayland-egl1 libxkbcommon0 libegl1 libgl1 libfontconfig1
  libdbus-1-3 polkitd libpam-systemd
  libpcsclite-dev swig gcc python3-dev)
# never on a kiosk: they would mount USB disks or offer a desktop
UNWANTED=(udisks2 usbmount gnome-shell xserver-xorg-core lightdm gdm3)
UV_VERSION=0.13.9  # the version uv.lock was written with (tools/setup.sh)
UNITS=(kiosk.service kiosk-rollback.service kiosk-backlight.service kiosk-backlight.timer kiosk-log-export@.service)

n=0
step() { n=$((n + 1)); echo "[$n] $*"; }
run() {  # a command that changes the machine
  echo "    + $*"
  if ((DRY == 0)); then "$@"; fi
}
note() { echo "    = $*"; }
put() {  # put SRC DEST MODE [OWNER]: install a file if it is missing or different
  local src=$1 dest=$2 mode=$3 owner=${4:-root:root}
  if [ -f "$dest" ] && cmp -s "$src" "$dest"; then note "$dest unchanged"; return 0; fi
  run install -D -m "$mode" -o "${owner%:*}" -g "${owner#*:}" "$src" "$dest"
  CHANGED=1
}
keep() {  # keep SRC DEST MODE OWNER: install only if missing (site-edited files are never overwritten)
  if [ -f "$2" ]; then note "$2 exists (site settings kept; the shipped one is $1)"; return 0; fi
  put "$@"
}

if ((DRY)); then echo "install.sh: dry run: printing every step, changing nothing"; fi
step "check: Debian 12 and root"
. /etc/os-release
if [ "${ID:-}" != debian ] || [ "${VERSION_ID:-}" != 12 ]; then
  echo "install.sh: this is ${PRETTY_NAME:-unknown}; the kiosk is built for Debian 12" >&2
  ((DRY)) || exit 1
fi
if [ "$(id -u)" -ne 0 ]; then echo "install.sh: run as root" >&2; ((DRY)) || exit 1; fi
if [ -n "$RELEASE" ] && [ ! -f "$RELEASE/release.json" ]; then
  echo "install.sh: $RELEASE is not a release directory (no release.json)" >&2; exit 2
fi

step "Debian packages: ${PACKAGES[*]}"
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  run apt-get update -qq
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else note "all installed"; fi
present=()
for p in "${UNWANTED[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && present+=("$p")
done
if ((${#present[@]})); then run env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${present[@]}"
else note "none of ${UNWANTED[*]} installed"; fi

step "user kiosk (system user, no login shell, no password)"
if id kiosk >/dev/null 2>&1; then note "user kiosk exists"
else run useradd --system --user-group --home-dir /var/lib/kiosk --no-create-home --shell /usr/sbin/nologin kiosk; fi
for g in video render input dialout plugdev; do
  if ! getent group "$g" >/dev/null; then run groupadd --system "$g"; fi
done
if id -nG kiosk 2>/dev/null | tr ' ' '\n' | grep -qx plugdev; then note "kiosk is in video render input dialout plugdev"
else run usermod -aG video,render,input,dialout,plugdev kiosk; fi

step "uv $UV_VERSION in /opt/kiosk/tools (installs releases from their lock)"
if [ -x /opt/kiosk/tools/bin/uv ] && [ "$(/opt/kiosk/tools/bin/uv --version | cut -d' ' -f2)" = "$UV_VERSION" ]; then
  note "uv $UV_VERSION present"
else
  run python3 -m venv /opt/kiosk/tools
  run /opt/kiosk/tools/bin/pip install -q "uv==$UV_VERSION"
fi
run install -d -m 0755 /opt/kiosk/releases

step "scripts: kiosk-release, kiosk-backlight, kiosk-log-export in /usr/local/sbin"
CHANGED=0
put "$here/kiosk_release.py" /usr/local/sbin/kiosk-release 0755
put "$here/kiosk_backlight.py" /usr/local/sbin/kiosk-backlight 0755
put "$here/kiosk_log_export.sh" /usr/local/sbin/kiosk-log-export 0755

step "config: /etc/kiosk (kiosk.toml and kiosk.env are site files: installed once, then kept)"
run install -d -m 0750 -o root -g kiosk /etc/kiosk
keep "$here/config/kiosk.toml" /etc/kiosk/kiosk.toml 0640 root:kiosk
keep "$here/config/kiosk.env" /etc/kiosk/kiosk.env 0644 root:root
if [ -f /etc/kiosk/kiosk.key ]; then note "/etc/kiosk/kiosk.key exists"
else
  echo "    ! /etc/kiosk/kiosk.key missing: provision this terminal's signing key (docs/deployment.md)"
fi
if [ -f /etc/kiosk/ca.pem ]; then note "/etc/kiosk/ca.pem exists"
else echo "    ! /etc/kiosk/ca.pem missing: install the platform's CA certificate (docs/deployment.md)"; fi

step "systemd units, logind/manager settings, sysctl, udev and polkit rules"
CHANGED=0
for u in "${UNITS[@]}"; do put "$here/systemd/$u" "/etc/systemd/system/$u" 0644; done
put "$here/etc/logind.conf.d/kiosk.conf" /etc/systemd/logind.conf.d/kiosk.conf 0644
put "$here/etc/system.conf.d/kiosk.conf" /etc/systemd/system.conf.d/kiosk.conf 0644
put "$here/etc/sysctl.d/90-kiosk.conf" /etc/sysctl.d/90-kiosk.conf 0644
put "$here/etc/udev/rules.d/90-kiosk-usb-storage.rules" /etc/udev/rules.d/90-kiosk-usb-storage.rules 0644
put "$here/etc/udev/rules.d/91-kiosk-devices.rules" /etc/udev/rules.d/91-kiosk-devices.rules 0644
put "$here/etc/polkit-1/rules.d/50-kiosk.rules" /etc/polkit-1/rules.d/50-kiosk.rules 0644
if ((CHANGED)); then
  run systemctl daemon-reload
  run sysctl --quiet --system
  run udevadm control --reload
else note "nothing changed: no reload"; fi
run systemctl mask --quiet ctrl-alt-del.target
run systemctl set-default --quiet graphical.target
run systemctl enable --quiet kiosk.service kiosk-backlight.timer
run systemctl disable --quiet getty@tty1.service

step "boot: no console blanking, no boot menu"
if [ -f /etc/default/grub ]; then
  if grep -q 'consoleblank=0' /etc/default/grub && grep -q '^GRUB_TIMEOUT=0' /etc/default/grub; then
    note "/etc/default/grub has consoleblank=0 and GRUB_TIMEOUT=0"
  else
    run sed -i -e 's/^GRUB_CMDLINE_LINUX_DEFAULT="\(.*\)"/GRUB_CMDLINE_LINUX_DEFAULT="\1 consoleblank=0 quiet"/' \
      -e 's/^GRUB_TIMEOUT=.*/GRUB_TIMEOUT=0/' /etc/default/grub
    run update-grub
  fi
else note "no /etc/default/grub (not GRUB): set consoleblank=0 on the kernel command line by hand"; fi

step "release: ${RELEASE:-none given (kiosk-release status shows what is installed)}"
if [ -n "$RELEASE" ]; then
  version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$RELEASE/release.json")
  if [ -d "/opt/kiosk/releases/$version" ]; then note "release $version installed"
  else run env KIOSK_UV=/opt/kiosk/tools/bin/uv /usr/local/sbin/kiosk-release install "$RELEASE"; fi
  if [ "$(readlink /opt/kiosk/current 2>/dev/null)" = "releases/$version" ]; then note "$version is live"
  else run /usr/local/sbin/kiosk-release activate "$version"; fi
fi

step "start: kiosk.service"
if ((START == 0)); then note "--no-start: not started"
elif [ ! -L /opt/kiosk/current ] && [ -z "$RELEASE" ]; then note "no release live yet: not started (use --release DIR)"
else run systemctl restart kiosk.service; fi
echo "install.sh: done ($n steps)$( ((DRY)) && echo '; dry run, nothing changed')"
