"""Writes the small TorchScript modules the tests load, and PyTorch's own losses and gradients
on a fixed batch for the tests to compare with. Run by the build: make_modules.py OUT_DIR."""

import json
import math
import sys
from pathlib import Path

import torch
from torch import nn


class Mlp(nn.Module):
    """4 features, 8 tanh units, 3 classes."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 8)
        self.out = nn.Linear(8, 3)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


class Dropout(nn.Module):
    """The MLP with dropout on its hidden units."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 8)
        self.drop = nn.Dropout(0.5)
        self.out = nn.Linear(8, 3)

    def forward(self, x):
        return self.out(self.drop(torch.tanh(self.hidden(x))))


class Regression(nn.Module):
    """A linear model with one output per sample, for mse."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(4, 1)

    def forward(self, x):
        return self.linear(x)


class OwnLoss(Mlp):
    """The MLP with a loss of its own: cross-entropy with label smoothing."""

    @torch.jit.export
    def loss(self, x, y):
        return nn.functional.cross_entropy(self.forward(x), y, label_smoothing=0.1)


class Image(nn.Module):
    """A convolution over 1 x 2 x 2 images (4 features), for input shapes."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 2)
        self.out = nn.Linear(2, 3)

    def forward(self, x):
        return self.out(torch.flatten(torch.relu(self.conv(x)), 1))


class FailsLater(Mlp):
    """The MLP, failing on batches of more than two samples: past sgdsim's check, in a run."""

    def forward(self, x):
        if x.size(0) > 2:
            raise RuntimeError("this module takes two samples at a time")
        return self.out(torch.tanh(self.hidden(x)))


class WithBatchNorm(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.BatchNorm1d(4)
        self.out = nn.Linear(4, 3)

    def forward(self, x):
        return self.out(self.norm(x))


def batch():
    """Six samples of four features, and their classes and values: the tests build the same."""
    x = torch.tensor([[math.sin(4 * i + j) for j in range(4)] for i in range(6)])
    return x, torch.tensor([i % 3 for i in range(6)]), torch.tensor([0.5 * i - 1 for i in range(6)])


def reference(model, loss):
    """Summed loss over the batch and its gradient, flattened in parameter order."""
    x, classes, values = batch()
    model.zero_grad()
    total = loss(model, x, classes, values)
    total.backward()
    grad = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
    return {"loss": total.item(), "gradient": grad.tolist()}


def main(out: Path):
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    modules = {
        "mlp": Mlp(),
        "dropout": Dropout(),
        "mlp64": Mlp().double(),
        "regression": Regression(),
        "own_loss": OwnLoss(),
        "image": Image(),
        "batchnorm": WithBatchNorm(),
        "fails_later": FailsLater(),
    }
    for name, module in modules.items():
        torch.jit.script(module).save(str(out / f"{name}.pt"))
    # A file PyTorch wrote, but not TorchScript: the weights alone, as torch.save writes them.
    torch.save(modules["mlp"].state_dict(), str(out / "state_dict.pt"))
    x, classes, values = batch()
    refs = {
        "inputs": x.tolist(),
        "classes": classes.tolist(),
        "values": values.tolist(),
        "mlp": reference(modules["mlp"], lambda m, x, c, v: nn.functional.cross_entropy(
            m(x), c, reduction="sum")),
        "regression": reference(modules["regression"], lambda m, x, c, v: nn.functional.mse_loss(
            m(x).reshape(-1), v, reduction="sum")),
        "mlp64": reference(modules["mlp64"], lambda m, x, c, v: nn.functional.cross_entropy(
            m(x.double()), c, reduction="sum")),
        "own_loss": reference(modules["own_loss"], lambda m, x, c, v: m.loss(x, c) * len(x)),
        "image": reference(modules["image"], lambda m, x, c, v: nn.functional.cross_entropy(
            m(x.reshape(-1, 1, 2, 2)), c, reduction="sum")),
    }
    (out / "reference.json").write_text(json.dumps(refs))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
