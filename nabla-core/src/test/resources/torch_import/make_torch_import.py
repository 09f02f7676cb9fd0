#!/usr/bin/python3
"""Make the fixtures of Nabla's PyTorch weight import (TorchImportTest) with PyTorch.

Regenerate (from the repository root; Debian's python has torch):

    /usr/bin/python3 nabla-core/src/test/resources/torch_import/make_torch_import.py

For each model below, in this directory:
    <model>_f32.safetensors, <model>_f16.safetensors, <model>_bf16.safetensors
        the model's state_dict (torch.save layout of keys and shapes), floating tensors in that dtype; integer
        tensors (BatchNorm's num_batches_tracked) stay I64, as safetensors.torch.save_file writes them
    <model>_io.safetensors
        input   the fixed input batch (token ids as float32 for the transformer); input1 a second input if any
        f32     the model's output in eval mode, float32
        f16     the output of the same model with its floating weights rounded to float16 and back to float32
        bf16    the same for bfloat16
The safetensors files are written by this script (torch 1.13 has no safetensors package here), following the format:
an 8-byte little-endian header length N, N bytes of JSON {"name": {"dtype", "shape", "data_offsets"}, ...} padded
with spaces to a multiple of 8, then the raw little-endian data. Like the reference writer, the header lists keys
sorted by name within dtype, so the module order is not in the file (the importer must not need it).
"""

import json
import os
import struct
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else HERE
SEED = 20260612

DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}
ALIGN = {"I64": 8, "F32": 4, "F16": 2, "BF16": 2}


def raw(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)  # numpy has no bfloat16; the bits are what is stored
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()


def write_safetensors(path, tensors):
    # the reference writer's order: larger dtypes first, then by name
    items = sorted(tensors.items(), key=lambda kv: (-ALIGN[DTYPES[kv[1].dtype]], kv[0]))
    header, blobs, offset = {}, [], 0
    for name, t in items:
        b = raw(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def randomise(model):
    # away from torch's zero biases and ones/zeros norms, so that every tensor's role is tested
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape) * 0.4)
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.running_mean.copy_(torch.randn(m.running_mean.shape) * 0.3)
                m.running_var.copy_(torch.rand(m.running_var.shape) + 0.5)
                m.num_batches_tracked.fill_(7)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 6), nn.Tanh(), nn.Linear(6, 3))

    def forward(self, x):
        return self.net(x)


def cnn():
    return nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(36, 5), nn.BatchNorm1d(5), nn.ReLU(), nn.Linear(5, 3))


class LstmModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 5, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(10, 2)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.fc(torch.cat([h[0], h[1]], dim=1))  # Nabla's last state: forward pass's, then reverse's


class GruModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(3, 4, num_layers=2, batch_first=True)
        self.head = nn.Linear(4, 2)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


class TransformerModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(11, 8)
        self.encoder = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation="gelu", batch_first=True)
        self.classifier = nn.Linear(8, 3)

    def forward(self, ids):
        return self.classifier(self.encoder(self.embedding(ids)).mean(dim=1))


class SequenceModel(nn.Module):
    """Conv1d over time, a shared PReLU slope, a tanh RNN, a linear head (Nabla: channels-last Conv1D, SimpleRNN)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(2, 3, 3, padding=1)
        self.act = nn.PReLU()
        self.rnn = nn.RNN(3, 4, batch_first=True)
        self.out = nn.Linear(4, 2)

    def forward(self, x):
        y = self.act(self.conv(x.transpose(1, 2))).transpose(1, 2)
        _, h = self.rnn(y)
        return self.out(h[-1])


class CrossAttentionModel(nn.Module):
    """Queries [3, 4] attending to keys/values [5, 6] (kdim = vdim = 6: q/k/v_proj_weight), mean over time, linear."""

    def __init__(self):
        super().__init__()
        self.attention = nn.MultiheadAttention(4, 2, kdim=6, vdim=6, batch_first=True)
        self.out = nn.Linear(4, 2)

    def forward(self, q, kv):
        return self.out(self.attention(q, kv, kv, need_weights=False)[0].mean(dim=1))


def rounded(state, dtype):
    return {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in state.items()}


def make(name, model, *x):
    randomise(model)
    model.eval()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    outputs = {("input" if i == 0 else "input%d" % i): xi.float() for i, xi in enumerate(x)}
    for suffix, dtype in (("f32", torch.float32), ("f16", torch.float16), ("bf16", torch.bfloat16)):
        stored = rounded(state, dtype)
        write_safetensors(os.path.join(OUT, "%s_%s.safetensors" % (name, suffix)), stored)
        model.load_state_dict({k: (v.float() if v.is_floating_point() else v) for k, v in stored.items()})
        with torch.no_grad():
            outputs[suffix] = model(*x).float()
    write_safetensors(os.path.join(OUT, "%s_io.safetensors" % name), outputs)


def main():
    torch.manual_seed(SEED)
    make("mlp", Mlp(), torch.randn(5, 4))
    make("cnn", cnn(), torch.randn(3, 2, 6, 6))
    make("lstm", LstmModel(), torch.randn(3, 6, 3))
    make("gru", GruModel(), torch.randn(3, 7, 3))
    make("transformer", TransformerModel(), torch.randint(0, 11, (3, 5)))
    make("sequence", SequenceModel(), torch.randn(3, 8, 2))
    make("cross_attention", CrossAttentionModel(), torch.randn(2, 3, 4), torch.randn(2, 5, 6))


if __name__ == "__main__":
    main()
