#!/bin/sh
# Black-box tests of the benchmark generator `blendsched-gen`: usage errors,
# determinism (same options, byte-identical files), variety of what it
# generates, and that every generated input passes `blendsched check` and
# its planted calendar passes `blendsched verify` (every hard rule, and the
# recorded objective equals the recomputation).
# Env: GEN = path to blendsched-gen, BLENDSCHED = path to blendsched.
# Prints ok/FAIL lines; exits 1 on any failure.

GEN=${GEN:-build/blendsched-gen}
BLENDSCHED=${BLENDSCHED:-build/blendsched}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bs-gen.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

failures=0
ok() { echo "ok - $1"; }
fail() {
    echo "FAIL - $1"
    failures=$((failures + 1))
}

if [ ! -x "$GEN" ]; then
    fail "generator not found at GEN=$GEN"
    exit 1
fi

# ==== Command line ====

if "$GEN" --help >"$TMP/out" 2>"$TMP/err" && grep -q '^Usage: blendsched-gen' "$TMP/out" &&
    [ ! -s "$TMP/err" ]; then
    ok "--help prints usage to stdout, exit 0"
else
    fail "--help"
fi

# Each line: expected exit status, then the arguments.
while read -r want args; do
    # shellcheck disable=SC2086 # word splitting of the argument list is wanted
    "$GEN" $args >"$TMP/out" 2>"$TMP/err"
    rc=$?
    if [ "$rc" -eq "$want" ] && [ ! -s "$TMP/out" ] && grep -q "Try 'blendsched-gen --help'" "$TMP/err" &&
        [ ! -e "$TMP/u.json" ]; then
        ok "usage error exits $want: $args"
    else
        fail "usage error '$args': want exit $want and a hint on stderr, got $rc"
    fi
done <<EOF
2 -o $TMP/u.json
2 --cohorts 5
2 --cohorts 0 -o $TMP/u.json
2 --cohorts x -o $TMP/u.json
2 --cohorts 5 --tightness 0 -o $TMP/u.json
2 --cohorts 5 --tightness 1.5 -o $TMP/u.json
2 --cohorts 5 --tightness abc -o $TMP/u.json
2 --cohorts 5 --seed -3 -o $TMP/u.json
2 --cohorts 5 --bogus -o $TMP/u.json
2 --cohorts 5 -o $TMP/u.json extra
EOF

if "$GEN" --cohorts 3 -o "$TMP/no/such/dir/in.json" >/dev/null 2>"$TMP/err"; then
    fail "unwritable output should fail"
elif grep -q '^blendsched-gen: error: ' "$TMP/err"; then
    ok "unwritable output: error on stderr, non-zero exit"
else
    fail "unwritable output: no error message"
fi

# ==== Determinism ====

"$GEN" --cohorts 20 --seed 11 -o "$TMP/a.json" --planted "$TMP/a.cal.json" &&
    "$GEN" --cohorts 20 --seed 11 -o "$TMP/b.json" --planted "$TMP/b.cal.json" &&
    "$GEN" --cohorts 20 --seed 12 -o "$TMP/c.json"
if cmp -s "$TMP/a.json" "$TMP/b.json" && cmp -s "$TMP/a.cal.json" "$TMP/b.cal.json"; then
    ok "same options give byte-identical input and planted calendar"
else
    fail "two runs with the same options differ"
fi
if cmp -s "$TMP/a.json" "$TMP/c.json"; then
    fail "different seeds give the same instance"
else
    ok "different seeds give different instances"
fi
"$GEN" --cohorts 20 --seed 11 -o - >"$TMP/stdout.json" 2>/dev/null
if cmp -s "$TMP/a.json" "$TMP/stdout.json"; then
    ok "-o - writes the same input to stdout"
else
    fail "-o - differs from the file output"
fi

# ==== Variety of the generated instance ====

has() { grep -q -- "$2" "$1"; }
V="$TMP/a.json"
for what in '"model": "rotation"' '"model": "flipped"' '"model": "flex"' \
    '"model": "enriched-virtual"' '"cadence_days": ' '"optional": true' '"window": {' \
    '"mode": "in_person"' '"mode": "virtual"' '"instructors": 2' '"min_gap_days": ' \
    '"room_features": ' '"holidays": \["2027-02-15", "2027-03-26", "2027-03-29"\]' '"timezone": "America/New_York"' \
    '"timezone": "Asia/Kolkata"' '"timezone": "Europe/London"' '"unavailable": ' \
    '"max_minutes_per_day": ' '"max_minutes_per_week": ' '"available": ' '"hours": ' \
    '"completed": ' '"self_paced_minutes_per_day": ' '"virtual": true' '"site": "nyc"' \
    '"start": "2027-02-01", "end": "2027-04-30"'; do
    if has "$V" "$what"; then
        ok "20 cohorts: input has $what"
    else
        fail "20 cohorts: input lacks $what"
    fi
done
# Shared learners: some learner id is listed by two cohorts.
if grep -o '"learners": \[[^]]*\]' "$V" | grep -o '"l[0-9]*"' | sort | uniq -d | grep -q .; then
    ok "20 cohorts: some learners attend two cohorts"
else
    fail "20 cohorts: no learner is shared between cohorts"
fi
# The plant crosses both daylight-saving changes (US 2027-03-14, EU 2027-03-28).
if grep -q '"start": "2027-04-[0-9]*T[0-9:]*+02:00"' "$TMP/a.cal.json" &&
    grep -q '"start": "2027-02-[0-9]*T[0-9:]*+01:00"' "$TMP/a.cal.json"; then
    ok "planted sessions on both sides of the EU daylight-saving change"
else
    fail "planted sessions do not cross the daylight-saving change"
fi
# Several sites, and teams of two in the plant itself (not only asked for).
for site in ber lon nyc blr; do
    if grep -q "\"site\": \"$site\"" "$V"; then
        ok "20 cohorts: a cohort at site $site"
    else
        fail "20 cohorts: no cohort at site $site"
    fi
done
if grep -q '"instructors": \["[^"]*", "[^"]*"\]' "$TMP/a.cal.json"; then
    ok "planted calendar has sessions taught by two instructors"
else
    fail "planted calendar has no two-instructor session"
fi
sha=$(sha256sum "$TMP/a.json" | cut -d' ' -f1)
if grep -q "\"input_sha256\": \"$sha\"" "$TMP/a.cal.json" &&
    grep -q '"status": "complete"' "$TMP/a.cal.json" &&
    grep -q '"generated_by": "blendsched-gen ' "$TMP/a.cal.json"; then
    ok "planted calendar names the input's sha256, status complete"
else
    fail "planted calendar header"
fi
"$GEN" --cohorts 20 --seed 11 --threads-hint -o "$TMP/t.json"
if grep -q '"x-threads-hint": [1-9]' "$TMP/t.json"; then
    ok "--threads-hint writes x-threads-hint"
else
    fail "--threads-hint: no x-threads-hint key"
fi
"$GEN" --cohorts 20 --seed 11 --no-virtual-rooms -o "$TMP/nv.json" --planted "$TMP/nv.cal.json"
if ! grep -q '"virtual": true' "$TMP/nv.json" && grep -q '"room": null' "$TMP/nv.cal.json"; then
    ok "--no-virtual-rooms: no virtual room, virtual sessions without room"
else
    fail "--no-virtual-rooms"
fi
# Tightness 1 keeps only what the plant uses; lower tightness adds spares.
"$GEN" --cohorts 20 --seed 11 --tightness 1 -o "$TMP/t1.json"
"$GEN" --cohorts 20 --seed 11 --tightness 0.3 -o "$TMP/t3.json"
n1=$(grep -c '^    {"id": "t[0-9]*", "name"' "$TMP/t1.json")
n3=$(grep -c '^    {"id": "t[0-9]*", "name"' "$TMP/t3.json")
if [ "$n1" -gt 0 ] && [ "$n3" -gt "$n1" ]; then
    ok "tightness 0.3 has more instructors ($n3) than tightness 1 ($n1)"
else
    fail "tightness: instructors $n3 (0.3) vs $n1 (1)"
fi

# ==== check and verify ====

if [ ! -x "$BLENDSCHED" ]; then
    fail "blendsched not found at BLENDSCHED=$BLENDSCHED: cannot check or verify"
else
    while read -r n seed opts; do
        name="--cohorts $n --seed $seed $opts"
        in="$TMP/in-$n-$seed.json"
        cal="$TMP/cal-$n-$seed.json"
        # shellcheck disable=SC2086
        if ! "$GEN" --cohorts "$n" --seed "$seed" $opts -o "$in" --planted "$cal" 2>"$TMP/err"; then
            fail "$name: generator failed"
            sed 's/^/#   /' "$TMP/err"
            continue
        fi
        if "$BLENDSCHED" check "$in" >"$TMP/out" 2>"$TMP/err"; then
            ok "$name: input passes check"
        else
            fail "$name: check rejects the input"
            sed 's/^/#   /' "$TMP/err" | head -5
        fi
        if "$BLENDSCHED" verify "$in" "$cal" >"$TMP/out" 2>"$TMP/err"; then
            ok "$name: planted calendar passes verify"
        else
            fail "$name: verify rejects the planted calendar"
            grep -v '^  ' "$TMP/out" | sed 's/^/#   /' | head -8
            sed 's/^/#   /' "$TMP/err" | head -5
        fi
    done <<EOF
5 1
5 2 --tightness 1
20 3
20 4 --tightness 1 --threads-hint
20 5 --no-virtual-rooms --tightness 0.4
60 6 --threads-hint
300 5
3000 5
EOF
fi

if [ "$failures" -eq 0 ]; then
    echo "# gen: all passed"
    exit 0
fi
echo "# gen: $failures failure(s)"
exit 1
