#!/bin/sh
# kill -9 during a write and during a commit: the record is either the old
# or the new file, never a torn one; the next command takes over the lock
# of the dead process, rolls back what its journal names and says so, and
# a live crm's lock is still waited for.
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

test_expect_success 'killed while writing the journal: the old file stands, the next command takes over' '
	CRM_TEST_PAUSE=before-rename "$CRM_BIN" -C small set acme-corp city=Cork >/dev/null 2>&1 &
	pid=$! &&
	gitdir=$(git -C small rev-parse --absolute-git-dir) &&
	wait_for "$gitdir/crm-journal.lock" &&
	kill -9 $pid && { wait $pid 2>/dev/null; true; } &&
	test_cmp old.yaml small/clients/acme-corp.yaml &&
	crm -C small set acme-corp city=Galway >out 2>err &&
	echo "crm: took over the lock of crm process $pid, which had died" >expect &&
	test_cmp expect err &&
	printf "%s\n" "name: Acme Corp" "city: Galway" "email: office@acme.example" >expect &&
	test_cmp expect small/clients/acme-corp.yaml &&
	test ! -e "$gitdir/crm-journal.lock" &&
	test "$(git -C small rev-list --count HEAD)" = 2 &&
	test "$(git -C small status --porcelain)" = "" &&
	crm -C small check >out 2>err && test ! -s err &&
	echo "0 errors, 0 warnings in 9 records" >expect &&
	test_cmp expect out
'

test_expect_success 'killed before the commit: the next command rolls the write back' '
	cp small/clients/acme-corp.yaml before.yaml
	git -C small ls-files -s >index.before
	CRM_TEST_PAUSE=before-commit "$CRM_BIN" -C small set acme-corp city=Cork >/dev/null 2>&1 &
	pid=$! &&
	gitdir=$(git -C small rev-parse --absolute-git-dir) &&
	for i in $(seq 1 50); do grep -q "^city: Cork$" small/clients/acme-corp.yaml && break; sleep 0.1; done &&
	grep -q "^city: Cork$" small/clients/acme-corp.yaml &&
	kill -9 $pid && { wait $pid 2>/dev/null; true; } &&
	test -e "$gitdir/crm-journal" && test -e "$gitdir/crm.lock" &&
	crm -C small show acme-corp >/dev/null 2>err &&
	head=$(git -C small rev-parse --short=8 HEAD) &&
	cat >expect <<-EOF &&
	crm: took over the lock of crm process $pid, which had died
	crm: an interrupted write was rolled back: 1 file restored as of $head
	EOF
	test_cmp expect err &&
	test_cmp before.yaml small/clients/acme-corp.yaml &&
	test ! -e "$gitdir/crm-journal" && test ! -e "$gitdir/crm.lock" &&
	test "$(git -C small rev-list --count HEAD)" = 2 &&
	git -C small ls-files -s >index.after && test_cmp index.before index.after &&
	test "$(git -C small status --porcelain)" = "" &&
	crm -C small set acme-corp city=Galway >/dev/null 2>err && test ! -s err
'

test_expect_success 'a live crm holding the lock: a writer waits and names it, a reader goes on' '
	CRM_TEST_PAUSE=before-commit "$CRM_BIN" -C small set acme-corp city=Cork >/dev/null 2>&1 &
	pid=$! &&
	for i in $(seq 1 50); do grep -q "^city: Cork$" small/clients/acme-corp.yaml && break; sleep 0.1; done &&
	test_expect_code 1 crm -C small set acme-corp email=a@example.com 2>err &&
	gitdir=$(git -C small rev-parse --absolute-git-dir) &&
	sed "s|$gitdir|GITDIR|g; s/ ([0-9][^)]* old)/ (N s old)/" err >actual &&
	echo "crm set: '\''GITDIR/crm.lock'\'' exists (N s old): another crm process is writing, or one was killed; if no crm is running, remove it with '\''rm GITDIR/crm.lock'\''" >expect &&
	test_cmp expect actual &&
	crm -C small show acme-corp >/dev/null 2>err && test ! -s err &&
	kill -9 $pid && { wait $pid 2>/dev/null; true; } &&
	head=$(git -C small rev-parse --short=8 HEAD) &&
	crm -C small set acme-corp email=a@example.com >/dev/null 2>err &&
	cat >expect <<-EOF &&
	crm: took over the lock of crm process $pid, which had died
	crm: an interrupted write was rolled back: 1 file restored as of $head
	EOF
	test_cmp expect err &&
	printf "%s\n" "name: Acme Corp" "city: Galway" "email: a@example.com" >expect &&
	test_cmp expect small/clients/acme-corp.yaml &&
	test "$(git -C small status --porcelain)" = ""
'

test_expect_success 'a journal cut short (a damaged disk): refused whole, no file put back' '
	gitdir=$(git -C small rev-parse --absolute-git-dir) &&
	head=$(git -C small rev-parse HEAD) &&
	cp small/clients/acme-corp.yaml before.yaml &&
	printf "name: Acme Corp\ncity: Cork\n" >small/clients/acme-corp.yaml &&
	cp small/clients/acme-corp.yaml edited.yaml &&
	for cut in "P 22" "P 22\nclients/acme-corp.yaml\nO 9" "P 22\nclients/acme-corp.yaml\nO 40\nname: Acme"; do
		printf "crm-journal 1\nhead %s\nindex 0\n$cut\n" "$head" >"$gitdir/crm-journal" &&
		test_expect_code 1 crm -C small show acme-corp >out 2>err &&
		echo "crm show: the journal .git/crm-journal is damaged; see '\''git status'\'' and remove it" >expect &&
		test_cmp expect err && test ! -s out &&
		test_cmp edited.yaml small/clients/acme-corp.yaml &&
		test -e "$gitdir/crm-journal" || return 1
	done &&
	rm "$gitdir/crm-journal" && cp before.yaml small/clients/acme-corp.yaml &&
	test "$(git -C small status --porcelain)" = ""
'

# killed_before_commit DIR: a set in DIR killed before it commits, its
# journal left in the git folder of DIR's work tree
killed_before_commit() {
	CRM_TEST_PAUSE=before-commit "$CRM_BIN" -C "$1" set acme-corp city=Cork >/dev/null 2>&1 &
	pid=$! &&
	for i in $(seq 1 50); do grep -q "^city: Cork$" "$1/clients/acme-corp.yaml" && break; sleep 0.1; done &&
	grep -q "^city: Cork$" "$1/clients/acme-corp.yaml" &&
	kill -9 $pid && { wait $pid 2>/dev/null; true; } &&
	test -e "$(git -C "$1" rev-parse --absolute-git-dir)/crm-journal"
}

# A read finds the journal without libgit2 when .git is a folder above the
# data repository, and asks libgit2 when it is a file: both must find it.
test_expect_success 'a journal in a linked work tree and above a data repository is found' '
	git -C small worktree add -q ../linked 2>/dev/null &&
	test -f linked/.git &&
	cp linked/clients/acme-corp.yaml before.yaml &&
	killed_before_commit linked &&
	crm -C linked show acme-corp >/dev/null 2>err &&
	grep "an interrupted write was rolled back: 1 file restored" err &&
	test_cmp before.yaml linked/clients/acme-corp.yaml &&
	test "$(git -C linked status --porcelain)" = "" &&
	mkdir outer && cp -R "$TEST_DATA/small" outer/data &&
	git -C outer init -q && git -C outer add -A && git -C outer commit -q -m data &&
	cp outer/data/clients/acme-corp.yaml before.yaml &&
	killed_before_commit outer/data &&
	crm -C outer/data dashboard >/dev/null 2>err &&
	grep "an interrupted write was rolled back: 1 file restored" err &&
	test_cmp before.yaml outer/data/clients/acme-corp.yaml &&
	test ! -e outer/.git/crm-journal &&
	test "$(git -C outer status --porcelain)" = ""
'

test_done
