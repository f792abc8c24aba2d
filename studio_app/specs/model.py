"""Spec dataclasses: one document photo specification, all geometry in output pixels.

Spec files may give geometry in px, mm or fractions of the image; the loader converts once,
so everything downstream (checks, crop solver, overlay) works in output pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MM_PER_INCH = 25.4

# Named background colours (sRGB). Official ID blue/red as used by Chinese studios.
PALETTE: dict[str, tuple[int, int, int]] = {
    "white": (255, 255, 255),
    "blue": (67, 142, 219),
    "red": (255, 0, 0),
    "light_grey": (230, 230, 230),
    "light_blue": (214, 230, 245),
}
PALETTE_ZH = {"white": "白色", "blue": "蓝色", "red": "红色", "light_grey": "浅灰", "light_blue": "浅蓝"}


@dataclass(frozen=True)
class Range:
    """Closed interval in output pixels; an open end is 0 or +inf."""

    lo: float = 0.0
    hi: float = math.inf

    def __contains__(self, value: float) -> bool:
        return self.lo <= value <= self.hi

    @property
    def bounded(self) -> bool:
        return math.isfinite(self.hi)

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2 if self.bounded else self.lo

    def distance(self, value: float) -> float:
        """How far ``value`` lies outside the range (0 inside)."""
        if value < self.lo:
            return self.lo - value
        if value > self.hi:
            return value - self.hi
        return 0.0

    def text(self, unit: str = "px", scale: float = 1.0, digits: int = 0) -> str:
        lo, hi = self.lo * scale, self.hi * scale
        fmt = f"{{:.{digits}f}}"
        if not self.bounded:
            return f"≥ {fmt.format(lo)} {unit}"
        if lo <= 0:
            return f"≤ {fmt.format(hi)} {unit}"
        return f"{fmt.format(lo)}–{fmt.format(hi)} {unit}"


@dataclass(frozen=True)
class Geometry:
    """Head geometry in output pixels (y measured from the top edge, x from the left)."""

    face_width: Range | None = None  # cheek to cheek at the ears
    head_height: Range | None = None  # chin to crown (top of hair)
    crown_y: Range | None = None  # top edge to crown
    chin_margin: Range | None = None  # chin to bottom edge
    eye_y: Range | None = None  # top edge to the eye line
    eye_x: Range | None = None  # left edge to the midpoint between the eyes
    inter_eye: Range | None = None  # between eye centres


@dataclass(frozen=True)
class Pose:
    yaw: float = 5.0
    pitch: float = 5.0
    roll: float = 8.0


@dataclass(frozen=True)
class Rules:
    """Appearance rules that differ between documents (``[spec.rules]`` in the TOML)."""

    # "document" (身份证, 社保卡, passports: no shadow on the face, 脸部无阴影) or "studio"
    # (1寸/2寸 prints: a soft key from one side is a portrait, not a fault)
    lighting: str = "document"
    # the clothing must stand out from the backdrop (white tops on white fail: 身份证/社保卡)
    clothing_contrast: bool = False
    # customary headwear (少数民族, religious) may be confirmed by the operator
    customary_headwear: bool = True


@dataclass(frozen=True)
class FileRules:
    format: str = "jpeg"
    quality_min: int = 70
    quality_max: int = 95
    kb_min: float | None = None
    kb_max: float | None = None


@dataclass(frozen=True)
class Background:
    name: str  # palette name, or "custom"
    rgb: tuple[int, int, int]

    @property
    def hex(self) -> str:
        return "#{:02X}{:02X}{:02X}".format(*self.rgb)

    @property
    def label_zh(self) -> str:
        return PALETTE_ZH.get(self.name, self.hex)


@dataclass(frozen=True)
class Spec:
    id: str
    family: str
    family_zh: str
    family_en: str
    name_zh: str
    name_en: str
    region: str  # national | province | city
    region_name: str  # e.g. 全国, 广东省, 深圳市
    width_px: int
    height_px: int
    dpi: int
    print_mm: tuple[float, float]
    backgrounds: tuple[Background, ...]
    geometry: Geometry
    pose: Pose = field(default_factory=Pose)
    file: FileRules = field(default_factory=FileRules)
    rules: Rules = field(default_factory=Rules)
    source: str = ""
    notes: str = ""
    city: str | None = None  # city this variant applies to (for the city -> spec choice)
    origin: str = ""  # the TOML file it was loaded from

    @property
    def size(self) -> tuple[int, int]:
        return self.width_px, self.height_px

    @property
    def px_per_mm(self) -> tuple[float, float]:
        return self.width_px / self.print_mm[0], self.height_px / self.print_mm[1]

    @property
    def default_background(self) -> Background:
        return self.backgrounds[0]

    def name(self, lang: str = "zh_CN") -> str:
        return self.name_en if lang.startswith("en") else self.name_zh

    def to_dict(self) -> dict:
        """All numbers, in px and mm, for `specs show --json` and reports."""
        sx, sy = self.px_per_mm
        geo = {}
        for key, horizontal in (
            ("face_width", True), ("head_height", False), ("crown_y", False),
            ("chin_margin", False), ("eye_y", False), ("eye_x", True), ("inter_eye", True),
        ):
            rng = getattr(self.geometry, key)
            if rng is None:
                continue
            scale = sx if horizontal else sy
            hi = rng.hi if rng.bounded else None
            geo[key] = {
                "px": [round(rng.lo, 1), None if hi is None else round(hi, 1)],
                "mm": [round(rng.lo / scale, 2), None if hi is None else round(hi / scale, 2)],
            }
        return {
            "id": self.id, "family": self.family, "family_zh": self.family_zh,
            "family_en": self.family_en, "name_zh": self.name_zh, "name_en": self.name_en,
            "region": self.region, "region_name": self.region_name, "city": self.city,
            "width_px": self.width_px, "height_px": self.height_px, "dpi": self.dpi,
            "print_mm": list(self.print_mm),
            "backgrounds": [{"name": b.name, "hex": b.hex} for b in self.backgrounds],
            "geometry": geo,
            "pose": {"yaw": self.pose.yaw, "pitch": self.pose.pitch, "roll": self.pose.roll},
            "file": {
                "format": self.file.format, "quality": [self.file.quality_min, self.file.quality_max],
                "kb": [self.file.kb_min, self.file.kb_max],
            },
            "source": self.source, "notes": self.notes, "origin": self.origin,
        }
