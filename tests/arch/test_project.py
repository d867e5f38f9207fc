"""Project files: round trips, atomic writes, and errors that name the field."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from resnet_studio import writing
from resnet_studio.arch import project
from resnet_studio.arch.inference import infer
from resnet_studio.arch.presets import preset_network
from resnet_studio.arch.project import (
    FORMAT,
    VERSION,
    ProjectError,
    load_project,
    network_to_dict,
    project_from_json,
    project_to_json,
    save_project,
)
from resnet_studio.arch.spec import (
    Conv2d,
    Dropout,
    LeakyReLU,
    Linear,
    Network,
    Repeat,
    Residual,
    walk,
)
from resnet_studio.writing import WriteError, write_atomically


def doc(network: dict) -> str:
    return json.dumps({"format": FORMAT, "version": VERSION, "network": network})


def cifar_dict() -> dict:
    return network_to_dict(preset_network("cifar-resnet20"))


def error_of(text: str) -> str:
    with pytest.raises(ProjectError) as info:
        project_from_json(text, "net.json")
    return str(info.value)


@pytest.mark.parametrize("key", ["cifar-resnet20", "cifar-plain56", "resnet50", "vgg19"])
def test_save_load_round_trip_keeps_everything(tmp_path: Path, key: str) -> None:
    network = preset_network(key, classes=7)
    path = tmp_path / f"{key}.json"
    save_project(path, network)
    loaded = load_project(path)
    assert loaded == network  # dataclass equality: every field, every id, every name
    assert [n.id for n in walk(loaded.body)] == [n.id for n in walk(network.body)]
    assert infer(loaded).total_params == infer(network).total_params
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == FORMAT
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_round_trip_of_every_field_kind(tmp_path: Path) -> None:
    network = Network(
        name="Netz – Probe",
        input_shape=(1, 28, 20),
        classes=3,
        body=(
            Conv2d(name="c", out_channels=6, kernel=5, stride=2, padding=0, dilation=2, groups=1),
            LeakyReLU(name="l", negative_slope=0.2),
            Repeat(
                name="stage",
                count=3,
                strides_first_only=False,
                body=(Residual(name="b", shortcut="zero-pad", post_relu=False, body=()),),
            ),
            Dropout(name="d", p=0),
            Linear(name="fc", out_features=None, bias=False),
        ),
    )
    save_project(tmp_path / "x.json", network)
    assert load_project(tmp_path / "x.json") == network


def test_saving_twice_replaces_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    save_project(path, preset_network("cifar-resnet20"))
    second = preset_network("cifar-resnet32")
    save_project(path, second)
    assert load_project(path) == second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.json"]


def test_failed_replace_leaves_old_file_and_no_temp_files(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "p.json"
    original = preset_network("cifar-resnet20")
    save_project(path, original)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(project.os, "replace", broken_replace)
    with pytest.raises(ProjectError) as info:
        save_project(path, preset_network("cifar-resnet110"))
    assert "cannot write" in str(info.value) and "Permission denied" in str(info.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.json"]


def test_failed_write_leaves_no_temp_files(tmp_path: Path, monkeypatch) -> None:
    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writing.os, "fsync", broken_fsync)
    with pytest.raises(WriteError) as info:
        write_atomically(tmp_path / "new.json", b"{}")
    assert "No space left" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_missing_directory_is_a_project_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectError) as info:
        save_project(tmp_path / "nowhere" / "p.json", preset_network("cifar-resnet20"))
    assert "cannot write" in str(info.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("old")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(ProjectError):
            save_project(path, preset_network("cifar-resnet20"))
        assert path.read_text() == "old"
    finally:
        tmp_path.chmod(0o700)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectError) as info:
        load_project(tmp_path / "absent.json")
    assert "absent.json" in str(info.value) and "no such file" in str(info.value)


def test_directory_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(ProjectError) as info:
        load_project(tmp_path)
    assert "cannot read" in str(info.value)
    binary = tmp_path / "model.pt"
    binary.write_bytes(b"\x80\x02\xff\xfe pickle")
    with pytest.raises(ProjectError) as info:
        load_project(binary)
    assert "not a text file" in str(info.value)


def test_bad_json_gives_line_and_column() -> None:
    message = error_of('{\n  "format": "resnet-studio-project",\n  "version": 1,,\n}')
    assert message.startswith("net.json: not valid JSON")
    assert "line 3" in message and "column 16" in message  # the second comma


def test_wrong_format() -> None:
    assert "not a ResNet Studio project" in error_of(json.dumps({"format": "keras"}))
    assert "not a ResNet Studio project" in error_of("[1, 2]")


@pytest.mark.parametrize("version", [3, 99, 0, -1, "1", "2", 2.0, True, None])
def test_unknown_version_is_not_supported(version) -> None:
    message = error_of(json.dumps({"format": FORMAT, "version": version, "network": {}}))
    assert f"version {version!r} is not supported" in message
    assert f"reads version 1–{VERSION}" in message


def test_unknown_kind_suggests_a_close_one() -> None:
    data = cifar_dict()
    data["body"][1]["kind"] = "BatchNorm"
    message = error_of(doc(data))
    assert "net.json: network.body[1].kind" in message
    assert "unknown layer kind 'BatchNorm'" in message and "did you mean 'BatchNorm2d'?" in message
    data["body"][1]["kind"] = 42
    assert "unknown layer kind 42" in error_of(doc(data))


def test_misspelled_field_suggests_the_right_one() -> None:
    data = cifar_dict()
    data["body"][0]["kernal"] = data["body"][0].pop("kernel")
    message = error_of(doc(data))
    assert "network.body[0].kernal" in message
    assert "unknown field 'kernal'" in message and "did you mean 'kernel'?" in message
    net = cifar_dict()
    net["clases"] = 10
    assert "did you mean 'classes'?" in error_of(doc(net))


def test_out_of_range_value_names_the_nested_field() -> None:
    data = cifar_dict()
    # body[3] is layer1 (Repeat) → body[0] the block → body[0] its conv1.
    assert data["body"][3]["name"] == "layer1"
    data["body"][3]["body"][0]["body"][0]["kernel"] = 0
    message = error_of(doc(data))
    assert "network.body[3].body[0].body[0].kernel: must be from 1 to 64, got 0" in message


def test_nested_duplicate_names_and_ids_name_the_place() -> None:
    data = cifar_dict()
    block = data["body"][3]["body"][0]
    block["body"][1]["name"] = "conv1"
    assert "network.body[3].body[0].body[1].name" in error_of(doc(data))
    data = cifar_dict()
    data["body"][1]["id"] = data["body"][0]["id"]
    assert "network.body: node id" in error_of(doc(data))


def test_wrong_types_name_the_field() -> None:
    data = cifar_dict()
    data["body"][0]["bias"] = "no"
    assert "network.body[0].bias: expected true or false" in error_of(doc(data))
    data = cifar_dict()
    data["input_shape"] = [3, 32]
    assert "network.input_shape" in error_of(doc(data))
    data = cifar_dict()
    data["body"] = {"a": 1}
    assert "network.body: expected a list" in error_of(doc(data))
    data = cifar_dict()
    data["body"][2] = "relu"
    assert "network.body[2]: expected an object" in error_of(doc(data))
    data = cifar_dict()
    del data["body"][0]["name"]
    assert "network.body[0].name: missing" in error_of(doc(data))
    data = cifar_dict()
    del data["body"][0]["out_channels"]
    assert "network.body[0]" in error_of(doc(data))
    assert "net.json: network: expected an object" in error_of(doc(None))  # type: ignore[arg-type]


def test_whole_numbers_for_float_fields_and_defaults() -> None:
    text = doc(
        {
            "body": [
                {"kind": "LeakyReLU", "name": "l", "negative_slope": 0},
                {"kind": "Dropout", "name": "d", "p": 1},
            ]
        }
    )
    network = project_from_json(text)
    assert network.body[0].negative_slope == 0.0 and isinstance(network.body[1].p, float)
    assert (network.input_shape, network.classes, network.name) == ((3, 32, 32), 10, "network")
    assert network.body[0].id  # ids are made when the file has none


@pytest.mark.parametrize("depth", [400, 5_000, 200_000])
def test_deep_nesting_is_an_error_not_a_crash(depth: int) -> None:
    inner = '{"kind": "ReLU", "name": "r"}'
    nested = '{"kind": "Residual", "name": "b", "body": [' * depth + inner + "]}" * depth
    text = (
        '{"format": "resnet-studio-project", "version": 1, '
        f'"network": {{"input_shape": [3, 8, 8], "body": [{nested}]}}}}'
    )
    message = error_of(text)
    assert "nested too deeply" in message


def test_the_deepest_loadable_network_can_be_analysed() -> None:
    """What loads must not crash inference or the twin (both walk the tree recursively)."""
    from resnet_studio.arch.twin import plain_twin

    def text(depth: int) -> str:
        inner = '{"kind": "ReLU", "name": "r"}'
        nested = '{"kind": "Residual", "name": "b", "body": [' * depth + inner + "]}" * depth
        return doc({"input_shape": [3, 8, 8], "body": []}).replace("[]}", f"[{nested}]}}")

    low, high = 1, 2_000  # largest depth that loads, by bisection
    while low < high:
        mid = (low + high + 1) // 2
        try:
            project_from_json(text(mid))
        except ProjectError:
            high = mid - 1
        else:
            low = mid
    assert low > 50
    network = project_from_json(text(low))
    assert infer(network).rows[-1].path.count(".") == low
    assert project_from_json(project_to_json(plain_twin(network))) is not None


def test_saved_file_has_normal_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = tmp_path / "p.json"
        save_project(path, preset_network("cifar-resnet20"))
        assert path.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600
        path.chmod(0o640)
        save_project(path, preset_network("cifar-resnet32"))
        assert path.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its mode
    finally:
        os.umask(umask)
