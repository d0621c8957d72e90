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

test_expect_success 'crm COMMAND --help and crm help COMMAND agree' '
	crm check --help >a &&
	crm help check >b &&
	test_cmp a b &&
	grep -q "^usage: crm check" a &&
	grep -q -- "--json" a
'

test_expect_success 'an unknown command is a usage error (exit 2)' '
	test_expect_code 2 crm frobnicate 2>err &&
	grep -q "not a crm command" err
'

test_expect_success 'an unknown option is a usage error (exit 2)' '
	git init -q r && (cd r && crm init >/dev/null) &&
	test_expect_code 2 crm -C r check --frob 2>err &&
	grep -q "unknown option .--frob." err
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
	crm help show >out &&
	grep -q "^usage: crm show" out &&
	crm tag --help >out &&
	grep -q "^usage: crm tag" out
'

test_expect_success 'outside a data repository: exit 2 and a hint' '
	mkdir empty &&
	(cd empty && test_expect_code 2 crm check 2>../err) &&
	grep -q "no crm.ini found" err
'

test_expect_success 'CRM_DIR points at the repository' '
	CRM_DIR="$TRASH/r" crm check >out 2>err &&
	grep -q "0 errors" err
'

test_expect_success 'a write error on stdout is a failure, not a success' '
	if [ -w /dev/full ]; then
		test_expect_code 1 crm -C r ls client >/dev/full 2>err &&
		grep -q "cannot write" err
	fi
'

test_done
