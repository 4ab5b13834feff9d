#!/usr/bin/env bash
# Update the locked dependencies from pyproject.toml (see README, "Locked dependencies"):
#   requirements/deploy.txt  what a build needs: the Pages workflows (this repository's and the
#                            one `civictrack new` writes, which ships a copy) install exactly this
#   requirements/test.txt    deploy.txt's pins plus what the tests need: scripts/test.sh and CI
# Exact versions with the hashes of every file PyPI has for them, for every platform and
# Python >= 3.11 (uv's universal resolution). Then run `bash scripts/test.sh`, which proves
# the new versions build the same site, and commit both files.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v uv >/dev/null || python -m pip install -q uv
# --upgrade: the newest versions pyproject.toml allows; without it, the pins stay where they are
# unless pyproject.toml no longer allows them
args=(--universal --python-version 3.11 --generate-hashes --quiet --index-url https://pypi.org/simple "$@")
uv pip compile pyproject.toml "${args[@]}" \
  --custom-compile-command "bash scripts/lock.sh" -o requirements/deploy.txt
uv pip compile pyproject.toml --extra test -c requirements/deploy.txt "${args[@]}" \
  --custom-compile-command "bash scripts/lock.sh" -o requirements/test.txt
