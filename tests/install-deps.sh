#!/bin/sh
# Installs the Debian packages that building and testing crm need, when any
# is missing: with apt-get as root, through sudo otherwise, and else prints
# the exact command to run.  `--demo` installs only what building crm and
# running `make demo` need; the test-only tools come with `make check`.
# `--list` prints the packages, one a line, and installs nothing.
demo=false list=false
for arg in "$@"; do
	case $arg in
	--demo) demo=true ;;
	--list) list=true ;;
	*) echo "usage: install-deps.sh [--demo] [--list]" >&2; exit 2 ;;
	esac
done
#
# Building and running crm (make, make demo, make install): the compiler,
# the libraries the Makefile's PKGS names, git, the time zone data, and
# fonts for Polish and Chinese invoices (the demo renders one).
PKGS="build-essential pkg-config libgit2-dev libyaml-dev libcsv-dev libinih-dev
libutf8proc-dev liburing-dev libxlsxwriter-dev libical-dev libicu-dev libpango1.0-dev
libcairo2-dev zlib1g-dev libmbedtls-dev fonts-dejavu-core fonts-wqy-zenhei tzdata git"
if ! $demo; then
	# valgrind for make valgrind; poppler-utils reads PDFs back; an SSH
	# server and client for the sync tests over ssh; python3 with yaml and
	# icalendar reads crm's output back (t1010 the iCalendar)
	PKGS="$PKGS valgrind poppler-utils openssh-server openssh-client python3
python3-yaml python3-icalendar"
	# make fuzz: clang with libFuzzer
	PKGS="$PKGS clang"
	# headless Chromium checks the invoice HTML
	PKGS="$PKGS chromium"
	# the offline UBL validation of ../shared/data/ubl-validation (xmllint,
	# Saxon-HE on a headless JRE)
	PKGS="$PKGS libxml2-utils default-jre-headless libsaxonhe-java"
	# crm invoice send: a real SMTP server on 127.0.0.1 receives the message in t0740
	PKGS="$PKGS python3-aiosmtpd"
fi
if $list; then
	printf '%s\n' $PKGS
	exit 0
fi
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
