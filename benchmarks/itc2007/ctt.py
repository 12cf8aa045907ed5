#!/usr/bin/python3
"""ITC-2007 curriculum-based course timetabling (.ctt) <-> blendsched.

Owns the mapping of benchmarks/itc2007/README.md: an instance file becomes a
blendsched/1 input whose objective, for a complete calendar, equals the UD2
soft cost, and a blendsched calendar of that input becomes an ITC solution
file (`course room day period`). Standard library only.

Usage:
    ctt.py convert INSTANCE.ctt OUT.json
    ctt.py solution INSTANCE.ctt CALENDAR.json OUT.sol

Exit status: 0 done, 2 unreadable or unmappable input (nothing written).
"""

import datetime
import json
import os
import re
import sys

# The week the instance is laid on: Monday 2027-01-04 (a date with no
# daylight-saving change near it; the calendar is in UTC anyway).
WEEK_START = datetime.date(2027, 1, 4)
DAY_START_HOUR = 8
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SITE = "campus"
# FORMAT.md identifiers; ITC ids are alphanumeric, but say so if not.
IDENT = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class CttError(Exception):
    pass


def read_ctt(path):
    """Parse a .ctt file by whitespace tokens (copies differ in tabs and
    trailing spaces). Returns a dict with header, courses (in file order),
    rooms, curricula and unavailability."""
    inst = {"header": {}, "courses": [], "rooms": [], "curricula": [], "unavailable": []}
    section = None
    try:
        fh = open(path, encoding="utf-8")
    except OSError as e:
        raise CttError("%s: %s" % (path, e.strerror))
    with fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.strip()
            if not line:
                continue
            if line == "END.":
                break
            if line in ("COURSES:", "ROOMS:", "CURRICULA:", "UNAVAILABILITY_CONSTRAINTS:",
                        "ROOM_CONSTRAINTS:"):
                section = line
                continue
            tok = line.split()

            def num(t, what):
                if not re.fullmatch(r"[0-9]+", t):
                    raise CttError("%s:%d: %s is not a non-negative integer: %r"
                                   % (path, lineno, what, t))
                return int(t)

            if section is None:
                key, sep, value = line.partition(":")
                if not sep:
                    raise CttError("%s:%d: expected 'Key: value'" % (path, lineno))
                inst["header"][key.strip()] = value.strip()
            elif section == "COURSES:":
                if len(tok) != 5:
                    raise CttError("%s:%d: a course line has 5 fields" % (path, lineno))
                inst["courses"].append({
                    "id": tok[0], "teacher": tok[1], "lectures": num(tok[2], "#Lectures"),
                    "min_days": num(tok[3], "MinWorkingDays"), "students": num(tok[4], "#Students"),
                    "line": lineno})
            elif section == "ROOMS:":
                if len(tok) != 2:
                    raise CttError("%s:%d: a room line has 2 fields" % (path, lineno))
                inst["rooms"].append({"id": tok[0], "capacity": num(tok[1], "capacity"),
                                      "line": lineno})
            elif section == "CURRICULA:":
                if len(tok) < 2 or len(tok) != 2 + num(tok[1], "#Courses"):
                    raise CttError("%s:%d: a curriculum lists as many courses as it declares"
                                   % (path, lineno))
                inst["curricula"].append({"id": tok[0], "courses": tok[2:], "line": lineno})
            elif section == "UNAVAILABILITY_CONSTRAINTS:":
                if len(tok) != 3:
                    raise CttError("%s:%d: an unavailability line has 3 fields" % (path, lineno))
                inst["unavailable"].append((tok[0], num(tok[1], "day"), num(tok[2], "period"),
                                            lineno))
            # ROOM_CONSTRAINTS (.ectt) are not part of UD2: ignored.
    h = inst["header"]
    for key in ("Days", "Periods_per_day"):
        if not re.fullmatch(r"[0-9]+", h.get(key, "")):
            raise CttError("%s: the header needs an integer %s" % (path, key))
    inst["days"], inst["ppd"] = int(h["Days"]), int(h["Periods_per_day"])
    if not 1 <= inst["days"] <= 7:
        raise CttError("%s: Days must be 1..7 (one week), not %d" % (path, inst["days"]))
    if not 1 <= inst["ppd"] <= 16:
        raise CttError("%s: Periods_per_day must be 1..16 (08:00 to midnight), not %d"
                       % (path, inst["ppd"]))
    check_ids(path, inst)
    return inst


def check_ids(path, inst):
    for kind, items in (("course", inst["courses"]), ("room", inst["rooms"]),
                        ("curriculum", inst["curricula"])):
        seen = set()
        for it in items:
            if not IDENT.match(it["id"]):
                raise CttError("%s:%d: %s id %r is not a blendsched identifier"
                               % (path, it["line"], kind, it["id"]))
            if it["id"] in seen:
                raise CttError("%s:%d: duplicate %s %s" % (path, it["line"], kind, it["id"]))
            seen.add(it["id"])
    courses = {c["id"] for c in inst["courses"]}
    for c in inst["courses"]:
        if not IDENT.match(c["teacher"]):
            raise CttError("%s:%d: teacher id %r is not a blendsched identifier"
                           % (path, c["line"], c["teacher"]))
        if c["lectures"] < 1:
            raise CttError("%s:%d: course %s has no lecture" % (path, c["line"], c["id"]))
    for r in inst["rooms"]:
        if r["capacity"] < 1:
            raise CttError("%s:%d: room %s has capacity 0" % (path, r["line"], r["id"]))
    for q in inst["curricula"]:
        for c in q["courses"]:
            if c not in courses:
                raise CttError("%s:%d: curriculum %s names unknown course %s"
                               % (path, q["line"], q["id"], c))
        if len(set(q["courses"])) != len(q["courses"]):
            raise CttError("%s:%d: curriculum %s lists a course twice" % (path, q["line"], q["id"]))
    for (c, d, s, lineno) in inst["unavailable"]:
        if c not in courses or d >= inst["days"] or s >= inst["ppd"]:
            raise CttError("%s:%d: unavailability %s %d %d is out of range" % (path, lineno, c, d, s))


def local(day, hour):
    return "%sT%02d:00" % ((WEEK_START + datetime.timedelta(days=day)).isoformat(), hour)


def convert(inst, path):
    """The blendsched/1 input of README.md's mapping, and warnings where the
    objective of a complete calendar would differ from the UD2 cost."""
    warnings = []
    days, ppd = inst["days"], inst["ppd"]
    first, last = WEEK_START, WEEK_START + datetime.timedelta(days=days - 1)
    curricula_of = {c["id"]: [] for c in inst["courses"]}
    for q in inst["curricula"]:
        for c in q["courses"]:
            curricula_of[c].append(q["id"])
    unavailable = {c["id"]: [] for c in inst["courses"]}
    for (c, d, s, _) in sorted(set(inst["unavailable"]), key=lambda u: (u[0], u[1], u[2])):
        unavailable[c].append({"from": local(d, DAY_START_HOUR + s),
                               "to": local(d, DAY_START_HOUR + s + 1)})
    programs, cohorts = [], []
    for c in inst["courses"]:
        programs.append({
            "id": c["id"], "model": "flex", "ordered": False,
            "modules": [{"id": "L%d" % (k + 1), "kind": "live", "duration_minutes": 60,
                         "mode": "in_person"} for k in range(c["lectures"])]})
        learners = curricula_of[c["id"]]
        size = c["students"]
        if size < max(1, len(learners)):
            # FORMAT.md: size is at least the learners listed (and >= 1).
            warnings.append("course %s: %d students but %d curricula: size raised to %d, "
                            "RoomCapacity may differ from over_capacity"
                            % (c["id"], size, len(learners), max(1, len(learners))))
            size = max(1, len(learners))
        if not learners:
            # A cohort without learners counts as one learner for `isolated`;
            # UD2 judges isolation only per curriculum.
            warnings.append("course %s is in no curriculum: blendsched counts its isolated "
                            "lectures (x2), UD2 does not" % c["id"])
        cohort = {"id": c["id"], "program": c["id"], "start": first.isoformat(),
                  "end": last.isoformat(), "site": SITE, "size": size,
                  "instructors": [c["teacher"]], "min_days": c["min_days"]}
        if learners:
            cohort["learners"] = learners
        if unavailable[c["id"]]:
            cohort["unavailable"] = unavailable[c["id"]]
        cohorts.append(cohort)
    teachers = []
    for c in inst["courses"]:
        if c["teacher"] not in teachers:
            teachers.append(c["teacher"])
    doc = {
        "format": "blendsched/1",
        "x-itc2007": {"name": inst["header"].get("Name", ""), "source": os.path.basename(path)},
        "calendar": {"start": first.isoformat(), "end": last.isoformat(), "timezone": "UTC",
                     "slot_minutes": 60, "workdays": list(WEEKDAYS[:days]),
                     "day_start": "%02d:00" % DAY_START_HOUR,
                     "day_end": "%02d:00" % (DAY_START_HOUR + ppd)},
        "rooms": [{"id": r["id"], "site": SITE, "capacity": r["capacity"]} for r in inst["rooms"]],
        "instructors": [{"id": t, "sites": [SITE]} for t in teachers],
        "programs": programs,
        "cohorts": cohorts,
        "learners": [{"id": q["id"]} for q in inst["curricula"]],
        "objective": {"unplaced": 10000, "instructor_change": 0, "room_change": 1,
                      "outside_preferred": 0, "rhythm": 0, "cost": 0, "spread": 5,
                      "isolated": 2, "over_capacity": 1},
    }
    return doc, warnings


START_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):00(Z|[+-]00:00)$")


def solution(inst, cal_path):
    """The .sol lines of a blendsched calendar of the converted instance."""
    try:
        with open(cal_path, encoding="utf-8") as fh:
            cal = json.load(fh)
    except (OSError, ValueError) as e:
        raise CttError("%s: %s" % (cal_path, e))
    courses = {c["id"] for c in inst["courses"]}
    rooms = {r["id"] for r in inst["rooms"]}
    lines = []
    for k, s in enumerate(cal.get("sessions", [])):
        where = "%s: $.sessions[%d]" % (cal_path, k)
        m = START_RE.match(str(s.get("start", "")))
        if not m or s.get("cohort") not in courses or s.get("room") not in rooms:
            raise CttError("%s: not a session of the converted instance" % where)
        day = (datetime.date.fromisoformat(m.group(1)) - WEEK_START).days
        period = int(m.group(2)) - DAY_START_HOUR
        if m.group(3) != "00" or not (0 <= day < inst["days"] and 0 <= period < inst["ppd"]):
            raise CttError("%s: start %s is off the instance's grid" % (where, s["start"]))
        lines.append("%s %s %d %d" % (s["cohort"], s["room"], day, period))
    return lines


def write_atomic(path, text):
    tmp = "%s.tmp%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv):
    try:
        if len(argv) == 4 and argv[1] == "convert":
            inst = read_ctt(argv[2])
            doc, warnings = convert(inst, argv[2])
            for w in warnings:
                sys.stderr.write("ctt.py: warning: %s: %s\n" % (argv[2], w))
            write_atomic(argv[3], json.dumps(doc, indent=1) + "\n")
            return 0
        if len(argv) == 5 and argv[1] == "solution":
            inst = read_ctt(argv[2])
            lines = solution(inst, argv[3])
            write_atomic(argv[4], "".join(l + "\n" for l in lines))
            return 0
    except CttError as e:
        sys.stderr.write("ctt.py: error: %s\n" % e)
        return 2
    except OSError as e:
        sys.stderr.write("ctt.py: error: %s\n" % e)
        return 2
    sys.stderr.write("usage: ctt.py convert INSTANCE.ctt OUT.json\n"
                     "       ctt.py solution INSTANCE.ctt CALENDAR.json OUT.sol\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
