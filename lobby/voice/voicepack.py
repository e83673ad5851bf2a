"""Voice packs: the recorded clips an announcement is assembled from.

A pack is a folder of WAV files, one per clip key (``mot.wav``, ``muoi_chuc.wav``,
``letter_b.wav``, ``p_moi_cong_dan_co_so_thu_tu.wav``, ``chime.wav`` …) and a
``pack.json`` manifest listing every key with the Vietnamese text it says, so that a
centre can record its own announcer and drop the files in.  A pack may be partial:
every clip it lacks is synthesised offline with espeak-ng's Vietnamese voice (the
southern voice for region "south") and cached under ``var/voice-cache/``; a missing
chime is generated.  Nothing here needs a network or an audio device.

Clips are used as 16-bit mono PCM at 22 050 Hz (espeak-ng's own format).  A recording
in any other format is converted once with ``sox`` (and cached); each speech clip is
trimmed of leading and trailing silence and brought to the same peak level so that
recordings and synthesised words sound alike in loudness.

Build the shipped packs, one per region (the commands also used to generate them;
``make voice-pack`` runs both)::

    python -m lobby.voice.voicepack build --out display/voice/default
    python -m lobby.voice.voicepack build --out display/voice/south --voice vi-vn-x-south

Letter names are short syllables ("ét", "ích"): the builder says them slower and pads
each to at least ``MIN_LETTER_MS`` so that none is over before the ear has caught it.

Render one announcement to a WAV file::

    python -m lobby.voice.voicepack say A023 5 --out docs/announcement-sample.wav
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lobby.voice.audio import (
    CHANNELS,
    RATE,
    SAMPLE_WIDTH,
    VoicePackError,
    chime_frames,
    duration_s,
    read_standard,
    read_wav,
    silence,
    trim_and_normalise,
    write_wav,
)
from lobby.voice.speech import (
    CHIME,
    DEFAULT_TEMPLATE,
    PAUSE,
    Clip,
    all_word_clips,
    announcement_clips,
    template_phrases,
)
from lobby.voice.synth import EspeakSynthesiser, Synthesiser, voice_for_region

log = logging.getLogger(__name__)

MANIFEST = "pack.json"
SYNTH_VERSION = 1  # bump to invalidate cached synthesised clips

#: Silence inserted after each kind of clip, in milliseconds.
GAP_AFTER_CHIME_MS = 300
GAP_AFTER_PHRASE_MS = 110
GAP_BEFORE_PHRASE_MS = 320
MIN_LETTER_MS = 300  # shortest letter clip a pack is built with
LETTER_SPEED = 110  # espeak-ng words per minute for letter names (words use the synthesiser's own)
SHIPPED_PACKS = {"north": "default", "south": "south"}  # region -> folder under display/voice/
GAP_BETWEEN_WORDS_MS = 25
PAUSE_MS = 250

#: Templates whose phrases the default pack holds (the config default and a formal variant).
DEFAULT_PACK_TEMPLATES = (
    DEFAULT_TEMPLATE,
    "Kính mời công dân có số thứ tự {number} đến quầy số {counter}",
    "Xin mời công dân có số thứ tự {number} đến quầy số {counter}",
)

__all__ = [
    "RATE", "ClipSource", "EspeakSynthesiser", "Synthesiser", "VoicePack", "VoicePackError", "build_pack",
    "chime_frames", "default_pack_clips", "duration_s", "silence", "voice_for_region", "write_wav",
]


# --- the pack ------------------------------------------------------------------------


@dataclass(frozen=True)
class ClipSource:
    """Where a clip's sound came from: ``"pack"``, ``"cache"`` (synthesised), ``"generated"``."""

    key: str
    origin: str
    path: Path | None


class VoicePack:
    """A folder of recorded clips with a synthetic fallback for every missing one.

    ``folder`` may be None (everything synthesised).  ``cache_dir`` holds synthesised
    and converted clips; it is safe to delete.  Thread-safe for concurrent renders of
    different announcements (files are written atomically).
    """

    def __init__(
        self,
        folder: Path | None,
        *,
        cache_dir: Path,
        synthesiser: Synthesiser | None = None,
        voice: str = "vi",
    ) -> None:
        if folder is not None and not folder.is_dir():
            raise VoicePackError(
                f"voice pack folder {folder} does not exist; set display.voice_pack to a folder "
                "of WAV clips, or leave it empty to use the default pack"
            )
        self.folder = folder
        self.cache_dir = cache_dir
        self.synthesiser: Synthesiser = synthesiser or EspeakSynthesiser(voice)
        self._files = self._manifest_files()
        self._frames: dict[str, bytes] = {}

    def _manifest_files(self) -> dict[str, str]:
        if self.folder is None or not (self.folder / MANIFEST).exists():
            return {}
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
            return {c["key"]: c.get("file", c["key"] + ".wav") for c in data.get("clips", [])}
        except (ValueError, KeyError, TypeError) as exc:
            raise VoicePackError(
                f"{self.folder / MANIFEST}: not a valid manifest ({exc}); fix it or delete it "
                "(clips are then found as <key>.wav)"
            ) from exc

    def pack_file(self, key: str) -> Path | None:
        """The pack's own recording of ``key``, if it has one."""
        if self.folder is None:
            return None
        path = self.folder / self._files.get(key, key + ".wav")
        return path if path.is_file() else None

    def _cache_file(self, clip: Clip) -> Path:
        tag = hashlib.sha1(f"{SYNTH_VERSION}|{self.synthesiser.name}|{clip.text}".encode()).hexdigest()[:10]
        voice = self.synthesiser.name.replace(":", "_")
        return self.cache_dir / voice / f"{clip.key[:60]}-{tag}.wav"

    def source(self, clip: Clip) -> ClipSource:
        """Where ``clip`` will come from, without synthesising anything."""
        if clip.key == PAUSE:
            return ClipSource(clip.key, "generated", None)
        own = self.pack_file(clip.key)
        if own is not None:
            return ClipSource(clip.key, "pack", own)
        if clip.key == CHIME:
            return ClipSource(clip.key, "generated", None)
        return ClipSource(clip.key, "cache", self._cache_file(clip))

    def frames(self, clip: Clip) -> bytes:
        """The clip's sound (standard format), synthesising and caching it if needed."""
        memo = f"{clip.key}\0{clip.text}"
        if memo in self._frames:
            return self._frames[memo]
        src = self.source(clip)
        if clip.key == PAUSE:  # a pause's text may give its length in ms (the pause between repeats)
            frames = silence(int(clip.text) if clip.text.isdigit() else PAUSE_MS)
        elif src.origin == "pack" and src.path is not None:
            raw = read_wav(src.path, self.cache_dir)
            frames = raw if clip.key == CHIME else trim_and_normalise(raw)
        elif clip.key == CHIME:
            frames = chime_frames()
        else:
            frames = self._synthesised(clip)
        self._frames[memo] = frames
        return frames

    def _synthesised(self, clip: Clip) -> bytes:
        if not clip.text.strip():
            raise VoicePackError(f"clip {clip.key!r} has no text to synthesise")
        path = self._cache_file(clip)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".synth-", suffix=".wav", dir=path.parent)
            os.close(fd)
            try:
                self.synthesiser.synthesise(clip.text, Path(tmp))
                raw = read_wav(Path(tmp), self.cache_dir)
                write_wav(path, trim_and_normalise(raw))
            finally:
                Path(tmp).unlink(missing_ok=True)
            log.info("synthesised missing clip %s (%r) into %s", clip.key, clip.text, path)
        frames = read_standard(path)
        if frames is None:
            raise VoicePackError(f"{path}: cached clip is unreadable; delete {self.cache_dir} and retry")
        return frames

    def render(self, clips: Sequence[Clip]) -> bytes:
        """The clips joined into one announcement (frames), with short natural gaps."""
        parts: list[bytes] = []
        for i, clip in enumerate(clips):
            parts.append(self.frames(clip))
            if i == len(clips) - 1 or clip.key == PAUSE or clips[i + 1].key == PAUSE:
                continue
            if clip.key == CHIME:
                parts.append(silence(GAP_AFTER_CHIME_MS))
            elif clips[i + 1].key.startswith("p_") and not clip.key.startswith("p_"):
                parts.append(silence(GAP_BEFORE_PHRASE_MS))  # after the number, a breath before "đến quầy số"
            elif clip.key.startswith("p_") or clips[i + 1].key.startswith("p_"):
                parts.append(silence(GAP_AFTER_PHRASE_MS))
            else:
                parts.append(silence(GAP_BETWEEN_WORDS_MS))
        return b"".join(parts)

    def assemble(self, clips: Sequence[Clip], out: Path) -> Path:
        """Render ``clips`` into the WAV file ``out`` and return it."""
        return write_wav(out, self.render(clips))

    def prepare(self, clips: Iterable[Clip]) -> None:
        """Load (and synthesise if missing) clips ahead of time, e.g. the template phrases."""
        for clip in clips:
            self.frames(clip)

    def missing(self, clips: Iterable[Clip]) -> list[Clip]:
        """Clips the pack does not hold (they will be synthesised)."""
        return [c for c in clips if self.source(c).origin == "cache"]


def default_pack_clips(templates: Iterable[str] = DEFAULT_PACK_TEMPLATES) -> list[Clip]:
    """Every clip of a complete pack: number words of both regions, letters, phrases."""
    clips: dict[str, Clip] = {c.key: c for c in all_word_clips()}
    for template in templates:
        for clip in template_phrases(template):
            clips.setdefault(clip.key, clip)
    return list(clips.values())


def build_pack(
    out: Path,
    *,
    synthesiser: Synthesiser | None = None,
    templates: Iterable[str] = DEFAULT_PACK_TEMPLATES,
    command: str = "",
) -> list[Path]:
    """Generate a complete pack in ``out``: every clip, the chime and ``pack.json``."""
    synth = synthesiser or EspeakSynthesiser("vi")
    out.mkdir(parents=True, exist_ok=True)
    clips = default_pack_clips(templates)
    written: list[Path] = []
    letter_synth = EspeakSynthesiser(synth.voice, speed=LETTER_SPEED) if isinstance(synth, EspeakSynthesiser) \
        else synth
    with tempfile.TemporaryDirectory(prefix="voicepack-") as tmp:
        scratch = VoicePack(None, cache_dir=Path(tmp), synthesiser=synth)
        letters = VoicePack(None, cache_dir=Path(tmp), synthesiser=letter_synth)
        for clip in clips:
            if clip.key.startswith("letter_"):
                frames = padded(letters.frames(clip), MIN_LETTER_MS)
            else:
                frames = scratch.frames(clip)
            written.append(write_wav(out / f"{clip.key}.wav", frames))
    written.append(write_wav(out / f"{CHIME}.wav", chime_frames()))
    manifest = {
        "name": "Lobby Queue default voice pack",
        "generated_by": command or f"python -m lobby.voice.voicepack build --out {out}",
        "synthesiser": synth.name,
        "format": {"rate": RATE, "channels": CHANNELS, "bits": 8 * SAMPLE_WIDTH},
        "how_to_replace": (
            "Record each clip as a WAV file named <key>.wav saying exactly 'text' "
            f"(any WAV format works; 16-bit mono {RATE} Hz is used as is). A missing clip "
            "is synthesised with espeak-ng."
        ),
        "clips": [{"key": CHIME, "file": f"{CHIME}.wav", "text": "(chime)"}]
        + [{"key": c.key, "file": f"{c.key}.wav", "text": c.text} for c in clips],
    }
    manifest_path = out / MANIFEST
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    written.append(manifest_path)
    return written


def padded(frames: bytes, min_ms: int) -> bytes:
    """``frames`` with silence added evenly before and after, to last at least ``min_ms``."""
    lacking = int(RATE * min_ms / 1000) - len(frames) // SAMPLE_WIDTH
    if lacking <= 0:
        return frames
    before = lacking // 2
    return bytes(before * SAMPLE_WIDTH) + frames + bytes((lacking - before) * SAMPLE_WIDTH)


def shipped_pack_dir(region: str = "north") -> Path:
    """The pack shipped for ``region``: spoken by that region's espeak-ng voice."""
    return Path(__file__).resolve().parents[2] / "display" / "voice" / SHIPPED_PACKS.get(region, "default")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lobby.voice.voicepack", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="generate a complete pack with espeak-ng")
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--voice", default="vi", help="espeak-ng voice (vi, vi-vn-x-south)")
    b.add_argument("--template", action="append", default=[], help="extra template whose phrases to include")
    s = sub.add_parser("say", help="render one announcement to a WAV file")
    s.add_argument("number")
    s.add_argument("counter", type=int)
    s.add_argument("--out", type=Path, required=True)
    s.add_argument("--pack", type=Path, default=None, help="pack folder (default: the shipped pack)")
    s.add_argument("--region", choices=["north", "south"], default="north")
    s.add_argument("--template", default=DEFAULT_TEMPLATE)
    s.add_argument("--repeat", type=int, default=2, help="how many times the call is spoken (1 to 3)")
    s.add_argument("--cache", type=Path, default=Path("var") / "voice-cache")
    c = sub.add_parser("check", help="list the clips a pack lacks for a template")
    c.add_argument("--pack", type=Path, required=True)
    c.add_argument("--template", default=DEFAULT_TEMPLATE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        if args.cmd == "build":
            templates = [*DEFAULT_PACK_TEMPLATES, *args.template]
            cmd = f"python -m lobby.voice.voicepack build --out {args.out}" + (
                f" --voice {args.voice}" if args.voice != "vi" else ""
            )
            files = build_pack(args.out, synthesiser=EspeakSynthesiser(args.voice), templates=templates, command=cmd)
            print(f"wrote {len(files)} files to {args.out}")
        elif args.cmd == "say":
            folder = args.pack or shipped_pack_dir(args.region)
            pack = VoicePack(folder, cache_dir=args.cache, voice=voice_for_region(args.region))
            pack.assemble(announcement_clips(args.template, args.number, args.counter, args.region,
                                             repeat=args.repeat), args.out)
            print(f"wrote {args.out}")
        else:
            pack = VoicePack(args.pack, cache_dir=Path(tempfile.gettempdir()))
            wanted = default_pack_clips([args.template])
            lacking = pack.missing(wanted)
            for clip in lacking:
                print(f"{clip.key}.wav\t{clip.text}")
            print(f"{len(lacking)} of {len(wanted)} clips missing (they will be synthesised)")
    except (VoicePackError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
