#!/usr/bin/python3
"""Golden values for Nabla's ROC AUC metric (metrics.RocAuc), computed in plain Python (no scikit-learn, no numpy).

Regenerate (from the repository root; any Python 3):

    python3 nabla-core/src/test/resources/golden/make_auc_golden.py

Writes auc.txt next to this script (or into the directory given as the first argument), in the format described in
make_golden.py: `case <name>`, `param <key> <value>`, `<tensor> <shape|scalar> <values...>`.

The reference is scikit-learn's definition of roc_auc_score, computed by its other formula: the share of
(positive, negative) pairs in which the positive sample scores higher, a tie counting one half (which equals the
trapezoid area under the ROC curve with ties). Nabla computes it from average ranks instead, so the two agree only
if both are right. Multiclass is one-vs-rest with the macro average (multi_class='ovr', average='macro'): class k's
scores are column k of probability rows; rows of logits (from_logits true) become probabilities by a softmax in
double precision, rounded to float32 as Nabla keeps them. Scores are rounded to a few levels in the "ties" cases so
that many samples share a score.

    param from_logits true | false
    pred, target      the batch ([N] / [N, 1] binary scores, [N, C] rows; targets class indices or one-hot rows)
    value             the AUC (scalar)
    class_auc         [C] each class's one-vs-rest AUC (multiclass cases)
"""

import math
import os
import random
import struct
import sys

SEED = 20261202
HERE = os.path.dirname(os.path.abspath(__file__))


def f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


def pair_auc(scores, positive):
    pos = [s for s, p in zip(scores, positive) if p]
    neg = [s for s, p in zip(scores, positive) if not p]
    assert pos and neg
    wins = 0.0
    for a in pos:
        for b in neg:
            wins += 1.0 if a > b else 0.5 if a == b else 0.0
    return wins / (len(pos) * len(neg))


def softmax(row):
    m = max(row)
    e = [math.exp(v - m) for v in row]
    s = sum(e)
    return [f32(v / s) for v in e]


class Writer:
    def __init__(self, path):
        self.path = path
        self.lines = ["# generated with: python3 nabla-core/src/test/resources/golden/make_auc_golden.py (seed %d); "
                      "ROC AUC by pair counting in plain Python" % SEED]

    def case(self, name, params):
        self.lines.append("case " + name)
        for k, v in params.items():
            self.lines.append("param %s %s" % (k, v))

    def tensor(self, name, shape, values):
        self.lines.append("%s %s %s" % (name, "scalar" if shape is None else ",".join(map(str, shape)),
                                        " ".join("%.9g" % v for v in values)))

    def save(self):
        with open(self.path, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(self.lines) + "\n")
        print("wrote %s (%d bytes)" % (self.path, os.path.getsize(self.path)))


def binary_case(w, name, rng, n, levels, logits, column):
    labels = [rng.randrange(2) for _ in range(n)]
    labels[0], labels[1] = 0, 1
    scores = []
    for y in labels:
        p = min(0.999, max(0.001, rng.gauss(0.35 + 0.3 * y, 0.2)))
        if levels:
            p = min(levels - 1, max(1, round(p * levels))) / levels
        scores.append(f32(math.log(p / (1 - p)) if logits else p))
    w.case(name, {"from_logits": "true" if logits else "false"})
    w.tensor("pred", [n, 1] if column else [n], scores)
    w.tensor("target", [n], labels)
    w.tensor("value", None, [pair_auc(scores, [y == 1 for y in labels])])


def multiclass_case(w, name, rng, n, c, levels, logits, one_hot):
    labels = [i % c for i in range(n)]
    rng.shuffle(labels)
    rows = []
    for y in labels:
        z = [rng.gauss(1.2 if k == y else 0.0, 1.0) for k in range(c)]
        if levels:
            z = [round(v * levels) / levels for v in z]
        rows.append([f32(v) for v in z] if logits else softmax(z))
    # what Nabla ranks: probabilities (softmax of float32 logits when from_logits)
    probs = [softmax(r) if logits else r for r in rows]
    if levels and not logits:
        rows = [[f32(round(v * levels) / levels) for v in r] for r in probs]
        probs = rows
    per_class = [pair_auc([p[k] for p in probs], [y == k for y in labels]) for k in range(c)]
    w.case(name, {"from_logits": "true" if logits else "false"})
    w.tensor("pred", [n, c], [v for r in rows for v in r])
    if one_hot:
        w.tensor("target", [n, c], [1.0 if k == y else 0.0 for y in labels for k in range(c)])
    else:
        w.tensor("target", [n], labels)
    w.tensor("value", None, [sum(per_class) / c])
    w.tensor("class_auc", [c], per_class)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else HERE
    rng = random.Random(SEED)
    w = Writer(os.path.join(out_dir, "auc.txt"))
    binary_case(w, "binary_probabilities", rng, 40, 0, False, False)
    binary_case(w, "binary_probabilities_ties", rng, 50, 5, False, True)
    binary_case(w, "binary_logits_ties", rng, 30, 4, True, False)
    multiclass_case(w, "multiclass_probabilities", rng, 36, 3, 0, False, False)
    multiclass_case(w, "multiclass_probabilities_ties", rng, 40, 4, 4, False, False)
    multiclass_case(w, "multiclass_logits_one_hot", rng, 30, 3, 0, True, True)
    multiclass_case(w, "multiclass_logits_ties", rng, 45, 5, 2, True, False)
    w.save()


if __name__ == "__main__":
    main()
