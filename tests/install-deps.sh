#!/bin/sh
# Installs the Debian packages that building and testing crm need, when any
# is missing: with apt-get as root, through sudo otherwise, and else prints
# the exact command to run.
PKGS="build-essential pkg-config libgit2-dev libyaml-dev libcsv-dev libinih-dev
libutf8proc-dev tzdata git valgrind poppler-utils openssh-server openssh-client python3
libxlsxwriter-dev chromium python3-yaml"
# crm export --ical: libical builds it, python3-icalendar reads it back in t1010
PKGS="$PKGS libical-dev python3-icalendar"
# make fuzz: clang with libFuzzer
PKGS="$PKGS clang"
# invoice rendering: cairo and pango for PDFs, fonts for Polish and Chinese,
# headless Chromium to check the HTML
# invoice numbers and dates per language: ICU
PKGS="$PKGS libicu-dev"
PKGS="$PKGS libpango1.0-dev libcairo2-dev fonts-dejavu-core fonts-wqy-zenhei chromium"
# the offline UBL validation of ../shared/data/ubl-validation (xmllint,
# Saxon-HE on a headless JRE)
PKGS="$PKGS libxml2-utils default-jre-headless libsaxonhe-java"
# crm invoice send: a real SMTP server on 127.0.0.1 receives the message in t0740
PKGS="$PKGS python3-aiosmtpd"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
		|| missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" = 0 ]; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
elif command -v sudo >/dev/null 2>&1; then
	sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
else
	echo "please run as root: apt-get install$missing" >&2
	exit 2
fi
