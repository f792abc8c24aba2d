"""Kiosk parts on their own: the admin PIN hash, the recorded prompts, the hint -> prompt map,
the number pad, and that every screen fits a 1920x1080 and a 1080x1920 touch screen."""

from __future__ import annotations

import wave
from types import SimpleNamespace

import pytest

from studio_app.ui.kiosk import pin


def test_pin_hash_is_salted_and_verifies():
    a = pin.hash_pin("2580", iterations=1000)
    b = pin.hash_pin("2580", iterations=1000)
    assert a != b  # salted
    assert "2580" not in a and a.startswith("pbkdf2_sha256$1000$")
    assert pin.verify_pin("2580", a) and pin.verify_pin("2580", b)
    assert not pin.verify_pin("2581", a)
    assert not pin.verify_pin("", a)
    assert pin.is_configured(a) and not pin.is_configured("")


@pytest.mark.parametrize("stored", ["", "2580", "md5$1$00$00", "pbkdf2_sha256$x$00$00", "pbkdf2_sha256$10$zz$00"])
def test_malformed_pin_hash_never_verifies(stored):
    assert not pin.verify_pin("2580", stored)


@pytest.mark.parametrize("bad", ["", "123", "12ab", "1234567890123"])
def test_pin_must_be_4_to_12_digits(bad):
    with pytest.raises(ValueError):
        pin.hash_pin(bad)


def test_kiosk_set_pin_command_stores_only_a_hash(monkeypatch, capsys):
    import io

    from studio_app.cli import main
    from studio_app.settings import load_settings, settings_path

    monkeypatch.setattr("sys.stdin", io.StringIO("314159\n"))
    assert main(["kiosk", "set-pin", "--pin-stdin"]) == 0
    settings, problems = load_settings()
    assert not problems
    assert pin.verify_pin("314159", settings.kiosk_admin_pin_hash)
    assert "314159" not in settings_path().read_text(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert main(["kiosk", "set-pin", "--pin-stdin"]) == 2


def test_every_prompt_has_a_recorded_wav():
    from studio_app.ui.kiosk.voice import PROMPTS, sounds_dir

    for key in PROMPTS:
        path = sounds_dir() / f"{key}.wav"
        assert path.is_file(), key
        with wave.open(str(path)) as w:
            assert w.getnchannels() == 1 and w.getsampwidth() == 2
            assert 0.2 < w.getnframes() / w.getframerate() < 20, key


@pytest.mark.parametrize("hint, prompt", [
    (dict(key="framing.too_small", direction="closer"), "move_closer"),
    (dict(key="framing.too_large", direction=""), "move_back"),
    (dict(key="x", direction="left"), "move_left"),
    (dict(key="accessories.glasses_glare", direction=""), "remove_glasses"),
    (dict(key="hair.eyebrows", direction=""), "hair_brows"),
    (dict(key="hint.hair_ears", direction=None), "show_ears"),
    (dict(key="hint.turn_left", direction="left"), "face_forward"),
    (dict(key="expression.mouth_open", direction=""), "natural_face"),
    (dict(key="pose.roll", direction=""), "level_head"),
])
def test_hint_to_prompt(hint, prompt):
    from studio_app.ui.kiosk.voice import PROMPTS
    from studio_app.ui.kiosk.window import voice_key_for_hint

    assert voice_key_for_hint(SimpleNamespace(**hint)) == prompt
    assert prompt in PROMPTS


@pytest.mark.gui
def test_number_pad_rules(qtbot):
    from studio_app.ui.kiosk.widgets import NumPad

    pad = NumPad(18, allow_x=True)
    qtbot.addWidget(pad)
    pad.press("X")  # X only as the 18th character
    assert pad.value() == ""
    for ch in "44030519900307123":
        pad.press(ch)
    assert pad.display.text() == "440305 19900307 123"
    pad.press("X")
    pad.press("5")  # full
    assert pad.value() == "44030519900307123X"
    pad.backspace()
    assert pad.value() == "44030519900307123"
    secret = NumPad(12, secret=True)
    qtbot.addWidget(secret)
    secret.press("7")
    secret.press("1")
    assert secret.display.text() == "●●" and secret.value() == "71"


@pytest.mark.gui
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_every_screen_fits_and_touch_targets_are_large(qtbot, tmp_path, size):
    from PySide6.QtWidgets import QPushButton

    from kiosk_support import TestServices, kiosk_settings
    from studio_app.ui.kiosk.voice import KioskVoice
    from studio_app.ui.kiosk.widgets import MIN_TARGET
    from studio_app.ui.kiosk.window import KioskWindow

    settings = kiosk_settings(tmp_path)
    w = KioskWindow(settings, TestServices(settings), None, voice=KioskVoice(use_tts=False))
    try:
        w.resize(*size)
        w.show()
        qtbot.waitExposed(w)
        assert w.size().width() == size[0] and w.size().height() == size[1]
        w.cities.set_cities([("深圳市", "广东省"), ("广州市", "广东省")])
        for i in range(w.stack.count()):
            screen = w.stack.widget(i)
            hint = screen.minimumSizeHint()
            assert hint.width() <= size[0] and hint.height() <= size[1], (screen.name, hint)
            w.stack.setCurrentWidget(screen)
            qtbot.wait(1)
            for btn in screen.findChildren(QPushButton):
                if btn.isVisibleTo(screen):
                    assert btn.width() >= MIN_TARGET and btn.height() >= MIN_TARGET, (screen.name, btn.text())
        assert w.mute_button.width() >= MIN_TARGET and w.mute_button.height() >= MIN_TARGET
    finally:
        w.allow_close = True
        w.close()


def test_every_live_hint_has_a_prompt():
    """Each hint the live guidance can give maps to a recorded prompt."""
    from studio_app import messages
    from studio_app.compliance import guidance  # noqa: F401 - registers the hint texts
    from studio_app.ui.kiosk.voice import PROMPTS
    from studio_app.ui.kiosk.window import HINT_PROMPTS

    for key, prompt in HINT_PROMPTS.items():
        assert messages.has(key), key
        assert prompt in PROMPTS


@pytest.mark.gui
def test_create_window_needs_a_pin_and_opens_full_screen(qtbot, tmp_path):
    from types import SimpleNamespace as NS

    from kiosk_support import kiosk_settings, sample_image
    from PIL import Image

    from studio_app.errors import StudioError
    from studio_app.ui.kiosk import create_window
    from studio_app.ui.kiosk.window import KioskWindow

    image = tmp_path / "frame.png"
    Image.fromarray(sample_image()).save(image)
    args = NS(source=str(image), kiosk=True)
    with pytest.raises(StudioError) as err:
        create_window(kiosk_settings(tmp_path, kiosk_admin_pin_hash=""), args)
    assert err.value.key == "kiosk.no_pin"
    window = create_window(kiosk_settings(tmp_path), args)
    try:
        assert isinstance(window, KioskWindow)
        assert window.isFullScreen() or window.windowState() & window.windowState().WindowFullScreen
        assert window.feed is not None and window.current_screen() == "attract"
    finally:
        window.allow_close = True
        window.close()


@pytest.mark.gui
def test_english_station_gets_an_english_kiosk(qtbot, tmp_path):
    from kiosk_support import TestServices, kiosk_settings
    from studio_app import messages
    from studio_app.ui.kiosk.voice import KioskVoice
    from studio_app.ui.kiosk.window import KioskWindow

    previous = messages.language()
    messages.set_language("en")
    settings = kiosk_settings(tmp_path, language="en")
    w = KioskWindow(settings, TestServices(settings), None, voice=KioskVoice(use_tts=False))
    try:
        assert w.attract.go.text() == "Touch here to start"
        assert w.consent.yes.text() == "I agree: take my photo"
        assert w.documents.tiles["social_security"].text_label() == "Social security card"
        assert "passport" in " ".join(c.label for c in w.services.variants("visa")).lower()
        assert "check character" in (w.services.check_id("440305199003071230") or "").lower()
    finally:
        messages.set_language(previous)
        w.allow_close = True
        w.close()
    w2 = KioskWindow(settings, TestServices(settings), None, voice=KioskVoice(use_tts=False))
    try:
        assert w2.attract.go.text() == "点这里开始"  # the translator left with the English window
    finally:
        w2.allow_close = True
        w2.close()
