"""Records full runs of examples/micro-gpt for the pruning benchmark to replay (bench/fixtures/README.md).

Each run gets parameters drawn at random from examples/micro-gpt/nightshift.yaml's search space (a fixed
seed, so the same configurations come out again), runs train.py to the end (300 steps, an evaluation every 30),
and keeps every printed point with the seconds since the run started: the process's CPU seconds (user plus
system, read from /proc), which a busy machine inflates far less than wall-clock seconds, and the wall-clock
seconds beside them. Runs go two at a time by default, one per core.
Writes gzip-compressed JSON lines, one run a line, in the order the configurations were drawn. Each run is
also appended to <out>.partial as it ends; `--finish` writes <out> from the runs recorded so far.
"""
import argparse
import concurrent.futures
import gzip
import json
import math
import os
import random
import re
import subprocess
import sys
import threading
import time

PAIR = re.compile(r"([A-Za-z_]+)=(\S+)")
SUMMARY = re.compile(r"^([a-z_]+):\s+(\S+)$")


def draw(rng):
    """A configuration from nightshift.yaml's space: lr log-uniform, the ints and the choice uniform."""
    return {
        "lr": math.exp(rng.uniform(math.log(1.0e-4), math.log(3.0e-2))),
        "n_embd": rng.randint(8, 64),
        "act": rng.choice(["tanh", "relu"]),
        "n_hidden": rng.randint(16, 128),
        "block_size": rng.randint(1, 8),
    }


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User plus system CPU time of a live process, from /proc/<pid>/stat (fields 14 and 15)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) / TICK, 2)
    except (OSError, IndexError, ValueError):
        return None


def record(example, params, steps, eval_every):
    env = dict(os.environ, OMP_NUM_THREADS="1", STEPS=str(steps), EVAL_EVERY=str(eval_every))
    env.update({name.upper(): str(value) for name, value in params.items()})
    env.pop("NIGHTSHIFT_PARAMS", None)
    env.pop("NIGHTSHIFT_TIME_BUDGET_S", None)
    began = time.monotonic()
    process = subprocess.Popen([sys.executable, "train.py"], cwd=example, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    val, train, summary = [], [], {}
    cpu = 0.0
    for line in process.stdout:
        wall = round(time.monotonic() - began, 3)
        cpu = cpu_seconds(process.pid) or cpu
        line = line.strip()
        pairs = dict(PAIR.findall(line))
        if "step" in pairs and "val_loss" in pairs:
            val.append([int(pairs["step"]), cpu, wall, float(pairs["val_loss"])])
        elif "step" in pairs and "smooth_loss" in pairs:
            train.append([int(pairs["step"]), cpu, wall, float(pairs["smooth_loss"])])
        elif SUMMARY.match(line):
            name, value = SUMMARY.match(line).groups()
            summary[name] = float(value)
    summary["cpu_seconds"] = cpu_seconds(process.pid) or cpu
    process.wait()
    summary["seconds"] = round(time.monotonic() - began, 3)
    summary["exit_code"] = process.returncode
    if "val_loss" in summary and "num_steps" in summary:
        # The final evaluation is the last point of the validation curve, at the last step.
        val.append([int(summary["num_steps"]), summary["cpu_seconds"], summary["seconds"], summary["val_loss"]])
    # Points are [step, cpu_seconds, wall_seconds, value].
    return {"params": params, "steps": steps, "eval_every": eval_every, "val_loss": val, "smooth_loss": train,
            "summary": summary}


def finish(partial, out):
    """Writes every run recorded so far, in draw order, compressed."""
    runs = {}
    with open(partial, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                run = json.loads(line)
                runs[run["index"]] = run
    with gzip.open(out, "wt", encoding="utf-8") as f:
        for index in sorted(runs):
            f.write(json.dumps(runs[index]) + "\n")
    missing = [i for i in range(max(runs) + 1) if i not in runs] if runs else []
    print(f"wrote {len(runs)} runs into {out}" + (f"; not recorded: {missing}" if missing else ""), file=sys.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=32)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--eval-every", type=int, default=30)
    parser.add_argument("--example", default=os.path.join(os.path.dirname(__file__), "..", "examples", "micro-gpt"))
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "fixtures", "micro-gpt-curves.jsonl.gz"))
    parser.add_argument("--finish", action="store_true",
                        help="only write --out from the runs recorded so far (to stop a long recording early)")
    args = parser.parse_args()
    partial = args.out + ".partial"
    if not args.finish:
        rng = random.Random(args.seed)
        configurations = [draw(rng) for _ in range(args.runs)]
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        lock = threading.Lock()

        def one(index):
            run = dict(index=index, **record(args.example, configurations[index], args.steps, args.eval_every))
            # Each run is kept as soon as it ends, so a recording stopped early keeps what it has.
            with lock, open(partial, "a", encoding="utf-8") as f:
                f.write(json.dumps(run) + "\n")

        # Runs start in draw order. A recording stopped early keeps the runs that ended, which favours the
        # configurations that train fastest; --finish names the ones missing.
        with concurrent.futures.ThreadPoolExecutor(args.parallel) as pool:
            list(pool.map(one, range(args.runs)))
    finish(partial, args.out)


if __name__ == "__main__":
    main()
