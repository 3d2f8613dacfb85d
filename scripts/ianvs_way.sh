#!/usr/bin/env bash
# The Ianvs way, end to end, in a fresh virtual environment: install Ianvs and its Sedna wheel (Ianvs's
# own steps), put this example at examples/TAB/privacy_edge/ of an Ianvs root, `pip install -r
# requirements.txt` from there, prepare the data and run `ianvs -f examples/TAB/privacy_edge/benchmarkingjob.yaml`
# from the root, unchanged. What a new Ianvs user does; CI can run it where there is time for it.
# Usage: scripts/ianvs_way.sh [WORKDIR]   (env: PYTHON, IANVS_SRC or network, TAB_DATA or network,
#        DOCS (default 16), MAX_CHARS (default 2000), TORCH_INDEX (default: the CPU wheels where no
#        NVIDIA GPU is found), PIP_ARGS (extra pip arguments))
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(realpath -m "${1:-.cache/ianvs-way}")
python=${PYTHON:-python3}
docs=${DOCS:-16}
chars=${MAX_CHARS:-2000}
gpu=$(nvidia-smi -L >/dev/null 2>&1 && echo yes || true)
torch_index=${TORCH_INDEX-$([ -n "$gpu" ] || echo https://download.pytorch.org/whl/cpu)}
example=examples/TAB/privacy_edge

rm -rf "$work" && mkdir -p "$work/root/$example"
echo "ianvs-way: a fresh environment in $work/venv"
"$python" -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install --quiet --upgrade pip
"$here/scripts/install_ianvs.sh" "$py"
# The example, as a user gets it: the committed files only (git archive), at examples/TAB/privacy_edge.
git -C "$here" archive HEAD | tar -x -C "$work/root/$example"
cd "$work/root"
# torch's CPU wheels where there is no NVIDIA GPU (its own index, for torch alone); then the example's requirements.
"$py" -m pip install --quiet ${PIP_ARGS:-} ${torch_index:+--index-url "$torch_index"} \
  "$(grep -E '^torch==' "$example/requirements.txt")"
start=$(date +%s)
"$py" -m pip install --quiet ${PIP_ARGS:-} -r "$example/requirements.txt"
echo "ianvs-way: pip install -r requirements.txt took $(( $(date +%s) - start )) s"
"$py" -m pip list --format=freeze | grep -iE '^(torch|nvidia)' || true
# The package's commands run from the example folder (requirements.txt does not install the package).
(cd "$example" && "$py" -m privacy_edge prepare ${TAB_DATA:+"$(realpath "$TAB_DATA")"} --out data/tab/test_data.jsonl --max-docs "$docs" \
  --max-chars "$chars" --background data/tab/background.json)
(cd "$example" && "$py" -m privacy_edge check benchmarkingjob.yaml)
start=$(date +%s)
PATH="$work/venv/bin:$PATH" ianvs -f "$example/benchmarkingjob.yaml"
echo "ianvs-way: ianvs finished in $(( $(date +%s) - start )) s"
(cd "$example" && "$py" -m privacy_edge report workspace/tab_privacy --no-plots)
