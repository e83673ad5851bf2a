"""Voice packs: clips from the pack, synthesised fallback, cache, assembly, default pack."""

from __future__ import annotations

import json
import shutil
import wave
from pathlib import Path

import pytest

from lobby.voice.speech import CHIME, DEFAULT_TEMPLATE, Clip, announcement_clips
from lobby.voice.voicepack import (
    GAP_AFTER_CHIME_MS,
    RATE,
    EspeakSynthesiser,
    VoicePack,
    VoicePackError,
    build_pack,
    chime_frames,
    default_pack_clips,
    duration_s,
    silence,
    write_wav,
)

DEFAULT_PACK = Path(__file__).resolve().parents[2] / "display" / "voice" / "default"


class ToneSynthesiser:
    """A fake espeak-ng: writes a tone whose length encodes the text; records every call."""

    name = "tone"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def synthesise(self, text: str, out: Path) -> None:
        self.calls.append(text)
        n = 1000 * len(text)
        frames = b"".join(((8000 if i % 20 < 10 else -8000) & 0xFFFF).to_bytes(2, "little") for i in range(n))
        write_wav(out, frames)


def _tone_file(path: Path, samples: int, rate: int = RATE, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        square = (((6000 if i % 10 < 5 else -6000) & 0xFFFF).to_bytes(2, "little") for i in range(samples))
        w.writeframes(b"".join(sample * channels for sample in square))
    return path


@pytest.fixture()
def synth() -> ToneSynthesiser:
    return ToneSynthesiser()


def test_pack_clip_is_used_and_missing_one_is_synthesised_once(tmp_path: Path, synth: ToneSynthesiser) -> None:
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    _tone_file(pack_dir / "hai.wav", 4000)
    cache = tmp_path / "cache"
    pack = VoicePack(pack_dir, cache_dir=cache, synthesiser=synth)

    assert pack.source(Clip("hai", "hai")).origin == "pack"
    assert pack.source(Clip("ba", "ba")).origin == "cache"
    assert pack.source(Clip(CHIME, "")).origin == "generated"

    pack.render([Clip("hai", "hai"), Clip("ba", "ba")])
    assert synth.calls == ["ba"]
    assert len(list(cache.rglob("ba-*.wav"))) == 1

    # a second pack object over the same cache does not synthesise again
    again = VoicePack(pack_dir, cache_dir=cache, synthesiser=synth)
    again.render([Clip("ba", "ba")])
    assert synth.calls == ["ba"]


def test_missing_lists_the_clips_to_record(tmp_path: Path, synth: ToneSynthesiser) -> None:
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    _tone_file(pack_dir / "nam.wav", 2000)
    pack = VoicePack(pack_dir, cache_dir=tmp_path / "c", synthesiser=synth)
    clips = announcement_clips(DEFAULT_TEMPLATE, "A023", 5)
    assert [c.key for c in pack.missing(clips)] == [
        "p_moi_cong_dan_co_so_thu_tu",
        "letter_a",
        "hai",
        "muoi_chuc",
        "ba",
        "p_den_quay_so",
    ]


def test_assembly_is_clips_in_order_with_gaps(tmp_path: Path, synth: ToneSynthesiser) -> None:
    pack = VoicePack(None, cache_dir=tmp_path / "c", synthesiser=synth)
    clips = announcement_clips(DEFAULT_TEMPLATE, "A023", 5)
    out = pack.assemble(clips, tmp_path / "a.wav")
    with wave.open(str(out)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        frames = w.readframes(w.getnframes())
    parts = [pack.frames(c) for c in clips]
    assert frames.startswith(parts[0] + silence(GAP_AFTER_CHIME_MS) + parts[1])
    assert frames.endswith(parts[-1])
    assert synth.calls == [c.text for c in clips[1:]]  # every spoken clip synthesised, in order
    assert duration_s(frames) > sum(duration_s(p) for p in parts)


def test_foreign_format_recording_is_converted(tmp_path: Path, synth: ToneSynthesiser) -> None:
    if shutil.which("sox") is None:
        pytest.skip("sox not installed")
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    _tone_file(pack_dir / "mot.wav", 44100, rate=44100, channels=2)
    pack = VoicePack(pack_dir, cache_dir=tmp_path / "c", synthesiser=synth)
    frames = pack.frames(Clip("mot", "một"))
    assert 0.9 < duration_s(frames) <= 1.01
    assert synth.calls == []


def test_manifest_can_rename_files(tmp_path: Path, synth: ToneSynthesiser) -> None:
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    _tone_file(pack_dir / "so-hai.wav", 3000)
    (pack_dir / "pack.json").write_text(json.dumps({"clips": [{"key": "hai", "file": "so-hai.wav", "text": "hai"}]}))
    pack = VoicePack(pack_dir, cache_dir=tmp_path / "c", synthesiser=synth)
    assert pack.source(Clip("hai", "hai")).origin == "pack"


def test_missing_folder_is_an_actionable_error(tmp_path: Path) -> None:
    with pytest.raises(VoicePackError, match="display.voice_pack"):
        VoicePack(tmp_path / "nope", cache_dir=tmp_path)


def test_missing_espeak_is_an_actionable_error(tmp_path: Path) -> None:
    pack = VoicePack(None, cache_dir=tmp_path, synthesiser=EspeakSynthesiser(executable="no-such-espeak"))
    with pytest.raises(VoicePackError, match="apt install espeak-ng"):
        pack.frames(Clip("hai", "hai"))


def test_chime_is_short_and_not_silent() -> None:
    frames = chime_frames()
    assert 1.0 < duration_s(frames) < 2.0
    assert max(frames) > 0


def test_shipped_default_pack_is_complete() -> None:
    manifest = json.loads((DEFAULT_PACK / "pack.json").read_text(encoding="utf-8"))
    assert manifest["generated_by"].startswith("python -m lobby.voice.voicepack build")
    pack = VoicePack(DEFAULT_PACK, cache_dir=Path("/nonexistent-never-written"))
    assert pack.missing(default_pack_clips()) == []
    assert pack.source(Clip(CHIME, "")).origin == "pack"
    for clip in default_pack_clips():
        with wave.open(str(DEFAULT_PACK / f"{clip.key}.wav")) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
            assert w.getnframes() > RATE // 20, clip.key


def test_build_pack_writes_every_clip_and_manifest(tmp_path: Path, synth: ToneSynthesiser) -> None:
    files = build_pack(tmp_path / "p", synthesiser=synth)
    names = {f.name for f in files}
    assert {"chime.wav", "pack.json", "mot_sac.wav", "letter_dd.wav", "p_den_quay_so.wav"} <= names
    manifest = json.loads((tmp_path / "p" / "pack.json").read_text(encoding="utf-8"))
    texts = {c["key"]: c["text"] for c in manifest["clips"]}
    assert texts["mot_sac"] == "mốt"
    assert texts["p_moi_cong_dan_co_so_thu_tu"] == "Mời công dân có số thứ tự"


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_real_espeak_synthesises_vietnamese(tmp_path: Path) -> None:
    pack = VoicePack(None, cache_dir=tmp_path, synthesiser=EspeakSynthesiser("vi-vn-x-south"))
    frames = pack.frames(Clip("p_quay", "quầy"))
    assert 0.1 < duration_s(frames) < 2.0


@pytest.mark.parametrize("region", ["north", "south"])
def test_every_letter_clip_of_each_shipped_pack_is_long_enough_to_hear(region: str) -> None:
    from lobby.voice.voicepack import MIN_LETTER_MS, shipped_pack_dir

    folder = shipped_pack_dir(region)
    manifest = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    wanted_voice = "vi-vn-x-south" if region == "south" else "vi"
    assert manifest["synthesiser"].split(":")[1] == wanted_voice  # the region's own voice
    letters = [c for c in default_pack_clips() if c.key.startswith("letter_")]
    assert len(letters) == 27
    for clip in letters:
        with wave.open(str(folder / f"{clip.key}.wav")) as w:
            assert w.getnframes() / w.getframerate() >= MIN_LETTER_MS / 1000 - 0.001, (region, clip.key)


def test_a_short_clip_is_padded_evenly_and_a_long_one_left_alone() -> None:
    from lobby.voice.voicepack import padded

    short = b"\x01\x00" * (RATE // 10)  # 100 ms
    out = padded(short, 300)
    assert out == silence(100) + short + silence(100)
    assert padded(silence(500), 300) == silence(500)


def test_a_pause_clip_may_carry_its_length(tmp_path: Path, synth: ToneSynthesiser) -> None:
    pack = VoicePack(None, cache_dir=tmp_path, synthesiser=synth)
    assert abs(duration_s(pack.frames(Clip("pause", "1000"))) - 1.0) < 0.001
    assert duration_s(pack.frames(Clip("pause", ""))) < 0.5
