"""Import PyTorch models into the designer: an ``nn.Module`` and an input shape become
a network spec, its weights keyed by our build's names, and a report of what was
mapped, what could not be, and whether the result is exact.

- :mod:`ir`: the graph of operations a frontend produces;
- :mod:`fx_frontend`: that graph from ``torch.fx`` (trace + one run for shapes);
- :mod:`script_frontend`: that graph from a TorchScript module (its graph run once);
- :mod:`leaves`: what each operation is on its own (a layer, part of a block, a problem);
- :mod:`structure`: the walk that finds chains and residual blocks;
- :mod:`tree`: names, Repeats and the spec;
- :mod:`check`: the renamed weights and the exactness check;
- :mod:`report`: the report; :mod:`api`: ``import_module``, ``import_script``,
  ``import_weights`` and ``import_path`` (a model file, whichever it holds);
- :mod:`weights_match`: weights-only ``state_dict`` files matched with the presets;
- :mod:`sources`: ``torchvision:NAME`` and ``file.py:Class`` (runs the user's code),
  and model files read by content (TorchScript archives, ``state_dict`` files).

Torch, never Qt.
"""
