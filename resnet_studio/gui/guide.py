"""Help → About Residual Learning: the paper's ideas in a few paragraphs, each linked to
the network or the experiment in this program that shows it.

Links have the form ``studio:KIND/NAME``: ``preset/cifar-resnet20`` opens a preset,
``twin/cifar-resnet20`` a preset's plain twin, ``experiment/degradation-cifar`` the New
Experiment dialog with that study chosen. The dialog only reports them
(:attr:`GuideDialog.link_activated`); the window acts on them.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from resnet_studio.arch.presets import PRESETS
from resnet_studio.training.experiment import BUILT_INS

SCHEME = "studio"
LINK_KINDS = ("preset", "twin", "experiment")


def parse_link(url: QUrl) -> tuple[str, str] | None:
    """(kind, name) of a ``studio:kind/name`` link to a known preset or study; else None."""
    if url.scheme() != SCHEME:
        return None
    kind, _, name = url.path().partition("/")
    known = BUILT_INS if kind == "experiment" else PRESETS
    if kind not in LINK_KINDS or name not in known:
        return None
    return kind, name


class GuideDialog(QDialog):
    """A short guide to residual learning with links into the program."""

    link_activated = Signal(str, str)  # kind, name: see the module's docstring

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Residual Learning"))
        self.resize(720, 640)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # studio: links are the window's to follow
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._clicked)
        self.browser.setHtml(self.html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def _clicked(self, url: QUrl) -> None:
        link = parse_link(url)
        if link is not None:
            self.link_activated.emit(*link)

    def html(self) -> str:
        """The guide as HTML, in the interface's language."""

        def link(kind: str, name: str, text: str) -> str:
            return f'<a href="{SCHEME}:{kind}/{name}">{text}</a>'

        sections = [
            (
                self.tr("1. The degradation problem"),
                self.tr(
                    "Stack more layers on a plain network and, past some depth, it gets "
                    "<b>worse on its own training data</b>: a 56-layer plain net ends with a "
                    "higher training error than a 20-layer one. That is not overfitting (the "
                    "training error itself is higher) and, with batch normalisation, not "
                    "vanishing gradients either: the deeper net is harder to optimise."
                ),
                self.tr("See it: {0} trains plain and residual nets at 20–56 layers.").format(
                    link("experiment", "degradation-cifar", self.tr("the degradation study"))
                ),
            ),
            (
                self.tr("2. Why a deeper net should be no worse"),
                self.tr(
                    "Take a trained shallow net and add layers that each compute the "
                    "<b>identity</b> (output = input). The deeper net then computes exactly "
                    "what the shallow one did, so its training error is the same. So a deeper "
                    "net <i>can</i> always do at least as well; if it trains worse, the solver "
                    "failed to find that solution. Plain layers have to learn the identity "
                    "from random weights, which is hard for a stack of convolutions and ReLUs."
                ),
                "",
            ),
            (
                self.tr("3. Residual learning: F(x) + x"),
                self.tr(
                    "A residual block lets its layers learn F(x) = H(x) − x, the change to "
                    "make, and adds its input back: the output is F(x) + x through a "
                    "<b>shortcut connection</b>. The identity now costs nothing: weights near "
                    "zero give F(x) ≈ 0 and the block passes x through. The layers only learn "
                    "how far the wanted mapping is from the identity."
                ),
                self.tr("Compare {0} with {1}: the same layers, without the shortcuts.").format(
                    link("preset", "cifar-resnet20", "ResNet-20"),
                    link("twin", "cifar-resnet20", self.tr("its plain twin")),
                ),
            ),
            (
                self.tr("4. Shortcuts that change shape: options A and B"),
                self.tr(
                    "Where a block halves the image and doubles the channels, x and F(x) "
                    "differ in shape. <b>Option A</b> keeps the identity: it subsamples x and "
                    "pads the new channels with zeros (no parameters; the CIFAR nets use it). "
                    "<b>Option B</b> uses a 1×1 convolution with stride 2, a projection, only "
                    "there (the ImageNet nets use it)."
                ),
                self.tr("See the difference: {0}.").format(
                    link("experiment", "shortcuts-ab", self.tr("the shortcuts study"))
                ),
            ),
            (
                self.tr("5. The bottleneck block"),
                self.tr(
                    "Deeper ImageNet nets (50 layers and more) use 1×1 → 3×3 → 1×1 blocks: the "
                    "first 1×1 reduces the channels (256 to 64), the 3×3 works on the few, the "
                    "last 1×1 restores them. Such a block has about as many weights as a basic "
                    "block of two 3×3 convolutions on 64 channels (69,632 against 73,728) "
                    "while its input and output are four times as wide."
                ),
                self.tr("Open {0} (bottleneck) beside {1} (basic), or run {2}.").format(
                    link("preset", "resnet50", "ResNet-50"),
                    link("preset", "resnet34", "ResNet-34"),
                    link("experiment", "bottleneck", self.tr("the bottleneck study")),
                ),
            ),
            (
                self.tr("6. Residual functions are small"),
                self.tr(
                    "The paper's Fig. 7 measures the standard deviation of each 3×3 layer's "
                    "responses: in ResNets they are smaller than in plain nets, and smaller "
                    "still in deeper ResNets. The layers learn small corrections to the "
                    "identity, as section 2 suggests. Every experiment draws this figure "
                    "(Experiments tab, and <code>resnet-studio experiment show</code>)."
                ),
                "",
            ),
            (
                self.tr("7. Batch normalisation, no dropout"),
                self.tr(
                    "Every convolution is followed by batch normalisation before its ReLU; "
                    "the paper uses no dropout. That is why the plain nets' trouble is not "
                    "vanishing signals: BN keeps them alive, and still the deep plain nets "
                    "train worse."
                ),
                "",
            ),
        ]
        heading = self.tr("Deep residual learning in seven ideas")  # lupdate skips f-strings
        parts = [f"<h2>{heading}</h2>"]
        for title, body, see in sections:
            parts.append(f"<h3>{title}</h3><p>{body}</p>")
            if see:
                parts.append(f"<p>→ {see}</p>")
        parts.append(
            "<p><i>"
            + self.tr("He, Zhang, Ren and Sun, Deep Residual Learning for Image Recognition, 2015.")
            + "</i></p>"
        )
        return "".join(parts)
