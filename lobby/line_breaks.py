"""Where a Vietnamese line may break: between words, never inside one.

Vietnamese writes a space between syllables, so a plain word wrap happily splits
"Lý lịch tư / pháp", "Môi / trường" or "kinh / doanh" – each a single word of two
syllables.  ``break_lines`` keeps the words of ``WORDS`` whole, prefers to break
before a dash, then before "và" or after a comma, and otherwise between words; when
no such break fits the width, it returns None and the caller shrinks the font.  Used
by the kiosk's service tiles and by the ticket, each with its own way of measuring.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from itertools import combinations

#: Words of two or three syllables found in a centre's service names, notices and tickets.
WORDS: frozenset[str] = frozenset({
    "an ninh", "bảo hiểm", "bảo trợ", "bình an", "bưu chính", "cảm ơn", "cán bộ", "chính sách", "chứng thực",
    "công an", "công chứng", "công dân", "công nghệ", "công thương", "cư trú", "dân tộc", "dịch vụ", "doanh nghiệp",
    "du lịch", "đăng ký", "đất đai", "đầu tư", "điện tử", "giá trị", "giao thông", "giáo dục", "giấy phép",
    "giấy tờ", "hành chính", "hộ khẩu", "hộ tịch", "hồ sơ", "hợp tác", "kế hoạch", "kết quả", "khiếu nại",
    "khoa học", "kinh doanh", "lái xe", "lao động", "lấy số", "lý lịch", "môi trường", "một cửa", "ngoại vụ",
    "người có công", "nhà ở", "nội vụ", "nông nghiệp", "phát triển", "phục vụ", "quốc tịch", "quy hoạch",
    "tài chính", "tài nguyên", "tạm trú", "thể thao", "thông tin", "thời gian", "thủ tục", "thương binh",
    "thứ tự", "tiếp nhận", "tố cáo", "trả kết quả", "trung tâm", "truyền thông", "tư pháp", "tư vấn", "ưu tiên",
    "văn hóa", "vận tải", "xã hội", "xây dựng", "y tế", "ngân hàng", "hải quan", "kho bạc", "đô thị", "cấp đổi",
    "cấp lại", "bất động sản", "theo dõi", "lượt chờ", "quét mã", "trong ngày", "thành phố", "ghi nhớ", "hợp lệ",
    "bảo vệ", "cập nhật", "kết nối", "in lại", "chú ý", "màn hình", "gọi số", "vui lòng", "hài lòng", "đánh giá",
})
DASHES = frozenset({"–", "—", "-"})
_MAX_LINES = 4


def _key(syllable: str) -> str:
    return unicodedata.normalize("NFC", syllable).strip(",.;:!?()«»“”\"'").lower()


def words_of(text: str) -> list[str]:
    """``text`` cut into words: the syllables of a word in ``WORDS`` stay together (longest match first)."""
    syllables = unicodedata.normalize("NFC", text).split()
    out: list[str] = []
    i = 0
    while i < len(syllables):
        for size in (3, 2, 1):
            chunk = syllables[i:i + size]
            if len(chunk) == size and (size == 1 or " ".join(_key(s) for s in chunk) in WORDS):
                out.append(" ".join(chunk))
                i += size
                break
    return out


def break_cost(before: str, after: str) -> int:
    """How well a line breaks between two words: 0 before a dash, 1 before "và" or after a comma, 3 elsewhere;
    a line never ends on a dash or on "và"."""
    if after in DASHES:
        return 0
    if before in DASHES or _key(before) == "và":
        return 99
    if _key(after) == "và" or before.endswith(","):
        return 1
    return 3


def _candidates(words: list[str], max_lines: int) -> Iterator[tuple[int, ...]]:
    for n in range(min(max_lines, len(words))):
        yield from combinations(range(1, len(words)), n)


def break_lines(text: str, fits: Callable[[str], bool], max_lines: int = 3) -> list[str] | None:
    """``text`` in at most ``max_lines`` lines that each ``fits``, broken only between words; None when none does.

    Among the breakings that fit, the one with the fewest lines wins, then the best breaks (``break_cost``),
    then the most even line lengths."""
    if not 1 <= max_lines <= _MAX_LINES:
        raise ValueError(f"max_lines must be 1 to {_MAX_LINES}, got {max_lines}")
    words = words_of(text)
    if not words:
        return []
    best: tuple[tuple[int, int, int], list[str]] | None = None
    for cuts in _candidates(words, max_lines):
        bounds = (0, *cuts, len(words))
        lines = [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
        if not all(fits(line) for line in lines):
            continue
        cost = sum(break_cost(words[c - 1], words[c]) for c in cuts)
        score = (len(lines), cost, max(len(ln) for ln in lines) - min(len(ln) for ln in lines))
        if best is None or score < best[0]:
            best = (score, lines)
        if len(lines) == 1:
            break
    return None if best is None else best[1]


def breaks_inside_a_word(lines: list[str]) -> list[str]:
    """The line ends of ``lines`` that split a word of ``WORDS`` ("kinh / doanh"); empty when every break is
    between words (what the tests check of every screen and ticket)."""
    bad: list[str] = []
    for upper, lower in zip(lines, lines[1:], strict=False):
        tail, head = upper.split(), lower.split()
        if not tail or not head:
            continue
        for left in (1, 2):
            for right in (1, 2):
                if left + right > 3 or len(tail) < left or len(head) < right:
                    continue
                pair = " ".join(_key(s) for s in tail[-left:] + head[:right])
                if pair in WORDS:
                    bad.append(f"{' '.join(tail[-left:])} / {' '.join(head[:right])}")
    return bad


NBSP = "\u00a0"


def keep_words(text: str) -> str:
    """``text`` with the syllables of each word of ``WORDS`` joined by no-break spaces, so that a widget's own
    word wrap (Qt's) breaks only between words: "Bình An", "hành chính" stay on one line."""
    return " ".join(word.replace(" ", NBSP) for word in words_of(text))
