"""A procedurally generated image data set: shapes and textures, no download.

Each image is 3×32×32 and shows one of ten patterns (a shape or a textured
patch) at a random position, size, rotation and colour on a noisy background
with a colour gradient. Colours carry no class information, so a linear
classifier on raw pixels does poorly, while a small CNN learns it quickly.
Generation is vectorised over the whole batch and deterministic given the
``torch.Generator``.
"""

from __future__ import annotations

import math

import torch

SYNTHETIC_CLASSES: tuple[str, ...] = (
    "disc",
    "square",
    "triangle",
    "cross",
    "ring",
    "h-stripes",
    "v-stripes",
    "d-stripes",
    "checkerboard",
    "dots",
)
IMAGE_SIZE = 32

# Class indices, named so the mask code below reads like the list above.
_DISC, _SQUARE, _TRIANGLE, _CROSS, _RING, _HSTRIPES, _VSTRIPES, _DSTRIPES, _CHECKER, _DOTS = range(
    10
)
_TEXTURES = (_HSTRIPES, _VSTRIPES, _DSTRIPES, _CHECKER, _DOTS)


def generate_shapes(
    count: int, generator: torch.Generator, size: int = IMAGE_SIZE
) -> tuple[torch.Tensor, torch.Tensor]:
    """Return ``count`` images (uint8, N×3×size×size) and balanced labels (int64, N)."""
    g = generator
    n = count
    # Balanced classes in random order: every class appears count/10 times (±1).
    labels = torch.randperm(n, generator=g) % len(SYNTHETIC_CLASSES)

    def uniform(low: float, high: float, *shape: int) -> torch.Tensor:
        return low + (high - low) * torch.rand(shape or (n,), generator=g)

    is_texture = torch.isin(labels, torch.tensor(_TEXTURES))
    # Half-size of the shape or patch, in pixels; textures get larger patches so
    # that several periods of the pattern are visible.
    scale = size / 32
    radius = torch.where(is_texture, uniform(8, 13), uniform(6, 12)) * scale
    cx = uniform(0, 1) * (size - 2 * radius) + radius
    cy = uniform(0, 1) * (size - 2 * radius) + radius
    # Shapes turn freely; textures only jitter, since their orientation is the class.
    angle = torch.where(is_texture, uniform(-0.25, 0.25), uniform(0, 2 * math.pi))
    angle = angle + (labels == _DSTRIPES) * torch.where(uniform(0, 1) < 0.5, 0.785, -0.785)
    period = uniform(3.0, 6.0) * scale
    phase = uniform(0, 1, n, 2)

    coords = torch.arange(size, dtype=torch.float32) + 0.5
    mask = torch.zeros(n, size, size, dtype=torch.bool)
    # One class at a time, on only that class's images: each pixel is tested
    # against one mask rather than ten, which keeps 12,000 images fast on a CPU.
    for cls in range(len(SYNTHETIC_CLASSES)):
        idx = (labels == cls).nonzero().squeeze(1)
        k = len(idx)
        if k == 0:
            continue
        dx = coords.view(1, 1, size) - cx[idx].view(k, 1, 1)
        dy = coords.view(1, size, 1) - cy[idx].view(k, 1, 1)
        cos, sin = angle[idx].cos().view(k, 1, 1), angle[idx].sin().view(k, 1, 1)
        u = dx * cos + dy * sin  # coordinates along the shape's own axes
        v = dy * cos - dx * sin
        mask[idx] = _class_mask(cls, u, v, radius[idx].view(k, 1, 1), period[idx], phase[idx])

    # Foreground differs from the background by 0.3..0.7 in every channel
    # (cyclically), so the pattern is always visible but its colour is random.
    background = uniform(0, 1, n, 3)
    foreground = torch.frac(background + uniform(0.3, 0.7, n, 3))
    # A gentle linear colour gradient, so the background is not one flat value.
    gradient = uniform(-0.2, 0.2, n, 3, 2) / size
    centred = coords - size / 2
    bg = (
        background.view(n, 3, 1, 1)
        + gradient[..., 0].view(n, 3, 1, 1) * centred.view(1, 1, 1, size)
        + gradient[..., 1].view(n, 3, 1, 1) * centred.view(1, 1, size, 1)
    )
    image = torch.where(mask.view(n, 1, size, size), foreground.view(n, 3, 1, 1), bg)
    # Grey (luminance) noise: a third of the cost of per-channel noise.
    noise = torch.rand(n, 1, size, size, generator=g).sub_(0.5).mul_(0.25)
    image.add_(noise).clamp_(0, 1).mul_(255).add_(0.5)  # +0.5: truncation below rounds
    return image.to(torch.uint8), labels.to(torch.int64)


def _class_mask(
    cls: int,
    u: torch.Tensor,
    v: torch.Tensor,
    r: torch.Tensor,
    period: torch.Tensor,
    phase: torch.Tensor,
) -> torch.Tensor:
    """Foreground mask (k×S×S bool) of class ``cls`` in shape-centred coordinates."""
    k = len(u)
    if cls in (_DISC, _RING):
        d2 = u.square() + v.square()
        disc = d2 <= r.square()
        return disc if cls == _DISC else disc & (d2 >= (r * 0.55).square())
    au, av = u.abs(), v.abs()
    if cls == _SQUARE:
        return (au <= r * 0.75) & (av <= r * 0.75)
    if cls == _TRIANGLE:
        return (av <= r * 0.9) & (au <= (v + r * 0.9) * 0.55)
    if cls == _CROSS:
        return ((au <= r * 0.3) | (av <= r * 0.3)) & (au <= r) & (av <= r)
    # Textures: a square patch filled with a periodic pattern of random period/phase.
    p = period.view(k, 1, 1)
    pu = torch.frac(u / p + phase[:, 0].view(k, 1, 1) + 100.0)  # +100 keeps frac() >= 0
    pv = torch.frac(v / p + phase[:, 1].view(k, 1, 1) + 100.0)
    patch = (au <= r * 0.85) & (av <= r * 0.85)
    if cls in (_HSTRIPES, _DSTRIPES):  # d-stripes are h-stripes turned by 45° above
        return patch & (pv < 0.5)
    if cls == _VSTRIPES:
        return patch & (pu < 0.5)
    if cls == _CHECKER:
        return patch & ((pu < 0.5) ^ (pv < 0.5))
    return patch & ((pu - 0.5).square() + (pv - 0.5).square() <= 0.09)  # dots
