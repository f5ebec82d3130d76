#!/usr/bin/env python3
"""torch-gpt: a small character-level GPT in PyTorch.

A decoder-only transformer (token and position embeddings, N_LAYER blocks of
causal self-attention and MLP, weight-tied output) trained with AdamW on an
invented village chronicle (corpus.py). Uses CUDA when it is available (bf16
autocast there), the CPU otherwise. Reports val_loss (nats per character) and
val_bpb (bits per byte; the text is ASCII, so one character is one byte) on a
fixed held-out tenth of the text.

Parameters come from, in increasing priority: the defaults below, the JSON file
named by NIGHTSHIFT_PARAMS (keys in any case), environment variables in upper
case (LR=0.001 N_EMBD=128 ...).

Training stops at STEPS, or earlier when time runs out: at TRAIN_SECONDS of
training if that is set, and in any case early enough inside
NIGHTSHIFT_TIME_BUDGET_S to evaluate and report. The learning-rate schedule
follows whichever limit is nearer, so a run cut by time still anneals.
"""
import json
import math
import os
import sys
import time

T0 = time.time()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from corpus import make_text  # noqa: E402

# name: (type, default). Keep these in step with nightshift.yaml.
DEFAULTS = {
    "lr": (float, 1e-3),            # peak AdamW learning rate
    "n_embd": (int, 128),           # model width
    "n_layer": (int, 2),            # transformer blocks
    "n_head": (int, 4),             # attention heads (lowered to a divisor of n_embd)
    "block_size": (int, 128),       # context length in characters
    "batch_size": (int, 64),        # sequences per step
    "steps": (int, 3000),           # optimizer steps (at most)
    "warmup_steps": (int, 100),
    "weight_decay": (float, 0.1),
    "dropout": (float, 0.0),
    "seed": (int, 1337),
    "eval_every": (int, 500),       # steps between evaluations (0 = only at the end)
    "log_every": (int, 100),        # steps between progress lines
    "train_seconds": (float, 0.0),  # cap on training time (0 = only the run budget)
    "device": (str, "auto"),        # auto | cuda | cpu
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
    p = {}
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
        p[k] = v
    for k in ("n_embd", "n_layer", "n_head", "block_size", "batch_size"):
        if p[k] < 1:
            sys.exit(f"error: parameter {k}={p[k]} must be at least 1")
    if p["n_embd"] % p["n_head"]:
        # n_embd is searched as a plain int: use the most heads, up to n_head, that divide it
        heads = max(h for h in range(1, p["n_head"] + 1) if p["n_embd"] % h == 0)
        print(f"note: n_head={p['n_head']} does not divide n_embd={p['n_embd']}; using n_head={heads}",
              flush=True)
        p["n_head"] = heads
    if p["device"] not in ("auto", "cuda", "cpu"):
        sys.exit(f"error: parameter device={p['device']!r} must be auto, cuda or cpu")
    return p


class SelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size, dropout):
        super().__init__()
        self.n_head, self.dropout = n_head, dropout
        self.qkv = nn.Linear(n_embd, 3 * n_embd)
        self.proj = nn.Linear(n_embd, n_embd)
        self.register_buffer("mask", torch.tril(torch.ones(block_size, block_size, dtype=torch.bool)),
                             persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        if hasattr(F, "scaled_dot_product_attention"):  # torch >= 2.0
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True,
                                               dropout_p=self.dropout if self.training else 0.0)
        else:
            att = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
            att = att.masked_fill(~self.mask[:T, :T], float("-inf")).softmax(dim=-1)
            y = F.dropout(att, self.dropout, self.training) @ v
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self, p):
        super().__init__()
        c = p["n_embd"]
        self.ln1, self.ln2 = nn.LayerNorm(c), nn.LayerNorm(c)
        self.attn = SelfAttention(c, p["n_head"], p["block_size"], p["dropout"])
        self.fc, self.proj = nn.Linear(c, 4 * c), nn.Linear(4 * c, c)
        self.drop = nn.Dropout(p["dropout"])

    def forward(self, x):
        x = x + self.drop(self.attn(self.ln1(x)))
        return x + self.drop(self.proj(F.gelu(self.fc(self.ln2(x)))))


class GPT(nn.Module):
    def __init__(self, vocab, p):
        super().__init__()
        self.block_size = p["block_size"]
        self.wte = nn.Embedding(vocab, p["n_embd"])
        self.wpe = nn.Embedding(p["block_size"], p["n_embd"])
        self.blocks = nn.ModuleList(Block(p) for _ in range(p["n_layer"]))
        self.ln_f = nn.LayerNorm(p["n_embd"])
        self.head = nn.Linear(p["n_embd"], vocab, bias=False)
        self.head.weight = self.wte.weight  # weight tying
        for name, w in self.named_parameters():
            if w.dim() == 2:
                std = 0.02 / math.sqrt(2 * p["n_layer"]) if name.endswith("proj.weight") else 0.02
                nn.init.normal_(w, 0.0, std)
            elif name.endswith("bias"):
                nn.init.zeros_(w)

    def forward(self, idx, targets=None):
        T = idx.size(1)
        x = self.wte(idx) + self.wpe(torch.arange(T, device=idx.device))
        for b in self.blocks:
            x = b(x)
        logits = self.head(self.ln_f(x))
        if targets is None:
            return logits
        return F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), targets.reshape(-1))


def main():
    p = load_params()
    torch.manual_seed(p["seed"])
    if p["device"] == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    else:
        device = p["device"]
    cuda = device == "cuda"
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    amp = torch.autocast(device_type="cuda", dtype=torch.bfloat16) if cuda else None

    text = make_text()
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n_val = len(data) // 10
    train_data, val_data = data[:-n_val].to(device), data[-n_val:].to(device)
    bs, T = p["batch_size"], p["block_size"]
    if len(train_data) <= T + 1 or len(val_data) <= T + 1:
        sys.exit(f"error: parameter block_size={T} is too large for the corpus")

    model = GPT(len(chars), p).to(device)
    n_params = sum(w.numel() for w in model.parameters())
    decay = [w for w in model.parameters() if w.dim() >= 2]
    no_decay = [w for w in model.parameters() if w.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": p["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=p["lr"], betas=(0.9, 0.95))
    gen = torch.Generator().manual_seed(p["seed"])
    offsets = torch.arange(T + 1, device=device)

    def batch():
        ix = torch.randint(len(train_data) - T - 1, (bs,), generator=gen).to(device)
        chunk = train_data[ix[:, None] + offsets]
        return chunk[:, :-1], chunk[:, 1:]

    @torch.no_grad()
    def evaluate():
        """Mean cross-entropy over every full window of the held-out text."""
        model.eval()
        n_win = (len(val_data) - 1) // T
        starts = torch.arange(n_win, device=device) * T
        total, count = 0.0, 0
        for i in range(0, n_win, 64):
            s = starts[i:i + 64]
            x = val_data[s[:, None] + offsets[:-1]]
            y = val_data[s[:, None] + offsets[1:]]
            if amp is not None:
                with amp:
                    loss = model(x, y)
            else:
                loss = model(x, y)
            total += loss.item() * y.numel()
            count += y.numel()
        model.train()
        return total / count

    budget = float(os.environ.get("NIGHTSHIFT_TIME_BUDGET_S") or 0)
    limit = float("inf")
    if budget > 0:  # leave time for the final evaluation and the report
        limit = budget - max(15.0, 0.2 * budget) - (time.time() - T0)
    if p["train_seconds"] > 0:
        limit = min(limit, p["train_seconds"])
    name = torch.cuda.get_device_name(0) if cuda else "cpu"
    print(f"# device {device} ({name}), torch {torch.__version__}", flush=True)
    print(f"torch-gpt: device={device} torch={torch.__version__} "
          f"params={n_params} vocab={len(chars)} train_chars={len(train_data)} "
          f"val_chars={len(val_data)} time_limit_s={limit:.1f} "
          + " ".join(f"{k}={v}" for k, v in p.items()), flush=True)

    steps = p["steps"]
    warmup = max(1, min(p["warmup_steps"], steps // 10))
    t_train = time.time()
    done, lr = 0, p["lr"]
    curve = []
    t_log, done_log = time.time(), 0
    for step in range(1, steps + 1):
        elapsed = time.time() - t_train
        if elapsed > limit:
            print(f"stopping early at step {step - 1}: time limit {limit:.1f}s", flush=True)
            break
        progress = max((step - 1) / steps, elapsed / limit)
        if step <= warmup:
            lr = p["lr"] * step / warmup
        else:
            lr = p["lr"] * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))
        for g in opt.param_groups:
            g["lr"] = lr
        x, y = batch()
        if amp is not None:
            with amp:
                loss = model(x, y)
        else:
            loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        done = step
        if step % p["log_every"] == 0 or step == 1 or step == steps:
            lv = loss.item()  # syncs with the GPU, so only on logging steps
            now = time.time()
            dt_ms = 1000 * (now - t_log) / max(1, step - done_log)
            t_log, done_log = now, step
            print(f"step={step} loss={lv:.4f} lr={lr:.3g} dt_ms={dt_ms:.2f} "
                  f"tok_per_s={bs * T / (dt_ms / 1000):.0f}", flush=True)
            if not math.isfinite(lv):
                print(f"loss is {lv} at step {step}; stopping", flush=True)
                break
        if p["eval_every"] > 0 and step % p["eval_every"] == 0 and step < steps:
            vl = evaluate()
            curve.append((step, vl))
            print(f"step={step} val_loss={vl:.4f} val_bpb={vl / math.log(2):.4f}", flush=True)
    if cuda:
        torch.cuda.synchronize()
    training_seconds = time.time() - t_train

    val_loss = evaluate()
    summary = {
        "val_bpb": val_loss / math.log(2),
        "val_loss": val_loss,
        "training_seconds": training_seconds,
        "total_seconds": time.time() - T0,
        "peak_vram_mb": torch.cuda.max_memory_allocated() / 1024 ** 2 if cuda else 0.0,
        "num_steps": done,
        "num_params": n_params,
    }
    print("---")
    for k, v in summary.items():
        print(f"{k + ':':<18}{v:.6f}" if isinstance(v, float) else f"{k + ':':<18}{v}")
    sys.stdout.flush()

    if os.environ.get("NIGHTSHIFT_METRICS"):
        # the same final values as the summary, so both sources agree
        with open(os.environ["NIGHTSHIFT_METRICS"], "a", encoding="utf-8") as f:
            f.write(json.dumps(dict(summary, step=done)) + "\n")
    out = os.environ.get("NIGHTSHIFT_OUT")
    if out:
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "metrics.json"), "w", encoding="utf-8") as f:
            json.dump({"params": p, "summary": summary, "device": device, "gpu_name": name,
                       "torch": torch.__version__, "run_id": os.environ.get("NIGHTSHIFT_RUN_ID"),
                       "val_curve": [{"step": s, "val_loss": v} for s, v in curve]}, f, indent=2)
            f.write("\n")
        with open(os.path.join(out, "sample.txt"), "w", encoding="utf-8") as f:
            f.write(sample(model, stoi, chars, device, amp) + "\n")


@torch.no_grad()
def sample(model, stoi, chars, device, amp, n=300):
    """A short sampled continuation of "day 1", to eyeball what the model learnt."""
    model.eval()
    gen = torch.Generator(device=device).manual_seed(0)
    idx = torch.tensor([[stoi[c] for c in "day 1"]], device=device)
    for _ in range(n):
        ctx = idx[:, -model.block_size:]
        if amp is not None:
            with amp:
                logits = model(ctx)
        else:
            logits = model(ctx)
        probs = logits[:, -1, :].float().softmax(-1)
        idx = torch.cat([idx, torch.multinomial(probs, 1, generator=gen)], dim=1)
    return "".join(chars[i] for i in idx[0].tolist())


if __name__ == "__main__":
    main()
