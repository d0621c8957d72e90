#!/bin/sh
# A randomized two-clone test: many edits on both sides (field edits, tags,
# moves, adds, deletes), one sync each way, then every edit that did not
# conflict is on both sides and every conflict is reported.  The seed is
# printed so a failure can be replayed (CRM_TEST_SEED=N).
. "$(dirname "$0")/lib.sh"

seed=${CRM_TEST_SEED:-$$}
echo "# seed $seed"
rand_state=$seed
# rand N: a number in 0..N-1 from a small LCG, the same on every shell
rand() {
	rand_state=$(( (rand_state * 1103515245 + 12345) % 2147483648 ))
	echo $(( rand_state / 65536 % $1 ))
}

test_expect_success 'a remote with 30 clients and two clones' '
	mkdir -p seed/clients && cp "$TEST_DATA/small/crm.ini" seed/ &&
	cp -R "$TEST_DATA/small/schema" seed/ &&
	printf "*.yaml merge=crm\n" >seed/.gitattributes &&
	for i in $(seq 1 30); do
		printf "name: Client %s\ncity: Base\nemail: c%s@example.com\ntags: [base]\n" $i $i \
			>seed/clients/c$i.yaml
	done &&
	git -C seed init -q && git -C seed add -A && git -C seed commit -q -m seed &&
	git clone -q --bare seed remote.git &&
	git clone -q "file://$TRASH/remote.git" alice &&
	git clone -q "file://$TRASH/remote.git" bob
'

# Alice edits city, Bob edits email (never a conflict); both edit name on
# some shared records (a conflict when the values differ); both tag.
test_expect_success 'random edits on both sides' '
	: >expect-city; : >expect-email; : >conflicts; : >tags-a; : >tags-b &&
	for step in $(seq 1 25); do
		i=$(( $(rand 28) + 1 )); j=$(( $(rand 28) + 1 )); v=$(rand 1000)
		crm -C alice set c$i city=A$v >/dev/null || exit 1
		echo "c$i A$v" >>expect-city
		crm -C bob set c$j email=b$v@example.com >/dev/null || exit 1
		echo "c$j b$v@example.com" >>expect-email
		k=$(( $(rand 28) + 1 ))
		crm -C alice tag c$k +a$step >/dev/null && echo "c$k a$step" >>tags-a || exit 1
		crm -C bob tag c$k +b$step >/dev/null && echo "c$k b$step" >>tags-b || exit 1
	done &&
	for n in 3 7 11; do
		crm -C alice set c$n "name=Alice names $n" >/dev/null &&
		crm -C bob set c$n "name=Bob names $n" >/dev/null || exit 1
		echo c$n >>conflicts
	done &&
	crm -C bob rm c29 >/dev/null &&
	crm -C alice add client --set name=Fresh >/dev/null
'

test_expect_success 'sync both ways: conflicts reported, nothing pushed until resolved' '
	crm -C alice sync >/dev/null &&
	test_expect_code 1 crm -C bob sync 2>err &&
	grep -q "3 fields in conflict" err &&
	test_expect_code 1 crm -C bob check --no-source >out 2>/dev/null &&
	sed -n "s/^clients\/\(c[0-9]*\)\.yaml.*merge-conflict.*/\1/p" out | sort >got &&
	sort conflicts >want && test_cmp want got &&
	for n in $(cat conflicts); do crm -C bob resolve $n name --theirs >/dev/null || exit 1; done &&
	crm -C bob sync >/dev/null && crm -C alice sync >/dev/null &&
	test "$(git -C alice rev-parse HEAD)" = "$(git -C bob rev-parse HEAD)"
'

test_expect_success 'every edit that did not conflict is on both sides' '
	for side in alice bob; do
		# the last value written for each record wins on its own side
		awk "{last[\$1]=\$2} END {for (r in last) print r, last[r]}" expect-city |
		while read r v; do
			grep -q "^city: $v$" $side/clients/$r.yaml || { echo "$side $r city $v"; exit 1; }
		done || exit 1
		awk "{last[\$1]=\$2} END {for (r in last) print r, last[r]}" expect-email |
		while read r v; do
			[ "$r" = c29 ] && continue
			grep -q "^email: $v$" $side/clients/$r.yaml || { echo "$side $r email $v"; exit 1; }
		done || exit 1
		cat tags-a tags-b | while read r t; do
			[ "$r" = c29 ] && continue
			grep "^tags:" $side/clients/$r.yaml | grep -q "\b$t\b" || { echo "$side $r tag $t"; exit 1; }
		done || exit 1
		for n in $(cat conflicts); do grep -q "^name: Alice names" $side/clients/$n.yaml || exit 1; done
		test ! -e $side/clients/c29.yaml || exit 1
		grep -rq "^name: Fresh$" $side/clients || exit 1
	done
'

test_done
