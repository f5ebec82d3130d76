"""Optuna's MedianPruner and SuccessiveHalvingPruner on the learning curves of PruningBench, printed as JSON.

The Java side draws every trial's full curve (the same trials, in the same order, for every method) and writes
them to the file named on the command line. Here each trial reports its points in turn to an Optuna trial
(study.ask, trial.report, trial.should_prune after every point but the last, study.tell), one trial at a time,
until the study's GPU-seconds are spent. What comes back is how many points each started trial reported
before it was pruned or ended; the Java side scores every method from that alone.
"""
import json
import math
import sys

import optuna
from optuna.trial import TrialState


def pruners(problem):
    return {
        "optuna-median": lambda: optuna.pruners.MedianPruner(
            n_startup_trials=problem["min_trials"], n_warmup_steps=problem["warmup_steps"]),
        "optuna-sha": lambda: optuna.pruners.SuccessiveHalvingPruner(
            min_resource=problem["min_resource"], reduction_factor=problem["reduction_factor"]),
    }


def study(trials, pruner, budget):
    # The sampler is never asked: every trial's curve is given.
    study = optuna.create_study(direction="minimize", pruner=pruner,
                                sampler=optuna.samplers.RandomSampler(seed=0))
    consumed, used = [], 0.0
    for curve in trials:
        if used >= budget:
            break
        trial = study.ask()
        values = [math.nan if v is None else v for v in curve["values"]]
        ran = len(values)
        for i, value in enumerate(values):
            trial.report(value, curve["steps"][i])
            # The last point is the trial's result: a trial that has ended is not pruned.
            if i < len(values) - 1 and trial.should_prune():
                ran = i + 1
                break
        if ran < len(values):
            study.tell(trial, state=TrialState.PRUNED)
        elif math.isfinite(values[-1]):
            study.tell(trial, values[-1])
        else:
            study.tell(trial, state=TrialState.FAIL)
        consumed.append(ran)
        used += curve["seconds"][ran - 1]
    return consumed


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        problems = json.load(f)["problems"]
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    out = {"optuna_version": optuna.__version__, "problems": {}}
    for key, problem in problems.items():
        out["problems"][key] = {
            name: [study(trials, make(), problem["budget_seconds"]) for trials in problem["seeds"]]
            for name, make in pruners(problem).items()
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
