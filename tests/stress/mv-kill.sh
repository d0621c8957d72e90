#!/bin/sh
# make stress: tests/cli/t0550-mv-kill.sh at full size, kill -9 at 100
# random points of a mv of a client that 400 deals refer to.
CRM_KILL_ROUNDS=100 CRM_KILL_REFERRERS=400 exec sh "$(dirname "$0")/../cli/t0550-mv-kill.sh"
