# Shared set-up for the command-line tests, in the manner of git's t/.
# A script sources this file, then calls test_expect_success 'what' 'code'.
# Each script runs in a fresh temporary folder with pinned environment.
set -u
TEST_TOP=$(cd "$(dirname "$0")/../.." && pwd)
CRM_TEST_BUILD=${CRM_TEST_BUILD:-$TEST_TOP/build}
CRM_BIN="$CRM_TEST_BUILD/crm"
TEST_DATA="$TEST_TOP/tests/data"
SHARED_DATA="$TEST_TOP/../shared/data"
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/crm-test.XXXXXX")
if [ "${CRM_VALGRIND:-}" = 1 ]; then
	mkdir "$TRASH.valgrind"
fi
test_count=0
test_failed=0
test_skipped=0
test_finished=0
test_exit_hooks=
trap 'test_cleanup' EXIT
cd "$TRASH" || exit 1

export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC NO_COLOR=1
export HOME="$TRASH/home"
mkdir -p "$HOME"
export GIT_AUTHOR_NAME='Alice Example' GIT_AUTHOR_EMAIL='alice@example.com'
export GIT_COMMITTER_NAME='Alice Example' GIT_COMMITTER_EMAIL='alice@example.com'
export GIT_AUTHOR_DATE='2025-06-01T12:00:00Z' GIT_COMMITTER_DATE='2025-06-01T12:00:00Z'
export CRM_TODAY=2025-06-01
export GIT_CONFIG_NOSYSTEM=1
unset CRM_DIR VISUAL EDITOR
git config --global user.name 'Alice Example'
git config --global user.email 'alice@example.com'
git config --global init.defaultBranch main
git config --global pull.rebase false
# git runs the merge driver as `crm merge-driver ...`: the binary under test
PATH="$CRM_TEST_BUILD:$PATH"
export PATH

# crm runs the binary under test (under valgrind when CRM_VALGRIND=1, where
# any leak or error makes the command fail with status 99).  valgrind's own
# words go to logs beside the trash folder (TRASH.valgrind/), not into the
# stderr cases compare (valgrind 3.19 warns of every openat2 it does not
# know), nor into a repository a case lists.
crm() {
	if [ "${CRM_VALGRIND:-}" = 1 ]; then
		valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--suppressions="$TEST_TOP/tests/valgrind.supp" \
			--log-file="$TRASH.valgrind/%p.log" \
			--error-exitcode=99 "$CRM_BIN" "$@"
	else
		"$CRM_BIN" "$@"
	fi
}

# On exit: the script's own hooks (servers to stop), then the trash folder
# removed, unless a case failed or the script stopped before test_done:
# then it stays for a look, and its path is printed.
test_cleanup() {
	eval "$test_exit_hooks"
	cd /
	if [ "$test_failed" = 0 ] && [ "$test_finished" = 1 ]; then
		rm -rf "$TRASH" "$TRASH.valgrind"
	else
		echo "trash folder kept: $TRASH"
	fi
}

# test_at_exit 'code': runs code when the script exits, before the clean-up
# (rather than a trap of its own, which would replace test_cleanup).
test_at_exit() {
	test_exit_hooks="$test_exit_hooks
$1"
}

# Prerequisites, as in git's t/: test_set_prereq NAME declares one present;
# a case that names prerequisites runs only when all of them are.
test_prereqs=' '
test_set_prereq() {
	test_prereqs="$test_prereqs$1 "
}

# test_have_prereq A,B: true when every listed prerequisite is set.
test_have_prereq() {
	for p in $(echo "$1" | tr ',' ' '); do
		case "$test_prereqs" in *" $p "*) ;; *) return 1 ;; esac
	done
}

# test_expect_success [PREREQ[,PREREQ...]] 'what' 'code': runs code in a
# subshell with set -e.  It is reported "skip" with the reason, never "ok",
# when a prerequisite is missing or when the code calls test_skip.
test_expect_success() {
	if [ $# = 3 ]; then
		test_prereq=$1
		shift
		if ! test_have_prereq "$test_prereq"; then
			test_skip_case "$1" "missing prerequisite $(test_missing_prereqs "$test_prereq")"
			return 0
		fi
	fi
	test_count=$((test_count + 1))
	rm -f "$TRASH/.skip"
	if (set -e; eval "$2") >"$TRASH/.out" 2>&1; then
		if [ -f "$TRASH/.skip" ]; then
			test_count=$((test_count - 1))
			test_skip_case "$1" "$(cat "$TRASH/.skip")"
		else
			echo "ok $test_count - $1"
		fi
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed 's/^/    /' "$TRASH/.out" | tail -n 30
	fi
}

test_missing_prereqs() {
	missing=
	for p in $(echo "$1" | tr ',' ' '); do
		test_have_prereq "$p" || missing="$missing${missing:+,}$p"
	done
	echo "$missing"
}

test_skip_case() {
	test_count=$((test_count + 1))
	test_skipped=$((test_skipped + 1))
	echo "skip $test_count - $1 ($2)"
}

# test_skip 'reason': inside a case's code, ends the case as skipped with
# the reason (for what only the case itself can find out).
test_skip() {
	echo "$1" >"$TRASH/.skip"
	exit 0
}

# Skips the rest of the script with a reason: the script counts as one
# skipped case.
test_skip_all() {
	echo "skip: $1"
	test_finished=1
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}

# test_cmp EXPECTED ACTUAL: shows a diff when they differ.
test_cmp() {
	diff -u "$1" "$2"
}

# test_must_fail CODE CMD...: runs CMD and asserts its exit status.
test_expect_code() {
	want=$1; shift
	set +e
	"$@"
	got=$?
	set -e
	if [ "$got" != "$want" ]; then
		echo "expected exit $want, got $got from: $*" >&2
		return 1
	fi
}

# shared_remote DIR: DIR (a copy of a test data repository, merge=crm for
# records) committed and pushed into a bare remote.git in the trash folder.
shared_remote() {
	printf "*.yaml merge=crm\n" >"$1/.gitattributes" &&
	git -C "$1" init -q && git -C "$1" add -A && git -C "$1" commit -q -m seed &&
	git clone -q --bare "$1" "$TRASH/remote.git"
}

test_done() {
	test_finished=1
	echo "$((test_count - test_failed - test_skipped)) passed, $test_failed failed, $test_skipped skipped"
	[ "$test_failed" = 0 ]
}
