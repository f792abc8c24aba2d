"""Receipt templates as data: layouts per paper size, receipt entries per document type/city."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .. import messages
from ..errors import StudioError
from ..paths import config_dir

BUILTIN = Path(__file__).with_name("data") / "templates.toml"
LAYOUTS = ("A5", "A6", "thermal80")
FIELDS = {"name", "id_masked", "doc", "city", "household", "captured", "valid_until", "submit_to", "studio",
          "address", "phone", "station"}

messages.register({
    "receipts.bad_template_file": ("回执模板文件 {file} 有错误：{problem}", "Receipt template file {file}: {problem}"),
    "receipts.unknown_layout": ("未知的回执版式“{name}”（可用：{known}）", "Unknown receipt layout “{name}” ({known})"),
})


@dataclass(frozen=True)
class Layout:
    name: str
    page_mm: tuple[float, float]
    margin_mm: float
    title_pt: float
    number_pt: float
    label_pt: float
    value_pt: float
    small_pt: float
    qr_mm: float
    barcode_mm: tuple[float, float]
    grey_photo: bool = False


@dataclass(frozen=True)
class ReceiptTemplate:
    doc_type: str
    title_zh: str
    title_en: str
    fields: tuple[str, ...]
    city: str | None = None
    province: str | None = None
    validity_days: int | None = None
    signature: bool = False
    origin: str = ""


@dataclass
class TemplateSet:
    layouts: dict[str, Layout] = field(default_factory=dict)
    receipts: list[ReceiptTemplate] = field(default_factory=list)

    def layout(self, name: str) -> Layout:
        if name not in self.layouts:
            raise StudioError("receipts.unknown_layout", name=name, known=", ".join(self.layouts))
        return self.layouts[name]

    def receipt(self, doc_type: str, city: str | None = None, province: str | None = None) -> ReceiptTemplate:
        """The most specific entry: city, then province, then document type, then the default.
        Later files (a studio's own) win over earlier ones at the same level."""
        best, best_score = None, -1
        for t in self.receipts:
            if t.doc_type not in (doc_type, "*"):
                continue
            if t.city and t.city != city:
                continue
            if t.province and t.province != province:
                continue
            score = (2 if t.doc_type == doc_type else 0) + (8 if t.city else 0) + (4 if t.province else 0)
            if score >= best_score:
                best, best_score = t, score
        assert best is not None, "the built-in file has a default entry"
        return best


def _load_file(path: Path, into: TemplateSet) -> None:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        for name, lay in raw.get("layout", {}).items():
            into.layouts[name] = Layout(
                name=name, page_mm=tuple(float(v) for v in lay["page_mm"]), margin_mm=float(lay["margin_mm"]),
                title_pt=float(lay["title_pt"]), number_pt=float(lay["number_pt"]),
                label_pt=float(lay["label_pt"]), value_pt=float(lay["value_pt"]),
                small_pt=float(lay["small_pt"]), qr_mm=float(lay["qr_mm"]),
                barcode_mm=tuple(float(v) for v in lay["barcode_mm"]), grey_photo=bool(lay.get("grey_photo")))
        for i, entry in enumerate(raw.get("receipt", [])):
            fields = tuple(entry.get("fields", ()))
            bad = [f for f in fields if f not in FIELDS]
            if bad:
                raise ValueError(f"receipt[{i}].fields: unknown {', '.join(bad)}")
            into.receipts.append(ReceiptTemplate(
                doc_type=str(entry["doc_type"]), title_zh=str(entry["title_zh"]), title_en=str(entry["title_en"]),
                fields=fields, city=entry.get("city") or None, province=entry.get("province") or None,
                validity_days=int(entry["validity_days"]) if "validity_days" in entry else None,
                signature=bool(entry.get("signature", False)), origin=str(path)))
    except (OSError, ValueError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise StudioError("receipts.bad_template_file", file=str(path), problem=str(exc)) from None


def load_templates() -> TemplateSet:
    ts = TemplateSet()
    _load_file(BUILTIN, ts)
    user = config_dir() / "receipts"
    if user.is_dir():
        for path in sorted(user.glob("*.toml")):
            _load_file(path, ts)
    return ts
