#!/bin/sh
# @file model.sh
# @brief End-to-end tests of `blendsched model` (the monolithic MIP for the
#        bench's peers): usage and input errors leave no file, the MPS file
#        is fixed MPS of the size printed, glpsol and CBC (when installed)
#        solve it and their solutions read back into calendars that verify
#        accepts, a solution without an integer point gives an empty partial
#        calendar, a foreign or malformed solution is refused; and solve
#        --progress says once when the first complete calendar exists.
set -u
BIN=${BLENDSCHED:?set BLENDSCHED to the blendsched binary}
GEN=${GEN:?set GEN to the blendsched-gen binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bs-model.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
ok() { echo "ok - $*"; }
fail() { echo "FAIL - $*"; fails=$((fails + 1)); }

"$GEN" --cohorts 2 --seed 3 -o "$tmp/in.json" || { fail "generator failed"; exit 1; }
"$GEN" --cohorts 1 --seed 3 -o "$tmp/other.json" || { fail "generator failed"; exit 1; }

# ==== Usage and input errors: exit 2, nothing written ====
while read -r want args; do
    # shellcheck disable=SC2086 # the argument list is split on purpose
    "$BIN" model $args >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq "$want" ] && [ -s "$tmp/err" ] && [ ! -e "$tmp/u.mps" ] && [ ! -e "$tmp/u.json" ]; then
        ok "model $args: exit $want, message, nothing written"
    else
        fail "model $args: exit $rc (want $want), or a file was left"
    fi
done <<EOF
2 $tmp/in.json
2 --mps $tmp/u.mps
2 $tmp/in.json --mps $tmp/u.mps --cbc-solution $tmp/x.sol
2 $tmp/in.json --mps $tmp/u.mps extra
2 $tmp/in.json --bogus
2 $tmp/missing.json --mps $tmp/u.mps
2 $tmp/in.json --cbc-solution $tmp/missing.sol -o $tmp/u.json
EOF
printf '{"format": "blendsched/1", "calendar": 3}' >"$tmp/bad.json"
"$BIN" model "$tmp/bad.json" --mps "$tmp/u.mps" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q 'bad.json' "$tmp/err" && [ ! -e "$tmp/u.mps" ] &&
    ok "invalid input: exit 2 naming the file, no MPS" || fail "invalid input: exit $rc"
"$BIN" model "$tmp/in.json" --mps "$tmp/no/such/dir/m.mps" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q 'm.mps' "$tmp/err" && ok "unwritable MPS path: exit 2 naming it" ||
    fail "unwritable MPS path: exit $rc"

# ==== The MPS file ====
if "$BIN" model "$tmp/in.json" --mps "$tmp/m.mps" >"$tmp/size" 2>"$tmp/err"; then
    ok "model --mps: exit 0"
else
    fail "model --mps failed"
    sed 's/^/#   /' "$tmp/err"
fi
cols=$(awk '$1 == "columns" {print $2}' "$tmp/size")
rows=$(awk '$1 == "rows" {print $2}' "$tmp/size")
below=$(awk '$1 == "complete_below" {print $2}' "$tmp/size")
# fixed MPS: section names in column 1, the size in GLPK's header
if grep -q '^ROWS$' "$tmp/m.mps" && grep -q '^COLUMNS$' "$tmp/m.mps" && grep -q '^ENDATA$' "$tmp/m.mps" &&
    grep -q "^\* Columns: *$cols " "$tmp/m.mps" && grep -q "^\* Rows: *$rows$" "$tmp/m.mps" &&
    [ "$cols" -gt 100 ]; then
    ok "fixed MPS with the printed size ($rows rows, $cols columns)"
else
    fail "MPS file does not match the printed size (rows '$rows', columns '$cols')"
fi
# two cohorts of priority >= 1 under weight 10000: one unplaced session costs that much
[ "$below" -ge 10000 ] 2>/dev/null && ok "complete_below $below >= the unplaced weight" ||
    fail "complete_below '$below'"
"$BIN" model "$tmp/in.json" --mps "$tmp/m2.mps" >/dev/null
cmp -s "$tmp/m.mps" "$tmp/m2.mps" && ok "the same input writes the same MPS bytes" ||
    fail "two MPS files of one input differ"

# ==== Peers' solutions back into calendars ====
check_peer() { # name solution-option solution-file
    if "$BIN" model "$tmp/in.json" "$2" "$3" -o "$tmp/$1.json" 2>"$tmp/err"; then
        ok "$1: solution read back, every required session placed (exit 0)"
    else
        fail "$1: reading the solution back failed"
        sed 's/^/#   /' "$tmp/err"
    fi
    if "$BIN" verify "$tmp/in.json" "$tmp/$1.json" >"$tmp/v" 2>&1; then
        ok "$1: verify accepts the peer's calendar"
    else
        fail "$1: verify rejects the peer's calendar"
        grep -v '^  ' "$tmp/v" | sed 's/^/#   /' | head -10
    fi
}
if command -v glpsol >/dev/null 2>&1; then
    glpsol --mps "$tmp/m.mps" --tmlim 120 -w "$tmp/glpk.sol" >"$tmp/glpk.log" 2>&1
    grep -q 'INTEGER OPTIMAL' "$tmp/glpk.log" && ok "glpsol reads the MPS and solves it" ||
        fail "glpsol did not solve the model: $(tail -2 "$tmp/glpk.log")"
    check_peer glpsol --glpk-solution "$tmp/glpk.sol"
    # a solution of another model is refused
    "$BIN" model "$tmp/other.json" --glpk-solution "$tmp/glpk.sol" -o "$tmp/u.json" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 2 ] && [ ! -e "$tmp/u.json" ] && ok "a solution of another model: exit 2, no calendar" ||
        fail "a solution of another model: exit $rc"
else
    ok "# skip glpsol: not installed (glpk-utils)"
fi
if command -v cbc >/dev/null 2>&1; then
    cbc "$tmp/m.mps" -threads 1 -timeMode elapsed -sec 120 -solve -solu "$tmp/cbc.sol" >"$tmp/cbc.log" 2>&1
    head -1 "$tmp/cbc.sol" | grep -q '^Optimal' && ok "CBC reads the MPS and solves it" ||
        fail "CBC did not solve the model: $(head -1 "$tmp/cbc.sol" 2>/dev/null)"
    check_peer cbc --cbc-solution "$tmp/cbc.sol"
else
    ok "# skip cbc: not installed (make bench-deps)"
fi
if [ -s "$tmp/glpsol.json" ] && [ -s "$tmp/cbc.json" ]; then
    /usr/bin/python3 - "$tmp/glpsol.json" "$tmp/cbc.json" <<'PY' && ok "glpsol and CBC reach the same optimum" || fail "glpsol and CBC optima differ"
import json, sys
a, b = (json.load(open(f))["objective"]["total"] for f in sys.argv[1:])
assert abs(a - b) < 1e-6, (a, b)
PY
fi
# no integer point (CBC's listing when the time ran out first)
printf 'Stopped on time (no integer solution - continuous used) - objective value 8790.00300000\n      0 C0000001             0.5                       0\n' >"$tmp/none.sol"
"$BIN" model "$tmp/in.json" --cbc-solution "$tmp/none.sol" -o "$tmp/none.json" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q '"status": "partial"' "$tmp/none.json" &&
    ! grep -q '"start"' "$tmp/none.json" && grep -q 'none: no integer solution' "$tmp/err"; then
    ok "no integer solution: an empty partial calendar, exit 1"
else
    fail "no integer solution: exit $rc"
fi
printf 'Optimal - objective value 1\n  zero C0000001 1 0\n' >"$tmp/bad.sol"
"$BIN" model "$tmp/in.json" --cbc-solution "$tmp/bad.sol" -o "$tmp/u.json" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q 'bad.sol: line 2' "$tmp/err" && [ ! -e "$tmp/u.json" ] &&
    ok "malformed CBC solution: exit 2 naming the line, no calendar" || fail "malformed CBC solution: exit $rc"

# ==== solve --progress: the first complete calendar, once ====
"$BIN" solve "$tmp/in.json" --progress -o "$tmp/s.json" 2>"$tmp/err"
n=$(grep -c '^blendsched: first complete calendar at [0-9.]*s, objective ' "$tmp/err")
[ "$n" -eq 1 ] && ok "solve --progress: one 'first complete calendar' line" ||
    fail "solve --progress: $n 'first complete calendar' lines"
fx=$(dirname "$0")/../../fixtures/solve/no-qualified-instructor/input.json
"$BIN" solve "$fx" --progress -o "$tmp/s2.json" 2>"$tmp/err"
grep -q 'first complete calendar' "$tmp/err" && fail "an instance with an unplaced session claims a complete calendar" ||
    ok "solve --progress: no such line when a session stays unplaced"

[ "$fails" -eq 0 ]
