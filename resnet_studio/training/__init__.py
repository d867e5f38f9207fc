"""Training: data sets and batches, recipes, the engine, the run store, distributed runs.

Imports torch, never Qt (DESIGN.md §2). Modules import torchvision lazily
where they can, because it takes seconds to load.
"""
