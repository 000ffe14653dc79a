"""Run a model exported by Edgeling on a Raspberry Pi, a phone-class Linux board or a PC, without Edgeling.

Edgeling writes this file next to an exported .tflite or .onnx model of pictures or sound clips. It prepares an input
exactly as Edgeling did when it trained and checked the model (decoding, resizing or resampling, the log-mel features,
the same numbers), runs the model and says the answer. Everything it needs is in the model's card,
``<model>.card.json``, which must stay next to the model.

On the device, once (Raspberry Pi OS, 64-bit), in a Python environment of its own (since Bookworm, Raspberry Pi OS
lets pip install only into one):

    python3 -m venv ~/edgeling-env
    ~/edgeling-env/bin/python -m pip install numpy soundfile ai-edge-litert    # sound, a .tflite model
    ~/edgeling-env/bin/python -m pip install numpy pillow ai-edge-litert       # pictures, a .tflite model
    (onnxruntime instead of ai-edge-litert for a .onnx model)

Then:

    ~/edgeling-env/bin/python edgeling_run.py words.tflite clip1.wav clip2.wav   # the answer for each file

or from your own Python program:

    from edgeling_run import Model
    model = Model("words.tflite")
    answer = model.predict("clip1.wav")      # {"label": "yes", "confidence": 0.97, "top": [...]}
    x = model.prepare("clip1.wav")           # the model's input, if you run the model yourself

``soundfile`` is only needed for sound files other than plain WAV; ``pillow`` only for pictures. Nothing here uses the
network, and ONNX Runtime's telemetry (which it queues to send to Microsoft from version 1.29 on) is switched off
before it starts. Checked (``scripts/runner_pythons.py`` in Edgeling's repository, on a PC, not on a Pi) with Python
3.9 (Raspberry Pi OS Bullseye's; ai-edge-litert 2.1.0, numpy 2.0), 3.11 (Bookworm's) and 3.12: the same answers as
Edgeling on the bundled words and digits samples."""

from __future__ import annotations

import io
import json
import math
import os
import sys
import wave
from pathlib import Path

os.environ["ORT_DISABLE_TELEMETRY"] = "1"     # before ONNX Runtime starts: no queue, no device id, nothing sent

import numpy as np

RUNNER_VERSION = 1
DAMAGED = "{} is damaged or incomplete (a copy cut short?): copy it again from the folder Edgeling exported it to."


class RunnerError(Exception):
    """A plain-words problem: a missing package, card or file."""


# ------------------------------------------------------------------------------------------------ model
class Model:
    def __init__(self, model_path):
        self.path = Path(model_path)
        card_path = Path(str(self.path) + ".card.json")
        try:
            self.card = json.loads(card_path.read_text(encoding="utf-8"))
        except OSError:
            raise RunnerError(f"{card_path.name} is missing: keep the card Edgeling wrote next to {self.path.name}."
                              ) from None
        except ValueError:      # cut short or edited: not JSON any more (also not UTF-8)
            self.card = None
        if not isinstance(self.card, dict) or not isinstance(self.card.get("frontend"), dict):
            raise RunnerError(DAMAGED.format(card_path.name))
        self.kind = self.card.get("data_kind")
        if self.kind not in ("images", "audio"):
            raise RunnerError(f"This script prepares pictures and sound clips; {self.path.name} reads "
                              f"{self.kind} data. Prepare its input as its card ({Path(self.path).name}.card.md) "
                              "describes.")
        self.frontend = self.card["frontend"]
        self.meta = self.card.get("data_meta") or {}
        self.labels = [str(c) for c in self.card.get("classes") or []]
        self.task = self.card.get("task", "classification")
        self._session = _open(self.path)

    def inputs(self, path) -> list:
        """The model's inputs for one file: float32 in the layout the file reads (int8 inputs are quantized by
        ``run``); one, or for a model of long recordings cut into clips, one per clip (silent ones left out)."""
        if self.kind == "images":
            return [self._input(load_picture(path, int(self.meta["image_size"][0]),
                                             int(self.meta.get("channels", 3)) == 1))]
        rate, most = int(self.meta["sample_rate"]), int(self.meta.get("clips_per_prediction") or 600)
        length, cut = int(round(float(self.meta["clip_s"]) * rate)), self.meta.get("cut") == "clips of each recording"
        clips = read_spread(path, rate, length, most) if cut else None       # hours of sound: only where the clips are
        if clips is None:
            sound = load_sound(path, rate)
            if not cut:
                return [self._input(fit_clip(sound, length))]
            count = len(sound) // length
            starts = range(0, count * length, length) if 1 < count <= most else [0] if count <= 1 else \
                np.round(np.linspace(0, len(sound) - length, most)).astype(int)     # at most 600, spread evenly
            clips = [np.pad(sound[s:s + length], (0, length - len(sound[s:s + length]))) for s in starts]
        return [self._input(c) for c in ([c for c in clips if np.abs(c).max() >= 1e-3] or clips[:1])]

    def prepare(self, path) -> np.ndarray:
        """The model's (first) input for one file (``inputs``)."""
        return self.inputs(path)[0]

    def _input(self, sample) -> np.ndarray:
        feats = features(self.frontend, sample)
        feats = (feats - np.asarray(self.frontend["mean"], np.float64)) / np.asarray(self.frontend["std"], np.float64)
        return to_file_layout(feats, self.kind, self.card.get("input_layout"))

    def run(self, x: np.ndarray) -> np.ndarray:
        """The model's outputs (probabilities for a classifier) for one prepared input."""
        return self._session(x[None].astype(np.float32))

    def predict(self, path) -> dict:
        outs = [self.run(x).astype(np.float64).reshape(-1) for x in self.inputs(path)]
        if self.task == "regression":
            return {"value": float(outs[0][0])}
        probs = np.mean([o / max(float(o.sum()), 1e-12) for o in outs], axis=0)     # a recording's clips: averaged
        order = np.argsort(-probs, kind="stable")[:3]
        top = [{"label": self.labels[i] if i < len(self.labels) else str(i), "confidence": float(probs[i])}
               for i in order]
        return {"label": top[0]["label"], "confidence": top[0]["confidence"], "top": top}


def _open(path: Path):
    """A function from a float32 input batch of one to the float outputs, in the model's own runtime."""
    if not path.is_file():
        raise RunnerError(f"{path} does not exist.")
    if path.suffix.lower() == ".onnx":
        try:
            import onnxruntime as ort
        except ImportError:
            raise RunnerError("ONNX Runtime is not installed: python3 -m pip install onnxruntime") from None
        try:
            ort.disable_telemetry_events()      # Windows' event tracing
        except Exception:  # noqa: BLE001 - a build without the switch
            pass
        try:
            session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
            name = session.get_inputs()[0].name
        except Exception:  # noqa: BLE001 - ONNX Runtime's own error types (InvalidProtobuf, Fail, ...)
            raise RunnerError(DAMAGED.format(path.name)) from None
        return lambda x: np.asarray(session.run(None, {name: x})[0][0], np.float32)
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        try:
            from tflite_runtime.interpreter import Interpreter
        except ImportError:
            raise RunnerError("LiteRT is not installed: python3 -m pip install ai-edge-litert") from None
    try:
        interp = Interpreter(model_path=str(path))
        interp.allocate_tensors()
        inp, out = interp.get_input_details()[0], interp.get_output_details()[0]
    except Exception:  # noqa: BLE001 - LiteRT says ValueError / RuntimeError ("not a valid Flatbuffer buffer")
        raise RunnerError(DAMAGED.format(path.name)) from None

    def run(x: np.ndarray) -> np.ndarray:
        if inp["dtype"] == np.int8:
            scale, zero = inp["quantization"]
            x = np.clip(np.round(x / scale + zero), -128, 127).astype(np.int8)
        interp.set_tensor(inp["index"], x)
        interp.invoke()
        y = interp.get_tensor(out["index"])[0]
        if out["dtype"] == np.int8:
            scale, zero = out["quantization"]
            return (y.astype(np.float32) - zero) * scale
        return y.astype(np.float32)
    return run


# ---------------------------------------------------------------------------------------------- pictures
def load_picture(path, side: int, grey: bool) -> np.ndarray:
    """(side, side, C) uint8: EXIF rotation applied, transparency on white, 16-bit scaled to 8, the short
    side scaled to ``side`` and the centre cut out (bilinear)."""
    try:
        from PIL import Image, ImageOps
    except ImportError:
        raise RunnerError("Pillow is not installed: python3 -m pip install pillow") from None
    mode = "L" if grey else "RGB"
    try:
        im = Image.open(io.BytesIO(Path(path).read_bytes()))
    except (OSError, ValueError) as e:
        if isinstance(e, FileNotFoundError):
            raise RunnerError("the file does not exist") from None
        raise RunnerError("it could not be read as a picture (a PNG, JPEG, BMP or WebP file?)") from None
    if im.format in ("JPEG", "MPO"):
        w, h = im.size
        s = min(w, h)
        if s > 2 * side:
            im.draft(mode, (math.ceil(w * side / s), math.ceil(h * side / s)))
    im.load()
    if im.getexif().get(0x0112, 1) != 1:
        im = ImageOps.exif_transpose(im)
    im = _to_mode(im, mode, Image)
    w, h = im.size
    s = min(w, h)
    if (w, h) != (side, side):
        im = im.resize((side, side), Image.BILINEAR, box=((w - s) / 2, (h - s) / 2, (w + s) / 2, (h + s) / 2))
    arr = np.asarray(im, dtype=np.uint8)
    return arr[:, :, None] if arr.ndim == 2 else arr


def _to_mode(im, mode: str, Image):
    if im.mode in ("I", "I;16", "I;16L", "I;16B", "I;16N", "F"):
        a = np.asarray(im).astype(np.float64)
        top = 65535.0 if im.mode.startswith("I;16") or a.max(initial=0) > 255 else 255.0
        if im.mode == "F" and a.max(initial=0) <= 1.0:
            top = 1.0
        im = Image.fromarray(np.clip(a * (255.0 / top) + 0.5, 0, 255).astype(np.uint8), "L")
    if im.mode == mode:
        return im
    if im.mode in ("RGBA", "LA", "La", "RGBa", "PA") or (im.mode in ("P", "L", "RGB") and "transparency" in im.info):
        rgba = im.convert("RGBA")
        im = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    return im.convert(mode)


def resize_matrix(n_in: int, n_out: int) -> np.ndarray:
    """Antialiased bilinear resize weights (n_out, n_in), as Pillow's BILINEAR."""
    scale = n_in / n_out
    support = max(scale, 1.0)
    centres = (np.arange(n_out) + 0.5) * scale
    pos = np.arange(n_in) + 0.5
    w = np.maximum(0.0, 1.0 - np.abs(pos[None, :] - centres[:, None]) / support)
    return w / w.sum(axis=1, keepdims=True)


# ------------------------------------------------------------------------------------------------ sound
def load_sound(path, rate: int) -> np.ndarray:
    """Mono float32 in [-1, 1] at ``rate`` samples per second (the mean of the channels; resampled with a
    Kaiser-windowed sinc filter, as Edgeling does)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise RunnerError("the file does not exist") from None
    if not data:
        raise RunnerError("the file is empty (0 bytes)")
    try:
        import soundfile
    except ImportError:
        samples, sr = _read_wav(data)
    else:
        try:
            samples, sr = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
        except Exception:  # noqa: BLE001 - soundfile raises several kinds; any means "not sound it can read"
            raise RunnerError("it could not be read as sound (a WAV or FLAC file?)") from None
    if samples.size == 0:
        raise RunnerError("the file has no sound in it (0 samples)")
    return _mono_at(samples, int(sr), rate)


def _mono_at(samples: np.ndarray, sr: int, rate: int) -> np.ndarray:
    channels = samples.shape[1]
    mono = samples @ np.full(channels, 1.0 / channels, np.float32) if channels > 1 else samples[:, 0]
    mono = np.clip(np.nan_to_num(mono, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0).astype(np.float32)
    return mono if sr == rate else np.clip(resample(mono, sr, rate), -1.0, 1.0)


LONG_READ_S = 600.0


def read_spread(path, rate: int, length: int, most: int):
    """The ``most`` clips spread evenly over a recording longer than ``LONG_READ_S`` (an hour read whole: ~900 MB),
    read stretch by stretch as Edgeling does: the same samples as ``load_sound``. None: read the file whole."""
    try:
        import soundfile
        with soundfile.SoundFile(str(path)) as f:
            sr, frames = f.samplerate, f.frames
            up, down = rate // math.gcd(sr, rate), sr // math.gcd(sr, rate)
            n_out, step = -(-frames * up // down), down * (32 if sr != rate else 1)   # on 32 resampler steps
            pad = int(np.ceil(32 / (0.945 * min(1, up / down)))) + 2 * down + 2        # the filter's reach
            if frames <= LONG_READ_S * sr or n_out // length <= most:
                return None
            clips = []
            for s in np.round(np.linspace(0, n_out - length, most)).astype(int).tolist():
                f.seek(max(0, (s * down // up - pad) // step * step))
                first, block = f.tell(), f.read(-(-length * down // up) + 2 * pad + 2 * step, dtype="float32",
                                                always_2d=True)
                piece = _mono_at(block, sr, rate)[s - first * up // down:][:length]
                clips.append(np.pad(piece, (0, length - len(piece))))
            return clips
    except Exception:  # noqa: BLE001 - no soundfile, or a file it cannot read: load_sound says why
        return None


def _read_wav(data: bytes):
    """A PCM WAV file without soundfile: (frames, channels) float32, rate."""
    try:
        with wave.open(io.BytesIO(data)) as w:
            width, channels, sr = w.getsampwidth(), w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError):
        raise RunnerError("it is not a plain PCM WAV file (for other sound files: python3 -m pip install "
                          "soundfile)") from None
    if width == 1:
        x = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        x = ((b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8).astype(np.float32) / 8388608.0
    else:
        dtype = {2: "<i2", 4: "<i4"}[width]
        x = np.frombuffer(raw, dtype).astype(np.float32) / float(2 ** (8 * width - 1))
    return x[: len(x) // channels * channels].reshape(-1, channels), sr


def fit_clip(signal: np.ndarray, length: int) -> np.ndarray:
    """Silence added at the end, or the loudest ``length`` samples."""
    n = len(signal)
    if n == length:
        return signal.astype(np.float32)
    if n < length:
        out = np.zeros(length, np.float32)
        out[:n] = signal
        return out
    energy = np.concatenate([[0.0], np.cumsum(np.square(signal, dtype=np.float64))])
    window = energy[length:] - energy[:-length]
    start = int(np.argmax(window > window.max() * (1 - 1e-9)))
    return np.ascontiguousarray(signal[start:start + length], dtype=np.float32)


def resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    """Band-limited resampling: a polyphase Kaiser-windowed sinc (32 zero crossings, beta 8.6)."""
    g = math.gcd(sr_in, sr_out)
    up, down = sr_out // g, sr_in // g
    cutoff = 0.945 * min(1.0, up / down)
    half = int(np.ceil(32 / cutoff))
    n_out = -(-len(x) * up // down)
    padded = np.concatenate([np.zeros(half - 1, np.float32), np.asarray(x, np.float32), np.zeros(half + 1, np.float32)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half)
    t = np.arange(-half + 1, half + 1, dtype=np.float64)[None, :] - (np.arange(up) / up)[:, None]
    u = np.clip(t / half, -1.0, 1.0)
    table = cutoff * np.sinc(cutoff * t) * (np.i0(8.6 * np.sqrt(1.0 - u * u)) / np.i0(8.6))
    table = (table / table.sum(axis=1, keepdims=True)).astype(np.float32)     # one row of weights per phase
    out = np.empty(n_out, np.float32)
    for r in range(min(up, n_out)):        # outputs r, r + up, ... share a phase, ``down`` inputs apart (the
        base, phase = divmod(r * down, up)  # walker: 36 s for a 3-minute 48 kHz file, weights made per output)
        count = len(range(r, n_out, up))
        out[r::up] = windows[base:base + (count - 1) * down + 1:down] @ table[phase]
    return out


def _hz_to_mel(f, scale: str):
    f = np.asarray(f, dtype=np.float64)
    if scale == "htk":
        return 2595.0 * np.log10(1.0 + f / 700.0)
    return np.where(f >= 1000.0, 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0), f / (200.0 / 3))


def _mel_to_hz(m, scale: str):
    m = np.asarray(m, dtype=np.float64)
    if scale == "htk":
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    return np.where(m >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0)), (200.0 / 3) * m)


def mel_filterbank(rate: int, n_fft: int, n_mels: int, fmin: float, fmax: float, scale: str) -> np.ndarray:
    freqs = np.fft.rfftfreq(n_fft, d=1.0 / rate)
    pts = _mel_to_hz(np.linspace(_hz_to_mel(fmin, scale), _hz_to_mel(fmax, scale), n_mels + 2), scale)
    fb = np.zeros((len(freqs), n_mels))
    for m in range(n_mels):
        lo, mid, hi = pts[m], pts[m + 1], pts[m + 2]
        fb[:, m] = np.maximum(0.0, np.minimum((freqs - lo) / max(mid - lo, 1e-12), (hi - freqs) / max(hi - mid, 1e-12)))
        if scale == "slaney":
            fb[:, m] *= 2.0 / (hi - lo)
    return fb


def sound_features(cfg: dict, clip: np.ndarray) -> np.ndarray:
    """(frames, n): the natural log of mel power (periodic Hann frames, no centring), floored; MFCC: then
    the orthonormal DCT-II."""
    win, hop, n_fft = int(cfg["win_length"]), int(cfg["hop_length"]), int(cfg["n_fft"])
    x = clip.astype(np.float64)
    if len(x) < win:
        x = np.pad(x, (0, win - len(x)))
    count = 1 + max(len(x) - win, 0) // hop
    frames = x[np.arange(count)[:, None] * hop + np.arange(win)[None, :]]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(win) / win)
    power = np.abs(np.fft.rfft(frames * window, n=n_fft, axis=-1)) ** 2
    fb = mel_filterbank(int(cfg["sample_rate"]), n_fft, int(cfg["n_mels"]), float(cfg["fmin"]), float(cfg["fmax"]),
                        cfg.get("mel_scale", "htk"))
    logmel = np.log(np.maximum(power @ fb, float(cfg["log_floor"])))
    if cfg["features"] != "mfcc":
        return logmel
    n_in, n_out = int(cfg["n_mels"]), int(cfg["n_mfcc"])
    d = np.cos(np.pi / n_in * (np.arange(n_in)[:, None] + 0.5) * np.arange(n_out)[None, :]) * np.sqrt(2.0 / n_in)
    d[:, 0] *= np.sqrt(0.5)
    return logmel @ d


# ------------------------------------------------------------------------------------------------ shared
def features(cfg: dict, sample: np.ndarray) -> np.ndarray:
    """The front end's features of one sample, before standardising: (h, w, C) or (frames, n)."""
    if cfg["type"] == "audio":
        return sound_features(cfg, sample)
    img = sample.astype(np.float64) * float(cfg["scale"])
    if list(cfg["size"]) != list(cfg["input_size"]):
        rh = resize_matrix(int(cfg["input_size"][0]), int(cfg["size"][0]))
        rw = resize_matrix(int(cfg["input_size"][1]), int(cfg["size"][1]))
        img = np.einsum("oh,hwc,pw->opc", rh, img, rw, optimize=True)
    return img


def to_file_layout(feats: np.ndarray, kind: str, layout: str | None) -> np.ndarray:
    """Standardised features as the file reads them: pictures (h, w, C) -> NCHW for ONNX, NHWC for TFLite;
    sound (frames, n) -> (1, frames, n) for ONNX, (frames, n, 1) for TFLite."""
    f = np.asarray(feats, np.float32)
    if kind == "images":
        return np.ascontiguousarray(f.transpose(2, 0, 1) if layout == "NCHW" else f)
    return np.ascontiguousarray(f[None] if layout == "NCHW" else f[:, :, None])


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0] in ("-h", "--help"):
        print(__doc__.strip().split("\n\n")[0] + "\n\nUsage: python3 edgeling_run.py MODEL FILE [FILE ...]")
        return 0 if args[:1] in (["-h"], ["--help"]) else 2
    try:
        model = Model(args[0])
    except Exception as e:  # noqa: BLE001 - on a device, a plain line (a RunnerError's words), never a traceback
        said = str(e) if isinstance(e, RunnerError) else f"{args[0]}: cannot be opened: {type(e).__name__}: {e}"
        print((said.splitlines() or [""])[0], file=sys.stderr)
        return 2
    failed = 0
    for name in args[1:]:
        try:
            answer = model.predict(name)
        except (RunnerError, OSError, ValueError) as e:
            print(f"{name}: not predicted: {e}", file=sys.stderr)
            failed += 1
            continue
        except Exception as e:  # noqa: BLE001 - on a device, a plain line per file, never a traceback
            print(f"{name}: not predicted: {type(e).__name__}: {e}", file=sys.stderr)
            failed += 1
            continue
        if "value" in answer:
            print(f"{name}: {answer['value']:.4g}")
        else:
            print(f"{name}: {answer['label']} ({answer['confidence']:.0%})")
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
