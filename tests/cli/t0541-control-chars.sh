#!/bin/sh
# Control characters in values: crm writes them as YAML escapes, crm check
# names each at its line and column, and no printer lets one reach the
# terminal raw (they show as \x1b).  Also: ls --format yaml reads back as
# the same strings, and flow keys that need quotes get them.
. "$(dirname "$0")/lib.sh"

# Fails when the file holds a raw C0 control (but tab and newline), DEL or
# a C1 control.
no_raw_controls() {
	! LC_ALL=C grep -qP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"
}

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small
'

test_expect_success 'set writes ESC, BEL and NEL as escapes that read back' '
	# check reports control characters: only --force writes them
	crm -C small set --force acme-corp "name=$(printf "Acme\033[2J\033]0;PWNED\007")" \
		"city=$(printf "a\302\205b")" >out &&
	cat >expect <<-\EOF &&
	name: "Acme\e[2J\e]0;PWNED\a"
	city: "a\Nb"
	email: office@acme.example
	EOF
	test_cmp expect small/clients/acme-corp.yaml &&
	no_raw_controls out &&
	sed "s/^\[[0-9a-f]*\]/[X]/" out >got &&
	echo "[X] crm: set client/acme-corp name=Acme\x1b[2J\x1b]0;PWNED\x07, city=a\x85b" >expect &&
	test_cmp expect got
'

test_expect_success 'check names each control character at its line and column' '
	test_expect_code 1 crm -C small check --no-source >out 2>/dev/null &&
	cat >expect <<-\EOF &&
	clients/acme-corp.yaml:1:12: error: control character U+001B in '"'"'name'"'"' [control-character]
	clients/acme-corp.yaml:2:9: error: control character U+0085 in '"'"'city'"'"' [control-character]
	2 errors, 0 warnings in 9 records
	EOF
	test_cmp expect out
'

test_expect_success 'show, ls and ls --format csv print them escaped' '
	crm -C small show acme-corp >show &&
	crm -C small ls client --fields name,city >ls &&
	crm -C small ls client --fields name,city --format csv >csv &&
	no_raw_controls show && no_raw_controls ls && no_raw_controls csv &&
	cat >expect <<-\EOF &&
	client/acme-corp  (clients/acme-corp.yaml)
	field  value
	name   Acme\x1b[2J\x1b]0;PWNED\x07
	city   a\x85b
	email  office@acme.example

	referenced by:
	  opportunity/acme-seo (client)
	EOF
	test_cmp expect show &&
	grep "^acme-corp" ls >row &&
	echo "acme-corp    Acme\x1b[2J\x1b]0;PWNED\x07  a\x85b" >expect &&
	test_cmp expect row &&
	grep "^acme-corp" csv >row &&
	echo "acme-corp,Acme\x1b[2J\x1b]0;PWNED\x07,a\x85b" >expect &&
	test_cmp expect row
'

test_expect_success 'log and diff print them escaped' '
	crm -C small log acme-corp >log &&
	no_raw_controls log &&
	sed -n "2,4p" log >got &&
	cat >expect <<-\EOF &&
	    crm: set client/acme-corp name=Acme\x1b[2J\x1b]0;PWNED\x07, city=a\x85b
	    name: Acme Corp -> "Acme\e[2J\e]0;PWNED\a"
	    city: Dublin -> "a\Nb"
	EOF
	test_cmp expect got &&
	sed -i "s/^city: .*/city: \"x\\\\e]2;owned\\\\x07\"/" small/clients/acme-corp.yaml &&
	crm -C small diff >diff &&
	no_raw_controls diff &&
	cat >expect <<-\EOF &&
	changed client/acme-corp (clients/acme-corp.yaml)
	  city: "a\Nb" -> "x\e]2;owned\a"
	EOF
	test_cmp expect diff &&
	git -C small checkout -q clients/acme-corp.yaml
'

test_expect_success 'a raw control byte is reported where it is, not at 1:1' '
	printf "name: Raw\ncity: Cork\nemail: \"a\033[31m@b.example\"\n" >small/clients/raw.yaml &&
	test_expect_code 1 crm -C small check >out 2>/dev/null &&
	no_raw_controls out &&
	grep -A2 "raw.yaml" out >got &&
	cat >expect <<-\EOF &&
	clients/raw.yaml:3:10: error: control character U+001B in '"'"'email'"'"' [control-character]
	    3 | email: "a\x1b[31m@b.example"
	      |          ^
	EOF
	test_cmp expect got &&
	rm small/clients/raw.yaml
'

test_expect_success 'ls --format yaml reads back as the same strings' '
	# python3-yaml (tests/install-deps.sh) is a YAML 1.1 reader
	crm -C small set lodz-studio city=0123 name=yes >/dev/null &&
	crm -C small set c-7k2m9q city=2025-01-01 name=12 >/dev/null &&
	crm -C small ls client --fields name,city,email --format yaml >y &&
	crm -C small ls client --fields name,city,email --format json >j &&
	python3 -c "
import json, sys, yaml
y = yaml.safe_load(open(\"y\"))
j = json.load(open(\"j\"))
assert y == j, (y, j)
assert {\"0123\", \"2025-01-01\"} <= {r[\"city\"] for r in y}, y
assert {\"yes\", \"12\"} <= {r[\"name\"] for r in y}, y
"
'

test_expect_success 'move quotes a user name that needs it inside the history entry' '
	GIT_AUTHOR_NAME="Smith, John" CRM_TODAY=2025-06-01 \
		crm -C small move acme-seo proposal >/dev/null &&
	tail -n 1 small/opportunities/acme-seo.yaml >got &&
	echo "  - {date: 2025-06-01, stage: proposal, by: \"Smith, John\"}" >expect &&
	test_cmp expect got
'

test_expect_success 'the merge driver quotes flow keys and escapes controls in a conflict' '
	printf "k: 1\n" >base.yaml &&
	printf "k: {\"x}\": 1, \"a, b\": c}\n" >ours.yaml &&
	printf "k: [\"\\\\e]0;x\\\\a\", \"y\\\\N\"]\n" >theirs.yaml &&
	test_expect_code 1 crm merge-driver base.yaml ours.yaml theirs.yaml k.yaml 2>err &&
	cat >expect <<-\EOF &&
	k:
	  conflict:
	    ours: {"x}": 1, "a, b": c}
	    theirs: ["\e]0;x\a", "y\N"]
	    base: 1
	EOF
	test_cmp expect ours.yaml &&
	grep -q "1 field in conflict" err
'

test_expect_success 'crm resolve reads a conflict block with escapes' '
	cat >small/clients/acme-corp.yaml <<-\EOF &&
	name: Acme Corp
	city:
	  conflict:
	    ours: "Cork\e[2J"
	    theirs: "Galway\u0085"
	    base: Dublin
	EOF
	git -C small commit -q -am conflict &&
	crm -C small resolve acme-corp city --value Cork >/dev/null &&
	grep -q "^city: Cork$" small/clients/acme-corp.yaml
'

test_expect_success 'a merge that would not read back leaves both versions' '
	printf "a: 0\nb: 0\n" >base.yaml &&
	printf "a: 7\nb: 0\n" >ours.yaml &&
	printf "a: &x 5\nb: *x\n" >theirs.yaml &&
	test_expect_code 1 crm merge-driver base.yaml ours.yaml theirs.yaml r.yaml 2>err &&
	cat >expect <<-\EOF &&
	<<<<<<< ours
	a: 7
	b: 0
	=======
	a: &x 5
	b: *x
	>>>>>>> theirs
	EOF
	test_cmp expect ours.yaml &&
	grep -q "both versions are left in the file between conflict markers" err
'

test_done
