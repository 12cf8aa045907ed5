#!/bin/sh
# @file run.sh
# @brief `make itc`: solves the four ITC-2007 CB-CTT instances of data/ with
#        solve-ctt (TIME_LIMIT seconds each, default 300), scores every
#        timetable with ctt_score.py, and rewrites the table between
#        `<!-- BEGIN ITC -->` and `<!-- END ITC -->` in BENCHMARKS.md.
#        Fails when a scorer figure and blendsched's objective disagree.
# Env: BLENDSCHED (default build/blendsched), TIME_LIMIT, POLISH (local-search
#      steps per chain, default 100000000: docs/solver.md), LNS (passes of
#      coupled neighbourhoods before it, default 0), THREADS (default 2),
#      INSTANCES (default "comp01 comp04 comp07 comp11").
set -eu
cd "$(dirname "$0")/../.."
BLENDSCHED=${BLENDSCHED:-build/blendsched}
export BLENDSCHED
TIME_LIMIT=${TIME_LIMIT:-300}
LNS=${LNS:-0}
POLISH=${POLISH:-100000000}
THREADS=${THREADS:-2}
INSTANCES=${INSTANCES:-"comp01 comp04 comp07 comp11"}
PY=/usr/bin/python3
DIR=benchmarks/itc2007
out=$(mktemp -d "${TMPDIR:-/tmp}/bs-itc.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

# best known and the ITC-2007 winner's competition result (BEST_KNOWN.md of
# the shared data: Ceschia, Di Gaspero, Schaerf 2023; Müller 2009)
best() { case $1 in comp01) echo 5 ;; comp04) echo 35 ;; comp07) echo 6 ;; comp11) echo 0 ;; *) echo - ;; esac; }
winner() { case $1 in comp01) echo 5 ;; comp04) echo 37 ;; comp07) echo 20 ;; *) echo - ;; esac; }

table="$out/table.md"
disagree=0
{
echo "Machine: $(nproc) cores, $(uname -m), $(gcc --version | head -1); run \`make itc\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- solver cli model io core benchmarks || echo ' + local changes')."
echo
echo "Command per row: \`benchmarks/itc2007/solve-ctt data/INST.ctt INST.sol --time-limit $TIME_LIMIT --lns $LNS --polish $POLISH --threads $THREADS\`, then \`ctt_score.py INST.ctt INST.sol\`."
echo
echo "| instance | lectures | hard (ctt_score) | soft (ctt_score) | blendsched objective | agree | first feasible | run time | lower bound | best known | ITC-2007 winner |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >"$table"
for i in $INSTANCES; do
    echo "itc: $i (limit ${TIME_LIMIT}s)" >&2
    set +e
    nice -n 5 "$DIR/solve-ctt" "$DIR/data/$i.ctt" "$out/$i.sol" --calendar "$out/$i-cal.json" \
        --time-limit "$TIME_LIMIT" --lns "$LNS" --polish "$POLISH" --threads "$THREADS" >"$out/$i.out" 2>"$out/$i.err"
    rc=$?
    set -e
    if [ "$rc" -gt 1 ]; then
        cat "$out/$i.err" >&2
        echo "itc: $i: solve-ctt exit $rc" >&2
        exit 1
    fi
    get() { awk -v k="$1" '$1 == k {print $2}' "$out/$i.out"; }
    $PY "$DIR/data/ctt_score.py" "$DIR/data/$i.ctt" "$out/$i.sol" >"$out/$i.score"
    last=$(tail -n 1 "$out/$i.score")
    hard=$(echo "$last" | sed 's/^hard=\([0-9]*\).*/\1/')
    soft=$(echo "$last" | sed 's/.*soft=\([0-9]*\)$/\1/')
    obj=$(get objective)
    lectures=$(get placed)
    if [ "$hard" = 0 ] && [ "$soft" = "$obj" ]; then agree=yes; else agree=NO; disagree=1; fi
    $PY "$DIR/ctt.py" convert "$DIR/data/$i.ctt" "$out/$i-input.json"
    "$BLENDSCHED" verify "$out/$i-input.json" "$out/$i-cal.json" >"$out/$i.verify" 2>&1 ||
        { echo "itc: $i: verify rejects the calendar" >&2; cat "$out/$i.verify" >&2; exit 1; }
    echo "| $i | $lectures | $hard | $soft | $obj | $agree | $(get first_feasible) s | $(get seconds) s ($(get status)) | $(get bound) | $(best "$i") | $(winner "$i") |" >>"$table"
    echo "itc: $i: $last, objective $obj" >&2
done
{
echo
echo "first feasible: the first progress line (at most one a second) with every lecture placed."
echo "run time: the whole solve; \`complete\` = every lecture placed."
} >>"$table"

md=BENCHMARKS.md
if ! grep -q '<!-- BEGIN ITC -->' "$md"; then
    printf '\n## ITC-2007 course timetabling (`make itc`)\n\nSee benchmarks/itc2007/README.md for the mapping.\n\n<!-- BEGIN ITC -->\n<!-- END ITC -->\n' >>"$md"
fi
awk -v t="$table" '
    /<!-- BEGIN ITC -->/ { print; while ((getline l < t) > 0) print l; skip = 1; next }
    /<!-- END ITC -->/ { skip = 0 }
    !skip { print }' "$md" >"$out/md" && cp "$out/md" "$md"
cat "$table"
[ "$disagree" -eq 0 ] || { echo "itc: ctt_score.py and blendsched disagree (see the table)" >&2; exit 1; }
