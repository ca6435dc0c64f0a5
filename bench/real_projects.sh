#!/usr/bin/env bash
# Run djguard on the settings of three real Django projects from PyPI (the review corpus of
# issue 3): wagtail's project template (rendered like `wagtail start`), pretix's settings and
# sentry's server configuration. Prints the findings for a hand review; see bench/README.md.
# Writes only under .cache/real-projects/.
set -euo pipefail
# Benchmarks reach no outside host: no first-run advisory download.
export DJGUARD_OFFLINE=1
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/.cache/real-projects
DJGUARD=${DJGUARD:-$ROOT/target/release/djguard}
mkdir -p "$WORK"
cd "$WORK"
[ -x "$DJGUARD" ] || (cd "$ROOT" && cargo build --release -p djguard)
for spec in pretix==2026.8.0 wagtail==8.0.1 sentry==23.7.1; do
  name=${spec%%==*}
  if [ ! -d "$name" ]; then
    python3 -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: -d wheels "$spec"
    mkdir -p "$name" && (cd "$name" && python3 -m zipfile -e ../wheels/"$name"-*.whl .)
  fi
done
# wagtail's template as `wagtail start mysite` would render it.
rm -rf wagtail-site && cp -r wagtail/wagtail/project_template wagtail-site
(cd wagtail-site && mv project_name mysite && mv manage.py-tpl manage.py &&
  grep -rl '{{ project_name }}\|{{ secret_key }}' . | xargs sed -i \
    -e 's/{{ project_name }}/mysite/g' -e 's/{{ secret_key }}/dev-only-key-rendered-by-the-template-0123456789abcdef/g')
run() { echo "== $1"; shift; "$DJGUARD" check "$@" --color never || true; echo; }
run "wagtail 8.0.1 project template" wagtail-site
run "pretix 2026.8.0 settings" pretix --settings pretix/settings.py
run "sentry 23.7.1 server configuration" sentry --settings sentry/conf/server.py
