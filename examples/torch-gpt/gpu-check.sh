#!/usr/bin/env bash
# GPU check for torch-gpt: records what nvidia-smi says about the machine, then
# runs examples/torch-gpt the way the Nightshift run contract (SPEC section 3)
# runs a training command, sampling nvidia-smi while it trains.
#
# Run from the repository root. Everything it records goes to $OUT (a fresh
# temporary folder when OUT is unset):
#   nvidia-smi-plain.txt        `nvidia-smi`
#   nvidia-smi-L.txt            `nvidia-smi -L`
#   nvidia-smi-query.txt        the discovery query of SPEC section 7
#   nvidia-smi-during-run.txt   that query, sampled every SAMPLE_EVERY s during the run
#   torch-gpt-run.log           the run's stdout and stderr
#   torch-gpt-exit-code.txt     the run's exit status
#   torch-gpt-artifacts.txt     params file, metrics file and NIGHTSHIFT_OUT contents
#   gpu-check-env.txt           date, host, python/torch versions, the run's environment
#
# Knobs (environment): CHECK_STEPS (default 100000), CHECK_TRAIN_SECONDS (60),
# CHECK_BUDGET_S (120), CHECK_GPUS (CUDA_VISIBLE_DEVICES for the run, default 0),
# SAMPLE_EVERY (10), CHECK_TIMEOUT_S (hard stop for the run, default 240).
# Local CPU smoke test:
#   PATH=/usr/bin:$PATH OUT=/tmp/gc CHECK_STEPS=20 CHECK_GPUS= \
#     OMP_NUM_THREADS=1 examples/torch-gpt/gpu-check.sh
set -u

OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
STEPS=${CHECK_STEPS:-100000}
TRAIN_SECONDS=${CHECK_TRAIN_SECONDS:-60}
BUDGET=${CHECK_BUDGET_S:-120}
GPUS=${CHECK_GPUS-0}
SAMPLE_EVERY=${SAMPLE_EVERY:-10}
HARD_TIMEOUT=${CHECK_TIMEOUT_S:-240}
QUERY=(--query-gpu=index,name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits)

REPO=$(pwd)
SRC="$REPO/examples/torch-gpt"
[ -f "$SRC/train.py" ] || { echo "run me from the repository root" >&2; exit 2; }

# 1. what the machine says (a failing nvidia-smi is recorded, not fatal)
nvidia-smi >"$OUT/nvidia-smi-plain.txt" 2>&1; echo "nvidia-smi exit: $?"
nvidia-smi -L >"$OUT/nvidia-smi-L.txt" 2>&1; echo "nvidia-smi -L exit: $?"
nvidia-smi "${QUERY[@]}" >"$OUT/nvidia-smi-query.txt" 2>&1; echo "nvidia-smi query exit: $?"
cat "$OUT/nvidia-smi-query.txt"

# 2. a run directory as the scheduler would make it
WORK=$(mktemp -d)
RUN_DIR="$WORK/checkout"
cp -r "$SRC" "$RUN_DIR"
rm -f "$RUN_DIR/gpu-check.sh"
mkdir -p "$WORK/out"
PARAMS="$WORK/params.json"
METRICS="$WORK/metrics.jsonl"
# the experiment's parameter defaults (nightshift.yaml) plus the check's own knobs
cat >"$PARAMS" <<EOF
{"lr": 0.001, "n_embd": 128, "n_layer": 2, "dropout": 0.0, "steps": $STEPS, "train_seconds": $TRAIN_SECONDS}
EOF

{
  echo "date_utc: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uname: $(uname -srm)"
  echo "python3: $(command -v python3) $(python3 --version 2>&1)"
  echo "torch: $(python3 -c 'import torch; print(torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())' 2>&1 | tail -1)"
  echo "command: cd <run dir> && env -i PATH HOME LR N_EMBD N_LAYER DROPOUT STEPS TRAIN_SECONDS NIGHTSHIFT_* CUDA_VISIBLE_DEVICES=$GPUS python3 train.py"
  echo "params_json: $(cat "$PARAMS")"
  echo "sample_every_s: $SAMPLE_EVERY"
} >"$OUT/gpu-check-env.txt"

# 3. the run: a cleared environment, the parameters in upper case, the NIGHTSHIFT_* variables
: >"$OUT/nvidia-smi-during-run.txt"
START=$(date +%s)
(
  cd "$RUN_DIR" && exec timeout -s TERM -k 10 "$HARD_TIMEOUT" env -i \
    PATH="$PATH" HOME="${HOME:-/root}" \
    LR=0.001 N_EMBD=128 N_LAYER=2 DROPOUT=0.0 STEPS="$STEPS" TRAIN_SECONDS="$TRAIN_SECONDS" \
    NIGHTSHIFT_PARAMS="$PARAMS" NIGHTSHIFT_RUN_ID=gpu-check-1 NIGHTSHIFT_TIME_BUDGET_S="$BUDGET" \
    NIGHTSHIFT_OUT="$WORK/out" NIGHTSHIFT_METRICS="$METRICS" CUDA_VISIBLE_DEVICES="$GPUS" \
    python3 train.py
) >"$OUT/torch-gpt-run.log" 2>&1 &
PID=$!
SAMPLES=0
while kill -0 "$PID" 2>/dev/null; do
  sleep "$SAMPLE_EVERY" & wait $!
  if kill -0 "$PID" 2>/dev/null; then
    nvidia-smi "${QUERY[@]}" >>"$OUT/nvidia-smi-during-run.txt" 2>&1
    SAMPLES=$((SAMPLES + 1))
    echo "sample $SAMPLES at +$(( $(date +%s) - START ))s: $(tail -1 "$OUT/nvidia-smi-during-run.txt")"
  fi
done
wait "$PID"
RC=$?
echo "$RC" >"$OUT/torch-gpt-exit-code.txt"
echo "run_wall_s: $(( $(date +%s) - START ))" >>"$OUT/gpu-check-env.txt"
echo "samples: $SAMPLES" >>"$OUT/gpu-check-env.txt"
echo "exit_code: $RC" >>"$OUT/gpu-check-env.txt"

# 4. what the run left behind, in one file
{
  echo "== params.json"; cat "$PARAMS"
  echo "== metrics.jsonl (NIGHTSHIFT_METRICS)"; cat "$METRICS" 2>/dev/null
  for f in "$WORK/out"/*; do
    [ -f "$f" ] && { echo "== NIGHTSHIFT_OUT/$(basename "$f")"; cat "$f"; }
  done
} >"$OUT/torch-gpt-artifacts.txt" 2>&1

echo "exit code: $RC"
sed -n '/^---$/,$p' "$OUT/torch-gpt-run.log"
rm -rf "$WORK"
exit 0
