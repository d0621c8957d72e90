#!/bin/sh
# The command line itself: help, version, usage errors and exit statuses.
. "$(dirname "$0")/lib.sh"

test_expect_success '--version prints the version' '
	crm --version >out &&
	grep -E "^crm [0-9]+\.[0-9]+\.[0-9]+$" out
'

test_expect_success 'help lists every command' '
	crm help >out &&
	for c in init check show ls help; do grep -q "^   $c " out || exit 1; done
'

# Without man(1) on PATH, crm help COMMAND prints what --help does (with
# man, the command's page: t1310-man.sh).
mkdir nomanbin
test_expect_success 'crm COMMAND --help and crm help COMMAND (without man) agree' '
	crm check --help >a &&
	PATH="$TRASH/nomanbin" "$CRM_BIN" help check >b &&
	test_cmp a b &&
	cat >expect <<-\EOF &&
	usage: crm check [--staged | --rev REV] [--format text|json|github] [--json] [--no-source] [--quiet]

	        --staged                 check the index, as `git commit` would commit it
	        --rev REV                check a commit'"'"'s files, crm.ini and schemas (works in a bare repository)
	        --format FORMAT          text (the default), json, or github (GitHub Actions annotations)
	        --json                   print the findings as one JSON document
	        --no-source              do not quote the offending line under each finding
	    -q, --quiet                  print errors only, no warnings or summary
	EOF
	test_cmp expect a
'

test_expect_success 'an unknown command is a usage error (exit 2)' '
	test_expect_code 2 crm frobnicate 2>err &&
	echo "crm: '"'"'frobnicate'"'"' is not a crm command; see '"'"'crm help'"'"'" >expect &&
	test_cmp expect err
'

test_expect_success 'an unknown option is a usage error (exit 2)' '
	git init -q r && (cd r && crm init >/dev/null) &&
	test_expect_code 2 crm -C r check --frob 2>err &&
	cat >expect <<-\EOF &&
	crm check: unknown option '"'"'--frob'"'"'
	usage: crm check [--staged | --rev REV] [--format text|json|github] [--json] [--no-source] [--quiet]

	        --staged                 check the index, as `git commit` would commit it
	        --rev REV                check a commit'"'"'s files, crm.ini and schemas (works in a bare repository)
	        --format FORMAT          text (the default), json, or github (GitHub Actions annotations)
	        --json                   print the findings as one JSON document
	        --no-source              do not quote the offending line under each finding
	    -q, --quiet                  print errors only, no warnings or summary
	EOF
	test_cmp expect err
'

test_expect_success 'too few or too many arguments: the missing one named, the usage (exit 2)' '
	test_expect_code 2 crm -C r show 2>err &&
	cat >expect <<-\EOF &&
	crm show: missing REF
	usage: crm show [--json] [--wide] TYPE/ID | ID

	        --json                   print the record as one JSON document
	        --wide                   print long values whole, not cut with '…' to fit
	EOF
	test_cmp expect err &&
	test_expect_code 2 crm -C r show client/a client/b 2>err &&
	head -n 1 err >first &&
	echo "crm show: unexpected argument '"'"'client/b'"'"'" >expect &&
	test_cmp expect first &&
	test_expect_code 2 crm -C r set client/a 2>err &&
	head -n 1 err >first &&
	echo "crm set: missing FIELD=VALUE" >expect &&
	test_cmp expect first &&
	test_expect_code 2 crm -C r check extra 2>err &&
	head -n 1 err >first &&
	echo "crm check: unexpected argument '"'"'extra'"'"'" >expect &&
	test_cmp expect first
'

test_expect_success 'crm help COMMAND exits 0 after the help' '
	PATH="$TRASH/nomanbin" "$CRM_BIN" help show >out &&
	cat >expect <<-\EOF &&
	usage: crm show [--json] [--wide] TYPE/ID | ID

	        --json                   print the record as one JSON document
	        --wide                   print long values whole, not cut with … to fit
	EOF
	test_cmp expect out &&
	crm tag --help >out &&
	cat >expect <<-\EOF &&
	usage: crm tag REF +TAG|-TAG... [--force]
	   or: crm tag --where FILTER [--type TYPE] +TAG|-TAG... [--force]

	        --force                  write even a change that crm check would report new errors in
	EOF
	test_cmp expect out
'

test_expect_success 'outside a data repository: exit 2 and a hint' '
	mkdir empty &&
	(cd empty && test_expect_code 2 crm check 2>../err) &&
	echo "crm check: not a crm repository (or any parent up to /): no crm.ini found; run '"'"'crm init'"'"' to make one" >expect &&
	test_cmp expect err
'

test_expect_success 'CRM_DIR points at the repository' '
	CRM_DIR="$TRASH/r" crm check >out 2>err &&
	test ! -s err &&
	echo "0 errors, 0 warnings in 0 records" >expect &&
	test_cmp expect out
'

test_expect_success 'a write error on stdout is a failure, not a success' '
	if [ -w /dev/full ]; then
		test_expect_code 1 crm -C r ls client >/dev/full 2>err &&
		echo "crm ls: cannot write to standard output" >expect &&
		test_cmp expect err
	fi
'

test_done
