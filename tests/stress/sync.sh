#!/bin/sh
# make stress: tests/cli/t0630-sync-random.sh at full size, 8 clones x 10
# rounds of random edits syncing at once, over file:// and ssh://.
CRM_SYNC_CLONES=8 CRM_SYNC_ROUNDS=10 exec sh "$(dirname "$0")/../cli/t0630-sync-random.sh"
