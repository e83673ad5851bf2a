"""The words citizens read: one form of address, never "bạn"; no line broken inside a Vietnamese word."""
from __future__ import annotations

import ast
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import ImageFont

from lobby.config import load_config
from lobby.line_breaks import break_lines, breaks_inside_a_word, words_of

ROOT = Path(__file__).resolve().parents[2]
APP_FOLDERS = ("kiosk", "counter", "display", "web", "lobby", "lobby_qt", "printer_drivers")
BAN = re.compile(r"(?<!\w)bạn(?!\w)", re.IGNORECASE)
FONT = ROOT / "lobby" / "fonts" / "DejaVuSans-Bold.ttf"


def _python_strings(path: Path) -> Iterator[str]:
    """Every string constant of a module except docstrings (those are for developers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.value


def _toml_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _toml_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _toml_strings(v)


def user_facing_strings() -> Iterator[tuple[str, str]]:
    """(where, text) of every string a citizen or official may read: app code, config, web templates."""
    for folder in APP_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for text in _python_strings(path):
                yield str(path.relative_to(ROOT)), text
    for path in sorted((ROOT / "config").glob("*.toml")):
        raw = path.read_text(encoding="utf-8")
        for text in _toml_strings(tomllib.loads(raw)):
            yield str(path.relative_to(ROOT)), text
        for line in raw.splitlines():  # the comments are read by the centre's IT officer
            if line.lstrip().startswith("#"):
                yield str(path.relative_to(ROOT)), line
    for path in sorted((ROOT / "web" / "templates").rglob("*.html")):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def test_the_scan_covers_every_catalogue() -> None:
    places = {where for where, _ in user_facing_strings()}
    for expected in ("kiosk/texts.py", "counter/texts.py", "display/texts.py", "web/texts.py", "lobby/i18n.py",
                     "lobby/receipt.py", "config/demo.toml", "config/default.toml"):
        assert expected in places
    assert any(p.startswith("web/templates/") for p in places)


def test_no_user_facing_string_says_ban() -> None:
    """Citizens are "ông/bà" or "công dân", officials are not addressed at all: never "bạn"."""
    found = [f"{where}: {text.strip()[:80]}" for where, text in user_facing_strings()
             if BAN.search(unicodedata.normalize("NFC", text))]
    assert found == []


def test_the_scan_would_catch_ban() -> None:
    assert BAN.search("Hôm nay của bạn") and BAN.search("Bạn hãy chờ") and not BAN.search("bạnh")


# --- line breaks ---------------------------------------------------------------------------------------------


def test_words_stay_whole() -> None:
    assert words_of("Hộ tịch – Lý lịch tư pháp") == ["Hộ tịch", "–", "Lý lịch", "tư pháp"]
    assert words_of("Tài nguyên và Môi trường") == ["Tài nguyên", "và", "Môi trường"]
    assert words_of("Xin cảm ơn") == ["Xin", "cảm ơn"]


def test_breaks_prefer_dashes_then_va() -> None:
    def narrow(line: str) -> bool:
        return len(line) <= 20

    assert break_lines("Giao thông vận tải – Giấy phép lái xe", narrow) == ["Giao thông vận tải", "– Giấy phép lái xe"]
    assert break_lines("Tài nguyên và Môi trường", lambda s: len(s) <= 15) == ["Tài nguyên", "và Môi trường"]
    assert break_lines("Đăng ký kinh doanh", narrow) == ["Đăng ký kinh doanh"]


def test_a_name_that_cannot_fit_asks_for_a_smaller_font() -> None:
    assert break_lines("Môi trường", lambda s: len(s) <= 5) is None
    with pytest.raises(ValueError, match="max_lines"):
        break_lines("Y tế", lambda s: True, max_lines=0)


def test_breaks_inside_a_word_are_found() -> None:
    assert breaks_inside_a_word(["Hộ tịch – Lý lịch tư", "pháp"]) == ["tư / pháp"]
    assert breaks_inside_a_word(["Tài nguyên và Môi", "trường"]) == ["Môi / trường"]
    assert breaks_inside_a_word(["Hộ tịch –", "Lý lịch tư pháp"]) == []


def _service_names() -> list[str]:
    names: set[str] = set()
    for path in sorted((ROOT / "config").glob("*.toml")):
        cfg = load_config(path)
        names |= {s.name_vi for s in cfg.services}
        names |= {c.name for c in cfg.counters if c.name}
    return sorted(names)


def _fits(face: ImageFont.FreeTypeFont, width: int) -> Callable[[str], bool]:
    return lambda text: face.getlength(text) <= width


@pytest.mark.parametrize("px", [22, 28, 34, 40, 48])
@pytest.mark.parametrize("width", [220, 300, 380, 460, 560])
def test_every_configured_name_at_every_tile_size_breaks_between_words(px: int, width: int) -> None:
    face = ImageFont.truetype(str(FONT), px)
    names = _service_names()
    assert len(names) >= 10
    for name in names:
        lines = None
        size = px
        while lines is None and size >= 12:  # what the tile does: shrink until the name fits whole
            face = ImageFont.truetype(str(FONT), size)
            lines = break_lines(name, _fits(face, width))
            size -= 2
        assert lines is not None, (name, width, px)
        assert " ".join(lines) == " ".join(name.split())
        assert breaks_inside_a_word(lines) == [], (name, lines)
        assert all(face.getlength(line) <= width for line in lines)


def test_keep_words_joins_the_syllables_of_a_word() -> None:
    from lobby.line_breaks import NBSP, keep_words

    kept = keep_words("Trung tâm Phục vụ hành chính công tỉnh Bình An")
    assert kept == f"Trung{NBSP}tâm Phục{NBSP}vụ hành{NBSP}chính công tỉnh Bình{NBSP}An"
    assert kept.replace(NBSP, " ") == "Trung tâm Phục vụ hành chính công tỉnh Bình An"
