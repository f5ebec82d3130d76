#!/usr/bin/env python3
"""Regenerate names.txt, the corpus micro-gpt trains on.

The names are invented: a small weighted syllable grammar, run from a fixed
seed, so the file is the same every time and nothing is downloaded.

    python3 make_names.py            # writes names.txt next to this script
    python3 make_names.py -n 5000 -o other.txt
"""
import argparse
import os
import random

# (text, weight) pairs. Heavier weights make the grammar less uniform, which is
# what gives a model something to learn.
ONSETS = [("", 4), ("b", 3), ("br", 1), ("c", 2), ("ch", 1), ("d", 3), ("dr", 1),
          ("f", 1), ("g", 2), ("gr", 1), ("h", 2), ("j", 2), ("k", 3), ("kr", 1),
          ("l", 4), ("m", 4), ("n", 3), ("p", 2), ("r", 4), ("s", 4), ("sh", 2),
          ("st", 1), ("t", 3), ("th", 2), ("tr", 1), ("v", 2), ("w", 1), ("z", 1)]
NUCLEI = [("a", 8), ("e", 6), ("i", 5), ("o", 4), ("u", 2), ("ai", 1), ("ea", 1),
          ("ia", 1), ("ie", 1), ("ou", 1), ("y", 1)]
CODAS = [("", 10), ("n", 3), ("l", 2), ("r", 3), ("s", 1), ("m", 1), ("nd", 1),
         ("rk", 1), ("st", 1), ("th", 1)]
# Endings come in two families; a name keeps to one family, so the last
# letters depend on the first syllable's style.
SOFT_ENDINGS = [("a", 6), ("ia", 3), ("elle", 2), ("ine", 2), ("ette", 1),
                ("ey", 2), ("is", 1), ("wyn", 1), ("ra", 2), ("na", 2)]
HARD_ENDINGS = [("on", 4), ("us", 2), ("o", 3), ("en", 3), ("ard", 2),
                ("ric", 1), ("an", 3), ("er", 2), ("ik", 1), ("as", 1)]


def pick(rng, table):
    total = sum(w for _, w in table)
    r = rng.uniform(0, total)
    for text, w in table:
        r -= w
        if r <= 0:
            return text
    return table[-1][0]


def make_name(rng):
    syllables = 1 if rng.random() < 0.55 else 2
    parts = []
    for i in range(syllables):
        onset = pick(rng, ONSETS)
        if i > 0 and onset == "":
            onset = pick(rng, ONSETS[1:])  # avoid vowel clashes inside a name
        parts.append(onset + pick(rng, NUCLEI))
        if i == syllables - 1 or rng.random() < 0.3:
            parts.append(pick(rng, CODAS))
    stem = "".join(parts)
    soft = stem[-1] in "aeiouy" or stem.startswith(("l", "m", "s", "sh", "v"))
    ending = pick(rng, SOFT_ENDINGS if soft else HARD_ENDINGS)
    # do not let a vowel-final stem run into a vowel-initial ending
    if stem[-1] in "aeiouy" and ending[0] in "aeiouy":
        stem = stem[:-1] or stem
    return stem + ending


def make_names(count, seed=20250101):
    rng = random.Random(seed)
    seen, names = set(), []
    while len(names) < count:
        name = make_name(rng)
        if 3 <= len(name) <= 12 and name not in seen:
            seen.add(name)
            names.append(name)
    return names


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=4000, help="how many names")
    ap.add_argument("-o", default=os.path.join(here, "names.txt"), help="output file")
    ap.add_argument("--seed", type=int, default=20250101)
    args = ap.parse_args()
    names = make_names(args.n, args.seed)
    with open(args.o, "w", encoding="ascii") as f:
        f.write("\n".join(names) + "\n")
    print(f"wrote {len(names)} names to {args.o}")


if __name__ == "__main__":
    main()
