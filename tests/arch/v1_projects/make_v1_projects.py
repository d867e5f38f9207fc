"""Write the version-1 project files of this folder and what the version-1 reader made of
them. Run once with the version-1 program (commit c5207f0):

    git archive c5207f0 resnet_studio | tar -x -C /tmp/v1
    PYTHONPATH=/tmp/v1 python3 tests/arch/v1_projects/make_v1_projects.py tests/arch/v1_projects
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from resnet_studio.arch import spec as s
from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import PRESETS, preset_network
from resnet_studio.arch.project import VERSION, project_from_json, project_to_json
from resnet_studio.arch.twin import plain_twin

EVERY_FIELD = s.Network(
    name="Netz – every field",
    input_shape=(1, 28, 20),
    classes=3,
    body=(
        s.Conv2d(name="c", out_channels=6, kernel=5, stride=2, padding=0, dilation=2, bias=True),
        s.BatchNorm2d(name="bn"),
        s.LeakyReLU(name="l", negative_slope=0.2),
        s.Repeat(
            name="stage",
            count=3,
            strides_first_only=False,
            body=(
                s.Residual(
                    name="b",
                    shortcut="zero-pad",
                    post_relu=False,
                    body=(s.Conv2d(name="c1", out_channels=8, stride=2), s.ReLU(name="r")),
                ),
                s.Identity(name="same"),
            ),
        ),
        s.Residual(name="proj", shortcut="projection", body=(s.Conv2d(name="c", out_channels=12),)),
        s.MaxPool2d(name="mp", kernel=3, stride=1, padding=1),
        s.AvgPool2d(name="ap", kernel=2, stride=2),
        s.GlobalAvgPool(name="gap"),
        s.Flatten(name="flat"),
        s.Dropout(name="d", p=0.0),
        s.Linear(name="fc", out_features=None, bias=False),
    ),
)
# As the tests' hand-written JSON strings are: no ids, defaults left out.
HAND_WRITTEN = {
    "input_shape": [3, 8, 8],
    "body": [
        {
            "kind": "Residual",
            "name": "b",
            "body": [{"kind": "Residual", "name": "b", "body": [{"kind": "ReLU", "name": "r"}]}],
        },
        {"kind": "LeakyReLU", "name": "l", "negative_slope": 0},
        {"kind": "Dropout", "name": "d", "p": 1},
        {"kind": "Repeat", "name": "stage", "body": [{"kind": "Residual", "name": "block"}]},
    ],
}


def main(folder: Path) -> None:
    assert VERSION == 1, "run this with the version-1 program"
    texts = {key: project_to_json(preset_network(key)) for key in PRESETS}
    texts["cifar-resnet20-w0.5"] = project_to_json(preset_network("cifar-resnet20", width=0.5))
    texts["resnet18-plain-twin"] = project_to_json(plain_twin(preset_network("resnet18")))
    texts["every-field"] = project_to_json(EVERY_FIELD)
    doc = {"format": "resnet-studio-project", "version": 1, "network": HAND_WRITTEN}
    texts["hand-written"] = json.dumps(doc)
    expected = {}
    for name, text in texts.items():
        (folder / f"{name}.json").write_text(text, encoding="utf-8")
        summary = infer(project_from_json(text))
        rows = "\n".join(
            f"{r.path} {r.kind} {r.output_shape} {r.params} {r.macs} {r.error}"
            for r in summary.rows
        )
        expected[name] = {
            "total_params": summary.total_params,
            "total_macs": summary.total_macs,
            "rows_sha256": hashlib.sha256(rows.encode()).hexdigest(),
        }
    (folder / "expected.json").write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
