# Sourced by scripts/run and scripts/test: make sure .venv exists and holds
# exactly the pinned packages of requirements.txt (reinstalled when it changes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

if [ ! -x .venv/bin/python ]; then
  echo "==> Creating the virtualenv in .venv ($("$PYTHON" --version))"
  "$PYTHON" -m venv .venv
fi
wanted=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat .venv/.requirements-installed 2>/dev/null)" != "$wanted" ]; then
  echo "==> Installing the pinned packages from requirements.txt"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$wanted" > .venv/.requirements-installed
fi
export PATH="$PWD/.venv/bin:$PATH"
