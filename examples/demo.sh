#!/bin/sh
# make demo: copies the agency example into a temporary git repository and
# runs crm on it, showing each command before its output.
set -e
CRM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/crm-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
# One "today" for every figure: the example's last event is a deal won on
# 2026-01-28, and the commit the receivables are read from is made that day
# too, so the dashboard and the receivables are as of the same date.
today=2026-01-31
export CRM_TODAY=$today
export GIT_AUTHOR_DATE="${today}T12:00:00Z" GIT_COMMITTER_DATE="${today}T12:00:00Z"
cp -R "$top/examples/agency" "$work/agency"
cd "$work/agency"
git init -q
git add -A
git -c user.name='Demo' -c user.email='demo@example.com' commit -q -m 'the agency example'
run() {
	printf '\n$ crm %s\n' "$*"
	"$CRM" "$@"
}
run check
run ls opportunity stage=won --sort=-amount
run ls opportunity stage\>=proposal-sent -stage=won -stage=closed-lost tag:website
run ls client
run show opportunity/qingyun-facebook-ads-2501
run show project/kowalski-seo-2503-delivery
run ls client name~łódź --format csv
run dashboard
run forecast --months 4
run report receivables
run invoice show inv-0000002
run invoice render inv-0000002
