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
trap 'cd /; rm -rf "$TRASH"' EXIT
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
# any leak or error makes the command fail with status 99).
crm() {
	if [ "${CRM_VALGRIND:-}" = 1 ]; then
		valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--suppressions="$TEST_TOP/tests/valgrind.supp" \
			--error-exitcode=99 "$CRM_BIN" "$@"
	else
		"$CRM_BIN" "$@"
	fi
}

test_count=0
test_failed=0

test_expect_success() {
	test_count=$((test_count + 1))
	if (set -e; eval "$2") >"$TRASH/.out" 2>&1; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed 's/^/    /' "$TRASH/.out" | tail -n 30
	fi
}

# Skips the rest of the script with a reason (counted as nothing run).
test_skip_all() {
	echo "skip: $1"
	echo "0 passed, 0 failed"
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
	echo "$((test_count - test_failed)) passed, $test_failed failed"
	[ "$test_failed" = 0 ]
}
