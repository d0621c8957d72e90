#!/bin/sh
# crm check on tests/data/planted/: a repository with one planted problem of
# each kind.  Every finding must come at its file, line and column, and
# nothing else (the expected list below was reviewed line by line).
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up the planted repository under git' '
	cp -R "$TEST_DATA/planted" planted &&
	git -C planted init -q && git -C planted add -A &&
	git -C planted commit -q -m planted
'

test_expect_success 'every planted problem is reported where it was planted' '
	test_expect_code 1 crm -C planted check --no-source >out 2>err &&
	test ! -s err &&
	{ cat "$TEST_TOP/tests/cli/t0201-check-planted.expected" &&
	  echo "49 errors, 2 warnings in 47 records"; } >expect &&
	test_cmp expect out
'

test_expect_success '--staged, --rev HEAD and a bare clone find exactly the same' '
	test_expect_code 1 crm -C planted check --no-source --staged >staged &&
	sed "\$d" staged >findings &&
	test_cmp "$TEST_TOP/tests/cli/t0201-check-planted.expected" findings &&
	test "$(tail -n 1 staged)" = "49 errors, 2 warnings in 47 records of the index" &&
	test_expect_code 1 crm -C planted check --no-source --rev HEAD >rev &&
	sed "\$d" rev >findings &&
	test_cmp "$TEST_TOP/tests/cli/t0201-check-planted.expected" findings &&
	git clone -q --bare planted planted.git &&
	test_expect_code 1 crm -C planted.git check --no-source --rev HEAD >bare 2>err &&
	sed "\$d" bare >findings &&
	test_cmp "$TEST_TOP/tests/cli/t0201-check-planted.expected" findings &&
	tail -n 1 bare | grep -q "^49 errors, 2 warnings in 47 records of commit [0-9a-f]\{8\}$"
'

test_expect_success 'at least 25 distinct codes are exercised' '
	grep "\]$" out | sed "s/.*\[\(.*\)\]$/\1/" | sort -u >codes &&
	test "$(wc -l <codes)" -ge 25
'

test_expect_success 'the source line and a caret follow each located finding' '
	test_expect_code 1 crm -C planted check >full 2>/dev/null &&
	grep -A2 "dangling.yaml:2:9" full >excerpt &&
	cat >expect <<-\EOF &&
	opportunities/dangling.yaml:2:9: error: unknown client '"'"'acme-crop'"'"' (did you mean '"'"'acme-corp'"'"'?) [dangling-ref]
	    2 | client: acme-crop
	      |         ^
	EOF
	test_cmp expect excerpt
'

test_expect_success '--json carries the same findings' '
	test_expect_code 1 crm -C planted check --json >json &&
	test_cmp "$TEST_TOP/tests/cli/expected/t0201-check-planted.json" json
'

test_expect_success '--quiet keeps errors only' '
	test_expect_code 1 crm -C planted check -q --no-source >q 2>qerr &&
	grep ": error: " "$TEST_TOP/tests/cli/t0201-check-planted.expected" >expect &&
	test "$(wc -l <expect)" = 49 &&
	test_cmp expect q && test ! -s qerr
'

test_expect_success 'the caret lines up under Chinese text' '
	mkdir -p cjk/clients && cp planted/crm.ini cjk/ &&
	printf "name: 北京青云\nemail: 北京@bad\n" >cjk/clients/qingyun.yaml &&
	printf "name: x\nowner: 青云 mallory\n" >cjk/clients/x.yaml &&
	git -C cjk init -q && git -C cjk add -A && git -C cjk commit -q -m x &&
	test_expect_code 1 crm -C cjk check >out 2>/dev/null &&
	grep -A2 "^clients/x.yaml:2:8" out | tail -n 1 >caret &&
	echo "      |        ^" >expect &&
	test_cmp expect caret
'

test_done
