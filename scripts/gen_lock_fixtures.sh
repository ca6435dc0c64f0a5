#!/usr/bin/env bash
# Regenerates djguard's dependency lock-file fixtures with the *real* tools.
#
#   scripts/gen_lock_fixtures.sh [STEP...]
#
# STEP is any of: tools poetry poetry-tables uv pdm pipenv pip pip-tools
# requirements bench (default: all of them, in that order).
#
# Outputs (committed; keep them exactly as the tools wrote them):
#   crates/djguard/tests/fixtures/deps/locks/<tool>/      lock file(s), the input the tool
#                                                         locked, TOOL_VERSION
#   crates/djguard/tests/fixtures/deps/requirements/expected_pip_parse.json
#                                                         pip's own parse of the hand-written
#                                                         requirements files next to it
#   bench/deps/{requirements.txt,uv.lock,pyproject.toml}  ~300-package benchmark lock
#
# Inputs: crates/djguard/tests/fixtures/deps/project/pyproject.toml (the example project
# "mysite", PEP 621), bench/deps/requirements.in, and the Pipfile / Poetry-table /
# requirements.in variants written below. Every tool lives in its own venv under
# .cache/lockgen/venv/<tool> (gitignored) with the versions pinned here, installed from
# PyPI with the dependency versions that were used (see constraints_for); each tool runs
# in a scratch copy under .cache/lockgen/work/ and only the named files are copied back.
# All tool configuration/caches are redirected into .cache/lockgen (XDG_* variables), so
# nothing touches the user's own poetry/pdm/pipenv/uv configuration.
#
# Index: the tools use the index pip is configured with (PIP_INDEX_URL, else
# `pip config get global.index-url`, else https://pypi.org/simple) and pip's CA bundle
# (PIP_CERT / global.cert / system bundle). Where this was written, that is plain PyPI
# reached through a TLS-intercepting egress proxy whose CA is in the system bundle, and
# only the simple API (PEP 503/691) and files.pythonhosted.org are reachable: PyPI's
# per-version JSON API (/pypi/<name>/<version>/json) answers 404. Poetry's built-in PyPI
# repository needs that API, so in that case Poetry gets a primary *legacy* source named
# "pypi-simple" on the same simple index (it then records `[package.source]` tables in
# poetry.lock); with a working JSON API Poetry uses PyPI directly and the pyprojects stay
# source-free. See index_setup below for what each tool needs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache/lockgen"
WORK="$CACHE/work"
FIX="$ROOT/crates/djguard/tests/fixtures/deps"
LOCKS="$FIX/locks"
BENCH="$ROOT/bench/deps"

# Interpreter the venvs are built from and the locks are made for: CPython 3.11.
PYTHON="${LOCKGEN_PYTHON:-python3}"

PIP_VERSION=26.3            # >= 25.1 for `pip lock` (PEP 751 pylock.toml)
POETRY_VERSION=2.5.1
UV_VERSION=0.13.9
PDM_VERSION=2.29.3          # installed as pdm[locked]: its own pinned dependency set
PIPENV_VERSION=2026.10.3
PIP_TOOLS_VERSION=7.6.2

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'gen_lock_fixtures: %s\n' "$*" >&2; exit 1; }

PYTHON="$(command -v "$PYTHON")" || die "no $PYTHON"
PY_VERSION="$("$PYTHON" -c 'import platform; print(platform.python_version())')"
case "$PY_VERSION" in 3.11.*) ;; *) die "need CPython 3.11 (LOCKGEN_PYTHON), got $PY_VERSION" ;; esac

# --------------------------------------------------------------------------- index
index_setup() {
    INDEX_URL="${PIP_INDEX_URL:-}"
    [ -n "$INDEX_URL" ] || INDEX_URL="$("$PYTHON" -m pip config get global.index-url 2>/dev/null || true)"
    INDEX_URL="${INDEX_URL:-https://pypi.org/simple}"
    INDEX_URL="${INDEX_URL%/}"
    CA_BUNDLE="${PIP_CERT:-}"
    [ -n "$CA_BUNDLE" ] || CA_BUNDLE="$("$PYTHON" -m pip config get global.cert 2>/dev/null || true)"
    [ -n "$CA_BUNDLE" ] || CA_BUNDLE="${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}"
    [ -f "$CA_BUNDLE" ] || die "CA bundle $CA_BUNDLE not found"

    # Keep every tool's config and cache inside .cache/lockgen.
    export XDG_CACHE_HOME="$CACHE/xdg/cache" XDG_CONFIG_HOME="$CACHE/xdg/config"
    export XDG_DATA_HOME="$CACHE/xdg/data" XDG_STATE_HOME="$CACHE/xdg/state"
    mkdir -p "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME"
    unset VIRTUAL_ENV PIP_FIND_LINKS PIP_REQUIRE_VIRTUALENV PYTHONPATH || true

    # pip, pip lock, pip-tools: pip's own settings (pip-compile does not write the index
    # into requirements.txt while it is the default one).
    export PIP_INDEX_URL="$INDEX_URL" PIP_CERT="$CA_BUNDLE" PIP_DISABLE_PIP_VERSION_CHECK=1
    # Anything using requests / httpx / OpenSSL defaults (poetry, pipenv, pdm).
    export REQUESTS_CA_BUNDLE="$CA_BUNDLE" SSL_CERT_FILE="$CA_BUNDLE"
    # uv: UV_DEFAULT_INDEX replaces PyPI (uv.lock records it as the registry);
    # SSL_CERT_FILE (above) makes it trust the bundle.
    export UV_DEFAULT_INDEX="$INDEX_URL" UV_CACHE_DIR="$CACHE/uv-cache"
    export UV_PYTHON="$PYTHON" UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1
    # pdm: PDM_PYPI_URL replaces PyPI; the CA goes to its global config (pypi.ca_certs).
    export PDM_PYPI_URL="$INDEX_URL" PDM_PYTHON="$PYTHON" PDM_CHECK_UPDATE=false
    export PDM_NON_INTERACTIVE=1 PDM_IGNORE_SAVED_PYTHON=1
    # pipenv: the index is the Pipfile's [[source]] (written from INDEX_URL below); its
    # resolver runs pip, which reads PIP_CERT / PIP_INDEX_URL.
    export WORKON_HOME="$CACHE/pipenv-venvs" PIPENV_YES=1 PIPENV_NOSPIN=1
    export PIPENV_IGNORE_VIRTUALENVS=1 PIPENV_VERBOSITY=-1 PIPENV_VENV_IN_PROJECT=0
    # poetry: PyPI is built in (JSON API); otherwise a legacy source, see poetry_source.
    export POETRY_VIRTUALENVS_PATH="$CACHE/poetry-venvs" POETRY_NO_INTERACTION=1
    export POETRY_CACHE_DIR="$XDG_CACHE_HOME/pypoetry"

    POETRY_SOURCE=""
    if [ "$INDEX_URL" != "https://pypi.org/simple" ]; then
        POETRY_SOURCE="mirror"
    elif ! "$PYTHON" - "$CA_BUNDLE" <<'PY' 2>/dev/null; then
import ssl, sys, urllib.request
ctx = ssl.create_default_context(cafile=sys.argv[1])
urllib.request.urlopen("https://pypi.org/pypi/django/4.2.7/json", context=ctx, timeout=60)
PY
        POETRY_SOURCE="pypi-simple"
    fi
    log "index $INDEX_URL (CA $CA_BUNDLE); poetry source: ${POETRY_SOURCE:-built-in PyPI}"
}

# --------------------------------------------------------------------------- tools
# The dependency versions each tool venv was built with (pip freeze minus the tool),
# used as constraints so that later PyPI releases of a dependency cannot break the tool
# (pdm 2.29.3 does break with hishel 2 / httpx2 otherwise).
constraints_for() {
    case "$1" in
        poetry) tr ' ' '\n' <<'EOF'
anyio==4.16.0 backports.tarfile==1.2.0 backports.zstd==1.8.0 build==1.6.1
CacheControl==0.14.4 certifi==2026.10.18 cffi==2.1.1 charset-normalizer==3.5.2
cleo==2.1.0 crashtest==0.4.1 cryptography==50.0.2 distlib==0.4.4 dulwich==1.2.21
fastjsonschema==2.22.3 filelock==4.2.11 findpython==0.8.0 h11==0.16.0 httpcore2==2.16.2
httpx2==2.16.2 idna==3.20 importlib_metadata==10.2.0 installer==1.1.0
jaraco.classes==3.4.0 jaraco.context==6.1.2 jaraco.functools==4.6.0 jeepney==0.9.0
keyring==25.7.0 lazy-importer==0.1.0 more-itertools==11.2.1 msgpack==1.2.4
packaging==26.3 pbs-installer==2026.10.25 pkginfo==1.13.3 platformdirs==4.14.7
poetry-core==2.5.0 pycparser==3.12 pyproject_hooks==1.3.3 python-discovery==1.9.5
RapidFuzz==3.14.6 requests==2.34.2 requests-toolbelt==1.0.0 SecretStorage==3.5.0
shellingham==1.5.4 tomlkit==0.15.2 trove-classifiers==2026.9.21.13 truststore==0.10.5
typing_extensions==4.16.0 urllib3==2.8.0 virtualenv==21.15.8 zipp==4.1.2
EOF
        ;;
        pipenv) tr ' ' '\n' <<'EOF'
certifi==2026.10.18 distlib==0.4.4 filelock==4.2.11 packaging==26.3 platformdirs==4.14.7
python-discovery==1.9.5 virtualenv==21.15.8
EOF
        ;;
        pip-tools) tr ' ' '\n' <<'EOF'
build==1.6.1 click==8.5.1 packaging==26.3 pyproject_hooks==1.3.3
EOF
        ;;
        uv | pip) : ;;  # no dependencies
        pdm) : ;;       # pdm[locked] pins its own dependency set
    esac
}

tool_spec() {
    case "$1" in
        pip) echo "pip==$PIP_VERSION" ;;
        poetry) echo "poetry==$POETRY_VERSION" ;;
        uv) echo "uv==$UV_VERSION" ;;
        pdm) echo "pdm[locked]==$PDM_VERSION" ;;
        pipenv) echo "pipenv==$PIPENV_VERSION" ;;
        pip-tools) echo "pip-tools==$PIP_TOOLS_VERSION" ;;
    esac
}

TOOLS=(pip poetry uv pdm pipenv pip-tools)

venv_of() { echo "$CACHE/venv/$1"; }

ensure_tool() {
    local tool="$1" venv spec cons
    venv="$(venv_of "$tool")"
    spec="$(tool_spec "$tool")"
    if [ -f "$venv/.installed" ] && [ "$(cat "$venv/.installed")" = "$spec pip==$PIP_VERSION" ]; then
        return
    fi
    log "venv for $tool: $spec"
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
    "$venv/bin/python" -m pip install -q "pip==$PIP_VERSION"
    cons="$CACHE/constraints-$tool.txt"
    constraints_for "$tool" >"$cons"
    "$venv/bin/python" -m pip install -q -c "$cons" "$spec"
    "$venv/bin/python" -m pip check >/dev/null
    echo "$spec pip==$PIP_VERSION" >"$venv/.installed"
}

step_tools() {
    local t
    for t in "${TOOLS[@]}"; do ensure_tool "$t"; done
    # pdm takes its CA bundle from its (isolated) global config only
    "$(venv_of pdm)/bin/pdm" config pypi.ca_certs "$CA_BUNDLE"
}

dist_version() { "$(venv_of "$1")/bin/python" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$2"; }

# --------------------------------------------------------------------------- helpers
# fresh scratch directory for one fixture
scratch() { rm -rf "${WORK:?}/$1"; mkdir -p "$WORK/$1"; echo "$WORK/$1"; }

# publish SCRATCH DEST FILE... : replace DEST with the named files from SCRATCH
publish() {
    local src="$1" dest="$2" f
    shift 2
    rm -rf "$dest"
    mkdir -p "$dest"
    for f in "$@"; do
        mkdir -p "$dest/$(dirname "$f")"
        cp "$src/$f" "$dest/$f"
    done
    # lock files must not leak this machine's paths
    if grep -rl -e "$ROOT" -e "$HOME/" "$dest" >/dev/null 2>&1; then
        grep -rn -e "$ROOT" -e "$HOME/" "$dest" | head -5 >&2
        die "absolute path leaked into $dest"
    fi
}

tool_version_line() { # TOOL_VERSION content: "<tool> <version> (<extra>)"
    echo "$*"
}

poetry_source() { # add the legacy source if the JSON API is not usable (see header)
    local dir="$1" poetry
    [ -n "$POETRY_SOURCE" ] || return 0
    poetry="$(venv_of poetry)/bin/poetry"
    (cd "$dir" && "$poetry" source add -q --priority=primary "$POETRY_SOURCE" "$INDEX_URL/")
    "$poetry" config "certificates.$POETRY_SOURCE.cert" "$CA_BUNDLE"
}

# --------------------------------------------------------------------------- locks
step_poetry() { # PEP 621 [project] + PEP 735 [dependency-groups], Poetry 2
    local d
    d="$(scratch poetry)"
    cp "$FIX/project/pyproject.toml" "$d/"
    poetry_source "$d"
    (cd "$d" && "$(venv_of poetry)/bin/poetry" lock)
    tool_version_line "poetry $(dist_version poetry poetry) (poetry-core $(dist_version poetry poetry-core), CPython $PY_VERSION)" >"$d/TOOL_VERSION"
    publish "$d" "$LOCKS/poetry" pyproject.toml poetry.lock TOOL_VERSION
}

step_poetry_tables() { # [tool.poetry.dependencies] + [tool.poetry.group.dev.dependencies]
    local d
    d="$(scratch poetry-tables)"
    cat >"$d/pyproject.toml" <<'EOF'
[tool.poetry]
name = "mysite"
version = "0.1.0"
description = "Example Django site used as a djguard dependency-lock fixture (Poetry tables)"
authors = ["Mysite Developers <dev@example.invalid>"]
package-mode = false

[tool.poetry.dependencies]
python = "^3.10"
Django = "4.2.7"
djangorestframework = "==3.14.0"
requests = { version = "2.31.0" }
PyYAML = "6.0"
celery = "5.3.1"
Pillow = "10.0.0"

[tool.poetry.group.dev.dependencies]
pytest = ">=8"

[build-system]
requires = ["poetry-core>=2.0.0"]
build-backend = "poetry.core.masonry.api"
EOF
    poetry_source "$d"
    (cd "$d" && "$(venv_of poetry)/bin/poetry" lock)
    tool_version_line "poetry $(dist_version poetry poetry) (poetry-core $(dist_version poetry poetry-core), CPython $PY_VERSION)" >"$d/TOOL_VERSION"
    publish "$d" "$LOCKS/poetry-tables" pyproject.toml poetry.lock TOOL_VERSION
}

step_uv() {
    local d uv
    d="$(scratch uv)"
    uv="$(venv_of uv)/bin/uv"
    cp "$FIX/project/pyproject.toml" "$d/"
    (cd "$d" && "$uv" lock)
    (cd "$d" && "$uv" pip compile -q --generate-hashes --python-version 3.11 --group dev \
        pyproject.toml -o requirements.txt)
    tool_version_line "uv $(dist_version uv uv) (CPython $PY_VERSION)" >"$d/TOOL_VERSION"
    publish "$d" "$LOCKS/uv" pyproject.toml uv.lock requirements.txt TOOL_VERSION
}

step_pdm() {
    local d
    d="$(scratch pdm)"
    cp "$FIX/project/pyproject.toml" "$d/"
    (cd "$d" && "$(venv_of pdm)/bin/pdm" lock -q)
    tool_version_line "pdm $(dist_version pdm pdm) (CPython $PY_VERSION)" >"$d/TOOL_VERSION"
    publish "$d" "$LOCKS/pdm" pyproject.toml pdm.lock TOOL_VERSION
}

step_pipenv() {
    local d
    d="$(scratch pipenv)"
    cat >"$d/Pipfile" <<EOF
[[source]]
url = "$INDEX_URL"
verify_ssl = true
name = "pypi"

[packages]
django = "==4.2.7"
djangorestframework = "==3.14.0"
requests = {version = "==2.31.0"}
pyyaml = "==6.0"
celery = "==5.3.1"
pillow = "==10.0.0"

[dev-packages]
pytest = ">=8"

[requires]
python_version = "3.11"
EOF
    (cd "$d" && "$(venv_of pipenv)/bin/pipenv" lock --python "$PYTHON")
    tool_version_line "pipenv $(dist_version pipenv pipenv) (CPython $PY_VERSION)" >"$d/TOOL_VERSION"
    publish "$d" "$LOCKS/pipenv" Pipfile Pipfile.lock TOOL_VERSION
}

step_pip() { # PEP 751 pylock.toml; valid for this Python/platform only (pip's own caveat)
    local d pip
    d="$(scratch pip)"
    pip="$(venv_of pip)/bin/pip"
    cp "$FIX/project/pyproject.toml" "$d/"
    # runtime dependencies only (the project itself left out) ...
    (cd "$d" && "$pip" lock -q --only-deps . -o pylock.toml)
    # ... and the project (a [packages.directory] entry) plus its dev group
    (cd "$d" && "$pip" lock -q --group dev . -o pylock.dev.toml)
    tool_version_line "pip $(dist_version pip pip) (CPython $PY_VERSION, linux x86_64)" >"$d/TOOL_VERSION"
    publish "$d" "$LOCKS/pip" pyproject.toml pylock.toml pylock.dev.toml TOOL_VERSION
}

step_pip_tools() {
    local d
    d="$(scratch pip-tools)"
    cat >"$d/requirements.in" <<'EOF'
# Top-level requirements of mysite; compiled with pip-compile --generate-hashes.
Django==4.2.7
djangorestframework==3.14.0
requests==2.31.0
pyyaml==6.0
celery==5.3.1
pillow==10.0.0
EOF
    (cd "$d" && "$(venv_of pip-tools)/bin/pip-compile" -q --generate-hashes requirements.in)
    tool_version_line "pip-tools $(dist_version pip-tools pip-tools) (pip $(dist_version pip-tools pip), CPython $PY_VERSION)" >"$d/TOOL_VERSION"
    publish "$d" "$LOCKS/pip-tools" requirements.in requirements.txt TOOL_VERSION
}

# --------------------------------------------------------------------------- requirements
# pip's own parse of the hand-written requirements fixtures (no network needed).
# ${ARTIFACT_HOST} is set, ${PRIVATE_INDEX_TOKEN} deliberately is not (pip then keeps the
# literal text).
step_requirements() {
    local dir="$FIX/requirements"
    "$(venv_of pip)/bin/python" "$ROOT/scripts/pip_parse_requirements.py" \
        --env ARTIFACT_HOST=artifacts.example.invalid \
        "$dir/requirements.txt" >"$dir/expected_pip_parse.json.tmp"
    mv "$dir/expected_pip_parse.json.tmp" "$dir/expected_pip_parse.json"
    log "requirements: $(grep -c '"requirement":' "$dir/expected_pip_parse.json") requirement lines parsed by pip $(dist_version pip pip)"
}

# --------------------------------------------------------------------------- bench
# ~300-package lock for benchmarks, from bench/deps/requirements.in.
step_bench() {
    local d uv n
    d="$(scratch bench)"
    uv="$(venv_of uv)/bin/uv"
    cp "$BENCH/requirements.in" "$d/"
    (cd "$d" && "$uv" pip compile -q --generate-hashes --python-version 3.11 \
        requirements.in -o requirements.txt)
    # the same top-level set as a project for `uv lock` (universal, Python >= 3.11)
    {
        echo '# Generated by scripts/gen_lock_fixtures.sh from requirements.in; locked into uv.lock.'
        echo '[project]'
        echo 'name = "djguard-bench-deps"'
        echo 'version = "0.1.0"'
        echo 'requires-python = ">=3.11"'
        echo 'dependencies = ['
        grep -v -E '^[[:space:]]*(#|$)' "$d/requirements.in" | sed -E 's/^[[:space:]]*(.*[^[:space:]])[[:space:]]*$/    "\1",/'
        echo ']'
    } >"$d/pyproject.toml"
    (cd "$d" && "$uv" lock)
    echo "uv $(dist_version uv uv) (CPython $PY_VERSION)" >"$d/TOOL_VERSION"
    for f in requirements.txt pyproject.toml uv.lock TOOL_VERSION; do cp "$d/$f" "$BENCH/$f"; done
    n="$(grep -c -E '^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^]]*\])?==' "$BENCH/requirements.txt")"
    log "bench: $n pinned packages in requirements.txt, $(grep -c '^\[\[package\]\]' "$BENCH/uv.lock") [[package]] entries in uv.lock"
}

# --------------------------------------------------------------------------- main
index_setup
steps=("$@")
[ "${#steps[@]}" -gt 0 ] || steps=(tools poetry poetry-tables uv pdm pipenv pip pip-tools requirements bench)
step_tools
for s in "${steps[@]}"; do
    case "$s" in
        tools) ;;
        poetry) log "poetry (PEP 621)"; step_poetry ;;
        poetry-tables) log "poetry ([tool.poetry] tables)"; step_poetry_tables ;;
        uv) log uv; step_uv ;;
        pdm) log pdm; step_pdm ;;
        pipenv) log pipenv; step_pipenv ;;
        pip) log "pip lock"; step_pip ;;
        pip-tools) log pip-tools; step_pip_tools ;;
        requirements) log "requirements (pip's parser)"; step_requirements ;;
        bench) log bench; step_bench ;;
        *) die "unknown step $s" ;;
    esac
done
log "done"
