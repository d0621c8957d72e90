#!/bin/sh
# crm export: CSV (whole output, formula injection, --bom), JSON, xlsx
# (typed cells, read with python3's zipfile), --all, the round trip of
# exported CSV back to the records' values, and the computed follow-up
# columns and score, imported back by crm import, on the bundled example
# plus a small fixture type and a repository with follow-ups.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up: the example and a fixture type' '
	cp -R "$TEST_TOP/examples/agency" repo &&
	cat >repo/schema/expense.yaml <<-\EOF &&
	type: expense
	folder: expenses
	fields:
	  title:       {type: text, required: true}
	  client:      {type: ref, to: client}
	  client_name: {type: lookup, via: client, field: name}
	  amount:      {type: money}
	  cost:        {type: money}
	  margin:      {type: formula, expr: "amount - cost"}
	  share:       {type: percent}
	  spent:       {type: date}
	  tags:        {type: tags}
	  notes:       {type: text}
	EOF
	mkdir repo/expenses &&
	cat >repo/expenses/hyperlink.yaml <<-\EOF &&
	title: "=HYPERLINK(\"http://evil.example\",\"click\")"
	client: acme-corp
	amount: 1200.00 EUR
	cost: 1500.50 EUR
	share: 15%
	spent: 2025-05-02
	tags: [travel, "@team"]
	notes: |
	  two lines,
	  "quoted"
	EOF
	cat >repo/expenses/plus.yaml <<-\EOF &&
	title: "+1"
	amount: -500.00 EUR
	notes: "-2"
	EOF
	cat >repo/expenses/at.yaml <<-\EOF &&
	title: "@x"
	notes: "\tstarts with a tab"
	EOF
	cat >repo/expenses/cr.yaml <<-\EOF &&
	title: "\rstarts with CR"
	notes: "-2+3+cmd|x"
	EOF
	git -C repo init -q && git -C repo add -A && git -C repo commit -q -m example
'

# expected files spell a carriage return <CR> and a tab <TAB>
unprintable() {
	sed -e "s/<CR>/$(printf "\r")/g" -e "s/<TAB>/$(printf "\t")/g"
}

test_expect_success 'CSV: every field, computed ones included, injection neutralised' '
	crm -C repo export expense --csv >out &&
	unprintable >expect <<-\EOF &&
	id,title,client,client_name,amount,cost,margin,share,spent,tags,notes
	at,'"'"'@x,,,,,,,,,'"'"'<TAB>starts with a tab
	cr,"'"'"'<CR>starts with CR",,,,,,,,,'"'"'-2+3+cmd|x
	hyperlink,"'"'"'=HYPERLINK(""http://evil.example"",""click"")",acme-corp,Acme Corp,1200.00 EUR,1500.50 EUR,'"'"'-300.50 EUR,15%,2025-05-02,"travel, @team","two lines,
	""quoted""
	"
	plus,+1,,,'"'"'-500.00 EUR,,,,,,-2
	EOF
	test_cmp expect out
'
test_expect_success '--bom starts with the UTF-8 byte-order mark, -o writes the same bytes' '
	crm -C repo export expense --bom -o "$TRASH/with-bom.csv" &&
	printf "\357\273\277" >expect &&
	head -c 3 with-bom.csv >got &&
	cmp expect got &&
	crm -C repo export expense >plain.csv &&
	tail -c +4 with-bom.csv >rest &&
	cmp plain.csv rest
'

test_expect_success 'JSON: typed fields, computed ones included' '
	crm -C repo export expense --json >out.json &&
	cat >expect <<-\EOF &&
	[
	  {"type": "expense", "id": "at", "path": "expenses/at.yaml", "fields": {"title": "@x", "client_name": null, "margin": null, "notes": "\tstarts with a tab"}},
	  {"type": "expense", "id": "cr", "path": "expenses/cr.yaml", "fields": {"title": "\rstarts with CR", "client_name": null, "margin": null, "notes": "-2+3+cmd|x"}},
	  {"type": "expense", "id": "hyperlink", "path": "expenses/hyperlink.yaml", "fields": {"title": "=HYPERLINK(\"http://evil.example\",\"click\")", "client": "acme-corp", "client_name": "Acme Corp", "amount": {"amount": "1200.00", "currency": "EUR"}, "cost": {"amount": "1500.50", "currency": "EUR"}, "margin": {"amount": "-300.50", "currency": "EUR"}, "share": "15%", "spent": "2025-05-02", "tags": ["travel", "@team"], "notes": "two lines,\n\"quoted\"\n"}},
	  {"type": "expense", "id": "plus", "path": "expenses/plus.yaml", "fields": {"title": "+1", "client_name": null, "amount": {"amount": "-500.00", "currency": "EUR"}, "margin": null, "notes": "-2"}}
	]
	EOF
	test_cmp expect out.json
'

test_expect_success 'xlsx: numbers stay numbers, text is neutralised' '
	crm -C repo export expense --xlsx -o "$TRASH/expenses.xlsx" &&
	python3 - expenses.xlsx >got <<-\EOF &&
	import html, json, re, sys, zipfile
	z = zipfile.ZipFile(sys.argv[1])
	shared = re.findall(r"<si><t[^>]*>(.*?)</t></si>", z.read("xl/sharedStrings.xml").decode(), re.S)
	sheet = z.read("xl/worksheets/sheet1.xml").decode()
	for ref, attrs, value in re.findall(r"<c r=\"([A-Z]+[0-9]+)\"([^>]*)>(?:<v>([^<]*)</v>)?", sheet):
	    if "t=\"s\"" in attrs:
	        text = html.unescape(shared[int(value)]).replace("_x000D_", "\r")
	        print(ref, "text", json.dumps(text))
	    elif "t=\"b\"" in attrs:
	        print(ref, "bool", value)
	    else:
	        print(ref, "number", value)
	EOF
	grep -E "^(B[2-5]|E[45]|F4|G4|H4|I4|K5) " got >cells &&
	cat >expect <<-\EOF &&
	B2 text "'"'"'@x"
	B3 text "'"'"'\rstarts with CR"
	B4 text "'"'"'=HYPERLINK(\"http://evil.example\",\"click\")"
	E4 number 1200
	F4 number 1500.5
	G4 number -300.5
	H4 number 0.15
	I4 number 45779
	B5 text "+1"
	E5 number -500
	K5 text "-2"
	EOF
	test_cmp expect cells
'

test_expect_success '--all DIR: one file a type, CSV by default, xlsx by flag' '
	test_expect_code 2 crm -C repo export --all "$TRASH/out" 2>err &&
	echo "crm export: '"'"'$TRASH/out'"'"' is not a folder" >expect && test_cmp expect err &&
	crm -C repo export --all "$TRASH/dump" 2>err &&
	ls dump >got &&
	cat >expect <<-\EOF &&
	activities.csv
	clients.csv
	contacts.csv
	expenses.csv
	invoices.csv
	opportunities.csv
	products.csv
	projects.csv
	tasks.csv
	EOF
	test_cmp expect got &&
	cmp dump/expenses.csv plain.csv &&
	crm -C repo export --all "$TRASH/xl" --xlsx 2>err &&
	ls xl | sed -n "/xlsx$/p" | wc -l >n &&
	echo 9 >expect && test_cmp expect n
'

test_expect_success 'exported CSV holds every stored value of the records (round trip)' '
	# NEEDSWORK: crm import is not on this branch; until it is, a python3
	# reader compares each stored field of each record with its CSV cell
	for t in contact task expense client opportunity; do
		crm -C repo export $t >"$t.csv" || return 1
	done &&
	python3 - repo contact task expense client opportunity <<-\EOF
	import csv, glob, os, sys, yaml
	root, types = sys.argv[1], sys.argv[2:]
	def unquote(s):
	    # the inverse of the injection rule (crm_export_unneutralise)
	    t = s.lstrip("'"'"'")
	    if s.startswith("'"'"'") and t[:1] in ("=", "+", "-", "@", "\t", "\r"):
	        return s[1:]
	    return s
	def text(v):
	    if isinstance(v, list):
	        return ", ".join(str(x) for x in v)
	    return str(v)
	bad = 0
	for t in types:
	    schema = yaml.safe_load(open(os.path.join(root, "schema", t + ".yaml")))
	    rows = {r["id"]: r for r in csv.DictReader(open(t + ".csv", newline=""))}
	    folder = os.path.join(root, schema["folder"])
	    for path in glob.glob(folder + "/**/*.yaml", recursive=True):
	        rid = os.path.basename(path)[:-5]
	        rec = yaml.load(open(path), Loader=yaml.BaseLoader)
	        for field, value in rec.items():
	            f = schema["fields"].get(field, {})
	            if isinstance(value, (dict,)) or (isinstance(value, list) and value and isinstance(value[0], dict)):
	                continue   # lists of mappings travel as JSON
	            want = text(value)
	            got = unquote(rows[rid][field])
	            if f.get("type") == "money" and " " in got:
	                want = "%.2f %s" % (float(want.split()[0]), want.split()[1]) if " " in want else want
	            if want != got and want.rstrip("0").rstrip(".") != got.rstrip("0").rstrip("."):
	                print("%s/%s %s: %r != %r" % (t, rid, field, want, got)); bad += 1
	sys.exit(1 if bad else 0)
	EOF
'

test_expect_success 'set up: clients with follow-ups and a score' '
	crm init fu >/dev/null &&
	(
	cd fu && mkdir clients opportunities activities &&
	printf "\n[score \"client\"]\nsource.referral = 10\nactivities = 2\n" >>crm.ini &&
	printf "name: Acme\nsource: referral\nphone: +49 30 1234\ncreated: 2025-01-10\n" \
		>clients/acme.yaml &&
	printf "name: Bolt\ncreated: 2025-02-01\n" >clients/bolt.yaml &&
	printf "title: Web\nclient: acme\nstage: qualifying\namount: 5000 EUR\n" \
		>opportunities/web.yaml &&
	printf "date: 2025-05-20\nkind: call\nabout: client/acme\n" >activities/a1.yaml &&
	printf "%s\n" "date: 2025-05-28T10:00" "kind: meeting" "about: opportunity/web" \
		"next_step:" "  date: 2025-06-10" "  action: Send the quote" >activities/a2.yaml &&
	git init -q && git add -A && git commit -q -m start
	)
'

test_expect_success 'CSV and JSON carry last_activity, next_step and the score' '
	crm -C fu export client >fu-client.csv &&
	cat >expect <<-\EOF &&
	id,name,kind,email,phone,website,address,city,postcode,vat_id,company_id,party_id,country,peppol_id,source,category,size,temperature,currency,owner,created,tags,notes,score,last_activity,next_step
	acme,Acme,company,,'"'"'+49 30 1234,,,,,,,,,,referral,,,,,,2025-01-10,,,14,2025-05-28,2025-06-10 Send the quote
	bolt,Bolt,company,,,,,,,,,,,,,,,,,,2025-02-01,,,0,,
	EOF
	test_cmp expect fu-client.csv &&
	crm -C fu export opportunity >fu-opportunity.csv &&
	cat >expect <<-\EOF &&
	id,title,client,client_name,client_email,client_owner,contact,stage,amount,cost,profit,confidence,expected_close,source,lost_reason,proposal_url,files,owner,created,closed,tags,notes,history,last_activity,next_step
	web,Web,acme,Acme,,,,qualifying,5000.00 EUR,,,,,,,,,,,,,,,2025-05-28,2025-06-10 Send the quote
	EOF
	test_cmp expect fu-opportunity.csv &&
	crm -C fu export client --json >out.json &&
	cat >expect <<-\EOF &&
	[
	  {"type": "client", "id": "acme", "path": "clients/acme.yaml", "fields": {"name": "Acme", "kind": "company", "phone": "+49 30 1234", "source": "referral", "created": "2025-01-10", "score": 14, "last_activity": "2025-05-28", "next_step": {"date": "2025-06-10", "owner": null, "action": "Send the quote", "activity": "a2"}}, "defaulted": ["kind"]},
	  {"type": "client", "id": "bolt", "path": "clients/bolt.yaml", "fields": {"name": "Bolt", "kind": "company", "created": "2025-02-01", "score": 0, "last_activity": null, "next_step": null}, "defaulted": ["kind"]}
	]
	EOF
	test_cmp expect out.json
'

test_expect_success 'xlsx: the computed columns close the header, last_activity a date cell' '
	crm -C fu export client --xlsx -o "$TRASH/client.xlsx" &&
	python3 - client.xlsx >got <<-\EOF &&
	import re, sys, zipfile
	z = zipfile.ZipFile(sys.argv[1])
	shared = re.findall(r"<si><t[^>]*>(.*?)</t></si>", z.read("xl/sharedStrings.xml").decode(), re.S)
	sheet = z.read("xl/worksheets/sheet1.xml").decode()
	for ref, attrs, value in re.findall(r"<c r=\"([A-Z]+[0-9]+)\"([^>]*)>(?:<v>([^<]*)</v>)?", sheet):
	    if ref[0] in "XYZ":
	        print(ref, shared[int(value)] if "t=\"s\"" in attrs else value)
	EOF
	cat >expect <<-\EOF &&
	X1 score
	Y1 last_activity
	Z1 next_step
	X2 14
	Y2 45805
	Z2 2025-06-10 Send the quote
	X3 0
	EOF
	test_cmp expect got
'

test_expect_success 'exported CSV imports back: computed columns ignored, values unchanged' '
	(cd fu && crm import client ../fu-client.csv --dry-run) >out &&
	cat >expect <<-\EOF &&
	ROW                 ACTION     RECORD       NOTE
	../fu-client.csv:2  unchanged  client/acme  same as client/acme (phone)
	../fu-client.csv:3  unchanged  client/bolt  same as client/bolt (name)
	0 created, 0 updated, 2 unchanged, 0 skipped
	EOF
	test_cmp expect out &&
	crm init again >/dev/null &&
	cp fu/crm.ini again/ &&
	crm -C again import client "$TRASH/fu-client.csv" >/dev/null &&
	crm -C again import opportunity "$TRASH/fu-opportunity.csv" >/dev/null &&
	cat again/clients/2025/acme.yaml >got &&
	cat >expect <<-\EOF &&
	name: Acme
	kind: company
	phone: +49 30 1234
	source: referral
	created: 2025-01-10
	EOF
	test_cmp expect got &&
	crm -C again export client >again.csv &&
	cat >expect <<-\EOF &&
	id,name,kind,email,phone,website,address,city,postcode,vat_id,company_id,party_id,country,peppol_id,source,category,size,temperature,currency,owner,created,tags,notes,score,last_activity,next_step
	acme,Acme,company,,'"'"'+49 30 1234,,,,,,,,,,referral,,,,,,2025-01-10,,,10,,
	bolt,Bolt,company,,,,,,,,,,,,,,,,,,2025-02-01,,,0,,
	EOF
	test_cmp expect again.csv
'

test_expect_success 'refusals: xlsx without a file, vCard of a task, two formats' '
	test_expect_code 2 crm -C repo export expense --xlsx 2>err &&
	echo "crm export: xlsx needs a file: give -o FILE" >expect && test_cmp expect err &&
	test_expect_code 2 crm -C repo export task --vcard 2>err &&
	echo "crm export: vCard is for contacts, not '"'"'task'"'"'" >expect && test_cmp expect err &&
	test_expect_code 2 crm -C repo export task --csv --json 2>err &&
	test_expect_code 2 crm -C repo export contact --vcard --vcard-version 5 2>err &&
	test_expect_code 2 crm -C repo export 2>err
'

test_done
