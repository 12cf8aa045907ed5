#!/usr/bin/python3
"""Keeps the JSON Schemas in docs/schema/ true to FORMAT.md and the fixtures.

Run from the repository root with Debian's interpreter (it sees
python3-jsonschema; a pyenv python3 on PATH may not):

    /usr/bin/python3 tests/cli/schema_check.py

What it checks:
  * every schema is a valid draft 2020-12 schema, every "default" annotation
    is valid against the schema it annotates, and every object schema is
    closed (additionalProperties) with the "^x-" escape hatch;
  * the scenario schema's "set" partials list exactly the keys of the input
    entities they edit (so the two files cannot drift apart);
  * every fixtures/**/input.json and ../shared/spec/example.json is a valid
    input, every calendar.json / expected-calendar.json a valid calendar,
    every conflicts.json / expected-conflicts.json a valid conflict report,
    and every fixture whose "format" is blendsched-scenario/1 a valid
    scenario (anything under a folder named "invalid" is left out);
  * documents written below that must be accepted are, and deliberately
    broken ones are rejected (so this test can fail);
  * with BLENDSCHED set to a binary that has `solve`: the calendar and the
    conflict report it writes for fixtures/example/input.json are valid.

Prints one "ok - ..." or "FAIL - ..." line per check and exits 1 if any
check failed.
"""

import copy
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover - environment problem, not a test result
    sys.stderr.write("schema_check: python3-jsonschema is missing; run with /usr/bin/python3 "
                     "(apt-get install python3-jsonschema)\n")
    sys.exit(2)

SCHEMA_DIR = "docs/schema"
SCHEMAS = {
    "input": "input.schema.json",
    "calendar": "calendar.schema.json",
    "conflicts": "conflicts.schema.json",
    "scenario": "scenario.schema.json",
    "comparison": "comparison.schema.json",
}
FORMATS = {
    "blendsched/1": "input",
    "blendsched-calendar/1": "calendar",
    "blendsched-conflicts/1": "conflicts",
    "blendsched-scenario/1": "scenario",
    "blendsched-comparison/1": "comparison",
}
EXAMPLE = "../shared/spec/example.json"
SOLVE_TIMEOUT_S = 300

failures = 0


def ok(msg):
    print("ok - " + msg)


def fail(msg, detail=None):
    global failures
    failures += 1
    print("FAIL - " + msg)
    if detail:
        for line in str(detail).splitlines():
            print("#   " + line)


def skip(msg):
    print("ok - # SKIP " + msg)


def strict_pairs(pairs):
    """Object hook that rejects duplicate keys, which FORMAT.md forbids and
    Python's json would silently collapse to the last value."""
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError("duplicate key %r" % k)
        out[k] = v
    return out


def no_constants(name):
    raise ValueError("non-JSON number %s" % name)


def load_json(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"), object_pairs_hook=strict_pairs,
                          parse_constant=no_constants)


# ==== Schemas and validators ====

def load_schemas():
    schemas = {}
    for kind, name in SCHEMAS.items():
        path = os.path.join(SCHEMA_DIR, name)
        try:
            schemas[kind] = load_json(path)
        except (OSError, ValueError) as e:
            fail("%s is readable JSON" % path, e)
            continue
        try:
            Draft202012Validator.check_schema(schemas[kind])
            ok("%s is a valid draft 2020-12 schema" % path)
        except jsonschema.exceptions.SchemaError as e:
            fail("%s is a valid draft 2020-12 schema" % path, e.message)
            del schemas[kind]
    return schemas


def make_validators(schemas):
    """One validator per schema, resolving the cross-file $refs (scenario ->
    input) from the local files: nothing is fetched from the network."""
    try:
        from referencing import Registry, Resource  # jsonschema >= 4.18
        registry = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in schemas.values())
        return {k: Draft202012Validator(s, registry=registry) for k, s in schemas.items()}
    except ImportError:
        from jsonschema import RefResolver  # jsonschema 4.10 (Debian bookworm)
        store = {s["$id"]: s for s in schemas.values()}
        return {k: Draft202012Validator(s, resolver=RefResolver.from_schema(s, store=store))
                for k, s in schemas.items()}


def errors_of(validator, doc):
    errs = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    return ["$%s: %s" % ("".join("[%r]" % p for p in e.absolute_path), e.message[:300])
            for e in errs]


def expect_valid(validators, kind, doc, what):
    errs = errors_of(validators[kind], doc)
    if errs:
        fail("%s is a valid %s" % (what, kind), "\n".join(errs[:8]))
    else:
        ok("%s is a valid %s" % (what, kind))


def all_errors(errors):
    for e in errors:
        yield e
        yield from all_errors(e.context or [])


def expect_invalid(validators, kind, doc, what, at=()):
    """The document must be rejected, and for the reason planted: at least
    one error (or sub-error of a oneOf/anyOf) lies at or under path `at`,
    the object the broken document changed."""
    at = list(at)
    errs = list(all_errors(validators[kind].iter_errors(doc)))
    if not errs:
        fail("%s: the %s schema rejects it" % (what, kind), "it was accepted")
    elif not any(list(e.absolute_path)[:len(at)] == at for e in errs):
        fail("%s: the %s schema rejects it" % (what, kind),
             "rejected, but not at $/%s:\n%s" % ("/".join(map(str, at)), "\n".join(
                 "$/%s: %s" % ("/".join(map(str, e.absolute_path)), e.message[:200])
                 for e in errs[:5])))
    else:
        ok("%s: the %s schema rejects it" % (what, kind))


# ==== Lints on the schemas themselves ====

def walk(node, pointer=""):
    if isinstance(node, dict):
        yield pointer, node
        for k, v in node.items():
            yield from walk(v, pointer + "/" + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, pointer + "/" + str(i))


# The module wrapper only dispatches on "kind" to the two closed module
# schemas (selfPacedModule, liveModule); closing it too would reject their keys.
OPEN_BY_DESIGN = {("input", "/$defs/module")}


def lint_closed_objects(schemas):
    for kind, schema in schemas.items():
        bad = []
        for ptr, node in walk(schema):
            if node.get("type") != "object" or "properties" not in node:
                continue
            if (kind, ptr) in OPEN_BY_DESIGN:
                continue
            if "additionalProperties" not in node or \
                    node.get("patternProperties", {}).get("^x-") != {}:
                bad.append(ptr or "/")
        if bad:
            fail("%s: every object schema is closed and allows x- keys" % kind,
                 "open: " + ", ".join(bad))
        else:
            ok("%s: every object schema is closed and allows x- keys" % kind)


def lint_defaults(schemas, validators):
    """Each "default" must itself satisfy the schema it annotates."""
    for kind, schema in schemas.items():
        bad = []
        for ptr, node in walk(schema):
            if "default" not in node or not isinstance(node, dict):
                continue
            # Evaluate the annotated subschema as a root that carries the
            # document's $id and $defs, so that its $refs still resolve.
            probe = {k: v for k, v in node.items() if k != "default"}
            probe.update({"$schema": schema["$schema"], "$id": schema["$id"],
                          "$defs": schema.get("$defs", {})})
            probe = validators[kind].evolve(schema=probe)
            if not probe.is_valid(node["default"]):
                bad.append("%s (default %s)" % (ptr, json.dumps(node["default"])))
        if bad:
            fail("%s: every default satisfies its own schema" % kind, "\n".join(bad))
        else:
            ok("%s: every default satisfies its own schema" % kind)


def lint_scenario_partials(schemas):
    """set.<kind>.<id> may hold exactly the keys of that entity but its id."""
    if "input" not in schemas or "scenario" not in schemas:
        return
    idefs, sdefs = schemas["input"]["$defs"], schemas["scenario"]["$defs"]
    pairs = [("set_room", "room", True), ("set_instructor", "instructor", True),
             ("set_program", "program", True), ("set_cohort", "cohort", True),
             ("set_learner", "learner", True), ("set_calendar", "calendar", False),
             ("set_objective", "objective", False)]
    for sname, iname, drop_id in pairs:
        want = set(idefs[iname]["properties"]) - ({"id"} if drop_id else set())
        have = set(sdefs.get(sname, {}).get("properties", {}))
        if want != have:
            fail("scenario %s lists the keys of input %s" % (sname, iname),
                 "missing: %s; extra: %s" % (sorted(want - have), sorted(have - want)))
        else:
            ok("scenario %s lists the keys of input %s" % (sname, iname))


# ==== Fixtures and the example ====

def fixture_files():
    # folders named invalid hold refused documents; fixtures/fuzz holds
    # fuzzer inputs (fixtures/fuzz/README.md), JSON or not
    files = sorted(glob.glob("fixtures/**/*.json", recursive=True))
    return [f for f in files
            if not {"invalid", "fuzz"} & set(f.split(os.sep)[:-1])]


def check_fixtures(validators):
    if os.path.exists(EXAMPLE):
        try:
            expect_valid(validators, "input", load_json(EXAMPLE), EXAMPLE)
        except ValueError as e:
            fail("%s is readable JSON" % EXAMPLE, e)
    else:
        skip("%s not found" % EXAMPLE)

    by_name = {"input.json": "input", "calendar.json": "calendar",
               "expected-calendar.json": "calendar", "conflicts.json": "conflicts",
               "expected-conflicts.json": "conflicts"}
    count = 0
    for path in fixture_files():
        base = os.path.basename(path)
        kind = by_name.get(base)
        try:
            doc = load_json(path)
        except (OSError, ValueError) as e:
            if kind:
                fail("%s is readable JSON" % path, e)
            continue
        if kind is None and isinstance(doc, dict) and \
                doc.get("format") == "blendsched-scenario/1":
            kind = "scenario"
        if kind is None:
            continue
        count += 1
        expect_valid(validators, kind, doc, path)
    if count == 0:
        fail("fixtures/ holds at least one document to validate")


def report_invalid_inputs(validators):
    """fixtures/invalid/*.json are inputs the loader must refuse; many break
    rules a schema cannot express, so this only reports, never fails."""
    files = sorted(glob.glob("fixtures/invalid/**/*.json", recursive=True))
    if not files:
        return
    rejected, accepted = 0, []
    for path in files:
        try:
            doc = load_json(path)
        except (OSError, ValueError, UnicodeDecodeError):
            rejected += 1  # not even JSON, or duplicate keys
            continue
        if validators["input"].is_valid(doc):
            accepted.append(os.path.basename(path))
        else:
            rejected += 1
    print("# fixtures/invalid: the input schema rejects %d of %d (the loader rejects all); "
          "schema-valid: %s" % (rejected, len(files), ", ".join(accepted) or "none"))


# ==== Documents written here: accepted and rejected ====

SHA = "3f" * 32


def minimal_input():
    return {
        "format": "blendsched/1",
        "calendar": {"start": "2027-01-04", "end": "2027-01-29"},
        "programs": [{"id": "p", "model": "flipped", "modules": [
            {"id": "m", "kind": "live", "mode": "virtual", "duration_minutes": 60}]}],
        "cohorts": [{"id": "c", "program": "p", "start": "2027-01-04", "end": "2027-01-29"}],
    }


def example_input():
    if os.path.exists(EXAMPLE):
        return load_json(EXAMPLE)
    return load_json("fixtures/example/input.json")


def good_calendar():
    return {
        "format": "blendsched-calendar/1",
        "generated_by": "blendsched 0.1.0",
        "input_sha256": SHA,
        "status": "complete",
        "objective": {"total": 70.5, "unplaced": 0, "instructor_change": 50, "room_change": 20,
                      "cost": 0.5, "bound": 60, "gap": 0.1490066},
        "sessions": [
            {"cohort": "c1", "module": "lab-1", "start": "2027-01-12T09:00:00+01:00",
             "end": "2027-01-12T12:00:00+01:00", "room": "ber-lab1", "instructors": ["ana"]},
            {"cohort": "lead", "module": "kickoff", "start": "2027-01-12T14:00:00Z",
             "end": "2027-01-12T15:30:00Z", "room": None, "instructors": ["bo", "cy"]},
        ],
        "self_paced": [
            {"cohort": "c1", "module": "intro-video", "available_from": "2027-01-11T00:00:00+01:00",
             "due": "2027-01-12T09:00:00+01:00"},
            {"cohort": "c1", "module": "wrap-up", "available_from": "2027-01-12T12:00:00+01:00",
             "due": None},
        ],
    }


def good_conflicts():
    return {
        "format": "blendsched-conflicts/1",
        "unplaced": [{"cohort": "c1", "module": "lab-3", "reason": "NO_QUALIFIED_INSTRUCTOR",
                      "message": "no instructor has skills helm, k8s and teaches at site ber",
                      "blocking": []},
                     {"cohort": "c2", "module": "lab-1", "reason": "RESOURCES_BUSY",
                      "message": "instructor ana is taken",
                      "blocking": ["instructor ana", "c1/lab-1"]},
                     {"cohort": "c3", "module": "lab-1", "reason": "SOLVER_LIMIT",
                      "message": "the time limit ended the search first"}],
        "skipped": [{"cohort": "c9", "module": "office-hours-4"}],
        "warnings": [{"code": "FLIPPED_WITHOUT_PREWORK",
                      "message": "program p: live module m requires no self-paced module"}],
    }


def good_scenario():
    return {
        "format": "blendsched-scenario/1",
        "name": "ana-leaves",
        "add": {"instructors": [{"id": "dee", "skills": ["k8s"], "sites": ["ber"]}]},
        "remove": {"instructors": ["ana"], "rooms": ["ber-r2"]},
        "set": {"cohorts": {"k8s-ber-2": {"end": "2027-03-26", "size": None}},
                "calendar": {"holidays": ["2027-01-06", "2027-02-15"]}},
    }


def edited(doc, fn):
    d = copy.deepcopy(doc)
    fn(d)
    return d


def live(**kw):
    m = {"id": "m", "kind": "live", "mode": "virtual", "duration_minutes": 60}
    m.update(kw)
    return m


def with_program(model, modules, **kw):
    def fn(d):
        d["programs"][0] = dict({"id": "p", "model": model, "modules": modules}, **kw)
    fn.at = ["programs", 0]
    return fn


def check_inline(validators):
    ex = example_input()
    mi = minimal_input()

    def setp(path, value):
        """A mutator that sets d[path...] = value."""
        def fn(d):
            node = d
            for p in path[:-1]:
                node = node[p]
            node[path[-1]] = value
        fn.at = path[:-1]
        return fn

    def delp(path):
        def fn(d):
            node = d
            for p in path[:-1]:
                node = node[p]
            del node[path[-1]]
        fn.at = path[:-1]
        return fn

    # --- inputs that must be accepted ---
    accept = [
        ("minimal input (only the required keys)", mi),
        ("input with x- keys at every level", edited(ex, lambda d: (
            d.update({"x-origin": {"any": "thing"}}),
            d["calendar"].update({"x-note": 1}),
            d["rooms"][0].update({"x-erp": "R-17"}),
            d["rooms"][1]["unavailable"][0].update({"x-why": "paint"}),
            d["instructors"][1]["available"][0].update({"x-src": None}),
            d["programs"][0].update({"x-owner": "it"}),
            d["programs"][0]["modules"][0].update({"x-url": "https://e.example/v"}),
            d["programs"][0]["modules"][1].update({"x-url": "https://e.example/l"}),
            d["programs"][1]["modules"][1]["window"].update({"x-w": 1}),
            d["cohorts"][0].update({"x-crm": 42}),
            d["cohorts"][0]["preferred"].update({"x-p": True}),
            d["learners"][3]["hours"].update({"x-h": []}),
            d["learners"][0].update({"x-email": "a@b.example"}),
            d["objective"].update({"x-tuning": "v2"})))),
        ("virtual room without site, day_end 24:00, slot_minutes 6", edited(mi, lambda d: (
            d.update({"rooms": [{"id": "zoom", "virtual": True, "capacity": 1}]}),
            d["calendar"].update({"day_end": "24:00", "slot_minutes": 6})))),
        ("rotation with cadence_days, flex with optional", edited(mi, lambda d: (
            d["programs"].append({"id": "rot", "model": "rotation", "cadence_days": 7,
                                  "modules": [live()]}),
            d["programs"].append({"id": "fx", "model": "flex",
                                  "modules": [live(optional=True)]})))),
        ("every documented key once", edited(mi, lambda d: d.update({
            "calendar": {"start": "2027-01-04", "end": "2027-12-31", "timezone": "Europe/Berlin",
                         "slot_minutes": 15, "workdays": ["mon", "sat"], "day_start": "08:00",
                         "day_end": "18:00", "holidays": ["2027-05-01"]},
            "rooms": [{"id": "r", "name": "Raum Ä", "virtual": False, "site": "ber",
                       "capacity": 10, "features": ["lab"], "cost_per_hour": 12.5,
                       "unavailable": [{"from": "2027-02-01T08:00", "to": "2027-02-01T24:00"}]}],
            "instructors": [{"id": "i", "name": "I", "skills": ["k8s"], "sites": ["ber"],
                             "timezone": "UTC", "available": [{"days": ["mon"], "from": "08:00",
                                                               "to": "12:00"}],
                             "unavailable": [], "max_minutes_per_day": 480,
                             "max_minutes_per_week": 0, "cost_per_hour": 0}],
            "programs": [{"id": "p", "name": "P", "model": "enriched-virtual", "ordered": False,
                          "modules": [
                              {"id": "s", "kind": "self_paced", "title": "S", "effort_minutes": 0},
                              live(title="L", requires=["s"], skills=["k8s"], instructors=2,
                                   room_features=["lab"], window={"from_day": 0, "to_day": 9},
                                   min_gap_days=1, mode="in_person")]}],
            "cohorts": [{"id": "c", "name": "C", "program": "p", "start": "2027-01-04",
                         "end": "2027-03-01", "site": "ber", "timezone": "UTC",
                         "learners": ["l"], "size": 3, "self_paced_minutes_per_day": 30,
                         "instructors": ["i"], "unavailable": [{"from": "2027-01-05",
                                                                "to": "2027-01-05"}],
                         "preferred": {"days": ["tue"], "from": "09:00", "to": "12:00"},
                         "priority": 100, "min_days": 2}],
            "learners": [{"id": "l", "name": "L", "timezone": "Asia/Kolkata",
                          "hours": {"from": "00:00", "to": "24:00"}, "unavailable": [],
                          "completed": ["p/s"], "self_paced_minutes_per_day": 15}],
            "objective": {"unplaced": 1, "instructor_change": 0, "room_change": 0,
                          "outside_preferred": 0, "rhythm": 0, "cost": 1, "spread": 0,
                          "isolated": 3, "over_capacity": 7, "moved": 100, "reassigned": 30},
            "fixed": [{"cohort": "c", "module": "m"},
                      {"cohort": "c", "module": "m", "start": "2027-01-12T09:00",
                       "room": "r", "instructors": ["i"]}]}))),
    ]
    for what, doc in accept:
        expect_valid(validators, "input", doc, what)

    # --- inputs that must be rejected ---
    reject = [
        ("input with an unknown top-level key", setp(["rooms_"], [])),
        ("input with an unknown key in a room", setp(["rooms", 0, "colour"], "red")),
        ("input with an unknown key in a live module",
         setp(["programs", 0, "modules", 1, "effort_minutes"], 30)),
        ("input with an unknown key in an interval",
         setp(["rooms", 1, "unavailable", 0, "note"], "x")),
        ("input without format", delp(["format"])),
        ("input with format blendsched/2", setp(["format"], "blendsched/2")),
        ("input without calendar", delp(["calendar"])),
        ("input without programs", delp(["programs"])),
        ("input without cohorts", delp(["cohorts"])),
        ("id with a space", setp(["rooms", 0, "id"], "ber lab1")),
        ("empty id", setp(["instructors", 0, "id"], "")),
        ("id of 65 characters", setp(["cohorts", 0, "id"], "c" * 65)),
        ("id with a slash", setp(["programs", 0, "modules", 0, "id"], "a/b")),
        ("non-string id", setp(["learners", 0, "id"], 7)),
        ("slot_minutes 7", setp(["calendar", "slot_minutes"], 7)),
        ("slot_minutes 0", setp(["calendar", "slot_minutes"], 0)),
        ("slot_minutes 480", setp(["calendar", "slot_minutes"], 480)),
        ("slot_minutes 30.5", setp(["calendar", "slot_minutes"], 30.5)),
        ("slot_minutes \"30\"", setp(["calendar", "slot_minutes"], "30")),
        ("calendar without end", delp(["calendar", "end"])),
        ("date 2027-13-01", setp(["calendar", "start"], "2027-13-01")),
        ("date 2027-1-4", setp(["calendar", "start"], "2027-1-4")),
        ("holiday as a date-time", setp(["calendar", "holidays"], ["2027-01-06T00:00"])),
        ("time 25:00", setp(["calendar", "day_end"], "25:00")),
        ("time 24:30", setp(["calendar", "day_end"], "24:30")),
        ("time 9:00", setp(["calendar", "day_start"], "9:00")),
        ("weekday monday", setp(["calendar", "workdays"], ["monday"])),
        ("weekday listed twice", setp(["calendar", "workdays"], ["mon", "mon"])),
        ("physical room without site", delp(["rooms", 0, "site"])),
        ("room without capacity", delp(["rooms", 0, "capacity"])),
        ("room capacity 0", setp(["rooms", 0, "capacity"], 0)),
        ("negative cost_per_hour", setp(["rooms", 0, "cost_per_hour"], -1)),
        ("virtual given as a string", setp(["rooms", 2, "virtual"], "yes")),
        ("interval mixing a date and a date-time",
         setp(["rooms", 1, "unavailable", 0], {"from": "2027-02-01", "to": "2027-02-05T10:00"})),
        ("interval without to", setp(["rooms", 1, "unavailable", 0], {"from": "2027-02-01"})),
        ("local date-time at 24:30",
         setp(["learners", 2, "unavailable", 0, "to"], "2027-01-25T24:30")),
        ("local date-time with seconds",
         setp(["learners", 2, "unavailable", 0, "from"], "2027-01-25T09:00:00")),
        ("available window without days",
         setp(["instructors", 1, "available", 0], {"from": "08:00", "to": "14:00"})),
        ("negative max_minutes_per_week", setp(["instructors", 0, "max_minutes_per_week"], -5)),
        ("max_minutes_per_day beyond 32 bits",
         setp(["instructors", 0, "max_minutes_per_day"], 2147483648)),
        ("model blended", setp(["programs", 0, "model"], "blended")),
        ("program without modules", delp(["programs", 0, "modules"])),
        ("module kind hybrid", setp(["programs", 0, "modules", 0, "kind"], "hybrid")),
        ("module without kind", delp(["programs", 0, "modules", 0, "kind"])),
        ("self_paced without effort_minutes",
         delp(["programs", 0, "modules", 0, "effort_minutes"])),
        ("self_paced with a live key", setp(["programs", 0, "modules", 0, "mode"], "virtual")),
        ("live without mode", delp(["programs", 0, "modules", 1, "mode"])),
        ("live without duration_minutes",
         delp(["programs", 0, "modules", 1, "duration_minutes"])),
        ("mode online", setp(["programs", 0, "modules", 1, "mode"], "online")),
        ("duration_minutes 0", setp(["programs", 0, "modules", 1, "duration_minutes"], 0)),
        ("instructors 0 on a live module", setp(["programs", 0, "modules", 1, "instructors"], 0)),
        ("effort_minutes -1", setp(["programs", 0, "modules", 0, "effort_minutes"], -1)),
        ("window without to_day",
         setp(["programs", 1, "modules", 1, "window"], {"from_day": 0})),
        ("enriched-virtual live module without window",
         delp(["programs", 1, "modules", 1, "window"])),
        ("program with no live module", setp(["programs", 0, "modules"], [
            {"id": "s", "kind": "self_paced", "effort_minutes": 10}])),
        ("rotation without cadence_days", with_program("rotation", [live()])),
        ("cadence_days outside rotation", with_program("flipped", [live()], cadence_days=7)),
        ("optional outside flex", with_program("flipped", [live(optional=True)])),
        ("requires given as a string", setp(["programs", 0, "modules", 1, "requires"], "x")),
        ("cohort without end", delp(["cohorts", 0, "end"])),
        ("priority 0", setp(["cohorts", 0, "priority"], 0)),
        ("priority 101", setp(["cohorts", 0, "priority"], 101)),
        ("learners given as objects", setp(["cohorts", 0, "learners"], [{"id": "l1"}])),
        ("completed without program/", setp(["learners", 0, "completed"], ["setup-videos"])),
        ("name of 201 characters", setp(["learners", 0, "name"], "n" * 201)),
        ("learner hours without to", setp(["learners", 3, "hours"], {"from": "08:00"})),
        ("objective unplaced 0", setp(["objective", "unplaced"], 0)),
        ("negative objective weight", setp(["objective", "rhythm"], -1)),
        ("fractional objective weight", setp(["objective", "rhythm"], 2.5)),
        ("unknown objective term", setp(["objective", "fairness"], 1)),
        ("pin without module", setp(["fixed"], [{"cohort": "k8s-ber-1"}])),
        ("pin with an RFC 3339 start", setp(["fixed"], [
            {"cohort": "k8s-ber-1", "module": "lab-1", "start": "2027-01-12T09:00:00+01:00"}])),
        ("pin with an unknown key", setp(["fixed"], [
            {"cohort": "k8s-ber-1", "module": "lab-1", "site": "ber"}])),
        ("input that is an array", None),
    ]
    for what, fn in reject:
        doc = [ex] if fn is None else edited(ex, fn)
        expect_invalid(validators, "input", doc, what, getattr(fn, "at", []))

    # --- calendars ---
    cal = good_calendar()
    expect_valid(validators, "calendar", cal, "calendar with bound, gap, null room and due")
    expect_valid(validators, "calendar", edited(cal, lambda d: (
        d.update({"status": "partial", "changes": {"moved": 1, "reassigned": 0, "new": 1},
                  "x-run": "r1"}),
        d["sessions"][0].update({"change": "moved", "x-k": 1}),
        d["sessions"][1].update({"change": None}),
        d["objective"].update({"moved": 100, "reassigned": 0, "x-note": "n"}))),
        "re-planned calendar with change marks and counts")
    expect_valid(validators, "calendar", edited(cal, setp(["input_sha256"], SHA.upper())),
                 "calendar with an upper-case digest (the reader lower-cases it)")
    expect_valid(validators, "calendar", edited(cal, lambda d: (
        d.update({"sessions": [], "self_paced": [], "status": "interrupted"}))),
        "empty interrupted calendar")
    cal_reject = [
        ("calendar with status done", setp(["status"], "done")),
        ("calendar with format blendsched/1", setp(["format"], "blendsched/1")),
        ("calendar without input_sha256", delp(["input_sha256"])),
        ("calendar with a non-hex digest", setp(["input_sha256"], "g" * 64)),
        ("calendar with a short digest", setp(["input_sha256"], "ab" * 31)),
        ("calendar without objective total", delp(["objective", "total"])),
        ("calendar with a non-numeric objective term", setp(["objective", "bound"], "60")),
        ("calendar with an extra non-numeric objective key", setp(["objective", "solver"], "glpk")),
        ("calendar with a negative objective term", setp(["objective", "rhythm"], -10)),
        ("calendar with an unknown top-level key", setp(["score"], 1)),
        ("session start without seconds", setp(["sessions", 0, "start"], "2027-01-12T09:00+01:00")),
        ("session end without offset", setp(["sessions", 0, "end"], "2027-01-12T12:00:00")),
        ("session without room", delp(["sessions", 0, "room"])),
        ("session room 5", setp(["sessions", 0, "room"], 5)),
        ("session instructors as a string", setp(["sessions", 0, "instructors"], "ana")),
        ("session with bad instructor id", setp(["sessions", 0, "instructors"], ["a b"])),
        ("session change deleted", setp(["sessions", 0, "change"], "deleted")),
        ("session with an unknown key", setp(["sessions", 0, "site"], "ber")),
        ("self_paced without due", delp(["self_paced", 0, "due"])),
        ("self_paced available_from null", setp(["self_paced", 0, "available_from"], None)),
        ("changes without new", setp(["changes"], {"moved": 1, "reassigned": 0})),
        ("changes with an unknown key", setp(["changes"], {"moved": 1, "reassigned": 0, "new": 0,
                                                          "gone": 2})),
    ]
    for what, fn in cal_reject:
        expect_invalid(validators, "calendar", edited(cal, fn), what, fn.at)

    # --- conflict reports ---
    con = good_conflicts()
    expect_valid(validators, "conflicts", con, "conflict report of FORMAT.md")
    expect_valid(validators, "conflicts", {"format": "blendsched-conflicts/1", "unplaced": [],
                                           "skipped": [], "warnings": [], "x-run": 1},
                 "empty conflict report")
    con_reject = [
        ("conflict reason BUSY", setp(["unplaced", 0, "reason"], "BUSY")),
        ("unplaced entry without message", delp(["unplaced", 0, "message"])),
        ("unplaced entry without reason", delp(["unplaced", 0, "reason"])),
        ("blocking with a non-string", setp(["unplaced", 1, "blocking"], [{"id": "ana"}])),
        ("unplaced entry with an unknown key", setp(["unplaced", 0, "rule"], 3)),
        ("skipped entry without module", setp(["skipped", 0], {"cohort": "c9"})),
        ("warning without code", setp(["warnings", 0], {"message": "m"})),
        ("conflict report without warnings", delp(["warnings"])),
        ("conflict report with the calendar format", setp(["format"], "blendsched-calendar/1")),
        ("conflict report with an unknown key", setp(["sessions"], [])),
    ]
    for what, fn in con_reject:
        expect_invalid(validators, "conflicts", edited(con, fn), what, fn.at)

    # --- scenarios ---
    sc = good_scenario()
    expect_valid(validators, "scenario", sc, "scenario of FORMAT.md (plus a null deletion)")
    expect_valid(validators, "scenario", {"format": "blendsched-scenario/1"}, "empty scenario")
    expect_valid(validators, "scenario", edited(sc, lambda d: (
        d["add"].update({"fixed": [{"cohort": "c", "module": "m", "start": "2027-01-12T09:00"}],
                         "programs": [minimal_input()["programs"][0]]}),
        d["set"].update({"objective": {"over_capacity": 50, "x-why": "test"},
                         "programs": {"k8s-cert": {"ordered": False, "name": None}},
                         "learners": {"l4": {"hours": {"from": "07:00", "to": "15:00"}}}}))),
        "scenario adding pins and a program, setting objective, program and learner keys")
    sc_reject = [
        ("scenario with an unknown top-level key", setp(["replace"], {})),
        ("scenario with format blendsched/1", setp(["format"], "blendsched/1")),
        ("scenario adding an invalid instructor",
         setp(["add", "instructors", 0, "id"], "d e")),
        ("scenario adding a room without capacity",
         setp(["add", "rooms"], [{"id": "r9", "site": "ber"}])),
        ("scenario adding a calendar", setp(["add", "calendar"], {})),
        ("scenario removing by object", setp(["remove", "rooms"], [{"id": "ber-r2"}])),
        ("scenario removing the calendar", setp(["remove", "calendar"], ["start"])),
        ("scenario setting an unknown cohort key",
         setp(["set", "cohorts", "k8s-ber-2", "finish"], "2027-03-26")),
        ("scenario setting a cohort's id", setp(["set", "cohorts", "k8s-ber-2", "id"], "x")),
        ("scenario setting a bad date", setp(["set", "cohorts", "k8s-ber-2", "end"], "26.03.2027")),
        ("scenario setting slot_minutes 7", setp(["set", "calendar", "slot_minutes"], 7)),
        ("scenario setting under a bad id", setp(["set", "rooms"], {"bad id": {"capacity": 3}})),
        ("scenario setting fixed", setp(["set", "fixed"], [])),
    ]
    for what, fn in sc_reject:
        expect_invalid(validators, "scenario", edited(sc, fn), what, fn.at)


# ==== The engine's own output ====

def check_engine(validators):
    binary = os.environ.get("BLENDSCHED")
    if not binary:
        skip("engine output: BLENDSCHED not set")
        return
    if not os.access(binary, os.X_OK):
        skip("engine output: %s is not an executable" % binary)
        return
    try:
        h = subprocess.run([binary, "solve", "--help"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        skip("engine output: %s solve --help failed (%s)" % (binary, e))
        return
    if h.returncode != 0:
        skip("engine output: %s has no working solve (solve --help exited %d)"
             % (binary, h.returncode))
        return
    src = "fixtures/example/input.json"
    with tempfile.TemporaryDirectory(prefix="bs-schema-") as tmp:
        cal_path = os.path.join(tmp, "calendar.json")
        con_path = os.path.join(tmp, "conflicts.json")
        cmd = [binary, "solve", src, "-o", cal_path, "-c", con_path]
        try:
            r = subprocess.run(cmd, capture_output=True, timeout=SOLVE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            fail("engine: %s finishes within %d s" % (" ".join(cmd), SOLVE_TIMEOUT_S))
            return
        if r.returncode not in (0, 1):
            fail("engine: solve of %s exits 0 or 1" % src,
                 "exit %d\n%s" % (r.returncode, r.stderr.decode("utf-8", "replace")[-2000:]))
            return
        ok("engine: solve of %s exits %d" % (src, r.returncode))
        for path, kind in ((cal_path, "calendar"), (con_path, "conflicts")):
            try:
                doc = load_json(path)
            except (OSError, ValueError) as e:
                fail("engine: the %s it writes is readable JSON" % kind, e)
                continue
            expect_valid(validators, kind, doc, "engine's %s for %s" % (kind, src))
            if kind == "calendar":
                with open(src, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
                if doc.get("input_sha256") == digest:
                    ok("engine: input_sha256 is the digest of the input bytes")
                else:
                    fail("engine: input_sha256 is the digest of the input bytes",
                         "%s != %s" % (doc.get("input_sha256"), digest))
        # re-planning: the change marks and counts of solve --baseline
        rdir = "fixtures/replan/instructor-removed"
        cmd = [binary, "solve", rdir + "/input.json", "--baseline", rdir + "/baseline.json",
               "-o", cal_path, "-q"]
        try:
            r = subprocess.run(cmd, capture_output=True, timeout=SOLVE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            fail("engine: %s finishes within %d s" % (" ".join(cmd), SOLVE_TIMEOUT_S))
            return
        try:
            doc = load_json(cal_path)
        except (OSError, ValueError) as e:
            fail("engine: solve --baseline writes readable JSON", e)
            return
        expect_valid(validators, "calendar", doc, "engine's calendar with --baseline")
        if "changes" in doc and all("change" in x for x in doc.get("sessions", [])):
            ok("engine: solve --baseline writes changes and a change mark per session")
        else:
            fail("engine: solve --baseline writes changes and a change mark per session")


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.chdir(root)
    schemas = load_schemas()
    if set(schemas) != set(SCHEMAS):
        print("# schemas missing or broken; stopping")
        return 1
    validators = make_validators(schemas)
    lint_closed_objects(schemas)
    lint_defaults(schemas, validators)
    lint_scenario_partials(schemas)
    check_fixtures(validators)
    check_inline(validators)
    report_invalid_inputs(validators)
    check_engine(validators)
    if failures:
        print("# %d check(s) failed" % failures)
        return 1
    print("# all schema checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
