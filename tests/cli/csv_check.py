#!/usr/bin/python3
"""@file csv_check.py
@brief Checks a CSV table written by `blendsched export --csv` against the
       input, the calendar JSON and (optionally) the conflict report.

Usage: csv_check.py INPUT CALENDAR CSV [CONFLICTS]
Prints `ok - ...` / `FAIL - ...` lines (failures one by one, passes
counted); exits 0 when it ran.

Checks: RFC 4180 form (CRLF record ends, parses with the csv module, the
documented header, every record as wide as the header); one row per live
session of the input (placed rows in the calendar's order, then the
unplaced); each placed row's times (UTC and local in the calendar's zone),
room and instructors (in input order) equal the calendar's; unplaced rows carry the conflict
report's reason; every text cell equals the input's string exactly, with an
apostrophe in front where it begins with = + - @ TAB or CR, and no cell
begins with one of those.
"""
import csv
import datetime as dt
import io
import json
import sys
from zoneinfo import ZoneInfo

COLUMNS = ["status", "cohort", "cohort_name", "program", "module", "title", "mode", "date",
           "start_local", "end_local", "timezone", "start_utc", "end_utc", "duration_minutes",
           "site", "room", "room_name", "instructors", "instructor_names", "learners", "size",
           "change", "reason", "reason_message"]
results = []


def check(cond, what, detail=""):
    results.append((bool(cond), what, detail))
    return bool(cond)


def neutral(s):
    return "'" + s if s and s[0] in "=+-@\t\r" else s


def main():
    inp = json.load(open(sys.argv[1], encoding="utf-8"))
    cal = json.load(open(sys.argv[2], encoding="utf-8"))
    raw = open(sys.argv[3], "rb").read()
    conf = json.load(open(sys.argv[4], encoding="utf-8")) if len(sys.argv) > 4 else None
    zone = ZoneInfo(inp["calendar"].get("timezone", "UTC"))
    programs = {p["id"]: p for p in inp["programs"]}
    cohorts = {c["id"]: c for c in inp["cohorts"]}
    rooms = {r["id"]: r for r in inp.get("rooms", [])}
    instructors = {i["id"]: i for i in inp.get("instructors", [])}

    check(raw.endswith(b"\r\n"), "CSV ends with CRLF")
    text = raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    # a record end outside quotes is always CRLF: no bare LF between records
    check(text.count("\r\n") >= len(rows), "CSV records end in CRLF")
    check(rows and rows[0] == COLUMNS, "CSV header is the documented one", repr(rows[:1]))
    body = [dict(zip(COLUMNS, r)) for r in rows[1:]]
    check(all(len(r) == len(COLUMNS) for r in rows), "every CSV record has %d fields" % len(COLUMNS))

    live = [(c["id"], m["id"]) for c in inp["cohorts"]
            for m in programs[c["program"]]["modules"] if m["kind"] == "live"]
    check(len(body) == len(live), "one CSV row per live session (%d)" % len(live),
          "got %d" % len(body))
    placed = [r for r in body if r["status"] == "placed"]
    sess = cal["sessions"]
    check([(r["cohort"], r["module"]) for r in placed] == [(s["cohort"], s["module"]) for s in sess],
          "placed rows are the calendar's sessions in its order")
    reasons = {(u["cohort"], u["module"]): u for u in (conf or {}).get("unplaced", [])}

    order = {i["id"]: k for k, i in enumerate(inp.get("instructors", []))}
    for r, s in zip(placed, sess):
        key = "%s/%s" % (s["cohort"], s["module"])
        team = sorted(s["instructors"], key=lambda i: order[i])  # input order
        start = dt.datetime.fromisoformat(s["start"])
        end = dt.datetime.fromisoformat(s["end"])
        utc = dt.timezone.utc
        want = {
            "start_utc": start.astimezone(utc).strftime("%Y-%m-%dT%H:%M:00Z"),
            "end_utc": end.astimezone(utc).strftime("%Y-%m-%dT%H:%M:00Z"),
            "start_local": start.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "end_local": end.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "date": start.astimezone(zone).strftime("%Y-%m-%d"),
            "duration_minutes": str(int((end - start).total_seconds() // 60)),
            "room": s["room"] or "",
            "room_name": neutral(rooms[s["room"]].get("name", "")) if s["room"] else "",
            "instructors": neutral("; ".join(team)),
            "instructor_names": neutral("; ".join(instructors[i].get("name", "") for i in team)),
        }
        bad = {k: (r[k], v) for k, v in want.items() if r[k] != v}
        check(not bad, "CSV row %s matches the calendar" % key, repr(bad))

    for r in body:
        key = (r["cohort"], r["module"])
        c = cohorts[r["cohort"]]
        m = next(x for x in programs[c["program"]]["modules"] if x["id"] == r["module"])
        want = {
            "cohort_name": neutral(c.get("name", "")),
            "program": c["program"],
            "title": neutral(m.get("title", "")),
            "mode": m["mode"],
            "learners": neutral("; ".join(c.get("learners", []))),
        }
        if r["status"] != "placed" and conf is not None:
            u = reasons.get(key)
            want["status"] = "unplaced" if u else "skipped"
            want["reason"] = u["reason"] if u else ""
            want["reason_message"] = neutral(u["message"]) if u else ""
        bad = {k: (r[k], v) for k, v in want.items() if r[k] != v}
        check(not bad, "CSV row %s/%s: text cells round-trip" % key, repr(bad))
        risky = [k for k, v in r.items() if v and v[0] in "=+-@\t\r"]
        check(not risky, "CSV row %s/%s: no cell starts a formula" % key, repr(risky))


if __name__ == "__main__":
    main()
    for ok, what, detail in results:
        if not ok:
            print("FAIL - %s%s" % (what, (": " + detail) if detail else ""))
    passed = sum(1 for r in results if r[0])
    print("ok - CSV: %d checks passed" % passed if passed else "FAIL - no CSV checks ran")
