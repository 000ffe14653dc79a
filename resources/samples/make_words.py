"""Synthesise the sample audio dataset resources/samples/words/: spoken command words, fully offline.

Each clip is one of the six command words of the users' brief ("yes", "no", "up", "down", "left",
"right") spoken by the espeak-ng speech synthesiser (https://github.com/espeak-ng/espeak-ng, GPL-3; Debian
package ``espeak-ng``) with a voice, accent, variant, pitch and speed drawn at random per clip.
The synthesiser's 22,050 Hz output is trimmed of silence, resampled to 16 kHz with Edgeling's own
resampler, given a random gain, placed at a random offset in a 1.0 s clip, and mixed with background noise
(white, brown-ish or hum-and-hiss, 25 to 45 dB below the word, one clip in four 10 to 20 dB below),
so that no two clips are the same. Written as 16 kHz mono 16-bit FLAC (lossless; the same samples as a
WAV at about half the size, so 390 clips fit in a few MB): ``words/yes/yes_007.flac``.

The FLAC files are committed (the app uses them as they are); this script documents how they were made and
remakes them deterministically (fixed seed) on a machine with espeak-ng installed:
    python resources/samples/make_words.py
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf

from edgeling.core.data.resample import resample

WORDS = ("yes", "no", "up", "down", "left", "right")
PER_WORD = 65
RATE = 16000
CLIP_S = 1.0
SEED = 20261122
VOICES = ("en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-029", "en-gb-x-gbclan", "en-gb-x-gbcwmd",
          "en-us-nyc")
VARIANTS = ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5", "klatt", "klatt2",
            "croak", "grandma", "grandpa", "steph", "linda", "ed")
OUT = Path(__file__).resolve().parent / "words"


def speak(word: str, voice: str, pitch: int, speed: int, folder: Path) -> tuple[np.ndarray, int]:
    wav = folder / "say.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(speed), "-w", str(wav), word],
                   check=True, capture_output=True)
    data, sr = sf.read(wav, dtype="float32")
    return data, sr


def trim(x: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    loud = np.flatnonzero(np.abs(x) > threshold * np.abs(x).max())
    return x[loud[0]:loud[-1] + 1] if len(loud) else x


def noise(rng: np.random.Generator, n: int) -> np.ndarray:
    """Unit-RMS background: white hiss, brown-ish rumble, or mains hum (50/60 Hz and harmonics) with hiss."""
    white = rng.standard_normal(n)
    kind = rng.random()
    if kind < 0.4:
        return white
    if kind < 0.8:
        brown = np.cumsum(white)
        brown -= np.convolve(brown, np.ones(401) / 401, mode="same")   # keep it from drifting
        return brown / (brown.std() + 1e-9)
    t = np.arange(n) / RATE
    f0 = rng.choice((50.0, 60.0))
    hum = sum(np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 2 * np.pi)) / k for k in (1, 2, 3))
    mix = hum / hum.std() + 0.3 * white
    return mix / mix.std()


def make_clip(rng: np.random.Generator, word: str, tmp: Path) -> np.ndarray:
    voice = f"{rng.choice(VOICES)}+{rng.choice(VARIANTS)}"
    speech, sr = speak(word, voice, int(rng.integers(15, 86)), int(rng.integers(110, 221)), tmp)
    speech = resample(trim(speech), sr, RATE)
    length = int(RATE * CLIP_S)
    speech = speech[:length - 160]
    speech = speech / (np.abs(speech).max() + 1e-9) * rng.uniform(0.1, 0.8)
    clip = np.zeros(length, np.float32)
    start = int(rng.integers(80, length - len(speech) - 79))
    clip[start:start + len(speech)] = speech
    speech_rms = np.sqrt(np.mean(speech ** 2))
    below_db = rng.uniform(10, 20) if rng.random() < 0.25 else rng.uniform(25, 45)   # some clips noisier
    clip += (noise(rng, length) * speech_rms * 10 ** (-below_db / 20)).astype(np.float32)
    return np.clip(clip, -1, 1)


def main() -> None:
    if shutil.which("espeak-ng") is None:
        raise SystemExit("espeak-ng is not installed (Debian/Ubuntu: apt-get install espeak-ng)")
    rng = np.random.default_rng(SEED)
    if OUT.exists():
        shutil.rmtree(OUT)
    with tempfile.TemporaryDirectory() as tmp:
        for word in WORDS:
            (OUT / word).mkdir(parents=True)
            for i in range(PER_WORD):
                clip = make_clip(rng, word, Path(tmp))
                sf.write(OUT / word / f"{word}_{i:03d}.flac", clip, RATE, subtype="PCM_16", format="FLAC")
    print(f"wrote {len(WORDS) * PER_WORD} clips to {OUT}")


if __name__ == "__main__":
    main()
