"""A run's history: its training events folded in one place.

The CLI and ``compare`` (reading ``metrics.jsonl``, see :func:`training.runs.read_run`),
the window (live events and runs read from disk) and experiments all fold a run's
events with :class:`RunHistory`, so they agree on what a run did. The rule that
matters: a run that starts again (a resume) repeats nothing, so its start drops
the epochs and steps past the point it starts from, and the ending it had before.

Statuses are decided here too. A run the user stops on purpose (the window's
Stop, Ctrl-C in ``train``) is ``stopped``; older versions wrote ``cancelled``,
which reads as ``stopped``. A run whose process died without a word reads as
``interrupted`` (see :attr:`training.runs.RunRecord.status`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from resnet_studio.training.events import (
    FINAL_EVENTS,
    FINAL_STATUS,
    EpochEnd,
    Event,
    Finished,
    RunStarted,
    StepMetrics,
)

STOPPED = "stopped"
INTERRUPTED = "interrupted"  # its process died: killed, crashed, a power cut
# Statuses that older versions wrote to run.json, and what they read as now.
_RENAMED = {"cancelled": STOPPED}
# Runs that ended before their last iteration and can be resumed from their checkpoint.
RESUMABLE = frozenset({STOPPED, "failed", INTERRUPTED, "diverged"})
# Runs whose process is done with them: nothing more will be written.
ENDED = RESUMABLE | {"finished"}


def status_as_read(recorded: str) -> str:
    """A status as run.json recorded it, in today's words (``cancelled`` → ``stopped``)."""
    return _RENAMED.get(recorded, recorded)


def is_final(event: Event) -> bool:
    """Whether ``event`` ends a run (Finished, Cancelled, Diverged, Failed)."""
    return isinstance(event, FINAL_EVENTS)


@dataclass
class RunHistory:
    """What a run did, event by event: its epochs and logged steps since it began,
    its latest start, and how it ended (None while it trains, or when it never said).
    Two histories are equal when they hold the same events.
    """

    epochs: list[EpochEnd] = field(default_factory=list)
    steps: list[StepMetrics] = field(default_factory=list)
    started: RunStarted | None = None  # the latest start or resume
    final: Event | None = None

    def apply(self, event: Event) -> None:
        """Fold one event in."""
        if isinstance(event, StepMetrics):
            self.steps.append(event)
        elif isinstance(event, EpochEnd):
            self.epochs.append(event)
        elif isinstance(event, RunStarted):
            # A resumed run repeats nothing: drop what came after its starting point
            # (a killed run logged steps past its last checkpoint), and its old ending.
            self.epochs = [e for e in self.epochs if e.epoch <= event.start_epoch]
            self.steps = [s for s in self.steps if s.iteration <= event.start_iteration]
            self.started = event
            self.final = None
        elif is_final(event):
            self.final = event

    def carried_over(self) -> RunHistory:
        """The history a resumed run keeps until it reports where it restarts: its
        epochs and steps, not its ending (a run about to train has not ended)."""
        return RunHistory(list(self.epochs), list(self.steps))

    # --- what the events say ------------------------------------------------------------

    @property
    def status(self) -> str | None:
        """``running`` once started, then the final event's status (``stopped``,
        ``finished``…); None before any start or ending was heard."""
        if self.final is not None:
            return FINAL_STATUS[type(self.final)]
        return "running" if self.started is not None else None

    @property
    def reason(self) -> str:
        """Why the run failed or diverged; "" otherwise."""
        return getattr(self.final, "reason", "") if self.final is not None else ""

    @property
    def test_error(self) -> float | None:
        """The final model's error on the test split, when the run finished with one."""
        return self.final.test_error if isinstance(self.final, Finished) else None

    @property
    def last_epoch(self) -> EpochEnd | None:
        return self.epochs[-1] if self.epochs else None

    @property
    def last_step(self) -> StepMetrics | None:
        return self.steps[-1] if self.steps else None

    @property
    def epochs_done(self) -> int:
        return self.epochs[-1].epoch if self.epochs else 0

    @property
    def iteration(self) -> int:
        """The latest iteration reported."""
        last = [x.iteration for x in (self.last_step, self.last_epoch) if x is not None]
        return max(last, default=0)
