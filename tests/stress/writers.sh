#!/bin/sh
# make stress: tests/cli/t0540-writers.sh at full size, 10 writers x 20 rounds.
CRM_WRITERS=10 CRM_ROUNDS=20 exec sh "$(dirname "$0")/../cli/t0540-writers.sh"
