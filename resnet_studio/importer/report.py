"""What an import did: every operation mapped, every one that could not be, and
whether the result is exact. Plain data; printed by the command line, shown by the
window."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from resnet_studio.arch.messages import Message
from resnet_studio.arch.translatable import QT_TRANSLATE_NOOP

# Keys of each kind a weights report lists; the counts say how many there are in all.
SHOWN_KEYS = 5


@dataclass(frozen=True)
class MappedOp:
    """One source operation (a module by its qualified name, a function by its node
    name) and where it went: our layer's path and kind. ``renamed``: the operation's
    weights are stored under another path than the source's."""

    source: str
    source_kind: str
    path: str
    kind: str
    renamed: bool = False


@dataclass(frozen=True)
class Unsupported:
    """An operation the spec cannot express, and why."""

    source: str
    op: str
    reason: str


@dataclass(frozen=True)
class Exactness:
    """The importer's own check of the result against the source model.

    Exact means all three: the same number of parameters, a strict load of the
    renamed ``state_dict`` into our build, and outputs equal within ``tolerance``
    on the same random inputs, both in eval mode.
    """

    source_params: int
    params: int | None  # ours; None when our network could not be built
    load_error: str | None
    max_difference: float | None  # None when the outputs could not be compared
    tolerance: float
    inputs: int  # how many random images were compared

    @property
    def same_params(self) -> bool:
        return self.params == self.source_params

    @property
    def loads(self) -> bool:
        return self.params is not None and self.load_error is None

    @property
    def same_outputs(self) -> bool:
        return self.max_difference is not None and self.max_difference <= self.tolerance

    @property
    def exact(self) -> bool:
        return self.same_params and self.loads and self.same_outputs


@dataclass(frozen=True)
class WeightsMatch:
    """A weights-only ``state_dict`` compared by key names and shapes with the presets
    (and the network open in the window): the one it matched, or the closest.

    ``adapted`` says what was changed to fit (the classifier's class count, the input
    channels); ``mismatched`` entries read ``key: 10×512 in the file, 1000×512 in the
    preset``. ``load_error`` is set when the matched network's build refuses the weights.
    """

    keys: int  # tensors in the file
    candidate: str  # "preset resnet50" or "the network open now"
    matched: bool
    matching: int  # the file's keys found in the candidate with the same shape
    expected: int  # the candidate's keys
    wrapper: str | None = None  # the dict entry the weights were inside ("state_dict")
    prefix: str | None = None  # removed from every key ("module.", DataParallel's)
    adapted: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # other presets the same weights fit exactly
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    mismatched: tuple[str, ...] = ()
    load_error: str | None = None

    @property
    def loads(self) -> bool:
        return self.matched and self.load_error is None

    def lines(self) -> list[str]:
        """What was read, adapted and what differs (the verdict is the report's)."""
        out = [
            Message(
                "weights.read",
                QT_TRANSLATE_NOOP("messages", "  {count:,} tensors read"),
                count=self.keys,
            )
        ]
        if self.wrapper:
            out.append(
                Message(
                    "weights.wrapper",
                    QT_TRANSLATE_NOOP("messages", "  the weights are the file's {entry!r} entry"),
                    entry=self.wrapper,
                )
            )
        if self.prefix:
            out.append(
                Message(
                    "weights.prefix",
                    QT_TRANSLATE_NOOP("messages", "  {prefix!r} removed from every key"),
                    prefix=self.prefix,
                )
            )
        out += [
            Message("weights.adapted", QT_TRANSLATE_NOOP("messages", "  adapted: {what}"), what=a)
            for a in self.adapted
        ]
        if self.also:
            out.append(
                Message(
                    "weights.also",
                    QT_TRANSLATE_NOOP(
                        "messages",
                        "  the same weights also fit {others} (they differ only in layers "
                        "without weights)",
                    ),
                    others=", ".join(self.also),
                )
            )
        if self.matched:
            out.append(
                Message(
                    "weights.loads",
                    QT_TRANSLATE_NOOP("messages", "  weights: load strictly into {candidate}"),
                    candidate=self.candidate,
                )
                if self.load_error is None
                else Message(
                    "weights.do-not-load",
                    QT_TRANSLATE_NOOP("messages", "  weights: do not load: {why}"),
                    why=self.load_error,
                )
            )
            return out
        headings = (
            Message(
                "weights.missing",
                QT_TRANSLATE_NOOP("messages", "  missing from the file ({count:,} keys):"),
                count=len(self.missing),
            ),
            Message(
                "weights.unexpected",
                QT_TRANSLATE_NOOP("messages", "  not in the preset ({count:,} keys):"),
                count=len(self.unexpected),
            ),
            Message(
                "weights.mismatched",
                QT_TRANSLATE_NOOP("messages", "  another shape ({count:,} keys):"),
                count=len(self.mismatched),
            ),
        )
        for keys, heading in zip(
            (self.missing, self.unexpected, self.mismatched), headings, strict=True
        ):
            if keys:
                out.append(heading)
                out += [f"    {key}" for key in keys[:SHOWN_KEYS]]
                if len(keys) > SHOWN_KEYS:
                    out.append(
                        Message(
                            "weights.more",
                            QT_TRANSLATE_NOOP("messages", "    … and {count:,} more"),
                            count=len(keys) - SHOWN_KEYS,
                        )
                    )
        return out

    def verdict(self) -> str:
        if self.matched and self.load_error is None:
            return Message(
                "weights.verdict-matched",
                QT_TRANSLATE_NOOP("messages", "weights of {candidate}, opened with them"),
                candidate=self.candidate,
            )
        if self.matched:
            return Message(
                "weights.verdict-not-loaded",
                QT_TRANSLATE_NOOP("messages", "matches {candidate}, but the weights do not load"),
                candidate=self.candidate,
            )
        return Message(
            "weights.verdict-closest",
            QT_TRANSLATE_NOOP(
                "messages",
                "not imported: the weights fit no preset; the closest is {candidate} "
                "({matching:,} of its {expected:,} keys)",
            ),
            candidate=self.candidate,
            matching=self.matching,
            expected=self.expected,
        )


@dataclass
class ImportReport:
    """The whole account of one import."""

    source: str
    input_shape: tuple[int, int, int]
    mapped: list[MappedOp] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)  # source state_dict keys left out
    notes: list[str] = field(default_factory=list)  # differences that change training only
    exactness: Exactness | None = None
    seconds: float = 0.0
    weights: WeightsMatch | None = None  # a weights-only file: what it matched

    @property
    def expressible(self) -> bool:
        return not self.unsupported

    @property
    def exact(self) -> bool:
        """Imported as it is: exact for a model, matched and loading for weights alone."""
        if self.weights is not None:
            return self.expressible and self.weights.loads
        return self.expressible and self.exactness is not None and self.exactness.exact

    def renamed(self) -> list[MappedOp]:
        """Module calls whose weights moved to another path (their keys are renamed)."""
        return [m for m in self.mapped if m.renamed]

    def lines(self, mapping: bool = False) -> list[str]:
        """The report as text: verdict, checks, renamed weights, every problem; with
        ``mapping``, every operation and where it went. Each line with words is a
        :class:`Message` (the window shows it translated)."""
        size = "×".join(map(str, self.input_shape))
        if self.weights is not None:
            verdict = self.weights.verdict() if self.expressible else self._verdict()
            # Weights that fit nothing have no input shape to show.
            out: list[str] = [
                _head(self.source, size, verdict)
                if self.weights.matched
                else Message(
                    "import.report.head_weights",
                    QT_TRANSLATE_NOOP("messages", "{source}: {verdict}"),
                    source=self.source,
                    verdict=verdict,
                ),
                *self.weights.lines(),
            ]
            out += [_note(note) for note in self.notes]
            out += [_problem(u) for u in self.unsupported]
            return out
        out = [_head(self.source, size, self._verdict())]
        if self.exactness is not None:
            out += _check_lines(self.exactness)
        if self.mapped:
            out.append(
                Message(
                    "import.report.mapped",
                    QT_TRANSLATE_NOOP("messages", "  {count:,} operations mapped, in {seconds} s"),
                    count=len(self.mapped),
                    seconds=f"{self.seconds:.2f}",
                )
            )
        else:
            out.append(
                Message(
                    "import.report.read",
                    QT_TRANSLATE_NOOP("messages", "  read in {seconds} s"),
                    seconds=f"{self.seconds:.2f}",
                )
            )
        renamed = self.renamed()
        if renamed:
            out.append(
                Message(
                    "import.report.renamed",
                    QT_TRANSLATE_NOOP(
                        "messages", "  {count} modules keep their weights under another name:"
                    ),
                    count=len(renamed),
                )
            )
            out += [f"    {m.source} -> {m.path}" for m in renamed]
        out += [_note(note) for note in self.notes]
        if self.not_imported:
            out.append(
                Message(
                    "import.report.not_imported",
                    QT_TRANSLATE_NOOP("messages", "  {count} source weights not imported:"),
                    count=len(self.not_imported),
                )
            )
            out += [f"    {key}" for key in self.not_imported]
        if self.unsupported:
            count = len(self.unsupported)
            if count == 1:
                out.append(
                    Message(
                        "import.report.unsupported.one",
                        QT_TRANSLATE_NOOP("messages", "  1 operation cannot be expressed:"),
                    )
                )
            else:
                out.append(
                    Message(
                        "import.report.unsupported.many",
                        QT_TRANSLATE_NOOP("messages", "  {count} operations cannot be expressed:"),
                        count=count,
                    )
                )
            out += [_problem(u) for u in self.unsupported]
        if mapping and self.mapped:
            out.append(
                Message(
                    "import.report.mapping",
                    QT_TRANSLATE_NOOP("messages", "  mapping (source -> our path):"),
                )
            )
            out += [
                Message(
                    "import.report.mapping_line",
                    QT_TRANSLATE_NOOP(
                        "messages", "    {source} ({source_kind}) -> {path} ({kind})"
                    ),
                    source=m.source,
                    source_kind=m.source_kind,
                    path=m.path,
                    kind=m.kind,
                )
                for m in self.mapped
            ]
        return out

    def _verdict(self) -> Message:
        if self.unsupported:
            count = len(self.unsupported)
            if count == 1:
                return Message(
                    "import.verdict.unsupported.one",
                    QT_TRANSLATE_NOOP("messages", "not imported: 1 operation cannot be expressed"),
                )
            return Message(
                "import.verdict.unsupported.many",
                QT_TRANSLATE_NOOP(
                    "messages", "not imported: {count} operations cannot be expressed"
                ),
                count=count,
            )
        if self.exact:
            return Message(
                "import.verdict.exact", QT_TRANSLATE_NOOP("messages", "imported exactly")
            )
        return Message(
            "import.verdict.not_exact", QT_TRANSLATE_NOOP("messages", "imported, but NOT exactly")
        )

    def to_json(self) -> dict:
        e = self.exactness
        return {
            "source": self.source,
            "input_shape": list(self.input_shape),
            "exact": self.exact,
            "mapped": [asdict(m) for m in self.mapped],
            "unsupported": [asdict(u) for u in self.unsupported],
            "not_imported": list(self.not_imported),
            "notes": list(self.notes),
            "exactness": None
            if e is None
            else {
                **asdict(e),
                "same_params": e.same_params,
                "loads": e.loads,
                "same_outputs": e.same_outputs,
            },
            "seconds": round(self.seconds, 3),
            "weights": None if self.weights is None else asdict(self.weights),
        }


def _check_lines(e: Exactness) -> list[str]:
    """The three checks of an import: parameters, weights, outputs."""
    ours = "-" if e.params is None else f"{e.params:,}"
    if e.same_params:
        params = Message(
            "import.report.params.same",
            QT_TRANSLATE_NOOP(
                "messages", "  parameters: {source:,} in the source, {ours} in the import (same)"
            ),
            source=e.source_params,
            ours=ours,
        )
    else:
        params = Message(
            "import.report.params.different",
            QT_TRANSLATE_NOOP(
                "messages",
                "  parameters: {source:,} in the source, {ours} in the import (DIFFERENT)",
            ),
            source=e.source_params,
            ours=ours,
        )
    if e.loads:
        weights = Message(
            "import.report.weights.load",
            QT_TRANSLATE_NOOP("messages", "  weights: the renamed state_dict loads strictly"),
        )
    else:
        weights = Message(
            "import.report.weights.fail",
            QT_TRANSLATE_NOOP("messages", "  weights: do not load: {error}"),
            error=e.load_error,
        )
    if e.max_difference is None:
        outputs = Message(
            "import.report.outputs.none", QT_TRANSLATE_NOOP("messages", "  outputs: not compared")
        )
    else:
        numbers = {
            "inputs": e.inputs,
            "difference": f"{e.max_difference:.3g}",
            "tolerance": f"{e.tolerance:.3g}",
        }
        if e.same_outputs:
            outputs = Message(
                "import.report.outputs.equal",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "  outputs: equal on {inputs} random images in eval mode (largest "
                    "difference {difference}, tolerance {tolerance})",
                ),
                **numbers,
            )
        else:
            outputs = Message(
                "import.report.outputs.different",
                QT_TRANSLATE_NOOP(
                    "messages",
                    "  outputs: DIFFERENT on {inputs} random images in eval mode (largest "
                    "difference {difference}, tolerance {tolerance})",
                ),
                **numbers,
            )
    return [params, weights, outputs]


def _head(source: str, size: str, verdict: str) -> Message:
    """The report's first line: what was imported, for which input, and the verdict."""
    return Message(
        "import.report.head",
        QT_TRANSLATE_NOOP("messages", "{source} (input {size}): {verdict}"),
        source=source,
        size=size,
        verdict=verdict,
    )


def _note(note: str) -> Message:
    return Message("import.report.note", QT_TRANSLATE_NOOP("messages", "  note: {note}"), note=note)


def _problem(u: Unsupported) -> Message:
    """One operation that cannot be expressed, and why."""
    return Message(
        "import.report.problem",
        QT_TRANSLATE_NOOP("messages", "    {source} ({op}): {reason}"),
        source=u.source,
        op=u.op,
        reason=u.reason,
    )
