#!/bin/sh
# @file check.sh
# @brief End-to-end tests of `blendsched check`: every input of
#        fixtures/invalid/ is refused (exit 2, nothing on stdout, stderr naming
#        the file and the JSON path or line:col recorded in NAME.path), and
#        valid inputs (the spec example, stdin, warnings) are summarised.
# Env: BLENDSCHED = the binary (default build/blendsched). Prints `ok - ...` /
# `FAIL - ...` per assertion; exits non-zero when any failed.
set -u
BIN=${BLENDSCHED:-build/blendsched}
case "$BIN" in /*) ;; */*) BIN="$(pwd)/$BIN" ;; esac
cd "$(dirname "$0")/../.." || exit 2
PY=/usr/bin/python3
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bs-check.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() {
    fail=$((fail + 1))
    echo "FAIL - $1"
    [ -s "$TMP/err" ] && sed 's/^/#   /' "$TMP/err" | head -n 10
    return 0
}
# run ARGS...: exit status in $rc, outputs in $TMP/out and $TMP/err
run() {
    "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
}
has_err() { grep -qF -- "$1" "$TMP/err"; }
has_out() { grep -qF -- "$1" "$TMP/out"; }

# ---- the invalid corpus ----
n=0
for f in fixtures/invalid/*.json; do
    base=${f%.json}
    if [ ! -f "$base.path" ]; then
        bad "$f has no $base.path"
        continue
    fi
    want=$(head -n 1 "$base.path")
    case "$want" in
    '$'*) needle="$f: $want: " ;;
    *) needle="$f:$want: " ;;
    esac
    run check "$f"
    n=$((n + 1))
    if [ "$rc" -ne 2 ]; then
        bad "$f: exit $rc, want 2"
    elif [ -s "$TMP/out" ]; then
        bad "$f: stdout is not empty"
    elif ! has_err "$needle"; then
        bad "$f: stderr lacks '$needle'"
    else
        ok "$f names $want"
    fi
done
for p in fixtures/invalid/*.path; do
    [ -f "${p%.path}.json" ] || bad "$p has no input"
done
if [ "$n" -ge 60 ]; then ok "corpus holds $n invalid inputs"; else bad "corpus holds only $n inputs"; fi

# ---- valid inputs ----
EX=fixtures/example/input.json
run check "$EX"
if [ "$rc" -eq 0 ] && has_out "live sessions to place: 9" && has_out "slots:        2832" &&
    has_out "cohorts:      3" && [ ! -s "$TMP/err" ]; then
    ok "check $EX: exit 0 and a summary"
else
    bad "check $EX: exit $rc"
fi

run check --json "$EX"
if [ "$rc" -eq 0 ] && $PY -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s["live_sessions"] == 9 and s["cohorts"] == 3 and s["learners"] == 5, s
assert s["slots"] == 2832 and s["horizon"]["days"] == 82 and s["warnings"] == [], s
assert len(s["input_sha256"]) == 64
' "$TMP/out"; then
    ok "check --json: JSON summary parses"
else
    bad "check --json: exit $rc or bad JSON"
fi

run check - <"$EX"
if [ "$rc" -eq 0 ] && has_out "<stdin>"; then ok "check - reads stdin"; else bad "check - (exit $rc)"; fi

# A flipped live module without self-paced prework: a warning, still valid.
sed 's/"requires": \["exam-prep"\]/"requires": ["lab-2"]/' "$EX" >"$TMP/warn.json"
run check "$TMP/warn.json"
if [ "$rc" -eq 0 ] && has_err "$TMP/warn.json: warning: FLIPPED_WITHOUT_PREWORK: " &&
    has_err '"troubleshooting"' && has_out "warnings:     1"; then
    ok "warning on stderr, exit 0"
else
    bad "warning case: exit $rc"
fi
run check --json "$TMP/warn.json"
if [ "$rc" -eq 0 ] && $PY -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert [w["code"] for w in s["warnings"]] == ["FLIPPED_WITHOUT_PREWORK"], s
' "$TMP/out"; then
    ok "check --json lists the warning"
else
    bad "check --json with a warning: exit $rc"
fi

# ---- size limit, big and hostile inputs ----
$PY - "$EX" "$TMP/big.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["x-padding"] = "x" * (2 * 1024 * 1024)
json.dump(d, open(sys.argv[2], "w"))
PY
run check --max-input-mb 1 "$TMP/big.json"
if [ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ] && has_err "$TMP/big.json: input larger than the limit of 1 MB"; then
    ok "--max-input-mb 1 refuses a 2 MB input"
else
    bad "--max-input-mb: exit $rc"
fi
run check --max-input-mb 3 "$TMP/big.json"
if [ "$rc" -eq 0 ]; then ok "--max-input-mb 3 accepts it (x- keys ignored)"; else bad "--max-input-mb 3: exit $rc"; fi

$PY - "$EX" "$TMP/many.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for i in range(70):
    d["calendar"]["bad%d" % i] = i
json.dump(d, open(sys.argv[2], "w"))
PY
run check "$TMP/many.json"
if [ "$rc" -eq 2 ] && has_err "and 20 more errors" && has_err "70 errors" &&
    [ "$(grep -c ': \$\.calendar\.bad' "$TMP/err")" -eq 50 ]; then
    ok "70 errors: 50 shown, the rest counted"
else
    bad "70 errors: exit $rc"
fi

head -c 4096 /dev/urandom >"$TMP/noise.json"
run check "$TMP/noise.json"
if [ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ]; then ok "random bytes: exit 2"; else bad "random bytes: exit $rc"; fi

run check "$TMP/does-not-exist.json"
if [ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ] && has_err "$TMP/does-not-exist.json"; then
    ok "missing file: exit 2 with its name"
else
    bad "missing file: exit $rc"
fi

run check "$TMP"
if [ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ]; then ok "a directory: exit 2"; else bad "a directory: exit $rc"; fi

# ---- --domains: static domain sizes, counted by hand (fixtures/solve/README.md) ----
# rule1-window-holiday: one virtual session, one legal start, no room, one instructor
run check --domains --json fixtures/solve/rule1-window-holiday/input.json
if [ "$rc" -eq 0 ] && "$PY" - "$TMP/out" <<'PYEOF'
import json, sys
z = json.load(open(sys.argv[1]))["domains"]
assert z == {"sessions": 1, "empty": 0, "mean_starts": 1.0, "mean_rooms": 0.0,
             "mean_instructors": 1.0}, z
PYEOF
then ok "check --domains --json: one start, no room, one instructor"; else bad "check --domains --json: exit $rc"; fi
# no-qualified-instructor: a session nobody may teach has an empty domain
run check --domains fixtures/solve/no-qualified-instructor/input.json
if [ "$rc" -eq 0 ] && has_out "(3 sessions, 2 with an empty domain)"; then
    ok "check --domains: empty domains counted"
else
    bad "check --domains: exit $rc"
fi
run check "$EX"
if [ "$rc" -eq 0 ] && ! has_out "domains:"; then ok "check: no domains without --domains"; else bad "check: domains line without --domains"; fi

# ---- usage ----
run check --help
if [ "$rc" -eq 0 ] && has_out "Usage: blendsched check" && [ ! -s "$TMP/err" ]; then
    ok "check --help on stdout"
else
    bad "check --help: exit $rc"
fi
run check
if [ "$rc" -eq 2 ] && has_err "Try 'blendsched check --help'" && [ ! -s "$TMP/out" ]; then
    ok "no INPUT: usage error"
else
    bad "no INPUT: exit $rc"
fi
run check --frobnicate "$EX"
if [ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ]; then ok "unknown option: exit 2"; else bad "unknown option: exit $rc"; fi
run check --max-input-mb x "$EX"
if [ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ]; then ok "bad --max-input-mb: exit 2"; else bad "bad --max-input-mb: exit $rc"; fi
run check "$EX" "$EX"
if [ "$rc" -eq 2 ]; then ok "two inputs: exit 2"; else bad "two inputs: exit $rc"; fi

echo "# check.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
