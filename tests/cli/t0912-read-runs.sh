#!/bin/sh
# Record files are opened and read a run at a time, through io_uring where
# the kernel allows it, one call at a time where it does not
# (CRM_NO_IO_URING=1): both read the same bytes and report the same
# findings, cold and with a cache whose stamps went stale.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" runs &&
	# runs of 64 files over many folders, one of them alone in its own;
	# no newline at the end: a byte lost is a city changed
	for y in 2021 2022 2023; do
		mkdir -p runs/clients/$y &&
		for i in $(seq 1 70); do
			printf "name: Client %s-%s\ncity: Kraków" $y $i >runs/clients/$y/c-$y-$i.yaml
		done
	done &&
	mkdir -p runs/clients/lone && echo "name: Lone" >runs/clients/lone/lone.yaml &&
	# over the most a run reads (64 KiB): read by itself
	{ echo "name: Long Notes" && echo "notes: |" &&
	  awk "BEGIN { for (i = 0; i < 2000; i++) print \"  line \" i \" of a long note, padded to be long\" }"
	} >runs/clients/long-notes.yaml &&
	test $(wc -c <runs/clients/long-notes.yaml) -gt 65536 &&
	: >runs/clients/empty.yaml &&
	printf "name: [unclosed\n" >runs/clients/broken.yaml &&
	ln -s acme-corp.yaml runs/clients/linked.yaml &&
	git -C runs init -q && git -C runs add -A && git -C runs commit -q -m runs
'

# loaded NAME [VAR=VALUE...]: what a load with that environment gives,
# every record and every finding, in NAME.ls, NAME.show and NAME.check
loaded() {
	name=$1
	shift
	(
		for setting in "$@"; do export "$setting"; done
		crm -C runs ls client --fields id,name,city --csv >"$name.ls" 2>/dev/null || true
		crm -C runs show client/long-notes --json >"$name.show" 2>/dev/null || true
		crm -C runs check >"$name.check" 2>&1 || true
	)
}

test_expect_success 'cold, in runs and one by one, the same records and findings' '
	loaded ring CRM_NO_CACHE=1 &&
	loaded plain CRM_NO_CACHE=1 CRM_NO_IO_URING=1 &&
	test_cmp plain.ls ring.ls &&
	test_cmp plain.show ring.show &&
	test_cmp plain.check ring.check &&
	test $(wc -l <ring.ls) = 219 &&
	grep -q "^c-2022-70,Client 2022-70,Kraków$" ring.ls &&
	grep -q "^lone,Lone,$" ring.ls &&
	grep -q "line 1999 of a long note" ring.show &&
	grep -q "^clients/broken.yaml:2:1: error: .*yaml-syntax" ring.check &&
	grep -q "clients/linked.yaml.*symbolic link" ring.check
'

test_expect_success 'reads a run could not make (EAGAIN, a file grown) are made again alone' '
	# CRM_TEST_FAIL=file-batch-read: one read in four answered EAGAIN, one
	# as if its file had grown
	loaded retried CRM_NO_CACHE=1 CRM_TEST_FAIL=file-batch-read &&
	loaded retried-plain CRM_NO_CACHE=1 CRM_NO_IO_URING=1 CRM_TEST_FAIL=file-batch-read &&
	test_cmp plain.ls retried.ls &&
	test_cmp plain.show retried.show &&
	test_cmp plain.check retried.check &&
	test_cmp plain.ls retried-plain.ls &&
	test_cmp plain.check retried-plain.check
'

test_expect_success 'the trace says which way the files were read' '
	# exit 1: the broken record and the link are findings
	test_expect_code 1 env CRM_TRACE=1 CRM_NO_CACHE=1 CRM_NO_IO_URING=1 \
		"$CRM_BIN" -C runs ls client >/dev/null 2>trace &&
	grep -q "files walked, 223 read (no cache), in runs: 0 of [0-9]* workers through io_uring$" trace &&
	test_expect_code 1 env CRM_TRACE=1 CRM_NO_CACHE=1 "$CRM_BIN" -C runs ls client \
		>/dev/null 2>trace &&
	grep "files walked, 223 read (no cache), in runs: " trace &&
	if grep -q "in runs: 0 of" trace; then
		test_skip "io_uring is not allowed here: only the one-by-one reads were checked"
	fi
'

test_expect_success 'with a cache, the files whose stamps changed are read again in runs' '
	test_expect_code 1 crm -C runs ls client >/dev/null 2>&1 &&
	test -s runs/.git/crm-index-cache &&
	for i in 3 40 69; do
		sed -i "s/^city: .*/city: Łódź $i/" runs/clients/2022/c-2022-$i.yaml
	done &&
	sed -i "s/^name: Long Notes/name: Longer Notes/" runs/clients/long-notes.yaml &&
	cp runs/.git/crm-index-cache cache.kept &&
	loaded warm &&
	cp cache.kept runs/.git/crm-index-cache &&
	loaded warm-plain CRM_NO_IO_URING=1 &&
	loaded cold CRM_NO_CACHE=1 &&
	test_cmp cold.ls warm.ls &&
	test_cmp cold.ls warm-plain.ls &&
	test_cmp cold.show warm.show &&
	test_cmp cold.check warm.check &&
	grep -q "^c-2022-40,Client 2022-40,Łódź 40$" warm.ls &&
	grep -q "Longer Notes" warm.show
'

# a job of the walk states at most 256 entries of a folder: the files of a
# longer one (the year an import wrote them all in) are stated by the
# load's workers, and a file whose stamp matches the cache is still not read
test_expect_success 'a folder of 300 files: unchanged ones not read, an edited one seen' '
	cp -R "$TEST_DATA/small" wide &&
	mkdir -p wide/clients/2026 &&
	for i in $(seq 1 300); do
		printf "name: Wide %s\ncity: Gdańsk\n" $i >wide/clients/2026/w-$i.yaml
	done &&
	git -C wide init -q && git -C wide add -A && git -C wide commit -q -m wide &&
	crm -C wide ls client >/dev/null &&
	CRM_TRACE=1 crm -C wide ls client --fields id,city --csv >warm.csv 2>trace &&
	grep -q "files walked, 0 read$" trace &&
	sed -i "s/^city: .*/city: Sopot/" wide/clients/2026/w-250.yaml &&
	CRM_TRACE=1 crm -C wide ls client --fields id,city --csv >edited.csv 2>trace &&
	grep -q "files walked, 1 read, in runs" trace &&
	grep -q "^w-250,Sopot$" edited.csv &&
	crm --no-cache -C wide ls client --fields id,city --csv >cold.csv &&
	test_cmp cold.csv edited.csv &&
	sed "s/^w-250,Gdańsk$/w-250,Sopot/" warm.csv >expect &&
	test_cmp expect edited.csv
'

test_done
