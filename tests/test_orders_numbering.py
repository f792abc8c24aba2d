"""Receipt/image number formats and the ISO 7064 MOD 37,36 check character."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings, strategies as st

from studio_app.errors import StudioError
from studio_app.orders import numbering, open_store
from studio_app.orders.numbering import ALPHABET, check_character, first_numbers, is_valid, make_number

body = st.text(alphabet=ALPHABET, min_size=4, max_size=20)


@settings(max_examples=200, deadline=None)
@given(b=body, pos=st.integers(0, 100), shift=st.integers(1, 35))
def test_every_single_character_error_is_detected(b, pos, shift):
    if check_character(b) is None:
        return
    number = b + check_character(b)
    i = pos % len(number)
    wrong = number[:i] + ALPHABET[(ALPHABET.index(number[i]) + shift) % 36] + number[i + 1:]
    assert is_valid(number) and not is_valid(wrong)


@settings(max_examples=200, deadline=None)
@given(b=body, pos=st.integers(0, 100))
def test_every_neighbour_swap_is_detected(b, pos):
    if check_character(b) is None:
        return
    number = b + check_character(b)
    i = pos % (len(number) - 1)
    if number[i] == number[i + 1]:
        return
    swapped = number[:i] + number[i + 1] + number[i] + number[i + 2:]
    assert not is_valid(swapped)


def test_exhaustive_swaps_and_substitutions_on_real_numbers():
    """Every neighbour swap and every substitution of a day's first 300 numbers is caught, and a
    value whose check would be "*" is skipped, never issued."""
    numbers = first_numbers("{station}{date:%y%m%d}{seq:04d}", "A01", dt.date(2026, 1, 9), 300)
    assert len(set(numbers)) == 300 and all(re.fullmatch(r"[0-9A-Z]+", n) for n in numbers)
    seqs = [int(n[-5:-1]) for n in numbers]
    skipped = sorted(set(range(1, seqs[-1] + 1)) - set(seqs))
    assert skipped and all(check_character(f"A01260109{s:04d}") is None for s in skipped)
    for n in numbers:
        assert is_valid(n)
        for i in range(len(n) - 1):
            if n[i] != n[i + 1]:
                assert not is_valid(n[:i] + n[i + 1] + n[i] + n[i + 2:])
        for i in range(len(n)):
            for ch in ALPHABET:
                if ch != n[i]:
                    assert not is_valid(n[:i] + ch + n[i + 1:])


def test_format_fields():
    d = dt.date(2026, 1, 9)
    assert make_number("{station}{date:%y%m%d}{seq:04d}", "A01", d, 7)[:-1] == "A012601090007"
    assert make_number("{date:%Y%m%d}{station}{seq:06d}", "K2", d, 12)[:-1] == "20260109K2000012"
    star = next(s for s in range(1, 200) if check_character(f"A01260109{s:04d}") is None)
    assert make_number("{station}{date:%y%m%d}{seq:04d}", "A01", d, star) is None
    assert numbering.counter_scope("receipt", "{station}{seq:06d}", "A01", d) != \
        numbering.counter_scope("receipt", "{station}{date:%y%m%d}{seq:04d}", "A01", d)
    # a dated format restarts daily; an undated one never does
    assert numbering.counter_scope("receipt", "{station}{seq:06d}", "A01", d) == \
        numbering.counter_scope("receipt", "{station}{seq:06d}", "A01", d + dt.timedelta(days=1))


@pytest.mark.parametrize("fmt,problem", [
    ("{station}{date:%y%m%d}", "{seq} missing"),
    ("{station}{seq:04d}{shop}", "unknown shop"),
    ("{station}-{seq:04d}", "only A-Z and 0-9"),
])
def test_bad_formats_are_refused_clearly(fmt, problem):
    with pytest.raises(StudioError) as e:
        numbering.validate_format(fmt)
    assert problem in e.value.message("en") and "编号格式" in e.value.message("zh_CN")


def test_studio_format_and_station_from_settings(tmp_path):
    from studio_app.settings import Settings, save_settings

    save_settings(Settings(station_code="SZ7", receipt_format="{station}{seq:06d}"))
    with open_store(f"sqlite:///{tmp_path / 'o.db'}") as s:
        a = s.create_order("sscard", "张三")
        b = s.create_order("sscard", "李四")
    assert [a.receipt_no, b.receipt_no] == first_numbers("{station}{seq:06d}", "SZ7", dt.date.today(), 2)
    assert a.image_no.startswith(dt.date.today().strftime("%Y%m%d") + "SZ7")
    save_settings(Settings(receipt_format="{station}{date}"))
    with pytest.raises(StudioError):
        open_store(f"sqlite:///{tmp_path / 'o.db'}")
