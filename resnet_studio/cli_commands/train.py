"""``resnet-studio train``: train headless with a progress bar, writing a run folder.

Under ``torchrun --nproc_per_node=N -m resnet_studio train ...`` it trains with
DistributedDataParallel (gloo on CPU, NCCL on CUDA); only rank 0 writes the
run folder and draws the progress bar.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from resnet_studio.cli_commands.common import CommandError, add_shape_options, apply_shape_options

DEFAULT_DATASET = "synthetic"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train a network headless and write a run folder",
        description="Train a project's network or a preset on a data set. A preset adapts its "
        "input and classifier to the data; a project's network must already fit it.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", metavar="PROJECT", help="a project file (.json)")
    source.add_argument("--preset", metavar="NAME", help="a built-in network (see 'presets')")
    source.add_argument("--resume", metavar="RUNDIR", help="continue a stopped run")
    add_shape_options(parser)
    data = parser.add_argument_group("data")
    data.add_argument(
        "--dataset",
        default=None,
        metavar="NAME",
        help="synthetic (default, built in), mnist, fashion-mnist, cifar10, cifar100, svhn, "
        "or folder:PATH for your own images in class subfolders",
    )
    data.add_argument(
        "--data-root",
        metavar="DIR",
        help="where data sets live (default: $RESNET_STUDIO_DATA or your user data folder)",
    )
    data.add_argument("--download", action="store_true", help="download the data set if missing")
    data.add_argument("--subset", type=int, metavar="N", help="train on the first N images only")
    recipe = parser.add_argument_group("recipe (defaults: the paper's CIFAR recipe)")
    recipe.add_argument("--epochs", type=int, metavar="N")
    recipe.add_argument("--iterations", type=int, metavar="N", help="steps instead of epochs")
    recipe.add_argument("--batch-size", type=int, metavar="N")
    recipe.add_argument("--lr", type=float, metavar="X")
    recipe.add_argument("--optimizer", choices=("sgd", "adam", "adamw"))
    recipe.add_argument("--schedule", choices=("step", "cosine", "constant"))
    recipe.add_argument("--weight-decay", type=float, metavar="X")
    recipe.add_argument("--warmup", type=int, metavar="N", help="iterations at lr 0.01 first")
    recipe.add_argument("--label-smoothing", type=float, metavar="X")
    recipe.add_argument("--seed", type=int, metavar="S")
    recipe.add_argument("--device", metavar="D", help="auto (default), cpu, cuda, cuda:N, mps")
    recipe.add_argument("--threads", type=int, metavar="N", help="CPU threads")
    recipe.add_argument(
        "--layer-stats",
        action="store_true",
        help="record per-layer gradient norms and response std each epoch",
    )
    parser.add_argument(
        "--out",
        metavar="RUNDIR",
        help="run folder (default: a new folder "
        "under $RESNET_STUDIO_RUNS or your user data folder)",
    )
    parser.add_argument("--name", help="run name (default: the network's name)")
    parser.set_defaults(func=run)


_RECIPE_OPTIONS = {
    "epochs": "epochs",
    "iterations": "iterations",
    "batch_size": "batch_size",
    "lr": "lr",
    "optimizer": "optimizer",
    "schedule": "schedule",
    "weight_decay": "weight_decay",
    "warmup": "warmup_iterations",
    "label_smoothing": "label_smoothing",
    "seed": "seed",
    "device": "device",
    "threads": "threads",
}


def _recipe(args: argparse.Namespace, base: dict | None = None):
    from resnet_studio.training.recipe import Recipe

    values = dict(base or {})
    for option, field in _RECIPE_OPTIONS.items():
        value = getattr(args, option)
        if value is not None:
            values[field] = value
    if args.layer_stats:
        values["layer_stats"] = True
    if values.get("threads") is None:
        # Headless, no window needs a core: use them all.
        values["threads"] = os.cpu_count() or 1
    return Recipe.from_dict(values)


def _distributed_rank() -> tuple[int, int]:
    """Set up torch.distributed when started by torchrun; (rank, world size)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return 0, 1
    import torch
    import torch.distributed as dist

    local = int(os.environ.get("LOCAL_RANK", "0"))
    if torch.cuda.is_available():
        torch.cuda.set_device(local)
        backend = "nccl"
    else:
        backend = "gloo"
    dist.init_process_group(backend)
    return dist.get_rank(), world


def run(args: argparse.Namespace) -> int:
    from resnet_studio.training.datasets import load_dataset
    from resnet_studio.training.launch import RunHandle, fit_network_to_data, new_run
    from resnet_studio.training.runs import RunFolder, default_runs_root, new_run_dir, read_run

    for option in ("epochs", "iterations", "batch_size", "subset", "threads"):
        value = getattr(args, option)
        if value is not None and value < 1:
            raise CommandError(f"--{option.replace('_', '-')}: must be at least 1, got {value}")

    if args.resume:
        record = read_run(args.resume)
        network = record.network
        recipe = _recipe(args, record.recipe.to_dict())
        dataset = args.dataset or record.info["dataset"]["name"]
        subset = args.subset or record.info["dataset"].get("subset")
        data_root = args.data_root or record.info["dataset"].get("root")
        adaptable = False
    else:
        if args.preset:
            from resnet_studio.arch.presets import preset_network

            network = preset_network(args.preset)
        else:
            from resnet_studio.arch.project import load_project

            network = load_project(args.file)
        network = apply_shape_options(network, args)
        recipe = _recipe(args)
        dataset = args.dataset or DEFAULT_DATASET
        subset = args.subset
        data_root = args.data_root
        adaptable = args.preset is not None

    rank, world = _distributed_rank()
    data = load_dataset(dataset, data_root, download=args.download, subset=subset, seed=recipe.seed)
    network, note = fit_network_to_data(network, data, adaptable)

    if args.resume:
        folder = RunFolder(args.resume) if rank == 0 else None
        handle = RunHandle(network, data, recipe, folder, resume=True)
        if folder:
            folder.update_info(recipe=recipe.to_dict())
    else:
        name = args.name or network.name
        path = Path(args.out) if args.out else new_run_dir(default_runs_root(), name)
        handle = new_run(
            network, data, recipe, path if rank == 0 else None, name=name, subset=subset
        )
    if handle.folder and note:
        handle.folder.log(note)
    if rank == 0:
        if note:
            print(f"note: {note}")
        where = handle.folder.path if handle.folder else "(no folder)"
        print(
            f"training {network.name} on {data.name} "
            f"({len(data.train):,} train / {len(data.val):,} val images) -> {where}"
        )

    listeners = [_ProgressBar()] if rank == 0 else []
    try:
        result = handle.run(listeners)
    finally:
        for bar in listeners:
            bar.close()
        if world > 1:
            import torch.distributed as dist

            dist.destroy_process_group()
    if rank == 0:
        _report(result, handle)
    return {"finished": 0, "cancelled": 130}.get(result.status, 1)


def _report(result, handle) -> None:
    import sys

    event = result.last_event
    folder = handle.folder.path if handle.folder else None
    if result.status == "finished":
        print(
            f"finished: final val error {event.final_val_error:.2%}, best "
            f"{event.best_val_error:.2%}, {event.seconds:.0f} s; model: {folder}/model.pt"
        )
    elif result.status == "cancelled":
        print(
            f"stopped at epoch {event.epoch:.2f}; resume with: "
            f"resnet-studio train --resume {folder}",
            file=sys.stderr,
        )
    else:
        print(
            f"resnet-studio: {result.status}: {event.reason}"
            + (f" (details in {folder}/log.txt)" if folder else ""),
            file=sys.stderr,
        )


class _ProgressBar:
    """A tqdm bar over all iterations: epoch, loss, error, images/s; tqdm adds the ETA."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, event) -> None:
        from tqdm import tqdm

        from resnet_studio.training.events import EpochEnd, RunStarted, StepMetrics

        if isinstance(event, RunStarted):
            self.bar = tqdm(
                total=event.iterations, initial=event.start_iteration, unit="it", dynamic_ncols=True
            )
            self.epochs = event.epochs
        elif isinstance(event, StepMetrics) and self.bar is not None:
            self.bar.update(event.iteration - self.bar.n)
            self.bar.set_postfix_str(
                f"epoch {event.epoch:.2f}/{self.epochs} loss {event.loss:.3f} "
                f"err {event.error:.1%} {event.images_per_s:,.0f} img/s",
                refresh=False,
            )
        elif isinstance(event, EpochEnd) and self.bar is not None:
            self.bar.update(event.iteration - self.bar.n)
            self.bar.write(
                f"epoch {event.epoch}/{self.epochs}: train loss {event.train_loss:.3f} "
                f"err {event.train_error:.2%} | val loss {event.val_loss:.3f} "
                f"err {event.val_error:.2%} | {event.seconds:.1f} s, "
                f"{event.images_per_s:,.0f} img/s"
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
