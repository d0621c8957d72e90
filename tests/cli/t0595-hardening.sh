#!/bin/sh
# Hardening: a history that cannot be read is an error naming the commit and
# path; a work tree another user owns names safe.directory; payments are
# positive amounts in the currency's minor unit; long cells are cut in
# terminal tables (--wide prints them whole).
. "$(dirname "$0")/lib.sh"

# corrupt_object REPO OID junk|delete: spoils one loose object of REPO.
corrupt_object() {
	obj="$1/.git/objects/$(echo "$2" | cut -c1-2)/$(echo "$2" | cut -c3-)"
	test -f "$obj"
	if [ "$3" = delete ]; then
		rm -f "$obj"
	else
		mode=$(stat -c %a "$obj")
		chmod u+w "$obj"
		echo "not a zlib stream" >"$obj"
		chmod "$mode" "$obj"
	fi
}

test_expect_success 'set up a history of three versions of a record' '
	cp -R "$TEST_DATA/small" h &&
	git -C h init -q && git -C h add -A && git -C h commit -q -m import &&
	GIT_AUTHOR_DATE=2025-06-02T09:00:00Z crm -C h set acme-corp city=Cork >/dev/null &&
	GIT_AUTHOR_DATE=2025-06-03T09:00:00Z crm -C h set acme-corp city=Galway >/dev/null &&
	git -C h rev-parse HEAD~1 | cut -c1-8 >middle &&
	git -C h rev-parse HEAD~1:clients/acme-corp.yaml >blob &&
	git -C h rev-parse HEAD~1:clients >tree
'

# expect_located CMD WHAT WHY: CMD (a crm command) fails with exit 1 and one
# line on stderr, "crm CMD: cannot read WHAT in commit <middle>: WHY".
expect_located() {
	echo "crm $1: cannot read '$2' in commit $(cat middle): $3" >expect &&
	test_cmp expect err
}

for how in junk delete; do
if [ $how = junk ]; then why="failed to inflate loose object"
else why="object not found - no match for id ($(cat blob))"; fi
test_expect_success "log with the middle version's blob spoiled ($how) fails naming it" '
	rm -rf c && cp -R h c && corrupt_object c "$(cat blob)" '"$how"' &&
	test_expect_code 1 crm -C c log client/acme-corp >out 2>err &&
	expect_located log clients/acme-corp.yaml "$why" &&
	! grep -q "record added" out
'

test_expect_success "diff against that commit fails naming it ($how)" '
	test_expect_code 1 crm -C c diff HEAD~1 >out 2>err &&
	expect_located diff clients/acme-corp.yaml "$why"
'

test_expect_success "--at that commit fails naming it ($how)" '
	test_expect_code 1 crm -C c dashboard --at HEAD~1 >out 2>err &&
	expect_located dashboard clients/acme-corp.yaml "$why" &&
	test_expect_code 1 crm -C c forecast --at HEAD~1 >out 2>err &&
	expect_located forecast clients/acme-corp.yaml "$why" &&
	test_expect_code 1 crm -C c report funnel --at HEAD~1 >out 2>err &&
	expect_located report clients/acme-corp.yaml "$why"
'
done

test_expect_success 'a spoiled folder (tree object) is an error too, naming the folder' '
	rm -rf c && cp -R h c && corrupt_object c "$(cat tree)" delete &&
	why="object not found - no match for id ($(cat tree))" &&
	test_expect_code 1 crm -C c log client/acme-corp >out 2>err &&
	expect_located log clients/acme-corp.yaml "$why" &&
	test_expect_code 1 crm -C c diff HEAD~1 >out 2>err &&
	expect_located diff clients/ "$why" &&
	test_expect_code 1 crm -C c dashboard --at HEAD~1 >out 2>err &&
	expect_located dashboard clients/ "$why" &&
	test_expect_code 1 crm -C c forecast --at HEAD~1 >out 2>err &&
	expect_located forecast clients/ "$why"
'

test_expect_success 'the unspoiled history still reads' '
	crm -C h log client/acme-corp >out &&
	test $(grep -c "^commit " out) = 3 &&
	crm -C h diff HEAD~1 >out &&
	crm -C h dashboard --at HEAD~1 >out
'

test_expect_success 'a work tree another user owns names safe.directory and the command' '
	[ "$(id -u)" = 0 ] || test_skip "needs root to give the repository to another user"
	id nobody >/dev/null 2>&1 || test_skip "no user nobody"
	cp -R h owned && chown -R nobody owned &&
	top=$(cd owned && pwd -P) &&
	set +e; crm -C owned log client/acme-corp >out 2>err; rc=$?; set -e
	if [ $rc = 0 ]; then test_skip "libgit2 does not check the owner here"; fi
	test $rc = 1 &&
	echo "crm log: git refuses '"'"'$top'"'"': it is owned by another user; to trust it, run: git config --global --add safe.directory $top" >expect &&
	test_cmp expect err &&
	git config --global --add safe.directory "$top" &&
	crm -C owned log client/acme-corp >out
'

# tree_state REPO: the index entries and every tracked file's hash.
tree_state() {
	git -C "$1" ls-files -s &&
	git -C "$1" ls-files -z | (cd "$1" && xargs -0 sha256sum) &&
	git -C "$1" rev-parse HEAD &&
	git -C "$1" status --porcelain
}

test_expect_success 'set up invoices' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency
'

for bad in "-5:a payment must be positive, not .-5." \
	   "0:a payment must be positive, not .0." \
	   "0.00 EUR:a payment must be positive, not .0.00 EUR." \
	   "-1.00 EUR:a payment must be positive, not .-1.00 EUR." \
	   "1.005 EUR:.1.005 EUR. has more decimals than EUR.s 2" \
	   "0.001:.0.001 EUR. has more decimals than EUR.s 2"; do
test_expect_success "pay refuses [${bad%%:*}] and changes nothing" '
	tree_state agency >before &&
	test_expect_code 2 crm -C agency invoice pay inv-0000002 -- "'"${bad%%:*}"'" >out 2>err &&
	grep -q "^crm invoice: '"${bad#*:}"'$" err &&
	tree_state agency >after &&
	test_cmp before after
'
done

test_expect_success 'pay takes a positive amount in whole cents, trailing zeros and all' '
	crm -C agency invoice pay inv-0000002 "10.500 EUR" >out &&
	f=$(find agency/invoices -name inv-0000002.yaml) &&
	grep -q "amount: \"10.50 EUR\"" "$f" &&
	crm -C agency invoice pay inv-0000002 0.01 >out
'

test_expect_success 'set up a client with a 1 MiB name' '
	cp -R "$TEST_DATA/small" big &&
	head -c 1048576 /dev/zero | tr "\0" x >name && echo >>name &&
	printf "name: %s\ncity: Cork\n" "$(cat name)" >big/clients/huge.yaml &&
	git -C big init -q && git -C big add -A && git -C big commit -q -m import
'

# field_of FILE ROW N: the Nth space-separated field of the line starting ROW.
field_of() {
	grep "^$2 " "$1" | tr -s " " | cut -d" " -f"$3"
}

test_expect_success 'ls cuts the long cell with … when the width is unknown' '
	unset COLUMNS &&
	crm -C big ls client >out &&
	test $(wc -c <out) -lt 10240 &&
	printf "huge         %s…  Cork\n" "$(head -c 59 name)" >expect &&
	grep "^huge " out >got &&
	test_cmp expect got
'

test_expect_success 'ls cuts to $COLUMNS when it is set' '
	COLUMNS=100 crm -C big ls client >out &&
	test $(grep "^huge" out | wc -L) -le 100 &&
	grep -q "^huge  *x*…  Cork$" out
'

test_expect_success 'ls --wide, --format csv and --json print the name whole' '
	unset COLUMNS &&
	crm -C big ls client --wide >out &&
	field_of out huge 2 >got && cmp name got &&
	test "$(field_of out huge 3)" = Cork &&
	crm -C big ls client --format csv >out &&
	grep "^huge," out | cut -d, -f2 >got && cmp name got &&
	crm -C big ls client --json >out &&
	test $(grep -c "$(head -c 1000 name)" out) = 1 &&
	test $(wc -c <out) -gt 1048576
'

test_expect_success 'show cuts the long value; show --wide prints it whole' '
	unset COLUMNS &&
	crm -C big show client/huge >out &&
	test $(wc -c <out) -lt 10240 &&
	printf "name   %s…\n" "$(head -c 59 name)" >expect &&
	grep "^name " out >got &&
	test_cmp expect got &&
	crm -C big show --wide client/huge >out &&
	field_of out name 2 >got && cmp name got
'

test_expect_success 'a short table is as it was' '
	unset COLUMNS &&
	crm -C big ls client --fields id,city >out &&
	crm -C big ls client --fields id,city --wide >wide &&
	test_cmp wide out
'

test_done
