"""Vietnamese number reading, ticket numbers and the announcement as clips."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest

from lobby.voice.speech import (
    CHIME,
    DEFAULT_TEMPLATE,
    PAUSE,
    WORD_KEYS,
    all_word_clips,
    announcement_clips,
    announcement_text,
    check_template,
    number_words,
    template_phrases,
    ticket_words,
)

# n, northern reading, southern reading
NUMBERS: list[tuple[int, str, str]] = [
    (0, "không", "không"),
    (1, "một", "một"),
    (4, "bốn", "bốn"),
    (5, "năm", "năm"),
    (7, "bảy", "bảy"),
    (9, "chín", "chín"),
    (10, "mười", "mười"),
    (11, "mười một", "mười một"),
    (14, "mười bốn", "mười bốn"),
    (15, "mười lăm", "mười lăm"),
    (19, "mười chín", "mười chín"),
    (20, "hai mươi", "hai mươi"),
    (21, "hai mươi mốt", "hai mươi mốt"),
    (23, "hai mươi ba", "hai mươi ba"),
    (24, "hai mươi tư", "hai mươi bốn"),
    (25, "hai mươi lăm", "hai mươi lăm"),
    (30, "ba mươi", "ba mươi"),
    (31, "ba mươi mốt", "ba mươi mốt"),
    (44, "bốn mươi tư", "bốn mươi bốn"),
    (55, "năm mươi lăm", "năm mươi lăm"),
    (71, "bảy mươi mốt", "bảy mươi mốt"),
    (99, "chín mươi chín", "chín mươi chín"),
    (100, "một trăm", "một trăm"),
    (101, "một trăm linh một", "một trăm lẻ một"),
    (104, "một trăm linh bốn", "một trăm lẻ bốn"),
    (105, "một trăm linh năm", "một trăm lẻ năm"),
    (110, "một trăm mười", "một trăm mười"),
    (111, "một trăm mười một", "một trăm mười một"),
    (115, "một trăm mười lăm", "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt", "một trăm hai mươi mốt"),
    (200, "hai trăm", "hai trăm"),
    (305, "ba trăm linh năm", "ba trăm lẻ năm"),
    (999, "chín trăm chín mươi chín", "chín trăm chín mươi chín"),
    (1000, "một nghìn", "một ngàn"),
    (1001, "một nghìn không trăm linh một", "một ngàn không trăm lẻ một"),
    (1005, "một nghìn không trăm linh năm", "một ngàn không trăm lẻ năm"),
    (1010, "một nghìn không trăm mười", "một ngàn không trăm mười"),
    (1015, "một nghìn không trăm mười lăm", "một ngàn không trăm mười lăm"),
    (1023, "một nghìn không trăm hai mươi ba", "một ngàn không trăm hai mươi ba"),
    (1100, "một nghìn một trăm", "một ngàn một trăm"),
    (1234, "một nghìn hai trăm ba mươi tư", "một ngàn hai trăm ba mươi bốn"),
    (2021, "hai nghìn không trăm hai mươi mốt", "hai ngàn không trăm hai mươi mốt"),
    (5555, "năm nghìn năm trăm năm mươi lăm", "năm ngàn năm trăm năm mươi lăm"),
    (9999, "chín nghìn chín trăm chín mươi chín", "chín ngàn chín trăm chín mươi chín"),
    (10000, "mười nghìn", "mười ngàn"),
    (15000, "mười lăm nghìn", "mười lăm ngàn"),
    (21000, "hai mươi mốt nghìn", "hai mươi mốt ngàn"),
    (100005, "một trăm nghìn không trăm linh năm", "một trăm ngàn không trăm lẻ năm"),
    (1000000, "một triệu", "một triệu"),
    (2000500, "hai triệu năm trăm", "hai triệu năm trăm"),
    (1000000000, "một tỷ", "một tỷ"),
]


@pytest.mark.parametrize(("n", "north", "south"), NUMBERS)
def test_number_words_both_regions(n: int, north: str, south: str) -> None:
    assert number_words(n, "north") == north
    assert number_words(n, "south") == south


def test_table_is_large_enough() -> None:
    assert len(NUMBERS) >= 40


def test_output_is_nfc() -> None:
    for n, _, _ in NUMBERS:
        text = number_words(n)
        assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize("bad", [-1, 10**12])
def test_out_of_range_is_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="reads 0 to"):
        number_words(bad)


def test_unknown_region_names_the_setting() -> None:
    with pytest.raises(ValueError, match="display.region"):
        number_words(5, "central")


def test_every_word_has_a_clip_key() -> None:
    for n in range(0, 3000):
        for region in ("north", "south"):
            for word in number_words(n, region).split():
                assert word in WORD_KEYS, (n, word)


@pytest.mark.parametrize(
    ("number", "region", "words"),
    [
        ("A023", "north", "a hai mươi ba"),
        ("A001", "north", "a một"),
        ("A000", "north", "a không"),
        ("B105", "north", "bê một trăm linh năm"),
        ("B105", "south", "bê một trăm lẻ năm"),
        ("C015", "north", "xê mười lăm"),
        ("D024", "south", "dê hai mươi bốn"),
        ("Đ021", "north", "đê hai mươi mốt"),
        ("HK1000", "south", "hát ca một ngàn"),
        ("1023", "north", "một nghìn không trăm hai mươi ba"),
        ("a-07", "north", "a bảy"),
    ],
)
def test_ticket_words(number: str, region: str, words: str) -> None:
    assert ticket_words(number, region) == words


def test_ticket_without_anything_readable() -> None:
    with pytest.raises(ValueError, match="no letter or digit"):
        ticket_words("--")


def test_announcement_clip_order() -> None:
    clips = announcement_clips(DEFAULT_TEMPLATE, "A023", 5, "north")
    assert [c.key for c in clips] == [
        CHIME,
        "p_moi_cong_dan_co_so_thu_tu",
        "letter_a",
        "hai",
        "muoi_chuc",
        "ba",
        "p_den_quay_so",
        "nam",
    ]
    assert clips[1].text == "Mời công dân có số thứ tự"
    assert clips[6].text == "đến quầy số"


def test_announcement_south_counter_fifteen_and_pauses() -> None:
    template = "Kính mời công dân có số thứ tự {number}, đến quầy số {counter}."
    clips = announcement_clips(template, "B105", 15, "south", chime=False)
    assert [c.key for c in clips] == [
        "p_kinh_moi_cong_dan_co_so_thu_tu",
        "letter_b",
        "mot",
        "tram",
        "le",
        "nam",
        PAUSE,
        "p_den_quay_so",
        "muoi",
        "lam",
    ]


def test_counter_twenty_one_says_mot_sac() -> None:
    keys = [c.key for c in announcement_clips(DEFAULT_TEMPLATE, "A1", 21)]
    assert keys[-3:] == ["hai", "muoi_chuc", "mot_sac"]


def test_service_placeholder_becomes_a_phrase() -> None:
    clips = announcement_clips(
        "Mời số {number} ({service}) đến quầy {counter}", "A1", 2, service_name="Đất đai", chime=False
    )
    assert [c.key for c in clips] == ["p_moi_so", "letter_a", "mot", "p_dat_dai", "p_den_quay", "hai"]
    assert [c.text for c in clips][3:5] == ["Đất đai", "đến quầy"]


def test_template_problems_are_named() -> None:
    with pytest.raises(ValueError, match="unknown placeholder"):
        check_template("Mời {so} đến quầy {counter}")
    with pytest.raises(ValueError, match=r"\{counter\}"):
        check_template("Mời {number}")


def test_announcement_text_is_the_written_sentence() -> None:
    assert announcement_text(DEFAULT_TEMPLATE, "A023", 5) == "Mời công dân có số thứ tự A023 đến quầy số 5"


def test_phrase_keys_are_ascii_and_distinct() -> None:
    keys = [c.key for c in all_word_clips()] + [c.key for c in template_phrases(DEFAULT_TEMPLATE)]
    assert len(keys) == len(set(keys))
    assert all(k.isascii() for k in keys)


def test_core_speech_modules_import_no_qt() -> None:
    code = ("import lobby.voice.speech, lobby.voice.voicepack, lobby.voice.announcements, sys; "
            "assert 'PySide6' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_each_call_is_spoken_twice_by_default_with_a_pause_between() -> None:
    from lobby.config.sections import DisplayConfig

    display = DisplayConfig()
    assert (display.repeat, display.repeat_pause_ms) == (2, 1000)
    once = announcement_clips(DEFAULT_TEMPLATE, "A023", 5)
    twice = announcement_clips(DEFAULT_TEMPLATE, "A023", 5, repeat=display.repeat,
                               repeat_pause_ms=display.repeat_pause_ms)
    assert [c.key for c in twice] == [c.key for c in once] + ["pause"] + [c.key for c in once[1:]]
    assert twice[len(once)].text == "1000"
    assert [c.key for c in twice].count("chime") == 1  # one chime, then the words twice


def test_repeat_count_and_pause_are_configurable_and_bounded() -> None:
    from pydantic import ValidationError

    from lobby.config.sections import DisplayConfig

    thrice = announcement_clips(DEFAULT_TEMPLATE, "B7", 2, chime=False, repeat=3, repeat_pause_ms=400)
    assert [c.key for c in thrice].count("letter_b") == 3
    assert [c.text for c in thrice if c.key == "pause"] == ["400", "400"]
    with pytest.raises(ValidationError):
        DisplayConfig(repeat=0)
    with pytest.raises(ValidationError):
        DisplayConfig(repeat_pause_ms=99999)
    with pytest.raises(ValueError, match="repeat"):
        announcement_clips(DEFAULT_TEMPLATE, "B7", 2, repeat=0)
