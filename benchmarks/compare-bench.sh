#!/bin/sh
# @file compare-bench.sh
# @brief How much `blendsched compare` gains from running scenarios in
#        parallel: generates an instance with build/blendsched-gen (100
#        cohorts by default) and 8 what-if scenarios of it (instructors and
#        rooms removed and added, weights, priorities, capacities, a
#        holiday), then times `compare --threads 1` against `--threads 2`
#        (RUNS times each, alternating) and prints the median wall times,
#        the speed-up, and whether both wrote byte-identical outputs.
#
# Usage: sh benchmarks/compare-bench.sh
# Env:   BLENDSCHED (default build/blendsched), GEN (build/blendsched-gen),
#        COHORTS (100), SEED (5), RUNS (3),
#        COMPARE_OPTS (extra options for both runs, e.g. "--rounds 0
#        --node-limit 50" for a quicker, rougher solve; default none),
#        KEEP=1 keeps the work folder and prints where it is.
set -eu
BIN=${BLENDSCHED:-build/blendsched}
GEN=${GEN:-build/blendsched-gen}
COHORTS=${COHORTS:-100}
SEED=${SEED:-5}
RUNS=${RUNS:-3}
COMPARE_OPTS=${COMPARE_OPTS:-}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
for f in "$BIN" "$GEN"; do
    [ -x "$f" ] || { echo "compare-bench: $f not built (make all)" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/bs-compare-bench.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
    echo "compare-bench: work folder $work" >&2
else
    trap 'rm -rf "$work"' EXIT INT TERM
fi

"$GEN" --cohorts "$COHORTS" --seed "$SEED" -o "$work/base.json"

# Eight scenarios built from the generated ids, so that each is valid.
"$PY" - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
base = json.load(open(work + "/base.json"))
ins, rooms, cohorts = base["instructors"], base["rooms"], base["cohorts"]
learners = base.get("learners", [])
physical = [r for r in rooms if not r.get("virtual")]

def scenario(name, **parts):
    doc = {"format": "blendsched-scenario/1", "name": name}
    doc.update(parts)
    with open("%s/%s.json" % (work, name), "w") as f:
        json.dump(doc, f, indent=1)

new_room = dict(physical[0], id=physical[0]["id"] + "-new")
new_ins = {k: v for k, v in ins[0].items() if k != "name"}
new_ins["id"] = ins[0]["id"] + "-new"
first_workday = base["calendar"]["start"]
scenario("s1-instructor-leaves", remove={"instructors": [ins[0]["id"]]})
scenario("s2-room-closed", remove={"rooms": [physical[0]["id"]]})
scenario("s3-room-added", add={"rooms": [new_room]})
scenario("s4-instructor-hired", add={"instructors": [new_ins]})
scenario("s5-cost-matters", set={"objective": {"cost": 20, "room_change": 5}})
scenario("s6-priorities", set={"cohorts": {c["id"]: {"priority": 5} for c in cohorts[:10]}})
scenario("s7-bigger-rooms",
         set={"rooms": {r["id"]: {"capacity": r["capacity"] + 10} for r in physical[:5]}})
if learners:
    scenario("s8-learners-leave", remove={"learners": [l["id"] for l in learners[:5]]})
else:
    scenario("s8-learners-leave", set={"cohorts": {cohorts[0]["id"]: {"min_days": 2}}})
EOF

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
scen=$(ls "$work"/s*.json | sort)
echo "compare-bench: $COHORTS cohorts (seed $SEED), 8 scenarios + the base, $RUNS runs per thread count" >&2
: >"$work/t1"
: >"$work/t2"
for r in $(seq "$RUNS"); do
    for th in 1 2; do
        rm -rf "$work/out$th"
        # shellcheck disable=SC2086
        /usr/bin/time -f "%e" -o "$work/t" "$BIN" compare "$work/base.json" $scen \
            --out-dir "$work/out$th" --threads "$th" -q $COMPARE_OPTS >"$work/table$th" || true
        # time(1) adds a line before the figure when compare exits non-zero
        # (1: some scenario left sessions unplaced), so take the last line
        tail -n 1 "$work/t" >>"$work/t$th"
        echo "  run $r, --threads $th: $(tail -n 1 "$work/t") s" >&2
    done
done
t1=$(median <"$work/t1")
t2=$(median <"$work/t2")
same=no
if diff -r "$work/out1" "$work/out2" >/dev/null && cmp -s "$work/table1" "$work/table2"; then
    same=yes
fi
echo "| cohorts | scenarios | runs | --threads 1 (median) | --threads 2 (median) | speed-up | outputs identical |"
echo "|---|---|---|---|---|---|---|"
awk -v c="$COHORTS" -v r="$RUNS" -v a="$t1" -v b="$t2" -v s="$same" 'BEGIN {
  printf "| %d | 8 + base | %d | %.2f s | %.2f s | %.2fx | %s |\n", c, r, a, b, (b > 0 ? a / b : 0), s }'
echo
echo "Command: \`COHORTS=$COHORTS SEED=$SEED RUNS=$RUNS${COMPARE_OPTS:+ COMPARE_OPTS=\"$COMPARE_OPTS\"} sh benchmarks/compare-bench.sh\`"
[ "$same" = yes ]
