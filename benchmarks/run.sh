#!/bin/sh
# @file run.sh
# @brief The benchmark suite behind `make bench` (full) and `make
#        bench-quick`: load-and-validate throughput; solve time, memory,
#        time to the first complete calendar, placement and objective
#        against the bound on planted instances of growing size (the growth
#        curve, plotted with gnuplot); one thread against two; and the peers
#        (glpsol and CBC on the engine's monolithic model written as MPS by
#        `blendsched model`) against the decomposition with the same time
#        limit. Rewrites its mode's generated section of BENCHMARKS.md
#        (between the BEGIN/END GENERATED markers) and docs/img/growth-MODE.svg.
#
# Usage: sh benchmarks/run.sh quick|full
# Env:   BLENDSCHED, GEN        binaries (build/blendsched, build/blendsched-gen)
#        BENCH_MAX_COHORTS=N    leave out sizes above N (a shorter full run)
#        PEER_MAX_COHORTS=N     peers only up to N cohorts
#        LIMIT=S                --time-limit of every solve (full 300, quick 60)
#        PEER_LIMIT=S           time limit of the peer comparison, ours and
#                               theirs alike (full 300, quick 30)
#        RUNS=N                 runs per size up to 300 cohorts (3); larger
#                               sizes run LARGE_RUNS times (1)
#        BOTH_THREADS_MAX=N     sizes up to N run with one and two threads
#                               (1000); larger ones with two threads only
set -eu
mode=${1:-quick}
BIN=${BLENDSCHED:-build/blendsched}
GEN=${GEN:-build/blendsched-gen}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
case "$mode" in
quick)
    sizes="10 30"; peer_sizes="10"; load_cohorts=20000
    LIMIT=${LIMIT:-60}; PEER_LIMIT=${PEER_LIMIT:-30} ;;
full)
    sizes="10 30 100 300 1000 3000"; peer_sizes="10 30 100"; load_cohorts=60000
    LIMIT=${LIMIT:-300}; PEER_LIMIT=${PEER_LIMIT:-300} ;;
*) echo "usage: $0 quick|full" >&2; exit 2 ;;
esac
RUNS=${RUNS:-3}
LARGE_RUNS=${LARGE_RUNS:-1}
BOTH_THREADS_MAX=${BOTH_THREADS_MAX:-1000}
cap=${BENCH_MAX_COHORTS:-1000000}
pcap=${PEER_MAX_COHORTS:-$cap}
keep() { for n in $1; do [ "$n" -le "$2" ] && printf '%s ' "$n"; done; true; }
sizes=$(keep "$sizes" "$cap")
peer_sizes=$(keep "$peer_sizes" "$pcap")
peer_sizes=$(keep "$peer_sizes" "$cap")
peer_cap=$((2 * PEER_LIMIT + 60)) # wall seconds before the harness stops a peer
for f in "$BIN" "$GEN"; do
    [ -x "$f" ] || { echo "bench: $f not built (make all)" >&2; exit 2; }
done
have_glpsol=0; command -v glpsol >/dev/null 2>&1 && have_glpsol=1
have_cbc=0; command -v cbc >/dev/null 2>&1 && have_cbc=1
have_gnuplot=0; command -v gnuplot >/dev/null 2>&1 && have_gnuplot=1

out=$(mktemp -d "${TMPDIR:-/tmp}/bs-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

# ==== How long: typical seconds per solve (2 cores, this engine) and the cap ====
"$PY" - "$sizes" "$peer_sizes" "$RUNS" "$LARGE_RUNS" "$LIMIT" "$PEER_LIMIT" \
    "$have_glpsol" "$have_cbc" "$BOTH_THREADS_MAX" >"$out/estimate" <<'PY'
import sys
sizes = [int(x) for x in sys.argv[1].split()]
peers = [int(x) for x in sys.argv[2].split()]
runs, large_runs, limit, plimit = (float(x) for x in sys.argv[3:7])
npeers = int(sys.argv[7]) + int(sys.argv[8])
both = int(sys.argv[9])
typical = {10: 0.4, 30: 1.2, 100: 7, 300: 28}   # one thread, measured
typ = hi = 20.0                                  # load runs, generation
for n in sizes:
    r = runs if n <= 300 else large_runs
    if n <= 300:   # one and two threads
        t = min(limit, typical[n]); typ += r * 1.5 * t; hi += r * 2 * limit
    else:          # two threads, capped; one thread too up to BOTH_THREADS_MAX
        k = 2 if n <= both else 1
        typ += k * r * limit; hi += k * r * limit
for n in peers:
    model = 0.1 * n
    typ += model + npeers * (25 if n <= 10 else plimit) + min(plimit, typical.get(n, plimit) / 2)
    hi += model + npeers * (2 * plimit + 60) + plimit
print("%.0f %.0f" % (typ / 60 + 0.5, hi / 60 + 0.5))
PY
read -r est_typ est_max <"$out/estimate"
echo "blendsched bench ($mode): sizes $sizes(runs: $RUNS up to 300 cohorts, $LARGE_RUNS above;" \
    "--time-limit $LIMIT), peers at $peer_sizes(limit $PEER_LIMIT s)." >&2
echo "blendsched bench: this takes about $est_typ minutes, at most about $est_max" \
    "(every solve is capped by its time limit)." >&2

median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) print "nan"; else print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# Prefix every line with the seconds since the start (peers' logs have no clock).
stamp() { "$PY" -u -c '
import sys, time
t0 = time.monotonic()
for line in sys.stdin:
    sys.stdout.write("%.2f %s" % (time.monotonic() - t0, line)); sys.stdout.flush()'; }

# Facts about one calendar: status, required placed, required, objective,
# bound, live sessions.
cal_facts() { # input calendar
    "$PY" - "$1" "$2" <<'PY'
import json, sys
inp = json.load(open(sys.argv[1])); cal = json.load(open(sys.argv[2]))
progs = {p["id"]: p for p in inp["programs"]}
req = {(c["id"], m["id"]) for c in inp["cohorts"] for m in progs[c["program"]]["modules"]
       if m["kind"] == "live" and not m.get("optional", False)}
live = sum(1 for c in inp["cohorts"] for m in progs[c["program"]]["modules"] if m["kind"] == "live")
placed = sum(1 for s in cal["sessions"] if (s["cohort"], s["module"]) in req)
o = cal["objective"]
print(cal["status"], placed, len(req), o["total"], o.get("bound", "nan"), live)
PY
}

table="$out/table.md"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain 2>/dev/null | grep -v '^??' | grep -q . && echo " (with uncommitted changes)" || true)
{
echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sm)," \
    "$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")."
echo "Toolchain: $(gcc --version | head -1); GLPK $(glpsol --version 2>/dev/null | head -1 | awk '{print $NF}');" \
    "CBC $(cbc -quit 2>/dev/null | awk '/^Version/ {print $2}'); $(gnuplot --version 2>/dev/null)."
caps=""
[ -n "${BENCH_MAX_COHORTS:-}" ] && caps="$caps BENCH_MAX_COHORTS=$BENCH_MAX_COHORTS"
[ -n "${PEER_MAX_COHORTS:-}" ] && caps="$caps PEER_MAX_COHORTS=$PEER_MAX_COHORTS"
echo "Run: \`make bench$( [ "$mode" = quick ] && echo -quick)\`${caps:+ with$caps}" \
    "(LIMIT=$LIMIT PEER_LIMIT=$PEER_LIMIT RUNS=$RUNS LARGE_RUNS=$LARGE_RUNS) on $(date -u +%Y-%m-%d), commit $commit$dirty;" \
    "the machine is shared, so times carry noise."
echo

# ==== Load and validate ====
echo "### Load and validate"
echo
"$GEN" --cohorts "$load_cohorts" --seed 1 -o "$out/load.json"
bytes=$(wc -c <"$out/load.json")
for r in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$out/t" "$BIN" check "$out/load.json" >/dev/null
    cat "$out/t"
done >"$out/load-times"
t=$(cut -d' ' -f1 "$out/load-times" | median)
m=$(cut -d' ' -f2 "$out/load-times" | median)
echo "| input | size | runs (s) | median | MB/s | peak memory |"
echo "|---|---|---|---|---|---|"
awk -v b="$bytes" -v t="$t" -v m="$m" -v c="$load_cohorts" -v runs="$(cut -d' ' -f1 "$out/load-times" | tr '\n' ' ')" 'BEGIN {
  mb = b / 1e6; printf "| blendsched-gen --cohorts %d --seed 1 | %.1f MB | %s| %.2f s | %.1f | %.0f MiB |\n",
  c, mb, runs, t, mb / t, m / 1024 }'
echo
echo "Command: \`build/blendsched-gen --cohorts $load_cohorts --seed 1 -o load.json && /usr/bin/time -f \"%e s %M KB\" build/blendsched check load.json\`"
echo "(MB/s: input bytes / 10^6 over the median wall time of the whole command: read, parse, validate, build the problem.)"
echo

# ==== Growth, threads ====
echo "### Solve: the growth curve (planted instances, every required session placeable)"
echo
echo "| cohorts | live sessions (required) | threads | runs | median wall time | peak memory | first complete calendar | status | required placed | objective | bound | gap |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
: >"$out/growth.dat"
: >"$out/threads.md"
: >"$out/domains.md"
for n in $sizes; do
    "$GEN" --cohorts "$n" --seed 5 -o "$out/g$n.json"
    # how many choices one session has: the pool grows with the quarter
    "$BIN" check --domains --json "$out/g$n.json" 2>/dev/null |
        sed -n 's/.*"mean_starts": \([0-9.]*\), "mean_rooms": \([0-9.]*\), "mean_instructors": \([0-9.]*\).*/\1 \2 \3/p' |
        awk -v n="$n" '{ printf "| %s | %.1f | %.1f | %.1f |\n", n, $1, $2, $3 }' >>"$out/domains.md"
    if [ "$n" -le 300 ]; then r_n=$RUNS; else r_n=$LARGE_RUNS; fi
    if [ "$n" -le "$BOTH_THREADS_MAX" ]; then ths="1 2"; else ths="2"; fi
    for th in $ths; do
        : >"$out/times"; : >"$out/firsts"
        for r in $(seq "$r_n"); do
            rc=0
            /usr/bin/time -f "%e %M" -o "$out/t" "$BIN" solve "$out/g$n.json" --progress \
                --threads "$th" --time-limit "$LIMIT" -o "$out/c$n-$th.json" -c "$out/k$n.json" \
                2>"$out/progress" || rc=$?
            [ "$rc" -le 1 ] || echo "solve exit $rc on $n cohorts" >&2
            tail -1 "$out/t" >>"$out/times"
            sed -n 's/^blendsched: first complete calendar at \([0-9.]*\)s.*/\1/p' "$out/progress" >>"$out/firsts"
        done
        t=$(cut -d' ' -f1 "$out/times" | median)
        m=$(cut -d' ' -f2 "$out/times" | median)
        f=$(median <"$out/firsts")
        nf=$(wc -l <"$out/firsts")
        if [ "$nf" -eq 0 ]; then f=none
        elif [ "$nf" -lt "$r_n" ]; then f="none in $((r_n - nf)) of $r_n runs, else $f s"; fi
        v=ok
        "$BIN" verify "$out/g$n.json" "$out/c$n-$th.json" >/dev/null 2>&1 || v="verify FAILED"
        [ "$v" = ok ] || echo "verify FAILED on $n cohorts, $th threads" >&2
        set -- $(cal_facts "$out/g$n.json" "$out/c$n-$th.json")
        st=$1 pl=$2 req=$3 obj=$4 bnd=$5 live=$6
        awk -v n="$n" -v live="$live" -v req="$req" -v th="$th" -v r="$r_n" -v t="$t" -v m="$m" -v f="$f" -v st="$st" \
            -v pl="$pl" -v obj="$obj" -v bnd="$bnd" -v v="$v" 'BEGIN {
            fc = (f ~ /^[0-9.]+$/) ? sprintf("%.2f s", f) : f
            gap = (obj > 0 && bnd != "nan") ? sprintf("%.1f %%", 100 * (obj - bnd) / obj) : "-"
            printf "| %s | %s (%s) | %s | %s | %.2f s | %.0f MiB | %s | %s%s | %s / %s | %.10g | %s | %s |\n",
              n, live, req, th, r, t, m / 1024, fc, st, (v == "ok" ? "" : ", " v), pl, req, obj, bnd, gap }'
        echo "$n $th $t $m" >>"$out/growth.dat"
    done
    if [ "$n" -le "$BOTH_THREADS_MAX" ]; then
        t1=$(awk -v n="$n" '$1 == n && $2 == 1 {print $3}' "$out/growth.dat")
        t2=$(awk -v n="$n" '$1 == n && $2 == 2 {print $3}' "$out/growth.dat")
        same=no; cmp -s "$out/c$n-1.json" "$out/c$n-2.json" && same=yes
        [ "$same" = yes ] || echo "threads 1 and 2 differ on $n cohorts" >&2
        awk -v n="$n" -v a="$t1" -v b="$t2" -v s="$same" 'BEGIN {
            printf "| %s | %.2f s | %.2f s | %.2f× | %s |\n", n, a, b, a / b, s }' >>"$out/threads.md"
    fi
done
echo
echo "Command per row: \`build/blendsched-gen --cohorts N --seed 5 -o g.json && /usr/bin/time -f \"%e s %M KB\" build/blendsched solve g.json --progress --threads T --time-limit $LIMIT -o cal.json -c conflicts.json && build/blendsched verify g.json cal.json\`."
echo "Up to 300 cohorts: median of $RUNS runs; above: $LARGE_RUNS run(s). One and two threads up to $BOTH_THREADS_MAX cohorts (BOTH_THREADS_MAX), two threads only above (one thread would only meet the time limit sooner)."
echo "\"first complete calendar\": the \`--progress\` line \"first complete calendar at\" (seconds from the solver's start, after loading); status \`partial\` means the time limit (or the search) left required sessions unplaced."
echo "The bound is the engine's lower bound (each cohort alone, docs/solver.md); gap = (objective - bound) / objective. Every calendar above was checked by \`verify\` (a failure would say so in the status column)."
echo
echo "Choices per live session on the same instances (mean of the static domains: \`build/blendsched check --domains g.json\`; docs/solver.md, \"Why the growth is not linear\"):"
echo
echo "| cohorts | starts | rooms | instructors |"
echo "|---|---|---|---|"
cat "$out/domains.md"
echo
if [ "$have_gnuplot" -eq 1 ] && [ -s "$out/growth.dat" ]; then
    awk '$2 == 2 {print $1, $3, $4 / 1024}' "$out/growth.dat" >"$out/g2.dat"
    mkdir -p docs/img
    gnuplot <<GP
set terminal svg size 760,440 dynamic font "sans,12"
set output "docs/img/growth-$mode.svg"
set title "blendsched solve, planted instances (seed 5), 2 threads, --time-limit $LIMIT"
set xlabel "cohorts"
set ylabel "median wall time (s)"
set y2label "peak memory (MiB)"
set logscale xy
set logscale y2
set ytics nomirror
set y2tics
set grid
set key top left
plot "$out/g2.dat" using 1:2 with linespoints lw 2 pt 7 title "wall time (s)", \
     "$out/g2.dat" using 1:3 axes x1y2 with linespoints lw 2 pt 5 dt 2 title "peak memory (MiB)"
GP
    echo "![growth curve](docs/img/growth-$mode.svg) (\`docs/img/growth-$mode.svg\`, drawn by gnuplot from the two-thread rows above)"
    echo
fi
echo "### Threads: one against two"
echo
echo "| cohorts | 1 thread (median) | 2 threads (median) | speed-up | same calendar bytes |"
echo "|---|---|---|---|---|"
cat "$out/threads.md"
echo
echo "Same commands as the growth table with \`--threads 1\` and \`--threads 2\`; \"same calendar bytes\": \`cmp\` of the two calendars."
echo

# ==== Peers ====
echo "### Peers on the same model: the monolithic MIP as MPS, solved by glpsol and CBC"
echo
echo "| cohorts | model (rows × columns, nonzeros, MPS size, write time) | solver | time limit | first complete calendar | end | objective (verified calendar) | MIP objective | MIP bound | MIP gap | peak memory | wall time |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in $peer_sizes; do
    g="$out/g$n.json"
    [ -f "$g" ] || "$GEN" --cohorts "$n" --seed 5 -o "$g"
    /usr/bin/time -f "%e %M" -o "$out/t" "$BIN" model "$g" --mps "$out/m$n.mps" >"$out/size$n"
    wt=$(cut -d' ' -f1 "$out/t")
    sz=$(awk -v f="$(wc -c <"$out/m$n.mps")" -v w="$wt" '
        {v[$1] = $2} END {printf "%d × %d, %d, %.0f MB, %.1f s", v["rows"], v["columns"], v["nonzeros"], f / 1e6, w}' "$out/size$n")
    below=$(awk '$1 == "complete_below" {print $2}' "$out/size$n")
    constant=$(awk '$1 == "constant" {print $2}' "$out/size$n")
    # ours, with the same limit
    rc=0
    /usr/bin/time -f "%e %M" -o "$out/t" "$BIN" solve "$g" --progress --threads 2 \
        --time-limit "$PEER_LIMIT" -o "$out/o$n.json" -c "$out/ok$n.json" 2>"$out/progress" || rc=$?
    f=$(sed -n 's/^blendsched: first complete calendar at \([0-9.]*\)s.*/\1/p' "$out/progress")
    v=""; "$BIN" verify "$g" "$out/o$n.json" >/dev/null 2>&1 || v=" (verify FAILED)"
    set -- $(cal_facts "$g" "$out/o$n.json")
    awk -v n="$n" -v sz="$sz" -v L="$PEER_LIMIT" -v f="$f" -v st="$1" -v pl="$2" -v req="$3" \
        -v obj="$4" -v bnd="$5" -v v="$v" -v t="$(tail -1 "$out/t")" 'BEGIN {
        split(t, tm, " ")
        printf "| %s | %s | blendsched (decomposition, 2 threads) | %s s | %s | %s, %s/%s required placed%s | %.10g | - | %s (engine bound) | - | %.0f MiB | %.2f s |\n",
          n, sz, L, (f == "" ? "none" : sprintf("%.2f s", f)), st, pl, req, v, obj, bnd, tm[2] / 1024, tm[1] }'
    for peer in glpsol cbc; do
        have=$have_cbc
        [ "$peer" = glpsol ] && have=$have_glpsol
        if [ "$have" -eq 0 ]; then
            echo "| $n | | $peer | | not installed (make bench-deps) | | | | | | | |"
            continue
        fi
        # Their own limits are not checked in every phase (CBC overran a 60 s
        # limit by minutes on 30 cohorts): the harness stops them at the cap.
        # stdbuf: CBC buffers its log in a pipe, which would spoil the stamps.
        if [ "$peer" = glpsol ]; then
            /usr/bin/time -f "%e %M" -o "$out/t" timeout -k 10 "$peer_cap" glpsol --mps "$out/m$n.mps" \
                --tmlim "$PEER_LIMIT" -w "$out/$peer$n.sol" 2>&1 | stamp >"$out/$peer$n.log" || true
            fmt=--glpk-solution
        else
            /usr/bin/time -f "%e %M" -o "$out/t" timeout -k 10 "$peer_cap" stdbuf -oL -eL cbc "$out/m$n.mps" \
                -threads 2 -timeMode elapsed -sec "$PEER_LIMIT" -solve -solu "$out/$peer$n.sol" 2>&1 |
                stamp >"$out/$peer$n.log" || true
            fmt=--cbc-solution
        fi
        killed=0
        grep -q 'Command terminated by signal\|Command exited with non-zero status 124' "$out/t" && killed=1
        rc=0
        [ -s "$out/$peer$n.sol" ] || printf 'Infeasible - no solution written\n' >"$out/$peer$n.none"
        if [ -s "$out/$peer$n.sol" ]; then
            "$BIN" model "$g" "$fmt" "$out/$peer$n.sol" -o "$out/$peer$n.json" 2>"$out/read" || rc=$?
        else
            "$BIN" model "$g" --cbc-solution "$out/$peer$n.none" -o "$out/$peer$n.json" 2>"$out/read" || rc=$?
        fi
        v=verified
        if [ "$rc" -gt 1 ]; then
            v="not readable: $(head -1 "$out/read")"
        elif ! "$BIN" verify "$g" "$out/$peer$n.json" >/dev/null 2>&1; then
            v="verify FAILED"
        fi
        set -- $(cal_facts "$g" "$out/$peer$n.json" 2>/dev/null || echo "- 0 0 nan nan 0")
        "$PY" - "$peer" "$out/$peer$n.log" "$below" "$constant" "$n" "$PEER_LIMIT" "$1" "$2" "$3" "$4" \
            "$v" "$(tail -1 "$out/t")" "$killed" "$peer_cap" <<'PY'
import re, sys
peer, log, below, const, n, limit, st, pl, req, obj, v, t, killed, cap = sys.argv[1:]
below, const, limit = float(below), float(const), float(limit)
wall, mem = (float(x) for x in t.split())
lines = open(log, errors="replace").read().splitlines()
inc = []            # (seconds, objective in the file) of each new incumbent
bound = None
ended = "finished"
num = r"([-+]?[0-9][0-9.eE+-]*)"
for l in lines:
    ts, _, text = l.partition(" ")
    if peer == "glpsol":
        m = re.search(r">>>>>\s+" + num + r"\s+>=\s+" + num, text)
        if m:
            inc.append((float(ts), float(m.group(1)))); bound = float(m.group(2))
        m = re.search(r"mip =\s+not found yet\s+>=\s+" + num, text)
        if m:
            bound = float(m.group(1))
        m = re.search(r"^\+\s*\d+: mip =\s+" + num + r"\s+>=\s+" + num, text)
        if m:
            bound = float(m.group(2))
        if "TIME LIMIT EXCEEDED" in text: ended = "time limit"
        if "INTEGER OPTIMAL" in text: ended = "optimal"
    else:
        m = re.search(r"Integer solution of " + num, text)
        if m:
            inc.append((float(ts), float(m.group(1))))
        m = re.search(r"best possible " + num, text)
        if m: bound = float(m.group(1))
        m = re.search(r"^Lower bound:\s+" + num, text)
        if m: bound = float(m.group(1))
        if "Result - Stopped on time" in text: ended = "time limit"
        if "Result - Optimal" in text: ended = "optimal"
        if "Result - Problem proven infeasible" in text: ended = "infeasible"
        m = re.search(r"^Objective value:\s+" + num, text)
        if m and ended == "optimal": bound = float(m.group(1))
if killed == "1":
    ended = "stopped by the harness at %s s (its own limit did not stop it)" % cap
# first incumbent that is complete by its objective (below the cost of one
# unplaced required session), or the last incumbent when its calendar is
# complete (checked by verify): whichever is first
first = next((s for s, o in inc if o < below), None)
if st == "complete" and inc and (first is None or inc[-1][0] < first):
    first = inc[-1][0]
if not inc:
    fc = "none (no integer solution)"
elif first is None:
    fc = "none (incumbents leave sessions unplaced)"
else:
    fc = "%.2f s" % first
mipobj = "%.10g" % (inc[-1][1] + const) if inc else "-"
mipb = "%.10g" % (bound + const) if bound is not None else "-"
gap = "%.1f %%" % (100 * (inc[-1][1] - bound) / inc[-1][1]) if inc and bound is not None and inc[-1][1] > 0 else "-"
objc = ("%.10g" % float(obj)) if inc and st != "-" else "-"
endtxt = ended + ("; %s, %s/%s required placed, %s" % (st, pl, req, v) if inc and st != "-" else "; nothing to read back")
print("| %s | | %s | %g s | %s | %s | %s | %s | %s | %s | %.0f MiB | %.2f s |" %
      (n, {"glpsol": "glpsol (GLPK alone)", "cbc": "CBC 2 threads"}[peer], limit, fc, endtxt,
       objc, mipobj, mipb, gap, mem / 1024, wall))
PY
    done
done
echo
echo "Commands per size N: \`build/blendsched model g.json --mps m.mps\`; ours: \`build/blendsched solve g.json --progress --threads 2 --time-limit $PEER_LIMIT -o cal.json\`;"
echo "GLPK: \`glpsol --mps m.mps --tmlim $PEER_LIMIT -w glpk.sol\`, then \`build/blendsched model g.json --glpk-solution glpk.sol -o peer.json && build/blendsched verify g.json peer.json\`;"
echo "CBC: \`cbc m.mps -threads 2 -timeMode elapsed -sec $PEER_LIMIT -solve -solu cbc.sol\`, then \`build/blendsched model g.json --cbc-solution cbc.sol -o peer.json && build/blendsched verify g.json peer.json\`."
echo "The peers' times are wall seconds from their start (reading the MPS included; writing it is not), taken by time-stamping their log lines; a peer still running at twice its limit plus 60 s is stopped (\`timeout\`), and the table says so."
echo "\"first complete calendar\" for a peer: its first incumbent whose objective is below the cost of one unplaced required session (\`complete_below\` of \`blendsched model\`), or its last incumbent when the calendar read back from it is complete, whichever is earlier."
echo "\"objective (verified calendar)\" is FORMAT.md's objective of the peer's final solution read back as a calendar and checked by \`verify\`, comparable with ours."
echo "The MIP objective and bound are in the monolithic model's terms: its rhythm term measures against a reference pattern fixed from the candidates (docs/solver.md), so the MIP bound is not a bound on FORMAT.md's objective, and a MIP optimum can cost more than the engine's calendar."
} >"$table"

cat "$table"
if [ -f BENCHMARKS.md ] && grep -q "<!-- BEGIN GENERATED $mode" BENCHMARKS.md; then
    awk -v f="$table" -v mode="$mode" '
      index($0, "<!-- BEGIN GENERATED " mode) == 1 {print; while ((getline l < f) > 0) print l; skip=1; next}
      skip && /<!-- END GENERATED/ {skip=0}
      !skip {print}' BENCHMARKS.md >"$out/B" && cp "$out/B" BENCHMARKS.md
    echo "BENCHMARKS.md updated (section $mode)" >&2
else
    echo "BENCHMARKS.md has no '<!-- BEGIN GENERATED $mode' marker: not updated" >&2
fi
