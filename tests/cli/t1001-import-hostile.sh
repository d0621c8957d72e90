#!/bin/sh
# crm import on files that try to break it: formula injection, ragged rows,
# a 1 MiB cell, NUL bytes, a BOM in the middle, mixed separators, bytes
# that are not UTF-8; UTF-16 and named encodings converted.  Each is a
# located error or handled, and a refusal leaves the repository as it was.
. "$(dirname "$0")/lib.sh"

snapshot() {
	(cd repo && find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum &&
	 sha1sum .git/index && git rev-parse HEAD) >"$1"
}

# refused FILE EXPECTED-STDERR: the import fails with exit 1, prints
# exactly that, and changes nothing
refused() {
	snapshot before &&
	test_expect_code 1 crm -C repo import client "$PWD/$1" 2>err &&
	sed "s|$PWD/||" err >got &&
	printf "%s\n" "$2" "crm import: 1 error; nothing was written" >expect &&
	test_cmp expect got &&
	snapshot after &&
	test_cmp before after
}

test_expect_success 'setup' '
	crm init repo >/dev/null
'

test_expect_success 'formula injection is kept as text' '
	printf "%s\n" "name,notes" "Evil,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" \
		"+cmd,@SUM(1+1)" >f.csv &&
	crm -C repo import client "$PWD/f.csv" >/dev/null &&
	cat >expect <<-\EOF &&
	name: Evil
	notes: =HYPERLINK("http://x","y")
	EOF
	test_cmp expect repo/clients/2025/evil.yaml &&
	printf "name: +cmd\nnotes: \"@SUM(1+1)\"\n" >expect &&
	test_cmp expect repo/clients/2025/cmd.yaml
'

test_expect_success 'a ragged row is located' '
	printf "%s\n" "name,email" "A,a@example.com" "B,b@example.com,extra" >r.csv &&
	refused r.csv "r.csv:3:3: error: ragged row: 3 fields, the header has 2"
'

test_expect_success 'a NUL byte is located' '
	printf "name,notes\nA,x\000y\n" >n.csv &&
	refused n.csv "n.csv:2:2: error: NUL byte at byte offset 14"
'

test_expect_success 'a byte-order mark in the middle is located' '
	printf "\357\273\277name\nA\n\357\273\277B\n" >b.csv &&
	refused b.csv "b.csv:3:1: error: byte-order mark inside the file at byte offset 7 (two files joined?)"
'

test_expect_success 'bytes that are not UTF-8: row, column and offset' '
	printf "name,city\nA,Z\374rich\n" >l.csv &&
	refused l.csv "l.csv:2:2: error: byte 0xFC at byte offset 13 is not UTF-8 (name the file'"'"'s encoding with --encoding)"
'

test_expect_success 'mixed separators: the first line decides, the rest is ragged' '
	printf "%s\n" "name;email" "A;a@example.com" "B,b@example.com" >m.csv &&
	refused m.csv "m.csv:3:2: error: ragged row: 1 fields, the header has 2"
'

test_expect_success 'an unterminated quote is located' '
	printf "%s\n" "name,notes" "A,\"never closed" >q.csv &&
	refused q.csv "q.csv:2:2: error: malformed quotes (a quote never closed, or text after a closing quote)"
'

test_expect_success 'a 1 MiB cell: imported or refused by the record check, no crash' '
	python3 -c "print(\"name,notes\"); print(\"Big,\" + \"x\" * 1048576)" >big.csv &&
	crm -C repo import client "$PWD/big.csv" --dry-run >out &&
	grep "^1 created" out
'

test_expect_success 'quoted separators, doubled quotes; CR, LF and CRLF inside quotes become LF' '
	printf "name\tnotes\r\n\"Tab, Inc.\"\t\"say \"\"hi\"\"\rline2\nline3\r\nline4\"\r\n" >t.tsv &&
	crm -C repo import client "$PWD/t.tsv" >/dev/null &&
	printf "name: Tab, Inc.\nnotes: \"say \\\\\"hi\\\\\"\\\\nline2\\\\nline3\\\\nline4\"\n" >expect &&
	test_cmp expect repo/clients/2025/tab-inc.yaml
'

test_expect_success 'UTF-16 LE and BE with a BOM' '
	printf "name\r\nKraków Sp. z o.o.\r\n" | iconv -f UTF-8 -t UTF-16LE >u16.body &&
	{ printf "\377\376"; cat u16.body; } >le.csv &&
	printf "name\r\nBrno a.s.\r\n" | iconv -f UTF-8 -t UTF-16BE >u16.body &&
	{ printf "\376\377"; cat u16.body; } >be.csv &&
	crm -C repo import client "$PWD/le.csv" "$PWD/be.csv" >/dev/null &&
	grep "^name: Kraków Sp. z o.o." repo/clients/2025/krakow-sp-z-o-o.yaml &&
	grep "^name: Brno a.s." repo/clients/2025/brno-a-s.yaml
'

test_expect_success '--encoding: Shift_JIS, Windows-1250, GB18030' '
	printf "name\n株式会社テスト\n" | iconv -f UTF-8 -t SHIFT_JIS >sj.csv &&
	printf "name\nŁódź Tkaniny\n" | iconv -f UTF-8 -t WINDOWS-1250 >cp.csv &&
	printf "name\n上海茶叶有限公司\n" | iconv -f UTF-8 -t GB18030 >gb.csv &&
	crm -C repo import client "$PWD/sj.csv" --encoding Shift_JIS >/dev/null &&
	crm -C repo import client "$PWD/cp.csv" --encoding Windows-1250 >/dev/null &&
	crm -C repo import client "$PWD/gb.csv" --encoding GB18030 >/dev/null &&
	crm -C repo ls client --format csv >list &&
	grep ",株式会社テスト," list && grep ",Łódź Tkaniny," list && grep ",上海茶叶有限公司," list
'

# a new record's file is created, never written over: a link the walk
# reported (not a record) where one would go fails the whole import
test_expect_success 'a link where a new record would go: refused, the link and its target untouched' '
	echo "secret: keep" >outside.txt &&
	ln -s ../../../outside.txt repo/clients/2025/mallory.yaml &&
	printf "%s\n" "name" "Zed" "Mallory" >m.csv &&
	snapshot before &&
	test_expect_code 1 crm -C repo import client "$PWD/m.csv" >out 2>err &&
	cat >expect <<-\EOF &&
	crm import: cannot create '"'"'clients/2025/mallory.yaml'"'"': a file or link crm did not read as a record is there
	EOF
	test_cmp expect err &&
	snapshot after &&
	test_cmp before after &&
	test ! -e repo/clients/2025/zed.yaml &&
	echo "secret: keep" >expect &&
	test_cmp expect outside.txt &&
	rm repo/clients/2025/mallory.yaml
'

test_done
