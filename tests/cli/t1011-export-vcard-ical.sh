#!/bin/sh
# crm export contact --vcard (3.0 and 4.0) read back into the same contact
# fields, the vCard reader on fixtures in the shapes of Google, Apple,
# Thunderbird and a Nokia 2.1 phone, and crm export task|activity --ical
# read back with python3-icalendar.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_TOP/examples/agency" repo &&
	git -C repo init -q && git -C repo add -A && git -C repo commit -q -m example &&
	cp -R repo nocontacts && rm -r nocontacts/contacts &&
	git -C nocontacts add -A && git -C nocontacts commit -q -m "no contacts"
'

# contacts_of REPO: its contacts as JSON, a list of {field: value} (the
# fields a vCard gives; client_name is a lookup, not a field of the file)
contacts_of() {
	crm -C "$1" export contact --json >"$TRASH/contacts.json" &&
	python3 - "$TRASH/contacts.json" <<-\EOF
	import json, sys
	for rec in json.load(open(sys.argv[1])):
	    print(json.dumps({k: v for k, v in rec["fields"].items()
	                      if v and k in ("name", "client", "title", "email", "phone", "notes")},
	                     sort_keys=True, ensure_ascii=False))
	EOF
}

# sorted_cards EXPECTED.json: the same lines for the contacts a fixture names
sorted_cards() {
	python3 - "$1" <<-\EOF
	import json, sys
	for card in json.load(open(sys.argv[1])):
	    print(json.dumps(card, sort_keys=True, ensure_ascii=False))
	EOF
}

for f in google-contacts apple-contacts thunderbird nokia-2.1; do
	test_expect_success "vCard reader: $f.vcf imported gives the expected contacts" '
		rm -rf imported && cp -R nocontacts imported &&
		crm -C imported import contact "$TEST_DATA/vcard/'$f'.vcf" >/dev/null &&
		contacts_of imported | sort >got &&
		sorted_cards "$TEST_DATA/vcard/'$f'.expected.json" | sort >expect &&
		test_cmp expect got
	'
done

test_expect_success 'vCard 3.0 as written, with CRLF line ends' '
	crm -C repo export contact --vcard >all.vcf &&
	sed -n "/^FN:Emma Clarke/,/^END:VCARD/p" all.vcf | tr -d "\r" >got &&
	cat >expect <<-\EOF &&
	FN:Emma Clarke
	N:Clarke;Emma;;;
	ORG:Greenleaf Organics Ltd
	TITLE:Brand Manager
	EMAIL;TYPE=work:emma@greenleaf.example
	UID:urn:crm:contact:emma-clarke
	END:VCARD
	EOF
	test_cmp expect got &&
	test "$(grep -c "^BEGIN:VCARD" all.vcf)" = 20 &&
	! grep -v "$(printf "\r")\$" all.vcf
'

for v in 3 4; do
	test_expect_success "contacts -> vCard $v -> contacts: the same fields" '
		crm -C repo export contact --vcard --vcard-version '$v' -o "$TRASH/v'$v'.vcf" &&
		rm -rf back && cp -R nocontacts back &&
		crm -C back import contact "$TRASH/v'$v'.vcf" >/dev/null &&
		contacts_of repo | sort >expect &&
		contacts_of back | sort >got &&
		test "$(wc -l <expect)" = 20 &&
		test_cmp expect got
	'
done

test_expect_success 'crm import contact FILE.vcf: export -> import gives the same contacts' '
	crm -C repo export contact --vcard -o "$TRASH/round.vcf" &&
	cp -R repo fresh && rm -r fresh/contacts &&
	git -C fresh add -A && git -C fresh commit -q -m "no contacts" &&
	crm -C fresh import contact "$TRASH/round.vcf" >out &&
	grep -q "^20 created, 0 updated, 0 unchanged, 0 skipped$" out &&
	test -z "$(git -C fresh status --porcelain)" &&
	crm -C repo export contact --json >before.json &&
	crm -C fresh export contact --json >after.json &&
	python3 - before.json after.json <<-\EOF &&
	import json, sys
	keep = ("name", "client", "title", "email", "phone", "notes")
	def fields(path):
	    return sorted(tuple(sorted((k, v) for k, v in r["fields"].items() if k in keep and v))
	                  for r in json.load(open(path)))
	before, after = fields(sys.argv[1]), fields(sys.argv[2])
	assert before == after, [x for x in zip(before, after) if x[0] != x[1]][:3]
	EOF
	crm -C fresh import contact "$TRASH/round.vcf" >again &&
	grep -q "^0 created, 0 updated, 20 unchanged, 0 skipped$" again
'

test_expect_success 'the README examples of "Moving out" run as written' '
	sed -n "/^## Moving out/,/^## Performance/p" "$TEST_TOP/README.md" |
		grep "^crm " | sed -e "s/ *#.*//" -e "s/\$/ \&\&/" >commands &&
	echo true >>commands &&
	test "$(wc -l <commands)" = 9 &&
	(cd repo && . ../commands) &&
	for f in deals.csv invoices.xlsx contacts.json backup/tasks.csv contacts.vcf \
		tasks.ics activities.ics; do
		test -s "repo/$f" || { echo "missing $f"; return 1; }
	done &&
	head -c 3 repo/deals.csv >bom && printf "\357\273\277" >expect && cmp expect bom
'

# python3-icalendar is a Debian package: the system python has it
ICAL_PY=
for p in /usr/bin/python3 python3; do
	if "$p" -c "import icalendar" 2>/dev/null; then ICAL_PY=$p; break; fi
done
[ -n "$ICAL_PY" ] && test_set_prereq ICALENDAR

test_expect_success ICALENDAR 'tasks as VTODO: DUE in UTC, VALARM from remind, stable UIDs' '
	crm -C repo export task --ical -o "$TRASH/tasks.ics" &&
	"$ICAL_PY" - tasks.ics >got <<-\EOF &&
	import sys, icalendar
	cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
	for c in cal.walk("VTODO"):
	    alarms = [str(a["TRIGGER"].to_ical(), "ascii") for a in c.walk("VALARM")]
	    print(c["UID"], c["DUE"].to_ical().decode(), c["STATUS"], c["DTSTAMP"].to_ical().decode(), *alarms)
	EOF
	cat >expect <<-\EOF &&
	task/buchladen-branding-2502-t3@studio-nowak-chen-gmbh 20251107T090000Z COMPLETED 20250601T120000Z -P1DT12H
	task/greenleaf-branding-2502-t5@studio-nowak-chen-gmbh 20251113T090000Z NEEDS-ACTION 20250601T120000Z -P1D
	task/kaffee-facebook-ads-2503-t7@studio-nowak-chen-gmbh 20251119T090000Z NEEDS-ACTION 20250601T120000Z -P1DT12H
	task/lodz-facebook-ads-2504-t8@studio-nowak-chen-gmbh 20251122T090000Z NEEDS-ACTION 20250601T120000Z -PT30M
	task/lodz-website-2412-t1@studio-nowak-chen-gmbh 20251101T090000Z COMPLETED 20250601T120000Z -P1D
	task/mingyue-facebook-ads-2501-t2@studio-nowak-chen-gmbh 20251104T090000Z COMPLETED 20250601T120000Z -PT2H
	task/mueller-facebook-ads-2502-t4@studio-nowak-chen-gmbh 20251110T090000Z NEEDS-ACTION 20250601T120000Z -PT30M
	task/northwind-seo-2503-t6@studio-nowak-chen-gmbh 20251116T090000Z NEEDS-ACTION 20250601T120000Z -PT2H
	EOF
	test_cmp expect got &&
	crm -C repo export task --ical >again.ics &&
	cmp tasks.ics again.ics
'

test_expect_success ICALENDAR 'meetings and next steps as VEVENT' '
	crm -C repo export activity --ical >act.ics &&
	"$ICAL_PY" - act.ics >got <<-\EOF &&
	import sys, icalendar
	cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
	print(cal["X-WR-TIMEZONE"])
	for c in cal.walk("VEVENT"):
	    print(c["UID"], c["DTSTART"].to_ical().decode(), c["CATEGORIES"].to_ical().decode(), c["SUMMARY"])
	EOF
	head -n 4 got >first &&
	cat >expect <<-\EOF &&
	Europe/Berlin
	activity/acme-branding-2412-a1/next-step@studio-nowak-chen-gmbh 20241212 next-step Send a follow-up
	activity/zrodlo-branding-2412-a2@studio-nowak-chen-gmbh 20241229T093000Z meeting Workshop with the marketing team
	activity/buchladen-branding-2502-a4/next-step@studio-nowak-chen-gmbh 20250221 next-step Send a follow-up
	EOF
	test_cmp expect first &&
	test "$(grep -c "meeting " got)" = "$(grep -rl "^kind: meeting" repo/activities | wc -l)"
'

test_done
