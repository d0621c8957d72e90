#!/bin/sh
# A man page per command, held to the command table and the option tables
# so they cannot drift: every command `crm __complete ""` lists has
# doc/man/crm-COMMAND.1 with the usual sections and every option of its
# tables (`crm __options COMMAND`), and every page renders without a
# warning.  crm help COMMAND shows the page; make install installs them.
. "$(dirname "$0")/lib.sh"

MAN="$TEST_TOP/doc/man"
if command -v man >/dev/null 2>&1; then test_set_prereq MAN; fi

# roff writes a dash as \-
roff() {
	printf '%s' "$1" | sed 's/-/\\-/g'
}

# page_has_option PAGE OPTION: OPTION (--date, -d) is in PAGE as roff
# writes it, \-\-date, and not only as the start of a longer name
# (\-\-date\-format): followed by a font change, a blank, = , ] ) or the
# end of the line.
page_has_option() {
	pattern=$(printf '%s' "$2" | sed 's/-/\\\\-/g')
	grep -qE "${pattern}(\$|\\\\f|[] =,)])" "$1"
}

test_expect_success 'the command table, as completion lists it' '
	crm __complete "" >commands &&
	grep -qx ls commands && grep -qx merge-driver commands &&
	! grep -q "^__" commands &&
	grep -vx help commands >pages &&
	test $(wc -l <pages) -ge 24
'

test_expect_success 'every command has its page with every section' '
	while read -r c; do
		page="$MAN/crm-$c.1"
		test -f "$page" || { echo "no page $page"; exit 1; }
		for s in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES "EXIT STATUS" "SEE ALSO"; do
			grep -qx "\.SH \"*$s\"*" "$page" || { echo "$page: no $s"; exit 1; }
		done
		sed -n "/^\.SH NAME/{n;p;}" "$page" | tr -d "\\\\" >name &&
		grep -q "^crm-$c - " name ||
			{ echo "$page: NAME is not crm-$c"; exit 1; }
	done <pages
'

test_expect_success 'every option of every command is in the OPTIONS of its page' '
	while read -r c; do
		page="$MAN/crm-$c.1"
		crm __options "$c" >opts || { echo "crm __options $c failed"; exit 1; }
		sed -n "/^\.SH OPTIONS/,/^\.SH /p" "$page" >options.roff &&
		grep -q "^\.TP" options.roff || { echo "$page: no .TP in OPTIONS"; exit 1; }
		while IFS="	" read -r long short arg; do
			page_has_option options.roff "$long" ||
				{ echo "$page: OPTIONS has no $long"; exit 1; }
			[ "$short" = - ] || page_has_option options.roff "$short" ||
				{ echo "$page: OPTIONS has no $short"; exit 1; }
		done <opts
	done <pages
'

test_expect_success 'crm __options prints the table, a subcommand option once' '
	crm __options move >out &&
	printf "%s\t%s\t%s\n" --reason -r R --date -d DATE --force - - >expect &&
	test_cmp expect out &&
	crm __options invoice >out &&
	grep -x -e "--language	-	L" out &&
	test $(grep -c "^--force	" out) = 1 &&
	test_expect_code 2 crm __options nosuch 2>err &&
	echo "crm __options: unknown command '"'"'nosuch'"'"'" >expect &&
	test_cmp expect err
'

test_expect_success MAN 'every page renders with man --warnings and no warning' '
	for page in "$TEST_TOP/doc/crm.1" "$MAN"/*.1 "$MAN"/*.7; do
		man -l --warnings "$page" >/dev/null 2>err
		if test -s err; then echo "$page:"; cat err; exit 1; fi
	done
'

test_expect_success 'crm(1) names every command page and the two section 7 pages' '
	while read -r c; do
		grep -qF "\\fBcrm\\-$(roff "$c")\\fR(1)" "$TEST_TOP/doc/crm.1" ||
			{ echo "crm.1 does not name crm-$c(1)"; exit 1; }
	done <pages &&
	grep -qF "\\fBcrm\\-filters\\fR(7)" "$TEST_TOP/doc/crm.1" &&
	grep -qF "\\fBcrm\\-diagnostics\\fR(7)" "$TEST_TOP/doc/crm.1" &&
	for s in EXAMPLES FILES ENVIRONMENT "GLOBAL OPTIONS"; do
		grep -qx "\.SH $s" "$TEST_TOP/doc/crm.1" || { echo "crm.1: no $s"; exit 1; }
	done
'

test_expect_success 'crm(1) ENVIRONMENT names every variable the code reads' '
	sed -n "/^\.SH ENVIRONMENT/,/^\.SH /p" "$TEST_TOP/doc/crm.1" >env.roff &&
	grep -rhoE "(getenv|env_true)\(\"[A-Z_]+\"\)" "$TEST_TOP/src" |
		sed "s/.*(\"//; s/\")//" | sort -u >vars &&
	test -s vars &&
	while read -r v; do
		grep -q "^\.B .*$v" env.roff || { echo "crm.1 misses $v"; exit 1; }
	done <vars
'

test_expect_success 'crm-diagnostics(7) has every code of doc/diagnostics.md' '
	sed -n "s/^### //p" "$TEST_TOP/doc/diagnostics.md" >codes &&
	test $(wc -l <codes) -ge 40 &&
	while read -r code; do
		grep -qxF ".SS $(roff "$code")" "$MAN/crm-diagnostics.7" ||
			{ echo "no $code"; exit 1; }
	done <codes
'

test_expect_success MAN 'crm help COMMAND shows the man page' '
	for c in ls invoice merge-driver; do
		crm help $c >out &&
		man -l "$MAN/crm-$c.1" >expect 2>/dev/null &&
		test_cmp expect out || exit 1
	done &&
	grep -q "^OPTIONS" out
'

test_expect_success 'without man, crm help COMMAND prints the option tables' '
	mkdir nomanbin &&
	PATH="$PWD/nomanbin" "$CRM_BIN" help check >out &&
	crm check --help >expect &&
	test_cmp expect out &&
	PATH="$PWD/nomanbin" "$CRM_BIN" help invoice >out &&
	grep -q "^usage: crm invoice render ID" out &&
	grep -q -- "--language L" out &&
	grep -q "^usage: crm invoice send ID" out
'

test_expect_success 'crm help names an unknown or hidden command (exit 2)' '
	test_expect_code 2 crm help nosuch 2>err &&
	echo "crm help: unknown command '"'"'nosuch'"'"'" >expect &&
	test_cmp expect err &&
	test_expect_code 2 crm help __complete 2>err &&
	echo "crm help: unknown command '"'"'__complete'"'"'" >expect &&
	test_cmp expect err
'

test_expect_success 'crm invoice nosuch names the subcommand (exit 2)' '
	git init -q r && (cd r && crm init >/dev/null) &&
	test_expect_code 2 crm -C r invoice nosuch 2>err &&
	echo "crm invoice: '"'"'nosuch'"'"' is not a subcommand of crm invoice; see '"'"'crm invoice --help'"'"'" >expect &&
	test_cmp expect err
'

test_expect_success 'make install puts every page under PREFIX (and DESTDIR)' '
	make --no-print-directory -s -C "$TEST_TOP" BUILD="$CRM_TEST_BUILD" \
		-o "$CRM_TEST_BUILD/crm" install PREFIX=/opt/crm DESTDIR="$PWD/dest" >/dev/null &&
	root="$PWD/dest/opt/crm" &&
	test -x "$root/bin/crm" &&
	test -f "$root/share/man/man1/crm.1" &&
	while read -r c; do
		test -f "$root/share/man/man1/crm-$c.1" || { echo "not installed: crm-$c.1"; exit 1; }
	done <pages &&
	test -f "$root/share/man/man7/crm-filters.7" &&
	test -f "$root/share/man/man7/crm-diagnostics.7" &&
	test -f "$root/share/bash-completion/completions/crm" &&
	test -f "$root/share/zsh/site-functions/_crm" &&
	test -f "$root/share/fish/vendor_completions.d/crm.fish"
'

test_expect_success MAN 'an installed crm shows the pages installed beside it' '
	cp "$TEST_TOP/doc/man/crm-ls.1" crm-ls.orig &&
	sed "s/list records that match filters/the page beside the binary/" crm-ls.orig \
		>"$PWD/dest/opt/crm/share/man/man1/crm-ls.1" &&
	"$PWD/dest/opt/crm/bin/crm" help ls >out &&
	grep -q "crm-ls - the page beside the binary" out &&
	man -l "$PWD/dest/opt/crm/share/man/man1/crm-ls.1" >expect 2>/dev/null &&
	test_cmp expect out
'

test_done
