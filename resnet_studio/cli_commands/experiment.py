"""``resnet-studio experiment``: the paper's studies (or your own grid) as one action.

``run`` makes an experiment folder and trains its cells K at a time; ``resume``
continues one that was stopped or killed (finished cells kept, interrupted ones
resumed from their checkpoints); ``show`` prints the table by depth, mean ± std
over seeds, and the verdict; ``list`` names the built-in studies.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from resnet_studio.cli_commands.common import CommandError, format_table
from resnet_studio.full_version import require_full_version


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "experiment",
        help="run the paper's studies (depth × plain/residual × seeds) as one action",
        description="An experiment is a grid of runs sharing one recipe and data set, kept "
        "in one folder: experiment.json, networks/ and a run folder per cell in cells/.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    run = actions.add_parser(
        "run",
        help="make an experiment folder and train its cells",
        description="Run a built-in study by name (see 'experiment list') or a spec file.",
    )
    run.add_argument("study", metavar="NAME|SPEC.json")
    run.add_argument(
        "--quick",
        action="store_true",
        help="the study's small size: half-width networks, a short run on CIFAR-10 images, "
        "within an hour on a 2-core CPU",
    )
    run.add_argument("--dataset", metavar="NAME", help="override the study's data set")
    run.add_argument("--data-root", metavar="DIR", help="where data sets live")
    run.add_argument("--download", action="store_true", help="download the data set if missing")
    run.add_argument("--seeds", type=int, metavar="N", help="seeds 0…N-1 instead of the study's")
    run.add_argument("--iterations", type=int, metavar="N", help="override the training length")
    run.add_argument(
        "--budget",
        metavar="TIME",
        help="fit the whole experiment into TIME (45m, 1.5h): measures each network's speed "
        "here and sets the iterations (the learning-rate milestones scale with them)",
    )
    run.add_argument("--out", metavar="DIR", help="the experiment folder (must not exist)")
    _add_running_options(run)
    run.set_defaults(func=_run)

    resume = actions.add_parser(
        "resume",
        help="continue a stopped or killed experiment",
        description="Finished and diverged cells are kept; stopped, interrupted and failed "
        "cells continue from their checkpoints; queued cells start.",
    )
    resume.add_argument("folder", metavar="DIR")
    _add_running_options(resume)
    resume.set_defaults(func=_resume)

    show = actions.add_parser("show", help="the table by depth and the verdict")
    show.add_argument("folder", metavar="DIR")
    show.add_argument(
        "-o",
        "--output",
        metavar="FIG.png",
        help="draw Fig. 6 (plain | ResNet, mean ± std over seeds) as FIG, error against "
        "depth as FIG-depth and Fig. 7 (response std per 3×3 layer, network order and "
        "sorted, a row per depth) as FIG-responses, in PNG, SVG or PDF by the file's ending",
    )
    show.add_argument(
        "--smooth",
        type=float,
        default=0.0,
        metavar="W",
        help="smooth the training curves (exponential moving average weight, 0 = off, < 1)",
    )
    show.add_argument("--csv", metavar="FILE", help="also write the table as CSV")
    show.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown")
    show.add_argument(
        "--responses-csv",
        metavar="FILE",
        help="write each finished run's response std per 3×3 layer (Fig. 7) as CSV",
    )
    show.add_argument(
        "--responses-mode",
        choices=("eval", "train"),
        default="eval",
        help="Fig. 7 with the BatchNorm layers' running statistics (eval, default) or each "
        "batch's own (train)",
    )
    show.set_defaults(func=_show)

    listing = actions.add_parser("list", help="the built-in studies")
    listing.set_defaults(func=_list)


def _add_running_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", metavar="D", help="auto (default), cpu, cuda, cuda:N, mps")
    parser.add_argument(
        "--parallel",
        type=int,
        metavar="K",
        help="cells trained at once (default: as many as the cores or the GPU's memory allow)",
    )


def _list(args: argparse.Namespace) -> int:
    from resnet_studio.training.experiment import BUILT_INS

    rows = []
    for entry in BUILT_INS.values():
        quick, full = entry.quick(), entry.full()
        rows.append(
            [entry.name, str(len(quick.cells())), str(len(full.cells())), entry.description]
        )
    print("\n".join(format_table(["name", "quick runs", "full runs", "what"], rows, {1, 2})))
    return 0


def _spec(args: argparse.Namespace):
    from resnet_studio.training.experiment import built_in, load_spec_file

    if args.study.endswith(".json") or os.sep in args.study:
        if args.quick:
            raise CommandError("--quick: applies to the built-in studies, not to a spec file")
        spec = load_spec_file(args.study)
    else:
        spec = built_in(args.study, args.quick)
    changes: dict = {}
    if args.seeds is not None:
        if not 1 <= args.seeds <= 100:
            raise CommandError(f"--seeds: must be from 1 to 100, got {args.seeds}")
        changes["seeds"] = tuple(range(args.seeds))
    if args.iterations is not None:
        if args.iterations < 1:
            raise CommandError(f"--iterations: must be 1 or more, got {args.iterations}")
        recipe = {k: v for k, v in spec.recipe.items() if k != "epochs"}
        changes["recipe"] = {**recipe, "iterations": args.iterations}
    if args.dataset:
        changes["dataset"] = args.dataset
        changes["subset"] = None
    if changes:
        import dataclasses

        spec = dataclasses.replace(spec, **changes)
    return spec


def _run(args: argparse.Namespace) -> int:
    require_full_version("Running an experiment")
    from resnet_studio.training.dataset_info import default_data_root
    from resnet_studio.training.experiment import ExperimentError, create_experiment
    from resnet_studio.training.experiment_setup import (
        load_and_fit,
        new_experiment_folder,
        resolve_dataset,
    )
    from resnet_studio.training.runs import default_runs_root

    try:
        spec = _spec(args)
    except ExperimentError as err:
        raise CommandError(str(err)) from None
    _check_running_options(args)
    if args.budget and args.iterations:
        raise CommandError("--budget and --iterations contradict each other; give one of them")
    budget_s = None
    if args.budget:
        from resnet_studio.training.budget import BudgetError, parse_duration

        try:
            budget_s = parse_duration(args.budget)
        except BudgetError as err:
            raise CommandError(str(err)) from None
    root = Path(os.path.abspath(Path(args.data_root or default_data_root()).expanduser()))
    try:
        dataset, subset = resolve_dataset(spec, root, args.download)
    except ExperimentError as err:
        raise CommandError(str(err)) from None
    out = Path(args.out) if args.out else new_experiment_folder(default_runs_root(), spec.name)
    if out.exists():
        raise CommandError(f"--out {out}: already exists; give a new folder for the experiment")

    # Load the data once: a missing data set is told before anything is written, and
    # every network is fitted to it (and written down) the way train fits a preset.
    print(f"loading {dataset}…", file=sys.stderr)
    try:
        networks, data = load_and_fit(spec, dataset, root, subset, args.download)
        if budget_s is not None:
            spec = _fit_budget(spec, networks, data, budget_s, args)
        experiment = create_experiment(
            out,
            spec,
            networks,
            data_root=root,
            dataset=dataset,
            subset=subset,
            device=args.device or "auto",
            parallel=args.parallel,
        )
    except ExperimentError as err:
        raise CommandError(str(err)) from None
    return _train(experiment, args, resumed=False)


def _fit_budget(spec, networks, data, budget_s: float, args: argparse.Namespace):
    """``spec`` with the iterations that fit ``budget_s``, told as it is measured."""
    import dataclasses

    from resnet_studio.training.budget import BudgetError, images_per_second, plan
    from resnet_studio.training.recipe import Recipe

    cells = spec.cells()
    parallel, threads = _parallel(len(cells), args.device or "auto", args.parallel)
    device = _device_label(args.device or "auto")
    batch = spec.recipe.get("batch_size", Recipe().batch_size)
    plural = "s" if threads != 1 else ""
    print(f"measuring speed for --budget {args.budget} ({threads} thread{plural}, {device})…")
    speeds = {}
    for name, network in networks.items():
        speeds[name] = images_per_second(network, batch, threads, device)
        print(f"  {name}: {speeds[name]:,.0f} images/s")
    counts = {name: sum(c.network == name for c in cells) for name in networks}
    try:
        fitted = plan(
            budget_s,
            counts,
            speeds,
            batch=batch,
            parallel=parallel,
            train_images=len(data.train),
            eval_images=len(data.val),
        )
    except BudgetError as err:
        raise CommandError(str(err)) from None
    epochs = fitted.iterations * batch / len(data.train)
    print(
        f"budget {args.budget}: {fitted.iterations:,} iterations per run ({epochs:.1f} epochs), "
        f"about {fitted.seconds / 60:.0f} min for {len(cells)} runs, {parallel} at a time"
    )
    recipe = {k: v for k, v in spec.recipe.items() if k != "epochs"}
    return dataclasses.replace(spec, recipe={**recipe, "iterations": fitted.iterations})


def _parallel(cells: int, device: str, asked: int | None) -> tuple[int, int]:
    """(K, threads per cell): as asked, or chosen from the cores or the GPU's memory."""
    from resnet_studio.training.scheduler import plan_parallel

    return plan_parallel(cells, device, asked)


def _resume(args: argparse.Namespace) -> int:
    require_full_version("Running an experiment")
    from resnet_studio.training.experiment import ExperimentError, read_experiment

    _check_running_options(args)
    try:
        experiment = read_experiment(args.folder)
    except ExperimentError as err:
        raise CommandError(str(err)) from None
    if args.device:
        experiment.device = args.device
    return _train(experiment, args, resumed=True)


def _check_running_options(args: argparse.Namespace) -> None:
    if args.parallel is not None and not 1 <= args.parallel <= 256:
        raise CommandError(f"--parallel: must be from 1 to 256, got {args.parallel}")


def _train(experiment, args: argparse.Namespace, resumed: bool) -> int:
    from resnet_studio.training.scheduler import Scheduler

    cells = experiment.cells
    k, threads = _parallel(len(cells), experiment.device, args.parallel or experiment.parallel)
    scheduler = Scheduler(experiment, k, threads, retry_failed=resumed)
    pending = scheduler.pending()
    done = len(cells) - len(pending)
    total = len(cells)
    verb = "resuming" if resumed else "running"
    print(
        f"{verb} experiment {experiment.spec.name}: {total} runs"
        + (f" ({done} done)" if done else "")
        + f", {k} at a time, {threads} thread{'s' if threads != 1 else ''} each, "
        f"on {_device_label(experiment.device)} -> {experiment.path}"
    )
    ended = [done]

    def on_change(state) -> None:
        if state.status == "running":
            print(f"  start    {state.cell.key}")
            return
        ended[0] += 1
        took = f" in {_seconds(state.ended - state.started)}" if state.started else ""
        reason = f": {state.reason}" if state.reason and state.status != "finished" else ""
        print(f"  {state.status:<8} {state.cell.key}{took}{reason}  [{ended[0]}/{total}]")

    scheduler.on_change = on_change
    previous = _stop_on_hangup()
    try:
        states = scheduler.run()
    except KeyboardInterrupt:
        print(
            f"stopped; continue with: resnet-studio experiment resume {experiment.path}",
            file=sys.stderr,
        )
        return 130
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    print()
    _print_results(experiment)
    left = [s for s in states.values() if s.status not in ("finished", "diverged")]
    if left:
        print(
            f"{len(left)} run{'s' if len(left) != 1 else ''} did not finish; "
            f"continue with: resnet-studio experiment resume {experiment.path}"
        )
        return 1
    return 0


def _stop_on_hangup() -> dict:
    """A closed terminal (SIGHUP) or ``kill`` (SIGTERM) stops the cells as Ctrl-C does,
    so that no run is left training unwatched; the previous handlers."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = {}
    for name in ("SIGHUP", "SIGTERM"):
        signum = getattr(signal, name, None)
        if signum is not None:
            previous[signum] = signal.signal(signum, interrupt)
    return previous


def _device_label(device: str) -> str:
    if device != "auto":
        return device
    from resnet_studio.training.scheduler import cuda_free

    return "cuda" if cuda_free() is not None else "cpu"


def _seconds(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def _show(args: argparse.Namespace) -> int:
    from resnet_studio.training.experiment import ExperimentError, read_experiment

    figures = _figure_paths(args.output) if args.output else []
    if not 0 <= args.smooth < 1:
        raise CommandError(f"--smooth: must be from 0 to less than 1, got {args.smooth}")
    try:
        experiment = read_experiment(args.folder)
    except ExperimentError as err:
        raise CommandError(str(err)) from None
    results, responses = _print_results(experiment, args.responses_mode)
    if figures:
        from resnet_studio.figures.experiment import (
            depth_figure,
            experiment_curves,
            experiment_response_figure,
        )
        from resnet_studio.figures.render import save_figure

        save_figure(experiment_curves(results, smoothing=args.smooth), figures[0])
        save_figure(depth_figure(results), figures[1])
        if responses.networks:
            save_figure(experiment_response_figure(responses, args.responses_mode), figures[2])
        else:
            print(f"note: no finished run recorded its response std; {figures[2]} not drawn")
            figures.pop()
        for path in figures:
            print(f"wrote {path}")
    from resnet_studio.training.experiment_results import HEADER, markdown, table_rows
    from resnet_studio.writing import write_atomically

    rows = table_rows(results)
    if args.csv:
        _write_csv(args.csv, HEADER, rows)
        print(f"wrote {args.csv}")
    if args.markdown:
        write_atomically(args.markdown, markdown(rows).encode())
        print(f"wrote {args.markdown}")
    if args.responses_csv:
        from resnet_studio.training.experiment_responses import CSV_HEADER, response_rows

        _write_csv(args.responses_csv, CSV_HEADER, response_rows(responses, args.responses_mode))
        print(f"wrote {args.responses_csv}")
    return 0


def _write_csv(path: str, header, rows) -> None:
    import csv
    import io

    from resnet_studio.writing import write_atomically

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    write_atomically(path, text.getvalue().encode())


def _figure_paths(output: str) -> list[Path]:
    """FIG, FIG-depth and FIG-responses (same ending), checked before any work."""
    from resnet_studio.figures.render import plot_format

    path = Path(output)
    try:
        plot_format(path)
    except ValueError as err:
        raise CommandError(f"-o {err}") from None
    named = (path.with_name(f"{path.stem}-{n}{path.suffix}") for n in ("depth", "responses"))
    return [path, *named]


def _seeds(seeds: tuple[int, ...]) -> str:
    """``seed 0``, ``seeds 0, 3`` or, for a run of them, ``seeds 0–99``."""
    if len(seeds) == 1:
        return f"seed {seeds[0]}"
    if len(seeds) > 2 and list(seeds) == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"seeds {seeds[0]}–{seeds[-1]}"
    return "seeds " + ", ".join(map(str, seeds))


def _print_results(experiment, response_mode: str = "eval"):
    """Print the table and the verdict; (the results, their Fig. 7 responses)."""
    from resnet_studio.training.experiment_responses import (
        read_experiment_responses,
        response_verdict,
    )
    from resnet_studio.training.experiment_results import (
        HEADER,
        read_results,
        status_counts,
        table_rows,
        verdict,
    )

    results = read_results(experiment)
    spec = experiment.spec
    data = experiment.dataset + (f", {experiment.subset:,} images" if experiment.subset else "")
    recipe = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in spec.recipe.items()) or "defaults"
    print(f"{spec.name}: {data}; recipe: {recipe}; {_seeds(spec.seeds)}")
    counts = status_counts(results)
    print("runs: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    print()
    print("\n".join(format_table(list(HEADER), table_rows(results), set(range(1, 8)))))
    responses = read_experiment_responses(results)
    lines = verdict(results) + response_verdict(responses, response_mode)
    if lines:
        print()
        for line in lines:
            print(line)
    return results, responses
