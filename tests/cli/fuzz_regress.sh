#!/bin/sh
# @file fuzz_regress.sh
# @brief Replays fixtures/fuzz/TARGET/* through the command each fuzz target
#        stands for (tests/fuzz/, `make fuzz`): read_instance -> `check`,
#        scenario -> `scenario apply` on the example, calendar -> `verify`
#        against fixtures/verify/clean/input.json. Each file must be
#        accepted or refused with a message naming it (exit 0, 1 or 2):
#        never a signal, exit 3, or a sanitizer report (under `make asan`).
set -u
BIN=${BLENDSCHED:?set BLENDSCHED to the blendsched binary}
case "$BIN" in /*) ;; */*) BIN="$(pwd)/$BIN" ;; esac
cd "$(dirname "$0")/../.." || exit 2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bs-fuzzre.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM
fails=0
ok() { echo "ok - $*"; }
fail() { echo "FAIL - $*"; fails=$((fails + 1)); }

# replay TARGET MAXSTATUS CMD...: CMD gets each file as its last argument
replay() {
    target=$1 max=$2
    shift 2
    n=0
    bad=0
    for f in fixtures/fuzz/"$target"/*; do
        case "$f" in *.md | *'*') continue ;; esac
        n=$((n + 1))
        "$@" "$f" >"$TMP/out" 2>"$TMP/err"
        st=$?
        if [ "$st" -gt "$max" ] || grep -q "Sanitizer\|runtime error" "$TMP/err"; then
            bad=$((bad + 1))
            echo "#   $f: exit $st"
            sed 's/^/#     /' "$TMP/err" | head -n 5
        elif [ "$st" -eq 2 ] && ! grep -q "$(basename "$f")" "$TMP/err"; then
            bad=$((bad + 1))
            echo "#   $f: refused without naming the file"
            sed 's/^/#     /' "$TMP/err" | head -n 3
        fi
    done
    [ "$n" -gt 0 ] || { fail "$target: no fixtures in fixtures/fuzz/$target"; return; }
    [ "$bad" -eq 0 ] && ok "$target: $n fuzz fixtures accepted or refused with a message" ||
        fail "$target: $bad of $n fuzz fixtures crashed or were refused badly"
}
replay read_instance 2 "$BIN" check
replay scenario 2 "$BIN" scenario apply fixtures/example/input.json -o "$TMP/applied.json"
replay calendar 2 "$BIN" verify fixtures/verify/clean/input.json
[ "$fails" -eq 0 ] && echo "# fuzz_regress.sh: all passed"
exit $((fails > 0))
