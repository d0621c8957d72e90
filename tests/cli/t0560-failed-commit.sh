#!/bin/sh
# A write whose commit fails (the branch's ref locked by another git, as a
# full disk would fail it) or whose files cannot all be written exits 1 and
# leaves every file and git's index byte for byte as they were, so that a
# retry does the change once.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small &&
	gitdir=$(git -C small rev-parse --absolute-git-dir) && echo "$gitdir" >gitdir
'

# Everything a failed write must not change: each file's sha, the folders,
# git's index as bytes and as entries.
snapshot() {
	(cd small && find . -path ./.git -prune -o -print | sort >"../$1.tree" &&
	 find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum >"../$1.sums") &&
	cp "$(cat gitdir)/index" "$1.index" &&
	git -C small ls-files -s >"$1.ls"
}

same_as() {
	snapshot after &&
	test_cmp "$1.tree" after.tree && test_cmp "$1.sums" after.sums &&
	cmp "$1.index" after.index && test_cmp "$1.ls" after.ls &&
	test ! -e "$(cat gitdir)/crm-journal" && test ! -e "$(cat gitdir)/crm-journal.index" &&
	test ! -e "$(cat gitdir)/crm.lock"
}

lock_branch() { : >"$(cat gitdir)/refs/heads/main.lock"; }
unlock_branch() { rm "$(cat gitdir)/refs/heads/main.lock"; }

test_expect_success 'set: the commit fails, the file and the index stay as they were' '
	snapshot before && lock_branch &&
	test_expect_code 1 crm -C small set acme-corp city=Cork 2>err &&
	unlock_branch &&
	grep -q "^crm set: " err &&
	same_as before &&
	test "$(git -C small rev-list --count HEAD)" = 1 &&
	test "$(git -C small status --porcelain)" = ""
'

test_expect_success 'add: the commit fails, no file and no folder is left; the retry adds one' '
	snapshot before && lock_branch &&
	test_expect_code 1 crm -C small add client --set "name=Zeta Works" 2>err &&
	unlock_branch &&
	same_as before &&
	crm -C small add client --set "name=Zeta Works" >out &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: add client/zeta-works" >expect &&
	test_cmp expect actual &&
	test "$(find small/clients -name "zeta-works*" | wc -l)" = 1 &&
	test "$(git -C small status --porcelain)" = ""
'

test_expect_success 'mv: the commit fails, every referrer is put back' '
	snapshot before && lock_branch &&
	test_expect_code 1 crm -C small mv acme-corp acme-new 2>err &&
	unlock_branch &&
	same_as before &&
	test "$(git -C small status --porcelain)" = ""
'

test_expect_success 'mv: the last file cannot be written, the others are put back' '
	snapshot before &&
	CRM_TEST_FAIL=txn-apply test_expect_code 1 crm -C small mv acme-corp acme-new 2>err &&
	grep -q "test hook" err &&
	same_as before &&
	crm -C small mv acme-corp acme-new >/dev/null &&
	test -f small/clients/acme-new.yaml && test ! -e small/clients/acme-corp.yaml
'

test_done
