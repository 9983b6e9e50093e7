#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu).
# It installs Python >= 3.11 if missing, a virtual environment, CPU torch and modl-tutor.
# Environment overrides: MODL_AUTOGRADER_ROOT (default /autograder), TORCH_INDEX_URL.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="${MODL_AUTOGRADER_ROOT:-/autograder}"
VENV="$ROOT/modl-venv"
TORCH_VERSION="@TORCH_VERSION@"
TORCH_INDEX_URL="${TORCH_INDEX_URL:-https://download.pytorch.org/whl/cpu}"

find_python() {
    local candidate
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -y
    apt-get install -y --no-install-recommends "$@"
}

PYTHON="$(find_python || true)"
if [ -z "$PYTHON" ]; then
    echo "setup.sh: installing Python 3.11+"
    apt_install python3 python3-venv python3-pip ca-certificates || true
    PYTHON="$(find_python || true)"
fi
if [ -z "$PYTHON" ]; then
    apt_install python3.11 python3.11-venv
    PYTHON="$(find_python)"
fi
echo "setup.sh: using $("$PYTHON" --version) at $PYTHON"

if ! "$PYTHON" -m venv "$VENV"; then
    echo "setup.sh: installing the venv module"
    apt_install "$(basename "$PYTHON")-venv" python3-venv python3-pip || true
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip)
"${PIP[@]}" install --upgrade pip

# CPU-only torch first (the default index would pull the large CUDA build).
if ! "${PIP[@]}" install "torch==$TORCH_VERSION" --index-url "$TORCH_INDEX_URL"; then
    "${PIP[@]}" install "torch==$TORCH_VERSION"
fi

# modl-tutor: a bundled wheel or sdist when there is one, else the bundled source tree.
shopt -s nullglob
packages=("$HERE"/modl/*.whl "$HERE"/modl/*.tar.gz "$HERE"/modl/*.zip)
if [ "${#packages[@]}" -gt 0 ]; then
    "${PIP[@]}" install "${packages[0]}"
else
    "${PIP[@]}" install "$HERE/modl/src"
fi

"$VENV/bin/python" -m modl_tutor --version

# Where the container allows no namespaces, the sandbox runs student code as an unprivileged
# uid with limits only: make everything secret unreadable to it (the bundled bank with its
# hidden checks and solutions, and the installed grader with its reference kernels). NumPy,
# the standard library and the interpreter stay readable.
chmod -R go-rwx "$ROOT/source" 2>/dev/null || true
PKG="$("$VENV/bin/python" -c 'import modl_tutor, os; print(os.path.dirname(modl_tutor.__file__))')"
chmod -R go-rwx "$PKG"
"$VENV/bin/python" -m modl_tutor doctor || true
echo "setup.sh: done"
