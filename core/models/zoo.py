"""The architecture registry: which networks suit which data, their size knobs, front ends and builders.

Imports without torch (the GUI process lists architectures and knobs): each family lives in
``edgeling.core.models.families.<arch>`` and imports torch only inside its ``build``.

A model is fully described by plain data: ``arch`` (an id below), ``knobs`` (its size knobs) and
``frontend`` (the JSON config ``fit_frontend`` returns, with its normalisation statistics). Front ends
run outside the network in numpy (``apply_frontend``), identically in training, prediction and export.

Network input layouts (torch, batch first): images and audio features ``(N, C, H, W)``; sensor windows
for ``conv1d`` ``(N, C, 1, T)`` (a 1-D CNN written as Conv2d with H = 1, so it lowers to TFLite as is);
dense nets ``(N, F)``. Output: logits ``(N, num_classes)``; ``(N, 1)`` for regression; the reference
``fc_autoencoder`` returns its reconstruction ``(N, F)``.

Convolutions use TFLite "same" padding exactly: where torch's symmetric padding differs from it, the
conv is preceded by an ``nn.ZeroPad2d`` (see ``families/layers.py``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np

from edgeling.core.data.dataset import KINDS, DataError
from edgeling.core.models import frontends
from edgeling.core.models import signal_features as sf

# arch id -> module under edgeling.core.models.families. Per kind, ``architectures_for`` lists them in
# this order: smallest first (by parameters at the default size; a test holds it).
FAMILIES: dict[str, str] = {
    "tutorial_cnn": "edgeling.core.models.families.tutorial_cnn",
    "resnet8": "edgeling.core.models.families.resnet8",
    "mobilenet_v1": "edgeling.core.models.families.mobilenet_v1",
    "mobilenet_v2": "edgeling.core.models.families.mobilenet_v2",
    "ds_cnn": "edgeling.core.models.families.ds_cnn",
    "audio_cnn": "edgeling.core.models.families.audio_cnn",
    "spectral_dense": "edgeling.core.models.families.spectral_dense",
    "conv1d": "edgeling.core.models.families.conv1d",
    "mlp": "edgeling.core.models.families.mlp",
    "fc_autoencoder": "edgeling.core.models.families.fc_autoencoder",
}


DATASET_FACTS = frozenset({"subjects", "few_subjects", "subject_by_file", "subjects_from", "cross_label_duplicates"})
"""``Dataset.meta`` keys about the files themselves (which speakers are in the test split, which photos are
copies under two labels), kept out of the model's spec: an exported file must not carry file or speaker names."""


@dataclass
class InputSpec:
    """What a model needs to know about the data; plain and JSON-able."""

    kind: str
    task: str
    num_classes: int
    sample_shape: tuple
    """Dataset layout of one sample: images (H, W, C) uint8; table (F,); timeseries (T, C); audio (T,)."""
    meta: dict = field(default_factory=dict)
    class_names: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sample_shape = tuple(int(d) for d in self.sample_shape)
        self.num_classes = int(self.num_classes)

    @classmethod
    def from_dataset(cls, ds) -> InputSpec:
        """The spec of a dataset; its meta without ``DATASET_FACTS`` (facts about these files, not about how to
        prepare a new one), as the spec goes into run.json, exported files' metadata and model cards."""
        meta = {k: v for k, v in ds.meta.items() if k not in DATASET_FACTS}
        return cls(kind=ds.kind, task=ds.task, num_classes=ds.num_classes, sample_shape=ds.sample_shape,
                   meta=meta, class_names=list(ds.class_names))

    def to_dict(self) -> dict:
        return {"kind": self.kind, "task": self.task, "num_classes": self.num_classes,
                "sample_shape": list(self.sample_shape), "meta": dict(self.meta),
                "class_names": list(self.class_names)}

    @classmethod
    def from_dict(cls, d: dict) -> InputSpec:
        return cls(kind=d["kind"], task=d["task"], num_classes=d["num_classes"],
                   sample_shape=tuple(d["sample_shape"]), meta=dict(d.get("meta", {})),
                   class_names=list(d.get("class_names", [])))

    @property
    def num_outputs(self) -> int:
        return 1 if self.task == "regression" else self.num_classes


def family(arch: str) -> ModuleType:
    """The family module of ``arch`` (plain data and ``build``); DataError for an unknown id."""
    if arch not in FAMILIES:
        raise DataError(f"Unknown model architecture {arch!r}. Choose one of: {', '.join(FAMILIES)}.")
    return importlib.import_module(FAMILIES[arch])


def all_architectures(include_reference: bool = False) -> list[str]:
    return [a for a in FAMILIES if include_reference or not family(a).REFERENCE_ONLY]


def architectures_for(kind: str) -> list[str]:
    """Architecture ids offered for this kind of data, smallest first."""
    if kind not in KINDS:
        raise DataError(f"Unknown kind of data {kind!r}; choose one of {', '.join(KINDS)}.")
    return [a for a in all_architectures() if kind in family(a).KINDS]


def describe(arch: str) -> str:
    """One plain sentence for the GUI."""
    return family(arch).DESCRIPTION


KNOB_HELP = {
    "width": "How many filters or units each layer has: more can learn more, but is bigger and slower.",
    "alpha": "Width multiplier: the share of the full model's filters kept (0.25 is a quarter).",
    "depth": "How many layers the model stacks.",
    "blocks": "How many separable-convolution blocks the model stacks.",
    "repeats": "How many of the middle blocks are kept (1 to 5): fewer makes the model smaller.",
    "resolution": "The side, in pixels, pictures are resized to before the model sees them.",
    "last_channels": "Filters in the last layer before the decision: fewer makes the model much smaller.",
    "kernel": "How many samples each filter looks at at once.",
    "dropout": "Share of units switched off at random while training, against learning the training set "
               "by heart (not used in predictions).",
    "features": "How a clip becomes a sound picture: log-mel (energy per pitch band) or MFCC (its compact "
                "summary).",
    "n_mels": "How many pitch bands the sound picture has.",
    "n_mfcc": "How many MFCC numbers are kept per frame.",
    "win_ms": "Length of each sound frame, in milliseconds.",
    "hop_ms": "Step between sound frames, in milliseconds.",
    "n_fft": "FFT length in samples (empty: the frame length rounded up to a power of 2).",
    "mel_scale": "The pitch scale convention: htk or slaney.",
    "n_bands": "How many frequency bands each sensor channel is summarised into.",
    "orientation": "axes: use each axis as recorded; axes+magnitude: add the overall strength of each "
                   "3-axis sensor; invariant: only features that do not change with how the device is held.",
    "highpass_hz": "Ignore slow changes below this frequency (empty: keep everything).",
    "lowpass_hz": "Ignore fast changes above this frequency (empty: keep everything).",
    "bottleneck": "Units in the autoencoder's narrowest layer.",
}


def describe_knobs(arch: str, spec: InputSpec) -> dict[str, str]:
    """One plain sentence per setting of ``arch`` (for tooltips), in the order of ``default_knobs``."""
    return {k: KNOB_HELP.get(k, k) for k in default_knobs(arch, spec)}


def _check_kind(arch: str, spec: InputSpec) -> ModuleType:
    fam = family(arch)
    if spec.kind not in fam.KINDS:
        raise DataError(f"The {arch} model is made for {' or '.join(fam.KINDS)} data, not {spec.kind}. "
                        f"Choose one of: {', '.join(architectures_for(spec.kind))}.")
    return fam


def size_grid(arch: str, spec: InputSpec) -> list[dict]:
    """Knob dicts from small to large capacity, ordered by a rough multiply-accumulate count (each
    complete: every knob of the family is set). Sizes that cannot suit the data (an image resolution
    above the imported one, a 1-D CNN deeper than the window allows) are left out."""
    fam = _check_kind(arch, spec)
    base = fam.default_knobs(spec)
    return [{**base, **k} for k in fam.size_grid(spec)]


def default_knobs(arch: str, spec: InputSpec) -> dict:
    return dict(_check_kind(arch, spec).default_knobs(spec))


def resolve_knobs(arch: str, spec: InputSpec, knobs: dict | None) -> dict:
    """The defaults overridden by ``knobs``; DataError naming any knob the family does not have."""
    base = default_knobs(arch, spec)
    knobs = dict(knobs or {})
    unknown = sorted(set(knobs) - set(base))
    if unknown:
        raise DataError(f"The {arch} model has no setting called {', '.join(unknown)}. "
                        f"Its settings are: {', '.join(sorted(base))}.")
    full = {**base, **knobs}
    for name, value in knobs.items():
        _check_knob(arch, name, value, base[name])
    return full


# knobs whose value is one of a few words
CHOICES = {"features": ("logmel", "mfcc"), "mel_scale": ("htk", "slaney"), "orientation": sf.ORIENTATION_MODES}


def _check_knob(arch: str, name: str, value: Any, default: Any) -> None:
    bad = None
    if name in CHOICES:
        if value not in CHOICES[name]:
            bad = f"one of {', '.join(CHOICES[name])}"
    elif name.endswith("_hz"):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or value <= 0):
            bad = "a frequency above 0 Hz, or empty for none"
    elif name == "n_fft":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 8):
            bad = "a whole number of samples (8 or more), or empty to choose it from the frame length"
    elif name == "dropout":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
            bad = "a number from 0 up to (not including) 1"
    elif isinstance(default, int | float) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0 or \
                (isinstance(default, int) and value != int(value)) or (name == "repeats" and value > 5):
            bad = "a whole number above 0" if isinstance(default, int) else "a number above 0"
    if bad:
        raise DataError(f"The {arch} setting {name} = {value!r} cannot be used; it must be {bad}.")


def fit_frontend(arch: str, spec: InputSpec, x_train: np.ndarray, knobs: dict) -> dict:
    """The JSON-able front-end config for ``arch`` at ``knobs``, with normalisation statistics computed
    on ``x_train`` (training samples in dataset layout)."""
    fam = _check_kind(arch, spec)
    options = fam.frontend_options(spec, resolve_knobs(arch, spec, knobs))
    x_train = np.asarray(x_train)
    if x_train.ndim != len(spec.sample_shape) + 1 or tuple(x_train.shape[1:]) != spec.sample_shape:
        raise DataError(f"The training samples have shape {tuple(x_train.shape[1:])}, but this model was "
                        f"set up for samples of shape {spec.sample_shape}. Import the data again.")
    if len(x_train) == 0:
        raise DataError("There are no training samples to compute the input normalisation from. "
                        "Add more files, or give the training split a larger share.")
    return frontends.fit(options, spec.to_dict(), x_train)


def apply_frontend(frontend: dict, x: np.ndarray) -> np.ndarray:
    """A batch in dataset layout -> the network's input (float32, torch layout). Numpy only."""
    return frontends.apply(frontend, x)


def network_input_shape(frontend: dict, spec: InputSpec) -> tuple:
    """The network's input for one sample (torch layout, no batch dimension)."""
    return tuple(int(d) for d in frontends.output_shape(frontend, spec.to_dict()))


def build_model(arch: str, spec: InputSpec, knobs: dict, frontend: dict) -> Any:
    """A fresh (untrained) ``torch.nn.Module`` for ``arch`` at ``knobs``, taking the front end's output."""
    fam = _check_kind(arch, spec)
    full = resolve_knobs(arch, spec, knobs)
    return fam.build(spec, full, network_input_shape(frontend, spec))


def catalogue() -> list[dict]:
    """Every offered architecture as plain data (for the GUI and ``--json`` listings)."""
    return [{"arch": a, "kinds": list(family(a).KINDS), "description": describe(a)}
            for a in all_architectures()]
