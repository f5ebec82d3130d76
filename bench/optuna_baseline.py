"""Optuna's TPE and random samplers on the problems of SearchBench, printed as JSON.

Same problems, trials and seeds as the Java side; the noise of the training-loss problem comes from the same
SplitMix64 on (seed, trial), so both sides see the same landscape. Regret is the noise-free value of the point
with the best observed value, minus the known optimum.
"""
import argparse
import json
import math

import optuna

MASK = (1 << 64) - 1


def split_mix64(x):
    z = (x + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def branin(t):
    x1 = t.suggest_float("x1", -5, 10)
    x2 = t.suggest_float("x2", 0, 15)
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    s = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - s) * math.cos(x1) + 10


ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def hartmann6(t):
    x = [t.suggest_float("x%d" % j, 0, 1) for j in range(1, 7)]
    total = 0.0
    for i in range(4):
        inner = sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))
        total += ALPHA[i] * math.exp(-inner)
    return -total


def training_loss(t):
    lr = t.suggest_float("lr", 1e-5, 1e-1, log=True)
    width = t.suggest_int("width", 16, 1024, log=True)
    dropout = t.suggest_float("dropout", 0, 0.6)
    activation = t.suggest_categorical("activation", ["relu", "gelu", "tanh"])
    x = math.log10(lr) - math.log10(3e-3)
    w = (math.log(width) / math.log(2) - 8) / 3
    d = dropout - 0.15
    offset = {"gelu": 0.0, "relu": 0.03, "tanh": 0.10}[activation]
    return 1.0 + 0.25 * x * x + 0.08 * w * w + 0.1 * x * w + 0.6 * d * d + offset


PROBLEMS = {
    "branin": (branin, 0.39788735772973816, False),
    "hartmann6": (hartmann6, -3.3223680114155147, False),
    "training_loss": (training_loss, 1.0, True),
}


def regret(problem, sampler, trials, seed):
    f, optimum, noisy = PROBLEMS[problem]
    true_values = {}

    def objective(t):
        value = f(t)
        true_values[t.number] = value
        if not noisy:
            return value
        uniform = (split_mix64((seed * 1_000_003 + t.number) & MASK) >> 11) * 2.0 ** -53
        return value + (uniform - 0.5) * 2 * 0.03 * math.sqrt(3)

    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.optimize(objective, n_trials=trials)
    return true_values[study.best_trial.number] - optimum


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    samplers = {
        "optuna-tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
        "optuna-random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
    }
    out = {"optuna_version": optuna.__version__, "problems": {}}
    for problem in PROBLEMS:
        out["problems"][problem] = {
            name: [regret(problem, make(seed), args.trials, seed) for seed in range(args.seeds)]
            for name, make in samplers.items()
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
