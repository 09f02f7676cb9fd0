#!/usr/bin/python3
"""Generate golden fixtures for Nabla's layers with weights (forward and backward) with PyTorch.

Regenerate (from the repository root; use Debian's python, which has torch):

    /usr/bin/python3 nabla-core/src/test/resources/golden/make_layer_golden.py

Writes layers.txt next to this script (or into the directory given as the first argument), in the format described
in make_golden.py: `case <name>`, `param <key> <value>`, `<tensor> <shape|scalar> <values...>`.

Every case is one layer, created in Nabla from its command-line token:
    param layer     the Nabla token, e.g. conv:3:3:relu:same or batchnorm:momentum=0.3:epsilon=0.001
    x               the input batch ([N, ...]); for embeddings `ids` instead (whole numbers as floats, no gradient)
    <parameter>     each parameter under its Nabla name and in Nabla's layout: dense `weight` [in, units] (the
                    transpose of torch's nn.Linear weight) and `bias`; conv `weight` [F, C, kh, kw] and `bias`;
                    batchnorm / layernorm `gamma`, `beta`; embedding `table` [vocabulary, dimension]
    gout            upstream gradient; `out` the output (training mode)
    grad_x, grad_<parameter>   d sum(out * gout) / d input and parameters, from torch autograd in float32
Batch normalisation cases (PyTorch semantics: batch statistics in training, momentum-weighted running mean and
unbiased running variance, running statistics at inference) add:
    x2, out2        a second training step's input and output (no backward)
    running_mean, running_var   the buffers after the two training steps
    x_eval, gout_eval, out_eval, grad_x_eval, grad_gamma_eval, grad_beta_eval   a step in inference mode
"""

import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 20240611
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from layer_fixtures import Writer  # noqa: E402





def forward_backward(w, x, fn, params):
    """Writes x, the parameters (name -> (tensor, to Nabla layout)), gout, out and every gradient."""
    x = x.clone().requires_grad_(True)
    out = fn(x)
    gout = torch.randn(out.shape)
    (out * gout).sum().backward()
    w.tensor("x", x)
    for name, (p, layout) in params.items():
        w.tensor(name, layout(p))
    w.tensor("gout", gout)
    w.tensor("out", out)
    w.tensor("grad_x", x.grad)
    for name, (p, layout) in params.items():
        w.tensor("grad_" + name, layout(p.grad))


ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": F.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
    "elu": lambda z: F.elu(z, 1.0),
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "gelu": F.gelu,  # exact (erf) form, Nabla's Activation.GELU
    "softmax": lambda z: torch.softmax(z, dim=-1),
}


def dense(w):
    def add(name, shape, units, activation, bias=True):
        lin = nn.Linear(shape[-1], units, bias=bias)
        with torch.no_grad():
            lin.weight.normal_()
            if bias:
                lin.bias.normal_()
        token = "dense:%d:%s" % (units, activation) + ("" if bias else ":use_bias=false")
        w.case(name, token)
        params = {"weight": (lin.weight, lambda t: t.t())}
        if bias:
            params["bias"] = (lin.bias, lambda t: t)
        forward_backward(w, torch.randn(*shape), lambda x: ACTIVATIONS[activation](lin(x)), params)

    for act in ACTIVATIONS:
        add("dense_" + act, (3, 4), 5, act)
    add("dense_rank3_nobias", (2, 3, 4), 2, "tanh", bias=False)


def same_padding(size, kernel, stride, dilation):
    """TensorFlow's 'same': the output keeps ceil(size / stride); here the padding must split evenly."""
    effective = (kernel - 1) * dilation + 1
    out = (size + stride - 1) // stride
    total = max(0, (out - 1) * stride + effective - size)
    assert total % 2 == 0, "uneven 'same' padding is not supported by Nabla yet"
    return total // 2


def conv(w):
    def add(name, token, x_shape, filters, kernel, activation="linear", padding="valid", stride=(1, 1),
            dilation=(1, 1), bias=True):
        c = nn.Conv2d(x_shape[1], filters, kernel, bias=bias)
        with torch.no_grad():
            c.weight.normal_()
            if bias:
                c.bias.normal_()
        if padding == "valid":
            pad = (0, 0)
        elif padding == "same":
            pad = tuple(same_padding(x_shape[2 + a], kernel[a], stride[a], dilation[a]) for a in range(2))
        else:
            pad = padding
        w.case(name, token)
        params = {"weight": (c.weight, lambda t: t)}
        if bias:
            params["bias"] = (c.bias, lambda t: t)
        fn = lambda x: ACTIVATIONS[activation](F.conv2d(x, c.weight, c.bias, stride=stride, padding=pad, dilation=dilation))
        forward_backward(w, torch.randn(*x_shape), fn, params)

    add("conv_valid", "conv:4:3", (2, 3, 6, 5), 4, (3, 3))
    add("conv_same_relu", "conv:3:3:relu:same", (2, 2, 5, 5), 3, (3, 3), "relu", "same")
    add("conv_same_k5", "conv:2:5:padding=same", (1, 2, 6, 6), 2, (5, 5), padding="same")
    add("conv_stride2_pad1", "conv:3:3:strides=2:padding=1", (2, 2, 7, 6), 3, (3, 3), padding=(1, 1), stride=(2, 2))
    add("conv_same_stride2", "conv:3:3:strides=2:padding=same", (1, 2, 7, 7), 3, (3, 3), padding="same", stride=(2, 2))
    add("conv_dilation2_same", "conv:2:3:dilation_rate=2:padding=same", (1, 2, 7, 7), 2, (3, 3), padding="same",
        dilation=(2, 2))
    add("conv_rect_stride2x1_nobias_tanh", "conv:3:kernel_size=[3,2]:strides=[2,1]:use_bias=false:activation=tanh",
        (2, 2, 7, 6), 3, (3, 2), "tanh", stride=(2, 1), bias=False)


def batchnorm(w):
    def add(name, token, shape, momentum=0.1, eps=1e-5):
        bn = (nn.BatchNorm1d if len(shape) == 2 else nn.BatchNorm2d)(shape[1], eps=eps, momentum=momentum)
        with torch.no_grad():
            bn.weight.normal_()
            bn.bias.normal_()
        params = {"gamma": (bn.weight, lambda t: t), "beta": (bn.bias, lambda t: t)}
        w.case(name, token)
        bn.train()
        # inputs off-centre with a spread unlike 1, so that the running statistics move visibly
        forward_backward(w, torch.randn(*shape) * 2 + 0.5, bn, params)
        x2 = torch.randn(*shape) * 0.5 - 1
        with torch.no_grad():
            out2 = bn(x2)
        w.tensor("x2", x2)
        w.tensor("out2", out2)
        w.tensor("running_mean", bn.running_mean)
        w.tensor("running_var", bn.running_var)
        bn.eval()
        bn.weight.grad = None
        bn.bias.grad = None
        x_eval = (torch.randn(*shape) + 0.3).requires_grad_(True)
        out_eval = bn(x_eval)
        gout_eval = torch.randn(out_eval.shape)
        (out_eval * gout_eval).sum().backward()
        w.tensor("x_eval", x_eval)
        w.tensor("gout_eval", gout_eval)
        w.tensor("out_eval", out_eval)
        w.tensor("grad_x_eval", x_eval.grad)
        w.tensor("grad_gamma_eval", bn.weight.grad)
        w.tensor("grad_beta_eval", bn.bias.grad)

    add("batchnorm_nc", "batchnorm", (4, 3))
    add("batchnorm_nchw", "batchnorm", (2, 3, 3, 3))
    add("batchnorm_nchw_momentum03_eps1e-3", "batchnorm:momentum=0.3:epsilon=0.001", (3, 2, 2, 3), 0.3, 1e-3)


def layernorm(w):
    def add(name, token, shape, eps=1e-5):
        ln = nn.LayerNorm(shape[-1], eps=eps)
        with torch.no_grad():
            ln.weight.normal_()
            ln.bias.normal_()
        w.case(name, token)
        forward_backward(w, torch.randn(*shape) * 1.5 + 0.2, ln,
                         {"gamma": (ln.weight, lambda t: t), "beta": (ln.bias, lambda t: t)})

    add("layernorm_2d", "layernorm", (3, 5))
    add("layernorm_3d_eps1e-3", "layernorm:epsilon=0.001", (2, 3, 4), 1e-3)


def embedding(w):
    emb = nn.Embedding(6, 4)
    # repeated ids: their gradients must add up in the table
    ids = torch.tensor([[0, 5], [2, 2], [5, 1]])
    out = emb(ids)
    gout = torch.randn(out.shape)
    (out * gout).sum().backward()
    w.case("embedding", "embedding:6:4")
    w.tensor("ids", ids.float())
    w.tensor("table", emb.weight)
    w.tensor("gout", gout)
    w.tensor("out", out)
    w.tensor("grad_table", emb.weight.grad)


def embedding_padding(w):
    # padding_idx: its row starts at zero, its outputs stay zero and it gets no gradient (Nabla: padding_index)
    emb = nn.Embedding(6, 3, padding_idx=0)
    ids = torch.tensor([[4, 0, 0], [0, 2, 4]])
    out = emb(ids)
    gout = torch.randn(out.shape)
    (out * gout).sum().backward()
    w.case("embedding_padding", "embedding:6:3:padding_index=0")
    w.tensor("ids", ids.float())
    w.tensor("table", emb.weight)
    w.tensor("gout", gout)
    w.tensor("out", out)
    w.tensor("grad_table", emb.weight.grad)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else HERE
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)  # keep reductions' summation order stable
    w = Writer(os.path.join(out_dir, "layers.txt"), "make_layer_golden.py", SEED, max_kb=80)
    for gen in (dense, conv, batchnorm, layernorm, embedding, embedding_padding):
        gen(w)
    w.save()


if __name__ == "__main__":
    main()
