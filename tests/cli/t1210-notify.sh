#!/bin/sh
# Stage-change notifications: crm.ini's [notify] stage command runs after
# crm move commits, after crm add of a deal (a change from no stage), and
# for the stage changes and new deals a crm sync brings in from others,
# with the change as JSON on its stdin and only crm.ini's words as its
# arguments; hostile field content reaches it as data, never as a command
# line; a hook that fails or is missing is a warning, the move stands.
. "$(dirname "$0")/lib.sh"

# The hook: each call's stdin and arguments kept in $HOOK_DIR, numbered.
mkdir -p bin
cat >bin/stage-hook <<\EOF
#!/bin/sh
test -n "$HOOK_DIR" || exit 9
n=$(ls "$HOOK_DIR" | grep -c "json$")
cat >"$HOOK_DIR/$n.json"
printf "%s\n" "$@" >"$HOOK_DIR/$n.args"
echo "hook said hello"
EOF
chmod +x bin/stage-hook
PATH="$TRASH/bin:$PATH"
export PATH

# The JSON a hook got, its commit id replaced.
hooked() {
	sed "s/\"commit\": \"[0-9a-f]\{40\}\"/\"commit\": \"HASH\"/" "$1"
}

test_expect_success 'a shared repository whose crm.ini names the hook' '
	crm init seed >/dev/null &&
	cat >>seed/crm.ini <<-\EOF &&
	[notify]
	stage = stage-hook --channel sales
	EOF
	git -C seed commit -qam hook &&
	mkdir seed-hooks &&
	HOOK_DIR=$TRASH/seed-hooks crm -C seed add client --set name=Acme >/dev/null &&
	HOOK_DIR=$TRASH/seed-hooks crm -C seed add opportunity --set title=Website \
		--set client=acme --set stage=qualifying --set "amount=1200.00 EUR" \
		--set owner=chen >/dev/null 2>err &&
	echo "hook said hello" >expect &&
	test_cmp expect err &&
	git clone -q --bare seed remote.git &&
	git clone -q "file://$TRASH/remote.git" alice &&
	git clone -q "file://$TRASH/remote.git" bob &&
	(cd alice && crm init >/dev/null) && (cd bob && crm init >/dev/null) &&
	mkdir alice-hooks bob-hooks
'

test_expect_success 'crm add of a deal runs the hook: a change from no stage' '
	ls seed-hooks >actual &&
	printf "0.args\n0.json\n" >expect &&
	test_cmp expect actual &&
	hooked seed-hooks/0.json >actual &&
	cat >expect <<-\EOF &&
	{
	  "event": "stage-change",
	  "record": "opportunity/website",
	  "type": "opportunity",
	  "id": "website",
	  "title": "Website",
	  "from": null,
	  "to": "qualifying",
	  "by": "Alice Example",
	  "date": "2025-06-01",
	  "amount": "1200.00 EUR",
	  "owner": "chen",
	  "origin": "add",
	  "commit": "HASH"
	}
	EOF
	test_cmp expect actual &&
	grep -q "\"commit\": \"$(git -C seed rev-parse HEAD)\"" seed-hooks/0.json
'

test_expect_success 'crm move runs the hook with the change on stdin' '
	HOOK_DIR=$TRASH/alice-hooks crm -C alice move website proposal-sent >out 2>err &&
	sed "s/^\[[0-9a-f]*\] //" out >actual &&
	echo "crm: move opportunity/website qualifying -> proposal-sent" >expect &&
	test_cmp expect actual &&
	echo "hook said hello" >expect &&
	test_cmp expect err &&
	printf "%s\n" --channel sales >expect &&
	test_cmp expect alice-hooks/0.args &&
	hooked alice-hooks/0.json >actual &&
	cat >expect <<-\EOF &&
	{
	  "event": "stage-change",
	  "record": "opportunity/website",
	  "type": "opportunity",
	  "id": "website",
	  "title": "Website",
	  "from": "qualifying",
	  "to": "proposal-sent",
	  "by": "Alice Example",
	  "date": "2025-06-01",
	  "amount": "1200.00 EUR",
	  "owner": "chen",
	  "origin": "move",
	  "commit": "HASH"
	}
	EOF
	test_cmp expect actual &&
	grep -q "\"commit\": \"$(git -C alice rev-parse HEAD)\"" alice-hooks/0.json
'

test_expect_success 'a sync that pushes only brings nothing in: no hook' '
	HOOK_DIR=$TRASH/alice-hooks crm -C alice sync >out 2>err &&
	echo "up to date from origin; pushed" >expect &&
	test_cmp expect out &&
	ls alice-hooks >actual &&
	printf "0.args\n0.json\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'the sync that brings a move in runs the hook once' '
	HOOK_DIR=$TRASH/bob-hooks crm -C bob sync >out 2>err &&
	echo "fast-forwarded from origin; pushed" >expect &&
	test_cmp expect out &&
	hooked bob-hooks/0.json >actual &&
	sed "s/\"origin\": \"move\"/\"origin\": \"sync\"/" alice-hooks/0.json >want &&
	hooked want >expect &&
	test_cmp expect actual &&
	HOOK_DIR=$TRASH/bob-hooks crm -C bob sync >out 2>err &&
	ls bob-hooks >actual &&
	printf "0.args\n0.json\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'a merge brings in their move beside our edit' '
	HOOK_DIR=$TRASH/alice-hooks crm -C alice move website negotiation >/dev/null 2>&1 &&
	HOOK_DIR=$TRASH/alice-hooks crm -C alice sync >/dev/null 2>&1 &&
	crm -C bob set website confidence=4 >/dev/null &&
	HOOK_DIR=$TRASH/bob-hooks crm -C bob sync >out 2>err &&
	echo "merged from origin; pushed" >expect &&
	test_cmp expect out &&
	hooked bob-hooks/1.json >actual &&
	grep "\"from\"\|\"to\"\|\"origin\"" actual >got &&
	cat >expect <<-\EOF &&
	  "from": "proposal-sent",
	  "to": "negotiation",
	  "origin": "sync",
	EOF
	test_cmp expect got &&
	grep -q "\"commit\": \"$(git -C bob rev-parse HEAD)\"" bob-hooks/1.json
'

test_expect_success 'hostile field content reaches the hook as data only' '
	cd alice &&
	f=$(ls opportunities/*/website.yaml) &&
	python3 - "$f" <<-\EOF &&
	import sys
	p = sys.argv[1]
	lines = open(p, encoding="utf-8").read().splitlines(True)
	title = "title: \"Q \\\"$(touch pwned)\\\" `touch pwned2` ;rm -rf x\\nline two\\tZo\\u00eb \\u4e2d\\u6587 \\u202e\"\n"
	lines = [title if l.startswith("title:") else l for l in lines]
	open(p, "w", encoding="utf-8").write("".join(lines))
	EOF
	git commit -qam hostile &&
	HOOK_DIR=$TRASH/alice-hooks crm move website contract-pending >/dev/null 2>&1 &&
	cd .. &&
	test ! -e pwned && test ! -e alice/pwned && test ! -e pwned2 && test ! -e alice/pwned2 &&
	printf "%s\n" --channel sales >expect &&
	test_cmp expect alice-hooks/2.args &&
	python3 - alice-hooks/2.json <<-\EOF
	import json, sys
	t = json.load(open(sys.argv[1], encoding="utf-8"))["title"]
	want = "Q \"$(touch pwned)\" `touch pwned2` ;rm -rf x\nline two\tZo\u00eb \u4e2d\u6587 \u202e"
	assert t == want, repr(t)
	EOF
'

# A title no shell may ever see.
hostile='Q "$(touch pwned)" `touch pwned2` ;rm -rf x'

test_expect_success 'a deal a teammate adds reaches the others by sync: from no stage' '
	HOOK_DIR=$TRASH/alice-hooks crm -C alice add opportunity --id hostile \
		--set "title=$hostile" --set client=acme --set stage=qualifying \
		--set owner=dana >/dev/null 2>&1 &&
	HOOK_DIR=$TRASH/alice-hooks crm -C alice sync >/dev/null 2>&1 &&
	ls alice-hooks | tail -n 2 >actual &&
	printf "3.args\n3.json\n" >expect &&
	test_cmp expect actual &&
	grep "\"origin\"" alice-hooks/3.json >actual &&
	echo "  \"origin\": \"add\"," >expect &&
	test_cmp expect actual &&
	HOOK_DIR=$TRASH/bob-hooks crm -C bob sync >out 2>err &&
	echo "fast-forwarded from origin; pushed" >expect &&
	test_cmp expect out &&
	ls bob-hooks >actual &&
	printf "%s\n" 0.args 0.json 1.args 1.json 2.args 2.json 3.args 3.json >expect &&
	test_cmp expect actual &&
	grep "\"record\"\|\"from\"\|\"to\"" bob-hooks/2.json >actual &&
	cat >expect <<-\EOF &&
	  "record": "opportunity/website",
	  "from": "negotiation",
	  "to": "contract-pending",
	EOF
	test_cmp expect actual &&
	hooked bob-hooks/3.json >actual &&
	cat >expect <<-\EOF &&
	{
	  "event": "stage-change",
	  "record": "opportunity/hostile",
	  "type": "opportunity",
	  "id": "hostile",
	  "title": "Q \"$(touch pwned)\" `touch pwned2` ;rm -rf x",
	  "from": null,
	  "to": "qualifying",
	  "by": "Alice Example",
	  "date": "2025-06-01",
	  "amount": null,
	  "owner": "dana",
	  "origin": "sync",
	  "commit": "HASH"
	}
	EOF
	test_cmp expect actual &&
	grep -q "\"commit\": \"$(git -C bob rev-parse HEAD)\"" bob-hooks/3.json &&
	printf "%s\n" --channel sales >expect &&
	test_cmp expect bob-hooks/3.args &&
	test ! -e pwned && test ! -e bob/pwned && test ! -e pwned2 && test ! -e bob/pwned2
'

test_expect_success 'a deal renamed or moved to another folder is no new deal' '
	HOOK_DIR=$TRASH/alice-hooks crm -C alice mv hostile renamed >/dev/null 2>&1 &&
	old=$(cd alice && ls opportunities/*/website.yaml) &&
	mkdir alice/opportunities/elsewhere &&
	git -C alice mv "$old" opportunities/elsewhere/website.yaml &&
	sed "s/^stage: contract-pending$/stage: negotiation/" \
		alice/opportunities/elsewhere/website.yaml >moved &&
	cp moved alice/opportunities/elsewhere/website.yaml &&
	git -C alice commit -qam "relocated, and back to negotiation" &&
	HOOK_DIR=$TRASH/alice-hooks crm -C alice sync >/dev/null 2>&1 &&
	ls alice-hooks | tail -n 2 >actual &&
	printf "3.args\n3.json\n" >expect &&
	test_cmp expect actual &&
	HOOK_DIR=$TRASH/bob-hooks crm -C bob sync >out 2>err &&
	echo "fast-forwarded from origin; pushed" >expect &&
	test_cmp expect out &&
	ls bob-hooks | tail -n 2 >actual &&
	printf "4.args\n4.json\n" >expect &&
	test_cmp expect actual &&
	grep "\"record\"\|\"from\"\|\"to\"" bob-hooks/4.json >actual &&
	cat >expect <<-\EOF &&
	  "record": "opportunity/website",
	  "from": "contract-pending",
	  "to": "negotiation",
	EOF
	test_cmp expect actual
'

test_expect_success 'crm import runs the hook for each deal its commit makes' '
	cat >deals.csv <<-\EOF &&
	Title,Stage,Amount
	Shop,qualifying,300.00
	App,proposal-sent,900.00
	EOF
	cat >deals.ini <<-\EOF &&
	[deals]
	type = opportunity
	files = deals.csv
	id = Title
	title = {Title}
	stage = {Stage}
	amount = {Amount} EUR
	client = acme
	owner = chen
	EOF
	mkdir import-hooks &&
	HOOK_DIR=$TRASH/import-hooks crm -C seed import "$TRASH/deals.csv" \
		--rules "$TRASH/deals.ini" >out 2>err &&
	printf "hook said hello\nhook said hello\n" >expect && test_cmp expect err &&
	ls import-hooks >actual &&
	printf "0.args\n0.json\n1.args\n1.json\n" >expect && test_cmp expect actual &&
	for n in 0 1; do
		grep "\"id\"\|\"from\"\|\"to\"\|\"origin\"" import-hooks/$n.json || exit 1
	done >actual &&
	cat >expect <<-\EOF &&
	  "id": "app",
	  "from": null,
	  "to": "proposal-sent",
	  "origin": "import",
	  "id": "shop",
	  "from": null,
	  "to": "qualifying",
	  "origin": "import",
	EOF
	test_cmp expect actual &&
	grep -q "\"commit\": \"$(git -C seed rev-parse HEAD)\"" import-hooks/1.json &&
	HOOK_DIR=$TRASH/import-hooks crm -C seed import "$TRASH/deals.csv" \
		--rules "$TRASH/deals.ini" >out 2>err &&
	test ! -s err && test "$(ls import-hooks | wc -l)" = 4
'

test_expect_success 'a hook that fails is a warning; the move stands' '
	cat >bin/stage-hook <<-\EOF &&
	#!/bin/sh
	cat >/dev/null
	exit 3
	EOF
	crm -C alice move website won >out 2>err &&
	cat >expect <<-\EOF &&
	crm move: warning: the stage hook '"'"'stage-hook'"'"' exited with status 3
	EOF
	test_cmp expect err &&
	git -C alice log -1 --format=%s >actual &&
	echo "crm: move opportunity/website negotiation -> won" >expect &&
	test_cmp expect actual
'

test_expect_success 'a hook that is not there is a warning too' '
	rm bin/stage-hook &&
	crm -C alice move website negotiation >out 2>err &&
	cat >expect <<-\EOF &&
	crm move: warning: the stage hook '"'"'stage-hook'"'"' exited with status 127
	EOF
	test_cmp expect err
'

test_done
