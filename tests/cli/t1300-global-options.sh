#!/bin/sh
# The global options apply to every command the same way: --no-cache turns
# the index cache off for every read command (not only ls and show),
# --color=auto|always|never decides colour, `crm help` lines its commands
# up, and $COLUMNS sizes tables.
. "$(dirname "$0")/lib.sh"

# Every read command, with arguments that work on the example.
read_commands='check
show client/acme-corp
ls client
log client/acme-corp
diff
invoice show inv-0000001
forecast
dashboard
report funnel
export client'

test_expect_success 'set up: the example, committed, its cache written' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	(cd agency && crm init >/dev/null) &&
	crm -C agency ls client >/dev/null &&
	test -s agency/.git/crm-index-cache
'

test_expect_success 'with --no-cache every read command parses every file' '
	echo "$read_commands" | while read -r cmd; do
		CRM_TRACE=1 crm -C agency --no-cache $cmd >/dev/null 2>err || true
		# the loads, not how often a small CRM_TREE_BUDGET dropped trees
		grep "^crm: index:" err | grep -v "decoded records dropped" >loads || true
		# diff reads the files it compares and never an index
		[ "$cmd" = diff ] && { test ! -s loads || exit 1; continue; }
		test -s loads || { echo "$cmd: no index load traced"; exit 1; }
		if grep -v "(no cache)" loads; then echo "$cmd read the cache"; exit 1; fi
	done
'

test_expect_success 'without it the same commands read the cache (what the case above tells apart)' '
	for cmd in "dashboard" "report funnel" "forecast" "ls client"; do
		CRM_TRACE=1 crm -C agency $cmd >/dev/null 2>err || true
		grep "^crm: index:" err | grep -v "decoded records dropped" >loads &&
		! grep "(no cache)" loads || exit 1
	done
'

test_expect_success 'with --no-cache a corrupt cache is neither read nor rewritten' '
	printf "not a cache\n" >agency/.git/crm-index-cache &&
	cp agency/.git/crm-index-cache garbage &&
	echo "$read_commands" | while read -r cmd; do
		crm -C agency --no-cache $cmd >out 2>err; rc=$?
		CRM_NO_CACHE=1 crm -C agency $cmd >expect 2>expect.err; want=$?
		test "$rc" = "$want" || { echo "$cmd: exit $rc, want $want"; exit 1; }
		test_cmp expect out && test_cmp expect.err err &&
		test_cmp garbage agency/.git/crm-index-cache || exit 1
	done
'

test_expect_success '--color=always colours a table into a pipe; never and auto do not' '
	crm -C agency --color=always ls client >always &&
	grep -q "$(printf "\033")\[" always &&
	crm -C agency --color=never ls client >never &&
	crm -C agency ls client >auto &&
	! grep -q "$(printf "\033")" never &&
	! grep -q "$(printf "\033")" auto &&
	sed "s/$(printf "\033")\[[0-9;]*m//g" always >stripped &&
	test_cmp never stripped
'

test_expect_success '--color=always wins over NO_COLOR, --color=never over a terminal' '
	NO_COLOR=1 crm -C agency --color=always ls client >always &&
	grep -q "$(printf "\033")\[" always &&
	crm -C agency --color ls client >bare &&
	test_cmp always bare
'

test_expect_success 'a --color value other than auto, always or never is a usage error' '
	test_expect_code 2 crm --color=sometimes help 2>err &&
	echo "crm: --color wants auto, always or never, not '"'"'sometimes'"'"'" >expect &&
	test_cmp expect err
'

test_expect_success 'crm help lines every summary up after the longest name (merge-driver)' '
	crm help >out &&
	sed -n "/^commands:/,/^\$/p" out | sed "1d;\$d" >lines &&
	test $(wc -l <lines) -ge 24 &&
	grep -q "^   merge-driver  git" lines &&
	sed "s/^\(   [^ ]* *\).*/\1/" lines | awk "{ print length(\$0) }" | sort -u >columns &&
	test $(wc -l <columns) = 1 &&
	! grep -q "__" lines
'

test_expect_success '$COLUMNS sets the width of a table, also into a pipe' '
	COLUMNS=50 crm -C agency ls client >narrow &&
	COLUMNS=200 crm -C agency ls client >wide &&
	# the header is ASCII: its length is its width
	test $(head -n 1 narrow | wc -L) -le 50 &&
	test $(head -n 1 wide | wc -L) -gt 50
'

test_done
