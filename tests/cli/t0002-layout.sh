#!/bin/sh
# The source layout src/README.md describes: dependencies point cli -> core
# -> util, private headers stay in their folder, each external library is
# included in one place, include/crm.h names every public header, and
# source basenames are unique (libcrm.a is an archive).  Each test prints
# the offending includes and expects none.
. "$(dirname "$0")/lib.sh"

src="$TEST_TOP/src"

# includes FOLDER...: "path: header" for every #include "..." or <...> below
# the folders, paths relative to the top of the tree
includes() {
	(cd "$TEST_TOP" && grep -rHE '^#include [<"]' "$@" --include='*.c' --include='*.h') |
		sed -E 's/:#include [<"]([^>"]*)[>"].*/: \1/'
}

test_expect_success 'include/crm.h includes every public header' '
	(cd "$TEST_TOP/include" && ls crm/*.h) >expect &&
	sed -n "s/^#include \"\(crm\/.*\.h\)\"$/\1/p" "$TEST_TOP/include/crm.h" | sort >actual &&
	test_cmp expect actual
'

test_expect_success 'util includes only util headers' '
	includes src/util | grep -E ": (core|cli)/|: crm/" >found || true &&
	while IFS= read -r line; do
		h=${line##*: crm/}
		case $line in
		*": crm/"*) [ -f "$src/util/${h%.h}.c" ] || echo "$line" ;;
		*) echo "$line" ;;
		esac
	done <found >actual &&
	test_cmp /dev/null actual
'

test_expect_success 'core includes nothing of cli, cli no private header' '
	{ includes src/core | grep -E ": cli" || true
	  includes src/cli | grep -E ": (core|util)/" || true; } >actual &&
	test_cmp /dev/null actual
'

# (tests may include the private header of what they test: test_cache.c)
test_expect_success 'private headers are included from their own folder only' '
	includes src | grep -E ": (core|util)/" |
	while IFS= read -r line; do
		file=${line%%: *} header=${line#*: }
		case "$file" in "src/${header%/*}/"*) continue ;; esac
		echo "$line"
	done >found &&
	cat >expect <<-\EOF &&
	src/core/check.c: core/index/index_internal.h
	src/core/figures/report_xlsx.c: core/export/xlsx_lib.h
	src/core/index/store.c: util/testhook.h
	EOF
	sort found >actual &&
	test_cmp expect actual
'

test_expect_success 'each external library is included in one place' '
	includes src include | while IFS= read -r line; do
		file=${line%%: *} header=${line#*: }
		case "$header" in
		git2.h|git2/*) want="src/core/git/*" ;;
		yaml.h) want=src/core/yaml/yaml_load.c ;;
		ini.h) want=src/core/config.c
			[ "$file" = src/core/import/import_rules.c ] && continue ;;
		csv.h) want=src/util/table.c ;;
		utf8proc.h) want=src/util/utf8.c ;;
		xlsxwriter.h) want=src/core/export/xlsx_lib.h ;;
		libical/*) want=src/core/export/ical.c ;;
		cairo.h|cairo/*|cairo-*.h|pango/*) want=src/core/invoice/pdf_libs.h ;;
		unicode/*) want=src/util/locale_format.c ;;
		*) continue ;;
		esac
		case "|$want|" in *"|$file|"*) ;; *) case "$file" in $want) ;; *) echo "$line" ;; esac ;; esac
	done >actual &&
	test_cmp /dev/null actual
'

test_expect_success 'source basenames are unique across src' '
	(cd "$src" && find util core -name "*.c") | sed "s|.*/||" | sort | uniq -d >actual &&
	test_cmp /dev/null actual
'

test_done
