"""Where the encoder runs: a table of devices, how each backend reaches them, and the choice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Backend = Literal["onnx", "torch"]


class DeviceUnavailable(ValueError):
    """A device was asked for by name but this machine's runtime cannot reach it.

    A ValueError: it is a setting that does not fit the machine, reported like other bad
    settings (one line from the CLI, not a traceback).
    """


@dataclass(frozen=True)
class Device:
    """One place the encoder can run, and how to run well there."""

    name: str
    onnx_provider: str  # onnxruntime execution provider
    torch_device: str  # torch device type; torch.<type>.is_available() tells if present
    batch_size: int  # texts per encoder run
    # CPU: one single-threaded run per core, in parallel (see OnnxInt8MiniLM). GPU: one
    # stream of large batches; parallel host threads would only queue on the device.
    run_per_core: bool
    missing_hint: str = ""  # what to install when it is asked for and absent


DEVICES: dict[str, Device] = {
    # One text per run on the CPU: the int8 graph quantises activations over the whole
    # batch, so a text's vector would shift (cosine ~0.99) with its batch-mates and a cached
    # vector would depend on what was embedded with it. Measured on 2 cores, batches of one
    # encode as fast as batches of four (72 vs 68-70 chunks/s): single-threaded runs of
    # length-sorted texts carry no padding either way.
    "cpu": Device("cpu", "CPUExecutionProvider", "cpu", batch_size=1, run_per_core=True),
    "cuda": Device(
        "cuda", "CUDAExecutionProvider", "cuda", batch_size=64, run_per_core=False,
        missing_hint="install onnxruntime-gpu (for minilm-int8) or a CUDA build of torch "
                     "(for minilm), with an NVIDIA driver"),
}
AUTO = "auto"
AUTO_ORDER = ("cuda", "cpu")  # what `auto` tries, best first
DEVICE_CHOICES = (AUTO, *DEVICES)


def onnx_providers() -> list[str]:
    """The execution providers the installed onnxruntime offers."""
    import onnxruntime as ort

    return list(ort.get_available_providers())


def torch_reaches(device: Device) -> bool:
    """Whether the installed torch can use this device type."""
    import torch

    return bool(getattr(torch, device.torch_device).is_available())


# How each backend tells whether it can reach a device.
PROBES: dict[Backend, Callable[[Device], bool]] = {
    "onnx": lambda device: device.onnx_provider in onnx_providers(),
    "torch": torch_reaches,
}
WHAT_IT_SAW: dict[Backend, Callable[[Device], str]] = {
    "onnx": lambda device: f"onnxruntime offers only {onnx_providers()}",
    "torch": lambda device: f"torch.{device.torch_device}.is_available() is False",
}


def check_name(requested: str) -> str:
    """The device name, lower-cased, or ValueError naming the choices."""
    name = requested.strip().lower()
    if name not in DEVICE_CHOICES:
        raise ValueError(f"unknown device {requested!r}; choose one of {list(DEVICE_CHOICES)}")
    return name


def resolve_device(requested: str, backend: Backend,
                   probes: dict[Backend, Callable[[Device], bool]] = PROBES) -> Device:
    """The device to encode on: `auto` takes the best one present; a named one must be."""
    name = check_name(requested)
    probe = probes[backend]
    if name == AUTO:
        return next((DEVICES[n] for n in AUTO_ORDER if probe(DEVICES[n])), DEVICES["cpu"])
    device = DEVICES[name]
    if not probe(device):
        raise DeviceUnavailable(unavailable_message(device, backend))
    return device


def unavailable_message(device: Device, backend: Backend, seen: str | None = None) -> str:
    """Why a named device cannot be used, and what to do about it."""
    seen = seen or WHAT_IT_SAW[backend](device)
    return (f"device {device.name!r} was asked for (AVATAR_DEVICE / --device) but it is not "
            f"available here: {seen}. To use it, {device.missing_hint}; otherwise set the "
            f"device to 'auto' or 'cpu'")
