#!/usr/bin/env bash
# examples/redis/make-rootfs.sh DIR [MIRROR]: a minimal Debian 12 with redis-server from Debian's
# packages, in DIR, ready for 'spew build create DIR --name redis --version 7'. Needs root and
# debootstrap (apt-get install debootstrap). Its /run.sh serves on 127.0.0.1:${REDIS_PORT:-6379}.
set -euo pipefail
root=${1:?usage: make-rootfs.sh DIR [MIRROR]}
mirror=${2:-http://deb.debian.org/debian}
debootstrap --variant=minbase --include=redis-server bookworm "$root" "$mirror" >&2
# What a server does not need: package caches, documentation, locales, apt's lists.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
  "$root"/usr/share/man/* "$root"/usr/share/locale/* "$root"/usr/share/info/*
cat > "$root/run.sh" <<'RUN'
#!/bin/sh
# No persistence: this is a cache. Loopback only, on the port the appliance gives.
exec /usr/bin/redis-server --bind 127.0.0.1 --port "${REDIS_PORT:-6379}" --protected-mode no \
  --save "" --appendonly no --daemonize no
RUN
chmod 0755 "$root/run.sh"
