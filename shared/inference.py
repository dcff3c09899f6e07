"""Execution providers for ONNX Runtime: which hardware a model runs on, chosen once at start-up.

Both sides run ONNX models (the edge's tagger, the cloud's embedder) on whatever the device
has: a phone's or laptop's NPU (QNN, NNAPI, Core ML, OpenVINO), a server GPU (CUDA, TensorRT,
ROCm, DirectML), and always the CPU as the last resort. Configuration names providers by short
name, in order of preference, as an argument or in MEMVEIL_EXECUTION_PROVIDERS ("cuda,cpu").
A request is filtered by what the installed onnxruntime build offers, then probed by creating
the real session: a provider that is listed but fails to initialise (no driver, no device) is
dropped, with a warning, and the CPU takes over.

onnxruntime is imported inside the functions, so this module loads on either side, and in
tools that never run a model.
"""

from __future__ import annotations

import logging
import os
import platform
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import onnxruntime

__all__ = [
    "ENV_VAR",
    "GPU_PROVIDERS",
    "NPU_PROVIDERS",
    "PROVIDERS",
    "Session",
    "create_session",
    "parse_providers",
    "requested_providers",
    "select_providers",
    "short_name",
]

log = logging.getLogger("memveil.inference")

#: The environment variable that names providers when the caller does not.
ENV_VAR = "MEMVEIL_EXECUTION_PROVIDERS"
#: Short names, as configuration spells them, and ONNX Runtime's names for them.
PROVIDERS: Mapping[str, str] = {
    "cpu": "CPUExecutionProvider",
    "cuda": "CUDAExecutionProvider",
    "tensorrt": "TensorrtExecutionProvider",
    "coreml": "CoreMLExecutionProvider",
    "qnn": "QNNExecutionProvider",
    "nnapi": "NnapiExecutionProvider",
    "openvino": "OpenVINOExecutionProvider",
    "directml": "DmlExecutionProvider",
    "rocm": "ROCMExecutionProvider",
}
_SHORT = {ort_name: short for short, ort_name in PROVIDERS.items()}
#: Providers that drive NPUs: they take static-quantised (QDQ) models, not MatMulNBits ones.
NPU_PROVIDERS = frozenset({"qnn", "nnapi", "coreml", "openvino"})
#: Providers that run on a GPU (and take an fp16 model where one exists).
GPU_PROVIDERS = frozenset({"cuda", "tensorrt", "rocm", "directml"})
#: What "auto" means on each side: the accelerators worth trying there, best first.
AUTO: Mapping[str, tuple[str, ...]] = {
    "cloud": ("cuda", "rocm", "directml", "cpu"),
    "edge": ("qnn", "coreml", "nnapi", "openvino", "directml", "cpu"),
}
#: Unconfigured: the cloud takes a GPU when its build has one; the edge stays on the CPU
#: unless the app opts in, because the QDQ model NPUs take is less accurate (models/tagger).
DEFAULT: Mapping[str, str] = {"cloud": "auto", "edge": "cpu"}


def short_name(provider: str) -> str:
    """`CUDAExecutionProvider` -> `cuda`; names memveil does not know pass through as they are."""
    return _SHORT.get(provider, provider)


def parse_providers(spec: str | Iterable[str], side: str = "cloud") -> tuple[tuple[str, ...], bool]:
    """Short names from "cuda,cpu" or ["cuda", "cpu"] (spaces and case ignored, duplicates
    dropped) and whether they were asked for explicitly (False for "auto", whose absent
    providers are not worth a warning). ValueError names an unknown provider: a typo in
    deployment configuration should stop the start, not quietly run on the CPU."""
    items = spec.replace(",", " ").split() if isinstance(spec, str) else [str(s).strip() for s in spec]
    names: list[str] = []
    explicit = True
    for item in (i.lower() for i in items if i.strip()):
        if item == "auto":
            explicit = False
            names.extend(AUTO[side])
            continue
        if item not in PROVIDERS:
            raise ValueError(f"unknown execution provider {item!r}; known: auto, {', '.join(PROVIDERS)}")
        names.append(item)
    if not names:
        raise ValueError("no execution provider named")
    return tuple(dict.fromkeys(names)), explicit


def requested_providers(
    providers: str | Iterable[str] | None, side: str = "cloud", env: Mapping[str, str] | None = None
) -> tuple[tuple[str, ...], bool]:
    """What the caller asked for: the argument, else MEMVEIL_EXECUTION_PROVIDERS, else the
    side's default ("auto" on the cloud, "cpu" on the edge)."""
    if side not in AUTO:
        raise ValueError(f"side must be one of {sorted(AUTO)}, not {side!r}")
    if providers is None:
        providers = (os.environ if env is None else env).get(ENV_VAR, "").strip() or DEFAULT[side]
    return parse_providers(providers, side)


def select_providers(requested: Sequence[str], available: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Pure: (chosen ONNX Runtime names in the requested order, CPU always last; requested
    short names the build does not offer). The CPU is chosen even when not requested: it is
    the fallback every build has, and the provider ORT gives the nodes others cannot run."""
    offered = set(available)
    chosen: list[str] = []
    missing: list[str] = []
    for name in dict.fromkeys(requested):
        ort_name = PROVIDERS.get(name, name)
        if ort_name == PROVIDERS["cpu"]:
            continue
        if ort_name in offered:
            chosen.append(ort_name)
        else:
            missing.append(name)
    return (*chosen, PROVIDERS["cpu"]), tuple(missing)


def provider_options(provider: str, device_id: int = 0) -> dict[str, str]:
    """The options that matter per provider; ORT's defaults for the rest."""
    name = short_name(provider)
    if name == "cuda":
        # DEFAULT, not EXHAUSTIVE: the embedder's shapes change with every batch, and an
        # exhaustive cuDNN search per new shape costs more than it saves.
        return {"device_id": str(device_id), "cudnn_conv_algo_search": "DEFAULT", "do_copy_in_default_stream": "1"}
    if name == "tensorrt":
        cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "memveil" / "tensorrt"
        return {"device_id": str(device_id), "trt_fp16_enable": "1", "trt_engine_cache_enable": "1", "trt_engine_cache_path": str(cache)}
    if name in ("rocm", "directml"):
        return {"device_id": str(device_id)}
    if name == "coreml":
        return {"ModelFormat": "MLProgram", "MLComputeUnits": "ALL"}
    if name == "qnn":
        library = "QnnHtp.dll" if platform.system() == "Windows" else "libQnnHtp.so"
        return {"backend_path": library}
    return {}


def session_options(threads: int | None, spinning: bool, providers: Sequence[str]) -> onnxruntime.SessionOptions:
    """Graph optimisation ALL, memory arena and pattern on, `threads` intra-op threads, one
    inter-op thread; spinning off saves battery on the edge (idle workers sleep at once)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3  # warnings about unused initializers are noise here
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.enable_cpu_mem_arena = True
    # DirectML cannot run with memory patterns (ORT's documented requirement).
    options.enable_mem_pattern = PROVIDERS["directml"] not in providers
    if threads is not None:
        options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    for pool in ("intra_op", "inter_op"):
        options.add_session_config_entry(f"session.{pool}.allow_spinning", "1" if spinning else "0")
    return options


@dataclass(frozen=True)
class Session:
    """A created session, the providers it really runs on (ORT names, CPU last) and its file."""

    session: onnxruntime.InferenceSession
    providers: tuple[str, ...]
    model_path: Path

    @property
    def primary(self) -> str:
        """Short name of the provider that gets the nodes first: `cuda`, `qnn`, `cpu`..."""
        return short_name(self.providers[0])


ModelChoice = Path | str | Callable[[str], "Path | str"]


def create_session(
    model_path: ModelChoice,
    providers: str | Iterable[str] | None = None,
    threads: int | None = None,
    *,
    side: str = "cloud",
    spinning: bool = False,
    device_id: int = 0,
    available: Sequence[str] | None = None,
    extra_options: Mapping[str, Mapping[str, str]] | None = None,
) -> Session:
    """An InferenceSession on the best requested provider that works, falling back to the CPU.

    `model_path` may be a function of the primary provider's short name, for models that
    exist in several forms (the tagger's QDQ file for NPUs); it is asked again if the primary
    provider fails and another takes over. `available` defaults to what the installed build
    offers (`onnxruntime.get_available_providers()`); tests pass their own list. Logs one
    INFO line with the choice and a WARNING per requested provider that is missing or fails.
    """
    import onnxruntime as ort

    requested, explicit = requested_providers(providers, side)
    offered = ort.get_available_providers() if available is None else list(available)
    chosen, missing = select_providers(requested, offered)
    if explicit:
        for name in missing:
            log.warning("execution provider %s was requested but this onnxruntime build does not offer it", name)
    session, failed = _probe(model_path, list(chosen), threads, spinning, device_id, extra_options or {})
    for name in failed:
        log.warning("execution provider %s failed to initialise; dropped", short_name(name))
    log.info(
        "%s on %s (requested %s; threads %s)",
        session.model_path.name,
        ", ".join(session.providers),
        ",".join(requested) if explicit else "auto",
        threads if threads is not None else "default",
    )
    return session


def _resolve(model_path: ModelChoice, primary: str) -> Path:
    return Path(model_path(short_name(primary)) if callable(model_path) else model_path)


def _open(
    model_path: ModelChoice,
    providers: list[str],
    threads: int | None,
    spinning: bool,
    device_id: int,
    extra: Mapping[str, Mapping[str, str]],
) -> Session:
    import onnxruntime as ort

    path = _resolve(model_path, providers[0])
    if not path.exists():
        raise FileNotFoundError(f"model {path} is missing")
    options = [{**provider_options(p, device_id), **extra.get(short_name(p), {})} for p in providers]
    with warnings.catch_warnings():
        # ORT warns (and falls back by itself) for a provider it cannot register; we report
        # that ourselves, once, through the logger.
        warnings.simplefilter("ignore")
        session = ort.InferenceSession(
            str(path), session_options(threads, spinning, providers), providers=providers, provider_options=options
        )
    return Session(session, tuple(session.get_providers()), path)


def _probe(
    model_path: ModelChoice,
    chosen: list[str],
    threads: int | None,
    spinning: bool,
    device_id: int,
    extra: Mapping[str, Mapping[str, str]],
) -> tuple[Session, list[str]]:
    """Create the session with every chosen provider; whatever ORT did not keep has failed.
    If creation raises, each accelerator is tried alone (with the CPU) to find the culprits."""

    def attempt(providers: list[str]) -> Session:
        return _open(model_path, providers, threads, spinning, device_id, extra)

    cpu = PROVIDERS["cpu"]
    failed: list[str] = []
    try:
        session = attempt(chosen)
    except FileNotFoundError:
        raise
    except Exception:  # noqa: BLE001 - ORT raises RuntimeError, Fail, NotImplemented...
        if chosen == [cpu]:
            raise
        survivors = []
        for provider in chosen[:-1]:
            try:
                attempt([provider, cpu])
            except FileNotFoundError:
                raise
            except Exception:  # noqa: BLE001
                failed.append(provider)
            else:
                survivors.append(provider)
        chosen = [*survivors, cpu]
        try:
            session = attempt(chosen)
        except FileNotFoundError:
            raise
        except Exception:  # noqa: BLE001 - fine alone, not together: the CPU alone then
            failed.extend(survivors)
            chosen = [cpu]
            session = attempt(chosen)
    dropped = [p for p in chosen if p not in session.providers]
    failed.extend(dropped)
    if dropped and _resolve(model_path, chosen[0]) != _resolve(model_path, session.providers[0]):
        # The primary fell away and its successor takes another file (QDQ -> int8): open that.
        session = attempt(list(session.providers))
    return session, failed
