"""Sound as the voice packs use it: 16-bit mono PCM at 22 050 Hz, WAV files in and out (other formats
converted once with sox), clips trimmed and levelled, and the generated chime."""
from __future__ import annotations

import array
import hashlib
import math
import os
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

RATE = 22050


CHANNELS = 1


SAMPLE_WIDTH = 2


_PEAK = 0.70  # speech clips are normalised to this share of full scale


_TRIM_THRESHOLD = 0.02


_TRIM_KEEP_MS = 15


class VoicePackError(Exception):
    """A pack, clip or synthesiser problem, with what to do about it."""


def silence(ms: int) -> bytes:
    return bytes(int(RATE * ms / 1000) * SAMPLE_WIDTH)


def duration_s(frames: bytes) -> float:
    return len(frames) / (RATE * SAMPLE_WIDTH * CHANNELS)


def samples_of(frames: bytes) -> array.array[int]:
    a = array.array("h")
    a.frombytes(frames)
    if sys.byteorder == "big":
        a.byteswap()
    return a


def frames_of(samples: array.array[int]) -> bytes:
    if sys.byteorder == "big":
        samples = array.array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def trim_and_normalise(frames: bytes, peak: float = _PEAK) -> bytes:
    """Cut leading/trailing silence and scale so the loudest sample is ``peak`` of full scale.

    Clips already at the level (the shipped pack) are only trimmed, which is fast.
    """
    s = samples_of(frames)
    if not s:
        return frames
    top = max(max(s), -min(s))
    if top == 0:
        return b""
    limit = top * _TRIM_THRESHOLD
    first = next(i for i, v in enumerate(s) if abs(v) > limit)
    last = len(s) - next(i for i, v in enumerate(reversed(s)) if abs(v) > limit)
    keep = int(RATE * _TRIM_KEEP_MS / 1000)
    s = s[max(0, first - keep) : min(len(s), last + keep)]
    gain = peak * 32767 / top
    if abs(gain - 1.0) < 0.05:
        return frames_of(s)
    return frames_of(array.array("h", (max(-32768, min(32767, int(v * gain))) for v in s)))


def write_wav(path: Path, frames: bytes) -> Path:
    """Write standard-format frames atomically (a reader never sees a half file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".wav", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh, wave.open(fh, "wb") as w:
            w.setnchannels(CHANNELS)
            w.setsampwidth(SAMPLE_WIDTH)
            w.setframerate(RATE)
            w.writeframes(frames)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_standard(path: Path) -> bytes | None:
    """Frames of ``path`` if it already is 16-bit mono RATE PCM, else None."""
    try:
        with wave.open(str(path), "rb") as w:
            if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (CHANNELS, SAMPLE_WIDTH, RATE):
                return None
            return w.readframes(w.getnframes())
    except (wave.Error, EOFError):
        return None


def read_wav(path: Path, cache_dir: Path) -> bytes:
    """Frames of a WAV clip in the standard format, converting it once with sox if needed."""
    frames = read_standard(path)
    if frames is not None:
        return frames
    st = path.stat()
    tag = hashlib.sha1(f"{path.resolve()}|{st.st_mtime_ns}|{st.st_size}".encode()).hexdigest()[:12]
    converted = cache_dir / "converted" / f"{path.stem}-{tag}.wav"
    if not converted.exists():
        sox = shutil.which("sox")
        if sox is None:
            raise VoicePackError(
                f"{path}: not 16-bit mono {RATE} Hz PCM and sox is not installed to convert it. "
                f"Convert it (sox in.wav -r {RATE} -c 1 -b 16 out.wav) or install sox."
            )
        converted.parent.mkdir(parents=True, exist_ok=True)
        tmp = converted.with_suffix(".tmp.wav")
        proc = subprocess.run(
            [sox, str(path), "-r", str(RATE), "-c", "1", "-b", "16", "-e", "signed-integer", str(tmp)],
            capture_output=True,
            timeout=60,
        )
        if proc.returncode != 0:
            tmp.unlink(missing_ok=True)
            raise VoicePackError(
                f"{path}: cannot read this audio file ({proc.stderr.decode(errors='replace').strip()}). "
                f"Record it as a WAV file, 16-bit mono {RATE} Hz."
            )
        os.replace(tmp, converted)
    frames = read_standard(converted)
    if frames is None:
        raise VoicePackError(f"{converted}: conversion produced an unreadable file; delete it and retry")
    return frames


def chime_frames() -> bytes:
    """A soft three-note bell (C5, E5, G5), about 1.4 s, generated in pure Python."""
    notes = [(523.25, 0.00), (659.25, 0.28), (783.99, 0.56)]
    length = int(RATE * 1.45)
    out = [0.0] * length
    for freq, start in notes:
        first = int(start * RATE)
        for i in range(length - first):
            t = i / RATE
            env = math.exp(-3.2 * t) * min(1.0, t / 0.008)
            v = (
                math.sin(2 * math.pi * freq * t)
                + 0.35 * math.sin(2 * math.pi * 2 * freq * t) * math.exp(-4 * t)
                + 0.12 * math.sin(2 * math.pi * 3.01 * freq * t) * math.exp(-6 * t)
            )
            out[first + i] += env * v
    top = max(abs(v) for v in out)
    fade = int(RATE * 0.05)
    samples = array.array("h")
    for i, v in enumerate(out):
        f = min(1.0, (length - i) / fade)
        samples.append(int(v / top * 0.55 * 32767 * f))
    return frames_of(samples)
