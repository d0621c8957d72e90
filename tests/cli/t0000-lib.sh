#!/bin/sh
# The test machinery itself (lib.sh and tests/run.sh), in the manner of
# git's t0000-basic.sh: scripts that skip, fail and pass are run in a copy
# of the tree, and what they print and leave behind is compared with what
# it must be.  A skip is never an "ok"; a failure keeps its trash folder.
. "$(dirname "$0")/lib.sh"

# sub_script NAME BODY: tests/cli/NAME in a tree of its own ("top"), which
# sources the real lib.sh; its trash folders go under $TRASH/tmp.
sub_script() {
	mkdir -p top/tests/cli tmp &&
	{ printf '. "%s/tests/cli/lib.sh"\n' "$TEST_TOP"; printf '%s\n' "$2"; } >"top/tests/cli/$1"
}

run_sub() {
	TMPDIR="$TRASH/tmp" sh "top/tests/cli/$1"
}

test_expect_success 'a missing prerequisite skips the case with its name, never ok' '
	sub_script prereq.sh "
test_set_prereq HAVE
test_expect_success HAVE \"runs\" \"true\"
test_expect_success MISSING \"needs it\" \"false\"
test_expect_success HAVE,MISSING \"needs both\" \"false\"
test_done" &&
	run_sub prereq.sh >out &&
	cat >expect <<-\EOF &&
	ok 1 - runs
	skip 2 - needs it (missing prerequisite MISSING)
	skip 3 - needs both (missing prerequisite MISSING)
	1 passed, 0 failed, 2 skipped
	EOF
	test_cmp expect out
'

test_expect_success 'test_skip inside a case reports the reason, and the case does not pass' '
	sub_script skip.sh "
test_expect_success \"data absent\" \"test_skip \\\"no data here\\\"; false\"
test_expect_success \"after it\" \"true\"
test_done" &&
	run_sub skip.sh >out &&
	cat >expect <<-\EOF &&
	skip 1 - data absent (no data here)
	ok 2 - after it
	1 passed, 0 failed, 1 skipped
	EOF
	test_cmp expect out
'

test_expect_success 'test_skip_all counts the script as one skip' '
	sub_script all.sh "test_skip_all \"no server\"
test_expect_success \"never run\" \"false\"" &&
	run_sub all.sh >out &&
	printf "skip: no server\n0 passed, 0 failed, 1 skipped\n" >expect &&
	test_cmp expect out
'

test_expect_success 'a passing script removes its trash folder' '
	sub_script pass.sh "
test_expect_success \"works\" \"echo \\\$PWD >\\\"$TRASH/where\\\"\"
test_done" &&
	run_sub pass.sh >out &&
	test -s where && ! test -e "$(cat where)" && test -z "$(ls -A tmp)"
'

test_expect_success 'a failed script keeps its trash folder and prints its path' '
	sub_script fail.sh "
test_expect_success \"leaves a file\" \"echo evidence >left && false\"
test_done" &&
	test_expect_code 1 run_sub fail.sh >out &&
	kept=$(sed -n "s/^trash folder kept: //p" out) &&
	test -n "$kept" && test "$(cat "$kept/left")" = evidence &&
	grep -qx "not ok 1 - leaves a file" out &&
	grep -qx "0 passed, 1 failed, 0 skipped" out
'

test_expect_success 'a script that dies before test_done keeps its trash folder' '
	sub_script dies.sh "
test_expect_success \"fine\" \"true\"
echo \$undefined_variable_stops_the_script
test_done" &&
	test_expect_code 2 run_sub dies.sh >out 2>err &&
	grep -q "^trash folder kept: " out
'

# fake_test NAME OUTPUT STATUS: a unit test binary of the copied tree that
# prints OUTPUT and exits with STATUS.
fake_test() {
	mkdir -p top/build/tests &&
	printf "#!/bin/sh\nprintf \"%s\"\nexit %s\n" "$2" "$3" >"top/build/tests/$1" &&
	chmod +x "top/build/tests/$1"
}

test_expect_success 'run.sh adds passes, failures and skips, the totals alone on the last line' '
	rm -rf top && mkdir -p top/tests/cli &&
	cp "$TEST_TOP/tests/run.sh" top/tests/ &&
	fake_test test_a "3 passed, 0 failed, 1 skipped\\\\nskip test_a__data\\\\n" 0 &&
	fake_test test_b "2 passed, 0 failed\\\\n" 0 &&
	fake_test test_c "skip: no data\\\\n4 passed, 0 failed, 2 skipped\\\\n" 0 &&
	BUILD=build sh top/tests/run.sh >out &&
	cat >expect <<-\EOF &&
	unit tests:
	  test_a                       3 passed, 0 failed, 1 skipped
	    skip test_a__data
	  test_b                       2 passed, 0 failed
	  test_c                       4 passed, 0 failed, 2 skipped
	    skip: no data
	fuzz corpus replay:
	command-line tests:
	9 passed, 0 failed, 3 skipped
	EOF
	test_cmp expect out
'

test_expect_success 'run.sh counts a crash and a non-zero exit as failures' '
	fake_test test_d "1 passed, 0 failed, 0 skipped\\\\n" 134 &&
	fake_test test_e "Segmentation fault\\\\n" 139 &&
	test_expect_code 1 env BUILD=build sh top/tests/run.sh >out &&
	tail -n 1 out >last &&
	echo "10 passed, 2 failed, 3 skipped" >expect &&
	test_cmp expect last &&
	grep -q "test_d  *1 passed, 0 failed, 0 skipped, but exit status 134" out &&
	grep -q "test_e: no result line (crashed?), exit status 139" out
'

test_expect_success 'the unit harness counts a SKIP as skipped, with its reason' '
	cat >harness_test.c <<-\EOF &&
	#include "harness.h"
	static void test_h__passes(void) { CHECK_INT(2, 1 + 1); }
	static void test_h__skips(void) { SKIP("no %s here", "data"); CHECK(0); }
	static void test_h__fails(void) { CHECK_STR("a", "b"); }
	TESTS(TEST(test_h__passes), TEST(test_h__skips), TEST(test_h__fails))
	EOF
	${CC:-cc} -std=c17 -Wall -Wextra -Werror -I"$TEST_TOP/tests/unit" -o harness_test harness_test.c &&
	test_expect_code 1 ./harness_test >out 2>err &&
	cat >expect <<-\EOF &&
	skip: no data here
	skip test_h__skips
	1 passed, 1 failed, 1 skipped
	EOF
	test_cmp expect out &&
	grep -qx "FAIL test_h__fails" err
'

# What the Makefile force-includes into every library and command object.
BANNED_CC="${CC:-cc} -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -include $TEST_TOP/src/banned.h"

test_expect_success 'banned.h leaves the system and library headers and the allowed calls alone' '
	cat >allowed.c <<-\EOF &&
	#include <ctype.h>
	#include <errno.h>
	#include <stdio.h>
	#include <stdlib.h>
	#include <string.h>
	#include <time.h>
	#include <unistd.h>
	#include <wchar.h>
	#include <git2.h>
	#include <yaml.h>
	#include <ini.h>
	#include <csv.h>
	#include <utf8proc.h>
	#include <xlsxwriter.h>
	#include <pango/pangocairo.h>
	#include <cairo-pdf.h>
	int main(void)
	{
		char buf[32], *save = NULL;
		struct tm tm;
		time_t t = 0;
		snprintf(buf, sizeof(buf), "%d,%d", 1, 2);
		if (!strtok_r(buf, ",", &save) || !gmtime_r(&t, &tm) || !localtime_r(&t, &tm))
			return 1;
		return (int)strtol("0", NULL, 10);
	}
	EOF
	$BANNED_CC $(pkg-config --cflags libgit2 yaml-0.1 inih libutf8proc xlsxwriter pangocairo cairo-pdf) \
		-c -o allowed.o allowed.c
'

test_expect_success 'banned.h makes each banned call a compile error that names it' '
	for call in "strcpy(d, s)" "strcat(d, s)" "sprintf(d, \"%s\", s)" \
		"vsprintf(d, s, ap)" "gets(d)" "strtok(d, s)" "atoi(s)" \
		"localtime(&t)" "gmtime(&t)" "mktemp(d)"; do
		fn=${call%%(*} &&
		cat >banned.c <<-EOF &&
		#include <stdarg.h>
		#include <stdio.h>
		#include <stdlib.h>
		#include <string.h>
		#include <time.h>
		void f(char *d, const char *s, va_list ap, time_t t);
		void f(char *d, const char *s, va_list ap, time_t t)
		{
			(void)d; (void)s; (void)ap; (void)t;
			(void)$call;
		}
		EOF
		! $BANNED_CC -c -o banned.o banned.c 2>err &&
		grep -q "sorry_${fn}_is_a_banned_function" err ||
		{ echo "$fn: not refused" >&2; cat err >&2; exit 1; }
	done
'

test_expect_success 'CI refuses to run without ../shared/data, before anything else' '
	mkdir -p ci/repo/.ci ci/repo/tests &&
	cp "$TEST_TOP/.ci/run" ci/repo/.ci/run &&
	echo "echo install-deps ran" >ci/repo/tests/install-deps.sh &&
	test_expect_code 1 bash ci/repo/.ci/run >out 2>err &&
	test ! -s out &&
	cat >expect <<-EOF &&
	error: ../shared/data is absent (the shared data sets the tests compare with);
	CI needs it beside the repository: $TRASH/ci/shared/data
	EOF
	test_cmp expect err
'

test_done
