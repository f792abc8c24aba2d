"""The self-test's stages (``studio-app --self-test``): resources, the sample, analysis, checks,
correction, export, the receipt through the one order writer, the Qt runtime. Each takes the
shared :class:`Context` and returns a one-line detail, or raises."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .paths import resource, resources_dir
from .selftest_files import _require, jpeg_facts, pdf_facts

#: The sample portrait, first match wins: the demo subject that passes (Face Research Lab London
#: Set, CC BY 4.0), so the export stage writes a photo (a retake is written as a report only).
SAMPLE_CANDIDATES = (("demo", "ldn_006_f_bun_navy.jpg"), ("demo", "astronaut.png"), ("selftest", "astronaut.png"))
#: The spec the self-test produces: the social-security card of the source document's city.
SPEC_ID = "sscard_shenzhen"


@dataclass
class StageResult:
    key: str
    status: str  # "pass" | "fail" | "skip"
    seconds: float = 0.0
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "pass"


@dataclass
class Context:
    out_dir: Path
    spec_id: str = SPEC_ID
    sample: Path | None = None
    spec: Any = None
    rgb: Any = None
    analysis: Any = None
    report: Any = None
    result: Any = None
    exported: dict[str, Path] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def find_sample() -> Path | None:
    for parts in SAMPLE_CANDIDATES:
        path = resource(*parts)
        if path.is_file():
            return path
    return None


def stage_resources(ctx: Context) -> str:
    from .specs import default_library
    from .vision import models

    problems = models.verify_all()
    _require(not problems, "模型文件缺失或损坏：" + "; ".join(p.message("zh_CN") for p in problems),
             "model files missing or corrupt: " + "; ".join(p.message("en") for p in problems))
    fonts = [p for p in resource("fonts").glob("*.tt[fc]")] if resource("fonts").is_dir() else []
    _require(bool(fonts), "缺少中文字体", "no CJK font in resources/fonts")
    library = default_library()
    _require(len(library) > 0, "规格库为空", "the spec library is empty")
    ctx.spec = library.get(ctx.spec_id)
    ctx.sample = ctx.sample or find_sample()
    _require(ctx.sample is not None and ctx.sample.is_file(), "缺少自检样张", "the self-test sample is missing")
    return f"{len(models.manifest())} models, {len(library)} specs, {fonts[0].name}"


def stage_load(ctx: Context) -> str:
    import numpy as np

    from .imageio import load_image

    rgb = load_image(ctx.sample)
    _require(isinstance(rgb, np.ndarray) and rgb.dtype == np.uint8 and rgb.ndim == 3 and rgb.shape[2] == 3,
             "读出的不是 RGB 图像", "not an RGB uint8 image")
    ctx.rgb = rgb
    return f"{ctx.sample.name} {rgb.shape[1]}x{rgb.shape[0]}"


def stage_analyze(ctx: Context) -> str:
    from .vision.analyzer import analyze_still

    a = analyze_still(ctx.rgb)
    _require(len(a.faces) == 1, f"找到 {len(a.faces)} 张人脸（应为 1）", f"{len(a.faces)} faces found (expected 1)")
    _require(a.landmarks is not None and len(a.landmarks) >= 468, "没有人脸关键点", "no face landmarks")
    _require(a.eye_left is not None and a.eye_right is not None and a.chin is not None,
             "缺少眼睛或下巴位置", "eyes or chin not located")
    _require(a.person_mask is not None and a.person_mask.shape[:2] == ctx.rgb.shape[:2],
             "没有人像分割", "no person segmentation mask")
    h, w = ctx.rgb.shape[:2]
    face = a.faces[0]
    _require(0 <= face.x < w and 0 <= face.y < h and face.w > 0.1 * w,
             "人脸位置不合理", "implausible face box")
    ctx.analysis = a
    pose = "/".join("-" if v is None else f"{v:.0f}" for v in (a.yaw, a.pitch, a.roll))
    return f"1 face, {len(a.landmarks)} landmarks, yaw/pitch/roll {pose}°"


def stage_checks(ctx: Context) -> str:
    from .compliance import run_checks

    report = run_checks(ctx.analysis, ctx.spec)
    results = list(report.results)
    _require(len(results) >= 5, f"只有 {len(results)} 项检查", f"only {len(results)} checks ran")
    bad = [r.id for r in results if r.status not in ("pass", "warn", "fail")]
    _require(not bad, f"检查状态无效：{bad}", f"invalid check status: {bad}")
    json.dumps(report.to_dict("en"), ensure_ascii=False, default=str)  # serialisable for the logs
    ctx.report = report
    counts = {s: sum(1 for r in results if r.status == s) for s in ("pass", "warn", "fail")}
    return f"{len(results)} checks: {counts['pass']} pass, {counts['warn']} warn, {counts['fail']} fail"


def stage_correct(ctx: Context) -> str:
    from .imaging.pipeline import ProcessOptions, process_photo

    result = process_photo(ctx.rgb, ctx.spec, ProcessOptions(), analysis=ctx.analysis)
    w, h = ctx.spec.size
    _require(result.photo is not None and tuple(result.photo.shape[:2]) == (h, w),
             f"照片尺寸错误：{getattr(result.photo, 'shape', None)}（应为 {w}x{h}）",
             f"photo size is {getattr(result.photo, 'shape', None)}, expected {w}x{h}")
    facts = jpeg_facts(result.jpeg)
    _require(facts["size"] == (w, h), f"JPEG 尺寸 {facts['size']}", f"JPEG size {facts['size']}")
    ctx.result = result
    fixes = ", ".join(str(c.get("id", c)) if isinstance(c, dict) else str(getattr(c, "id", c))
                      for c in list(getattr(result, "corrections", ()) or ()))
    return f"{w}x{h} px, {facts['kb']:.0f} KB" + (f"; {fixes}" if fixes else "")


def stage_export(ctx: Context) -> str:
    from .imaging.export import write_outputs

    out = ctx.out_dir / "export"
    written = write_outputs(ctx.result, out)
    files = _paths_from(written) or sorted(p for p in out.rglob("*") if p.is_file())
    jpegs = [p for p in files if p.suffix.lower() in (".jpg", ".jpeg")]
    pdfs = [p for p in files if p.suffix.lower() == ".pdf"]
    _require(bool(jpegs), "没有导出 JPEG", "no JPEG exported")
    spec = ctx.spec
    w, h = spec.size
    photo = next((p for p in jpegs if jpeg_facts(p.read_bytes())["size"] == (w, h)), None)
    _require(photo is not None, f"没有 {w}x{h} 的证件照文件", f"no {w}x{h} photo among {[p.name for p in jpegs]}")
    facts = jpeg_facts(photo.read_bytes())
    _require(facts["dpi"] == (spec.dpi, spec.dpi), f"DPI 为 {facts['dpi']}（应为 {spec.dpi}）",
             f"DPI is {facts['dpi']}, expected {spec.dpi}")
    lo, hi = spec.file.kb_min, spec.file.kb_max
    _require((lo is None or facts["kb"] >= lo) and (hi is None or facts["kb"] <= hi),
             f"文件大小 {facts['kb']:.1f} KB 不在 {lo}–{hi} KB", f"file size {facts['kb']:.1f} KB outside {lo}–{hi} KB")
    ctx.exported["photo"] = photo
    detail = [f"{photo.name} {w}x{h} {spec.dpi} dpi {facts['kb']:.0f} KB (band {lo}–{hi})"]
    # The print layout sheet: written by write_outputs, or made here if it was not.
    if pdfs:
        sheet_pdf = pdfs[0].read_bytes()
    else:
        from .imaging.sheets import make_sheet

        sheet = make_sheet(ctx.result.photo, spec)
        sheet_pdf = sheet.pdf
        jpeg_facts(sheet.jpeg)
    pdf = pdf_facts(sheet_pdf)
    _require(pdf["images"] >= 1, "排版 PDF 中没有照片", "the sheet PDF holds no photo")
    detail.append(f"sheet PDF {pdf['pages']} page(s)")
    return "; ".join(detail)


def _paths_from(written: Any) -> list[Path]:
    """Paths out of whatever write_outputs returned (a mapping, a sequence or an object)."""
    if written is None:
        return []
    if isinstance(written, (str, os.PathLike)):
        return [Path(written)]
    if isinstance(written, dict):
        values = list(written.values())
    elif isinstance(written, (list, tuple, set)):
        values = list(written)
    else:
        values = [v for v in vars(written).values()] if hasattr(written, "__dict__") else []
    out = []
    for v in values:
        if isinstance(v, (str, os.PathLike)) and Path(v).is_file():
            out.append(Path(v))
        elif isinstance(v, (list, tuple)):
            out.extend(Path(x) for x in v if isinstance(x, (str, os.PathLike)) and Path(x).is_file())
    return sorted(set(out))


def stage_receipt(ctx: Context) -> str:
    """The studio's own flow through the one order writer (the shells' and the CLI's): the
    processed photo's bytes become an order, its files and its receipt, which is then verified
    against the store (the PDF's hash and payload must match the order)."""
    from .orders import open_store
    from .receipts import verify
    from .services.order_writer import write_order
    from .services.orders import Applicant
    from .settings import Settings

    # A clearly fictitious applicant (a published sample ID number, no real person).
    applicant = Applicant(name="自检测试", id_number="11010519491231002X", city=ctx.spec.city or "深圳市",
                          phone="13800000000")
    with open_store(f"sqlite:///{(ctx.out_dir / 'selftest-orders.db').as_posix()}") as store:
        written = write_order(store, ctx.spec, applicant, ctx.result, ctx.out_dir / "orders", settings=Settings(),
                              client_token="self-test", status="exported")
        order, receipt_path = written.order, written.path("receipt.pdf")
        _require(receipt_path is not None and receipt_path.is_file(), "没有生成回执", "no receipt was written")
        verdict = verify(str(receipt_path), store)
        _require(verdict.status == "valid", f"回执核验：{verdict.message('zh_CN')}",
                 f"receipt verification: {verdict.message('en')}")
    pdf_bytes = receipt_path.read_bytes()
    pdf = pdf_facts(pdf_bytes)
    _require(pdf["images"] >= 1, "回执中没有照片", "the receipt holds no photo")
    _require(bool(pdf["fonts"]), "回执中没有字体", "the receipt embeds no font")
    return (f"{order.receipt_no} / {order.image_no}, {len(pdf_bytes) / 1024:.0f} KB, "
            f"{pdf['pages']} page(s), {pdf['images']} image(s), verified")


def stage_qt(ctx: Context) -> str:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTranslator
    from PySide6.QtGui import QFontDatabase, QGuiApplication, QImageReader

    app = QGuiApplication.instance() or QGuiApplication(["studio-app"])
    platform = app.platformName()
    details = [f"platform {platform}"]
    font = next(iter(sorted(resource("fonts").glob("*.tt[fc]"))))
    font_id = QFontDatabase.addApplicationFont(str(font))
    _require(font_id >= 0, f"Qt 无法加载字体 {font.name}", f"Qt cannot load the font {font.name}")
    families = QFontDatabase.applicationFontFamilies(font_id)
    _require(bool(families), "字体没有字族", "the font has no family")
    formats = {bytes(f.data()).decode().lower() for f in QImageReader.supportedImageFormats()}
    _require({"jpg", "png"} <= formats, f"缺少图片格式插件：{sorted(formats)}",
             f"image format plugins missing: {sorted(formats)}")
    details.append(f"font {families[0]}")
    # The multimedia backend (camera, sounds): a missing plugin leaves no decodable formats.
    from PySide6.QtMultimedia import QMediaFormat

    decodable = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Decode)
    _require(len(decodable) > 0, "多媒体插件未加载", "no Qt multimedia backend plugin loaded")
    details.append(f"multimedia {len(decodable)} formats")
    # The app's translations: every compiled catalogue must load.
    i18n = resources_dir() / "i18n"
    qms = sorted(i18n.glob("*.qm")) if i18n.is_dir() else []
    bad = [q.name for q in qms if not QTranslator().load(str(q))]
    _require(not bad, f"翻译文件无法加载：{bad}", f"translations fail to load: {bad}")
    details.append(f"{len(qms)} translation(s)")
    return ", ".join(details)


STAGES: list[tuple[str, Callable[[Context], str], tuple[str, ...]]] = [
    ("resources", stage_resources, ()),
    ("load", stage_load, ("resources",)),
    ("analyze", stage_analyze, ("load",)),
    ("checks", stage_checks, ("analyze",)),
    ("correct", stage_correct, ("analyze",)),
    ("export", stage_export, ("correct",)),
    ("receipt", stage_receipt, ("correct",)),
    ("qt", stage_qt, ("resources",)),
]
