"""Learning rates per epoch of `nabla train --lr-schedule ...`, from torch.optim.lr_scheduler (torch 1.13).

Writes cli_schedules.txt: one line per case, `FLAGS|EPOCHS|lr of epoch 1|lr of epoch 2|...`, the rate each epoch
trains with (what PyTorch's optimizer holds before that epoch's steps), base rate 0.01 (`--lr 0.01`).
Run: /usr/bin/python3 make_cli_schedules.py
"""
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, StepLR, ExponentialLR, LinearLR, SequentialLR, ConstantLR

BASE = 0.01


def rates(make, epochs):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=BASE)
    sched = make(opt)
    out = []
    for _ in range(epochs):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


def warm(w, then):
    # LinearWarmup(w, then): lr * (e + 1) / w for e < w, then `then` counted from the end of the warm-up
    return lambda opt: SequentialLR(opt, [LinearLR(opt, start_factor=1.0 / w, end_factor=1.0, total_iters=w - 1), then(opt)],
                                    milestones=[w])


CASES = [
    ("cosine", 6, lambda opt: CosineAnnealingLR(opt, T_max=6)),
    ("cosine:eta_min=0.001", 5, lambda opt: CosineAnnealingLR(opt, T_max=5, eta_min=0.001)),
    ("cosine:warmup=2", 7, warm(2, lambda opt: CosineAnnealingLR(opt, T_max=5))),
    ("step:step_size=2:gamma=0.5", 6, lambda opt: StepLR(opt, step_size=2, gamma=0.5)),
    ("step", 7, lambda opt: StepLR(opt, step_size=2, gamma=0.1)),
    ("exponential:gamma=0.8", 5, lambda opt: ExponentialLR(opt, gamma=0.8)),
    ("constant:warmup=3", 5, warm(3, lambda opt: ConstantLR(opt, factor=1.0, total_iters=0))),
]

with open("cli_schedules.txt", "w") as f:
    f.write("# made by make_cli_schedules.py from torch " + torch.__version__ + "\n")
    for flags, epochs, make in CASES:
        f.write(flags + "|" + str(epochs) + "|" + "|".join(repr(float(v)) for v in rates(make, epochs)) + "\n")
