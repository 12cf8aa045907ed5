#!/bin/sh
# @file polish.sh
# @brief End-to-end: `solve --polish` on planted instances with `isolated`
#        weighted (so the local search moves many sessions, across programs
#        with order, gap and prework records, time zones, teams and minute
#        limits): the calendar passes verify, its objective is no worse than
#        without the polish and is what the steps summed to (no `internal:`
#        line), one and two threads and repeated runs give the same bytes,
#        and bad --polish values are usage errors (exit 2).
set -u
BIN=${BLENDSCHED:?set BLENDSCHED to the blendsched binary}
GEN=${GEN:?set GEN to the blendsched-gen binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bs-polish.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
ok() { echo "ok - $*"; }
fail() { echo "FAIL - $*"; fails=$((fails + 1)); }
total() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["objective"]["total"])' "$1"; }

for spec in "12 4" "40 9"; do
    set -- $spec
    n=$1 seed=$2
    name="gen-$n-seed$seed"
    "$GEN" --cohorts "$n" --seed "$seed" -o "$tmp/$name-raw.json" ||
        { fail "$name: generator failed"; continue; }
    /usr/bin/python3 - "$tmp/$name-raw.json" "$tmp/$name.json" <<'PY' || { fail "$name: weighting"; continue; }
import json, sys
doc = json.load(open(sys.argv[1]))
doc.setdefault("objective", {})["isolated"] = 20
json.dump(doc, open(sys.argv[2], "w"))
PY
    "$BIN" solve "$tmp/$name.json" -q --threads 2 -o "$tmp/$name-plain.json" 2>"$tmp/err"
    "$BIN" solve "$tmp/$name.json" -q --threads 2 --polish 300000 -o "$tmp/$name-2.json" \
        -c "$tmp/$name-c2.json" 2>"$tmp/$name.err"
    status=$?
    [ "$status" -eq 0 ] && ok "$name: solve --polish places every required session (exit 0)" ||
        fail "$name: solve --polish exit $status"
    if "$BIN" verify "$tmp/$name.json" "$tmp/$name-2.json" >"$tmp/v.txt" 2>&1; then
        ok "$name: verify accepts the polished calendar"
    else
        fail "$name: verify rejects the polished calendar"
        sed 's/^/#   /' "$tmp/v.txt" | head -20
    fi
    grep -q "internal:" "$tmp/$name.err" &&
        fail "$name: the solver reports an internal inconsistency: $(cat "$tmp/$name.err")" ||
        ok "$name: the objective is what the polish steps summed to"
    plain=$(total "$tmp/$name-plain.json") polished=$(total "$tmp/$name-2.json")
    /usr/bin/python3 -c "import sys; sys.exit(not (float('$polished') < float('$plain')))" &&
        ok "$name: polish lowers the objective ($plain -> $polished)" ||
        fail "$name: polish did not lower the objective ($plain -> $polished)"
    "$BIN" solve "$tmp/$name.json" -q --threads 1 --polish 300000 -o "$tmp/$name-1.json" \
        -c "$tmp/$name-c1.json"
    if cmp -s "$tmp/$name-1.json" "$tmp/$name-2.json" && cmp -s "$tmp/$name-c1.json" "$tmp/$name-c2.json"; then
        ok "$name: --threads 1 and --threads 2 write the same bytes"
    else
        fail "$name: --threads 1 and --threads 2 differ"
    fi
done

# Another seed gives other chains: still valid, still no worse.
"$BIN" solve "$tmp/gen-12-seed4.json" -q --polish 300000 --seed 5 -o "$tmp/s5.json" 2>"$tmp/err" &&
    "$BIN" verify "$tmp/gen-12-seed4.json" "$tmp/s5.json" >/dev/null 2>&1 &&
    ok "--seed 5: verify accepts the polished calendar" || fail "--seed 5: solve or verify failed"

for bad in -1 x 2000000001; do
    "$BIN" solve "$tmp/gen-12-seed4.json" -q --polish "$bad" -o "$tmp/bad.json" 2>"$tmp/err"
    status=$?
    [ "$status" -eq 2 ] && grep -q -- "--polish" "$tmp/err" && [ ! -e "$tmp/bad.json" ] &&
        ok "--polish $bad: usage error naming the option (exit 2), nothing written" ||
        fail "--polish $bad: exit $status, $(cat "$tmp/err")"
done

[ "$fails" -eq 0 ] && echo "# polish.sh: all passed"
exit $((fails > 0))
