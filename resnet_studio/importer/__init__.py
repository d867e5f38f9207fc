"""Import PyTorch models into the designer: an ``nn.Module`` and an input shape become
a network spec, its weights keyed by our build's names, and a report of what was
mapped, what could not be, and whether the result is exact.

- :mod:`ir`: the graph of operations a frontend produces;
- :mod:`fx_frontend`: that graph from ``torch.fx`` (trace + one run for shapes);
- :mod:`leaves`: what each operation is on its own (a layer, part of a block, a problem);
- :mod:`structure`: the walk that finds chains and residual blocks;
- :mod:`tree`: names, Repeats and the spec;
- :mod:`check`: the renamed weights and the exactness check;
- :mod:`report`: the report; :mod:`api`: :func:`import_module`;
- :mod:`sources`: ``torchvision:NAME`` and ``file.py:Class`` (runs the user's code).

Torch, never Qt.
"""
