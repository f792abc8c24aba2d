"""Kiosk parts on their own: the admin PIN hash, the recorded prompts, the hint -> prompt map,
the number pad, and that every screen fits a 1920x1080 and a 1080x1920 touch screen."""

from __future__ import annotations

import wave
from types import SimpleNamespace

import pytest

from studio_app.ui.kiosk import pin


def test_pin_hash_is_salted_and_verifies():
    a = pin.hash_pin("258046", iterations=1000)
    b = pin.hash_pin("258046", iterations=1000)
    assert a != b  # salted
    assert "258046" not in a and a.startswith("pbkdf2_sha256$1000$")
    assert pin.verify_pin("258046", a) and pin.verify_pin("258046", b)
    assert not pin.verify_pin("258047", a)
    assert not pin.verify_pin("", a)
    assert pin.is_configured(a) and not pin.is_configured("")


@pytest.mark.parametrize("stored", ["", "258046", "md5$1$00$00", "pbkdf2_sha256$x$00$00", "pbkdf2_sha256$10$zz$00"])
def test_malformed_pin_hash_never_verifies(stored):
    assert not pin.verify_pin("258046", stored)


@pytest.mark.parametrize("bad", ["", "123", "2580", "12345", "12ab56", "1234567890123",
                                 "٣٣٣٣٣٣", "¹²³⁴⁵⁶", "１２３４５６"])
def test_pin_must_be_6_to_12_ascii_digits(bad):
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


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_prompt_has_a_recorded_wav_in_both_languages(lang):
    """Every prompt key has a Chinese and an English recording: a valid 16 kHz mono 16-bit WAV, of a
    length that fits its text, at the normalised loudness (not clipped), and nothing else in the folder."""
    import numpy as np

    from studio_app.ui.kiosk.voice import PEAK_LIMIT_DBFS, PROMPTS, TARGET_RMS_DBFS, prompts, sounds_dir, speech_levels

    texts = prompts(lang)
    assert set(texts) == set(PROMPTS)  # the same keys in both languages
    folder = sounds_dir(lang)
    assert {p.stem for p in folder.glob("*.wav")} == set(texts)  # no missing and no stray files
    for key, text in texts.items():
        path = folder / f"{key}.wav"
        with wave.open(str(path)) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16000), key
            seconds = w.getnframes() / w.getframerate()
            data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
        assert 0.25 < seconds < 15, (key, seconds)
        # the length fits the text: English ~0.15-0.8 s a word, Chinese ~0.1-0.7 s a character
        units = len(text.split()) if lang == "en" else sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
        per_unit = seconds / max(units, 1)
        lo, hi = (0.15, 0.8) if lang == "en" else (0.1, 0.7)
        assert lo < per_unit < hi or units <= 1, (key, seconds, units)
        rms, peak = speech_levels(data)
        assert TARGET_RMS_DBFS - 4 <= rms <= TARGET_RMS_DBFS + 0.5, (key, rms)
        assert peak <= PEAK_LIMIT_DBFS + 0.1, (key, peak)


@pytest.mark.gui
def test_voice_picks_the_language_with_a_fallback(qtbot, tmp_path):
    import shutil

    from studio_app.ui.kiosk.voice import KioskVoice, sounds_dir

    zh = KioskVoice(use_tts=False, lang="zh_CN")
    en = KioskVoice(use_tts=False, lang="en")
    assert zh.engine == en.engine == "recorded"
    assert zh.prompt_file("welcome") == sounds_dir("zh_CN") / "welcome.wav"
    assert en.prompt_file("welcome") == sounds_dir("en") / "welcome.wav"
    assert en.say("welcome") and en.last_file == sounds_dir("en") / "welcome.wav"
    en.stop()
    # an English set missing a prompt falls back to the Chinese recording of it
    partial = tmp_path / "en"
    partial.mkdir()
    shutil.copy(sounds_dir("en") / "welcome.wav", partial / "welcome.wav")
    voice = KioskVoice(folder=partial, fallback_folder=sounds_dir("zh_CN"), use_tts=False, lang="en")
    assert voice.prompt_file("welcome") == partial / "welcome.wav"
    assert voice.prompt_file("thanks") == sounds_dir("zh_CN") / "thanks.wav"
    assert voice.prompt_file("no_such_prompt") is None
    # the station's language decides when none is given
    from studio_app import messages

    previous = messages.language()
    messages.set_language("en")
    try:
        assert KioskVoice(use_tts=False).folder == sounds_dir("en")
    finally:
        messages.set_language(previous)


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
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080), (1080, 1920)])
def test_every_screen_fits_and_touch_targets_are_large(qtbot, tmp_path, size):
    """Before: the PIN and number-pad screens needed ~1003 px, so on a 1280x800 kiosk the whole
    window grew past the screen and the consent buttons fell off its bottom edge."""
    from PySide6.QtWidgets import QLabel, QPushButton

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
        assert w.minimumSizeHint().height() <= size[1]
        for i in range(w.stack.count()):
            screen = w.stack.widget(i)
            hint = screen.minimumSizeHint()
            assert hint.width() <= size[0] and hint.height() <= size[1], (screen.name, hint)
            w.stack.setCurrentWidget(screen)
            qtbot.wait(1)
            for lab in screen.findChildren(QLabel):  # no wrapped text cut off at its bottom
                if lab.isVisibleTo(screen) and lab.wordWrap() and lab.text().strip():
                    assert lab.height() + 2 >= lab.heightForWidth(lab.width()), (screen.name, lab.text()[:30])
            for btn in screen.findChildren(QPushButton):
                if btn.isVisibleTo(screen):
                    assert btn.width() >= MIN_TARGET and btn.height() >= MIN_TARGET, (screen.name, btn.text())
                    # on the screen, whole: not pushed past the window's edge
                    box = btn.rect().translated(btn.mapTo(w, btn.rect().topLeft()))
                    assert w.rect().contains(box), (screen.name, btn.text(), box)
        # the PIN pad as staff see it: every key and OK inside the window
        w.open_admin()
        qtbot.wait(1)
        for btn in w.admin.findChildren(QPushButton):
            if btn.isVisibleTo(w.admin):
                assert w.rect().contains(btn.rect().translated(btn.mapTo(w, btn.rect().topLeft()))), btn.text()
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
def test_create_window_needs_a_pin_and_opens_full_screen(qtbot, tmp_path, monkeypatch):
    from types import SimpleNamespace as NS

    from kiosk_support import kiosk_settings, sample_image
    from PIL import Image

    from studio_app.errors import StudioError
    from studio_app.ui.kiosk import create_window
    from studio_app.ui.kiosk.window import KioskWindow

    image = tmp_path / "frame.png"
    Image.fromarray(sample_image()).save(image)
    args = NS(source=str(image), kiosk=True)
    asked = []
    monkeypatch.setattr("studio_app.ui.kiosk.first_pin.ask_first_pin", lambda s: asked.append(s) or None)
    with pytest.raises(StudioError) as err:  # no PIN, and staff chose "later" on the set-up screen
        create_window(kiosk_settings(tmp_path, kiosk_admin_pin_hash=""), args)
    assert err.value.key == "kiosk.no_pin" and len(asked) == 1
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


# --- the live screen's head oval follows the chosen document ------------------------------------
def _face_at(cx: float, crown: float, chin: float, eye_y: float, face_w: float, size):
    """A face analysis whose head is exactly crown..chin tall and face_w wide (no vision involved)."""
    import numpy as np

    from studio_app.vision.types import FaceAnalysis

    mid = (crown + chin) / 2
    landmarks = np.array([[cx - face_w / 2, mid, 0.0], [cx + face_w / 2, mid, 0.0], [cx, chin, 0.0],
                          [cx, eye_y, 0.0]])
    half_eyes = face_w * 0.22
    return FaceAnalysis(image_size=size, landmarks=landmarks, eye_left=(cx - half_eyes, eye_y),
                        eye_right=(cx + half_eyes, eye_y), chin=(cx, chin), crown=(cx, crown), face_width=face_w)


KIOSK_DOCUMENTS = ("sscard_shenzhen", "resident_id", "exit_entry", "driving_licence", "xuexin", "us_passport")


@pytest.mark.gui
@pytest.mark.parametrize("view_size", [(1000, 700), (1016, 1300)])  # the live picture, landscape / portrait kiosk
def test_live_oval_follows_the_spec_and_a_head_in_it_meets_the_spec(qtbot, view_size):
    """The oval differs per document, and a head that fills it — read back from the oval as drawn
    (widget px -> camera px -> the spec's crop frame) — passes the spec's own still checks (head
    height or face width, crown margin, eye line, centre) and the live checks (the crop fits the
    camera picture, enough pixels)."""
    import numpy as np

    from studio_app.compliance.checks import PASS, REGISTRY, WARN
    from studio_app.specs import get_spec
    from studio_app.ui.kiosk.screens import GuideView

    view = GuideView()
    qtbot.addWidget(view)
    view.resize(*view_size)
    frame = np.zeros((720, 1280, 3), np.uint8)
    view.set_frame(frame)
    ovals = {}
    for spec_id in KIOSK_DOCUMENTS:
        spec = get_spec(spec_id)
        view.set_spec(spec)
        oval = view.oval_rect()
        ovals[spec_id] = (round(oval.top()), round(oval.height()), round(oval.width()))
        assert view.rect().contains(oval.toAlignedRect()), spec_id  # the whole oval is on screen
        assert oval.height() >= 0.45 * view.height(), spec_id  # large: about half the picture or more
        # the head that fills the oval, in camera px (the picture is mirrored: map back through it)
        (xl, top), (xr, bottom) = view.to_frame(oval.left(), oval.top()), view.to_frame(oval.right(), oval.bottom())
        cx, face_w = (xl + xr) / 2, abs(xr - xl)
        eye_y = view.to_frame(oval.center().x(), view.eye_y())[1]
        live = _face_at(cx, top, bottom, eye_y, face_w, (1280, 720))
        for cid in ("face_in_frame", "resolution"):
            result = REGISTRY[cid].fn(live, spec, True)
            assert result.status in (PASS, WARN), (spec_id, cid, result)
        # the same head in the spec's photo, through the crop frame the oval was drawn from
        g = view.guide()
        (ox, ocrown), (_, ochin), (_, oeye) = g.to_output(cx, top), g.to_output(cx, bottom), g.to_output(cx, eye_y)
        photo = _face_at(ox, ocrown, ochin, oeye, face_w / g.scale, spec.size)
        for cid in ("head_size", "crown_margin", "eye_line", "horizontal_centre"):
            result = REGISTRY[cid].fn(photo, spec, False)
            assert result.status == PASS, (spec_id, cid, result.measured, result.limit)
        geo = spec.geometry
        if geo.head_height is not None:
            assert ochin - ocrown in geo.head_height, spec_id
        if geo.crown_y is not None:
            assert ocrown in geo.crown_y, spec_id
    # 社保卡, 护照 (出入境) and 驾驶证 ask for different heads: their ovals differ
    shapes = {ovals[s] for s in ("sscard_shenzhen", "exit_entry", "driving_licence")}
    assert len(shapes) == 3, ovals
    assert ovals["sscard_shenzhen"][1] > 1.1 * ovals["driving_licence"][1]  # the 社保卡 head is larger


@pytest.mark.gui
def test_live_screen_takes_the_session_spec(qtbot, tmp_path):
    from kiosk_support import TestServices, kiosk_settings
    from studio_app.session import State
    from studio_app.ui.kiosk.voice import KioskVoice
    from studio_app.ui.kiosk.window import KioskWindow

    settings = kiosk_settings(tmp_path)
    w = KioskWindow(settings, TestServices(settings), None, voice=KioskVoice(use_tts=False))
    try:
        w.resize(1920, 1080)
        w.session.send("start")
        w.session.send("accept")
        w.documents.tiles["driving_licence"].click()
        w.variants.buttons["driving_licence"].click()  # 驾驶证 has two sizes
        assert w.session.state == State.LIVE
        assert w.live.view.spec is w.session.spec and w.session.spec.id == "driving_licence"
        oval = w.live.view.oval_rect()
        w.restart()
        w.session.send("start")
        w.session.send("accept")
        w.documents.tiles["resident_id"].click()
        assert w.session.state == State.LIVE and w.live.view.spec.id == "resident_id"
        assert w.live.view.oval_rect() != oval
    finally:
        w.allow_close = True
        w.close()


@pytest.mark.gui
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080), (1080, 1920)])
def test_english_labels_are_not_cut_off(qtbot, tmp_path, size):
    """English labels are longer: every button's text fits inside it (choice buttons shrink or go
    to one column), and landscape titles keep clear of the mute button."""
    from PySide6.QtWidgets import QLabel, QPushButton

    from kiosk_support import TestServices, kiosk_settings
    from studio_app import messages
    from studio_app.ui.kiosk.voice import KioskVoice
    from studio_app.ui.kiosk.window import KioskWindow

    previous = messages.language()
    messages.set_language("en")
    settings = kiosk_settings(tmp_path, language="en")
    w = KioskWindow(settings, TestServices(settings), None, voice=KioskVoice(use_tts=False))
    try:
        w.resize(*size)
        w.show()
        qtbot.waitExposed(w)
        assert w.minimumSizeHint().height() <= size[1] and w.size().toTuple() == size  # longer English too
        w._choose_family("exam")  # the longest labels: the exam variants
        for screen in (w.variants, w.result, w.confirm, w.consent, w.live, w.id_entry):
            w.stack.setCurrentWidget(screen)
            qtbot.wait(1)
            for btn in screen.findChildren(QPushButton):
                if btn.isVisibleTo(screen) and btn.text():
                    room = btn.contentsRect().width() - 2 * 16
                    assert btn.fontMetrics().horizontalAdvance(btn.text()) <= room, (screen.name, btn.text())
        w.result.show_result(None, False, [], 2)
        w.stack.setCurrentWidget(w.result)
        qtbot.wait(1)
        mute = w.mute_button.geometry()
        for lab in w.result.findChildren(QLabel):
            if lab.property("role") == "title" and size[0] > size[1]:
                text_box = lab.contentsRect().translated(lab.mapTo(w, lab.rect().topLeft()))
                assert not text_box.intersects(mute), lab.text()
    finally:
        messages.set_language(previous)
        w.allow_close = True
        w.close()


@pytest.mark.parametrize("typed", ["٣٣٣٣٣٣\n", "¹²³⁴⁵⁶\n", "12345\n"])
def test_set_pin_refuses_non_ascii_or_short_pins_with_a_message(monkeypatch, capsys, typed):
    import io

    from studio_app.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert main(["kiosk", "set-pin", "--pin-stdin"]) == 2
    err = capsys.readouterr().err
    assert "6–12" in err and "Traceback" not in err


def test_set_pin_without_a_terminal_says_so(monkeypatch, capsys):
    import io

    from studio_app.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a TTY, no --pin-stdin
    assert main(["kiosk", "set-pin"]) == 2
    err = capsys.readouterr().err
    assert "--pin-stdin" in err and ("终端" in err or "terminal" in err)


def test_pin_guard_lock_grows_persists_and_audits(tmp_path):
    t = [1000.0]
    guard = pin.PinGuard(tmp_path / "state.json", tmp_path / "audit.log", clock=lambda: t[0])
    stored = pin.hash_pin("258046", iterations=1000)
    locks = [guard.check("000000", stored)[1] for _ in range(5)]
    assert locks == [0, 0, 0, 0, 60]
    t[0] += 61
    assert guard.check("000000", stored) == (False, 120)
    again = pin.PinGuard(tmp_path / "state.json", tmp_path / "audit.log", clock=lambda: t[0])  # a restart
    assert again.check("258046", stored) == (False, 120)  # the right PIN is not even tried
    t[0] += 121
    assert again.check("258046", stored) == (True, 0)
    assert pin.PinGuard(tmp_path / "state.json", tmp_path / "audit.log", clock=lambda: t[0]).locked_for() == 0
    assert pin.lock_seconds(30) == pin.LOCK_MAX_S
    assert len((tmp_path / "audit.log").read_text().splitlines()) == 7


@pytest.mark.gui
def test_first_start_sets_the_pin_on_the_screen(qtbot):
    """Issue 15/18.5: no PIN yet -> staff set it on the screen (twice), only its hash is saved."""
    from PySide6.QtCore import Qt

    from studio_app.settings import load_settings, settings_path
    from studio_app.ui.kiosk.first_pin import FirstPinDialog

    dialog = FirstPinDialog(iterations=1000)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.pad, "12345")  # too short: asked again
    qtbot.keyClick(dialog.pad, Qt.Key.Key_Return)
    assert "6–12" in dialog.message.text() and not dialog.result()
    qtbot.keyClicks(dialog.pad, "482913")
    qtbot.keyClick(dialog.pad, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.pad, "482914")  # a different second entry: start over
    qtbot.keyClick(dialog.pad, Qt.Key.Key_Return)
    assert "不一致" in dialog.message.text()
    for _ in range(2):
        qtbot.keyClicks(dialog.pad, "482913")
        qtbot.keyClick(dialog.pad, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    stored, _ = load_settings()
    assert pin.verify_pin("482913", stored.kiosk_admin_pin_hash)
    assert "482913" not in settings_path().read_text(encoding="utf-8")


@pytest.mark.gui
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_first_start_pin_screen_fits(qtbot, size):
    """The first-start PIN screen (full screen) keeps its pad, OK and "later" on a 1280x800 kiosk."""
    from PySide6.QtWidgets import QPushButton

    from studio_app.ui.kiosk.first_pin import FirstPinDialog

    dialog = FirstPinDialog(iterations=1000)
    qtbot.addWidget(dialog)
    assert dialog.minimumSizeHint().height() <= size[1]
    dialog.resize(*size)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.size().toTuple() == size
    for btn in dialog.findChildren(QPushButton):
        box = btn.rect().translated(btn.mapTo(dialog, btn.rect().topLeft()))
        assert dialog.rect().contains(box), btn.text()
