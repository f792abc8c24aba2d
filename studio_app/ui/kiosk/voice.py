"""Spoken prompts for the kiosk.

QTextToSpeech speaks when an engine with a Chinese voice exists (Windows: SAPI/WinRT with a
zh-CN voice). Otherwise the bundled recorded prompts in ``resources/sounds/kiosk/<key>.wav``
play through QSoundEffect. Those files are made with espeak-ng (voice ``cmn``) by
``python -m studio_app.ui.kiosk.voice --generate``; the text of each is :data:`PROMPTS`.
A mute button in the kiosk calls :meth:`KioskVoice.set_muted`.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal

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


def sounds_dir() -> Path:
    from ...paths import resource

    return resource("sounds", "kiosk")


def _tr(text: str) -> str:
    return QCoreApplication.translate("KioskVoice", text)


class KioskVoice(QObject):
    """Says prompts by key; ``engine`` is "tts", "recorded" or "none"."""

    mutedChanged = Signal(bool)
    spoke = Signal(str)  # the key, after a prompt has been started

    def __init__(self, folder: Path | None = None, use_tts: bool | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.folder = folder or sounds_dir()
        self._muted = False
        self._tts = None
        self._effect = None
        self.last_key: str | None = None
        if use_tts is None:
            use_tts = os.environ.get("STUDIO_APP_KIOSK_TTS", "1") != "0"
        if use_tts:
            self._tts = self._make_tts()
        if self._tts is not None:
            self.engine = "tts"
        elif any(self.folder.glob("*.wav")):
            self.engine = "recorded"
        else:
            self.engine = "none"
        log.info("kiosk voice: %s", self.engine)

    @staticmethod
    def _make_tts():
        try:
            from PySide6.QtCore import QLocale
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            return None
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
            chinese = [loc for loc in tts.availableLocales() if loc.language() == QLocale.Language.Chinese]
            if not chinese:
                tts.deleteLater()
                continue
            tts.setLocale(chinese[0])
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
        path = self.folder / f"{key}.wav"
        return path if path.is_file() else None

    def say(self, key: str, text: str | None = None) -> bool:
        """Start the prompt ``key`` (or the free ``text`` with TTS); False when nothing plays."""
        if self._muted or self.engine == "none":
            return False
        if self.engine == "tts":
            spoken = text or (_tr(PROMPTS[key]) if key in PROMPTS else "")
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


def generate_prompts(out_dir: Path, voice: str = "cmn", speed: int = 140, only_missing: bool = False) -> list[Path]:
    """Record every prompt with espeak-ng into ``out_dir/<key>.wav`` (16 kHz mono)."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise RuntimeError("espeak-ng is not installed (Debian: apt-get install -y espeak-ng)")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for key, text in PROMPTS.items():
        if only_missing and (out_dir / f"{key}.wav").is_file():
            continue
        raw = out_dir / f"{key}.raw.wav"
        subprocess.run([exe, "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
        path = out_dir / f"{key}.wav"
        _to_16k(raw, path)
        raw.unlink()
        written.append(path)
    return written


def _to_16k(src: Path, dst: Path) -> None:
    """Resample a mono 16-bit WAV to 16 kHz (smaller files; speech needs no more)."""
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
    resampled = np.interp(np.linspace(0, len(data) - 1, n), np.arange(len(data)), data.astype(np.float32))
    with wave.open(str(dst), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(target)
        w.writeframes(np.clip(resampled, -32768, 32767).astype(np.int16).tobytes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Record the kiosk prompts with espeak-ng")
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--missing", action="store_true", help="only record prompts without a file")
    args = parser.parse_args(argv)
    if not args.generate:
        parser.print_help()
        return 0
    for path in generate_prompts(args.out or sounds_dir(), only_missing=args.missing):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
