#!/bin/bash
# The GPU figures of docs/performance.md: the edge model cold and warm (bench/bench_edge.py), each configuration in a
# fresh process, on a GPU machine with no network and no spaCy. Prepare .gpu/ here first (git-ignored):
#   mkdir -p .gpu, and put there a transformers model folder of SmolLM2-135M's shape (its config and
#   tokenizer; random weights suffice for timing) and the prompts:
#   python -m privacy_edge prepare $TAB_DATA --out .gpu/p2000.jsonl --max-docs 0 --max-chars 2000
#   python -m privacy_edge prepare $TAB_DATA --out .gpu/pfull.jsonl --max-docs 0 --max-chars 0
# then run this there (OUT: where the figures go).
set -u
T=${TMPDIR:-/tmp}
OUT=${OUT:-$T/gpu-edge-bench}
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | tee $OUT/gpu.txt
python3 -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__)" | tee -a $OUT/gpu.txt
python3 .gpu/make_random_model.py .gpu/smollm2-135m-shape $T/smollm2-random > /dev/null 2>&1 || { echo "model build failed"; exit 1; }
B="python3 bench/bench_edge.py --model $T/smollm2-random --device cuda --max-new-tokens 32"
echo "== 98 docs at 2,000 chars"
timeout 230 $B --prompts .gpu/p2000.jsonl --configs "default:" "static:cache_implementation=static" "dynamic16k:cache_implementation=dynamic,token_budget=16384" --json $OUT/p2000.json 2>&1 | tee $OUT/p2000.txt
echo "== 98 full texts"
timeout 150 $B --prompts .gpu/pfull.jsonl --configs "default:" "static:cache_implementation=static" --json $OUT/full.json 2>&1 | tee $OUT/full.txt
echo "== batch 1, 16 docs at 2,000 chars"
timeout 90 $B --prompts .gpu/p2000.jsonl --docs 16 --configs "batch1:batch_size=1,cache_implementation=dynamic" "default:" --json $OUT/b1.json 2>&1 | tee $OUT/b1.txt
