#!/usr/bin/python3
"""@file ics_check.py
@brief Checks a directory written by `blendsched export --ics` against the
       input and the calendar JSON it came from, with Debian's
       python3-icalendar as the parser and zoneinfo (the system tzdata) as
       the reference for time zones.

Usage: ics_check.py INPUT CALENDAR DIR [UID_DOMAIN]
Prints one `ok - ...` or `FAIL - ...` line per check; exits 0 (the caller
counts FAIL lines), 2 when it cannot run at all.

What it checks, per file (one per instructor, cohort, room and learner,
and no other file):
- RFC 5545 form: CRLF line ends only, physical lines of at most 75 octets,
  continuation lines start with a space, every physical line is whole UTF-8
  (a fold never splits a character), no control characters, BEGIN/END
  nested, VERSION 2.0 and PRODID;
- it parses with icalendar; every VEVENT has UID, DTSTAMP, DTSTART;
- the events are exactly the sessions the entity attends (UID
  COHORT/MODULE@DOMAIN) plus, for cohorts and learners, the self-paced due
  dates (COHORT/MODULE/due@DOMAIN, all-day, learners without the modules
  they completed); due dates are recomputed here from FORMAT.md's rule
  (and compared with the calendar's `self_paced` list when it has one);
- each session's DTSTART/DTEND, as icalendar decodes them, is the
  calendar's start/end instant; times carry TZID of the entity's own zone
  (UTC zones use 'Z'), and every TZID has a VTIMEZONE;
- computing the instant from the file's own VTIMEZONE gives the same
  instant (the VTIMEZONE is right, not just the TZID name);
- every VTIMEZONE observance agrees with zoneinfo: the offsets before and
  after its onset, and DAYLIGHT exactly where tzdata says DST;
- SUMMARY and X-WR-CALNAME decode back to the input's exact strings
  (escaping round-trips markup, quotes, ',', ';', '\\' and line breaks).
"""
import datetime as dt
import json
import os
import sys

try:
    import icalendar
    from zoneinfo import ZoneInfo
except ImportError as e:  # the Makefile's deps target installs them
    print("FAIL - ics_check.py needs python3-icalendar and zoneinfo: %s" % e)
    sys.exit(2)

UTC = dt.timezone.utc
results = []


def check(cond, what, detail=""):
    results.append((bool(cond), what, detail))
    return bool(cond)


def rfc3339(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def main():
    inp_path, cal_path, folder = sys.argv[1:4]
    domain = sys.argv[4] if len(sys.argv) > 4 else "blendsched"
    inp = json.load(open(inp_path, encoding="utf-8"))
    cal = json.load(open(cal_path, encoding="utf-8"))
    cal_zone = inp["calendar"].get("timezone", "UTC")
    programs = {p["id"]: p for p in inp["programs"]}
    cohorts = {c["id"]: c for c in inp["cohorts"]}

    def module(cohort, mid):
        for m in programs[cohorts[cohort]["program"]]["modules"]:
            if m["id"] == mid:
                return m
        raise KeyError(mid)

    def learner_zone(le):
        if "timezone" in le:
            return le["timezone"]
        for c in inp["cohorts"]:
            if le["id"] in c.get("learners", []):
                return c.get("timezone", cal_zone)
        return cal_zone

    sessions = cal["sessions"]
    dues = due_dates(inp, programs, sessions)
    listed = {(d["cohort"], d["module"]): d["due"] for d in cal.get("self_paced", [])}
    if listed:
        mismatch = [d for d in dues if listed.get((d["cohort"], d["module"])) is None or
                    rfc3339(listed[(d["cohort"], d["module"])]) != rfc3339(d["due"])]
        extra = [k for k, v in listed.items() if v and k not in
                 {(d["cohort"], d["module"]) for d in dues}]
        check(not mismatch and not extra, "due dates recomputed here match the calendar's "
              "self_paced list", repr((mismatch[:2], extra[:2])))
    entities = []  # (file name, kind, entity, zone, sessions, dues)
    for i in inp.get("instructors", []):
        entities.append(("instructor-%s.ics" % i["id"], "Instructor", i,
                         i.get("timezone", cal_zone),
                         [s for s in sessions if i["id"] in s["instructors"]], []))
    for c in inp["cohorts"]:
        entities.append(("cohort-%s.ics" % c["id"], "Cohort", c, c.get("timezone", cal_zone),
                         [s for s in sessions if s["cohort"] == c["id"]],
                         [d for d in dues if d["cohort"] == c["id"]]))
    for r in inp.get("rooms", []):
        entities.append(("room-%s.ics" % r["id"], "Room", r, cal_zone,
                         [s for s in sessions if s["room"] == r["id"]], []))
    for le in inp.get("learners", []):
        mine = [c["id"] for c in inp["cohorts"] if le["id"] in c.get("learners", [])]
        done = set(le.get("completed", []))
        entities.append(("learner-%s.ics" % le["id"], "Learner", le, learner_zone(le),
                         [s for s in sessions if s["cohort"] in mine],
                         [d for d in dues if d["cohort"] in mine and
                          "%s/%s" % (cohorts[d["cohort"]]["program"], d["module"]) not in done]))

    present = sorted(f for f in os.listdir(folder))
    check(present == sorted(e[0] for e in entities),
          "one file per instructor, cohort, room and learner (%d)" % len(entities),
          "got %s" % present)
    for e in entities:
        path = os.path.join(folder, e[0])
        if not check(os.path.exists(path), "%s exists" % e[0]):
            continue
        check_file(path, e, module, cohorts, domain)


def due_dates(inp, programs, sessions):
    """FORMAT.md's `due`, computed here from the sessions alone: for each
    cohort and self-paced module, the start of the earliest placed live
    session whose `requires` reach the module through self-paced modules
    only. Returns [{cohort, module, due}] for the modules that have one."""
    start = {(s["cohort"], s["module"]): rfc3339(s["start"]) for s in sessions}
    out = []
    for c in inp["cohorts"]:
        mods = {m["id"]: m for m in programs[c["program"]]["modules"]}
        due = {}
        for b in mods.values():
            if b["kind"] != "live" or (c["id"], b["id"]) not in start:
                continue
            seen, todo = set(), list(b.get("requires", []))
            while todo:
                a = todo.pop()
                if a in seen or mods[a]["kind"] != "self_paced":
                    continue
                seen.add(a)
                todo.extend(mods[a].get("requires", []))
            t = start[(c["id"], b["id"])]
            for a in seen:
                if a not in due or t < due[a]:
                    due[a] = t
        for m in programs[c["program"]]["modules"]:
            if m["id"] in due:
                out.append({"cohort": c["id"], "module": m["id"],
                            "due": due[m["id"]].isoformat()})
    return out


def label(ent, key="name"):
    return "%s (%s)" % (ent[key], ent["id"]) if ent.get(key) else ent["id"]


def check_form(name, data):
    """RFC 5545 3.1 line form. Returns the unfolded content lines."""
    check(data.endswith(b"\r\n"), "%s: ends with CRLF" % name)
    phys = data.split(b"\r\n")[:-1]
    bare = [i for i, l in enumerate(phys) if b"\n" in l or b"\r" in l]
    check(not bare, "%s: every line ends in CRLF" % name, "bare CR/LF in lines %s" % bare[:3])
    long = [i for i, l in enumerate(phys) if len(l) > 75]
    check(not long, "%s: physical lines <= 75 octets" % name,
          "lines %s: %s" % (long[:3], [len(phys[i]) for i in long[:3]]))
    split = []
    for i, l in enumerate(phys):
        try:
            l.decode("utf-8", "strict")
        except UnicodeDecodeError:
            split.append(i)
    check(not split, "%s: no fold splits a UTF-8 sequence" % name, "lines %s" % split[:3])
    unfolded = []
    for l in phys:
        if l.startswith(b" ") or l.startswith(b"\t"):
            if not check(unfolded, "%s: first line is not a continuation" % name):
                return []
            unfolded[-1] += l[1:]
        else:
            unfolded.append(l)
    text = [l.decode("utf-8", "replace") for l in unfolded]
    ctrl = [l for l in text if any((ord(ch) < 32 and ch != "\t") or ord(ch) == 127 for ch in l)]
    check(not ctrl, "%s: no control characters in values" % name, repr(ctrl[:2]))
    stack, nesting_ok = [], True
    for l in text:
        if l.startswith("BEGIN:"):
            stack.append(l[6:])
        elif l.startswith("END:"):
            nesting_ok = nesting_ok and bool(stack) and stack.pop() == l[4:]
    check(nesting_ok and not stack and text[:1] == ["BEGIN:VCALENDAR"],
          "%s: BEGIN/END nest, one VCALENDAR" % name)
    return text


def observances(vtz):
    """[(onset_utc, from_offset, to_offset, kind)] of a VTIMEZONE."""
    out = []
    for sub in vtz.subcomponents:
        start = sub.get("DTSTART").dt  # naive local time in the FROM offset
        frm = sub.get("TZOFFSETFROM").td
        to = sub.get("TZOFFSETTO").td
        out.append(((start - frm).replace(tzinfo=UTC), frm, to, sub.name))
    return sorted(out, key=lambda o: o[0])


def offset_from_vtimezone(obs, local):
    """The UTC instant of naive local time `local` under observances obs:
    the latest observance whose onset is at or before the instant."""
    cands = []
    for onset, _, to, _ in obs:
        inst = (local - to).replace(tzinfo=UTC)
        applicable = [o for o in obs if o[0] <= inst]
        if applicable and applicable[-1][2] == to:
            cands.append(inst)
    return min(cands) if cands else None


def check_vtimezones(name, cal):
    found = {}
    for vtz in cal.walk("VTIMEZONE"):
        tzid = str(vtz.get("TZID"))
        found[tzid] = observances(vtz)
        zi = ZoneInfo(tzid)
        bad = []
        for onset, frm, to, kind in found[tzid]:
            after = onset.astimezone(zi)
            if after.utcoffset() != to:
                bad.append("%s: offset after onset %s, file says %s" % (onset, after.utcoffset(), to))
            if frm != to:
                before = (onset - dt.timedelta(minutes=1)).astimezone(zi)
                if before.utcoffset() != frm:
                    bad.append("%s: offset before onset %s, file says %s"
                               % (onset, before.utcoffset(), frm))
            is_dst = bool(after.dst())
            if is_dst != (kind == "DAYLIGHT"):
                bad.append("%s: %s but tzdata dst=%s" % (onset, kind, after.dst()))
        check(found[tzid] and not bad, "%s: VTIMEZONE %s agrees with tzdata (%d observances)"
              % (name, tzid, len(found[tzid])), "; ".join(bad[:3]))
    return found


def check_file(path, ent, module, cohorts, domain):
    fname, kind, entity, zone, sess, dues = ent
    data = open(path, "rb").read()
    text = check_form(fname, data)
    if not text:
        return
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as e:  # noqa: BLE001 - any parser failure is the finding
        check(False, "%s: parses with icalendar" % fname, repr(e))
        return
    check(True, "%s: parses with icalendar" % fname)
    check(str(cal.get("VERSION")) == "2.0" and cal.get("PRODID"),
          "%s: VERSION 2.0 and PRODID" % fname)
    want_title = "%s %s" % (kind, label(entity))
    check(str(cal.get("X-WR-CALNAME")) == want_title, "%s: X-WR-CALNAME round-trips" % fname,
          "%r != %r" % (str(cal.get("X-WR-CALNAME")), want_title))
    vtz = check_vtimezones(fname, cal)
    zi = ZoneInfo(zone)

    events = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev.get("UID"))
        check(uid not in events, "%s: UID %s is unique in the file" % (fname, uid))
        events[uid] = ev
        check(ev.get("DTSTAMP") is not None and ev.get("DTSTART") is not None,
              "%s: %s has DTSTAMP and DTSTART" % (fname, uid))

    want = {}
    for s in sess:
        want["%s/%s@%s" % (s["cohort"], s["module"], domain)] = ("session", s)
    for d in dues:
        want["%s/%s/due@%s" % (d["cohort"], d["module"], domain)] = ("due", d)
    check(sorted(events) == sorted(want), "%s: events are exactly the %d sessions and %d due "
          "dates" % (fname, len(sess), len(dues)),
          "got %s, want %s" % (sorted(events), sorted(want)))

    for uid, (what, item) in sorted(want.items()):
        ev = events.get(uid)
        if ev is None:
            continue
        m = module(item["cohort"], item["module"])
        c = cohorts[item["cohort"]]
        if what == "session":
            check_session(fname, uid, ev, item, m, c, zone, zi, vtz)
        else:
            check_due(fname, uid, ev, item, m, c, zi)


def check_session(fname, uid, ev, s, m, c, zone, zi, vtz):
    for prop, key in (("DTSTART", "start"), ("DTEND", "end")):
        p = ev.get(prop)
        got = p.dt
        want = rfc3339(s[key])
        check(isinstance(got, dt.datetime) and got.tzinfo is not None and got == want,
              "%s: %s %s is the calendar's %s" % (fname, uid, prop, key),
              "got %r, want %s" % (got, want))
        tzid = p.params.get("TZID")
        if zone == "UTC":
            check(tzid is None and p.to_ical().endswith(b"Z"),
                  "%s: %s %s in UTC with Z" % (fname, uid, prop))
            continue
        if tzid is None:
            # allowed only for a wall-clock time that the zone repeats
            local = want.astimezone(zi).replace(tzinfo=None)
            ambiguous = (local.replace(fold=0, tzinfo=zi).utcoffset() !=
                         local.replace(fold=1, tzinfo=zi).utcoffset())
            check(ambiguous, "%s: %s %s has TZID %s" % (fname, uid, prop, zone))
            continue
        check(tzid == zone, "%s: %s %s TZID is the entity's zone %s" % (fname, uid, prop, zone),
              "got %s" % tzid)
        obs = vtz.get(tzid)
        if not check(obs, "%s: TZID %s has a VTIMEZONE" % (fname, tzid)):
            continue
        inst = offset_from_vtimezone(obs, got.replace(tzinfo=None))
        check(inst == want, "%s: %s %s from the file's own VTIMEZONE is the calendar's %s"
              % (fname, uid, prop, key), "got %s, want %s" % (inst, want))
    summary = "%s \u00b7 %s" % (m.get("title") or m["id"], c.get("name") or c["id"])
    check(str(ev.get("SUMMARY")) == summary, "%s: %s SUMMARY round-trips" % (fname, uid),
          "%r != %r" % (str(ev.get("SUMMARY")), summary))
    check(str(ev.get("TRANSP")) == "OPAQUE", "%s: %s blocks time" % (fname, uid))


def check_due(fname, uid, ev, d, m, c, zi):
    due = rfc3339(d["due"]).astimezone(zi)
    day = due.date() - (dt.timedelta(days=1) if due.time() == dt.time(0, 0) else dt.timedelta())
    start, end = ev.get("DTSTART").dt, ev.get("DTEND").dt
    check(type(start) is dt.date and start == day and end == day + dt.timedelta(days=1),
          "%s: %s is all-day on %s" % (fname, uid, day), "got %r .. %r" % (start, end))
    summary = "Due: %s (self-paced) \u00b7 %s" % (m.get("title") or m["id"], c.get("name") or c["id"])
    check(str(ev.get("SUMMARY")) == summary, "%s: %s SUMMARY round-trips" % (fname, uid),
          "%r != %r" % (str(ev.get("SUMMARY")), summary))
    check(str(ev.get("TRANSP")) == "TRANSPARENT", "%s: %s does not block time" % (fname, uid))


if __name__ == "__main__":
    if len(sys.argv) < 4:
        print("usage: ics_check.py INPUT CALENDAR DIR [UID_DOMAIN]", file=sys.stderr)
        sys.exit(2)
    main()
    # one line per file and kind of check keeps the output readable: the
    # failures in full, the passes counted
    passed = sum(1 for r in results if r[0])
    for ok, what, detail in results:
        if not ok:
            print("FAIL - %s%s" % (what, (": " + detail) if detail else ""))
    print("ok - iCalendar: %d checks passed" % passed if passed else "FAIL - no checks ran")
    sys.exit(0)
