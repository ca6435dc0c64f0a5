#!/usr/bin/env bash
# corpus.sh - build a corpus of real Django code bases from PyPI for speed comparisons of
# djguard against static peers (Bandit, Ruff), and optionally install those peers.
#
# Usage:  bash bench/corpus.sh [fetch|count|tools|all]...     (default: fetch count)
#   fetch   download the release archives of PROJECTS and unpack them under src/
#   count   count .py / .html files and lines per project (counts.tsv)
#   tools   install the peer tools (pinned Bandit and Ruff) into their own venv
#   all     fetch count tools
# Env:    CORPUS=.cache/bench-corpus           where everything goes (default under the repo)
#         PROJECTS="django wagtail oscar"      subset to build; also available: pretix sentry
#         PYTHON=python3                       interpreter for the helper venv
#         QUIET=1                              `tools`: do not print the peer commands
# Layout: $CORPUS/dl/        downloaded archives (kept, so re-runs do not download again)
#         $CORPUS/src/NAME/  one unpacked code base per project, e.g. src/django-5.2.19
#         $CORPUS/MANIFEST   sha256 of every archive
#         $CORPUS/counts.tsv file and line counts
#         $CORPUS/venv/      pip for downloading; bandit and ruff after `tools`
# Size:   tens of MB of archives and roughly 100+ MB unpacked for the default three projects
#         (django-oscar alone: 8 MB archive, 46 MB unpacked).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${CORPUS:-$ROOT/.cache/bench-corpus}
PROJECTS=${PROJECTS:-"django wagtail oscar"}
PYTHON=${PYTHON:-python3}
VENV=$CORPUS/venv
DL=$CORPUS/dl
SRC=$CORPUS/src

# Versions are fixed so that timings stay comparable between runs and machines.
# KIND: sdist (full source tree with tests and templates) or wheel (where no usable sdist exists:
# pretix's sdist fails to prepare metadata, sentry publishes only a yanked wheel for 23.7.1).
declare -A PKG=([django]=django [wagtail]=wagtail [oscar]=django-oscar [pretix]=pretix [sentry]=sentry)
declare -A VER=([django]=5.2.19 [wagtail]=8.0.1 [oscar]=4.2.1 [pretix]=2026.8.0 [sentry]=23.7.1)
declare -A KIND=([django]=sdist [wagtail]=sdist [oscar]=sdist [pretix]=wheel [sentry]=wheel)
BANDIT_VERSION=1.9.4
RUFF_VERSION=0.17.6

say() { printf '== %s\n' "$*"; }

dir_of() { echo "$SRC/$1-${VER[$1]}"; }

ensure_venv() {
  [ -x "$VENV/bin/python" ] && return
  say "creating helper venv $VENV"
  mkdir -p "$CORPUS"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
}

# find_archive PROJECT -> path of the downloaded archive, or nothing.
# Archive names differ in case and separators (Django-5.2.19.tar.gz, django_oscar-4.2.1.tar.gz,
# pretix-2026.8.0-py3-none-any.whl), so match on the normalised project name.
find_archive() {
  local p=$1 norm
  norm=$(echo "${PKG[$p]}" | tr 'A-Z-' 'a-z_')
  find "$DL" -maxdepth 1 -type f \
    \( -iname "$norm-${VER[$p]}.tar.gz" -o -iname "${PKG[$p]}-${VER[$p]}.tar.gz" \
       -o -iname "$norm-${VER[$p]}-*.whl" \) | sort | head -1
}

fetch_one() {
  local p=$1 spec archive dest
  [ -n "${PKG[$p]:-}" ] || { echo "unknown project '$p' (known: ${!PKG[*]})" >&2; exit 2; }
  spec="${PKG[$p]}==${VER[$p]}"
  dest=$(dir_of "$p")
  archive=$(find_archive "$p")
  if [ -z "$archive" ]; then
    say "downloading $spec (${KIND[$p]})"
    if [ "${KIND[$p]}" = sdist ]; then
      "$VENV/bin/pip" download -q --no-deps --no-binary :all: "$spec" -d "$DL"
    else
      # Pinning with == lets pip take a yanked release (sentry 23.7.1).
      "$VENV/bin/pip" download -q --no-deps --only-binary :all: "$spec" -d "$DL"
    fi
    archive=$(find_archive "$p")
    [ -n "$archive" ] || { echo "download of $spec produced no recognisable archive in $DL" >&2; exit 1; }
  fi
  if [ -d "$dest" ]; then
    say "$p: $dest already unpacked"
    return
  fi
  say "unpacking $(basename "$archive") -> $dest"
  mkdir -p "$dest.partial"
  case $archive in
    *.tar.gz) tar -xzf "$archive" -C "$dest.partial" --strip-components=1 ;;
    *.whl) "$VENV/bin/python" -m zipfile -e "$archive" "$dest.partial" ;;
  esac
  mv "$dest.partial" "$dest"
}

step_fetch() {
  ensure_venv
  mkdir -p "$DL" "$SRC"
  local p
  for p in $PROJECTS; do fetch_one "$p"; done
  (cd "$DL" && sha256sum -- * > "$CORPUS/MANIFEST.tmp" && mv "$CORPUS/MANIFEST.tmp" "$CORPUS/MANIFEST")
  say "archives (sha256):"
  sed 's/^/   /' "$CORPUS/MANIFEST"
}

count_lines() {  # count_lines DIR GLOB -> "files lines"
  local files lines
  files=$(find "$1" -type f -name "$2" | wc -l)
  lines=$(find "$1" -type f -name "$2" -print0 | xargs -0 -r cat | wc -l)
  echo "$files $lines"
}

step_count() {
  local p d out=$CORPUS/counts.tsv
  printf 'project\tdir\tpy_files\tpy_lines\thtml_files\thtml_lines\n' > "$out"
  for p in $PROJECTS; do
    d=$(dir_of "$p")
    [ -d "$d" ] || { echo "missing $d (run the fetch step first)" >&2; exit 1; }
    read -r pyf pyl < <(count_lines "$d" '*.py')
    read -r htf htl < <(count_lines "$d" '*.html')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$p" "${d#"$CORPUS"/}" "$pyf" "$pyl" "$htf" "$htl" >> "$out"
  done
  column -t -s $'\t' "$out"
}

step_tools() {
  ensure_venv
  say "installing bandit==$BANDIT_VERSION ruff==$RUFF_VERSION into $VENV"
  "$VENV/bin/pip" install -q "bandit==$BANDIT_VERSION" "ruff==$RUFF_VERSION"
  "$VENV/bin/bandit" --version | head -1
  "$VENV/bin/ruff" --version
  if [ "${QUIET:-0}" = 1 ]; then return; fi
  cat <<EOF
Peer commands, run inside a project directory under $SRC
(same file sets as djguard: the whole tree):
  $VENV/bin/ruff check --select S,DJ --no-cache .
  $VENV/bin/bandit -r . -q -f json -o /dev/null
Time them with bench/timeit.py (accept exit 1: both tools exit 1 when they find something):
  python3 bench/timeit.py -n 3 --ok 0,1 --cwd DIR -- COMMAND ...
EOF
}

steps=${*:-fetch count}
for s in $steps; do
  case $s in
    all) step_fetch; step_count; step_tools ;;
    fetch | count | tools) "step_$s" ;;
    *) echo "unknown step '$s' (fetch, count, tools, all)" >&2; exit 2 ;;
  esac
done
