#!/bin/sh
# @file diff.sh
# @brief End-to-end tests of `blendsched diff CALENDAR_A CALENDAR_B`: two
#        hand-written calendars with one difference of every kind (and
#        sessions that differ only in instructor order or offset notation,
#        which are unchanged) give the exact text expected and the same
#        counts as JSON; identical calendars exit 0; malformed calendars are
#        refused with the file and the JSON path; and on compare's outputs,
#        diff agrees with comparison.json's against_base counts.
# Env: BLENDSCHED = the binary (default build/blendsched). Prints `ok - ...` /
# `FAIL - ...` per assertion; exits non-zero when any failed.
set -u
BIN=${BLENDSCHED:-build/blendsched}
case "$BIN" in /*) ;; */*) BIN="$(pwd)/$BIN" ;; esac
cd "$(dirname "$0")/../.." || exit 2
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "FAIL - no python3"; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bs-diff.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM
failures=0
ok() { echo "ok - $1"; }
fail() {
    echo "FAIL - $1"
    failures=$((failures + 1))
    [ -s "$TMP/err" ] && sed 's/^/#   /' "$TMP/err" | head -n 10
    return 0
}
run() {
    "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
}

head='{ "format": "blendsched-calendar/1", "generated_by": "hand", "input_sha256": "00", "status": "complete",
  "objective": { "total": 0 }, "self_paced": [], "sessions": ['
cat >"$TMP/a.json" <<EOF
$head
  { "cohort": "c1", "module": "m1", "start": "2027-01-12T09:00:00+01:00", "end": "2027-01-12T10:00:00+01:00", "room": "r1", "instructors": ["ana", "bo"] },
  { "cohort": "c1", "module": "m2", "start": "2027-01-13T09:00:00+01:00", "end": "2027-01-13T10:00:00+01:00", "room": "r1", "instructors": ["ana"] },
  { "cohort": "c1", "module": "m3", "start": "2027-01-14T09:00:00+01:00", "end": "2027-01-14T10:00:00+01:00", "room": null, "instructors": ["cy"] },
  { "cohort": "c2", "module": "m1", "start": "2027-01-15T09:00:00+01:00", "end": "2027-01-15T10:00:00+01:00", "room": "r2", "instructors": ["cy"] },
  { "cohort": "c2", "module": "m2", "start": "2027-01-18T09:00:00+01:00", "end": "2027-01-18T10:00:00+01:00", "room": "r2", "instructors": ["cy"] }
] }
EOF
# c1/m1: same team in another order, same instant in UTC notation: unchanged
# c1/m2: later and in another room: moved
# c1/m3: same start, a room now: reassigned
# c2/m1: not placed any more: removed
# c2/m2: another instructor: reassigned
# c3/m1: new: added
cat >"$TMP/b.json" <<EOF
$head
  { "cohort": "c3", "module": "m1", "start": "2027-01-19T09:00:00+01:00", "end": "2027-01-19T10:00:00+01:00", "room": null, "instructors": [] },
  { "cohort": "c1", "module": "m1", "start": "2027-01-12T08:00:00Z", "end": "2027-01-12T09:00:00Z", "room": "r1", "instructors": ["bo", "ana"] },
  { "cohort": "c1", "module": "m2", "start": "2027-01-13T11:00:00+01:00", "end": "2027-01-13T12:00:00+01:00", "room": "r2", "instructors": ["ana"] },
  { "cohort": "c1", "module": "m3", "start": "2027-01-14T09:00:00+01:00", "end": "2027-01-14T10:00:00+01:00", "room": "r9", "instructors": ["cy"] },
  { "cohort": "c2", "module": "m2", "start": "2027-01-18T09:00:00+01:00", "end": "2027-01-18T10:00:00+01:00", "room": "r2", "instructors": ["dee"] }
] }
EOF
cat >"$TMP/want.txt" <<'EOF'
moved       c1/m2  2027-01-13T09:00:00+01:00 -> 2027-01-13T11:00:00+01:00  room r1 -> r2
reassigned  c1/m3  2027-01-14T09:00:00+01:00  room none -> r9
removed     c2/m1  2027-01-15T09:00:00+01:00  room r2, instructors cy
reassigned  c2/m2  2027-01-18T09:00:00+01:00  instructors cy -> dee
added       c3/m1  2027-01-19T09:00:00+01:00  room none, instructors none
5 changes: 1 added, 1 removed, 1 moved, 2 reassigned (1 unchanged)
EOF

run diff "$TMP/a.json" "$TMP/b.json"
if [ "$rc" -eq 1 ] && cmp -s "$TMP/out" "$TMP/want.txt"; then
    ok "diff: every kind of difference, exit 1"
else
    fail "diff: every kind of difference, exit 1 (rc $rc)"
    diff "$TMP/want.txt" "$TMP/out" | sed 's/^/#   /'
fi
run diff "$TMP/a.json" "$TMP/a.json"
if [ "$rc" -eq 0 ] && [ "$(cat "$TMP/out")" = "0 changes: 0 added, 0 removed, 0 moved, 0 reassigned (5 unchanged)" ]; then
    ok "diff of a calendar with itself: no changes, exit 0"
else
    fail "diff of a calendar with itself: no changes, exit 0 (rc $rc)"
fi
run diff "$TMP/b.json" "$TMP/a.json"
if [ "$rc" -eq 1 ] && tail -n 1 "$TMP/out" | grep -qx "5 changes: 1 added, 1 removed, 1 moved, 2 reassigned (1 unchanged)" &&
    grep -q "^added       c2/m1" "$TMP/out" && grep -q "^removed     c3/m1" "$TMP/out"; then
    ok "diff the other way round swaps added and removed"
else
    fail "diff the other way round swaps added and removed"
fi
"$BIN" diff - "$TMP/b.json" <"$TMP/a.json" >"$TMP/out" 2>"$TMP/err"
if cmp -s "$TMP/out" "$TMP/want.txt"; then ok "diff reads '-' from standard input"; else fail "diff reads '-' from standard input"; fi

run diff --json "$TMP/a.json" "$TMP/b.json"
if [ "$rc" -eq 1 ] && "$PY" - "$TMP/out" "$TMP/a.json" "$TMP/b.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "blendsched-diff/1", d["format"]
assert d["a"] == sys.argv[2] and d["b"] == sys.argv[3]
assert d["summary"] == {"added": 1, "removed": 1, "moved": 1, "reassigned": 2, "unchanged": 1}, d["summary"]
kinds = [(c["change"], c["cohort"], c["module"]) for c in d["changes"]]
assert kinds == [("moved", "c1", "m2"), ("reassigned", "c1", "m3"), ("removed", "c2", "m1"),
                 ("reassigned", "c2", "m2"), ("added", "c3", "m1")], kinds
m = d["changes"][0]
assert m["from"] == {"start": "2027-01-13T09:00:00+01:00", "end": "2027-01-13T10:00:00+01:00",
                     "room": "r1", "instructors": ["ana"]}, m["from"]
assert m["to"]["room"] == "r2"
assert d["changes"][2]["to"] is None and d["changes"][4]["from"] is None
assert d["changes"][4]["to"]["room"] is None and d["changes"][4]["to"]["instructors"] == []
EOF
then
    ok "diff --json: format, summary, changes"
else
    fail "diff --json: format, summary, changes (rc $rc)"
fi

# ---- refused calendars ----
bad() { # name, needle, json
    printf '%s' "$3" >"$TMP/$1.json"
    run diff "$TMP/a.json" "$TMP/$1.json"
    if [ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ] && grep -qF -- "$TMP/$1.json$2" "$TMP/err"; then
        ok "diff refuses $1"
    else
        fail "diff refuses $1 naming '$2' (rc $rc)"
    fi
}
s='"cohort": "c1", "module": "m1", "end": "2027-01-12T10:00:00+01:00", "room": null, "instructors": []'
bad not-json ':1:1: malformed JSON' 'calendar'
bad wrong-format ': $.format: not a calendar' '{"format": "blendsched/1", "sessions": []}'
bad no-sessions ': $.sessions: required key is missing' '{"format": "blendsched-calendar/1"}'
bad twice ': $.sessions: session "c1"/"m1" is listed twice' \
    "{\"format\": \"blendsched-calendar/1\", \"sessions\": [{$s, \"start\": \"2027-01-12T09:00:00+01:00\"}, {$s, \"start\": \"2027-01-12T09:00:00+01:00\"}]}"
bad no-offset ': $.sessions[0].start: "2027-01-12T09:00:00" not an RFC 3339' \
    "{\"format\": \"blendsched-calendar/1\", \"sessions\": [{$s, \"start\": \"2027-01-12T09:00:00\"}]}"
bad bad-seconds ': $.sessions[0].start: "2027-01-12T09:00:30+01:00" seconds must be 00' \
    "{\"format\": \"blendsched-calendar/1\", \"sessions\": [{$s, \"start\": \"2027-01-12T09:00:30+01:00\"}]}"
bad instructors-string ': $.sessions[0].instructors: must be an array' \
    '{"format": "blendsched-calendar/1", "sessions": [{"cohort": "c", "module": "m", "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z", "room": null, "instructors": "ana"}]}'
bad no-room ': $.sessions[0].room: required key is missing' \
    '{"format": "blendsched-calendar/1", "sessions": [{"cohort": "c", "module": "m", "start": "2027-01-12T09:00:00Z", "end": "2027-01-12T10:00:00Z", "instructors": []}]}'
run diff "$TMP/a.json"
if [ "$rc" -eq 2 ] && grep -q "Try 'blendsched diff --help'" "$TMP/err"; then ok "diff with one calendar: usage error"; else fail "diff with one calendar: usage error"; fi
run diff "$TMP/a.json" "$TMP/nope.json"
if [ "$rc" -eq 2 ] && grep -q "nope.json" "$TMP/err"; then ok "diff of a missing file: exit 2"; else fail "diff of a missing file: exit 2 (rc $rc)"; fi
run diff --help
if [ "$rc" -eq 0 ] && grep -q "reassigned" "$TMP/out"; then ok "diff --help"; else fail "diff --help"; fi

# ---- diff agrees with compare ----
run compare fixtures/example/input.json fixtures/scenarios/ana-leaves.json \
    fixtures/scenarios/lab-closed.json --out-dir "$TMP/cmp" -q
[ "$rc" -le 1 ] || fail "compare for the agreement check (rc $rc)"
for name in ana-leaves lab-closed; do
    run diff --json "$TMP/cmp/base/calendar.json" "$TMP/cmp/$name/calendar.json"
    if "$PY" - "$TMP/out" "$TMP/cmp/comparison.json" "$name" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["summary"]
row = [r for r in json.load(open(sys.argv[2]))["scenarios"] if r["name"] == sys.argv[3]][0]
ab = row["against_base"]
for k in ("added", "removed", "moved", "reassigned", "unchanged"):
    assert d[k] == ab[k], (k, d[k], ab[k])
EOF
    then
        ok "diff base $name agrees with comparison.json"
    else
        fail "diff base $name agrees with comparison.json"
    fi
done

[ "$failures" -eq 0 ]
