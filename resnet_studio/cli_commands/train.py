"""``resnet-studio train``: train headless with a progress bar, writing a run folder.

Under ``torchrun --nproc_per_node=N -m resnet_studio train ...`` it trains with
DistributedDataParallel (gloo on CPU, NCCL on CUDA); only rank 0 writes the
run folder and draws the progress bar.

With ``--twin`` the network's plain twin trains beside it, as the window's
"Train plain twin too" does: same seed, data order and recipe, two run folders,
both trained at once on threads of this process with the cores shared out
(on 2 CPU cores as fast as one after the other, see the README; a stop or
Ctrl-C leaves both resumable at the same point).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from fnmatch import fnmatch
from pathlib import Path

from resnet_studio.cli_commands.common import (
    CommandError,
    add_shape_options,
    add_width_option,
    apply_shape_options,
    preset_from_args,
    refuse_width,
)
from resnet_studio.full_version import require_full_version

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
    add_width_option(parser)
    add_shape_options(parser)
    parser.add_argument(
        "--weights",
        metavar="FILE",
        help="start from these weights instead of a fresh initialisation (fine-tuning): a "
        "model file of this program (.pt checkpoint or TorchScript) or a state_dict .pt/.pth, "
        'bare or under "state_dict" or "model"; they must fit the network exactly. '
        "Read as tensors only: nothing in the file runs",
    )
    parser.add_argument(
        "--twin",
        action="store_true",
        help="train the network's plain twin (no shortcuts) beside it: same seed, data "
        "order and recipe, a run folder each (from scratch, even with --weights)",
    )
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
    data.add_argument(
        "--val-subset",
        type=int,
        metavar="N",
        help="validate on a seeded sample of N validation images (quicker epochs, for quick looks)",
    )
    data.add_argument(
        "--skip-bad-images",
        action="store_true",
        help="check an image folder's files first and leave out those that cannot be read",
    )
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
        help="run folder: a new or empty one (default: a new folder "
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


def _recipe(args: argparse.Namespace, base: dict | None = None, runs: int = 1):
    """The recipe the options ask for; ``runs`` train at once in this process (--twin)."""
    from resnet_studio.training.recipe import Recipe

    values = dict(base or {})
    for option, field in _RECIPE_OPTIONS.items():
        value = getattr(args, option)
        if value is not None:
            values[field] = value
    if args.epochs is not None:
        values["iterations"] = None  # a resumed run's length was perhaps given in steps
    if args.layer_stats:
        values["layer_stats"] = True
    if values.get("threads") is None:
        # Headless, no window needs a core: use them all, shared among the
        # processes torchrun starts on this machine and the runs of this one
        # (more threads than cores makes every run wait for the others).
        local_processes = max(1, int(os.environ.get("LOCAL_WORLD_SIZE", "1")))
        values["threads"] = max(1, (os.cpu_count() or 1) // (local_processes * runs))
    from resnet_studio.training.recipe import RecipeError

    try:
        return Recipe.from_dict(values)
    except RecipeError as err:
        # Name the option the user typed (--lr), not the recipe's field (lr).
        field, _, message = str(err).partition(": ")
        option = {f: o for o, f in _RECIPE_OPTIONS.items()}.get(field, field)
        raise CommandError(f"--{option.replace('_', '-')}: {message}") from None


def _check_project_argument(path: Path) -> None:
    """Tell a user who gave a run folder or a model file what train takes instead."""
    from resnet_studio.cli_commands.common import is_model_file
    from resnet_studio.training.runs import RUN_FILE

    if path.is_dir():
        if (path / RUN_FILE).is_file():
            raise CommandError(
                f"{path}: a run folder; continue it with --resume {path}, or train its "
                "network afresh from a project file"
            )
        raise CommandError(f"{path}: a folder, not a project file (.json)")
    if path.is_file() and is_model_file(path):
        raise CommandError(
            f"{path}: a model file; train takes a project file (.json) or --preset. To "
            "train this network afresh, open it in the window and save it as a project; "
            "to continue a run, use --resume RUNDIR"
        )


def _check_work_left(record, recipe, path: str) -> None:
    """Refuse to resume a finished run that the options give nothing more to do,
    naming the option that gives it more."""
    from resnet_studio.training.orchestration import NothingLeftError, check_work_left

    try:
        check_work_left(record, recipe)
    except NothingLeftError as err:
        raise CommandError(
            f"{path}: already finished {err.done}; "
            f"pass --{err.unit} M (more than {err.count:,}) to train longer"
        ) from None


def _check_out_folder(path: Path) -> None:
    """Refuse an --out that is not a new or empty folder, before any work: a run writes
    model.pt, checkpoint.pt, log.txt… there and must not replace the user's files.

    RunFolder.create checks again when it claims the folder (another run may be quicker).
    """
    from resnet_studio.training.runs import RUN_FILE

    if os.path.lexists(path / RUN_FILE):
        raise CommandError(f"{path} already holds a run; choose another --out or use --resume")
    if not os.path.lexists(path):
        return
    if not path.is_dir():
        raise CommandError(f"--out {path}: not a folder; give a new or empty folder for the run")
    try:
        # A run.json on its way in is another run claiming the folder: it wins or loses
        # when this one claims it too (RunFolder.create), not here.
        found = sorted(n for n in os.listdir(path) if not fnmatch(n, f".{RUN_FILE}.*.tmp"))
    except OSError as err:
        raise CommandError(f"--out {path}: cannot read ({err.strerror or err})") from None
    if found:
        shown = ", ".join(found[:3]) + (", …" if len(found) > 3 else "")
        raise CommandError(
            f"--out {path}: not empty (holds {shown}); give a new or empty folder for the "
            "run, so that nothing in it is replaced"
        )


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
    require_full_version("Training")
    # The run folders' locks (run_lock) are given back however the command ends: at
    # the end, on a mistake found after taking them, on a failure or on Ctrl-C.
    with contextlib.ExitStack() as held:
        return _run(args, held)


def _run(args: argparse.Namespace, held: contextlib.ExitStack) -> int:
    # torch-free imports only until the options are checked: mistakes are told at once.
    from resnet_studio.training.orchestration import (
        CannotStartError,
        DataChoice,
        TrainRequest,
        prepare_resume,
        prepare_runs,
        read_resumable,
        recorded_data,
        twin_folder,
    )
    from resnet_studio.training.runs import default_runs_root

    if args.epochs is not None and args.iterations is not None:
        raise CommandError("--epochs and --iterations contradict each other; give one of them")
    for option in ("epochs", "iterations", "batch_size", "subset", "val_subset", "threads"):
        value = getattr(args, option)
        if value is not None and value < 1:
            raise CommandError(f"--{option.replace('_', '-')}: must be at least 1, got {value}")
    _check_twin_and_width(args)
    if args.weights and args.resume:
        raise CommandError(
            "--weights: a resumed run continues from its own checkpoint; drop --weights"
        )
    if args.out and not args.resume:
        _check_out_folder(Path(args.out))
        if args.twin:
            _check_out_folder(twin_folder(Path(args.out)))

    if args.resume:
        # As the window resumes: the run's own network, recipe and data, checked when
        # read; the options given override the recipe and the data.
        record = read_resumable(args.resume)
        recipe = _recipe(args, record.recipe.to_dict())
        _check_work_left(record, recipe, args.resume)
        recorded = recorded_data(record)
        data_choice = DataChoice(
            dataset=args.dataset or recorded.dataset,
            root=args.data_root or recorded.root,
            subset=args.subset or recorded.subset,
            val_subset=args.val_subset or recorded.val_subset,
            # The same images as before: a resume skips what the run skipped.
            skip_bad_images=args.skip_bad_images or recorded.skip_bad_images,
        )
        source = args.resume
    else:
        if args.preset:
            network = preset_from_args(args)
        else:
            from resnet_studio.arch.project import load_project

            _check_project_argument(Path(args.file))
            network = load_project(args.file)
        network = apply_shape_options(network, args)
        source = args.file or f"preset {args.preset}"
        if args.twin:
            _check_has_shortcuts(network, source)
        recipe = _recipe(args, runs=2 if args.twin else 1)
        weights = _read_weights(args.weights) if args.weights else None
        request = TrainRequest(
            network=network,
            dataset=args.dataset or DEFAULT_DATASET,
            data_root=args.data_root,
            subset=args.subset,
            val_subset=args.val_subset,
            recipe=recipe,
            name=args.name or network.name,
            with_twin=args.twin,
            fit_to_data=args.preset is not None,
            skip_bad_images=args.skip_bad_images,
            download=args.download,
            initial_weights=weights,
        )

    from resnet_studio.training.recipe import pick_device

    pick_device(recipe.device)  # an unavailable device is a mistake: say so before any work
    rank, world = _distributed_rank()
    # Set the runs up (model, batches, the checkpoint it resumes from) before anything is
    # written: a run that cannot start leaves no folder, and a resumed one as it was.
    # Every process sets them up; only the first writes the folders.
    try:
        if args.resume:
            runs = [
                prepare_resume(
                    record, recipe=recipe, data=data_choice, write=rank == 0, download=args.download
                )
            ]
        else:
            out = Path(args.out) if args.out else None
            runs = prepare_runs(request, default_runs_root(), out=out, write=rank == 0)
    except CannotStartError as err:
        raise CommandError(f"{source}: {err}") from None
    handles = [prepared.handle for prepared in runs]
    for handle in handles:
        if handle.folder is not None and handle.folder.lock is not None:
            held.enter_context(handle.folder.lock)
    if rank == 0:
        data = handles[0].data
        if data.skipped:
            from resnet_studio.training.datasets import skipped_note

            print(f"note: {skipped_note(data.skipped)}")
        if runs[0].note:
            print(f"note: {runs[0].note}")
        start = handles[0].initial_weights
        if start is not None:
            twin = " (its plain twin from scratch)" if len(handles) > 1 else ""
            print(f"note: {runs[0].name} starts from the weights of {start.source}{twin}")
            fit = handles[0].weights_fit
            if fit is not None and fit.first_conv:
                print(
                    f"note: the weights are for {fit.weights_channels}-channel images: "
                    f"{fit.first_conv}'s filters are {_spread(fit)} for {fit.channels} channel"
                    f"{'s' if fit.channels > 1 else ''}"
                )
            if fit is not None and fit.new_classifier:
                print(
                    f"note: the weights are for {fit.weights_classes:,} classes: "
                    f"{fit.new_classifier} starts fresh for {fit.classes:,}, the other layers "
                    "from the weights"
                )
        print(_first_line(handles, data))

    twin = len(handles) > 1
    names = [prepared.name for prepared in runs]
    bars = [
        _ProgressBar(name if twin else None, position=i if twin else None)
        for i, name in enumerate(names)
        if rank == 0
    ]
    previous = _stop_cleanly_on_signals(handles)
    ended = False
    try:
        results = _train_all(handles, bars)
        ended = True
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for bar in bars:
            bar.close()
        if world > 1:
            import torch.distributed as dist

            if ended:
                # Leave together: a rank that exits while rank 0 still writes the
                # model can abort in gloo's teardown ("terminate called ...").
                dist.barrier()
            dist.destroy_process_group()
    if rank == 0:
        for result, handle, name in zip(results, handles, names, strict=True):
            _report(result, handle, f"{name}: " if twin else "")
    statuses = {result.status for result in results}
    if statuses == {"finished"}:
        return 0
    return 130 if "stopped" in statuses else 1


def _spread(fit) -> str:
    """How the first convolution's filters were adapted to the run's input channels."""
    return "summed over the colours" if fit.channels == 1 else "spread evenly over the colours"


def _read_weights(path: str):
    """``--weights FILE`` read (tensors only), as the run records it; a file that cannot
    be used is a mistake told in one line."""
    from resnet_studio.model.files import ModelFileError
    from resnet_studio.model.weights import read_weights
    from resnet_studio.training.orchestration import InitialWeights

    try:
        state = read_weights(path)
    except ModelFileError as err:
        raise CommandError(f"--weights: {err}") from None
    return InitialWeights(state, os.path.abspath(path))


def _check_twin_and_width(args: argparse.Namespace) -> None:
    """--twin and --width where they cannot apply, told before any work."""
    if args.resume:
        if args.twin:
            raise CommandError(
                "--twin: cannot be combined with --resume; a twin trained with --twin is a "
                "run of its own: resume each with --resume"
            )
        if args.width is not None:
            raise CommandError("--width: a resumed run keeps its network; drop --width")
    elif not args.preset:
        refuse_width(args)
    if args.twin and int(os.environ.get("WORLD_SIZE", "1")) > 1:
        raise CommandError("--twin: not under torchrun; train the plain twin as a run of its own")


def _check_has_shortcuts(network, source: str) -> None:
    """A network without shortcuts is its own plain twin: --twin would train it twice."""
    from resnet_studio.arch.twin import plain_twin

    if plain_twin(network).body == network.body:
        raise CommandError(
            f"--twin: {source} has no residual blocks (no shortcuts), so its plain twin "
            "is itself; train a network with shortcuts, or drop --twin"
        )


def _first_line(handles, data) -> str:
    """``training NET on DATA (counts) -> FOLDER``; both runs' with --twin."""
    test = f" / {len(data.test):,} test" if data.test is not None else ""
    val = f"{len(data.val):,} val"
    if data.val_sampled_from is not None:
        val += f" (--val-subset: a sample of {data.val_sampled_from:,})"
    counts = f"{len(data.train):,} train / {val}{test} images"
    names = " and its plain twin ".join(h.network.name for h in handles)
    folders = " and ".join(str(h.folder.path) if h.folder else "(no folder)" for h in handles)
    return f"training {names} on {data.name} ({counts}) -> {folders}"


def _train_all(handles, bars) -> list:
    """Train every run (side by side on threads when there are several); their results."""
    hooks = [([bar], bar.on_batch) for bar in bars] or [([], None)] * len(handles)
    if len(handles) == 1:
        return [handles[0].run(*hooks[0])]
    results: list = [None] * len(handles)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = handles[i].run(*hooks[i])
        except BaseException as err:  # noqa: BLE001 - told on the main thread
            errors.append(err)

    threads = [
        threading.Thread(target=work, args=(i,), name=f"train-{h.network.name}", daemon=True)
        for i, h in enumerate(handles)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.2)  # in slices: Ctrl-C reaches its handler between them
    if errors:
        raise errors[0]
    return results


def _stop_cleanly_on_signals(handles) -> dict:
    """First Ctrl-C: stop within a batch and save a checkpoint; a second one aborts.
    SIGTERM (``kill``, and how an experiment stops its runs) stops the same way, and
    never aborts: SIGINT may be ignored by a process started in the background, and
    that is not a reason to lose a run. The handlers replaced, to put back."""

    def stop(message: str) -> None:
        print(f"\nstopping after this batch{message}...", file=sys.stderr)
        for handle in handles:
            handle.cancel()

    def on_interrupt(signum, frame):
        if all(handle.token.cancelled for handle in handles):
            raise KeyboardInterrupt
        stop(" (Ctrl-C again to abort)")

    def on_terminate(signum, frame):
        if not all(handle.token.cancelled for handle in handles):
            stop("")

    previous = {signal.SIGINT: signal.signal(signal.SIGINT, on_interrupt)}
    if hasattr(signal, "SIGTERM"):
        previous[signal.SIGTERM] = signal.signal(signal.SIGTERM, on_terminate)
    return previous


def _report(result, handle, prefix: str = "") -> None:
    """The run's last line; ``prefix`` names the run when two trained (--twin)."""
    event = result.last_event
    folder = handle.folder.path if handle.folder else None
    if result.status == "finished":
        test = (
            f", test error {event.test_error:.2%} ({event.test_images:,} images)"
            if event.test_error is not None
            else ""
        )
        print(
            f"{prefix}finished: final val error {event.final_val_error:.2%}, best "
            f"{event.best_val_error:.2%}{test}, {event.seconds:.0f} s; model: {folder}/model.pt"
        )
    elif result.status == "stopped":
        print(
            f"{prefix}stopped at epoch {event.epoch:.2f}; resume with: "
            f"resnet-studio train --resume {folder}",
            file=sys.stderr,
        )
    else:
        print(
            f"resnet-studio: {prefix}{result.status}: {event.reason}"
            + (f" (details in {folder}/log.txt)" if folder else ""),
            file=sys.stderr,
        )


# What the second bar of a validation or test pass says.
PASS_LABELS = {"val": "validating", "test": "testing"}


class _ProgressBar:
    """A tqdm bar over all iterations, moved on every step: epoch, loss, error, images/s
    (tqdm adds the ETA); each validation or test pass gets a bar of its own, counting
    its batches, that goes away when the pass ends.

    ``label`` names the run when two train at once (--twin); ``position`` is its line.
    """

    def __init__(
        self,
        label: str | None = None,
        position: int | None = None,
        file=None,
        mininterval: float = 0.1,
    ) -> None:
        self.label = label
        self.position = position
        self.file = file  # None: stderr
        self.mininterval = mininterval  # tqdm redraws at most this often (seconds)
        self.bar = None
        self.pass_bar = None  # the validation or test pass under way

    def _tqdm(self, **kwargs):
        from tqdm import tqdm

        # miniters=1: look at the clock on every update, so the bar never lags by
        # more than a step (tqdm would otherwise learn to skip updates).
        return tqdm(
            file=self.file,
            mininterval=self.mininterval,
            miniters=1,
            dynamic_ncols=True,
            **kwargs,
        )

    def __call__(self, event) -> None:
        from resnet_studio.training.events import EpochEnd, RunStarted, StepMetrics

        if isinstance(event, RunStarted):
            self.bar = self._tqdm(
                total=event.iterations,
                initial=event.start_iteration,
                unit="it",
                desc=self.label or "training",
                position=self.position,
            )
            self.epochs = event.epochs
        elif isinstance(event, StepMetrics) and self.bar is not None:
            self._postfix(event.epoch, event.loss, event.error, event.images_per_s)
            self.bar.update(event.iteration - self.bar.n)
        elif isinstance(event, EpochEnd) and self.bar is not None:
            self._close_pass()
            # Also here: an epoch shorter than Recipe.log_every has no StepMetrics.
            self._postfix(event.epoch, event.train_loss, event.train_error, event.images_per_s)
            self.bar.update(event.iteration - self.bar.n)
            self.bar.write(
                f"{self.label + ': ' if self.label else ''}"
                f"epoch {event.epoch}/{self.epochs}: train loss {event.train_loss:.3f} "
                f"err {event.train_error:.2%} | val loss {event.val_loss:.3f} "
                f"err {event.val_error:.2%} | {event.seconds:.1f} s, "
                f"{event.images_per_s:,.0f} img/s",
                file=self.file,
            )

    def on_batch(self, phase: str, done: int, total: int) -> None:
        """After every batch (the engine's ``on_batch``): move the bar of ``phase``."""
        if phase == "train":
            if self.bar is not None:
                self.bar.update(done - self.bar.n)
            return
        if self.pass_bar is None:
            label = PASS_LABELS.get(phase, phase)
            self.pass_bar = self._tqdm(
                total=total,
                unit="batch",
                desc=f"{self.label}: {label}" if self.label else label,
                leave=False,
            )
        self.pass_bar.update(done - self.pass_bar.n)
        if done >= total:
            self._close_pass()

    def _close_pass(self) -> None:
        if self.pass_bar is not None:
            self.pass_bar.close()
            self.pass_bar = None

    def _postfix(self, epoch: float, loss: float, error: float, images_per_s: float) -> None:
        self.bar.set_postfix_str(
            f"epoch {epoch:.2f}/{self.epochs} loss {loss:.3f} "
            f"err {error:.1%} {images_per_s:,.0f} img/s",
            refresh=False,  # the update that follows redraws
        )

    def close(self) -> None:
        self._close_pass()
        if self.bar is not None:
            self.bar.close()
