#!/bin/sh
# @file solve.sh
# @brief End-to-end tests of `blendsched solve` on fixtures/solve/*/: each
#        holds input.json and expected.json (see fixtures/solve/README.md for
#        the keys and for why each expected result is right). For every case:
#        solve with --threads 2, check the exit status, require `verify` to
#        accept the calendar (placed sessions keep every rule), check the
#        calendar and conflict report against expected.json, and solve again
#        with --threads 1, requiring byte-identical outputs.
# Env: BLENDSCHED = the binary (default build/blendsched). Prints `ok - ...` /
# `FAIL - ...` per assertion; exits non-zero when any failed.
set -u
BIN=${BLENDSCHED:-build/blendsched}
case "$BIN" in /*) ;; */*) BIN="$(pwd)/$BIN" ;; esac
cd "$(dirname "$0")/../.." || exit 2
FIX=fixtures/solve
# Debian's interpreter on purpose (see schema.sh); any python3 will do here.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "FAIL - no python3"; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bs-solve.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM
failures=0
ok() { echo "ok - $1"; }
fail() {
    echo "FAIL - $1"
    failures=$((failures + 1))
}
show() { [ -s "$1" ] && sed 's/^/#   /' "$1" | head -n 20; }

# The checker (tests/cli/solve_check.py, shared with replan.sh) reads
# expected.json, the calendar and the conflict report and prints one ok/FAIL
# line per expectation.
CHECK=tests/cli/solve_check.py

# expected KEY CASE: a top-level value of expected.json, as shell words
expected() {
    "$PY" -c '
import json, sys
e = json.load(open(sys.argv[1]))
v = e.get(sys.argv[2])
if isinstance(v, list):
    print(" ".join(v))
elif isinstance(v, bool):
    print("true" if v else "false")
elif v is not None:
    print(v)
' "$2/expected.json" "$1"
}

n=0
for dir in "$FIX"/*/; do
    dir=${dir%/}
    name=${dir##*/}
    if [ ! -f "$dir/input.json" ] || [ ! -f "$dir/expected.json" ]; then
        fail "$name: input.json and expected.json present"
        continue
    fi
    n=$((n + 1))
    want_rc=$(expected exit "$dir")
    args=$(expected args "$dir")
    det=$(expected deterministic "$dir")
    out="$TMP/$name"
    mkdir -p "$out"

    if "$BIN" check "$dir/input.json" >/dev/null 2>"$out/stderr"; then
        ok "$name: check accepts the input"
    else
        fail "$name: check rejects the input"
        show "$out/stderr"
    fi

    # shellcheck disable=SC2086 # args are plain words from expected.json
    "$BIN" solve "$dir/input.json" -o "$out/cal2.json" -c "$out/conf2.json" \
        --threads 2 -q $args >"$out/stdout" 2>"$out/stderr"
    rc=$?
    if [ "$rc" -eq "$want_rc" ] && [ -s "$out/cal2.json" ] && [ -s "$out/conf2.json" ]; then
        ok "$name: solve exits $rc and writes both files"
    else
        fail "$name: solve should exit $want_rc and write both files, got exit $rc"
        show "$out/stderr"
        [ -s "$out/cal2.json" ] && [ -s "$out/conf2.json" ] || continue
    fi

    "$BIN" verify "$dir/input.json" "$out/cal2.json" >"$out/verify" 2>&1
    vrc=$?
    if [ "$vrc" -eq 0 ]; then
        ok "$name: verify accepts the calendar"
    else
        fail "$name: verify rejects the engine's calendar (exit $vrc)"
        show "$out/verify"
    fi

    "$PY" "$CHECK" "$name" "$dir/expected.json" "$out/cal2.json" \
        "$out/conf2.json" >"$out/checks" 2>&1
    cat "$out/checks"
    if [ ! -s "$out/checks" ] || grep -qv '^\(ok\|FAIL\) - \|^#' "$out/checks"; then
        fail "$name: expectation checker ran cleanly"
    fi
    failures=$((failures + $(grep -c '^FAIL - ' "$out/checks")))

    if [ "$det" = false ]; then
        ok "$name: # SKIP thread-count determinism (the time limit makes the search wall-clock dependent)"
        continue
    fi
    # shellcheck disable=SC2086
    "$BIN" solve "$dir/input.json" -o "$out/cal1.json" -c "$out/conf1.json" \
        --threads 1 -q $args >/dev/null 2>"$out/stderr1"
    rc1=$?
    if [ "$rc1" -eq "$rc" ] && cmp -s "$out/cal1.json" "$out/cal2.json" &&
        cmp -s "$out/conf1.json" "$out/conf2.json"; then
        ok "$name: --threads 1 and 2 give byte-identical calendar and conflicts"
    else
        fail "$name: --threads 1 (exit $rc1) and --threads 2 (exit $rc) outputs differ"
        diff "$out/cal1.json" "$out/cal2.json" | sed 's/^/#   /' | head -n 10
        diff "$out/conf1.json" "$out/conf2.json" | sed 's/^/#   /' | head -n 10
    fi
done

if [ "$n" -ge 20 ]; then
    ok "$n solve fixtures found"
else
    fail "expected at least 20 fixtures under $FIX, found $n"
fi
[ "$failures" -eq 0 ]
