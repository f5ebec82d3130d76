#!/usr/bin/env python3
"""micro-gpt: a character-level language model in pure Python (stdlib only).

The model reads the last BLOCK_SIZE characters of a name, looks each one up in
an embedding table (N_EMBD numbers per character), feeds the concatenation
through one hidden layer (N_HIDDEN units, tanh or relu) and predicts the next
character with a softmax. Forward and backward passes are written out by hand
(no autograd); the optimizer is Adam. It trains on names.txt, a list of
invented names (see make_names.py), and reports the loss on held-out names.

Parameters come from, in increasing priority:
  1. the defaults below,
  2. the JSON file named by NIGHTSHIFT_PARAMS (keys in any case: "lr" or "LR"),
  3. environment variables in upper case (LR=0.003 N_EMBD=16 ACT=tanh ...).

Output: `step=N loss=X` progress lines, `step=N val_loss=X` evaluations, and at
the end a summary after a line `---` with `name: value` lines.
"""
import json
import math
import os
import random
import sys
import time
from operator import mul

T0 = time.time()
HERE = os.path.dirname(os.path.abspath(__file__))

# name: (type, default). Keep these in step with nightshift.yaml.
DEFAULTS = {
    "lr": (float, 3e-3),         # Adam learning rate
    "n_embd": (int, 16),         # embedding size per character
    "n_hidden": (int, 64),       # hidden units
    "act": (str, "tanh"),        # tanh | relu
    "block_size": (int, 3),      # characters of context
    "batch_size": (int, 32),     # examples per step
    "steps": (int, 1200),        # optimizer steps
    "eval_every": (int, 300),    # steps between evaluations (0 = only at the end)
    "seed": (int, 0),            # initialisation and batch order; 0: a seed of this run's own
}


def load_params():
    raw = {}
    path = os.environ.get("NIGHTSHIFT_PARAMS")
    if path:
        with open(path, encoding="utf-8") as f:
            for k, v in json.load(f).items():
                raw[k.lower()] = v
    for k in DEFAULTS:
        if os.environ.get(k.upper(), "") != "":
            raw[k] = os.environ[k.upper()]
    params = {}
    for k, (typ, default) in DEFAULTS.items():
        v = raw.get(k, default)
        try:
            if typ is int:
                f = float(v)
                if f != int(f):
                    raise ValueError
                v = int(f)
            else:
                v = typ(v)
        except (TypeError, ValueError):
            sys.exit(f"error: parameter {k}={raw.get(k)!r} is not a valid {typ.__name__}")
        params[k] = v
    if params["act"] not in ("tanh", "relu"):
        sys.exit(f"error: parameter act={params['act']!r} must be tanh or relu")
    for k in ("n_embd", "n_hidden", "block_size", "batch_size"):
        if params[k] < 1:
            sys.exit(f"error: parameter {k}={params[k]} must be at least 1")
    if params["steps"] < 0:
        sys.exit("error: parameter steps must not be negative")
    if params["seed"] == 0:
        params["seed"] = run_seed()
    return params


def run_seed():
    """A seed of this run's own, so that repeated runs of the same code differ as real training runs do: the run
    id under Nightshift (a replicate gets another id, and a rerun of a run reproduces it), else a random one."""
    run_id = os.environ.get("NIGHTSHIFT_RUN_ID", "")
    if run_id.isdigit() and int(run_id) > 0:
        return int(run_id)
    return random.SystemRandom().randrange(1, 2 ** 31)


def load_data(block_size):
    with open(os.path.join(HERE, "names.txt"), encoding="ascii") as f:
        names = [line.strip() for line in f if line.strip()]
    chars = sorted(set("".join(names)))
    stoi = {c: i + 1 for i, c in enumerate(chars)}  # 0 = '.', start/end of a name
    # A fixed split (its own seed), so every run is scored on the same names.
    order = list(range(len(names)))
    random.Random(42).shuffle(order)
    n_val = len(names) // 10

    def examples(idx):
        xs, ys = [], []
        for i in idx:
            ctx = [0] * block_size
            for ch in names[i] + ".":
                ix = stoi.get(ch, 0)
                xs.append(tuple(ctx))
                ys.append(ix)
                ctx = ctx[1:] + [ix]
        return xs, ys

    return len(chars) + 1, examples(order[n_val:]), examples(order[:n_val])


class Model:
    def __init__(self, vocab, p, rng):
        self.V, self.E, self.H, self.B = vocab, p["n_embd"], p["n_hidden"], p["block_size"]
        self.relu = p["act"] == "relu"
        n_in = self.B * self.E
        gain = math.sqrt(2.0) if self.relu else 5.0 / 3.0
        g = rng.gauss
        self.C = [[g(0, 1) for _ in range(self.E)] for _ in range(self.V)]
        self.W1 = [[g(0, gain / math.sqrt(n_in)) for _ in range(n_in)] for _ in range(self.H)]
        self.b1 = [[0.0] * self.H]
        self.W2 = [[g(0, 0.1 / math.sqrt(self.H)) for _ in range(self.H)] for _ in range(self.V)]
        self.b2 = [[0.0] * self.V]
        # every parameter is a list of rows; the optimizer walks them alike
        self.params = [self.C, self.W1, self.b1, self.W2, self.b2]

    def n_params(self):
        return sum(len(r) for m in self.params for r in m)

    def forward(self, ctxs):
        """Hidden activations and softmax probabilities for a batch of contexts."""
        C, W1, b1, W2, b2 = self.C, self.W1, self.b1[0], self.W2, self.b2[0]
        X, Hs, P = [], [], []
        for ctx in ctxs:
            x = [v for c in ctx for v in C[c]]
            pre = [sum(map(mul, w, x)) + b for w, b in zip(W1, b1)]
            h = [v if v > 0.0 else 0.0 for v in pre] if self.relu else [math.tanh(v) for v in pre]
            logits = [sum(map(mul, w, h)) + b for w, b in zip(W2, b2)]
            m = max(logits)
            e = [math.exp(v - m) for v in logits]
            s = sum(e)
            X.append(x)
            Hs.append(h)
            P.append([v / s for v in e])
        return X, Hs, P

    def loss(self, ctxs, ys, chunk=512):
        total = 0.0
        for i in range(0, len(ys), chunk):
            _, _, P = self.forward(ctxs[i:i + chunk])
            for p, y in zip(P, ys[i:i + chunk]):
                total -= math.log(p[y]) if p[y] > 0.0 else -745.0 if p[y] == 0.0 else float("nan")
        return total / max(1, len(ys))

    def step_grads(self, ctxs, ys):
        """Mean cross-entropy of the batch and the gradients of every parameter."""
        n = len(ys)
        X, Hs, P = self.forward(ctxs)
        loss = 0.0
        D2 = []  # d loss / d logits
        for p, y in zip(P, ys):
            py = p[y]
            loss -= math.log(py) if py > 0.0 else -745.0 if py == 0.0 else float("nan")
            d = [v / n for v in p]
            d[y] -= 1.0 / n
            D2.append(d)
        # output layer: gW2 = D2^T H, gb2 = column sums of D2
        Hcols = list(zip(*Hs))
        D2cols = list(zip(*D2))
        gW2 = [[sum(map(mul, dc, hc)) for hc in Hcols] for dc in D2cols]
        gb2 = [[sum(dc) for dc in D2cols]]
        # back into the hidden layer: dH = D2 W2, then through the activation
        W2cols = list(zip(*self.W2))
        D1 = []
        for d, h in zip(D2, Hs):
            dh = [sum(map(mul, d, wc)) for wc in W2cols]
            if self.relu:
                D1.append([g if hv > 0.0 else 0.0 for g, hv in zip(dh, h)])
            else:
                D1.append([g * (1.0 - hv * hv) for g, hv in zip(dh, h)])
        Xcols = list(zip(*X))
        D1cols = list(zip(*D1))
        gW1 = [[sum(map(mul, dc, xc)) for xc in Xcols] for dc in D1cols]
        gb1 = [[sum(dc) for dc in D1cols]]
        # into the embeddings: dX = D1 W1, scattered back to the rows used
        W1cols = list(zip(*self.W1))
        E = self.E
        gC = [[0.0] * E for _ in range(self.V)]
        for d, ctx in zip(D1, ctxs):
            dx = [sum(map(mul, d, wc)) for wc in W1cols]
            for j, c in enumerate(ctx):
                row = gC[c]
                gC[c] = [a + b for a, b in zip(row, dx[j * E:(j + 1) * E])]
        return loss / n, [gC, gW1, gb1, gW2, gb2]


class Adam:
    def __init__(self, params, lr, b1=0.9, b2=0.99, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps, self.t = lr, b1, b2, eps, 0
        self.m = [[[0.0] * len(r) for r in mat] for mat in params]
        self.v = [[[0.0] * len(r) for r in mat] for mat in params]

    def step(self, params, grads, lr):
        self.t += 1
        b1, b2, eps = self.b1, self.b2, self.eps
        a = lr * math.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)
        for mat, gmat, mmat, vmat in zip(params, grads, self.m, self.v):
            for i, (row, g) in enumerate(zip(mat, gmat)):
                m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(mmat[i], g)]
                v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(vmat[i], g)]
                mmat[i], vmat[i] = m, v
                mat[i] = [w - a * mi / (math.sqrt(vi) + eps) for w, mi, vi in zip(row, m, v)]


def main():
    p = load_params()
    rng = random.Random(p["seed"])
    vocab, (xtr, ytr), (xva, yva) = load_data(p["block_size"])
    model = Model(vocab, p, rng)
    n_train_eval = min(1000, len(ytr))
    # With a time budget, training stops early enough that the final evaluation
    # and the summary still fit inside it, a tenth of it to spare. What an
    # evaluation costs is estimated from a small timed forward pass, then from
    # the training steps as they go (a forward pass is taken to cost half a
    # step), so that the estimate follows a machine that gets busy.
    budget = float(os.environ.get("NIGHTSHIFT_TIME_BUDGET_S") or 0)
    end = T0 + 0.9 * budget - 2 if budget > 0 else float("inf")
    t = time.time()
    model.forward(xva[:64])
    per_example = (time.time() - t) / 64

    def eval_seconds(n_examples):
        return 1.3 * per_example * n_examples
    opt = Adam(model.params, p["lr"])
    print(f"micro-gpt: vocab={vocab} train_examples={len(ytr)} val_examples={len(yva)} "
          f"params={model.n_params()} " + " ".join(f"{k}={v}" for k, v in p.items()), flush=True)

    steps, bs = p["steps"], p["batch_size"]
    log_every = max(1, min(50, steps // 20 or 1))
    t_train = time.time()
    smooth, done = None, 0
    curve = []
    step_s = None
    for step in range(1, steps + 1):
        if step_s is not None:
            per_example = max(per_example, step_s / (2 * bs))
        final_eval_s = eval_seconds(len(yva) + n_train_eval)
        if time.time() + final_eval_s > end:
            print(f"stopping early at step {step - 1}: time budget", flush=True)
            break
        t = time.time()
        idx = [rng.randrange(len(ytr)) for _ in range(bs)]
        loss, grads = model.step_grads([xtr[i] for i in idx], [ytr[i] for i in idx])
        lr = p["lr"] * (1.0 - 0.9 * (step - 1) / max(1, steps))  # linear decay to 10%
        opt.step(model.params, grads, lr)
        dt = time.time() - t
        step_s = dt if step_s is None else 0.9 * step_s + 0.1 * dt
        done = step
        smooth = loss if smooth is None else 0.9 * smooth + 0.1 * loss
        if step % log_every == 0 or step == 1:
            print(f"step={step} loss={loss:.4f} smooth_loss={smooth:.4f} lr={lr:.3g}", flush=True)
        if not math.isfinite(loss):
            print(f"loss is {loss} at step {step}; stopping", flush=True)
            break
        if (p["eval_every"] > 0 and step % p["eval_every"] == 0 and step < steps
                and time.time() + eval_seconds(len(yva)) + final_eval_s < end):
            vl = model.loss(xva, yva)
            curve.append((step, vl))
            print(f"step={step} val_loss={vl:.4f}", flush=True)
    training_seconds = time.time() - t_train

    val_loss = model.loss(xva, yva)
    train_loss = model.loss(xtr[:n_train_eval], ytr[:n_train_eval])
    summary = {
        "val_loss": val_loss,
        "train_loss": train_loss,
        "training_seconds": training_seconds,
        "total_seconds": time.time() - T0,
        "num_steps": done,
        "num_params": model.n_params(),
    }
    print("---")
    for k, v in summary.items():
        print(f"{k + ':':<18}{v:.6f}" if isinstance(v, float) else f"{k + ':':<18}{v}")
    sys.stdout.flush()

    record = dict(summary, step=done)
    if os.environ.get("NIGHTSHIFT_METRICS"):
        # the same final values as the summary, so both sources agree
        with open(os.environ["NIGHTSHIFT_METRICS"], "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
    out = os.environ.get("NIGHTSHIFT_OUT")
    if out:
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "metrics.json"), "w", encoding="utf-8") as f:
            json.dump({"params": p, "summary": summary,
                       "val_curve": [{"step": s, "val_loss": v} for s, v in curve],
                       "run_id": os.environ.get("NIGHTSHIFT_RUN_ID")}, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
