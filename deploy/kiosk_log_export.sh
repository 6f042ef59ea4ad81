#!/bin/sh
# kiosk-log-export DEVICE: copy the kiosk's logs (personal data already masked) and the release
# state to a USB partition, then unmount it. Run only by kiosk-log-export@.service, i.e. on the
# technician's request; USB storage is otherwise never mounted (deploy/etc/udev rules).
set -eu
dev=$1
case "$dev" in /dev/sd[a-z][0-9]|/dev/sd[a-z]) ;; *) echo "kiosk-log-export: $dev is not a USB disk partition" >&2; exit 2;; esac
[ -b "$dev" ] || { echo "kiosk-log-export: no block device $dev" >&2; exit 2; }
mnt=$(mktemp -d /tmp/kiosk-export.XXXXXX)
mount -o nosuid,nodev,noexec,sync "$dev" "$mnt"
trap 'umount "$mnt" 2>/dev/null || true; rmdir "$mnt" 2>/dev/null || true' EXIT
out="$mnt/kiosk-logs-$(hostname)-$(date +%Y%m%d-%H%M%S)"
mkdir "$out"
cp -r /var/log/kiosk/. "$out/"
/usr/local/sbin/kiosk-release status > "$out/release-status.json" 2>&1 || true
journalctl -u kiosk.service -u kiosk-rollback.service --since -7d --no-pager > "$out/journal.txt" 2>&1 || true
sync
echo "kiosk-log-export: logs written to $dev ($(basename "$out"))"
