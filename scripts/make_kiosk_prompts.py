"""Record the kiosk's spoken prompts offline with espeak-ng (Chinese and English).

    apt-get install -y espeak-ng
    python scripts/make_kiosk_prompts.py                 # both sets, every prompt
    python scripts/make_kiosk_prompts.py --lang en       # only resources/sounds/kiosk/en/
    python scripts/make_kiosk_prompts.py --missing       # only prompts without a file yet

The texts are ``PROMPTS`` (Chinese, voice ``cmn``) and ``PROMPTS_EN`` (English, voice ``en-us``)
in ``studio_app/ui/kiosk/voice.py``: add a key to both, then run this. Each file is trimmed,
resampled to 16 kHz mono 16-bit and normalised (speech RMS -18 dBFS, peaks at most -1 dBFS);
espeak-ng speaks a little slower than its default (140 / 135 words per minute, English with a short
extra pause between words) for elderly listeners. Prints every file written and a level summary.
"""

from __future__ import annotations

import sys
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio_app.ui.kiosk.voice import LANGUAGES, main, sounds_dir, speech_levels  # noqa: E402


def summary() -> None:
    import numpy as np

    for lang in LANGUAGES:
        rms, peaks, secs = [], [], []
        for path in sorted(sounds_dir(lang).glob("*.wav")):
            with wave.open(str(path)) as w:
                data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
                secs.append(w.getnframes() / w.getframerate())
            r, p = speech_levels(data)
            rms.append(r)
            peaks.append(p)
        if secs:
            print(f"{lang}: {len(secs)} files, {min(secs):.2f}-{max(secs):.2f} s, speech RMS "
                  f"{min(rms):.1f} to {max(rms):.1f} dBFS, peak <= {max(peaks):.1f} dBFS")


if __name__ == "__main__":
    code = main(["--generate", *sys.argv[1:]])
    summary()
    sys.exit(code)
