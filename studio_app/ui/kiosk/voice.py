"""Spoken prompts for the kiosk, in the station's language (Chinese or English).

QTextToSpeech speaks when an engine with a voice for the language exists (Windows: SAPI/WinRT
with a zh-CN or en voice). Otherwise the bundled recorded prompts play through QSoundEffect:
``resources/sounds/kiosk/<key>.wav`` (Chinese, the source set) and
``resources/sounds/kiosk/en/<key>.wav`` (English); a prompt missing in the language's set falls
back to the Chinese recording. Both sets are made offline with espeak-ng by
``python scripts/make_kiosk_prompts.py`` (or ``python -m studio_app.ui.kiosk.voice --generate``):
voice ``cmn`` / ``en-us``, a little slower than normal, 16 kHz mono, loudness normalised; the text
of each is :data:`PROMPTS` / :data:`PROMPTS_EN`. A mute button in the kiosk calls
:meth:`KioskVoice.set_muted`.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal

log = logging.getLogger(__name__)

# key -> Chinese prompt (the recorded files say exactly this)
PROMPTS: dict[str, str] = {
    "welcome": "您好，请轻触屏幕，开始拍证件照。",
    "consent": "拍照前，请看一下屏幕上的说明。同意的话，请按同意按钮。",
    "declined": "您没有同意，本机不会给您拍照。再见。",
    "choose_document": "请选择您要办理的证件。",
    "choose_city": "请选择您办理证件的城市。",
    "enter_id": "请用屏幕上的数字键，输入身份证号码。",
    "enter_phone": "请输入手机号码。",
    "look_camera": "请坐正，眼睛看着屏幕上方的摄像头。",
    "move_closer": "请靠近一点。",
    "move_back": "请往后坐一点。",
    "move_left": "请向左边移一点。",
    "move_right": "请向右边移一点。",
    "move_up": "请坐高一点。",
    "move_down": "请坐低一点。",
    "chin_down": "请稍微低一点头。",
    "chin_up": "请稍微抬一点头。",
    "face_forward": "请正对摄像头。",
    "level_head": "请把头摆正。",
    "open_eyes": "请睁开眼睛。",
    "natural_face": "请闭上嘴，表情自然。",
    "remove_glasses": "请摘下眼镜。",
    "show_ears": "请把头发拨到耳后，露出眉毛和耳朵。",
    "hair_brows": "请把头发拨开，露出眉毛。",
    "one_person": "画面里只能有一个人。",
    "lighting": "光线不合适，请联系工作人员。",
    "remove_accessories": "请摘下帽子、耳环和项链。",
    "dark_top": "请换一件深色上衣，白色衣服和背景分不开。",
    "remove_earrings": "请摘下耳环。",
    "remove_necklace": "请摘下项链。",
    "remove_hair_clip": "请摘下发卡和发箍。",
    "hair_behind_shoulders": "请把头发拨到肩膀后面。",
    "no_face": "看不到您的脸，请坐到摄像头正前方。",
    "hold_still": "很好，请保持不动。",
    "count_3": "三",
    "count_2": "二",
    "count_1": "一",
    "processing": "正在处理照片，请稍候。",
    "result_ok": "照片合格。满意的话，请按使用这张。",
    "result_retry": "这张照片不合格，请按提示调整，再拍一次。",
    "ask_staff": "请联系工作人员帮助您。",
    "confirm": "请核对信息，没有问题请按确认。",
    "wait_review": "请稍候，工作人员正在审核您的照片。",
    "printing": "正在打印，请稍候。",
    "pickup": "请记住取件号码，到柜台领取照片。",
    "thanks": "谢谢使用，再见。",
    "idle_warning": "您还在吗？需要继续，请轻触屏幕。",
    "failsafe": "抱歉，机器出了点问题，请重新开始。",
    "paused": "暂停服务，请联系工作人员。",
}


# key -> English prompt (the recorded files in sounds/kiosk/en say exactly this). Short, plain
# sentences; a little redundancy ("the big blue button") helps people who do not read the screen.
PROMPTS_EN: dict[str, str] = {
    "welcome": "Hello. Please touch the screen to start your I D photo.",
    "consent": "Before we take your photo, please read the notice on the screen. "
               "If you agree, press the agree button.",
    "declined": "You did not agree, so no photo will be taken. Goodbye.",
    "choose_document": "Please choose the document the photo is for.",
    "choose_city": "Please choose the city of your document.",
    "enter_id": "Please use the number keys on the screen to enter your I D card number.",
    "enter_phone": "Please enter your mobile number.",
    "look_camera": "Please sit up straight, and look at the camera above the screen.",
    "move_closer": "Please come a little closer.",
    "move_back": "Please sit back a little.",
    "move_left": "Please move a little to your left.",
    "move_right": "Please move a little to your right.",
    "move_up": "Please sit up a little higher.",
    "move_down": "Please sit a little lower.",
    "chin_down": "Please lower your chin a little.",
    "chin_up": "Please raise your chin a little.",
    "face_forward": "Please face the camera.",
    "level_head": "Please keep your head straight.",
    "open_eyes": "Please open your eyes.",
    "natural_face": "Please close your mouth, and keep a natural expression.",
    "remove_glasses": "Please take off your glasses.",
    "show_ears": "Please move your hair behind your ears, so your eyebrows and ears can be seen.",
    "hair_brows": "Please move your hair away from your eyebrows.",
    "one_person": "Only one person, please.",
    "lighting": "The light is not right. Please ask a member of staff.",
    "remove_accessories": "Please take off your hat, earrings and necklace.",
    "dark_top": "Please change into a darker top. A white top disappears into the background.",
    "remove_earrings": "Please take off your earrings.",
    "remove_necklace": "Please take off your necklace.",
    "remove_hair_clip": "Please take out your hair clips and headband.",
    "hair_behind_shoulders": "Please move your hair behind your shoulders.",
    "no_face": "I cannot see your face. Please sit right in front of the camera.",
    "hold_still": "Very good. Please hold still.",
    "count_3": "Three.",
    "count_2": "Two.",
    "count_1": "One.",
    "processing": "Preparing your photo. Please wait.",
    "result_ok": "Your photo is good. If you are happy with it, press use this photo.",
    "result_retry": "This photo cannot be used. Please follow the advice, and take it again.",
    "ask_staff": "Please ask a member of staff to help you.",
    "confirm": "Please check the details. If they are correct, press confirm.",
    "wait_review": "Please wait. A member of staff is checking your photo.",
    "printing": "Printing. Please wait.",
    "pickup": "Please remember the pick-up code, and collect your photos at the counter.",
    "thanks": "Thank you. Goodbye.",
    "idle_warning": "Are you still there? To continue, please touch the screen.",
    "failsafe": "Sorry, something went wrong. Please start again.",
    "paused": "Out of service. Please ask a member of staff.",
}

#: language -> (prompt texts, espeak-ng voice, sub-folder of sounds/kiosk)
LANGUAGES: dict[str, tuple[dict[str, str], str, str]] = {
    "zh_CN": (PROMPTS, "cmn", ""),
    "en": (PROMPTS_EN, "en-us", "en"),
}


def lang_code(lang: str | None) -> str:
    """"en" for any English code, else "zh_CN" (the kiosk's two languages)."""
    return "en" if str(lang or "").lower().startswith("en") else "zh_CN"


def prompts(lang: str | None = None) -> dict[str, str]:
    return LANGUAGES[lang_code(lang)][0]


def sounds_dir(lang: str | None = None) -> Path:
    """The recorded prompts of a language (no language: the Chinese set, the base folder)."""
    from ...paths import resource

    base = resource("sounds", "kiosk")
    sub = LANGUAGES[lang_code(lang)][2] if lang else ""
    return base / sub if sub else base


class KioskVoice(QObject):
    """Says prompts by key in ``lang`` (default: the station's); ``engine`` is "tts", "recorded" or "none"."""

    mutedChanged = Signal(bool)
    spoke = Signal(str)  # the key, after a prompt has been started

    def __init__(self, folder: Path | None = None, use_tts: bool | None = None, parent: QObject | None = None,
                 lang: str | None = None, fallback_folder: Path | None = None):
        super().__init__(parent)
        if lang is None:
            from ... import messages

            lang = messages.language()
        self.lang = lang_code(lang)
        # the language's recordings first, then the Chinese (source) set for anything missing
        self.folder = folder or sounds_dir(self.lang)
        self.fallback_folder = fallback_folder or (sounds_dir("zh_CN") if folder is None else folder)
        self._muted = False
        self._tts = None
        self._effect = None
        self.last_key: str | None = None
        self.last_file: Path | None = None
        if use_tts is None:
            use_tts = os.environ.get("STUDIO_APP_KIOSK_TTS", "1") != "0"
        if use_tts:
            self._tts = self._make_tts(self.lang)
        if self._tts is not None:
            self.engine = "tts"
        elif any(self.folder.glob("*.wav")) or any(self.fallback_folder.glob("*.wav")):
            self.engine = "recorded"
        else:
            self.engine = "none"
        log.info("kiosk voice: %s (%s)", self.engine, self.lang)

    @staticmethod
    def _make_tts(lang: str = "zh_CN"):
        try:
            from PySide6.QtCore import QLocale
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            return None
        want = QLocale.Language.English if lang_code(lang) == "en" else QLocale.Language.Chinese
        for name in QTextToSpeech.availableEngines():
            if name == "mock":
                continue
            try:
                tts = QTextToSpeech(name)
            except Exception:  # noqa: BLE001 - a broken engine just means "no engine"
                continue
            if tts.state() == QTextToSpeech.State.Error:
                tts.deleteLater()
                continue
            matching = [loc for loc in tts.availableLocales() if loc.language() == want]
            if not matching:
                tts.deleteLater()
                continue
            tts.setLocale(matching[0])
            tts.setRate(-0.15)  # a little slower than normal, like the recordings
            return tts
        return None

    # -- mute ----------------------------------------------------------------------------
    @property
    def muted(self) -> bool:
        return self._muted

    def set_muted(self, muted: bool) -> None:
        if muted == self._muted:
            return
        self._muted = muted
        if muted:
            self.stop()
        self.mutedChanged.emit(muted)

    def toggle_muted(self) -> None:
        self.set_muted(not self._muted)

    # -- speaking ------------------------------------------------------------------------
    def prompt_file(self, key: str) -> Path | None:
        """The recording of ``key`` in the kiosk's language, else the Chinese one, else None."""
        for folder in (self.folder, self.fallback_folder):
            path = folder / f"{key}.wav"
            if path.is_file():
                return path
        return None

    def say(self, key: str, text: str | None = None) -> bool:
        """Start the prompt ``key`` (or the free ``text`` with TTS); False when nothing plays."""
        if self._muted or self.engine == "none":
            return False
        if self.engine == "tts":
            spoken = text or prompts(self.lang).get(key, "")
            if not spoken:
                return False
            self._tts.stop()
            self._tts.say(spoken)
        else:
            path = self.prompt_file(key)
            if path is None:
                return False
            from PySide6.QtMultimedia import QSoundEffect

            self.stop()
            self._effect = QSoundEffect(self)
            self._effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effect.setVolume(1.0)
            self._effect.play()
            self.last_file = path
        self.last_key = key
        self.spoke.emit(key)
        return True

    def stop(self) -> None:
        if self._tts is not None:
            self._tts.stop()
        if self._effect is not None:
            self._effect.stop()
            self._effect.deleteLater()
            self._effect = None


#: loudness of every recording: speech RMS (silence left out) and the highest peak, in dBFS
TARGET_RMS_DBFS = -18.0
PEAK_LIMIT_DBFS = -1.0
#: espeak-ng words per minute (its default is 175): a little slow, for elderly listeners
SPEED_WPM = {"zh_CN": 140, "en": 135}
#: extra pause between words, in 10 ms units (English only: Chinese prompts are one "word" per phrase)
WORD_GAP = {"zh_CN": 0, "en": 3}


def generate_prompts(out_dir: Path | None = None, voice: str | None = None, speed: int | None = None,
                     only_missing: bool = False, lang: str = "zh_CN") -> list[Path]:
    """Record every prompt of ``lang`` with espeak-ng into ``out_dir/<key>.wav`` (16 kHz mono, normalised)."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise RuntimeError("espeak-ng is not installed (Debian: apt-get install -y espeak-ng)")
    lang = lang_code(lang)
    texts, default_voice, _sub = LANGUAGES[lang]
    out_dir = out_dir or sounds_dir(lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for key, text in texts.items():
        if only_missing and (out_dir / f"{key}.wav").is_file():
            continue
        raw = out_dir / f"{key}.raw.wav"
        cmd = [exe, "-v", voice or default_voice, "-s", str(speed or SPEED_WPM[lang]), "-w", str(raw)]
        if WORD_GAP[lang]:
            cmd += ["-g", str(WORD_GAP[lang])]
        subprocess.run(cmd + [text], check=True)
        path = out_dir / f"{key}.wav"
        _to_16k(raw, path)
        raw.unlink()
        written.append(path)
    return written


def speech_levels(samples) -> tuple[float, float]:
    """(speech RMS, peak) in dBFS of int16 samples; the RMS leaves out 20 ms blocks of near-silence."""
    import numpy as np

    x = np.asarray(samples, dtype=np.float64) / 32768.0
    if x.size == 0 or not np.any(x):
        return -120.0, -120.0
    block = 320  # 20 ms at 16 kHz
    n = max(1, x.size // block)
    blocks = x[: n * block].reshape(n, -1) if x.size >= block else x.reshape(1, -1)
    energy = np.sqrt(np.mean(blocks ** 2, axis=1))
    loud = energy[energy > energy.max() * 10 ** (-40 / 20)]  # within 40 dB of the loudest block
    rms = float(np.sqrt(np.mean(loud ** 2)))
    return 20 * np.log10(max(rms, 1e-9)), 20 * np.log10(float(np.abs(x).max()))


def _to_16k(src: Path, dst: Path) -> None:
    """Trim, resample a mono 16-bit WAV to 16 kHz (speech needs no more) and normalise its loudness."""
    import wave

    import numpy as np

    with wave.open(str(src), "rb") as w:
        rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    if channels != 1 or width != 2:
        raise ValueError(f"{src}: expected mono 16-bit")
    # trim leading/trailing silence (keep 80 ms), then resample
    loud = np.flatnonzero(np.abs(data.astype(np.int32)) > 300)
    if loud.size:
        pad = int(0.08 * rate)
        data = data[max(0, loud[0] - pad):loud[-1] + pad]
    target = 16000
    n = int(round(len(data) * target / rate))
    out = np.interp(np.linspace(0, len(data) - 1, n), np.arange(len(data)), data.astype(np.float64))
    # loudness: speech RMS to the target, unless that would push a peak past the limit
    rms_db, peak_db = speech_levels(np.clip(out, -32768, 32767))
    gain_db = min(TARGET_RMS_DBFS - rms_db, PEAK_LIMIT_DBFS - peak_db)
    out = out * 10 ** (gain_db / 20)
    with wave.open(str(dst), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(target)
        w.writeframes(np.clip(np.round(out), -32768, 32767).astype(np.int16).tobytes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Record the kiosk prompts with espeak-ng")
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--lang", choices=("zh_CN", "en", "all"), default="all")
    parser.add_argument("--out", type=Path, default=None, help="folder (one language only)")
    parser.add_argument("--missing", action="store_true", help="only record prompts without a file")
    args = parser.parse_args(argv)
    if not args.generate:
        parser.print_help()
        return 0
    langs = list(LANGUAGES) if args.lang == "all" else [args.lang]
    if args.out is not None and len(langs) > 1:
        parser.error("--out needs --lang zh_CN or --lang en")
    for lang in langs:
        for path in generate_prompts(args.out, only_missing=args.missing, lang=lang):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
