"""The synthetic fallback for clips a voice pack lacks: espeak-ng's Vietnamese voice, offline."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Protocol

from lobby.voice.audio import VoicePackError


class Synthesiser(Protocol):
    """Writes ``text`` spoken as a WAV file at ``out``."""

    name: str

    def synthesise(self, text: str, out: Path) -> None: ...


class EspeakSynthesiser:
    """espeak-ng's Vietnamese voice, offline.  ``voice`` is ``vi`` or ``vi-vn-x-south``."""

    def __init__(self, voice: str = "vi", speed: int = 140, executable: str = "espeak-ng") -> None:
        self.voice = voice
        self.speed = speed
        self.executable = executable
        self.name = f"espeak-ng:{voice}:{speed}"

    def synthesise(self, text: str, out: Path) -> None:
        exe = shutil.which(self.executable)
        if exe is None:
            raise VoicePackError(
                f"cannot synthesise {text!r}: {self.executable} is not installed. "
                "Install espeak-ng (apt install espeak-ng) or record the clip into the voice pack."
            )
        cmd = [exe, "-v", self.voice, "-s", str(self.speed), "-w", str(out), "--", text]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=30)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            err = getattr(exc, "stderr", b"") or b""
            raise VoicePackError(
                f"espeak-ng failed for {text!r} with voice {self.voice!r}: "
                f"{err.decode(errors='replace').strip() or exc}. "
                "Check that the voice exists: espeak-ng --voices=vi"
            ) from exc


def voice_for_region(region: str) -> str:
    """The espeak-ng voice used for a region's missing clips."""
    return "vi-vn-x-south" if region == "south" else "vi"
