#!/bin/sh
# README's first hour, as a new user follows it: make install into a prefix,
# that prefix on the PATH (and not the build folder), crm init, a first
# commit, then two clones whose edits to one record meet in a plain
# `git pull`, merged by the driver crm init registered.
. "$(dirname "$0")/lib.sh"

prefix="$TRASH/prefix"
# the PATH of a new user's shell: the installed crm, no build folder
user_path="$prefix/bin:/usr/local/bin:/usr/bin:/bin"

test_expect_success 'make install PREFIX= installs crm, its schemas and its man page' '
	# -o: the binary under test is installed as it is; rebuilding it with
	# this prefix compiled in would replace it under the other tests
	make -s -C "$TEST_TOP" -o "$CRM_BIN" install BUILD="$CRM_TEST_BUILD" \
		PREFIX="$prefix" >make.out 2>&1 &&
	test -x "$prefix/bin/crm" &&
	test -f "$prefix/share/crm/schema/client.yaml" &&
	test -f "$prefix/share/man/man1/crm.1" &&
	test "$(env PATH=$user_path sh -c "command -v crm")" = "$prefix/bin/crm"
'

test_expect_success 'make install DESTDIR= stages the same tree below DESTDIR' '
	make -s -C "$TEST_TOP" -o "$CRM_BIN" install BUILD="$CRM_TEST_BUILD" \
		PREFIX=/opt/crm DESTDIR="$TRASH/stage" >make.out 2>&1 &&
	test -x "$TRASH/stage/opt/crm/bin/crm" &&
	test -f "$TRASH/stage/opt/crm/share/crm/schema/client.yaml" &&
	test ! -e /opt/crm/bin/crm
'

test_expect_success 'crm init with the installed crm registers the bare merge driver' '
	env PATH=$user_path crm init shop >out &&
	test "$(git -C shop config merge.crm.driver)" = "crm merge-driver %O %A %B %P" &&
	test "$(git -C shop log --format=%s)" != ""
'

test_expect_success 'a first record and a first commit' '
	mkdir -p shop/clients &&
	printf "name: Acme Corp\ncity: Dublin\nemail: office@acme.example\n" \
		>shop/clients/acme-corp.yaml &&
	(cd shop && env PATH=$user_path crm check >../check.out) &&
	echo "0 errors, 0 warnings in 1 record" >expect &&
	test_cmp expect check.out &&
	git -C shop add -A && git -C shop commit -q -m acme &&
	(cd shop && env PATH=$user_path crm ls client --format csv) >out &&
	printf "%s\n" "id,name,kind,email,temperature,owner" \
		"acme-corp,Acme Corp,company,office@acme.example,," >expect &&
	test_cmp expect out
'

test_expect_success 'two clones, crm init in each, edits to neighbouring lines' '
	git clone -q --bare shop shop.git &&
	git clone -q shop.git alice && git clone -q shop.git bob &&
	env PATH=$user_path crm init alice >/dev/null &&
	env PATH=$user_path crm init bob >/dev/null &&
	sed -i "s/^city: Dublin$/city: Cork/" alice/clients/acme-corp.yaml &&
	git -C alice commit -q -a -m "acme moved" && git -C alice push -q origin main &&
	sed -i "s/^email: .*/email: sales@acme.example/" bob/clients/acme-corp.yaml &&
	git -C bob commit -q -a -m "acme sales address"
'

test_expect_success 'a plain git pull merges them field by field through the driver' '
	# git merging line by line would conflict: the two edits touch
	# neighbouring lines; the installed driver merges the fields
	PATH=$user_path git -C bob pull -q --no-edit origin main &&
	printf "%s\n" "name: Acme Corp" "city: Cork" "email: sales@acme.example" >expect &&
	test_cmp expect bob/clients/acme-corp.yaml &&
	test -z "$(git -C bob status --porcelain)" &&
	(cd bob && env PATH=$user_path crm check >../check.out) &&
	echo "0 errors, 0 warnings in 1 record" >expect &&
	test_cmp expect check.out
'

test_expect_success 'without the driver (a clone not crm init-ed) the same pull conflicts' '
	git clone -q shop.git carol &&
	git -C carol reset -q --hard HEAD~1 &&
	sed -i "s/^email: .*/email: sales@acme.example/" carol/clients/acme-corp.yaml &&
	git -C carol commit -q -a -m "acme sales address" &&
	test_expect_code 1 env PATH=$user_path git -C carol pull -q --no-edit origin main \
		>/dev/null 2>&1 &&
	git -C carol status --porcelain >out &&
	echo "UU clients/acme-corp.yaml" >expect &&
	test_cmp expect out
'

test_done
