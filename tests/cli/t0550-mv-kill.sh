#!/bin/sh
# kill -9 at random points of `crm mv` of a client that 400 deals refer to:
# the next crm command rolls the write back (or finds it committed) and
# says so, so the repository holds the old state or the new, never a mix,
# and git's status is clean.  tests/stress/mv-kill.sh runs 100 rounds.
. "$(dirname "$0")/lib.sh"

ROUNDS=${CRM_KILL_ROUNDS:-20}
REFERRERS=${CRM_KILL_REFERRERS:-200}

test_expect_success 'set up a client that many deals refer to' '
	cp -R "$TEST_DATA/small" small &&
	mkdir -p small/opportunities/gen &&
	i=1 &&
	while [ "$i" -le "$REFERRERS" ]; do
		printf "title: Deal %s\nclient: acme-corp\nstage: lead\n" "$i" \
			>small/opportunities/gen/deal-$i.yaml
		i=$((i + 1))
	done &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small &&
	crm -C small check >check.base 2>/dev/null; tail -n 1 check.base >errors.base
'

# The client's id when the repository is wholly in the old or the new
# state; fails on a mix.
state() {
	old=$(grep -rl "^client: acme-corp$" small/opportunities | wc -l)
	new=$(grep -rl "^client: acme-new$" small/opportunities | wc -l)
	if [ -f small/clients/acme-corp.yaml ] && [ ! -f small/clients/acme-new.yaml ] &&
	   [ "$new" = 0 ]; then
		echo acme-corp
	elif [ -f small/clients/acme-new.yaml ] && [ ! -f small/clients/acme-corp.yaml ] &&
	     [ "$old" = 0 ]; then
		echo acme-new
	else
		echo "a mix: $old references to acme-corp, $new to acme-new" >&2
		return 1
	fi
}

test_expect_success 'one mv, timed, and back' '
	start=$(date +%s%N) &&
	crm -C small mv acme-corp acme-new >/dev/null &&
	echo $(( ($(date +%s%N) - start) / 1000000 )) >mv.ms &&
	test "$(state)" = acme-new &&
	crm -C small mv acme-new acme-corp >/dev/null &&
	test "$(state)" = acme-corp
'

# one round: mv killed after `delay` seconds, then crm check
kill_round() {
	from=$(state) || return 1
	to=acme-new
	[ "$from" = acme-new ] && to=acme-corp
	"$CRM_BIN" -C small mv "$from" "$to" >/dev/null 2>&1 &
	pid=$!
	sleep "$1"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	crm -C small check >out 2>err
	grep -q "rolled back" err && echo rolled >>rolled
	tail -n 1 out >errors.now &&
	test_cmp errors.base errors.now &&
	state >/dev/null &&
	test "$(git -C small status --porcelain)" = "" &&
	test ! -e "$(git -C small rev-parse --absolute-git-dir)/crm-journal"
}

test_expect_success 'kill -9 halfway through writing the files: rolled back' '
	CRM_TEST_PAUSE=txn-apply-half "$CRM_BIN" -C small mv acme-corp acme-new >/dev/null 2>&1 &
	pid=$! &&
	for i in $(seq 1 100); do
		grep -rqx "client: acme-new" small/opportunities && break; sleep 0.1
	done &&
	grep -rqx "client: acme-new" small/opportunities &&
	kill -9 $pid && { wait $pid 2>/dev/null; true; } &&
	! state 2>/dev/null &&
	crm -C small check >/dev/null 2>err &&
	grep -q "^crm: took over the lock of crm process $pid, which had died$" err &&
	grep -q "^crm: an interrupted write was rolled back: $((REFERRERS + 3)) files restored as of" err &&
	test "$(state)" = acme-corp &&
	test "$(git -C small status --porcelain)" = ""
'

test_expect_success "kill -9 at $ROUNDS random points of mv: old or new, never a mix" '
	ms=$(cat mv.ms) && r=1 && : >rolled &&
	while [ "$r" -le "$ROUNDS" ]; do
		delay=$(od -An -N2 -tu2 /dev/urandom |
			awk -v ms="$ms" "{ printf \"%.3f\", (\$1 % (ms + 20)) / 1000 }") &&
		kill_round "$delay" || exit 1
		r=$((r + 1))
	done &&
	echo "$(wc -l <rolled) of $ROUNDS rounds rolled back"
'

test_done
