#!/bin/sh
# crm import --preset on real CSV files: Thunderbird's own address-book
# test files (its export, a company by Display Name only, UTF-16 and
# Shift_JIS), Roundcube's test file in Google's CSV layout before 2023 and
# a Salesforce demo org's Account, Contact, Lead and Opportunity files,
# and Tine 2.0's test files: a Google export in the layout before 2023,
# one in Outlook's layout, and a German Outlook 2013 export
# (tests/data/import/real/README.md names each file's source).  Each
# import is compared with a reviewed FILE.expected: what crm import says,
# then the contacts and clients it made.
. "$(dirname "$0")/lib.sh"

R="$TEST_DATA/import/real"

test_expect_success 'set up: a fresh repository' '
	crm init empty >/dev/null
'

# records_of REPO: one JSON line a client, contact or opportunity, its
# non-empty fields
records_of() {
	for t in client contact opportunity; do
		crm -C "$1" export $t --json >"$TRASH/$t.json" || return 1
	done
	python3 - "$TRASH/client.json" "$TRASH/contact.json" "$TRASH/opportunity.json" <<-\EOF
	import json, sys
	for path in sys.argv[1:]:
	    for rec in json.load(open(path)):
	        keep = {k: v for k, v in rec["fields"].items()
	                if v and not k.endswith("_name") and k not in ("last_activity", "next_step")}
	        print(rec["type"], json.dumps(keep, sort_keys=True, ensure_ascii=False))
	EOF
}

# imported PRESET [OPTION] FILE...: what crm import says of the files
# (their paths cut to the folder under real/), then the records it made,
# sorted
imported() {
	preset=$1
	shift
	rm -rf imported && cp -R empty imported &&
	{ crm -C imported import --preset "$preset" "$@" 2>&1; echo "exit $?"; } |
		grep -v "^\[" | sed "s|$R/||" &&
	records_of imported | sort
}

# check_import FILE PRESET [OPTION]
check_import() {
	test_expect_success "$1 with --preset $2${3:+ $3}: imported as expected" '
		imported '"$2 ${3:-}"' "$R/'"$1"'" >got &&
		test_cmp "$R/'"${1%.csv}"'.expected" got
	'
}

check_import thunderbird/basic_addressbook.csv thunderbird
check_import thunderbird/quote.csv thunderbird
check_import thunderbird/utf16_addressbook.csv thunderbird
check_import thunderbird/shiftjis_addressbook.csv thunderbird --encoding=Shift_JIS
check_import thunderbird/export.csv thunderbird
check_import roundcube/gmail.csv google-contacts-legacy
check_import tine20/google_contacts.csv google-contacts-legacy
check_import tine20/google_outlook_layout.csv outlook --encoding=ISO-8859-1
check_import tine20/importtest_outlook2013.csv outlook --encoding=Windows-1252

test_expect_success 'Salesforce: Account, Contact, Lead and Opportunity of a demo org' '
	imported salesforce "$R"/salesforce/*.csv >got &&
	test_cmp "$R/salesforce/import.expected" got
'

# Thunderbird's export.csv and Roundcube's gmail.csv are refused above for
# values crm's checks reject (an email domain without a dot, phones that
# are words); without those columns their other cells come in as written.
test_expect_success "Thunderbird's export.csv: quotes, a tab, a raw CR and a line break in cells" '
	rm -rf imported && cp -R empty imported &&
	cat >tb.ini <<-\EOF &&
	[contacts]
	type = contact
	files = *.csv
	id = Display Name
	name = {Display Name}
	title = {Job Title}
	notes = {Custom 1} | {Custom 2} | {Custom 3} | {Custom 4} | {Notes}
	EOF
	crm -C imported import --rules "$TRASH/tb.ini" "$R/thunderbird/export.csv" >out &&
	records_of imported >got &&
	cat >expect <<-\EOF &&
	contact {"name": "contact number one"}
	contact {"name": "contact number two", "notes": "custom, 1 | custom\t2 | custom\n3 | custom\n4 | here'\''s some unicode text…", "title": "\"worker\""}
	EOF
	test_cmp expect got
'

test_expect_success "Roundcube's gmail.csv without its phone: every other preset column" '
	rm -rf imported && cp -R empty imported &&
	crm -C imported import --preset google-contacts-legacy --print | grep -v "^phone" >g.ini &&
	crm -C imported import --rules "$TRASH/g.ini" "$R/roundcube/gmail.csv" >out &&
	head -1 out >got &&
	records_of imported | sort >>got &&
	cat >expect <<-\EOF &&
	2 created, 0 updated, 0 unchanged, 0 skipped
	client {"kind": "company", "name": "company"}
	contact {"client": "company", "email": "home@aaa.pl", "name": "Prefix Firstname Middle Lastname Suffix", "notes": "note\"note", "title": "jobtitle"}
	EOF
	test_cmp expect got
'

# Outlook names its columns in the language of its menus: the German
# export above has none of the preset's, and imports through a rules
# file with its own names.  Its rows stop three cells short of the header.
test_expect_success "Tine 2.0's German Outlook 2013 export through German column names" '
	rm -rf imported && cp -R empty imported &&
	cat >de.ini <<-\EOF &&
	[contacts]
	type = contact
	files = *.csv
	name = {Vorname} {Weitere Vornamen} {Nachname}
	email = {E-Mail-Adresse}
	phone = {Telefon geschäftlich}
	title = {Position}
	client = {Firma}
	client.create = yes
	notes = {Notizen}
	EOF
	crm -C imported import --rules "$TRASH/de.ini" --encoding=Windows-1252 \
		"$R/tine20/importtest_outlook2013.csv" >out &&
	head -1 out >got &&
	records_of imported | sort >>got &&
	cat >expect <<-\EOF &&
	3 created, 0 updated, 0 unchanged, 0 skipped
	client {"kind": "company", "name": "unittest"}
	contact {"client": "unittest", "email": "c.baumann@unittest.de", "name": "Christian Baumann", "phone": "+49 (0) 40 6432131-550", "title": "Vertrieb"}
	contact {"client": "unittest", "email": "c.weiss@unittest.de", "name": "Cornelius Weiß", "phone": "040 6432131545", "title": "Softwareengineering"}
	EOF
	test_cmp expect got
'

# Google writes a numbered group (E-mail 1, Phone 1, Organization 1) only
# when a contact exported has one: Tine 2.0's google_contacts.csv above
# has no Organization columns.  The layout since 2023 is taken to do the
# same (no real file of it was found); this header is made up from it.
test_expect_success 'google-contacts: a file without E-mail and Phone groups' '
	rm -rf imported && cp -R empty imported &&
	printf "%s\n" "First Name,Middle Name,Last Name,Organization Name,Organization Title,Notes,Labels" \
		"Ada,,Lovelace,Analytical,Engineer,,* myContacts" >nogroups.csv &&
	crm -C imported import --preset google-contacts "$TRASH/nogroups.csv" >out &&
	records_of imported | sort >got &&
	cat >expect <<-\EOF &&
	client {"kind": "company", "name": "Analytical"}
	contact {"client": "analytical", "name": "Ada Lovelace", "title": "Engineer"}
	EOF
	test_cmp expect got
'

test_expect_success 'Shift_JIS read as UTF-8 is refused, naming --encoding' '
	rm -rf imported && cp -R empty imported &&
	test_expect_code 1 crm -C imported import --preset thunderbird \
		"$R/thunderbird/shiftjis_addressbook.csv" 2>err &&
	sed "s|$R/||" err >got &&
	cat >expect <<-\EOF &&
	thunderbird/shiftjis_addressbook.csv:2:1: error: byte 0x8C at byte offset 428 is not UTF-8 (name the file'"'"'s encoding with --encoding)
	crm import: 1 error; nothing was written
	EOF
	test_cmp expect got
'

test_done
