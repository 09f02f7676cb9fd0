#!/usr/bin/python3
"""Golden fixtures for Nabla's recurrent layers (lstm, gru, simplernn), forward and backward, with PyTorch.

Regenerate (from the repository root; use Debian's python, which has torch):

    /usr/bin/python3 nabla-core/src/test/resources/golden/make_rnn_golden.py

Writes rnn.txt next to this script (or into the directory given as the first argument), in the format of
make_golden.py. Every case is one nn.LSTM / nn.GRU / nn.RNN with batch_first=True, made in Nabla from its token:
    param layer       the Nabla token, e.g. lstm:3:bi:true
    param lengths     (masked cases) each sample's real length: the input goes through pack_padded_sequence, and
                      Nabla gets the mask [N, T] (1 for t < length); padded steps hold random values that must not count
    x                 the input [N, T, F]; h0, c0 (optional) initial states, per sample [units] or [layers*D, units]
    <parameter>       weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ..._reverse, ..._l1: PyTorch's own names
                      and layouts, which are Nabla's
    gout, out         upstream gradient and output: every step's state [N, T, D*H] (zero at padded steps) or the
                      last layer's final states h_n as [N, D*H] (forward first)
    grad_x, grad_h0, grad_c0, grad_<parameter>   d sum(out * gout) / d each, from torch autograd in float32
"""

import os
import sys

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

SEED = 20251202
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from layer_fixtures import Writer  # noqa: E402





def add(w, name, token, kind, n, t, f, h, bi=False, seq=False, layers=1, nonlinearity="tanh", lengths=None,
        states=False):
    cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[kind]
    extra = {"nonlinearity": nonlinearity} if kind == "rnn" else {}
    m = cls(f, h, num_layers=layers, bidirectional=bi, batch_first=True, **extra)
    with torch.no_grad():
        for p in m.parameters():
            p.uniform_(-0.8, 0.8)  # wider than the default, so that the gates leave their linear range
    d = 2 if bi else 1
    x = torch.randn(n, t, f).requires_grad_(True)
    h0 = c0 = None
    if states:
        h0 = (torch.randn(layers * d, n, h) * 0.5).requires_grad_(True)
        c0 = (torch.randn(layers * d, n, h) * 0.5).requires_grad_(True) if kind == "lstm" else None
    hx = None if h0 is None else ((h0, c0) if kind == "lstm" else h0)
    if lengths is not None:
        out, hn = m(pack_padded_sequence(x, torch.tensor(lengths), batch_first=True, enforce_sorted=False), hx)
        out = pad_packed_sequence(out, batch_first=True, total_length=t)[0]
    else:
        out, hn = m(x, hx)
    if kind == "lstm":
        hn = hn[0]
    result = out if seq else hn[-d:].permute(1, 0, 2).reshape(n, d * h)
    gout = torch.randn(result.shape)
    (result * gout).sum().backward()

    w.case(name, token)
    if lengths is not None:
        w.param("lengths", ",".join(str(v) for v in lengths))
    w.tensor("x", x)
    per_sample = (lambda s: s[0]) if layers * d == 1 else (lambda s: s.permute(1, 0, 2))
    if h0 is not None:
        w.tensor("h0", per_sample(h0))
    if c0 is not None:
        w.tensor("c0", per_sample(c0))
    for pname, p in m.named_parameters():
        w.tensor(pname, p)
    w.tensor("gout", gout)
    w.tensor("out", result)
    w.tensor("grad_x", x.grad)
    if h0 is not None:
        w.tensor("grad_h0", per_sample(h0.grad))
    if c0 is not None:
        w.tensor("grad_c0", per_sample(c0.grad))
    for pname, p in m.named_parameters():
        w.tensor("grad_" + pname, p.grad)


def main():
    torch.manual_seed(SEED)
    out_dir = sys.argv[1] if len(sys.argv) > 1 else HERE
    w = Writer(os.path.join(out_dir, "rnn.txt"), "make_rnn_golden.py", SEED, max_kb=120)
    add(w, "lstm_last", "lstm:4", "lstm", 3, 5, 3, 4)
    add(w, "lstm_sequences", "lstm:3:true", "lstm", 2, 4, 3, 3, seq=True)
    add(w, "lstm_bi_last", "lstm:3:bi", "lstm", 2, 4, 2, 3, bi=True)
    add(w, "lstm_bi_sequences", "lstm:3:bi:true", "lstm", 2, 4, 3, 3, bi=True, seq=True)
    add(w, "lstm_two_layers", "lstm:3:num_layers=2:return_sequences=true", "lstm", 2, 4, 2, 3, layers=2, seq=True)
    add(w, "lstm_states", "lstm:3", "lstm", 2, 4, 2, 3, states=True)
    add(w, "lstm_bi_states", "lstm:2:bi:true", "lstm", 2, 3, 2, 2, bi=True, seq=True, states=True)
    add(w, "lstm_masked_last", "lstm:3", "lstm", 3, 5, 2, 3, lengths=[5, 2, 3])
    add(w, "lstm_masked_bi_sequences", "lstm:3:bi:true", "lstm", 3, 5, 2, 3, bi=True, seq=True, lengths=[3, 5, 1])
    add(w, "lstm_masked_bi_last", "lstm:2:bi", "lstm", 3, 4, 2, 2, bi=True, lengths=[2, 4, 3])
    add(w, "gru_last", "gru:4", "gru", 3, 5, 3, 4)
    add(w, "gru_bi_sequences", "gru:3:bi:true", "gru", 2, 4, 3, 3, bi=True, seq=True)
    add(w, "gru_states_two_layers", "gru:3:num_layers=2", "gru", 2, 4, 2, 3, layers=2, states=True)
    add(w, "gru_masked_bi_last", "gru:3:bi", "gru", 3, 5, 2, 3, bi=True, lengths=[5, 1, 3])
    add(w, "rnn_tanh_last", "simplernn:4", "rnn", 3, 5, 3, 4)
    add(w, "rnn_relu_bi_sequences", "simplernn:3:relu:bi:true", "rnn", 2, 4, 3, 3, bi=True, seq=True,
        nonlinearity="relu")
    add(w, "rnn_tanh_states", "simplernn:3", "rnn", 2, 4, 2, 3, states=True)
    add(w, "rnn_masked_sequences", "simplernn:3:return_sequences=true", "rnn", 3, 4, 2, 3, seq=True, lengths=[4, 2, 3])
    w.save()


if __name__ == "__main__":
    main()
