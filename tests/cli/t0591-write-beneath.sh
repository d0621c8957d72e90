#!/bin/sh
# Writes open their folder beneath the repository's root, never through a
# link: with clients/ a link to a folder outside the repository, add, set
# and mv refuse and leave that folder byte for byte as it was, with
# openat2 and with the walk that stands in for it on older kernels.
. "$(dirname "$0")/lib.sh"

# Every name below `outside`, folders too, and every file's sha.
snapshot_outside() {
	(cd outside && find . | sort && find . -type f | sort | xargs sha1sum) >"$1"
}

test_expect_success 'set up: clients/ is a link to a folder outside' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small &&
	mv small/clients outside &&
	ln -s "$TRASH/outside" small/clients &&
	snapshot_outside outside.before &&
	git -C small rev-parse HEAD >head.before
'

for walk in "" openat2; do
	test_expect_success "add refuses to write through the link${walk:+ (no $walk)}" '
		CRM_TEST_FAIL=$walk test_expect_code 2 crm -C small add client \
			--set "name=Zeta Works" >out 2>err &&
		sed "s|$TRASH|TRASH|" err >all &&
		echo "crm add: '"'"'clients'"'"' is a symbolic link to '"'"'TRASH/outside'"'"', which crm does not follow" >expect &&
		test_cmp expect all && test_cmp /dev/null out &&
		snapshot_outside outside.after && test_cmp outside.before outside.after &&
		git -C small rev-parse HEAD >head.after && test_cmp head.before head.after
	'
done

test_expect_success 'set finds no record behind the link, and writes nothing' '
	test_expect_code 1 crm -C small set acme-corp city=Cork >out 2>err &&
	echo "crm set: no record '"'"'acme-corp'"'"'" >expect &&
	test_cmp expect err && test_cmp /dev/null out &&
	snapshot_outside outside.after && test_cmp outside.before outside.after &&
	git -C small rev-parse HEAD >head.after && test_cmp head.before head.after
'

test_expect_success 'mv finds no record behind the link, and writes nothing' '
	test_expect_code 1 crm -C small mv acme-corp acme-new >out 2>err &&
	echo "crm mv: no record '"'"'acme-corp'"'"'" >expect &&
	test_cmp expect err && test_cmp /dev/null out &&
	snapshot_outside outside.after && test_cmp outside.before outside.after &&
	git -C small rev-parse HEAD >head.after && test_cmp head.before head.after
'

test_expect_success 'with clients/ a real folder again, the same commands write' '
	rm small/clients && mv outside small/clients &&
	crm -C small add client --set "name=Zeta Works" >/dev/null &&
	crm -C small set acme-corp city=Cork >/dev/null &&
	crm -C small mv acme-corp acme-new >/dev/null &&
	test "$(git -C small status --porcelain)" = ""
'

test_done
