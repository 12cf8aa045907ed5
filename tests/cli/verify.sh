#!/bin/sh
# Black-box tests of `blendsched verify` on fixtures/verify/*/ (and
# fixtures/verify/invalid/*/, for calendars that are not even valid JSON,
# which the schema check leaves out): each holds input.json, calendar.json
# and expected.txt (the rules the calendar breaks, one label a line: 1..7,
# pin, objective; empty when it keeps every rule; `error` when the calendar
# itself is invalid). Checks exit codes, the rule
# labels printed in text and --json, and a few usage errors.
# Env: BLENDSCHED = path to the binary. Prints ok/FAIL lines; exits 1 on any
# failure.

BLENDSCHED=${BLENDSCHED:-build/blendsched}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIX="$ROOT/fixtures/verify"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bs-verify.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || true)

failures=0
ok() { echo "ok - $1"; }
fail() {
    echo "FAIL - $1"
    failures=$((failures + 1))
}

# Rule labels of a text report, one a line, sorted and unique.
labels_text() {
    sed -n -e 's/^rule \([0-9][0-9]*\): .*/\1/p' -e 's/^pin: .*/pin/p' \
        -e 's/^objective: .*/objective/p' "$1" |
        sort -u
}

# Rule labels of a JSON report (checks that it parses).
labels_json() {
    "$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["format"] == "blendsched-verify/1"
assert r["valid"] == (len(r["violations"]) == 0)
for v in r["violations"]:
    assert isinstance(v["message"], str) and v["message"]
    for s in v["sessions"]:
        assert set(s) == {"cohort", "module"}
print("\n".join(sorted({v["rule"] for v in r["violations"]})))
' "$1"
}

for dir in "$FIX"/*/ "$FIX"/invalid/*/; do
    name=${dir#"$FIX"/}
    name=${name%/}
    [ "$name" = invalid ] && continue
    want=$(sort -u "$dir/expected.txt" | sed '/^$/d')
    "$BLENDSCHED" verify "$dir/input.json" "$dir/calendar.json" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    if [ "$want" = "error" ]; then
        if [ $rc -eq 2 ] && [ ! -s "$TMP/out" ] && grep -q '^blendsched: error: ' "$TMP/err"; then
            ok "$name: invalid calendar, exit 2"
        else
            fail "$name: want exit 2, empty stdout and an error; got exit $rc"
            sed 's/^/#   /' "$TMP/err"
        fi
        continue
    fi
    want_rc=1
    [ -z "$want" ] && want_rc=0
    got=$(labels_text "$TMP/out")
    if [ $rc -eq $want_rc ] && [ "$got" = "$want" ]; then
        ok "$name: exit $rc, rules [$(echo $got)]"
    else
        fail "$name: want exit $want_rc rules [$(echo $want)], got exit $rc rules [$(echo $got)]"
        sed 's/^/#   /' "$TMP/out" "$TMP/err"
    fi
    if [ -n "$PY" ]; then
        "$BLENDSCHED" verify --json "$dir/input.json" "$dir/calendar.json" >"$TMP/json" 2>"$TMP/err"
        jrc=$?
        jgot=$(labels_json "$TMP/json" 2>"$TMP/pyerr")
        if [ $? -eq 0 ] && [ $jrc -eq $want_rc ] && [ "$jgot" = "$want" ]; then
            ok "$name: --json exit $jrc, rules [$(echo $jgot)]"
        else
            fail "$name: --json want exit $want_rc rules [$(echo $want)], got exit $jrc rules [$(echo $jgot)]"
            sed 's/^/#   /' "$TMP/json" "$TMP/pyerr"
        fi
    fi
done

# The clean fixture's report: the objective table and its verdict.
"$BLENDSCHED" verify "$FIX/clean/input.json" "$FIX/clean/calendar.json" >"$TMP/out" 2>"$TMP/err"
if grep -q '^  cost  *320  *320$' "$TMP/out" &&
    grep -q '^the recorded objective matches the recomputation$' "$TMP/out" &&
    grep -q '^the calendar keeps every rule$' "$TMP/out" && [ ! -s "$TMP/err" ]; then
    ok "clean: objective printed term by term and matched"
else
    fail "clean: objective table or verdict missing"
    sed 's/^/#   /' "$TMP/out" "$TMP/err"
fi

# A calendar written for another input is verified, with a warning.
zeros=0000000000000000000000000000000000000000000000000000000000000000
sed 's/"input_sha256": "[0-9a-f]*"/"input_sha256": "'$zeros'"/' \
    "$FIX/clean/calendar.json" >"$TMP/other.json"
"$BLENDSCHED" verify "$FIX/clean/input.json" "$TMP/other.json" >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 0 ] && grep -q 'warning: .*another input' "$TMP/err"; then
    ok "input digest mismatch warns"
else
    fail "input digest mismatch: want exit 0 and a warning, got exit $rc"
fi

# Usage.
if "$BLENDSCHED" verify --help >"$TMP/out" 2>"$TMP/err" && grep -q '^Usage: blendsched verify' "$TMP/out"; then
    ok "verify --help"
else
    fail "verify --help"
fi
"$BLENDSCHED" verify "$FIX/clean/input.json" >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "Try 'blendsched verify --help'" "$TMP/err" && [ ! -s "$TMP/out" ]; then
    ok "missing CALENDAR: usage error, exit 2"
else
    fail "missing CALENDAR: want exit 2 and the --help hint, got exit $rc"
fi
"$BLENDSCHED" verify --bogus "$FIX/clean/input.json" "$FIX/clean/calendar.json" >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 2 ]; then ok "unknown option: exit 2"; else fail "unknown option: exit $rc"; fi
"$BLENDSCHED" verify "$FIX/clean/input.json" "$TMP/does-not-exist.json" >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 2 ] && grep -q '^blendsched: error: ' "$TMP/err"; then
    ok "missing calendar file: exit 2"
else
    fail "missing calendar file: want exit 2, got exit $rc"
fi
"$BLENDSCHED" verify "$FIX/clean/input.json" - <"$FIX/clean/calendar.json" >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 0 ]; then ok "calendar from stdin"; else fail "calendar from stdin: exit $rc"; fi

if [ $failures -gt 0 ]; then
    echo "# verify.sh: $failures failure(s)"
    exit 1
fi
echo "# verify.sh: all passed"
