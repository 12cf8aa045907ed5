"""Expectation checker of the end-to-end solve tests (tests/cli/solve.sh,
tests/cli/replan.sh): `solve_check.py NAME EXPECTED CALENDAR CONFLICTS`
prints one `ok - ` / `FAIL - ` line per key of EXPECTED
(fixtures/solve/README.md and fixtures/replan/README.md list the keys)."""
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

# re-planning: change counts, marks, which sessions may change
if "changes" in exp:
    check(cal.get("changes") == exp["changes"], "changes %s" % json.dumps(exp["changes"]),
          "got %s" % json.dumps(cal.get("changes")))
for label, mark in exp.get("marks", {}).items():
    s = by_key.get(tuple(label.split("/", 1)))
    check(s is not None and "change" in s and s["change"] == mark,
          "%s marked %s" % (label, json.dumps(mark)),
          "got %s" % json.dumps(s.get("change") if s else "not placed"))
if "changed_only" in exp:
    allowed = {tuple(x.split("/", 1)) for x in exp["changed_only"]}
    stray = sorted("%s/%s" % key(s) for s in sessions
                   if s.get("change") is not None and key(s) not in allowed)
    check(not stray, "only %s change" % ", ".join(exp["changed_only"]),
          "also changed: %r" % stray)
if "max_changed" in exp:
    n = sum(1 for s in sessions if s.get("change") in ("moved", "reassigned"))
    check(n <= exp["max_changed"], "at most %d sessions moved or reassigned" % exp["max_changed"],
          "got %d" % n)
for code, text in exp.get("warning_messages", {}).items():
    check(any(w.get("code") == code and text in w.get("message", "")
              for w in conf.get("warnings", [])),
          "warning %s says '%s'" % (code, text), "got %r" % conf.get("warnings"))

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
