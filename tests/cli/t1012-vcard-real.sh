#!/bin/sh
# crm import contact on real vCards: Thunderbird's own address-book test
# cards and the exports of phones and address books (Android, BlackBerry,
# iPhone, Mac, Outlook 2003/2007, Gmail, Evolution, Lotus Notes) that
# ez-vcard keeps in its test suite (tests/data/vcard/real/README.md names
# each file's source).  Each file's import is compared with a reviewed
# FILE.expected, and every file that imports goes out as vCard 3.0 and 4.0
# and back in to the same contacts.
. "$(dirname "$0")/lib.sh"

R="$TEST_DATA/vcard/real"

test_expect_success 'set up: the agency example without its contacts' '
	cp -R "$TEST_TOP/examples/agency" nocontacts &&
	rm -r nocontacts/contacts &&
	git -C nocontacts init -q && git -C nocontacts add -A &&
	git -C nocontacts commit -q -m "no contacts"
'

# contacts_of REPO: one JSON line a contact, its non-empty stored fields
contacts_of() {
	crm -C "$1" export contact --json >"$TRASH/contacts.json" &&
	python3 - "$TRASH/contacts.json" <<-\EOF
	import json, sys
	for rec in json.load(open(sys.argv[1])):
	    print(json.dumps({k: v for k, v in rec["fields"].items()
	                      if v and k not in ("client_name", "last_activity", "next_step")},
	                     sort_keys=True, ensure_ascii=False))
	EOF
}

# imported FILE: what crm import says of FILE (its path cut to the file's
# name), then the contacts it made, sorted
imported() {
	rm -rf imported && cp -R nocontacts imported &&
	{ crm -C imported import contact "$1" 2>&1; echo "exit $?"; } |
		grep -v -e "^\[" -e "^crm: this clone has not registered" | sed "s|$R/||" &&
	contacts_of imported | sort
}

for f in "$R"/*/*.vcf; do
	name=${f#"$R"/}
	test_expect_success "$name: imported as expected" '
		imported "'"$f"'" >got &&
		test_cmp "'"${f%.vcf}"'.expected" got
	'
done

for f in "$R"/*/*.vcf; do
	name=${f#"$R"/}
	grep -q "^exit 0$" "${f%.vcf}.expected" || continue
	for v in 3 4; do
		test_expect_success "$name: export as vCard $v and import gives the same contacts" '
			rm -rf first back && cp -R nocontacts first && cp -R nocontacts back &&
			crm -C first import contact "'"$f"'" >/dev/null &&
			crm -C first export contact --vcard --vcard-version '$v' -o "$TRASH/out.vcf" &&
			crm -C back import contact "$TRASH/out.vcf" >/dev/null &&
			contacts_of first | sort >expect &&
			contacts_of back | sort >got &&
			test -s expect &&
			test_cmp expect got
		'
	done
done

test_done
