"""Run a built bundle as a user would, and print its start-up time, size and build time.

    python3 packaging/pyinstaller/smoke_test.py full
    python3 packaging/pyinstaller/smoke_test.py designer [--screenshot shot.png]

Checks, on the bundle in ``packaging/dist/<kind>/resnet-studio``:

- both: ``presets``, ``summary``, ``new`` work; the window is shown (on Linux under
  a private Xvfb server) with the program's icon set on it;
- full: ``train --iterations 5`` on synthetic data (a ResNet and its plain twin),
  ``compare`` of the two runs, ``export`` in all three formats and ``predict`` with
  the TorchScript and ONNX files;
- designer: ``train``, ``export`` and ``predict`` end in one line saying they need
  the full version (exit status 2, no traceback).

Then prints the time from launching the bundle to its window being shown against the
build environment's own ``resnet-studio`` (packaging/build/venv, the same program
installed by pip) in the same run, alternating (goal: within 1.3×); the size of each
bundle built so far and its build time (from build-info.json). Exits non-zero on
the first failure. The window checks need Linux with Xvfb, xev and xprop (Debian: xvfb
x11-utils; ``--screenshot`` also uses imagemagick and, for a title bar with
the icon, icewm); elsewhere they are skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DIST = ROOT / "packaging" / "dist"
VENV = ROOT / "packaging" / "build" / "venv"
START_GOAL = 1.3  # the bundle's time to the window, at most, as a multiple of pip's
EXE = ".exe" if os.name == "nt" else ""


class SmokeFailure(Exception):
    pass


def program(kind: str) -> Path:
    return DIST / kind / "resnet-studio" / f"resnet-studio{EXE}"


def venv_program() -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / f"resnet-studio{EXE}"


def isolated_env(home: Path) -> dict[str, str]:
    """Settings, runs and data in a fresh folder: the test touches nothing of the user's."""
    env = {**os.environ, "RESNET_STUDIO_HOME": str(home / "studio")}
    env.update(
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        RESNET_STUDIO_RUNS=str(home / "runs"),
        RESNET_STUDIO_DATA=str(home / "datasets"),
    )
    return env


def run(exe: Path, *args: str, env: dict[str, str], expect: int = 0) -> str:
    """Run the program; fail unless it exits with ``expect``. Returns stdout + stderr."""
    started = time.monotonic()
    done = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=600)
    output = done.stdout + done.stderr
    shown = " ".join(Path(arg).name if os.sep in arg else arg for arg in args)
    print(f"  {shown:<60} exit {done.returncode}  {time.monotonic() - started:5.1f} s")
    if done.returncode != expect or "Traceback" in output:
        raise SmokeFailure(f"'{' '.join(args)}' exited {done.returncode}:\n{output[-3000:]}")
    return output


def write_image(path: Path) -> None:
    """A 32×32 colour image as binary PPM: readable by Pillow, written without it."""
    pixels = b"".join(bytes((x * 8 % 256, y * 8 % 256, 128)) for y in range(32) for x in range(32))
    path.write_bytes(b"P6 32 32 255\n" + pixels)


def check_commands(kind: str, exe: Path, work: Path) -> None:
    env = isolated_env(work)
    if "cifar-resnet20" not in run(exe, "presets", env=env):
        raise SmokeFailure("'presets' does not list cifar-resnet20")
    if "total" not in run(exe, "summary", "--preset", "cifar-resnet20", env=env):
        raise SmokeFailure("'summary' printed no totals")
    run(exe, "new", "--preset", "cifar-resnet20", "-o", str(work / "net.json"), env=env)
    image = work / "image.ppm"
    write_image(image)
    if kind == "designer":
        for args in (
            ("train", "--preset", "cifar-resnet20", "--iterations", "5"),
            ("export", str(work / "net.json"), "--format", "torchscript", "-o", str(work / "m.pt")),
            ("predict", str(work / "m.pt"), str(image)),
        ):
            output = run(exe, *args, env=env, expect=2).strip()
            if "full version" not in output or len(output.splitlines()) != 1:
                raise SmokeFailure(
                    f"'{args[0]}' should say in one line that it needs the "
                    f"full version; it printed:\n{output}"
                )
        return
    runs = [work / "resnet", work / "plain"]
    for preset, out in zip(("cifar-resnet20", "cifar-plain20"), runs, strict=True):
        run(
            exe,
            "train",
            "--preset",
            preset,
            "--dataset",
            "synthetic",
            "--iterations",
            "5",
            "--batch-size",
            "16",
            "--seed",
            "1",
            "--out",
            str(out),
            env=env,
        )
    run(exe, "compare", *map(str, runs), "-o", str(work / "compare.png"), env=env)
    if not (work / "compare.png").stat().st_size:
        raise SmokeFailure("'compare' wrote an empty plot")
    files = {"torchscript": "model.pt", "checkpoint": "checkpoint.pt", "onnx": "model.onnx"}
    for fmt, name in files.items():
        run(exe, "export", str(runs[0]), "--format", fmt, "-o", str(work / name), env=env)
    for name in ("model.pt", "model.onnx"):
        run(exe, "predict", str(work / name), str(image), env=env)


# --- the window --------------------------------------------------------------------


@contextmanager
def x_display(window_manager: bool):
    """A private Xvfb display (and icewm, whose title bars show the window icon)."""
    # -displayfd: the server picks a free display and writes its number once it listens.
    # -noreset: an X server resets when its last client leaves, and refuses the
    # connections made meanwhile (the next program's, between two start-ups).
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24"]
        + ["-nolisten", "tcp", "-noreset"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    helpers = [server]
    try:
        if not number:
            raise SmokeFailure("Xvfb did not start")
        display = f":{number}"
        if window_manager and shutil.which("icewm"):
            helpers.append(
                subprocess.Popen(
                    ["icewm"],
                    env={**os.environ, "DISPLAY": display},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            time.sleep(1.0)
        yield display
    finally:
        for helper in reversed(helpers):
            helper.terminate()
            helper.wait()


def watch_maps(display: str) -> tuple[subprocess.Popen, queue.Queue]:
    """``xev`` on the root window: one X connection, open before the program starts,
    that reports each top-level window mapped (a window manager's frame, where one
    runs). Polling with a new connection each time would race with the program's own.
    """
    watcher = subprocess.Popen(
        ["stdbuf", "-oL", "xev", "-root", "-event", "substructure", "-event", "property"],
        env={**os.environ, "DISPLAY": display},
        stdout=subprocess.PIPE,
        text=True,
    )
    mapped: queue.Queue = queue.Queue()
    listening = threading.Event()

    def read() -> None:
        mapping = False
        for line in watcher.stdout:
            if line.startswith("PropertyNotify"):
                listening.set()
            elif line.startswith("MapNotify"):
                mapping = True  # the next line names the window: "    event 0x…, window 0x…"
            elif mapping and "window 0x" in line:
                mapping = False
                mapped.put((time.monotonic(), line.split("window ")[1].split(",")[0]))

    threading.Thread(target=read, daemon=True).start()
    # Listening before the program starts: xev reports a property set on the root window.
    deadline = time.monotonic() + 30
    while not listening.wait(0.2):
        mark = ["-f", "RESNET_STUDIO_SMOKE", "8s", "-set", "RESNET_STUDIO_SMOKE", "1"]
        subprocess.run(["xprop", "-root", *mark], env={**os.environ, "DISPLAY": display})
        if time.monotonic() > deadline or watcher.poll() is not None:
            raise SmokeFailure(f"xev reports no events on {display} (exit {watcher.poll()})")
    return watcher, mapped


def time_to_window(exe: Path, display: str, home: Path) -> float:
    """Seconds from launching the program to its first window being mapped on ``display``."""
    env = {**isolated_env(home), "DISPLAY": display}
    env.pop("WAYLAND_DISPLAY", None)
    watcher, mapped = watch_maps(display)
    started = time.monotonic()
    process = subprocess.Popen(
        [str(exe)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        while True:
            try:
                shown_at, window = mapped.get(timeout=0.05)
                break
            except queue.Empty:
                pass
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace")
                raise SmokeFailure(f"{exe} never opened its window; it said:\n{output[-3000:]}")
            if time.monotonic() - started > 120:
                raise SmokeFailure("no window within 120 s")
        icon = subprocess.run(
            ["xprop", "-id", window, "_NET_WM_ICON"], capture_output=True, text=True, env=env
        ).stdout
        if "CARDINAL" not in icon:
            raise SmokeFailure(f"the window has no icon (_NET_WM_ICON): {icon.strip()}")
        return shown_at - started
    finally:
        process.terminate()
        process.wait(timeout=30)
        watcher.terminate()
        watcher.wait()


def check_window(exe: Path, work: Path, rounds: int, screenshot: Path | None) -> None:
    tools = ("Xvfb", "xev", "xprop", "stdbuf")
    if not sys.platform.startswith("linux") or not all(map(shutil.which, tools)):
        print("  window: skipped (needs Linux with Xvfb, xev and xprop)")
        return
    baseline = venv_program()
    times: dict[str, list[float]] = {"bundle": [], "pip": []}
    with x_display(window_manager=False) as display:
        time_to_window(exe, display, work / "warm-up")  # first reads from disk: not counted
        if baseline.exists():
            time_to_window(baseline, display, work / "warm-up")
        for index in range(rounds):
            times["bundle"].append(time_to_window(exe, display, work / f"bundle-{index}"))
            if baseline.exists():
                times["pip"].append(time_to_window(baseline, display, work / f"pip-{index}"))
    bundle = statistics.median(times["bundle"])
    print(f"  window shown: bundle {bundle:.2f} s (median of {rounds})", end="")
    if times["pip"]:
        pip = statistics.median(times["pip"])
        ratio = bundle / pip
        print(f", pip install {pip:.2f} s: {ratio:.2f}× (goal ≤ {START_GOAL}×)")
        if ratio > START_GOAL:
            raise SmokeFailure(f"the bundle takes {ratio:.2f}× as long to show its window")
    else:
        print(f" (no {baseline} to compare with)")
    if screenshot is not None:
        with x_display(window_manager=True) as display:
            env = {**os.environ, "DISPLAY": display}
            watcher, mapped = watch_maps(display)
            process = subprocess.Popen([str(exe)], env={**isolated_env(work / "shot"), **env})
            mapped.get(timeout=120)
            watcher.terminate()
            time.sleep(3)  # the start page and first paint
            subprocess.run(["import", "-window", "root", str(screenshot)], env=env, check=True)
            process.terminate()
            process.wait(timeout=30)
        print(f"  screenshot: {screenshot}")


def report_builds() -> None:
    for kind in ("full", "designer"):
        info_file = DIST / kind / "build-info.json"
        if info_file.exists():
            info = json.loads(info_file.read_text())
            print(
                f"  {kind} bundle: {info['bytes'] / 2**20:,.0f} MiB in {info['files']:,} files, "
                f"built in {info['build_seconds'] / 60:.1f} min "
                f"({info['freeze_seconds'] / 60:.1f} min freezing)"
            )


def at_least_one(text: str) -> int:
    """``--rounds``: a whole number of start-ups, 1 or more (a median needs one)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1, not {text!r}")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["full", "designer"])
    parser.add_argument("--rounds", type=at_least_one, default=3, help="start-ups timed (3)")
    parser.add_argument("--screenshot", type=Path, help="also save a screenshot of the window")
    args = parser.parse_args(argv)
    exe = program(args.kind)
    if not exe.exists():
        print(f"no bundle at {exe}: build it with packaging/pyinstaller/build.py {args.kind}")
        return 1
    print(f"smoke test of {exe}")
    with tempfile.TemporaryDirectory(prefix="resnet-studio-smoke-") as tmp:
        work = Path(tmp)
        try:
            check_commands(args.kind, exe, work)
            check_window(exe, work, args.rounds, args.screenshot)
        except SmokeFailure as failure:
            print(f"FAILED: {failure}")
            return 1
    report_builds()
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
