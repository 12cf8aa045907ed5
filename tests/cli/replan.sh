#!/bin/sh
# @file replan.sh
# @brief End-to-end tests of re-planning: pins of every kind, broken pins,
#        `solve --baseline` (change marks and counts), `--now` freezing and
#        `--max-changes`, on fixtures/replan/*/ (fixtures/replan/README.md
#        says why each expectation is right), plus the ways `verify` and the
#        option parser must refuse bad calendars and bad options.
#        Every calendar the engine writes must pass `verify` (with the same
#        --baseline, --now and --max-changes), and --threads 1 and 2 must
#        give byte-identical outputs.
# Env: BLENDSCHED = the binary (default build/blendsched). Prints `ok - ...` /
# `FAIL - ...` per assertion; exits non-zero when any failed.
set -u
BIN=${BLENDSCHED:-build/blendsched}
case "$BIN" in /*) ;; */*) BIN="$(pwd)/$BIN" ;; esac
cd "$(dirname "$0")/../.." || exit 2
FIX=fixtures/replan
CHECK=tests/cli/solve_check.py
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "FAIL - no python3"; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bs-replan.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM
failures=0
ok() { echo "ok - $1"; }
fail() {
    echo "FAIL - $1"
    failures=$((failures + 1))
}
show() { [ -s "$1" ] && sed 's/^/#   /' "$1" | head -n 20; }

# expected KEY DIR: a top-level value of DIR/expected.json, as shell words
expected() {
    "$PY" -c '
import json, sys
v = json.load(open(sys.argv[1])).get(sys.argv[2])
if isinstance(v, list):
    print(" ".join(v))
elif v is not None:
    print(v)
' "$2/expected.json" "$1"
}

n=0
for dir in "$FIX"/*/; do
    dir=${dir%/}
    name=${dir##*/}
    n=$((n + 1))
    want_rc=$(expected exit "$dir")
    args=$(expected args "$dir")
    vargs=$(expected verify_args "$dir")
    base=""
    [ -f "$dir/baseline.json" ] && base="--baseline $dir/baseline.json"
    out="$TMP/$name"
    mkdir -p "$out"

    if [ -f "$dir/before.json" ]; then
        if "$BIN" verify "$dir/before.json" "$dir/baseline.json" >"$out/vb" 2>&1; then
            ok "$name: the baseline keeps every rule of the input it was made for"
        else
            fail "$name: the baseline breaks a rule of before.json"
            show "$out/vb"
        fi
    fi

    # shellcheck disable=SC2086 # plain words from expected.json
    "$BIN" solve "$dir/input.json" -o "$out/cal2.json" -c "$out/conf2.json" --threads 2 -q \
        $base $args >"$out/stdout" 2>"$out/stderr"
    rc=$?
    if [ "$rc" -eq "$want_rc" ] && [ -s "$out/cal2.json" ] && [ -s "$out/conf2.json" ]; then
        ok "$name: solve exits $rc and writes both files"
    else
        fail "$name: solve should exit $want_rc and write both files, got exit $rc"
        show "$out/stderr"
        continue
    fi

    # shellcheck disable=SC2086
    "$BIN" verify "$dir/input.json" "$out/cal2.json" $base $vargs >"$out/verify" 2>&1
    vrc=$?
    if [ "$vrc" -eq 0 ]; then
        ok "$name: verify${base:+ --baseline}${vargs:+ $vargs} accepts the calendar"
    else
        fail "$name: verify rejects the engine's calendar (exit $vrc)"
        show "$out/verify"
    fi

    "$PY" "$CHECK" "$name" "$dir/expected.json" "$out/cal2.json" "$out/conf2.json" \
        >"$out/checks" 2>&1
    cat "$out/checks"
    if [ ! -s "$out/checks" ] || grep -qv '^\(ok\|FAIL\) - \|^#' "$out/checks"; then
        fail "$name: expectation checker ran cleanly"
    fi
    failures=$((failures + $(grep -c '^FAIL - ' "$out/checks")))

    # shellcheck disable=SC2086
    "$BIN" solve "$dir/input.json" -o "$out/cal1.json" -c "$out/conf1.json" --threads 1 -q \
        $base $args >/dev/null 2>&1
    rc1=$?
    if [ "$rc1" -eq "$rc" ] && cmp -s "$out/cal1.json" "$out/cal2.json" &&
        cmp -s "$out/conf1.json" "$out/conf2.json"; then
        ok "$name: --threads 1 and 2 give byte-identical calendar and conflicts"
    else
        fail "$name: --threads 1 (exit $rc1) and --threads 2 (exit $rc) outputs differ"
    fi
done
[ "$n" -ge 9 ] && ok "$n re-planning fixtures found" || fail "expected 9 fixtures under $FIX, found $n"

IR=$FIX/instructor-removed
R=$TMP/instructor-removed
# `diff` (model/compare.c, no code shared with the marks) counts the same.
"$BIN" diff "$IR/baseline.json" "$R/cal2.json" >"$TMP/diff.txt"
if grep -q '^4 changes: 0 added, 0 removed, 2 moved, 2 reassigned (2 unchanged)$' "$TMP/diff.txt"; then
    ok "diff of baseline and re-planned calendar agrees with its changes counts"
else
    fail "diff of baseline and re-planned calendar agrees with its changes counts"
    show "$TMP/diff.txt"
fi

# The same calendar as its own baseline: nothing changes.
"$BIN" solve fixtures/example/input.json -o "$TMP/ex.json" -q
"$BIN" solve fixtures/example/input.json --baseline "$TMP/ex.json" -o "$TMP/ex2.json" -q
if grep -q '"changes": { "moved": 0, "reassigned": 0, "new": 0 }' "$TMP/ex2.json" &&
    ! grep -q '"change": "' "$TMP/ex2.json"; then
    ok "a calendar re-planned against itself changes nothing"
else
    fail "a calendar re-planned against itself changes nothing"
fi

# A baseline that lacks a session: that session is new and costs nothing.
"$PY" - "$IR/baseline.json" "$TMP/short.json" <<'PYEOF'
import json, sys
b = json.load(open(sys.argv[1]))
b["sessions"] = [s for s in b["sessions"] if (s["cohort"], s["module"]) != ("c3", "m2")]
b["sessions"].append({"cohort": "gone", "module": "m1", "start": "2027-01-11T09:00:00+01:00",
                      "end": "2027-01-11T11:00:00+01:00", "room": "r9", "instructors": ["zed"]})
json.dump(b, open(sys.argv[2], "w"))
PYEOF
"$BIN" solve "$IR/input.json" --baseline "$TMP/short.json" -o "$TMP/short-cal.json" \
    2>"$TMP/short.err"
if grep -q '"cohort": "c3", "module": "m2".*"change": "new"' "$TMP/short-cal.json" &&
    grep -q '"new": 1' "$TMP/short-cal.json" &&
    grep -q "1 baseline session(s) of cohorts or live modules the input no longer has" \
        "$TMP/short.err" &&
    "$BIN" verify "$IR/input.json" "$TMP/short-cal.json" --baseline "$TMP/short.json" \
        >/dev/null 2>&1; then
    ok "a session the baseline lacks is new; one the input lacks is ignored with a warning"
else
    fail "a session the baseline lacks is new; one the input lacks is ignored with a warning"
    show "$TMP/short.err"
fi

# verify recomputes marks and counts: a wrong mark, a wrong count, a
# budget that is exceeded, a frozen session that moved.
sed 's/"change": "moved"/"change": null/' "$R/cal2.json" >"$TMP/badmark.json"
"$BIN" verify "$IR/input.json" "$TMP/badmark.json" --baseline "$IR/baseline.json" \
    >"$TMP/v1" 2>&1
vrc=$?
if [ "$vrc" -eq 1 ] && grep -q '^change: is marked null, but against the baseline it is moved' \
    "$TMP/v1"; then
    ok "verify --baseline catches a wrong change mark"
else
    fail "verify --baseline catches a wrong change mark (exit $vrc)"
    show "$TMP/v1"
fi
"$BIN" verify "$IR/input.json" "$TMP/badmark.json" >"$TMP/v1b" 2>&1
if [ $? -eq 1 ] && grep -q '^change: changes.moved is 2, but 0 sessions are marked so' "$TMP/v1b"; then
    ok "verify without --baseline checks the counts against the marks"
else
    fail "verify without --baseline checks the counts against the marks"
    show "$TMP/v1b"
fi
"$BIN" verify "$IR/input.json" "$R/cal2.json" --baseline "$IR/baseline.json" --max-changes 3 \
    >"$TMP/v2" 2>&1
if [ $? -eq 1 ] && grep -q 'more than --max-changes 3' "$TMP/v2"; then
    ok "verify --max-changes catches a calendar over the budget"
else
    fail "verify --max-changes catches a calendar over the budget"
    show "$TMP/v2"
fi
"$BIN" verify "$IR/input.json" "$R/cal2.json" --baseline "$IR/baseline.json" \
    --now 2027-01-12T00:00 >"$TMP/v3" 2>&1
if [ $? -eq 1 ] && grep -q '^pin: .*pinned' "$TMP/v3"; then
    ok "verify --now catches a frozen session that was changed"
else
    fail "verify --now catches a frozen session that was changed"
    show "$TMP/v3"
fi
# A session the baseline lacks, placed before --now: only frozen ones may be.
"$PY" - "$TMP/short-cal.json" "$TMP/early.json" <<'PYEOF'
import json, sys
c = json.load(open(sys.argv[1]))
for s in c["sessions"]:
    if (s["cohort"], s["module"]) == ("c3", "m2"):
        s["start"], s["end"] = "2027-01-11T11:00:00+01:00", "2027-01-11T13:00:00+01:00"
json.dump(c, open(sys.argv[2], "w"))
PYEOF
"$BIN" verify "$IR/input.json" "$TMP/early.json" --baseline "$TMP/short.json" \
    --now 2027-01-11T12:00 >"$TMP/v4" 2>&1
if [ $? -eq 1 ] && grep -q '^change: c3/m2 starts before --now but is not a baseline session' \
    "$TMP/v4"; then
    ok "verify --now catches a session placed before now that was not frozen"
else
    fail "verify --now catches a session placed before now that was not frozen"
    show "$TMP/v4"
fi

# Bad options and bad baselines: exit 2, a message naming the file, no output.
check_refused() { # WHAT PATTERN ARGS...
    what=$1
    pat=$2
    shift 2
    rm -f "$TMP/none.json"
    "$BIN" "$@" >"$TMP/r.out" 2>"$TMP/r.err"
    rc=$?
    if [ "$rc" -eq 2 ] && grep -q -- "$pat" "$TMP/r.err" && [ ! -e "$TMP/none.json" ]; then
        ok "$what: exit 2, says '$pat', writes nothing"
    else
        fail "$what: exit 2 saying '$pat', got exit $rc"
        show "$TMP/r.err"
    fi
}
check_refused "--now without --baseline" "need --baseline" \
    solve "$IR/input.json" --now 2027-01-12T00:00 -o "$TMP/none.json"
check_refused "--max-changes without --baseline" "need --baseline" \
    solve "$IR/input.json" --max-changes 1 -o "$TMP/none.json"
check_refused "--max-changes -1" "max-changes needs a count" \
    solve "$IR/input.json" --baseline "$IR/baseline.json" --max-changes -1 -o "$TMP/none.json"
check_refused "--now that is no date-time" "not a local date-time" \
    solve "$IR/input.json" --baseline "$IR/baseline.json" --now tomorrow -o "$TMP/none.json"
printf '{"format": "blendsched-calendar/1", "sessions": [ {"cohort": 1} ]}' >"$TMP/badbase.json"
check_refused "a baseline with a bad session" "badbase.json: \$.sessions\[0\]" \
    solve "$IR/input.json" --baseline "$TMP/badbase.json" -o "$TMP/none.json"
printf '{"format": "blendsched-calendar/1", "sessions": [' >"$TMP/cutbase.json"
check_refused "a baseline that is no JSON" "cutbase.json" \
    solve "$IR/input.json" --baseline "$TMP/cutbase.json" -o "$TMP/none.json"
check_refused "a missing baseline" "nosuch.json" \
    solve "$IR/input.json" --baseline "$TMP/nosuch.json" -o "$TMP/none.json"
sed 's/"changes": { "moved": 2/"changes": { "moved": -2/' "$R/cal2.json" >"$TMP/badcount.json"
check_refused "a calendar with a negative change count" 'badcount.json: \$.changes.moved: expected a count' \
    verify "$IR/input.json" "$TMP/badcount.json"
check_refused "verify --now without --baseline" "need --baseline" \
    verify "$IR/input.json" "$R/cal2.json" --now 2027-01-12T00:00

# A generated quarter: its busiest instructor leaves; re-planned with and
# without a budget. Every calendar verified; --threads 1 and 2 identical
# (regression: under a budget, the cohorts re-placed with a blocked one,
# and the sessions named as blocking, once depended on the thread count).
GEN=${GEN:-build/blendsched-gen}
case "$GEN" in /*) ;; */*) GEN="$(pwd)/$GEN" ;; esac
G=$TMP/gen
mkdir -p "$G"
if "$GEN" --cohorts 30 --seed 3 -o "$G/in.json" 2>/dev/null &&
    "$BIN" solve "$G/in.json" -o "$G/base.json" -q; then
    "$PY" - "$G/in.json" "$G/base.json" "$G/ill.json" "$G/half" <<'PYEOF'
import collections, json, sys
inp, base = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
busy = collections.Counter(i for s in base["sessions"] for i in s["instructors"])
gone = min(busy, key=lambda i: (-busy[i], i))
inp["instructors"] = [i for i in inp["instructors"] if i["id"] != gone]
for c in inp["cohorts"]:
    if "instructors" in c:
        c["instructors"] = [i for i in c["instructors"] if i != gone]
        if not c["instructors"]:
            del c["instructors"]
json.dump(inp, open(sys.argv[3], "w"))
# every session of the departed instructor must change: a budget of half
# of them binds on any calendar the engine may have started from
print(busy[gone] // 2, file=open(sys.argv[4], "w"))
PYEOF
    half=$(cat "$G/half")
    for k in none "$half"; do
        budget=""
        [ "$k" = none ] || budget="--max-changes $k"
        for t in 1 2; do
            # shellcheck disable=SC2086
            "$BIN" solve "$G/ill.json" --baseline "$G/base.json" $budget --threads $t -q \
                -o "$G/cal-$k-$t.json" -c "$G/conf-$k-$t.json"
        done
        # shellcheck disable=SC2086
        if "$BIN" verify "$G/ill.json" "$G/cal-$k-2.json" --baseline "$G/base.json" $budget \
            >"$G/v-$k" 2>&1; then
            ok "generated, busiest instructor gone, budget $k: verify accepts the calendar"
        else
            fail "generated, busiest instructor gone, budget $k: verify rejects the calendar"
            show "$G/v-$k"
        fi
        if cmp -s "$G/cal-$k-1.json" "$G/cal-$k-2.json" &&
            cmp -s "$G/conf-$k-1.json" "$G/conf-$k-2.json"; then
            ok "generated, budget $k: --threads 1 and 2 give byte-identical outputs"
        else
            fail "generated, budget $k: --threads 1 and 2 outputs differ"
        fi
    done
    if grep -q '"code": "CHANGE_BUDGET"' "$G/conf-$half-2.json"; then
        ok "generated, budget $half (half the departed's sessions): the conflict report says what a larger budget places"
    else
        fail "generated, budget $half: CHANGE_BUDGET warning expected"
    fi
else
    fail "generated instance for the re-planning run"
fi

if "$BIN" solve --help | grep -q -- '--max-changes K' && "$BIN" verify --help | grep -q -- '--baseline CAL'; then
    ok "solve and verify --help list the re-planning options"
else
    fail "solve and verify --help list the re-planning options"
fi
[ "$failures" -eq 0 ]
