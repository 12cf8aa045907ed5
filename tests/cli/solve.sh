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

# The checker: reads expected.json, the calendar and the conflict report and
# prints one ok/FAIL line per expectation.
cat >"$TMP/check.py" <<'EOF'
import json, sys

name, exp_path, cal_path, conf_path = sys.argv[1:5]
exp = json.load(open(exp_path))
results = []


def check(cond, what, detail=""):
    results.append((bool(cond), what, detail))


try:
    cal = json.load(open(cal_path))
    conf = json.load(open(conf_path))
except (OSError, ValueError) as e:
    print("FAIL - %s: calendar and conflict report parse: %s" % (name, e))
    sys.exit(0)

check(cal.get("format") == "blendsched-calendar/1"
      and conf.get("format") == "blendsched-conflicts/1",
      "output formats", "%r %r" % (cal.get("format"), conf.get("format")))
sessions = cal.get("sessions", [])
unplaced = conf.get("unplaced", [])
skipped = conf.get("skipped", [])
key = lambda d: (d["cohort"], d["module"])
if "placed" in exp:
    check(len(sessions) == exp["placed"], "%d sessions placed" % exp["placed"],
          "got %d" % len(sessions))
want_status = "complete" if exp["exit"] == 0 else "partial"
check(cal.get("status") == want_status, "status %s" % want_status,
      "got %r" % cal.get("status"))

# unplaced: reason, message and blocking substrings
got_u = {key(u): u for u in unplaced}
for w in exp.get("unplaced", []):
    u = got_u.get(key(w))
    label = "%s/%s" % key(w)
    if u is None:
        check(False, "%s unplaced with %s" % (label, w["reason"]), "not in the report")
        continue
    check(u["reason"] == w["reason"], "%s reason %s" % (label, w["reason"]),
          "got %s: %s" % (u["reason"], u.get("message")))
    if "message" in w:
        check(w["message"] in u.get("message", ""),
              "%s message names '%s'" % (label, w["message"]), "got %r" % u.get("message"))
    if "blocking" in w:
        check(any(w["blocking"] in b for b in u.get("blocking", [])),
              "%s blocking names '%s'" % (label, w["blocking"]),
              "got %r" % u.get("blocking"))
want_u = {key(w) for w in exp.get("unplaced", [])}
extra = sorted(set(got_u) - want_u)
if exp.get("unplaced_exact", True):
    check(not extra, "no other session unplaced", "also unplaced: %r" % extra)
if "other_unplaced_reason" in exp:
    r = exp["other_unplaced_reason"]
    check(all(got_u[k]["reason"] == r for k in extra),
          "every other unplaced session says %s" % r,
          "%r" % [(k, got_u[k]["reason"]) for k in extra])
check(len(got_u) == len(unplaced), "unplaced sessions listed once")
placed_keys = {key(s) for s in sessions}
check(not (placed_keys & set(got_u)), "no session both placed and unplaced")
if "skipped" in exp:
    want_s = sorted(key(s) for s in exp["skipped"])
    got_s = sorted(key(s) for s in skipped)
    check(got_s == want_s, "skipped %r" % want_s, "got %r" % got_s)
for code in exp.get("warnings", []):
    check(any(w.get("code") == code for w in conf.get("warnings", [])),
          "warning %s" % code, "got %r" % conf.get("warnings"))

# placed sessions: exact start/end/date/room/instructors where given
by_key = {key(s): s for s in sessions}
for w in exp.get("sessions", []):
    s = by_key.get(key(w))
    label = "%s/%s" % key(w)
    if s is None:
        check(False, "%s placed" % label, "not in the calendar")
        continue
    for f in ("start", "end", "room", "instructors"):
        if f in w:
            check(s.get(f) == w[f], "%s %s %s" % (label, f, json.dumps(w[f])),
                  "got %s" % json.dumps(s.get(f)))
    if "date" in w:
        check(s["start"][:10] == w["date"], "%s on %s" % (label, w["date"]),
              "got %s" % s["start"])
for w in exp.get("self_paced", []):
    got = [e for e in cal.get("self_paced", []) if key(e) == key(w)]
    check(len(got) == 1 and all(got[0].get(f) == w[f] for f in w),
          "self-paced %s/%s %s..%s" % (key(w) + (w.get("available_from"), w.get("due"))),
          "got %r" % got)

# objective: the terms given, and total = sum of the terms
obj = cal.get("objective", {})
for term, v in exp.get("objective", {}).items():
    check(abs(obj.get(term, float("nan")) - v) < 1e-6, "objective %s = %g" % (term, v),
          "got %r" % obj.get(term))
terms = ("unplaced", "instructor_change", "room_change", "outside_preferred", "rhythm",
         "cost", "spread", "isolated", "over_capacity", "moved", "reassigned")
total = sum(obj.get(t, 0) for t in terms)
check(abs(total - obj.get("total", float("nan"))) < 1e-6, "objective total is the sum of its terms",
      "terms sum to %r, total %r" % (total, obj.get("total")))

for good, what, detail in results:
    print("%s - %s: %s" % ("ok" if good else "FAIL", name, what))
    if not good and detail:
        print("#   " + detail)
EOF

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

    "$PY" "$TMP/check.py" "$name" "$dir/expected.json" "$out/cal2.json" \
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
