#!/bin/sh
# @file run.sh
# @brief Runs every tests/cli/*.sh except itself, with BLENDSCHED (and GEN)
#        passed through, and sums their `ok - ` / `FAIL - ` lines. Prints a
#        final line `N passed, M failed`; exits non-zero on any failure (a
#        script that exits non-zero without a FAIL line counts as one).
set -u
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp "${TMPDIR:-/tmp}/bs-cli.XXXXXX") || exit 2
trap 'rm -f "$tmp"' EXIT INT TERM
passed=0
failed=0
for t in "$dir"/*.sh; do
    [ "$(basename "$t")" = run.sh ] && continue
    echo "# $t"
    sh "$t" >"$tmp" 2>&1
    status=$?
    cat "$tmp"
    p=$(grep -c '^ok - ' "$tmp")
    f=$(grep -c '^FAIL - ' "$tmp")
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL - $t exited with status $status"
        f=1
    fi
    if [ "$status" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        p=1 # a script that reports nothing but succeeds counts once
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
