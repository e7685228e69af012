"""LeNet-5 (LeCun et al. 1998) for 28 x 28 greyscale images, as the shipped PyTorch example.

Export it as sgdsim loads it (this writes lenet.pt beside this file; the committed copy is this
export):

    /usr/bin/python3 scenarios/pytorch/lenet.py

`--check` instead verifies that lenet.pt is this file's export: same code, same parameters.
Your own model goes the same way: script it, save it, and name the file in a scenario's
`model.file` (docs/pytorch.md)."""

import sys
from pathlib import Path

import torch
from torch import nn


class LeNet(nn.Module):
    """Two convolutions with max pooling, then three fully connected layers: 61,706 parameters."""

    def __init__(self, classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        x = (x - 0.2860) / 0.3530  # Fashion-MNIST's pixel mean and standard deviation.
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return self.fc3(x)


def exported() -> torch.jit.ScriptModule:
    torch.manual_seed(0)  # PyTorch's default initialisation, from a fixed seed.
    return torch.jit.script(LeNet())


def main() -> int:
    target = Path(__file__).with_suffix(".pt")
    model = exported()
    if "--check" not in sys.argv:
        model.save(str(target))
        print(f"wrote {target}")
        return 0
    saved = torch.jit.load(str(target))
    same_code = saved.code == model.code
    same_parameters = all(
        torch.equal(a, b) for a, b in zip(saved.state_dict().values(), model.state_dict().values()))
    if same_code and same_parameters:
        return 0
    print(f"{target} is not the export of {__file__}: run it to export again", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
