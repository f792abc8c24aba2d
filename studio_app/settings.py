"""Station settings (Qt-free): one JSON file in the user config folder, written atomically.

A broken or partly wrong file never stops the app: bad keys fall back to defaults and the
problems are reported (file + key) so the shells can show them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from . import messages
from .atomic import write_text_atomic
from .paths import config_dir

messages.register({
    "settings.bad_file": ("设置文件 {file} 无法读取（{problem}），已使用默认设置",
                          "Settings file {file} could not be read ({problem}); defaults are used"),
    "settings.bad_key": ("设置文件 {file} 中 {key} 的值无效（{problem}），已使用默认值",
                         "Settings file {file}: invalid value for {key} ({problem}); the default is used"),
})


#: keys that take one of a few words (a typo falls back to the default, reported)
CHOICES = {"require_id_number": ("by_document", "always", "never")}


@dataclass(frozen=True)
class Settings:
    studio_name: str = "示例照相馆"
    studio_address: str = ""
    studio_phone: str = ""
    station_code: str = "A01"  # letters/digits, part of every receipt number
    receipt_format: str = "{station}{date:%y%m%d}{seq:04d}"  # + a check character
    output_dir: str = ""  # empty: <data>/output
    default_spec: str = "sscard"
    language: str = "zh_CN"
    retention_days: int = 90
    store_id_numbers: str = "encrypted"  # "encrypted" | "none"
    # orders need the applicant's ID number: "by_document" (社保卡, 身份证, ... yes; visa, exam no),
    # "always" or "never" — the one rule of every shell, services.id_rule
    require_id_number: str = "by_document"
    receipt_validity_days: int = 60
    receipt_template: str = "A5"  # A5 | A6 | thermal80
    printer_dpi: int = 300
    printer_offsets: dict = field(default_factory=dict)  # printer name -> {dx_mm, dy_mm, sx, sy}
    camera_device: str = ""
    camera_format: str = ""
    verify_clear_seconds: int = 60  # the receipt check forgets the last customer after this long idle (0: never)
    kiosk_idle_seconds: int = 60
    kiosk_max_retries: int = 3
    kiosk_review_queue: bool = False
    kiosk_admin_pin_hash: str = ""  # pbkdf2 hash; empty: kiosk exit needs the default PIN set at install
    database_url: str = ""  # empty: SQLite in the data folder

    def with_changes(self, **changes) -> "Settings":
        return replace(self, **changes)


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """Settings and a list of problems (already translated messages), never raising."""
    path = path or settings_path()
    problems: list[str] = []
    if not path.exists():
        return Settings(), problems
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("top level is not an object")
    except (OSError, ValueError, RecursionError) as exc:  # RecursionError: absurdly nested JSON
        problems.append(messages.text("settings.bad_file", file=str(path), problem=str(exc)))
        return Settings(), problems
    defaults = Settings()
    values = {}
    for f in fields(Settings):
        if f.name not in raw:
            continue
        value, default = raw[f.name], getattr(defaults, f.name)
        ok = isinstance(value, type(default)) and not (isinstance(value, bool) and not isinstance(default, bool))
        if ok and isinstance(default, int) and not isinstance(default, bool) and value < 0:
            ok = False
        if ok and f.name == "retention_days" and not 1 <= value <= 36_500:  # 0 purges every order at start-up;
            ok = False  # a huge value overflows the date arithmetic of a purge
        if ok and f.name in CHOICES and value not in CHOICES[f.name]:
            ok = False
        if not ok:
            problems.append(messages.text("settings.bad_key", file=str(path), key=f.name,
                                          problem=f"expected {_expected(f.name, default)}, got {value!r}"))
            continue
        values[f.name] = value
    return Settings(**values), problems


def _expected(key: str, default) -> str:
    return " | ".join(CHOICES[key]) if key in CHOICES else type(default).__name__


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    return write_text_atomic(path or settings_path(), json.dumps(asdict(settings), ensure_ascii=False, indent=2))


def output_dir(settings: Settings) -> Path:
    from .paths import data_dir

    path = Path(settings.output_dir) if settings.output_dir else data_dir() / "output"
    return path
