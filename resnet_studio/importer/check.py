"""Our build of an imported network, its weights, and the check that it computes what
the source computes."""

from __future__ import annotations

import torch
from torch import nn

from resnet_studio.arch.spec import Network
from resnet_studio.importer.report import Exactness
from resnet_studio.model.build import BuildError, build_empty

# Outputs may differ by float rounding only: the same layers run in the same order.
RELATIVE_TOLERANCE = 1e-5


def renamed_state_dict(
    module: nn.Module, paths: dict[str, str]
) -> tuple[dict[str, torch.Tensor], list[str]]:
    """The source's weights keyed by our paths (``paths``: source module → ours), and
    the source keys left out. The tensors are the source's own, not copies."""
    state: dict[str, torch.Tensor] = {}
    covered: set[str] = set()
    for source, ours in paths.items():
        for key, value in module.get_submodule(source).state_dict().items():
            state[f"{ours}.{key}"] = value
            covered.add(f"{source}.{key}")
    left_out = [key for key in module.state_dict() if key not in covered]
    return state, left_out


def check(
    network: Network,
    state: dict[str, torch.Tensor],
    source: nn.Module,
    example: torch.Tensor,
    reference: torch.Tensor | None,
) -> tuple[Exactness, nn.Module | None]:
    """Compare our build with the source: parameters, strict load, outputs on ``example``
    (``reference`` is what the source gave for it, in eval mode)."""
    source_params = sum(p.numel() for p in source.parameters())
    scale = 1.0 if reference is None else max(1.0, float(reference.abs().max()))
    result = {
        "source_params": source_params,
        "params": None,
        "load_error": None,
        "max_difference": None,
        "tolerance": RELATIVE_TOLERANCE * scale,
        "inputs": int(example.shape[0]),
    }
    try:
        model = build_empty(network)
    except BuildError as err:
        return Exactness(**{**result, "load_error": str(err)}), None
    result["params"] = sum(p.numel() for p in model.parameters())
    try:
        model.load_state_dict(state, strict=True, assign=True)
    except RuntimeError as err:
        lines = [line.strip() for line in str(err).splitlines() if line.strip()]
        return Exactness(**{**result, "load_error": " ".join(lines[1:3]) or lines[0]}), None
    model.eval()
    if reference is not None:
        with torch.no_grad():
            ours = model(example)
        if ours.shape == reference.shape:
            result["max_difference"] = float((ours - reference).abs().max())
    return Exactness(**result), model
