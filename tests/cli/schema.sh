#!/bin/sh
# Validates the JSON Schemas in docs/schema/ against FORMAT.md's documents:
# the fixtures, the shared example, inline good and broken documents and,
# when BLENDSCHED names a binary with `solve`, the engine's own output.
# Debian's interpreter is used on purpose: it sees python3-jsonschema, which a
# pyenv python3 earlier on PATH may not.
set -eu
# BLENDSCHED may be relative to the caller's directory; keep it valid after cd.
if [ -n "${BLENDSCHED:-}" ]; then
    case "$BLENDSCHED" in
    /*) ;;
    */*) BLENDSCHED="$(pwd)/$BLENDSCHED"; export BLENDSCHED ;;
    esac
fi
cd "$(dirname "$0")/../.."
exec /usr/bin/python3 tests/cli/schema_check.py "$@"
