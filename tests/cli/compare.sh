#!/bin/sh
# @file compare.sh
# @brief End-to-end tests of `blendsched compare` and `blendsched scenario
#        apply` on fixtures/example/input.json with the scenarios of
#        fixtures/scenarios/: one that removes an instructor (conflicts
#        appear), one that closes the lab (conflicts appear) and one that
#        also adds a rented lab (it resolves them), plus an invalid one.
#        Every figure of the printed table is recomputed here from separate
#        `scenario apply` + `solve` runs (whose calendars must be
#        byte-identical to compare's and pass `verify`); --threads 1 and 2
#        give byte-identical outputs; comparison.json validates against
#        docs/schema/comparison.schema.json; every file of
#        fixtures/scenarios/invalid/ is refused naming the file and the path
#        in its .path file; exit statuses.
# Env: BLENDSCHED = the binary (default build/blendsched). Prints `ok - ...` /
# `FAIL - ...` per assertion; exits non-zero when any failed.
set -u
BIN=${BLENDSCHED:-build/blendsched}
case "$BIN" in /*) ;; */*) BIN="$(pwd)/$BIN" ;; esac
cd "$(dirname "$0")/../.." || exit 2
PY=/usr/bin/python3 # Debian's: it has python3-jsonschema (see schema.sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bs-compare.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM
failures=0
ok() { echo "ok - $1"; }
fail() {
    echo "FAIL - $1"
    failures=$((failures + 1))
    [ -s "$TMP/err" ] && sed 's/^/#   /' "$TMP/err" | head -n 12
    return 0
}
run() {
    "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
}
has_err() { grep -qF -- "$1" "$TMP/err"; }

BASE=fixtures/example/input.json
SC=fixtures/scenarios
BAD=$SC/invalid/unknown-instructor.json
VALID="bo-leaves lab-closed lab-closed-rental"

# ---- compare, two thread counts ----
run compare "$BASE" $SC/bo-leaves.json $SC/lab-closed.json $SC/lab-closed-rental.json "$BAD" \
    --out-dir "$TMP/c2" --threads 2
if [ "$rc" -eq 1 ]; then ok "compare exits 1 (an invalid scenario, unplaced sessions)"; else fail "compare exits 1, got $rc"; fi
cp "$TMP/out" "$TMP/table2"
cp "$TMP/err" "$TMP/err2"
if has_err "$BAD: \$.remove.instructors[0]: unknown instructor \"anna\""; then
    ok "the invalid scenario's error names the file and the JSON path"
else
    fail "the invalid scenario's error names the file and the JSON path"
fi
run compare "$BASE" $SC/bo-leaves.json $SC/lab-closed.json $SC/lab-closed-rental.json "$BAD" \
    --out-dir "$TMP/c1" --threads 1 -q
if [ "$rc" -eq 1 ] && cmp -s "$TMP/out" "$TMP/table2" && diff -r "$TMP/c1" "$TMP/c2" >/dev/null; then
    ok "--threads 1 and --threads 2: byte-identical table and files"
else
    fail "--threads 1 and --threads 2: byte-identical table and files (rc $rc)"
fi
run compare "$BASE" $SC/bo-leaves.json $SC/lab-closed.json $SC/lab-closed-rental.json "$BAD" \
    --out-dir "$TMP/cj" --threads 2 --json -q
if cmp -s "$TMP/out" "$TMP/c2/comparison.json"; then
    ok "--json prints comparison.json"
else
    fail "--json prints comparison.json"
fi
for name in base $VALID; do
    for f in calendar conflicts; do
        [ -f "$TMP/c2/$name/$f.json" ] || fail "compare wrote $name/$f.json"
    done
done
if [ -d "$TMP/c2/unknown-instructor" ]; then fail "nothing written for the invalid scenario"; else ok "nothing written for the invalid scenario"; fi
if ls "$TMP"/c2/*.tmp* "$TMP"/c2/*/*.tmp* >/dev/null 2>&1; then fail "no temporary files left"; fi

# ---- the same solves one by one ----
mkdir -p "$TMP/solo"
cp "$BASE" "$TMP/solo/base-input.json"
for name in $VALID; do
    run scenario apply "$BASE" "$SC/$name.json" -o "$TMP/solo/$name-input.json"
    [ "$rc" -eq 0 ] || fail "scenario apply $name exits 0 (got $rc)"
done
for name in base $VALID; do
    in="$TMP/solo/$name-input.json"
    run solve "$in" -q -o "$TMP/solo/$name-calendar.json" -c "$TMP/solo/$name-conflicts.json"
    [ "$rc" -le 1 ] || fail "solve of $name exits 0 or 1 (got $rc)"
    if cmp -s "$TMP/solo/$name-calendar.json" "$TMP/c2/$name/calendar.json" &&
        cmp -s "$TMP/solo/$name-conflicts.json" "$TMP/c2/$name/conflicts.json"; then
        ok "$name: compare's calendar and conflicts are those of solve on the applied input"
    else
        fail "$name: compare's calendar and conflicts are those of solve on the applied input"
    fi
    run verify "$in" "$TMP/c2/$name/calendar.json"
    if [ "$rc" -eq 0 ]; then ok "$name: verify accepts compare's calendar"; else fail "$name: verify accepts compare's calendar (exit $rc)"; fi
done

# ---- every figure of the table, recomputed ----
cat >"$TMP/check.py" <<'EOF'
import json, re, sys
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

solo, out_dir, table_path, bad_name = sys.argv[1:5]
names = ["base"] + sys.argv[5:]
results = []
def check(cond, what, detail=""):
    results.append((bool(cond), what, detail))

# -- the table --
lines = open(table_path, encoding="utf-8").read().rstrip("\n").split("\n")
header = re.split(r" {2,}", lines[0].strip())
table = {}
for line in lines[1:]:
    cells = re.split(r" {2,}", line.rstrip())
    table[cells[0]] = dict(zip(header, cells[1:]))
    check(len(cells) == len(header) + 1, "table line '%s' has a cell per scenario" % cells[0])
check(header == names + [bad_name], "table columns: base, scenarios, invalid one", header)

WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
REASONS = ["NO_QUALIFIED_INSTRUCTOR", "NO_SUITABLE_ROOM", "NO_FEASIBLE_TIME",
           "RESOURCES_BUSY", "SOLVER_LIMIT", "PIN_BROKEN"]
TERMS = ["unplaced", "instructor_change", "room_change", "outside_preferred", "rhythm", "cost",
         "spread", "isolated", "over_capacity", "moved", "reassigned"]

def d(s):
    return date.fromisoformat(s)

def hm(s):
    h, m = s.split(":")
    return int(h) * 60 + int(m)

def utc(day, minute, tz):
    """Local wall time (date, minutes of day, 1440 allowed) to UTC minutes."""
    day = day + timedelta(days=minute // 1440)
    minute %= 1440
    t = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=tz)
    return int(t.timestamp()) // 60

def minutes_of(intervals):
    s = set()
    for a, b in intervals:
        s.update(range(a, b))
    return s

def unavailable(entity, tz):
    out = []
    for iv in entity.get("unavailable", []):
        if len(iv["from"]) == 10:
            out.append((utc(d(iv["from"]), 0, tz), utc(d(iv["to"]) + timedelta(days=1), 0, tz)))
        else:
            f, t = iv["from"], iv["to"]
            out.append((utc(d(f[:10]), hm(f[11:]), tz), utc(d(t[:10]), hm(t[11:]), tz)))
    return minutes_of(out)

def rfc(s):
    return int(datetime.fromisoformat(s).timestamp()) // 60

def expected(inp, cal, conf, base_inp, base_cal, is_base):
    e = {}
    c = inp["calendar"]
    tz = ZoneInfo(c.get("timezone", "UTC"))
    workdays = c.get("workdays", WEEK[:5])
    holidays = set(c.get("holidays", []))
    ds, de = hm(c.get("day_start", "09:00")), hm(c.get("day_end", "17:00"))
    study = []
    day = d(c["start"])
    while day <= d(c["end"]):
        if WEEK[day.weekday()] in workdays and day.isoformat() not in holidays:
            study.append(day)
        day += timedelta(days=1)
    study_min = minutes_of((utc(x, 0, tz), utc(x + timedelta(days=1), 0, tz)) for x in study)
    sessions = cal["sessions"]
    progs = {p["id"]: p for p in inp["programs"]}
    e["status"] = cal["status"]
    e["live sessions"] = sum(1 for co in inp["cohorts"] for m in progs[co["program"]]["modules"]
                             if m["kind"] == "live")
    e["placed"] = len(sessions)
    e["unplaced"] = len(conf["unplaced"])
    for r in REASONS:
        e["unplaced " + r] = sum(1 for u in conf["unplaced"] if u["reason"] == r)
    e["skipped optional"] = len(conf["skipped"])
    e["objective total"] = cal["objective"]["total"]
    for t in TERMS:
        e["objective " + t] = cal["objective"][t]
    dur = lambda s: rfc(s["end"]) - rfc(s["start"])
    used = avail = 0
    for ins in inp.get("instructors", []):
        itz = ZoneInfo(ins.get("timezone", c.get("timezone", "UTC")))
        wins = ins.get("available", [{"days": workdays, "from": c.get("day_start", "09:00"),
                                      "to": c.get("day_end", "17:00")}])
        iv = []
        day = d(c["start"]) - timedelta(days=1)
        while day <= d(c["end"]) + timedelta(days=1):
            for w in wins:
                if WEEK[day.weekday()] in w["days"]:
                    iv.append((utc(day, hm(w["from"]), itz), utc(day, hm(w["to"]), itz)))
            day += timedelta(days=1)
        avail += len((minutes_of(iv) & study_min) - unavailable(ins, itz))
        used += sum(dur(s) for s in sessions if ins["id"] in s["instructors"])
    e["instructor utilisation"] = "%.1f%%" % (100 * used / avail) if avail else "-"
    used = avail = 0
    windows = minutes_of((utc(x, ds, tz), utc(x, de, tz)) for x in study)
    for room in inp.get("rooms", []):
        avail += len(windows - unavailable(room, tz))
        used += sum(dur(s) for s in sessions if s["room"] == room["id"])
    e["room utilisation"] = "%.1f%%" % (100 * used / avail) if avail else "-"
    rcost = {r["id"]: r.get("cost_per_hour", 0) for r in inp.get("rooms", [])}
    icost = {i["id"]: i.get("cost_per_hour", 0) for i in inp.get("instructors", [])}
    e["cost"] = sum((rcost.get(s["room"], 0) + sum(icost[i] for i in s["instructors"]))
                    * dur(s) / 60 for s in sessions)
    if is_base:
        for k in ["moved vs base", "reassigned vs base", "added vs base", "removed vs base",
                  "learners affected"]:
            e[k] = "-"
        return e
    key = lambda s: (s["cohort"], s["module"])
    a = {key(s): s for s in base_cal["sessions"]}
    b = {key(s): s for s in sessions}
    def people(doc, cohort):
        for co in doc["cohorts"]:
            if co["id"] == cohort:
                ls = co.get("learners", [])
                return {("learner", x) for x in ls} if ls else {("cohort", cohort)}
        return set()
    moved = reass = added = removed = 0
    affected = set()
    for k in set(a) | set(b):
        if k not in b:
            removed += 1
            affected |= people(base_inp, k[0])
        elif k not in a:
            added += 1
            affected |= people(inp, k[0])
        elif rfc(a[k]["start"]) != rfc(b[k]["start"]):
            moved += 1
            affected |= people(base_inp, k[0]) | people(inp, k[0])
        elif a[k]["room"] != b[k]["room"] or sorted(a[k]["instructors"]) != sorted(b[k]["instructors"]):
            reass += 1
    e["moved vs base"], e["reassigned vs base"] = moved, reass
    e["added vs base"], e["removed vs base"] = added, removed
    e["learners affected"] = len(affected)
    return e

load = lambda p: json.load(open(p, encoding="utf-8"))
base_inp = load("%s/base-input.json" % solo)
base_cal = load("%s/base-calendar.json" % solo)
exp_all = {}
for n in names:
    inp = load("%s/%s-input.json" % (solo, n))
    cal = load("%s/%s-calendar.json" % (solo, n))
    conf = load("%s/%s-conflicts.json" % (solo, n))
    e = expected(inp, cal, conf, base_inp, base_cal, n == "base")
    exp_all[n] = e
    for label, want in e.items():
        got = table.get(label, {}).get(n)
        if isinstance(want, (int, float)) and not isinstance(want, bool) and got not in (None, "-"):
            good = abs(float(got) - want) < 1e-6
        else:
            good = str(got) == str(want)
        check(good, "%s: %s = %s" % (n, label, want), "table says %r" % got)
check(len(exp_all["base"]) == len(table), "every line of the table was checked",
      sorted(set(table) - set(exp_all["base"])))
bad = [v.get(bad_name) for v in table.values()]
check(table["status"].get(bad_name) == "invalid" and bad.count("-") == len(bad) - 1,
      "the invalid scenario's column: status invalid, every figure '-'")

# -- the scenarios do what they are for --
u = lambda n: exp_all[n]["unplaced"]
check(u("base") == 0, "the base places everything")
check(exp_all["bo-leaves"]["unplaced NO_QUALIFIED_INSTRUCTOR"] == 3,
      "removing bo (the only leadership instructor) leaves 3 sessions NO_QUALIFIED_INSTRUCTOR")
check(u("lab-closed") > 0, "closing the lab creates conflicts")
check(u("lab-closed-rental") < u("lab-closed"), "adding a rented lab resolves them",
      "%d vs %d" % (u("lab-closed-rental"), u("lab-closed")))
check(exp_all["lab-closed-rental"]["cost"] > 0, "the rented lab costs")

# -- comparison.json says what the table says --
doc = load("%s/comparison.json" % out_dir)
rows = {r["name"]: r for r in doc["scenarios"]}
check([r["name"] for r in doc["scenarios"]] == header, "comparison.json: one entry per column, in order")
for n in names:
    r = rows[n]
    e = exp_all[n]
    check(r["sessions"]["placed"] == e["placed"] and r["sessions"]["unplaced"] == e["unplaced"]
          and all(r["sessions"]["unplaced_by_reason"][x] == e["unplaced " + x] for x in REASONS),
          "comparison.json: %s sessions" % n)
    check(abs(r["cost"] - e["cost"]) < 1e-6, "comparison.json: %s cost" % n)
    for kind in ("instructors", "rooms"):
        blk = r["utilisation"][kind]
        check(sum(x["used_minutes"] for x in blk["by_id"]) == blk["used_minutes"]
              and sum(x["available_minutes"] for x in blk["by_id"]) == blk["available_minutes"],
              "comparison.json: %s %s totals add up" % (n, kind))
    if n == "base":
        check(r["against_base"] is None and r["base"] is True, "comparison.json: base has no against_base")
    else:
        ab = r["against_base"]
        check(ab["moved"] == e["moved vs base"] and ab["learners_affected"] == e["learners affected"]
              and ab["added"] + ab["moved"] + ab["reassigned"] + ab["unchanged"] == e["placed"],
              "comparison.json: %s against_base" % n, ab)
check(rows[bad_name]["status"] == "invalid" and rows[bad_name]["errors"]
      and "$.remove.instructors[0]" in rows[bad_name]["errors"][0],
      "comparison.json: the invalid scenario carries its errors")

from jsonschema import Draft202012Validator
schema = load("docs/schema/comparison.schema.json")
Draft202012Validator.check_schema(schema)
errs = list(Draft202012Validator(schema).iter_errors(doc))
check(not errs, "comparison.json validates against docs/schema/comparison.schema.json",
      "\n".join("%s: %s" % (list(x.absolute_path), x.message) for x in errs[:5]))
broken = json.loads(json.dumps(doc))
broken["scenarios"][0]["sessions"]["placed"] = -1
check(list(Draft202012Validator(schema).iter_errors(broken)), "the schema rejects a negative count")

for good, what, detail in results:
    print(("ok - " if good else "FAIL - ") + what)
    if not good and detail != "":
        print("#   " + str(detail)[:500])
EOF
"$PY" "$TMP/check.py" "$TMP/solo" "$TMP/c2" "$TMP/table2" unknown-instructor $VALID >"$TMP/py" 2>&1
cat "$TMP/py"
grep -q '^FAIL - ' "$TMP/py" && failures=$((failures + $(grep -c '^FAIL - ' "$TMP/py")))
grep -q '^ok - ' "$TMP/py" || fail "the figure checker ran"

# ---- exit statuses ----
run compare "$BASE" $SC/ana-leaves.json --out-dir "$TMP/c0" -q
if [ "$rc" -eq 0 ] && [ -f "$TMP/c0/ana-leaves/calendar.json" ]; then
    ok "every scenario valid and complete: exit 0"
else
    fail "every scenario valid and complete: exit 0 (got $rc)"
fi
cp "$TMP/out" "$TMP/table0"
# two solves and four threads: each solve gets two of its own (nested)
run compare "$BASE" $SC/ana-leaves.json --out-dir "$TMP/c4" -q --threads 4
if [ "$rc" -eq 0 ] && cmp -s "$TMP/out" "$TMP/table0" && diff -r "$TMP/c0" "$TMP/c4" >/dev/null; then
    ok "--threads 4 for two solves (nested parallelism): the same bytes"
else
    fail "--threads 4 for two solves (nested parallelism): the same bytes (rc $rc)"
fi
run compare "$BASE" $SC/bo-leaves.json $SC/bo-leaves.json --out-dir "$TMP/dup"
if [ "$rc" -eq 2 ] && [ ! -e "$TMP/dup" ] && has_err "both name the scenario 'bo-leaves'"; then
    ok "two scenarios with one name: usage error, nothing written"
else
    fail "two scenarios with one name: usage error, nothing written (rc $rc)"
fi
printf '{"format": "blendsched-scenario/1", "name": "base"}' >"$TMP/named-base.json"
run compare "$BASE" "$TMP/named-base.json" --out-dir "$TMP/dup2"
if [ "$rc" -eq 2 ] && [ ! -e "$TMP/dup2" ]; then ok "a scenario named 'base': usage error"; else fail "a scenario named 'base': usage error (rc $rc)"; fi
run compare fixtures/invalid/cohort-unknown-program.json $SC/bo-leaves.json --out-dir "$TMP/badbase"
if [ "$rc" -eq 2 ] && [ ! -e "$TMP/badbase" ] && has_err "fixtures/invalid/cohort-unknown-program.json: \$.cohorts[0].program"; then
    ok "invalid base: exit 2, its errors, nothing written"
else
    fail "invalid base: exit 2, its errors, nothing written (rc $rc)"
fi
run compare "$BASE" --out-dir "$TMP/none"
if [ "$rc" -eq 2 ] && has_err "Try 'blendsched compare --help'"; then ok "no scenario: usage error"; else fail "no scenario: usage error (rc $rc)"; fi
run compare "$BASE" "$TMP/does-not-exist.json" --out-dir "$TMP/missing" -q
if [ "$rc" -eq 1 ] && grep -q '"status": "invalid"' "$TMP/missing/comparison.json" &&
    has_err "does-not-exist.json"; then
    ok "a scenario file that cannot be read is an invalid row"
else
    fail "a scenario file that cannot be read is an invalid row (rc $rc)"
fi
run compare "$BASE" $SC/bo-leaves.json --threads 0
if [ "$rc" -eq 2 ]; then ok "--threads 0: usage error"; else fail "--threads 0: usage error (rc $rc)"; fi
run compare --help
if [ "$rc" -eq 0 ] && grep -q -- "--out-dir" "$TMP/out" && grep -q "Exit status" "$TMP/out"; then
    ok "compare --help"
else
    fail "compare --help"
fi

# ---- scenario apply and the invalid corpus ----
run scenario apply "$BASE" $SC/every-operation.json
if [ "$rc" -eq 0 ] && "$PY" - "$TMP/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
ids = lambda k: [x["id"] for x in d[k]]
assert ids("rooms") == ["ber-lab1", "zoom-a"], ids("rooms")
assert ids("instructors") == ["ana", "bo", "dee"], ids("instructors")
assert ids("learners") == ["l1", "l3", "l4", "l5", "l6"], ids("learners")
c = {x["id"]: x for x in d["cohorts"]}
assert c["k8s-ber-1"]["learners"] == ["l1", "l3", "l6"] and "preferred" not in c["k8s-ber-1"]
assert c["k8s-ber-2"]["end"] == "2027-03-26"
assert "max_minutes_per_week" not in d["instructors"][0]
assert d["calendar"]["holidays"] == ["2027-01-06", "2027-02-15"]
assert d["objective"] == {"instructor_change": 50, "room_change": 20, "cost": 1, "x-why": "cost now counts"}
assert d["fixed"] == [{"cohort": "k8s-ber-2", "module": "lab-1", "instructors": ["dee"]}]
EOF
then
    ok "scenario apply: remove, add and set on every kind"
else
    fail "scenario apply: remove, add and set on every kind (rc $rc)"
fi
n=0
for f in $SC/invalid/*.json; do
    p=${f%.json}.path
    [ -f "$p" ] || { fail "$f has no .path"; continue; }
    want=$(head -n 1 "$p")
    case "$want" in
    'applied '*) needle="$f (applied to $BASE): ${want#applied }: " ;;
    '$'*) needle="$f: $want: " ;;
    *) needle="$f:$want: " ;;
    esac
    run scenario apply "$BASE" "$f" -o "$TMP/never.json"
    n=$((n + 1))
    if [ "$rc" -ne 2 ]; then
        fail "$f: exit $rc, want 2"
    elif [ -e "$TMP/never.json" ] || [ -s "$TMP/out" ]; then
        fail "$f: something was written"
    elif ! has_err "$needle"; then
        fail "$f: stderr lacks '$needle'"
    else
        ok "$f names $want"
    fi
done
[ "$n" -ge 20 ] || fail "the invalid corpus has at least 20 files (found $n)"
run scenario apply "$BASE"
if [ "$rc" -eq 2 ]; then ok "scenario apply without SCENARIO: usage error"; else fail "scenario apply without SCENARIO: usage error"; fi
run scenario frobnicate "$BASE" $SC/bo-leaves.json
if [ "$rc" -eq 2 ]; then ok "scenario with an unknown action: usage error"; else fail "scenario with an unknown action: usage error"; fi

[ "$failures" -eq 0 ]
