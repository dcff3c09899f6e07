"""Execution-provider selection: configuration, filtering by the build, probing, fallback.

The machine running the tests has only the CPU provider, so accelerators are simulated the
honest way: by passing an `available` list that claims them. ONNX Runtime then really tries
to register them, fails, and the session must come up on the CPU with a warning.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from memveil.shared.inference import (
    ENV_VAR,
    PROVIDERS,
    create_session,
    parse_providers,
    provider_options,
    requested_providers,
    select_providers,
    short_name,
)

CPU, CUDA, QNN, COREML = (PROVIDERS[n] for n in ("cpu", "cuda", "qnn", "coreml"))


def _tiny_model(path: Path, scale: float) -> Path:
    """y = x * scale: a model small enough to create sessions by the dozen."""
    node = helper.make_node("Mul", ["x", "s"], ["y"])
    graph = helper.make_graph(
        [node],
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None])],
        [helper.make_tensor("s", TensorProto.FLOAT, [], [scale])],
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    return path


@pytest.fixture()
def models(tmp_path: Path) -> dict[str, Path]:
    return {"cpu": _tiny_model(tmp_path / "cpu.onnx", 2.0), "npu": _tiny_model(tmp_path / "npu.onnx", 3.0)}


def _run(session, value: float = 1.0) -> float:  # type: ignore[no-untyped-def]
    return float(session.session.run(None, {"x": np.array([value], dtype=np.float32)})[0][0])


# --- select_providers: pure ---------------------------------------------------------------


def test_requested_order_is_kept_and_cpu_comes_last() -> None:
    available = [CPU, COREML, CUDA, QNN]
    assert select_providers(["qnn", "cuda"], available) == ((QNN, CUDA, CPU), ())
    assert select_providers(["cuda", "qnn"], available) == ((CUDA, QNN, CPU), ())
    assert select_providers(["cpu", "cuda"], available) == ((CUDA, CPU), ())  # CPU always last


def test_missing_providers_are_reported_and_cpu_remains() -> None:
    assert select_providers(["cuda", "qnn"], [CPU, "AzureExecutionProvider"]) == ((CPU,), ("cuda", "qnn"))
    assert select_providers(["tensorrt", "cuda"], [CPU, CUDA]) == ((CUDA, CPU), ("tensorrt",))
    assert select_providers([], [CPU]) == ((CPU,), ())


def test_duplicates_count_once() -> None:
    assert select_providers(["cuda", "cuda", "cpu", "cpu"], [CPU, CUDA]) == ((CUDA, CPU), ())


def test_short_names_map_to_onnxruntime_names() -> None:
    assert PROVIDERS["directml"] == "DmlExecutionProvider"
    assert PROVIDERS["nnapi"] == "NnapiExecutionProvider"
    assert {short_name(v) for v in PROVIDERS.values()} == set(PROVIDERS)


# --- configuration ------------------------------------------------------------------------


def test_parse_spaces_case_and_duplicates() -> None:
    assert parse_providers(" CUDA, cpu ,cuda") == (("cuda", "cpu"), True)
    assert parse_providers(["qnn", "CPU"]) == (("qnn", "cpu"), True)


def test_unknown_or_empty_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown execution provider 'cdua'"):
        parse_providers("cdua,cpu")
    with pytest.raises(ValueError, match="no execution provider"):
        parse_providers(" , ")


def test_auto_expands_per_side_and_is_not_explicit() -> None:
    names, explicit = parse_providers("auto", side="cloud")
    assert names[0] == "cuda" and names[-1] == "cpu" and not explicit
    names, _ = parse_providers("auto", side="edge")
    assert names[0] == "qnn" and "cuda" not in names


def test_argument_then_environment_then_side_default() -> None:
    env = {ENV_VAR: "coreml,cpu"}
    assert requested_providers("cuda", env=env) == (("cuda",), True)
    assert requested_providers(None, side="edge", env=env) == (("coreml", "cpu"), True)
    assert requested_providers(None, side="edge", env={}) == (("cpu",), True)
    assert requested_providers(None, side="cloud", env={})[1] is False  # auto
    with pytest.raises(ValueError):
        requested_providers(None, side="server", env={})


def test_environment_variable_is_read(monkeypatch: pytest.MonkeyPatch, models: dict[str, Path]) -> None:
    monkeypatch.setenv(ENV_VAR, "cpu")
    assert create_session(models["cpu"], side="edge").providers == (CPU,)
    monkeypatch.setenv(ENV_VAR, "no-such-provider")
    with pytest.raises(ValueError, match="unknown execution provider"):
        create_session(models["cpu"], side="edge")


# --- create_session: real sessions on the real CPU provider -------------------------------


def test_cpu_session_runs_and_logs_its_choice(models: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="memveil.inference"):
        session = create_session(models["cpu"], "cpu", threads=1)
    assert session.providers == (CPU,) and session.primary == "cpu"
    assert _run(session) == 2.0
    infos = [r for r in caplog.records if r.levelno == logging.INFO]
    assert len(infos) == 1 and "cpu.onnx on CPUExecutionProvider" in infos[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_missing_provider_falls_back_to_cpu_with_a_warning(
    models: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="memveil.inference"):
        session = create_session(models["cpu"], "qnn,cuda", available=[CPU])
    assert session.providers == (CPU,)
    warnings = sorted(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert len(warnings) == 2 and "cuda was requested" in warnings[0] and "qnn was requested" in warnings[1]


def test_auto_warns_about_nothing(models: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="memveil.inference"):
        session = create_session(models["cpu"], "auto", available=[CPU])
    assert session.providers == (CPU,)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "requested auto" in caplog.records[-1].getMessage()


def test_listed_provider_that_fails_to_initialise_is_dropped(
    models: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    """The build claims CUDA (as onnxruntime-gpu on a machine without a driver does); the
    probe creates the session, CUDA does not come up, and the CPU serves."""
    with caplog.at_level(logging.WARNING, logger="memveil.inference"):
        session = create_session(models["cpu"], "cuda,cpu", available=[CUDA, CPU])
    assert session.providers == (CPU,)
    assert _run(session) == 2.0
    assert [r.getMessage() for r in caplog.records] == ["execution provider cuda failed to initialise; dropped"]


def test_npu_model_is_chosen_by_the_primary_provider_and_reverts_with_it(models: dict[str, Path]) -> None:
    """The QDQ file is for NPUs: asked for "qnn" first; once QNN fails, the CPU file is opened."""
    asked: list[str] = []

    def choose(provider: str) -> Path:
        asked.append(provider)
        return models["npu"] if provider == "qnn" else models["cpu"]

    session = create_session(choose, "qnn", available=[QNN, CPU])
    assert asked[0] == "qnn" and asked[-1] == "cpu"
    assert session.model_path == models["cpu"] and _run(session) == 2.0
    assert create_session(choose, "cpu").model_path == models["cpu"]


def test_missing_model_file_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        create_session(tmp_path / "absent.onnx", "cuda,cpu", available=[CUDA, CPU])


def test_session_options_are_tuned(models: dict[str, Path]) -> None:
    import onnxruntime as ort

    edge = create_session(models["cpu"], "cpu", threads=3, side="edge").session.get_session_options()
    assert edge.intra_op_num_threads == 3 and edge.inter_op_num_threads == 1
    assert edge.graph_optimization_level == ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    assert edge.enable_cpu_mem_arena and edge.enable_mem_pattern
    assert edge.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    spinning = create_session(models["cpu"], "cpu", spinning=True).session.get_session_options()
    assert spinning.get_session_config_entry("session.intra_op.allow_spinning") == "1"


def test_provider_options_where_they_matter() -> None:
    assert provider_options(CUDA, device_id=1) == {
        "device_id": "1",
        "cudnn_conv_algo_search": "DEFAULT",
        "do_copy_in_default_stream": "1",
    }
    assert provider_options("CoreMLExecutionProvider")["ModelFormat"] == "MLProgram"
    assert "QnnHtp" in provider_options(QNN)["backend_path"]
    assert provider_options(CPU) == {}


_NO_ORT = """
import sys
sys.modules["onnxruntime"] = None  # any `import onnxruntime` now raises ImportError
from memveil.shared.inference import select_providers, requested_providers
assert select_providers(["cuda"], ["CPUExecutionProvider"]) == (("CPUExecutionProvider",), ("cuda",))
assert requested_providers("qnn,cpu", side="edge") == (("qnn", "cpu"), True)
print("ok")
"""


def test_importable_without_onnxruntime() -> None:
    result = subprocess.run([sys.executable, "-c", _NO_ORT], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"


# --- the edge: tagger and detector pass providers through ---------------------------------


def test_tagger_and_detector_take_providers(caplog: pytest.LogCaptureFixture) -> None:
    from memveil.edge.recognizers.tagger import TaggerRecognizer
    from memveil.edge import PrivacyDetector

    text = "My sister Rebecca Thornton was diagnosed with type 2 diabetes last spring."
    with caplog.at_level(logging.WARNING, logger="memveil.inference"):
        npu = TaggerRecognizer(threads=1, providers="qnn,cpu")  # no QNN here: the CPU, int8
    assert any("qnn was requested" in r.getMessage() for r in caplog.records)
    assert npu.analyze(text) == TaggerRecognizer(threads=1).analyze(text)
    detector = PrivacyDetector(threads=1, providers="cpu")
    assert detector.tagger is not None and detector.detect(text)


# --- the service's command line --------------------------------------------------------------


def test_serve_takes_providers_and_refuses_unknown_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from memveil.shared.cli import build_parser

    args = build_parser().parse_args(["serve", "--data-dir", str(tmp_path), "--providers", "cdua,cpu"])
    assert args.providers == "cdua,cpu" and args.batch_max_size == 32 and args.batch_max_wait_ms == 2.0
    assert args.handler(args) == 2  # before any port is opened
    assert "unknown execution provider 'cdua'" in capsys.readouterr().err


def test_serve_sizes_the_embedder_from_its_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """On a many-core CPU one batch worker leaves cores idle (docs/acceleration.md): the
    operator sets the workers and the threads each call uses."""
    from memveil.cloud.commands import _embedder
    from memveil.shared.cli import build_parser

    parse = build_parser().parse_args
    args = parse(["serve", "--data-dir", str(tmp_path), "--providers", "cpu", "--batch-workers", "2", "--embed-threads", "1"])
    embedder = _embedder(args)
    try:
        assert embedder.batcher is not None and embedder.batcher.config.workers == 2
        assert embedder.session.session.get_session_options().intra_op_num_threads == 1
    finally:
        embedder.close()
    for flag in ("--batch-workers", "--embed-threads"):
        with pytest.raises(SystemExit):
            parse(["serve", "--data-dir", str(tmp_path), flag, "0"])
        assert f"argument {flag}: must be a positive integer, not '0'" in capsys.readouterr().err
