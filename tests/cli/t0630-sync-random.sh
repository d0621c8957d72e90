#!/bin/sh
# A randomized two-clone test: many edits on both sides (field edits, tags,
# moves, adds, deletes), one sync each way, then every edit that did not
# conflict is on both sides and every conflict is reported.  Then many
# writers at once: CRM_SYNC_CLONES clones (8) x CRM_SYNC_ROUNDS rounds (3;
# make stress runs 10) of random edits, each round's syncs all at the same
# moment, to one remote over file:// and over ssh://.  The seed is printed
# so a failure can be replayed (CRM_TEST_SEED=N).
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

# ---- many writers at once ----
#
# Clone k owns clients c<k>-1..4 (their city), d<k>-1..ROUNDS (one deleted
# each round) and opportunity o<k> (moved each round), and adds a client
# each round; every clone tags the shared clients s1..s4.  None of that can
# conflict.  The two clones of a pair set the email of their pair's client
# q<pair> each round before anyone syncs: one of the two syncs must report
# that conflict; its clone keeps its own value (crm resolve --ours) and
# syncs again.  Then all catch up, and the next round begins.
clones=${CRM_SYNC_CLONES:-8}
rounds=${CRM_SYNC_ROUNDS:-3}
# ssh:// at a smaller size in make check (make stress sets both sizes)
clones_b=${CRM_SYNC_CLONES:-4}
rounds_b=${CRM_SYNC_ROUNDS:-2}
stages="lead proposal negotiation"   # round r moves to the (r mod 3)th

# next_rand N: R gets a number in 0..N-1 (rand's generator, kept in this
# shell: rand's $(...) would lose the state it moves)
next_rand() {
	rand_state=$(( (rand_state * 1103515245 + 12345) % 2147483648 ))
	R=$(( rand_state / 65536 % $1 ))
}

many_seed() {
	mkdir -p many/clients many/opportunities &&
	cp "$TEST_DATA/small/crm.ini" many/ && cp -R "$TEST_DATA/small/schema" many/ &&
	printf "*.yaml merge=crm\n" >many/.gitattributes &&
	for k in $(seq 1 $clones); do
		for j in 1 2 3 4; do
			printf "name: C%s-%s\ncity: Base\n" $k $j >many/clients/c$k-$j.yaml
		done
		for j in $(seq 1 $rounds); do
			printf "name: D%s-%s\n" $k $j >many/clients/d$k-$j.yaml
		done
		printf "title: Deal %s\nclient: c%s-1\nstage: lead\n" $k $k \
			>many/opportunities/o$k.yaml
		printf "name: Q%s\nemail: q%s@example.com\n" $k $k >many/clients/q$k.yaml
	done &&
	for j in 1 2 3 4; do printf "name: S%s\ntags: [base]\n" $j >many/clients/s$j.yaml; done &&
	git -C many init -q && git -C many add -A && git -C many commit -q -m seed
}

# edits K ROUND: clone K's edits of one round (its own random numbers,
# drawn before the round, in edits-K); what it wrote goes to expect-K
edits() {
	k=$1 r=$2 w=w$1
	set -- $(cat rand-$k)
	crm -C $w set c$k-$1 city=K$k-R$r >/dev/null &&
	echo "city c$k-$1 K$k-R$r" >>expect-$k &&
	crm -C $w tag s$2 +t$k-$r >/dev/null && echo "tag s$2 t$k-$r" >>expect-$k &&
	crm -C $w add client --set "name=Added $k $r" >/dev/null &&
	echo "added added-$k-$r" >>expect-$k &&
	crm -C $w move o$k $3 >/dev/null && echo "stage o$k $3" >>expect-$k &&
	crm -C $w rm client/d$k-$r >/dev/null && echo "gone d$k-$r" >>expect-$k &&
	crm -C $w set q$(( (k + 1) / 2 )) email=k$k-r$r@example.com >/dev/null &&
	echo "wrote q$(( (k + 1) / 2 )) k$k-r$r@example.com" >>expect-$k
}

# one_round ROUND: every clone edits, then every clone syncs at once; the
# syncs that report a conflict resolve it with --ours and sync again
one_round() {
	r=$1
	stage=$(echo $stages | cut -d" " -f$(( r % 3 + 1 )))
	for k in $(seq 1 $clones); do
		next_rand 4; a=$((R + 1)); next_rand 4
		echo "$a $((R + 1)) $stage" >rand-$k
	done
	for k in $(seq 1 $clones); do edits $k $r >edits-$k.log 2>&1 & done
	wait
	for k in $(seq 1 $clones); do
		tail -n 1 expect-$k | grep -q "^wrote q.* k$k-r$r@" || { cat edits-$k.log; return 1; }
	done
	for k in $(seq 1 $clones); do
		( if crm -C w$k sync >sync-$k.out 2>sync-$k.err; then echo 0; else echo $?; fi \
			>sync-$k.rc ) &
	done
	wait
	: >conflicted
	for k in $(seq 1 $clones); do
		case $(cat sync-$k.rc) in
		0) ;;
		1) grep -q "merged, with 1 field in conflict" sync-$k.err || { cat sync-$k.err; return 1; }
		   echo $k >>conflicted ;;
		*) cat sync-$k.err; return 1 ;;
		esac
		cat sync-$k.out >>all-syncs.out
	done
	# one report per pair, from one of its two clones
	awk "{ print int((\$1 + 1) / 2) }" conflicted | sort -n >pairs &&
	seq 1 $(( clones / 2 )) >want-pairs && test_cmp want-pairs pairs ||
		{ for k in $(seq 1 $clones); do echo "w$k: $(cat sync-$k.rc) $(cat sync-$k.out sync-$k.err)"; done; return 1; }
	for k in $(cat conflicted); do
		q=q$(( (k + 1) / 2 ))
		crm -C w$k check --no-source >check-$k.out 2>/dev/null
		grep "merge-conflict" check-$k.out | cut -d: -f1 >got-conflict &&
		echo clients/$q.yaml >want-conflict && test_cmp want-conflict got-conflict &&
		crm -C w$k resolve $q email --ours >/dev/null &&
		crm -C w$k sync >/dev/null || return 1
		echo "email $q k$k-r$r@example.com" >>expect-resolved
	done
	catch_up
}

# catch_up: every clone gets what the others pushed (all of it is on the
# remote by now: each sync is a fast-forward), so the next round's pairs
# conflict over that round's edits alone
catch_up() {
	for k in $(seq 1 $clones); do
		( if crm -C w$k sync >ff-$k.out 2>&1; then :; else echo "w$k: $?" >>ff-failed; fi ) &
	done
	wait
	test ! -e ff-failed || { cat ff-failed ff-*.out; return 1; }
}

# many_writers URL: the whole run against one remote at URL
many_writers() {
	url=$1
	rm -rf many.git w[0-9]* expect-* all-syncs.out &&
	git clone -q --bare many many.git &&
	for k in $(seq 1 $clones); do
		git clone -q "$TRASH/many.git" w$k && git -C w$k remote set-url origin "$url" &&
		: >expect-$k || return 1
	done
	: >expect-resolved
	for r in $(seq 1 $rounds); do one_round $r || { echo "round $r failed"; return 1; }; done
}

# converged: every clone equals the remote, every edit is there, fsck is clean
converged() {
	tip=$(git -C many.git rev-parse main) &&
	for k in $(seq 1 $clones); do
		test "$(git -C w$k rev-parse HEAD)" = "$tip" || { echo "w$k is not at the remote"; return 1; }
		git -C w$k status --porcelain >st && test ! -s st || { cat st; return 1; }
	done &&
	git -C many.git fsck --strict --no-progress 2>&1 | tee fsck.out && test ! -s fsck.out &&
	git -C w1 fsck --no-progress >/dev/null 2>&1 &&
	w=w1 &&
	cat expect-[0-9]* | awk "\$1 == \"city\" || \$1 == \"stage\" { last[\$2] = \$1 \" \" \$3 } END { for (x in last) print x, last[x] }" |
	while read rec field value; do
		[ $field = stage ] && f=opportunities/$rec.yaml || f=clients/$rec.yaml
		[ $field = city ] && key=city || key=stage
		grep -q "^$key: $value$" $w/$f || { echo "$rec $key is not $value"; exit 1; }
	done &&
	cat expect-[0-9]* | while read what rec value; do
		case $what in
		tag) grep "^tags:" $w/clients/$rec.yaml | grep -q "\b$value\b" || { echo "tag $value missing on $rec"; exit 1; } ;;
		added) find $w/clients -name $rec.yaml | grep -q . || { echo "$rec was not added"; exit 1; } ;;
		gone) test ! -e $w/clients/$rec.yaml || { echo "$rec was not deleted"; exit 1; } ;;
		esac
	done &&
	awk "{ last[\$2] = \$3 } END { for (q in last) print q, last[q] }" expect-resolved |
	while read q value; do
		grep -q "^email: $value$" $w/clients/$q.yaml || { echo "$q email is not $value"; exit 1; }
	done &&
	crm -C $w check >/dev/null 2>check.err || { cat check.err; return 1; }
}

test_expect_success "$clones clones x $rounds rounds syncing at once over file://" '
	many_seed && t0=$(date +%s) &&
	many_writers "file://$TRASH/many.git" &&
	echo "# file://: $clones x $rounds in $(( $(date +%s) - t0 )) s, $(grep -c "after [0-9]* tries" all-syncs.out) of $((clones * rounds)) syncs retried" >>timings &&
	converged
'

test_expect_success "$clones clones x $rounds rounds at once over file://, libgit2's client" '
	t0=$(date +%s) &&
	export CRM_SYNC_TRANSPORT=libgit2 &&
	many_writers "file://$TRASH/many.git" &&
	echo "# file:// (libgit2): $clones x $rounds in $(( $(date +%s) - t0 )) s, $(grep -c "after [0-9]* tries" all-syncs.out) of $((clones * rounds)) syncs retried" >>timings &&
	converged &&
	test -z "$(git -C many.git for-each-ref refs/crm-sync)"
'

# lib-sshd.sh skips the whole script when sshd cannot run: ask first
if [ -x /usr/sbin/sshd ] && [ "$(id -u)" = 0 ] && command -v ssh-keyscan >/dev/null; then
	. "$TEST_TOP/tests/cli/lib-sshd.sh"
	test_expect_success "$clones_b clones x $rounds_b rounds syncing at once over ssh://" '
		clones=$clones_b rounds=$rounds_b &&
		start_sshd &&
		export GIT_SSH_COMMAND="ssh -F $S/config" && t0=$(date +%s) &&
		many_writers "ssh://crmhost$TRASH/many.git" &&
		echo "# ssh://: $clones x $rounds in $(( $(date +%s) - t0 )) s, $(grep -c "after [0-9]* tries" all-syncs.out) of $((clones * rounds)) syncs retried" >>timings &&
		converged
	'
else
	test_skip_case "$clones_b clones x $rounds_b rounds syncing at once over ssh://" \
		"sshd cannot run here (needs /usr/sbin/sshd, root and ssh-keyscan)"
fi
cat timings 2>/dev/null

test_done
