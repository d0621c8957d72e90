#!/bin/sh
# Concurrent writers lose nothing: processes that set different fields of
# one record, unset, tag, move a deal, add records and pay an invoice at the
# same time; every command that reports success has its change in HEAD, and
# there is one commit per success.  tests/stress/writers.sh runs it bigger
# (CRM_WRITERS=10 CRM_ROUNDS=20).
. "$(dirname "$0")/lib.sh"

WRITERS=${CRM_WRITERS:-7}
ROUNDS=${CRM_ROUNDS:-4}

test_expect_success 'set up the example' '
	cp -R "$TEST_TOP/examples/agency" agency &&
	git -C agency init -q && git -C agency add -A && git -C agency commit -q -m agency &&
	ls agency/clients >clients.before
'

# The fields the set writers own, one each (writer 1, 2, 8, 9 ...).
field_of() {
	case $1 in
	1) echo notes ;; 2) echo address ;; 8) echo currency ;; 9) echo website ;;
	*) echo "notes_$1" ;;
	esac
}

# writer W: ROUNDS commands of its role; "ok ROLE VALUE" per success in log.W
writer() {
	w=$1
	r=1
	while [ "$r" -le "$ROUNDS" ]; do
		v="w$w-r$r"
		case $((w % 7)) in
		1|2) f=$(field_of "$w")
			[ "$f" = website ] && v="https://$v.example"
			crm -C agency set acme-corp "$f=$v" >"out.$w.$r" 2>&1 &&
				echo "ok set $f $v" >>"log.$w" ;;
		3) if [ $((r % 2)) = 1 ]; then
				crm -C agency set acme-corp "vat_id=$v" >"out.$w.$r" 2>&1 &&
					echo "ok set vat_id $v" >>"log.$w"
			else
				crm -C agency unset acme-corp vat_id >"out.$w.$r" 2>&1 &&
					echo "ok unset vat_id -" >>"log.$w"
			fi ;;
		4) crm -C agency tag acme-corp "+$v" >"out.$w.$r" 2>&1 &&
			echo "ok tag tags $v" >>"log.$w" ;;
		5) st=qualifying; [ $((r % 2)) = 0 ] && st=negotiation
			crm -C agency move acme-website-2508 "$st" >"out.$w.$r" 2>&1 &&
				echo "ok move stage $st" >>"log.$w" ;;
		6) crm -C agency add client --set "name=Writer $v" >"out.$w.$r" 2>&1 &&
			echo "ok add name $v" >>"log.$w" ;;
		0) crm -C agency invoice pay inv-0000003 1.00 >"out.$w.$r" 2>&1 &&
			echo "ok pay amount $v" >>"log.$w" ;;
		esac
		r=$((r + 1))
	done
	touch "log.$w"
}

test_expect_success "$WRITERS writers x $ROUNDS rounds at once" '
	w=1 && pids= &&
	while [ "$w" -le "$WRITERS" ]; do
		writer "$w" & pids="$pids $!"
		w=$((w + 1))
	done &&
	for p in $pids; do wait "$p"; done &&
	cat log.* >successes &&
	test -s successes
'

test_expect_success 'one commit per success, each printed commit in HEAD' '
	test "$(git -C agency rev-list --count HEAD)" = $((1 + $(wc -l <successes))) &&
	git -C agency log --format="%H %s" >history &&
	for out in out.*; do
		line=$(grep "^\[" "$out" || true)
		[ -n "$line" ] || continue
		id=$(echo "$line" | sed "s/^\[\([0-9a-f]*\)\] .*/\1/")
		msg=$(echo "$line" | sed "s/^\[[0-9a-f]*\] //")
		grep -q "^$id[0-9a-f]* $msg\$" history || { echo "missing: $line"; exit 1; }
	done
'

test_expect_success 'no change lost: the last value of every set field, every tag' '
	f=agency/clients/acme-corp.yaml &&
	for log in log.*; do
		last=$(tail -n 1 "$log")
		[ -n "$last" ] || continue
		set -- $last
		case $2 in
		set) grep -Eqx "$3: \"?$4\"?" "$f" || { echo "$3 is not $4"; cat "$f"; exit 1; } ;;
		unset) ! grep -q "^$3:" "$f" || { echo "$3 is set"; exit 1; } ;;
		esac
	done &&
	grep "^ok tag " log.* | cut -d" " -f4 | sort >tags.want &&
	crm -C agency show acme-corp --json >show.json &&
	for t in $(cat tags.want); do grep -q "\"$t\"" show.json || { echo "lost tag $t"; exit 1; }; done
'

test_expect_success 'no change lost: moves, new records, payments' '
	moves=$(cat log.* | grep -c "^ok move" || true) &&
	test "$(grep -c "^  - {date: .*stage:" agency/opportunities/acme-website-2508.yaml)" = $((3 + moves)) &&
	adds=$(cat log.* | grep -c "^ok add" || true) &&
	test "$(find agency/clients -name "*.yaml" | wc -l)" = $(($(wc -l <clients.before) + adds)) &&
	pays=$(cat log.* | grep -c "^ok pay" || true) &&
	test "$(grep -c "amount: \"1.00 EUR\"" agency/invoices/2025/inv-0000003.yaml)" = "$pays" &&
	test "$(git -C agency status --porcelain)" = ""
'

test_expect_success 'drafts issued at once: every number once, no gap' '
	for i in 1 2 3 4 5; do
		crm -C agency invoice duplicate inv-0000001 >/dev/null || exit 1
	done &&
	pids= &&
	for d in draft-inv-0000001 draft-inv-0000001-2 draft-inv-0000001-3 \
		 draft-inv-0000001-4 draft-inv-0000001-5; do
		crm -C agency invoice issue "$d" >"issue.$d" 2>&1 & pids="$pids $!"
	done &&
	for p in $pids; do wait "$p" || exit 1; done &&
	grep -rh "^number: " agency/invoices | sort >numbers &&
	printf "number: INV-000000%s\n" 1 2 3 4 5 6 7 8 >expect &&
	test_cmp expect numbers &&
	test "$(git -C agency status --porcelain)" = ""
'

test_done
