#!/bin/sh
# The computed follow-up of every client, contact and deal: last_activity
# (the latest activity about it; a client's also counts its deals' and
# contacts') and next_step (the open next step: the latest one about each
# record unless marked done, a client's the earliest of its own and its
# deals' and contacts'), in ls columns, filters and sorts, show and JSON.
. "$(dirname "$0")/lib.sh"

export CRM_TODAY=2026-12-01

act() {   # act ID ABOUT DATE [NEXT_STEP (flow)]
	{
		echo "date: $3"
		echo "kind: call"
		echo "about: $2"
		[ -z "${4:-}" ] || echo "next_step: $4"
	} >"r/activities/$1.yaml"
}

test_expect_success 'set up' '
	crm init r >/dev/null &&
	mkdir -p r/clients r/contacts r/opportunities r/activities &&
	for c in acme beta delta gamma; do
		printf "name: %s\ncreated: 2026-01-01\n" "$c" >"r/clients/$c.yaml" || exit 1
	done &&
	printf "name: Ann\nclient: acme\ncreated: 2026-01-01\n" >r/contacts/ann.yaml &&
	printf "title: Web\nclient: acme\nstage: qualifying\ncreated: 2026-01-01\n" \
		>r/opportunities/acme-web.yaml &&
	printf "title: Idle\nclient: gamma\nstage: qualifying\ncreated: 2026-01-01\n" \
		>r/opportunities/gamma-idle.yaml &&
	act a1 client/acme 2026-11-20T10:00 "{date: 2026-12-10, action: send the proposal, owner: bob}" &&
	act a2 opportunity/acme-web 2026-11-25T09:00 "{date: 2026-12-05, action: call back, owner: carol}" &&
	act a3 contact/ann 2026-11-28 &&
	act b1 client/beta 2026-11-02T09:00 "{date: 2026-11-10, action: old, done: 2026-11-11}" &&
	act d1 client/delta 2026-11-01T09:00 "{date: 2026-11-05, action: first try}" &&
	act d2 client/delta 2026-11-15T09:00 "{action: wait for their board}" &&
	git -C r add -A && git -C r commit -q -m data &&
	crm -C r check >/dev/null
'

test_expect_success 'ls shows them as columns' '
	crm -C r ls client --fields last_activity,next_step >actual &&
	cat >expect <<-\EOF &&
	id     last_activity  next_step
	acme   2026-11-28     2026-12-05 call back (carol)
	beta   2026-11-02
	delta  2026-11-15     wait for their board
	gamma
	EOF
	test_cmp expect actual &&
	crm -C r ls opportunity --fields last_activity,next_step.date,next_step.owner >actual &&
	cat >expect <<-\EOF &&
	id          last_activity  next_step.date  next_step.owner
	acme-web    2026-11-25     2026-12-05      carol
	gamma-idle
	EOF
	test_cmp expect actual &&
	crm -C r ls contact --fields last_activity,next_step >actual &&
	printf "id   last_activity  next_step\nann  2026-11-28\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'they filter and sort' '
	crm -C r ls client "next_step.date<2026-12-06" --fields name >actual &&
	printf "id    name\nacme  acme\n" >expect &&
	test_cmp expect actual &&
	crm -C r ls client "last_activity<2026-11-20" --fields name >actual &&
	printf "id     name\nbeta   beta\ndelta  delta\n" >expect &&
	test_cmp expect actual &&
	crm -C r ls client -last_activity=2026 --fields name >actual &&
	printf "id     name\ngamma  gamma\n" >expect &&
	test_cmp expect actual &&
	crm -C r ls client next_step.owner:carol next_step~call --fields name >actual &&
	printf "id    name\nacme  acme\n" >expect &&
	test_cmp expect actual &&
	crm -C r ls client --sort -last_activity --fields last_activity --format csv >actual &&
	printf "id,last_activity\nacme,2026-11-28\ndelta,2026-11-15\nbeta,2026-11-02\ngamma,\n" >expect &&
	test_cmp expect actual &&
	crm -C r ls client --sort next_step.date,id --fields next_step.date --format csv >actual &&
	printf "id,next_step.date\nbeta,\ndelta,\ngamma,\nacme,2026-12-05\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'show lists them with the computed fields' '
	crm -C r show acme >out &&
	sed -n "/^computed:/,/^\$/p" out >actual &&
	cat >expect <<-\EOF &&
	computed:
	field          value
	last_activity  2026-11-28
	next_step      2026-12-05 call back (carol)

	EOF
	test_cmp expect actual &&
	crm -C r show gamma >out &&
	! grep -q "^computed:" out
'

test_expect_success 'the pass lets go of what it decodes, and shows the same' '
	crm -C r show acme --json >unbounded &&
	CRM_TRACE=1 CRM_TREE_BUDGET=0 crm -C r show acme --json >bounded 2>trace &&
	test_cmp unbounded bounded &&
	grep "decoded records dropped" trace >dropped &&
	test "$(sed "s/.* \([0-9]*\) times*$/\1/" dropped)" -ge 6
'

test_expect_success 'JSON carries them as typed values' '
	crm -C r show acme --json >actual &&
	cat >expect <<-\EOF &&
	{"type": "client", "id": "acme", "path": "clients/acme.yaml", "fields": {"name": "acme", "kind": "company", "created": "2026-01-01", "last_activity": "2026-11-28", "next_step": {"date": "2026-12-05", "owner": "carol", "action": "call back", "activity": "a2"}}, "defaulted": ["kind"], "referenced_by": [{"type": "opportunity", "id": "acme-web", "field": "client"}, {"type": "contact", "id": "ann", "field": "client"}, {"type": "activity", "id": "a1", "field": "about"}]}
	EOF
	test_cmp expect actual &&
	crm -C r ls client --fields last_activity,next_step --json >actual &&
	cat >expect <<-\EOF &&
	[
	  {"id": "acme", "last_activity": "2026-11-28", "next_step": {"date": "2026-12-05", "owner": "carol", "action": "call back", "activity": "a2"}},
	  {"id": "beta", "last_activity": "2026-11-02", "next_step": null},
	  {"id": "delta", "last_activity": "2026-11-15", "next_step": {"date": null, "owner": null, "action": "wait for their board", "activity": "d2"}},
	  {"id": "gamma", "last_activity": null, "next_step": null}
	]
	EOF
	test_cmp expect actual &&
	crm -C r export client --json >out &&
	grep -c "\"last_activity\"" out >actual &&
	echo 4 >expect &&
	test_cmp expect actual
'

test_expect_success 'a next step marked done gives way to the next open one' '
	crm -C r set a2 next_step.done=2026-12-01 >/dev/null &&
	crm -C r ls client acme --fields next_step >actual &&
	printf "id    next_step\nacme  2026-12-10 send the proposal (bob)\n" >expect &&
	test_cmp expect actual &&
	crm -C r ls opportunity --fields next_step --format csv >actual &&
	printf "id,next_step\nacme-web,\ngamma-idle,\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a note updates them' '
	crm -C r note gamma-idle --summary "Revived" --next "send a demo link" \
		--next-date 2026-12-03 --at 2026-12-01T10:00 >/dev/null &&
	crm -C r ls client --fields last_activity,next_step --format csv >actual &&
	cat >expect <<-\EOF &&
	id,last_activity,next_step
	acme,2026-11-28,2026-12-10 send the proposal (bob)
	beta,2026-11-02,
	delta,2026-11-15,wait for their board
	gamma,2026-12-01,2026-12-03 send a demo link (Alice Example)
	EOF
	test_cmp expect actual
'

test_expect_success 'they are computed, never set' '
	git -C r rev-parse HEAD >before &&
	test_expect_code 2 crm -C r set acme last_activity=2026-01-01 2>err &&
	test_expect_code 2 crm -C r set acme next_step.date=2026-12-01 2>>err &&
	test_expect_code 2 crm -C r add client --set name=Zeta --set next_step.owner=bob 2>>err &&
	cat >expect <<-\EOF &&
	crm set: field '\''last_activity'\'' is computed from the activities about the client; it cannot be set
	crm set: field '\''next_step.date'\'' is computed from the activities about the client; it cannot be set
	crm add: field '\''next_step.owner'\'' is computed from the activities about the client; it cannot be set
	EOF
	test_cmp expect err &&
	git -C r rev-parse HEAD >after && test_cmp before after
'

# The figures that show next steps (the stalled deals) compute the
# follow-ups in their own pass over the activities; they must read as the
# ones ls computes on its own.
test_expect_success 'stalled deals show the next steps ls shows' '
	CRM_TODAY=2027-03-01 crm -C r report stalled --json >stalled.json &&
	CRM_TODAY=2027-03-01 crm -C r ls opportunity --json --fields id,next_step >ls.json &&
	python3 - stalled.json ls.json <<-\EOF
	import json, sys
	def text(step):
	    if not step:
	        return None
	    parts = [step.get("date"), step.get("action"),
	             "(%s)" % step["owner"] if step.get("owner") else None]
	    return " ".join(p for p in parts if p)
	got = {r["id"]: r["next_step"] for r in json.load(open(sys.argv[1]))["stalled"]}
	ls = {r["id"]: text(r["next_step"]) for r in json.load(open(sys.argv[2]))}
	assert sorted(got) == ["acme-web", "gamma-idle"], got
	assert any(got.values()), got
	assert all(ls[k] == v for k, v in got.items()), (got, ls)
	EOF
'

test_done
