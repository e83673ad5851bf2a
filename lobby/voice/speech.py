"""How the hallway announcement is read aloud, as words and as voice-pack clip keys.

No Qt and no audio here: this module turns numbers, ticket numbers and the config
template into *what is said*; :mod:`lobby.voice.voicepack` turns that into sound.

Numbers are read the Vietnamese way (``number_words``):

* 10 ``mười``; 11 ``mười một``; 15 ``mười lăm``; 20 ``hai mươi``; 21 ``hai mươi mốt``;
  25 ``hai mươi lăm``; 105 ``một trăm linh năm`` (north) / ``một trăm lẻ năm`` (south);
  1000 ``một nghìn`` (north) / ``một ngàn`` (south); 1023 ``một nghìn không trăm hai
  mươi ba``.
* "mốt" replaces "một" after ``mươi`` (21, 31 …), never after ``mười`` (11) or
  ``linh``/``lẻ`` (101).  "lăm" replaces "năm" after ``mười``/``mươi`` (15, 25), never
  alone or after ``linh``/``lẻ`` (5, 105).
* "tư" replaces "bốn" after ``mươi`` (24 ``hai mươi tư``) in the northern reading; the
  southern reading keeps ``hai mươi bốn``, the form announcers in the South use.  After
  ``mười`` both regions say ``mười bốn``.
* Inside a big number every three-digit group after the first is read in full:
  ``không trăm`` for a missing hundred, ``linh``/``lẻ`` for a missing ten.  Groups that
  are all zeros are skipped (1 000 000 ``một triệu``).

Ticket numbers (``ticket_words``): letters are read by their Vietnamese names (A ``a``,
B ``bê``, C ``xê``, D ``dê``, Đ ``đê`` …) and each run of digits as one whole number,
without the zero padding: ``A023`` → ``a hai mươi ba``, ``B105`` → ``bê một trăm linh
năm``.  Reading the whole number is what Vietnamese announcers and the recorded voices of
bank and hospital queue systems do; it is shorter than reading digit by digit (``a không
hai ba``), and it is the number the citizen sees in large type on the ticket, so the two
match.  A run of zeros alone is read ``không``.

The announcement (``announcement_clips``) is the template from the config with
``{number}``, ``{counter}`` and optionally ``{service}`` filled in, cut into *clips*: one
per fixed phrase of the template, one per number word and letter, and a ``pause`` at
each comma or full stop.  A clip has a stable ASCII ``key`` (the file name in a voice
pack) and the Vietnamese ``text`` that it says (what a centre records, or what
espeak-ng synthesises when the recording is missing).
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from typing import Literal

Region = Literal["north", "south"]
REGIONS: tuple[str, ...] = ("north", "south")

#: The key of the chime played before every announcement.
CHIME = "chime"
#: The key of a short silence (a comma or full stop in the template).
PAUSE = "pause"

DEFAULT_TEMPLATE = "Mời công dân có số thứ tự {number} đến quầy số {counter}"
PLACEHOLDERS = ("number", "counter", "service")

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")

#: Every number word, its clip key.  Keys are ASCII so that pack files are portable.
WORD_KEYS: dict[str, str] = {
    "không": "khong",
    "một": "mot",
    "hai": "hai",
    "ba": "ba",
    "bốn": "bon",
    "năm": "nam",
    "sáu": "sau",
    "bảy": "bay",
    "tám": "tam",
    "chín": "chin",
    "mười": "muoi",  # ten (10-19)
    "mươi": "muoi_chuc",  # "-ty" after a digit (20, 30 …)
    "mốt": "mot_sac",  # one after mươi (21)
    "lăm": "lam",  # five after mười / mươi (15, 25)
    "tư": "tu",  # four after mươi, northern (24)
    "trăm": "tram",
    "linh": "linh",
    "lẻ": "le",
    "nghìn": "nghin",
    "ngàn": "ngan",
    "triệu": "trieu",
    "tỷ": "ty",
}

#: Vietnamese names of the letters that can appear in a ticket number.
LETTER_NAMES: dict[str, str] = {
    "A": "a",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "Đ": "đê",
    "E": "e",
    "F": "ép phờ",
    "G": "giê",
    "H": "hát",
    "I": "i",
    "J": "gi",
    "K": "ca",
    "L": "e lờ",
    "M": "em mờ",
    "N": "en nờ",
    "O": "o",
    "P": "pê",
    "Q": "quy",
    "R": "e rờ",
    "S": "ét xì",
    "T": "tê",
    "U": "u",
    "V": "vê",
    "W": "vê kép",
    "X": "ích xì",
    "Y": "i dài",
    "Z": "dét",
}

_REGION_WORDS: dict[str, dict[str, str]] = {
    "north": {"thousand": "nghìn", "zero_ten": "linh", "four_after_tens": "tư"},
    "south": {"thousand": "ngàn", "zero_ten": "lẻ", "four_after_tens": "bốn"},
}

_MAX = 10**12


@dataclass(frozen=True)
class Clip:
    """One piece of an announcement: ``key`` names the WAV file, ``text`` is what it says."""

    key: str
    text: str


def _check_region(region: str) -> dict[str, str]:
    try:
        return _REGION_WORDS[region]
    except KeyError:
        raise ValueError(
            f"region must be 'north' or 'south', not {region!r} (set display.region in the config)"
        ) from None


def _tens_and_units(n: int, words: dict[str, str], *, padded: bool) -> list[str]:
    """Read 0 <= n < 100.  ``padded``: inside a group after a hundred (105 → linh năm)."""
    tens, units = divmod(n, 10)
    if n == 0:
        return []
    if tens == 0:
        return [words["zero_ten"], _DIGITS[units]] if padded else [_DIGITS[units]]
    out = ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 0:
        return out
    if units == 5:
        out.append("lăm")
    elif units == 1 and tens >= 2:
        out.append("mốt")
    elif units == 4 and tens >= 2:
        out.append(words["four_after_tens"])
    else:
        out.append(_DIGITS[units])
    return out


def _group(n: int, words: dict[str, str], *, leading: bool) -> list[str]:
    """Read 0 < n < 1000.  A group that is not the leading one says its zero hundred."""
    hundreds, rest = divmod(n, 100)
    if leading and hundreds == 0:
        return _tens_and_units(rest, words, padded=False)
    return [_DIGITS[hundreds], "trăm", *_tens_and_units(rest, words, padded=True)]


def number_word_list(n: int, region: str = "north") -> list[str]:
    """The words of ``n`` (0 <= n < 10**12) as a list, e.g. ``["hai", "mươi", "mốt"]``."""
    words = _check_region(region)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number_words expects an int, not {type(n).__name__}")
    if not 0 <= n < _MAX:
        raise ValueError(f"number_words reads 0 to {_MAX - 1:,}, not {n:,}")
    if n == 0:
        return ["không"]
    scales = ["", words["thousand"], "triệu", "tỷ"]
    groups: list[int] = []
    while n:
        n, g = divmod(n, 1000)
        groups.append(g)
    out: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        g = groups[index]
        if g == 0:
            continue
        out += _group(g, words, leading=not out)
        if scales[index]:
            out.append(scales[index])
    return out


def number_words(n: int, region: str = "north") -> str:
    """``n`` read the Vietnamese way, e.g. ``number_words(105, "south") == "một trăm lẻ năm"``.

    ``region`` is ``"north"`` (nghìn, linh, hai mươi tư) or ``"south"`` (ngàn, lẻ,
    hai mươi bốn).  Raises ``ValueError`` outside 0 … 10**12 - 1 or for another region.
    """
    return " ".join(number_word_list(n, region))


_TOKEN = re.compile(r"[0-9]+|[^\W\d_]", re.UNICODE)


def ticket_word_list(number: str, region: str = "north") -> list[str]:
    """Words of a ticket number: letters by name, each digit run as a whole number."""
    _check_region(region)
    text = unicodedata.normalize("NFC", number).strip().upper()
    tokens = _TOKEN.findall(text)
    if not tokens:
        raise ValueError(f"ticket number {number!r} has no letter or digit to read")
    out: list[str] = []
    for token in tokens:
        if token.isdigit():
            out += number_word_list(int(token), region)
        elif token in LETTER_NAMES:
            out.append(LETTER_NAMES[token])
        else:
            raise ValueError(
                f"ticket number {number!r}: cannot read the letter {token!r}; "
                "use the letters A-Z or Đ in the number prefix"
            )
    return out


def ticket_words(number: str, region: str = "north") -> str:
    """``"A023"`` → ``"a hai mươi ba"``; ``"B105"`` → ``"bê một trăm linh năm"`` (north)."""
    return " ".join(ticket_word_list(number, region))


def slug(text: str) -> str:
    """ASCII file-name key for a phrase: ``"Mời công dân"`` → ``"moi_cong_dan"``."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    ascii_text = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    return ascii_text or "blank"


def phrase_key(text: str) -> str:
    """Clip key of a fixed phrase of the template (prefix ``p_``)."""
    return "p_" + slug(text)


def word_clip(word: str) -> Clip:
    """The clip of one number word (``"mươi"``) or letter name (``"bê"``)."""
    if word in WORD_KEYS:
        return Clip(WORD_KEYS[word], word)
    for letter, name in LETTER_NAMES.items():
        if name == word:
            return Clip("letter_" + slug(letter if letter != "Đ" else "dd"), name)
    raise ValueError(f"no clip for the word {word!r}")


def letter_clip(letter: str) -> Clip:
    """The clip of a letter: ``"B"`` → ``Clip("letter_b", "bê")``; ``"Đ"`` → ``letter_dd``."""
    up = letter.upper()
    if up not in LETTER_NAMES:
        raise ValueError(f"no Vietnamese name for the letter {letter!r}")
    return Clip("letter_" + ("dd" if up == "Đ" else slug(up)), LETTER_NAMES[up])


def number_clips(n: int, region: str = "north") -> list[Clip]:
    """Clips for a whole number (a counter number), e.g. 15 → [muoi, lam]."""
    return [word_clip(w) for w in number_word_list(n, region)]


def ticket_clips(number: str, region: str = "north") -> list[Clip]:
    """Clips for a ticket number, e.g. ``"A023"`` → [letter_a, hai, muoi_chuc, ba]."""
    _check_region(region)
    text = unicodedata.normalize("NFC", number).strip().upper()
    out: list[Clip] = []
    for token in _TOKEN.findall(text):
        out += number_clips(int(token), region) if token.isdigit() else [letter_clip(token)]
    if not out:
        raise ValueError(f"ticket number {number!r} has no letter or digit to read")
    return out


def check_template(template: str) -> None:
    """Raise ``ValueError`` naming the problem if the template cannot be announced."""
    fields = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"display.template: {exc}; write placeholders as {{number}}") from None
    for _literal, field, spec, conv in parsed:
        if field is None:
            continue
        if field not in PLACEHOLDERS or spec or conv:
            raise ValueError(
                f"display.template: unknown placeholder {{{field}}}; "
                "use {number}, {counter} and optionally {service}"
            )
        fields.append(field)
    for needed in ("number", "counter"):
        if needed not in fields:
            raise ValueError(f"display.template must contain {{{needed}}}")


def _literal_clips(literal: str) -> list[Clip]:
    out: list[Clip] = []
    for part in re.split(r"([,.;:!?…])", unicodedata.normalize("NFC", literal)):
        phrase = " ".join(part.split())
        if re.fullmatch(r"[,.;:!?…]", phrase):
            if not out or out[-1].key != PAUSE:
                out.append(Clip(PAUSE, ""))
            continue
        phrase = re.sub(r"^[\W_]+|[\W_]+$", "", phrase)
        if phrase:
            out.append(Clip(phrase_key(phrase), phrase))
    return out


def template_phrases(template: str) -> list[Clip]:
    """The fixed phrases of a template (what a voice pack must hold for it)."""
    check_template(template)
    return [
        clip
        for literal, _f, _s, _c in string.Formatter().parse(template)
        for clip in _literal_clips(literal)
        if clip.key != PAUSE
    ]


def announcement_clips(
    template: str,
    number: str,
    counter: int,
    region: str = "north",
    *,
    service_name: str | None = None,
    chime: bool = True,
    repeat: int = 1,
    repeat_pause_ms: int = 1000,
) -> list[Clip]:
    """The announcement as an ordered list of clips: chime, phrases, words; the words ``repeat`` times
    (a citizen who missed the first hearing gets a second), ``repeat_pause_ms`` of silence between.

    >>> [c.key for c in announcement_clips(DEFAULT_TEMPLATE, "A023", 5)]
    ['chime', 'p_moi_cong_dan_co_so_thu_tu', 'letter_a', 'hai', 'muoi_chuc', 'ba', \
'p_den_quay_so', 'nam']
    """
    check_template(template)
    out: list[Clip] = [Clip(CHIME, "")] if chime else []
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        out += _literal_clips(literal)
        if field == "number":
            out += ticket_clips(number, region)
        elif field == "counter":
            out += number_clips(counter, region)
        elif field == "service" and service_name:
            out.append(Clip(phrase_key(service_name), " ".join(service_name.split())))
    out = _tidy_pauses(out)
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, got {repeat}")
    words = out[1:] if chime else out
    for _ in range(repeat - 1):
        out = [*out, Clip(PAUSE, str(repeat_pause_ms)), *words]
    return out


def _tidy_pauses(clips: list[Clip]) -> list[Clip]:
    """No pause at the start (or right after the chime), at the end, or twice in a row."""
    out: list[Clip] = []
    for clip in clips:
        if clip.key == PAUSE and (not out or out[-1].key in (PAUSE, CHIME)):
            continue
        out.append(clip)
    while out and out[-1].key == PAUSE:
        out.pop()
    return out


def announcement_text(
    template: str, number: str, counter: int, *, service_name: str | None = None
) -> str:
    """The sentence as written (for the screen and logs): digits, not words."""
    check_template(template)
    text = template.format(number=number, counter=counter, service=service_name or "")
    return unicodedata.normalize("NFC", " ".join(text.split()))


def all_word_clips() -> list[Clip]:
    """Every number word and letter clip, both regions: what a complete pack holds."""
    clips = [Clip(key, word) for word, key in WORD_KEYS.items()]
    clips += [letter_clip(letter) for letter in LETTER_NAMES]
    return clips
