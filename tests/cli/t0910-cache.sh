#!/bin/sh
# The persistent index cache seen from outside: warm commands see every
# change made by any tool, a broken cache is rebuilt, --no-cache and
# CRM_NO_CACHE=1 leave it alone.
. "$(dirname "$0")/lib.sh"

test_expect_success 'set up' '
	cp -R "$TEST_DATA/small" small &&
	git -C small init -q && git -C small add -A && git -C small commit -q -m small &&
	crm -C small show client/acme-corp >cold &&
	test -s small/.git/crm-index-cache
'

test_expect_success 'a warm command reads the same records as a cold one' '
	crm -C small show client/acme-corp >warm &&
	test_cmp cold warm &&
	crm -C small ls opportunity --json >warm.json &&
	crm --no-cache -C small ls opportunity --json >cold.json &&
	test_cmp cold.json warm.json
'

test_expect_success 'the first run, which states each file once it is open, writes a whole cache' '
	# without a cache the walk states nothing and each file is stated on its
	# open descriptor: the stamps it writes must let the next run read none
	rm small/.git/crm-index-cache &&
	CRM_TRACE=1 crm -C small ls opportunity --json >first.json 2>trace &&
	grep -q "files walked, [0-9]* read (no cache)" trace &&
	CRM_TRACE=1 crm -C small ls opportunity --json >second.json 2>trace &&
	grep -q "files walked, 0 read$" trace &&
	test_cmp first.json second.json &&
	test_cmp cold.json first.json
'

test_expect_success 'an edit by another tool is seen at once' '
	f=$(find small/clients -name acme-corp.yaml) &&
	sed -i "s/^name: .*/name: Acme Renamed/" "$f" &&
	crm -C small show client/acme-corp >out &&
	sed "s/^name   Acme Corp$/name   Acme Renamed/" cold >expect &&
	! test_cmp cold expect >/dev/null &&
	test_cmp expect out
'

test_expect_success 'a same-size rewrite with the old mtime is seen (ctime, content id)' '
	f=$(find small/clients -name acme-corp.yaml) &&
	crm -C small show client/acme-corp >/dev/null &&
	touch -r "$f" stamp &&
	sed -i "s/Acme Renamed/Acme Remodel/" "$f" &&
	touch -r stamp "$f" &&
	crm -C small show client/acme-corp >out &&
	sed "s/^name   Acme Corp$/name   Acme Remodel/" cold >expect &&
	test_cmp expect out
'

test_expect_success 'git checkout of another version is seen' '
	git -C small commit -q -am renamed &&
	crm -C small show client/acme-corp >/dev/null &&
	git -C small checkout -q HEAD~1 -- . &&
	crm -C small show client/acme-corp >out &&
	! grep -q "Acme Re" out &&
	test_cmp cold out
'

test_expect_success 'a deleted record is gone and a new one appears' '
	f=$(find small/clients -name acme-corp.yaml) &&
	cp "$f" small/clients/acme-corp-two.yaml &&
	crm -C small show client/acme-corp-two >/dev/null &&
	rm small/clients/acme-corp-two.yaml &&
	test_expect_code 1 crm -C small show client/acme-corp-two 2>err
'

test_expect_success 'a corrupt cache is ignored and rebuilt' '
	printf "garbage" | dd of=small/.git/crm-index-cache bs=1 seek=40 conv=notrunc 2>/dev/null &&
	crm -C small show client/acme-corp >out &&
	test_cmp cold out &&
	crm -C small show client/acme-corp >out &&
	test_cmp cold out
'

test_expect_success 'a cache from another version is ignored' '
	printf "\377" | dd of=small/.git/crm-index-cache bs=1 seek=8 conv=notrunc 2>/dev/null &&
	crm -C small show client/acme-corp >out &&
	test_cmp cold out
'

test_expect_success 'a file with errors is reported on every run, not cached away' '
	printf "name: [unclosed\n" >small/clients/broken.yaml &&
	test_expect_code 1 crm -C small check >one 2>&1 &&
	test_expect_code 1 crm -C small check >two 2>&1 &&
	test_cmp one two &&
	test_expect_code 1 crm -C small check >out 2>err &&
	cat >expect <<-\EOF &&
	clients/broken.yaml:2:1: error: did not find expected '\'','\'' or '\'']'\'' [yaml-syntax]
	1 error, 0 warnings in 10 records
	EOF
	cat err out >actual &&
	test_cmp expect actual &&
	rm small/clients/broken.yaml
'

test_expect_success '--no-cache and CRM_NO_CACHE=1 neither read nor write it' '
	rm -f small/.git/crm-index-cache &&
	crm --no-cache -C small ls client >/dev/null &&
	test ! -e small/.git/crm-index-cache &&
	CRM_NO_CACHE=1 crm -C small ls client >/dev/null &&
	test ! -e small/.git/crm-index-cache &&
	crm -C small ls client >/dev/null &&
	test -e small/.git/crm-index-cache &&
	crm help | grep -q -- "--no-cache"
'

# In a large repository a one-record change does not rewrite the cache: the
# changed file is parsed on each run until changes pass 1/64 of the files.
test_expect_success 'a large repository keeps its cache across a one-record commit' '
	"$CRM_TEST_BUILD/bench-gen" 5000 big >/dev/null &&
	git -C big init -q && git -C big add -A && git -C big commit -q -m gen &&
	crm -C big ls client >/dev/null && test -e big/.git/crm-index-cache &&
	before=$(stat -c %Y.%i big/.git/crm-index-cache) &&
	id=$(crm -C big ls opportunity --format csv --fields id | sed -n 2p) &&
	crm -C big set "opportunity/$id" confidence=2 >/dev/null &&
	crm -C big show "opportunity/$id" >out && grep -q "^confidence *2" out &&
	sed -i "s/^confidence: 2$/confidence: 4/" $(find big/opportunities -name "$id.yaml") &&
	crm -C big show "opportunity/$id" >out && grep -q "^confidence *4" out &&
	test "$(stat -c %Y.%i big/.git/crm-index-cache)" = "$before" &&
	CRM_NO_CACHE=1 crm -C big check >cold 2>&1 && crm -C big check >warm 2>&1 &&
	test_cmp cold warm
'

# set, unset and tag list the files from the cache without a walk (each
# file is stated when asked for): whatever changed since the cache was
# written must still come out as a full walk would have it.
test_expect_success 'set finds a record added after the cache was written' '
	rm -rf trust && cp -R "$TEST_DATA/small" trust &&
	git -C trust init -q && git -C trust add -A && git -C trust commit -q -m small &&
	crm -C trust ls client >/dev/null && test -e trust/.git/crm-index-cache &&
	cache=$(cksum <trust/.git/crm-index-cache) &&
	f=$(find trust/opportunities -name acme-seo.yaml) &&
	sed "s/^title: .*/title: Added later/" "$f" >trust/opportunities/added-later.yaml &&
	git -C trust add -A && git -C trust commit -q -m added &&
	test "$(cksum <trust/.git/crm-index-cache)" = "$cache" &&
	CRM_TRACE=1 crm -C trust set opportunity/added-later confidence=3 >out 2>trace &&
	grep -q "files listed from the cache, not walked" trace &&
	grep -q "files walked" trace &&
	sed "s/^\[[0-9a-f]\{8\}\] /[HASH] /" out >actual &&
	echo "[HASH] crm: set opportunity/added-later confidence=3" >expect &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	title: Added later
	client: acme-corp
	stage: lead
	amount: "6000.00 EUR"
	tags: [seo]
	created: 2025-05-10
	confidence: 3
	EOF
	test_cmp expect trust/opportunities/added-later.yaml &&
	test -z "$(git -C trust status --porcelain)"
'

test_expect_success 'set accepts a reference to a client added after the cache' '
	crm -C trust ls client >/dev/null &&
	printf "name: Late Client\n" >trust/clients/late-client.yaml &&
	git -C trust add -A && git -C trust commit -q -m late &&
	crm -C trust set opportunity/acme-seo client=late-client >/dev/null &&
	cat >expect <<-\EOF &&
	title: SEO retainer
	client: late-client
	stage: lead
	amount: "6000.00 EUR"
	tags: [seo]
	created: 2025-05-10
	EOF
	test_cmp expect $(find trust/opportunities -name acme-seo.yaml) &&
	test_expect_code 1 crm -C trust set opportunity/acme-seo client=never-was 2>err &&
	echo "crm set: unknown client '\''never-was'\''" >expect &&
	test_cmp expect err
'

test_expect_success 'set does not find a record deleted after the cache was written' '
	crm -C trust ls client >/dev/null &&
	git -C trust rm -q opportunities/added-later.yaml && git -C trust commit -q -m gone &&
	test_expect_code 1 crm -C trust set opportunity/added-later confidence=1 2>err &&
	echo "crm set: no opportunity '\''added-later'\''" >expect &&
	test_cmp expect err &&
	test -z "$(git -C trust status --porcelain)"
'

test_expect_success 'set keeps an edit made by another tool since the cache' '
	crm -C trust ls client >/dev/null &&
	f=$(find trust/opportunities -name acme-seo.yaml) &&
	sed -i "s/^title: .*/title: Edited Elsewhere/" "$f" &&
	CRM_TRACE=1 crm -C trust set opportunity/acme-seo confidence=2 >/dev/null 2>trace &&
	cat >expect <<-\EOF &&
	title: Edited Elsewhere
	client: late-client
	stage: lead
	amount: "6000.00 EUR"
	tags: [seo]
	created: 2025-05-10
	confidence: 2
	EOF
	test_cmp expect "$f" &&
	grep -q "files listed from the cache, not walked" trace &&
	! grep -q "files walked" trace
'

test_expect_success 'a bare id that a new record of another type shares is ambiguous' '
	crm -C trust ls client >/dev/null &&
	f=$(find trust/opportunities -name acme-seo.yaml) &&
	sed "s/^title: .*/title: Same id/" "$f" >trust/opportunities/late-client.yaml &&
	test_expect_code 1 crm -C trust set late-client confidence=1 2>err &&
	cat >expect <<-\EOT &&
	crm set: '"'"'late-client'"'"' is the id of records of several types; name one:
	  client/late-client
	  opportunity/late-client
	EOT
	test_cmp expect err &&
	rm trust/opportunities/late-client.yaml
'

test_expect_success 'no temporary cache file is left behind' '
	test -z "$(find small/.git -maxdepth 1 -name "crm-index-cache.*")"
'

test_done
