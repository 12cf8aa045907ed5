#!/bin/sh
# @file run.sh
# @brief The benchmark suite behind `make bench` (full) and `make
#        bench-quick`: load-and-validate throughput, and solve time, memory,
#        placement and objective against the lower bound on planted
#        instances of growing size. Rewrites the generated part of
#        BENCHMARKS.md (between the BEGIN/END markers) with the figures.
set -eu
mode=${1:-quick}
BIN=${BLENDSCHED:-build/blendsched}
GEN=${GEN:-build/blendsched-gen}
out=$(mktemp -d "${TMPDIR:-/tmp}/bs-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM
case "$mode" in
quick) sizes="10 30"; runs=3; load_cohorts=20000 ;;
full) sizes="10 30 100 300"; runs=3; load_cohorts=60000 ;;
*) echo "usage: $0 quick|full" >&2; exit 2 ;;
esac
echo "blendsched bench ($mode): sizes $sizes, $runs runs each; this takes a few minutes" >&2

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

table="$out/table.md"
{
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), $(gcc --version | head -1)."
echo "Run: \`make bench$( [ "$mode" = quick ] && echo -quick)\` on $(date -u +%Y-%m-%d)."
echo
echo "### Load and validate"
echo
"$GEN" --cohorts "$load_cohorts" --seed 1 -o "$out/load.json"
bytes=$(wc -c <"$out/load.json")
for r in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out/t" "$BIN" check "$out/load.json" >/dev/null
    cat "$out/t"
done >"$out/load-times"
t=$(cut -d' ' -f1 "$out/load-times" | median)
m=$(cut -d' ' -f2 "$out/load-times" | median)
echo "| input | size | median time (of $runs) | MB/s | s per 10 MB | peak memory |"
echo "|---|---|---|---|---|---|"
awk -v b="$bytes" -v t="$t" -v m="$m" -v c="$load_cohorts" 'BEGIN {
  mb = b / 1e6; printf "| blendsched-gen --cohorts %d --seed 1 | %.1f MB | %.2f s | %.1f | %.2f | %.0f MiB |\n",
  c, mb, t, mb / t, 10 * t / mb, m / 1024 }'
echo
echo "Command: \`build/blendsched-gen --cohorts $load_cohorts --seed 1 -o load.json && build/blendsched check load.json\`"
echo
echo "### Solve (planted instances, every session placeable)"
echo
echo "| cohorts | live sessions | threads | median wall time (of $runs) | peak memory | placed | objective | lower bound | gap |"
echo "|---|---|---|---|---|---|---|---|---|"
for n in $sizes; do
    "$GEN" --cohorts "$n" --seed 5 -o "$out/g$n.json" --planted "$out/p$n.json"
    for th in 1 2; do
        for r in $(seq "$runs"); do
            /usr/bin/time -f "%e %M" -o "$out/t" "$BIN" solve "$out/g$n.json" -q --threads "$th" \
                -o "$out/c$n-$th.json" -c "$out/k$n.json" || true
            cat "$out/t"
        done >"$out/times"
        t=$(cut -d' ' -f1 "$out/times" | median)
        m=$(cut -d' ' -f2 "$out/times" | median)
        "$BIN" verify "$out/g$n.json" "$out/c$n-$th.json" >/dev/null ||
            echo "verify FAILED on $n cohorts" >&2
        /usr/bin/python3 - "$out/c$n-$th.json" "$out/g$n.json" "$n" "$th" "$t" "$m" <<'PY'
import json, sys
cal = json.load(open(sys.argv[1])); inp = json.load(open(sys.argv[2]))
n, th, t, m = sys.argv[3], sys.argv[4], float(sys.argv[5]), float(sys.argv[6])
progs = {p["id"]: p for p in inp["programs"]}
live = sum(1 for c in inp["cohorts"] for mo in progs[c["program"]]["modules"] if mo["kind"] == "live")
o = cal["objective"]
print(f"| {n} | {live} | {th} | {t:.2f} s | {m/1024:.0f} MiB | {len(cal['sessions'])} | {o['total']:g} | {o.get('bound', 0):g} | {100*o.get('gap', 0):.1f} % |")
PY
    done
    cmp -s "$out/c$n-1.json" "$out/c$n-2.json" && echo "" >/dev/null ||
        echo "threads 1 and 2 differ on $n cohorts" >&2
done
echo
echo "Command per row: \`build/blendsched-gen --cohorts N --seed 5 -o g.json && build/blendsched solve g.json --threads T -o cal.json -c conflicts.json\`"
echo "(placed counts required sessions and optional ones the engine chose to place)."
} >"$table"

cat "$table"
if [ -f BENCHMARKS.md ] && grep -q 'BEGIN GENERATED' BENCHMARKS.md; then
    awk -v f="$table" '
      /<!-- BEGIN GENERATED/ {print; while ((getline l < f) > 0) print l; skip=1; next}
      /<!-- END GENERATED/ {skip=0}
      !skip {print}' BENCHMARKS.md >"$out/B" && cp "$out/B" BENCHMARKS.md
    echo "BENCHMARKS.md updated" >&2
fi
