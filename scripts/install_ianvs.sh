#!/usr/bin/env bash
# Install Ianvs into a virtual environment from a checkout: $IANVS_SRC, else a clone of kubeedge/ianvs
# at $IANVS_REF, the commit this project was verified with (its OracleRouter gets both models injected).
# Order (Ianvs's own install steps): the Sedna wheel bundled with Ianvs, Ianvs's requirements.txt, then Ianvs itself.
# PyPI's `sedna` is an unrelated package and is never installed.
# Usage: scripts/install_ianvs.sh PYTHON [--optional]
set -euo pipefail
py=$1
optional=${2:-}
fail() {
  echo "Ianvs: $*" >&2
  if [ "$optional" = "--optional" ]; then
    echo "Ianvs: not installed; tests that need it will be skipped." >&2
    exit 0
  fi
  exit 1
}

ref=${IANVS_REF:-1d3da5b180b39bfa1960e522bde0461b714ab6aa}
src=${IANVS_SRC:-}
if [ -z "$src" ]; then
  src=.cache/ianvs-src
  if [ ! -f "$src/setup.py" ]; then
    rm -rf "$src"
    echo "Ianvs: cloning https://github.com/kubeedge/ianvs (set IANVS_SRC to use a local checkout)"
    git clone --quiet --no-checkout https://github.com/kubeedge/ianvs.git "$src" 2>/dev/null \
      || fail "could not clone kubeedge/ianvs; set IANVS_SRC to a checkout of it"
    # Only what the install needs: some snapshots lack large example binaries that break a full checkout.
    git -C "$src" checkout "$ref" -- core setup.py requirements.txt README.md LICENSE examples/resources/third_party \
      || fail "checkout of $ref in $src failed (set IANVS_REF to another commit, or IANVS_SRC)"
  fi
fi
[ -f "$src/setup.py" ] || fail "$src is not an Ianvs checkout (no setup.py)"
head=$(git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)
if [ -n "${IANVS_SRC:-}" ] && [ "$head" != "$ref" ]; then
  echo "Ianvs: note: $src is at $head, not the verified $ref (IANVS_REF); installing it anyway" >&2
fi
wheel=$(ls "$src"/examples/resources/third_party/sedna-*.whl 2>/dev/null | head -n 1)
[ -n "$wheel" ] || fail "no Sedna wheel under $src/examples/resources/third_party"

stamp="$(dirname "$(dirname "$py")")/.ianvs.stamp"
id="$(cd "$src" && (git rev-parse HEAD 2>/dev/null || echo local)) $(sha256sum "$wheel" | cut -c1-16)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$id" ] && "$py" -c "import core, sedna" 2>/dev/null; then
  echo "Ianvs: already installed from $src"
  exit 0
fi
echo "Ianvs: installing from $src"
"$py" -m pip install --quiet "$wheel"
"$py" -m pip install --quiet -r "$src/requirements.txt"
# Build from a copy: pip writes build/ and *.egg-info into the source folder otherwise.
tmp=$(mktemp -d)
cp -r "$src/core" "$src/setup.py" "$src/README.md" "$src/LICENSE" "$src/requirements.txt" "$tmp"/
"$py" -m pip install --quiet "$tmp"
rm -rf "$tmp"
echo "$id" > "$stamp"
