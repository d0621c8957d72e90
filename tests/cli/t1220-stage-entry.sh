#!/bin/sh
# Stage entry criteria: crm move refuses to move a deal into a stage whose
# crm.ini [stage] requires = lists fields the deal lacks, naming each, and
# so does a schema's required_if tied to the stage; a refusal leaves the
# work tree, the index and HEAD as they were; crm check locates a required
# name that is no field.
. "$(dirname "$0")/lib.sh"

# snapshot: the work tree's files, the index and HEAD
snapshot() {
	(find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum
	 sha1sum .git/index; git rev-parse HEAD) >"$1"
}

test_expect_success 'a repository whose proposal stage requires fields' '
	crm init repo >/dev/null &&
	cd repo &&
	python3 - <<-\EOF &&
	p = "crm.ini"
	s = open(p).read()
	s = s.replace("[stage \"proposal-sent\"]\n",
	              "[stage \"proposal-sent\"]\nrequires = amount, expected_close, client_email\n")
	open(p, "w").write(s)
	p = "schema/opportunity.yaml"
	s = open(p).read()
	s = s.replace("  proposal_url:   {type: url}",
	              "  proposal_url:   {type: url, required_if: \"stage == '"'"'contract-pending'"'"'\"}")
	open(p, "w").write(s)
	EOF
	git commit -qam criteria &&
	crm add client --set name=Acme >/dev/null &&
	crm add opportunity --set title=Web --set client=acme --set stage=qualifying >/dev/null &&
	crm check >/dev/null
'

test_expect_success 'a move without the fields is refused, naming them all' '
	cd repo &&
	snapshot ../before &&
	test_expect_code 1 crm move web proposal-sent >../out 2>../err &&
	test ! -s ../out &&
	cat >../expect <<-\EOF &&
	crm move: opportunity/web cannot enter proposal-sent without amount, expected_close, client_email (crm.ini [stage "proposal-sent"] requires); set them with '"'"'crm set opportunity/web FIELD=VALUE'"'"'; nothing was written
	EOF
	test_cmp ../expect ../err &&
	snapshot ../after &&
	test_cmp ../before ../after
'

test_expect_success 'a lookup counts: the client'"'"'s email fills client_email' '
	cd repo &&
	crm set web "amount=500.00 EUR" >/dev/null &&
	crm set acme email=buyer@acme.example >/dev/null &&
	test_expect_code 1 crm move web proposal-sent 2>../err &&
	cat >../expect <<-\EOF &&
	crm move: opportunity/web cannot enter proposal-sent without expected_close (crm.ini [stage "proposal-sent"] requires); set it with '"'"'crm set opportunity/web FIELD=VALUE'"'"'; nothing was written
	EOF
	test_cmp ../expect ../err &&
	crm set web expected_close=2025-07-01 >/dev/null &&
	crm move web proposal-sent >../out &&
	sed "s/^\[[0-9a-f]*\] //" ../out >../actual &&
	echo "crm: move opportunity/web qualifying -> proposal-sent" >../expect &&
	test_cmp ../expect ../actual
'

test_expect_success 'a required_if tied to a stage stops crm move before it commits' '
	cd repo &&
	snapshot ../before &&
	test_expect_code 1 crm move web contract-pending >../out 2>../err &&
	sed "s/^opportunities\/[0-9]*\//opportunities\/YYYY\//" ../err >../actual &&
	cat >../expect <<-\EOF &&
	opportunities/YYYY/web.yaml:1:1: error: field '"'"'proposal_url'"'"' is required when stage == '"'"'contract-pending'"'"' [required-if]
	crm move: the change would bring 1 new error to opportunity/web (above); nothing was written (--force writes it anyway)
	EOF
	test_cmp ../expect ../actual &&
	snapshot ../after &&
	test_cmp ../before ../after &&
	crm set web proposal_url=https://acme.example/p.pdf >/dev/null &&
	crm move web contract-pending >/dev/null
'

test_expect_success 'crm check locates a required name that is no field, at its column' '
	cd repo &&
	cp crm.ini ../crm.ini.saved &&
	sed "s/^\[stage \"negotiation\"\]$/&\nrequires = amount, budgett next_step.date,  expected_clos/" \
		../crm.ini.saved >crm.ini &&
	test_expect_code 1 crm check --no-source >../out 2>&1 &&
	grep "^crm.ini:" ../out >../actual &&
	cat >../expect <<-\EOF &&
	crm.ini:17:20: error: stage '"'"'negotiation'"'"' requires '"'"'budgett'"'"', which is not a field of opportunity [unknown-requires]
	crm.ini:17:45: error: stage '"'"'negotiation'"'"' requires '"'"'expected_clos'"'"', which is not a field of opportunity (did you mean '"'"'expected_close'"'"'?) [unknown-requires]
	EOF
	test_cmp ../expect ../actual &&
	cp ../crm.ini.saved crm.ini &&
	crm check >/dev/null
'

test_expect_success 'stages that require nothing move as before' '
	cd repo &&
	crm move web won >../out &&
	sed "s/^\[[0-9a-f]*\] //" ../out >../actual &&
	echo "crm: move opportunity/web contract-pending -> won" >../expect &&
	test_cmp ../expect ../actual
'

test_done
