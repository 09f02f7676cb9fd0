#!/usr/bin/env python3
"""PyTorch side of the Nabla benchmark: the same workloads, the same method, JSON lines on stdout.

    python3 bench/torch_bench.py [--threads N] [--model-cache PATH] [--seed N] [--start FILE] [WORKLOAD...]

Workloads: gemm, mlp, mlp-b32, cnn, resnet, mlp-infer, lstm, vit (default: all). Each workload runs in its own Python process, so its
peak RSS is its own: asked for several, this script starts itself once per workload. Notes go to stderr.

Fashion-MNIST is read from $NABLA_FASHION_MNIST, ../shared/data/fashion-mnist (relative to the repository root) or
/usr/share/datasets/fashion-mnist: the four IDX files, gzipped or not.
"""

import argparse
import gzip
import json
import os
import resource
import struct
import subprocess
import sys
import time

WORKLOADS = ["gemm", "mlp", "mlp-b32", "cnn", "resnet", "mlp-infer", "lstm", "vit"]
GEMM_SHAPES = [(128, 784, 256), (128, 256, 128), (1024, 1024, 1024)]  # M x K x N

# Timing of short operations, as in Nabla's Timing class.
RUN_SECONDS = 0.2
WARMUP_SECONDS = 0.3
MIN_RUNS = 3
MAX_RUNS = 7
BUDGET_SECONDS = 3.0

SEED = 42
START = None  # tensors from Nabla's start file (--start), or None: then this side draws its own weights and order
MODEL_VERSION = 1  # bump when the mlp recipe changes, so a cached model is not reused

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def note(message):
    print("torch_bench: " + message, file=sys.stderr, flush=True)


def peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


def median(values):
    s = sorted(values)
    n = len(s)
    if n == 0:
        return float("nan")
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


def measure(op):
    """Seconds per call of each timed run: warm up, size runs to ~RUN_SECONDS, then MIN_RUNS..MAX_RUNS runs."""
    warm_start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        op()
        last = time.perf_counter() - t0
        if time.perf_counter() - warm_start >= WARMUP_SECONDS:
            break
    reps = max(1, min(1_000_000, int(-(-RUN_SECONDS // max(last, 1e-9)))))
    runs = []
    budget_start = time.perf_counter()
    while len(runs) < MAX_RUNS:
        start = time.perf_counter()
        for _ in range(reps):
            op()
        runs.append((time.perf_counter() - start) / reps)
        if len(runs) >= MIN_RUNS and time.perf_counter() - budget_start > BUDGET_SECONDS:
            break
    return runs


# ---------------------------------------------------------------- data

def data_dir():
    candidates = []
    if os.environ.get("NABLA_FASHION_MNIST"):
        candidates.append(os.environ["NABLA_FASHION_MNIST"])
    candidates.append(os.path.join(REPO_ROOT, "..", "shared", "data", "fashion-mnist"))
    candidates.append("/usr/share/datasets/fashion-mnist")
    for d in candidates:
        if os.path.exists(os.path.join(d, "train-images-idx3-ubyte.gz")) or \
                os.path.exists(os.path.join(d, "train-images-idx3-ubyte")):
            return os.path.normpath(d)
    raise SystemExit("torch_bench: Fashion-MNIST not found (looked in: " + ", ".join(candidates)
                     + "); set NABLA_FASHION_MNIST to the directory holding the IDX files")


def read_idx(directory, name):
    """An IDX file as (uint8 tensor, dims)."""
    import torch
    path = os.path.join(directory, name)
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            raw = f.read()
    else:
        with open(path, "rb") as f:
            raw = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit("torch_bench: %s is not an unsigned-byte IDX file" % path)
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    body = bytearray(raw[4 + 4 * ndim:])
    count = 1
    for d in dims:
        count *= d
    if len(body) != count:
        raise SystemExit("torch_bench: %s holds %d bytes, its header says %d" % (path, len(body), count))
    return torch.frombuffer(body, dtype=torch.uint8), dims


def load_fashion_mnist(splits=("train", "t10k")):
    """(train_x [60000, 784] float in [0, 1], train_y int64, test_x [10000, 784], test_y), all in memory;
    only the pairs for the given splits ("train", "t10k")."""
    d = data_dir()
    out = []
    for split in splits:
        images, dims = read_idx(d, split + "-images-idx3-ubyte")
        labels, _ = read_idx(d, split + "-labels-idx1-ubyte")
        out.append(images.view(dims[0], dims[1] * dims[2]).float().div_(255.0))
        out.append(labels.long())
    return tuple(out)


# ---------------------------------------------------------------- a shared start

def read_safetensors(path):
    """{name: float32 tensor} from a safetensors file with F32 tensors (what Nabla writes)."""
    import torch
    with open(path, "rb") as f:
        raw = f.read()
    (header_len,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + header_len].decode("utf-8"))
    body = raw[8 + header_len:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit("torch_bench: %s: tensor %s is %s, expected F32" % (path, name, info["dtype"]))
        begin, end = info["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(body[begin:end]), dtype=torch.float32).view(*info["shape"])
    return tensors


def start_from_nabla(model):
    """Copies Nabla's initial parameters into the model (Nabla's dense weights are [in, out], PyTorch's [out, in])."""
    if START is None:
        return
    import torch
    params = list(model.parameters())
    given = [k for k in START if k.startswith("p")]
    if len(given) != len(params):
        raise SystemExit("torch_bench: the start file has %d parameters, the model %d" % (len(given), len(params)))
    with torch.no_grad():
        for i, p in enumerate(params):
            t = START["p%d" % i]
            if p.dim() == 2:
                t = t.t()
            if tuple(t.shape) != tuple(p.shape):
                raise SystemExit("torch_bench: start parameter p%d has shape %s, the model wants %s"
                                 % (i, tuple(t.shape), tuple(p.shape)))
            p.copy_(t)
    note("starting from Nabla's initial weights and shuffle order")


# ---------------------------------------------------------------- models

def mlp_model():
    import torch.nn as nn
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def cnn_model():
    import torch.nn as nn
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),    # 26x26 -> 13x13
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),   # 11x11 -> 5x5
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10))


def resnet_model():
    """The resnet workload's network (Nabla's ResNetWorkload), its modules named as RESNET_LAYERS lists them."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    def conv3x3(channels_in, channels_out):
        return nn.Conv2d(channels_in, channels_out, 3, padding=1, bias=False)

    class ResidualBlock(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.conv1, self.bn1 = conv3x3(channels, channels), nn.BatchNorm2d(channels)
            self.conv2, self.bn2 = conv3x3(channels, channels), nn.BatchNorm2d(channels)

        def forward(self, x):
            h = F.relu(self.bn1(self.conv1(x)))
            return F.relu(self.bn2(self.conv2(h)) + x)

    class ResNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem_conv, self.stem_bn = conv3x3(1, 32), nn.BatchNorm2d(32)
            self.block1, self.block2 = ResidualBlock(32), ResidualBlock(32)
            self.widen_conv, self.widen_bn = conv3x3(32, 64), nn.BatchNorm2d(64)
            self.block3 = ResidualBlock(64)
            self.fc = nn.Linear(64, 10)

        def forward(self, x):
            x = x.view(-1, 1, 28, 28)
            if RESNET_CHANNELS_LAST:
                x = x.contiguous(memory_format=torch.channels_last)
            x = F.relu(self.stem_bn(self.stem_conv(x)))
            x = self.block2(self.block1(x))
            x = F.max_pool2d(x, 2)                                   # 28x28 -> 14x14
            x = F.relu(self.widen_bn(self.widen_conv(x)))
            x = self.block3(x)
            return self.fc(x.mean((2, 3)))

    model = ResNet()
    if RESNET_CHANNELS_LAST:
        model = model.to(memory_format=torch.channels_last)
    return model


# The resnet workload's layers: (Nabla's module name in ResNetWorkload's graph, PyTorch's module in resnet_model()).
# With RESNET_PARAMETERS this is the whole mapping of the start file's names to PyTorch's: no name is guessed.
RESNET_LAYERS = [
    ("stem_conv", "stem_conv"), ("stem_bn", "stem_bn"),
    ("block1_conv1", "block1.conv1"), ("block1_bn1", "block1.bn1"),
    ("block1_conv2", "block1.conv2"), ("block1_bn2", "block1.bn2"),
    ("block2_conv1", "block2.conv1"), ("block2_bn1", "block2.bn1"),
    ("block2_conv2", "block2.conv2"), ("block2_bn2", "block2.bn2"),
    ("widen_conv", "widen_conv"), ("widen_bn", "widen_bn"),
    ("block3_conv1", "block3.conv1"), ("block3_bn1", "block3.bn1"),
    ("block3_conv2", "block3.conv2"), ("block3_bn2", "block3.bn2"),
    ("fc", "fc"),
]
# Nabla's parameter names within a layer and PyTorch's: conv2d/dense weight and bias, batchnorm gamma and beta.
RESNET_PARAMETERS = {"weight": "weight", "bias": "bias", "gamma": "weight", "beta": "bias"}
# Channels-last activations (NHWC, oneDNN's preferred layout): measured faster here, 2 threads, 20 training steps
# after 5 of warm-up, alternating: median step 340 and 518 ms (fastest 294 and 187 ms) against 920 and 707 ms
# (fastest 500 and 484 ms) in the default layout, on a busy machine.
RESNET_CHANNELS_LAST = True


def start_from_nabla_by_name(model, layers, parameters, same_layout=()):
    """Copies Nabla's initial parameters, stored under their paths in Nabla's graph, into the model: each name is
    mapped through the explicit tables, and every start tensor and every model parameter must be matched once.
    2-D tensors are dense weights ([in, out] in Nabla), transposed, except parameters named in same_layout."""
    if START is None:
        return
    import torch
    torch_params = dict(model.named_parameters())
    layer_names = dict(layers)
    matched = set()
    with torch.no_grad():
        for name, t in START.items():
            if name == "order":
                continue
            layer, _, param = name.rpartition(".")
            if layer not in layer_names or param not in parameters:
                raise SystemExit("torch_bench: the start file's parameter %s has no PyTorch module in the table" % name)
            target = layer_names[layer] + "." + parameters[param]
            p = torch_params.get(target)
            if p is None:
                raise SystemExit("torch_bench: the start file's %s maps to %s, which the model lacks" % (name, target))
            if t.dim() == 2 and param not in same_layout:
                t = t.t()  # Nabla's dense weight is [in, out], PyTorch's [out, in]
            if tuple(t.shape) != tuple(p.shape):
                raise SystemExit("torch_bench: start parameter %s has shape %s, the model's %s wants %s"
                                 % (name, tuple(t.shape), target, tuple(p.shape)))
            p.copy_(t)
            matched.add(target)
    missing = sorted(set(torch_params) - matched)
    if missing:
        raise SystemExit("torch_bench: the start file has nothing for %s" % ", ".join(missing))
    note("starting from Nabla's initial weights (%d tensors by name) and shuffle order" % len(matched))


def lstm_model():
    """The lstm workload's network (Nabla's LstmWorkload): the image's 28 rows as a sequence, an LSTM of 128 units,
    dense 10 on its last hidden state."""
    import torch.nn as nn

    class RowLstm(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(28, 128, batch_first=True)
            self.fc = nn.Linear(128, 10)

        def forward(self, x):
            _, (h_n, _) = self.lstm(x.view(-1, 28, 28))
            return self.fc(h_n[-1])

    return RowLstm()


# Nabla's LSTM parameters have PyTorch's names and layouts; the dense layer's weight is [in, out].
LSTM_LAYERS = [("lstm", "lstm"), ("fc", "fc")]
LSTM_WEIGHTS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")
LSTM_PARAMETERS = dict({"weight": "weight", "bias": "bias"}, **{name: name for name in LSTM_WEIGHTS})
def vit_model():
    """The vit workload's network (Nabla's VitWorkload): patches in, 10 logits out."""
    import torch
    import torch.nn as nn

    class ViT(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Linear(49, 64)
            self.position = nn.Parameter(torch.randn(16, 64))
            self.blocks = nn.ModuleList([
                nn.TransformerEncoderLayer(64, 4, 128, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
                for _ in range(2)])
            self.norm = nn.LayerNorm(64)
            self.head = nn.Linear(64, 10)

        def forward(self, x):
            x = self.embed(x) + self.position
            for block in self.blocks:
                x = block(x)
            return self.head(self.norm(x.mean(1)))

    return ViT()


def vit_patches(x):
    """[N, 784] images to [N, 16, 49]: 16 patches of 7x7 in row-major order, pixels row-major inside a patch."""
    return x.view(-1, 4, 7, 4, 7).permute(0, 1, 3, 2, 4).reshape(-1, 16, 49).contiguous()


def start_vit_from_nabla(model):
    """Copies Nabla's initial vit parameters (by path) into the model: the three attention projections of a block
    are the thirds of in_proj_weight / in_proj_bias; every start tensor and every model parameter is matched once."""
    if START is None:
        return
    import torch
    torch_params = dict(model.named_parameters())
    simple = {"embed": "embed", "norm": "norm", "head": "head"}
    sub = {"dense1": "linear1", "dense2": "linear2", "norm1": "norm1", "norm2": "norm2"}
    names = {"weight": "weight", "bias": "bias", "gamma": "weight", "beta": "bias"}
    thirds = {"query": 0, "key": 1, "value": 2}
    matched = set()
    with torch.no_grad():
        for name, t in START.items():
            if name == "order":
                continue
            parts = name.split(".")
            rows = None
            if name == "position.table":
                target = "position"
            elif parts[0] in simple and len(parts) == 2:
                target = simple[parts[0]] + "." + names[parts[1]]
                if t.dim() == 2:
                    t = t.t()
            elif parts[0] in ("block1", "block2") and len(parts) == 3:
                block = "blocks.%d." % (int(parts[0][-1]) - 1)
                if parts[1] == "attention":
                    role, _, kind = parts[2].partition("_")
                    if role in thirds:
                        target = block + "self_attn.in_proj_" + kind
                        rows = thirds[role]
                    else:
                        target = block + "self_attn.out_proj." + kind
                else:
                    target = block + sub[parts[1]] + "." + names[parts[2]]
                if t.dim() == 2:
                    t = t.t()
            else:
                raise SystemExit("torch_bench: the start file's parameter %s has no PyTorch counterpart" % name)
            p = torch_params.get(target)
            if p is None:
                raise SystemExit("torch_bench: the start file's %s maps to %s, which the model lacks" % (name, target))
            if rows is not None:
                e = p.shape[0] // 3
                p = p[rows * e:(rows + 1) * e]
            if tuple(t.shape) != tuple(p.shape):
                raise SystemExit("torch_bench: start parameter %s has shape %s, %s wants %s"
                                 % (name, tuple(t.shape), target, tuple(p.shape)))
            p.copy_(t)
            matched.add((target, rows))
    expected = set()
    for name, p in torch_params.items():
        if name.endswith("in_proj_weight") or name.endswith("in_proj_bias"):
            expected.update((name, r) for r in range(3))
        else:
            expected.add((name, None))
    missing = sorted(str(m) for m in expected - matched)
    if missing:
        raise SystemExit("torch_bench: the start file has nothing for %s" % ", ".join(missing))
    note("starting from Nabla's initial weights (%d tensors by name) and shuffle order" % len(matched))


def accuracy(model, x, y, batch=1000):
    import torch
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / x.shape[0]


def train(workload, threads, model, optimizer, batch, epochs, data, eval_batch=1000):
    """Trains and returns the result dict (without peak RSS); the test accuracy is measured at eval_batch."""
    import torch
    train_x, train_y, test_x, test_y = data
    n = train_x.shape[0]
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(SEED)
    epoch_s = []
    final_loss = float("nan")
    for epoch in range(epochs):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(n, generator=generator) if START is None else START["order"][epoch].long()
        loss_sum = 0.0
        for i in range(0, n, batch):
            idx = order[i:i + batch]
            xb, yb = train_x[idx], train_y[idx]
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * idx.shape[0]
        epoch_s.append(time.perf_counter() - start)
        final_loss = loss_sum / n
        note("%s epoch %d/%d: %.2f s, loss %.4f" % (workload, epoch + 1, epochs, epoch_s[-1], final_loss))
    med = median(epoch_s)
    return {
        "workload": workload, "framework": "pytorch", "threads": threads,
        "batch_size": batch, "epochs": epochs,
        "epoch_s": [round(s, 3) for s in epoch_s],
        "median_epoch_s": round(med, 3),
        "samples_per_s": round(n / med, 1),
        "test_accuracy": round(accuracy(model, test_x, test_y, eval_batch), 4),
        "final_train_loss": round(final_loss, 4),
    }


def train_mlp(workload, threads, batch, epochs):
    import torch
    torch.manual_seed(SEED)
    model = mlp_model()
    start_from_nabla(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    return model, train(workload, threads, model, optimizer, batch, epochs, load_fashion_mnist())


# ---------------------------------------------------------------- workloads

def run_gemm(args):
    import torch
    gflops = {}
    for m, k, n in GEMM_SHAPES:
        g = torch.Generator().manual_seed(SEED)
        a = torch.rand(m, k, generator=g)
        b = torch.rand(k, n, generator=g)
        runs = measure(lambda: torch.mm(a, b))
        gflops["%dx%dx%d" % (m, k, n)] = round(median([2.0 * m * n * k / s * 1e-9 for s in runs]), 2)
    return {"workload": "gemm", "framework": "pytorch", "threads": torch.get_num_threads(), "gflops": gflops}


def run_mlp(args):
    import torch
    model, result = train_mlp("mlp", torch.get_num_threads(), batch=128, epochs=10)
    if args.model_cache:
        save_model(model, args.model_cache)
    return result


def run_mlp_b32(args):
    import torch
    return train_mlp("mlp-b32", torch.get_num_threads(), batch=32, epochs=3)[1]


def run_cnn(args):
    import torch
    torch.manual_seed(SEED)
    model = cnn_model()
    start_from_nabla(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    return train("cnn", torch.get_num_threads(), model, optimizer, 128, 3, load_fashion_mnist())


def run_resnet(args):
    import torch
    torch.manual_seed(SEED)
    model = resnet_model()
    start_from_nabla_by_name(model, RESNET_LAYERS, RESNET_PARAMETERS)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    # the test set at batch 250 as on Nabla's side (ResNetWorkload.EVAL_BATCH_SIZE); in eval mode the batch size does
    # not change the predictions
    return train("resnet", torch.get_num_threads(), model, optimizer, 128, 1, load_fashion_mnist(), eval_batch=250)


def run_lstm(args):
    import torch
    torch.manual_seed(SEED)
    model = lstm_model()
    start_from_nabla_by_name(model, LSTM_LAYERS, LSTM_PARAMETERS, same_layout=LSTM_WEIGHTS)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    return train("lstm", torch.get_num_threads(), model, optimizer, 128, 2, load_fashion_mnist())
def run_vit(args):
    import torch
    torch.manual_seed(SEED)
    model = vit_model()
    start_vit_from_nabla(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    train_x, train_y, test_x, test_y = load_fashion_mnist()
    data = (vit_patches(train_x), train_y, vit_patches(test_x), test_y)
    return train("vit", torch.get_num_threads(), model, optimizer, 128, 2, data)


def save_model(model, path):
    import torch
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    torch.save({"version": MODEL_VERSION, "state_dict": model.state_dict()}, path)


def load_model(path):
    import torch
    if not path or not os.path.exists(path):
        return None
    try:
        saved = torch.load(path)
    except Exception as e:  # a damaged cache: train again
        note("ignoring %s: %s" % (path, e))
        return None
    if not isinstance(saved, dict) or saved.get("version") != MODEL_VERSION:
        return None
    model = mlp_model()
    model.load_state_dict(saved["state_dict"])
    return model


def run_mlp_infer(args):
    import torch
    threads = torch.get_num_threads()
    cache = args.model_cache or os.path.join(REPO_ROOT, "bench", "target", "torch-mlp.pt")
    model = load_model(cache)
    if model is None:
        # train it in a child process, so this process's peak RSS is inference only
        note("no trained mlp at %s: training one (the mlp workload)" % cache)
        subprocess.run([sys.executable, os.path.abspath(__file__), "--threads", str(threads),
                        "--model-cache", cache, "mlp"], check=True, stdout=subprocess.DEVNULL)
        model = load_model(cache)
        if model is None:
            raise SystemExit("torch_bench: training the mlp did not leave a model at " + cache)
    test_x, test_y = load_fashion_mnist(("t10k",))
    model.eval()
    batch = 1000
    n = test_x.shape[0]

    def predict():
        with torch.no_grad():
            return [model(test_x[i:i + batch]).argmax(1) for i in range(0, n, batch)]

    runs = measure(predict)
    predicted = torch.cat(predict())
    return {
        "workload": "mlp-infer", "framework": "pytorch", "threads": threads, "batch_size": batch,
        "pass_s": [round(s, 5) for s in runs],
        "samples_per_s": round(median([n / s for s in runs]), 1),
        "test_accuracy": round((predicted == test_y).float().mean().item(), 4),
    }


RUNNERS = {"gemm": run_gemm, "mlp": run_mlp, "mlp-b32": run_mlp_b32, "cnn": run_cnn, "resnet": run_resnet,
           "mlp-infer": run_mlp_infer, "lstm": run_lstm, "vit": run_vit}


def main():
    global SEED, START
    parser = argparse.ArgumentParser(description="PyTorch side of the Nabla benchmark")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                        help="torch.set_num_threads (default: all cores)")
    parser.add_argument("--model-cache", default=None,
                        help="where mlp saves its trained model and mlp-infer loads it "
                             "(default for mlp-infer: bench/target/torch-mlp.pt)")
    parser.add_argument("--seed", type=int, default=SEED,
                        help="seed for weights and shuffling (default: %d, as on Nabla's side)" % SEED)
    parser.add_argument("--start", default=None,
                        help="a training workload's start file from Nabla's side (its initial weights and shuffle "
                             "order; -Dnabla.bench.start): start there instead of drawing from --seed")
    parser.add_argument("workloads", nargs="*", metavar="WORKLOAD", help=" ".join(WORKLOADS) + " (default: all)")
    args = parser.parse_args()
    if args.threads < 1:
        parser.error("--threads needs a positive number")
    for w in args.workloads:
        if w not in WORKLOADS:
            parser.error("unknown workload '%s' (known: %s)" % (w, " ".join(WORKLOADS)))
    workloads = args.workloads or WORKLOADS

    if len(workloads) > 1:
        # one process per workload, so that each peak RSS is its own
        status = 0
        for w in workloads:
            cmd = [sys.executable, os.path.abspath(__file__), "--threads", str(args.threads), "--seed", str(args.seed)]
            if args.model_cache:
                cmd += ["--model-cache", args.model_cache]
            status = subprocess.call(cmd + [w]) or status
        sys.exit(status)

    SEED = args.seed
    if args.start:
        if len(workloads) != 1 or workloads[0] not in ("mlp", "mlp-b32", "cnn", "resnet", "lstm", "vit"):
            parser.error("--start goes with one training workload (mlp, mlp-b32, cnn, resnet, lstm or vit)")
        START = read_safetensors(args.start)
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    import torch
    torch.set_num_threads(args.threads)
    result = RUNNERS[workloads[0]](args)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
