"""Load spec TOML files into frozen :class:`Spec` objects, converting geometry to pixels once.

A spec file holds one document family: top-level ``family``/``family_zh``/``family_en`` and a
list of ``[[spec]]`` tables. A bad entry raises :class:`SpecError` naming the file, the key
and what is wrong; :func:`load_library` collects those errors and keeps the good specs.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import messages
from ..errors import StudioError
from .model import MM_PER_INCH, PALETTE, Background, FileRules, Geometry, Pose, Range, Rules, Spec

messages.register({
    "spec.error": ("规格文件 {file} 中 {key}：{problem}", "Spec file {file}, key {key}: {problem}"),
    "spec.unknown": ("未知的规格：{id}", "Unknown spec: {id}"),
})

BUILTIN_DIR = Path(__file__).parent / "data"

# Geometry keys a file may use -> (canonical field, axis). "from_bottom" keys are flipped.
_GEOMETRY_KEYS = {
    "face_width": ("face_width", "x"),
    "head_height": ("head_height", "y"),
    "crown_margin": ("crown_y", "y"),
    "chin_margin": ("chin_margin", "y"),
    "eye_line_from_top": ("eye_y", "y"),
    "eye_line_from_bottom": ("eye_y", "y"),
    "eye_center_x": ("eye_x", "x"),
    "inter_eye": ("inter_eye", "x"),
}
_UNITS = ("px", "mm", "frac")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_ID = re.compile(r"^[a-z0-9_]+$")
_REGIONS = ("national", "province", "city")


class SpecError(StudioError):
    """A bad spec file: which file, which key, what is wrong."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file, self.key_path, self.problem = file, key, problem
        super().__init__("spec.error", file=file, key=key, problem=problem)

    def __str__(self) -> str:
        return f"{self.file}: {self.key_path}: {self.problem}"


class _Reader:
    """Typed access to one spec table, raising SpecError with the dotted key."""

    def __init__(self, file: str, table: dict, prefix: str) -> None:
        self.file, self.table, self.prefix = file, table, prefix

    def fail(self, key: str, problem: str) -> SpecError:
        return SpecError(self.file, f"{self.prefix}.{key}" if key else self.prefix, problem)

    def get(self, key: str, kind: type | tuple, default: Any = ..., table: dict | None = None) -> Any:
        src = self.table if table is None else table
        if key not in src:
            if default is ...:
                raise self.fail(key, "missing required key / 缺少必填项")
            return default
        value = src[key]
        if kind in (float, int) or kind == (int, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.fail(key, f"expected a number, got {value!r}")
            if not math.isfinite(value):
                raise self.fail(key, "must be finite")
            if kind is int and not isinstance(value, int):
                raise self.fail(key, f"expected a whole number, got {value!r}")
            return value
        if not isinstance(value, kind):
            name = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            raise self.fail(key, f"expected {name}, got {type(value).__name__} {value!r}")
        return value


    def number(self, key: str, value: Any, lo: float, hi: float, integer: bool = False) -> float:
        """``value`` checked: a number (not a boolean), finite, within [lo, hi]."""
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
            raise self.fail(key, f"须为{'整数' if integer else '数字'} / expected a {'whole ' if integer else ''}"
                                 f"number, got {value!r}")
        if not math.isfinite(value):
            raise self.fail(key, f"须为有限数 / must be finite, got {value!r}")
        if not lo <= value <= hi:
            raise self.fail(key, f"须在 {lo:g}–{hi:g} 之间 / must be within {lo:g}–{hi:g}, got {value!r}")
        return value


MAX_PX = 100_000.0  # geometry bound in px (images are at most 10000 px)
MAX_MM = 1000.0
PRINT_MM = (5.0, 600.0)  # a print is at least 5 mm and at most A2-ish
KB = (1.0, 100_000.0)


def _parse_range(r: _Reader, key: str, raw: Any, scale: float, extent: float) -> Range:
    if not isinstance(raw, dict):
        raise r.fail(key, "expected a table like { min = 7, max = 21, unit = \"px\" }")
    unknown = set(raw) - {"min", "max", "unit"}
    if unknown:
        raise r.fail(key, f"unknown field(s) {sorted(unknown)}")
    unit = raw.get("unit")
    if unit not in _UNITS:
        raise r.fail(f"{key}.unit", f"unit must be one of {', '.join(_UNITS)}, got {unit!r}")
    if "min" not in raw and "max" not in raw:
        raise r.fail(key, "needs min, max or both")
    bound = {"px": MAX_PX, "mm": MAX_MM, "frac": 1.0}[unit]
    lo = r.number(f"{key}.min", raw["min"], 0.0, bound) if "min" in raw else 0.0
    hi = r.number(f"{key}.max", raw["max"], 0.0, bound) if "max" in raw else math.inf
    if lo > hi:
        raise r.fail(key, f"inverted range: min {lo} > max {hi}")
    factor = {"px": 1.0, "mm": scale, "frac": extent}[unit]
    if unit == "frac" and (hi != math.inf and hi > 1.0):
        raise r.fail(f"{key}.max", "a fraction must be <= 1")
    return Range(lo * factor, hi * factor if math.isfinite(hi) else math.inf)


def _parse_spec(file: str, family: dict, table: dict, index: int) -> Spec:
    r = _Reader(file, table, f"spec[{index}]")
    spec_id = r.get("id", str)
    if not _ID.match(spec_id):
        raise r.fail("id", "use lower-case letters, digits and _ only")
    r.prefix = f"spec[{spec_id}]"
    width = r.get("width_px", int)
    height = r.get("height_px", int)
    if not (16 <= width <= 10000 and 16 <= height <= 10000):
        raise r.fail("width_px", "pixel size must be between 16 and 10000")
    dpi = r.get("dpi", int)
    if not 72 <= dpi <= 1200:
        raise r.fail("dpi", f"dpi {dpi} outside 72–1200")
    print_mm = r.get("print_mm", list, None)
    if print_mm is None:
        print_mm = [width / dpi * MM_PER_INCH, height / dpi * MM_PER_INCH]
    if len(print_mm) != 2:
        raise r.fail("print_mm", "须为 [宽毫米, 高毫米] / expected [width_mm, height_mm]")
    for i, v in enumerate(print_mm):
        r.number(f"print_mm[{i}]", v, *PRINT_MM)
    sx, sy = width / print_mm[0], height / print_mm[1]

    region = r.get("region", str)
    if region not in _REGIONS:
        raise r.fail("region", f"must be one of {', '.join(_REGIONS)}")

    backgrounds = []
    for i, name in enumerate(r.get("backgrounds", list)):
        if not isinstance(name, str):
            raise r.fail(f"backgrounds[{i}]", "expected a colour name or #RRGGBB")
        if name in PALETTE:
            backgrounds.append(Background(name, PALETTE[name]))
        elif _HEX.match(name):
            backgrounds.append(Background("custom", tuple(int(name[k:k + 2], 16) for k in (1, 3, 5))))
        else:
            raise r.fail(f"backgrounds[{i}]", f"unknown background {name!r}; use one of "
                         f"{', '.join(PALETTE)} or #RRGGBB")
    if not backgrounds:
        raise r.fail("backgrounds", "at least one background colour is required")

    geo_raw = r.get("geometry", dict, {})
    g = _Reader(file, geo_raw, f"{r.prefix}.geometry")
    geo: dict[str, Range] = {}
    for key, raw in geo_raw.items():
        if key not in _GEOMETRY_KEYS:
            raise g.fail(key, f"unknown geometry key; known: {', '.join(_GEOMETRY_KEYS)}")
        target, axis = _GEOMETRY_KEYS[key]
        if target in geo:
            raise g.fail(key, f"{target} given twice")
        rng = _parse_range(g, key, raw, sx if axis == "x" else sy, width if axis == "x" else height)
        if key == "eye_line_from_bottom":  # flip to distance from the top edge
            rng = Range(max(0.0, height - rng.hi) if rng.bounded else 0.0, height - rng.lo)
        geo[target] = rng
    if "face_width" not in geo and "head_height" not in geo:
        raise g.fail("", "needs face_width or head_height to fix the head size")
    # Defaults a professional would expect when a document is silent: centred eyes.
    geo.setdefault("eye_x", Range(width * 0.46, width * 0.54))
    _check_feasible(g, geo, width, height)

    pose_raw = r.get("pose", dict, {})
    p = _Reader(file, pose_raw, f"{r.prefix}.pose")
    pose = Pose(*(float(p.number(k, pose_raw.get(k, d), 0.0, 90.0)) for k, d in (("yaw", 5.0), ("pitch", 5.0),
                                                                                  ("roll", 8.0))))
    for k in ("yaw", "pitch", "roll"):
        if not 0 < getattr(pose, k) <= 45:
            raise p.fail(k, "tolerance must be in (0, 45] degrees")

    file_raw = r.get("file", dict, {})
    f = _Reader(file, file_raw, f"{r.prefix}.file")
    fmt = f.get("format", str, "jpeg")
    if fmt != "jpeg":
        raise f.fail("format", "only jpeg is supported")
    quality = f.get("quality", list, [70, 95])
    if len(quality) != 2:
        raise f.fail("quality", "须为 [最低, 最高] / expected [min, max] JPEG quality within 1–100")
    for i, q in enumerate(quality):
        f.number(f"quality[{i}]", q, 1, 100, integer=True)
    if quality[0] > quality[1]:
        raise f.fail("quality", "expected [min, max] JPEG quality within 1–100")
    kb = f.get("kb", list, [None, None])
    if len(kb) != 2:
        raise f.fail("kb", "expected [min_kb, max_kb]")
    # 0 means "no limit" (as before); anything else is a finite size within KB
    kb_min, kb_max = (None if v is None or (isinstance(v, int) and not isinstance(v, bool) and v == 0)
                      else f.number(f"kb[{i}]", v, *KB) for i, v in enumerate(kb))
    if kb_min is not None and kb_max is not None and kb_min > kb_max:
        raise f.fail("kb", f"inverted range: {kb_min} > {kb_max}")

    rules_raw = r.get("rules", dict, {})
    ru = _Reader(file, rules_raw, f"{r.prefix}.rules")
    for key in rules_raw:
        if key not in ("lighting", "clothing_contrast", "customary_headwear"):
            raise ru.fail(key, "unknown rule; known: lighting, clothing_contrast, customary_headwear")
    lighting = ru.get("lighting", str, "document")
    if lighting not in ("document", "studio"):
        raise ru.fail("lighting", "must be document or studio")
    rules = Rules(lighting, bool(ru.get("clothing_contrast", bool, False)),
                  bool(ru.get("customary_headwear", bool, True)))

    return Spec(
        id=spec_id,
        family=family["family"], family_zh=family["family_zh"], family_en=family["family_en"],
        name_zh=r.get("name_zh", str), name_en=r.get("name_en", str),
        region=region, region_name=r.get("region_name", str, "全国"),
        width_px=width, height_px=height, dpi=dpi,
        print_mm=(float(print_mm[0]), float(print_mm[1])),
        backgrounds=tuple(backgrounds), geometry=Geometry(**geo), pose=pose,
        file=FileRules(fmt, quality[0], quality[1], kb_min, kb_max), rules=rules,
        source=r.get("source", str), notes=r.get("notes", str, ""),
        city=r.get("city", str, None), origin=file,
    )


def _check_feasible(g: _Reader, geo: dict[str, Range], width: int, height: int) -> None:
    """Reject geometry no photo can satisfy (the crop solver would search in vain)."""
    for key, extent in (("face_width", width), ("eye_x", width), ("inter_eye", width),
                        ("head_height", height), ("crown_y", height), ("eye_y", height),
                        ("chin_margin", height)):
        rng = geo.get(key)
        if rng is not None and rng.lo > extent:
            raise g.fail(key, f"minimum {rng.lo:.0f} px exceeds the image ({extent} px)")
    crown, head, chin = geo.get("crown_y"), geo.get("head_height"), geo.get("chin_margin")
    if head and crown and crown.lo + head.lo > height:
        raise g.fail("head_height", "crown margin + head height exceed the image height")
    if head and chin and crown and crown.lo + head.lo + chin.lo > height:
        raise g.fail("chin_margin", "crown margin + head height + chin margin exceed the image height")
    eye, crown_r = geo.get("eye_y"), geo.get("crown_y")
    if eye and crown_r and eye.bounded and eye.hi < crown_r.lo:
        raise g.fail("eye_line", "eye line must lie below the crown")


def load_file(path: Path) -> list[Spec]:
    """All specs in one TOML file; raises SpecError on the first problem."""
    name = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SpecError(name, "(file)", f"not UTF-8 text: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(name, "(syntax)", f"TOML syntax error: {exc}") from None
    except OSError as exc:
        raise SpecError(name, "(file)", f"cannot read: {exc.strerror}") from None
    family = {}
    for key in ("family", "family_zh", "family_en"):
        if not isinstance(raw.get(key), str):
            raise SpecError(name, key, "missing required key / 缺少必填项")
        family[key] = raw[key]
    tables = raw.get("spec")
    if not isinstance(tables, list) or not tables:
        raise SpecError(name, "spec", "expected one or more [[spec]] tables")
    specs = [_parse_spec(name, family, t, i) for i, t in enumerate(tables)]
    ids = [s.id for s in specs]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise SpecError(name, "spec.id", f"duplicate id(s) {sorted(dup)}")
    return specs


@dataclass(frozen=True)
class SpecLibrary:
    specs: dict[str, Spec]
    errors: tuple[SpecError, ...]

    def get(self, spec_id: str) -> Spec:
        try:
            return self.specs[spec_id]
        except KeyError:
            raise StudioError("spec.unknown", id=spec_id) from None

    def __iter__(self):
        return iter(self.specs.values())

    def __len__(self) -> int:
        return len(self.specs)

    def for_city(self, family: str, city: str | None) -> Spec | None:
        """The variant of ``family`` for ``city`` if one exists, else the national one."""
        candidates = [s for s in self.specs.values() if s.family == family]
        for s in candidates:
            if city and s.city and s.city == city:
                return s
        for s in candidates:
            if s.region == "national":
                return s
        return candidates[0] if candidates else None


def load_library(extra_dirs: list[Path] | None = None, builtin: bool = True) -> SpecLibrary:
    """Built-in specs, then each extra folder's ``*.toml`` (a later id overrides an earlier one)."""
    from ..paths import user_specs_dir

    dirs = ([BUILTIN_DIR] if builtin else []) + (
        extra_dirs if extra_dirs is not None else [user_specs_dir()])
    specs: dict[str, Spec] = {}
    errors: list[SpecError] = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                for spec in load_file(path):
                    specs[spec.id] = spec
            except SpecError as exc:
                errors.append(exc)
    return SpecLibrary(specs, tuple(errors))


_DEFAULT: SpecLibrary | None = None


def default_library(reload: bool = False) -> SpecLibrary:
    """The process-wide library (built-in + the studio's own folder), loaded once."""
    global _DEFAULT
    if _DEFAULT is None or reload:
        _DEFAULT = load_library()
    return _DEFAULT


def get_spec(spec_id: str) -> Spec:
    return default_library().get(spec_id)
