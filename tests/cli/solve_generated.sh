#!/bin/sh
# @file solve_generated.sh
# @brief End-to-end: planted instances from blendsched-gen (feasible by
#        construction) are solved completely, the calendar passes verify,
#        and one and two threads give the same bytes.
set -u
BIN=${BLENDSCHED:?set BLENDSCHED to the blendsched binary}
GEN=${GEN:?set GEN to the blendsched-gen binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bs-solvegen.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
ok() { echo "ok - $*"; }
fail() { echo "FAIL - $*"; fails=$((fails + 1)); }

for spec in "4 11" "8 5"; do
    set -- $spec
    n=$1 seed=$2
    name="gen-$n-seed$seed"
    "$GEN" --cohorts "$n" --seed "$seed" -o "$tmp/$name.json" --planted "$tmp/$name-planted.json" ||
        { fail "$name: generator failed"; continue; }
    "$BIN" solve "$tmp/$name.json" -q --threads 2 -o "$tmp/$name-2.json" -c "$tmp/$name-c2.json"
    status=$?
    [ "$status" -eq 0 ] && ok "$name: solve places every required session (exit 0)" ||
        fail "$name: solve exit $status (expected 0: the instance is feasible by construction)"
    if "$BIN" verify "$tmp/$name.json" "$tmp/$name-2.json" >"$tmp/v.txt" 2>&1; then
        ok "$name: verify accepts the calendar"
    else
        fail "$name: verify rejects the calendar"
        sed 's/^/#   /' "$tmp/v.txt" | head -20
    fi
    /usr/bin/python3 - "$tmp/$name-2.json" "$tmp/$name-c2.json" <<'PY' && ok "$name: status complete, no unplaced session, bound <= objective" || fail "$name: calendar or report content"
import json, sys
cal = json.load(open(sys.argv[1])); conf = json.load(open(sys.argv[2]))
assert cal["status"] == "complete", cal["status"]
assert conf["unplaced"] == [], conf["unplaced"]
o = cal["objective"]
assert o["bound"] <= o["total"] + 1e-9, o
PY
    "$BIN" solve "$tmp/$name.json" -q --threads 1 -o "$tmp/$name-1.json" -c "$tmp/$name-c1.json"
    if cmp -s "$tmp/$name-1.json" "$tmp/$name-2.json" && cmp -s "$tmp/$name-c1.json" "$tmp/$name-c2.json"; then
        ok "$name: --threads 1 and --threads 2 write the same bytes"
    else
        fail "$name: --threads 1 and --threads 2 differ"
    fi
done
[ "$fails" -eq 0 ] && echo "# solve_generated.sh: all passed"
exit $((fails > 0))
