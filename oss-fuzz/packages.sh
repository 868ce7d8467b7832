#!/bin/sh -eu
# The packages ffa-emu's OSS-Fuzz and ClusterFuzzLite images add to OSS-Fuzz's
# base-builder (Ubuntu 24.04), distribution packages only: Unicorn 2 and the aarch64
# binutils from Ubuntu's archive; the kernel tree the real-mediator backends compile
# from, linux-source-6.12, from Debian 12's security archive (Debian's own keyring),
# pinned so that it is the only package taken from there. Nothing else is downloaded.
apt-get update
apt-get install -y --no-install-recommends binutils-aarch64-linux-gnu libunicorn-dev \
	debian-archive-keyring xz-utils
echo "deb [signed-by=/usr/share/keyrings/debian-archive-bookworm-security-automatic.gpg]" \
	"http://deb.debian.org/debian-security bookworm-security main" \
	> /etc/apt/sources.list.d/debian-bookworm-security.list
printf 'Package: *\nPin: origin deb.debian.org\nPin-Priority: -1\n\n' > /etc/apt/preferences.d/ffa-emu
printf 'Package: linux-source-6.12\nPin: origin deb.debian.org\nPin-Priority: 500\n' >> /etc/apt/preferences.d/ffa-emu
apt-get update
apt-get install -y --no-install-recommends linux-source-6.12
