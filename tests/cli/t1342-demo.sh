#!/bin/sh
# make demo: it installs only what building crm and the demo need, and every
# figure it prints is as of the one "today" it pins, which the example's
# dates agree with.
. "$(dirname "$0")/lib.sh"

test_expect_success 'the demo list holds no test-only package' '
	sh "$TEST_TOP/tests/install-deps.sh" --demo --list >demo &&
	sh "$TEST_TOP/tests/install-deps.sh" --list >all &&
	for p in chromium openssh-server python3-aiosmtpd poppler-utils valgrind clang \
		default-jre-headless; do
		! grep -qx "$p" demo && grep -qx "$p" all || return 1
	done &&
	for p in libgit2-dev libicu-dev libpango1.0-dev git; do
		grep -qx "$p" demo || return 1
	done &&
	test_expect_code 2 sh "$TEST_TOP/tests/install-deps.sh" --bogus 2>err &&
	echo "usage: install-deps.sh [--demo] [--list]" >expect &&
	test_cmp expect err
'

test_expect_success 'make demo asks for the demo list only' '
	make -s -n -C "$TEST_TOP" demo >plan &&
	grep -q "install-deps.sh --demo" plan &&
	! grep -q "install-deps.sh$" plan
'

test_expect_success 'the demo runs, and every "as of" is the day it pins' '
	(unset CRM_TODAY GIT_AUTHOR_DATE GIT_COMMITTER_DATE &&
	 sh "$TEST_TOP/examples/demo.sh" "$CRM_BIN") >demo.out 2>&1 &&
	grep -o "as of [^;]*" demo.out >asof &&
	sed "s/commit [0-9a-f]\{8\} (\(.*\))/\1/" asof | sort -u >days &&
	echo "as of 2026-01-31" >expect &&
	test_cmp expect days &&
	test "$(wc -l <asof)" -ge 3
'

test_expect_success 'the example has nothing won, closed or moved after that day' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m example &&
	crm init agency >/dev/null &&
	CRM_TODAY=2026-01-31 crm -C agency ls opportunity "closed>2026-01-31" --format csv >out &&
	echo "id,title,client_name,stage,amount,expected_close,owner" >expect &&
	test_cmp expect out &&
	{ grep -rhoE "\{date: [0-9-]+" agency/opportunities | sed "s/{date: //" &&
	  echo 2026-01-31; } | sort | tail -n 1 >last &&
	echo 2026-01-31 >expect &&
	test_cmp expect last
'

test_done
