#!/bin/sh
# kill -9 during a write and during a commit: the record is either the old
# or the new file, never a torn one, and the lock left behind is explained
# by the next command instead of blocking it silently.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small &&
	cp small/clients/acme-corp.yaml old.yaml
'

# wait_for FILE: up to five seconds
wait_for() {
	for i in $(seq 1 50); do [ -e "$1" ] && return 0; sleep 0.1; done
	return 1
}

test_expect_success 'killed while writing: the old file stands, the next command explains' '
	CRM_TEST_PAUSE=before-rename "$CRM_BIN" -C small set acme-corp city=Cork >/dev/null 2>&1 &
	pid=$! &&
	wait_for small/clients/acme-corp.yaml.lock &&
	kill -9 $pid && wait $pid 2>/dev/null; true &&
	test_cmp old.yaml small/clients/acme-corp.yaml &&
	gitdir=$(git -C small rev-parse --absolute-git-dir) &&
	test_expect_code 1 crm -C small set acme-corp city=Galway 2>err &&
	grep -q "crm.lock. exists" err &&
	rm "$gitdir/crm.lock" small/clients/acme-corp.yaml.lock &&
	test "$(git -C small rev-list --count HEAD)" = 1 &&
	crm -C small check 2>err && grep -q "^0 errors" err
'

test_expect_success 'killed before the commit: the new file stands whole, uncommitted' '
	CRM_TEST_PAUSE=before-commit "$CRM_BIN" -C small set acme-corp city=Cork >/dev/null 2>&1 &
	pid=$! &&
	gitdir=$(git -C small rev-parse --absolute-git-dir) &&
	for i in $(seq 1 50); do grep -q "^city: Cork$" small/clients/acme-corp.yaml && break; sleep 0.1; done &&
	kill -9 $pid && wait $pid 2>/dev/null; true &&
	grep -q "^city: Cork$" small/clients/acme-corp.yaml &&
	crm -C small check 2>err && grep -q "^0 errors" err &&
	test "$(git -C small rev-list --count HEAD)" = 1 &&
	git -C small status --porcelain >st && grep -q "clients/acme-corp.yaml" st &&
	test -e "$gitdir/crm.lock" &&
	rm "$gitdir/crm.lock" &&
	git -C small commit -q -am "finish the interrupted change" &&
	crm -C small set acme-corp city=Galway >/dev/null
'

test_done
