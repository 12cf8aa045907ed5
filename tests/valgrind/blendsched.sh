#!/bin/sh
# @file blendsched.sh
# @brief Stand-in for the blendsched binary that runs it under valgrind
#        (memcheck), for `make valgrind`: tests/cli/run.sh is given this
#        script as BLENDSCHED. Any memory error or definitely-lost block
#        writes a report into VG_LOGDIR (one file per process) and makes the
#        command exit 99, which the test expecting another status reports.
#        Possibly-lost and still-reachable blocks (OpenMP's thread pool, the
#        C library's time-zone cache) are not errors.
# Env: VG_BIN = the real binary; VG_LOGDIR = the folder for reports.
: "${VG_BIN:?set VG_BIN to the blendsched binary}"
: "${VG_LOGDIR:?set VG_LOGDIR to a folder for valgrind reports}"
# valgrind cannot start under an address-space limit (the out-of-memory case
# of tests/cli/reliability.sh): there the binary runs alone
[ "$(ulimit -v)" = unlimited ] || exec "$VG_BIN" "$@"
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --track-origins=no --child-silent-after-fork=yes \
    --log-file="$VG_LOGDIR/vg.%p.log" "$VG_BIN" "$@"
