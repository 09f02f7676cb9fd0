#!/usr/bin/python3
"""Generate golden fixtures for Nabla's attention layers (forward and backward) with PyTorch.

Regenerate (from the repository root; use Debian's python, which has torch):

    /usr/bin/python3 nabla-core/src/test/resources/golden/make_attention_golden.py

Writes attention.txt next to this script (or into the directory given as the first argument), in the format described
in make_golden.py: `case <name>`, `param <key> <value>`, `<tensor> <shape|scalar> <values...>`.

Every case is one layer, created in Nabla from its command-line token:
    param layer     the Nabla token, e.g. mha:2:causal=true or transformer:2:8:gelu:norm_first=true
    x0, x1, x2      the inputs (one: self-attention or the encoder; two: query, key/value; three: query, key, value)
    mask            [N, Tk] 1 for a real key, 0 for padding (torch's key_padding_mask / src_key_padding_mask is its
                    negation); absent when nothing is padded
    <parameter>     each parameter under its Nabla name and layout ([in, out] dense weights: torch's transposed):
                    multi-head attention query_weight, key_weight, value_weight (torch's in_proj_weight split in three,
                    or q/k/v_proj_weight), query_bias, key_bias, value_bias, output_weight, output_bias; the encoder's
                    attention.<those>, dense1.weight/bias (linear1), dense2.weight/bias (linear2),
                    norm1.gamma/beta, norm2.gamma/beta
    gout            upstream gradient, zero at padded query positions; `out` the output (training mode, dropout 0)
    grad_x0.., grad_<parameter>   d sum(out * gout) / d input and parameters, from torch autograd in float32
"""

import os
import sys

import torch
import torch.nn as nn

SEED = 20240612
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from layer_fixtures import Writer  # noqa: E402





def attention_params(mha, prefix=""):
    """Nabla name -> (torch tensor to read the value from, gradient getter) for an nn.MultiheadAttention."""
    e = mha.embed_dim
    out = {}
    if mha._qkv_same_embed_dim:
        w, b = mha.in_proj_weight, mha.in_proj_bias
        for i, name in enumerate(("query", "key", "value")):
            out[prefix + name + "_weight"] = (lambda i=i, w=w: w[i * e:(i + 1) * e].t(),
                                              lambda i=i, w=w: w.grad[i * e:(i + 1) * e].t())
    else:
        for name, w in (("query", mha.q_proj_weight), ("key", mha.k_proj_weight), ("value", mha.v_proj_weight)):
            out[prefix + name + "_weight"] = (lambda w=w: w.t(), lambda w=w: w.grad.t())
    if mha.in_proj_bias is not None:
        b = mha.in_proj_bias
        for i, name in enumerate(("query", "key", "value")):
            out[prefix + name + "_bias"] = (lambda i=i, b=b: b[i * e:(i + 1) * e], lambda i=i, b=b: b.grad[i * e:(i + 1) * e])
    out[prefix + "output_weight"] = (lambda: mha.out_proj.weight.t(), lambda: mha.out_proj.weight.grad.t())
    if mha.out_proj.bias is not None:
        out[prefix + "output_bias"] = (lambda: mha.out_proj.bias, lambda: mha.out_proj.bias.grad)
    return out


def randomise(module):
    # away from torch's zero biases and ones/zeros norms, so that every parameter's role is tested
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape) * 0.4)


def write_case(w, name, token, inputs, mask, params, forward):
    for i, x in enumerate(inputs):
        x.requires_grad_(True)
    out = forward()
    gout = torch.randn(out.shape)
    if mask is not None and out.shape[1] == mask.shape[1] and len(inputs) == 1:
        gout = gout * mask.unsqueeze(-1)  # padded query positions are nobody's business
    (out * gout).sum().backward()
    w.case(name, token)
    seen = set()
    for i, x in enumerate(inputs):
        w.tensor("x%d" % i, x)
    if mask is not None:
        w.tensor("mask", mask)
    for pname, (value, _) in params.items():
        w.tensor(pname, value())
    w.tensor("gout", gout)
    w.tensor("out", out)
    for i, x in enumerate(inputs):
        w.tensor("grad_x%d" % i, x.grad)
    for pname, (_, grad) in params.items():
        w.tensor("grad_" + pname, grad())


def padding(n, t, lengths):
    mask = torch.zeros(n, t)
    for i, l in enumerate(lengths):
        mask[i, :l] = 1
    return mask


def mha_cases(w):
    def mha_case(name, token, e, heads, inputs, mask=None, causal=False, kdim=None, vdim=None, bias=True):
        mha = nn.MultiheadAttention(e, heads, bias=bias, batch_first=True, kdim=kdim, vdim=vdim)
        randomise(mha)
        q = inputs[0]
        k = inputs[min(1, len(inputs) - 1)]
        v = inputs[-1]

        def forward():
            tq, tk = q.shape[1], k.shape[1]
            attn_mask = torch.triu(torch.ones(tq, tk, dtype=torch.bool), 1) if causal else None
            kpm = None if mask is None else mask == 0
            return mha(q, k, v, key_padding_mask=kpm, attn_mask=attn_mask, need_weights=False)[0]

        write_case(w, name, token, inputs, mask, attention_params(mha), forward)

    x = torch.randn(2, 4, 6)
    mha_case("mha_self", "mha:2", 6, 2, [x])
    mha_case("mha_self_causal", "mha:3:causal=true", 6, 3, [torch.randn(2, 5, 6)], causal=True)
    mha_case("mha_self_padded", "mha:2", 6, 2, [torch.randn(3, 5, 6)], mask=padding(3, 5, [5, 3, 1]))
    mha_case("mha_self_padded_causal", "mha:2:causal=true", 4, 2, [torch.randn(2, 4, 4)], mask=padding(2, 4, [4, 2]),
             causal=True)
    mha_case("mha_cross", "mha:2", 4, 2, [torch.randn(2, 3, 4), torch.randn(2, 5, 4)])
    mha_case("mha_cross_padded_kdim", "mha:2", 4, 2, [torch.randn(3, 3, 4), torch.randn(3, 5, 6)],
             mask=padding(3, 5, [2, 5, 4]), kdim=6, vdim=6)
    mha_case("mha_qkv_no_bias", "mha:1:use_bias=false", 4, 1,
             [torch.randn(2, 3, 4), torch.randn(2, 2, 5), torch.randn(2, 2, 3)], kdim=5, vdim=3, bias=False)


def encoder_cases(w):
    def encoder_case(name, token, e, heads, ff, activation, norm_first, x, mask=None, eps=1e-5):
        layer = nn.TransformerEncoderLayer(e, heads, ff, dropout=0.0, activation=activation, layer_norm_eps=eps,
                                           batch_first=True, norm_first=norm_first)
        randomise(layer)
        params = attention_params(layer.self_attn, "attention.")
        for nabla, lin in (("dense1", layer.linear1), ("dense2", layer.linear2)):
            params[nabla + ".weight"] = (lambda lin=lin: lin.weight.t(), lambda lin=lin: lin.weight.grad.t())
            params[nabla + ".bias"] = (lambda lin=lin: lin.bias, lambda lin=lin: lin.bias.grad)
        for nabla, ln in (("norm1", layer.norm1), ("norm2", layer.norm2)):
            params[nabla + ".gamma"] = (lambda ln=ln: ln.weight, lambda ln=ln: ln.weight.grad)
            params[nabla + ".beta"] = (lambda ln=ln: ln.bias, lambda ln=ln: ln.bias.grad)
        layer.train()

        def forward():
            return layer(x, src_key_padding_mask=None if mask is None else mask == 0)

        write_case(w, name, token, [x], mask, params, forward)

    encoder_case("encoder_post_relu", "transformer:2:8:relu", 4, 2, 8, "relu", False, torch.randn(2, 3, 4))
    encoder_case("encoder_pre_gelu", "transformer:2:8:gelu:norm_first=true", 4, 2, 8, "gelu", True, torch.randn(2, 3, 4))
    encoder_case("encoder_post_gelu_padded", "transformer:2:6:gelu:epsilon=0.001", 4, 2, 6, "gelu", False,
                 torch.randn(3, 4, 4), mask=padding(3, 4, [4, 2, 3]), eps=1e-3)
    encoder_case("encoder_pre_relu_padded", "transformer:1:5:relu:norm_first=true", 6, 1, 5, "relu", True,
                 torch.randn(2, 5, 6), mask=padding(2, 5, [3, 5]))


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else HERE
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    w = Writer(os.path.join(out_dir, "attention.txt"), "make_attention_golden.py", SEED)
    mha_cases(w)
    encoder_cases(w)
    w.save()


if __name__ == "__main__":
    main()
