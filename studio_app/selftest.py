"""``studio-app --self-test``: the whole still pipeline on a bundled sample, verified.

Runs, in a temporary folder and without touching the user's data: resources (model hashes, font,
spec library), load the sample, face analysis, compliance checks, correction (crop, background,
lighting, JPEG), export (the spec-exact JPEG and the print sheet, re-read from disk: pixel size,
DPI, file-size band), the photo receipt PDF (structure parsed, embedded images decoded), and the
Qt runtime (platform, fonts, image formats, multimedia backend, translations). Each stage prints
one bilingual line; the exit code is 0 when every stage passed, 1 otherwise, and the last line
names the stages that failed. It is how the installer, an IT person and CI know a build works,
so it must run the same from a checkout, offscreen, and frozen (PyInstaller).
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import __version__, messages
from .errors import StudioError
from .paths import resource, resources_dir

log = logging.getLogger(__name__)

messages.register({
    "selftest.pass": ("通过", "PASS"),
    "selftest.fail": ("失败", "FAIL"),
    "selftest.skip": ("跳过", "SKIP"),
    "selftest.header": ("证件照采集工作站 自检 {version}（{where}）",
                        "ID Photo Capture Station self-test {version} ({where})"),
    "selftest.frozen": ("安装版", "frozen"),
    "selftest.source": ("源码版", "source"),
    "selftest.ok": ("自检通过：{n} 项全部通过，用时 {seconds:.1f} 秒",
                    "Self-test passed: all {n} stages, {seconds:.1f} s"),
    "selftest.failed": ("自检失败：{names}", "Self-test FAILED: {names}"),
    "selftest.needs": ("前一步失败：{names}", "an earlier stage failed: {names}"),
    "selftest.stage.resources": ("模型与资源", "models and resources"),
    "selftest.stage.load": ("读取样张", "load sample"),
    "selftest.stage.analyze": ("人脸分析", "face analysis"),
    "selftest.stage.checks": ("合规检查", "compliance checks"),
    "selftest.stage.correct": ("照片处理", "correction"),
    "selftest.stage.export": ("导出照片与排版", "export photo and sheet"),
    "selftest.stage.receipt": ("照片回执 PDF", "receipt PDF"),
    "selftest.stage.qt": ("界面运行库", "Qt runtime"),
})

#: The sample portrait, first match wins: the demo subject that passes (Face Research Lab London
#: Set, CC BY 4.0), so the export stage writes a photo (a retake is written as a report only).
SAMPLE_CANDIDATES = (("demo", "ldn_006_f_bun_navy.jpg"), ("demo", "astronaut.png"), ("selftest", "astronaut.png"))
#: The spec the self-test produces: the social-security card of the source document's city.
SPEC_ID = "sscard_shenzhen"


class SelfTestFailure(Exception):
    """A verification inside a stage did not hold (the message says which, in both languages)."""


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


def _require(condition: bool, zh: str, en: str) -> None:
    if not condition:
        raise SelfTestFailure(f"{zh} / {en}")


# ----------------------------------------------------------------------------------------------
# File verification (no trust in what the pipeline reports: the bytes on disk are re-read)


def jpeg_facts(data: bytes) -> dict:
    """Decode a JPEG fully; its pixel size, DPI and size in KB."""
    from PIL import Image

    _require(data[:3] == b"\xff\xd8\xff", "不是 JPEG 文件", "not a JPEG file")
    with Image.open(io.BytesIO(data)) as im:
        fmt = im.format
        im.load()  # full decode: a truncated file fails here
        size = im.size
        dpi = im.info.get("dpi")
    _require(fmt == "JPEG", f"格式为 {fmt}", f"format is {fmt}")
    return {
        "size": size,
        "dpi": tuple(round(float(d)) for d in dpi) if dpi else None,
        "kb": len(data) / 1024.0,
    }


_OBJ_RE = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_REF_RE = r"/{key}\s+(\d+)\s+\d+\s+R"


def _filters(header: bytes) -> list[str]:
    m = re.search(rb"/Filter\s*(\[[^\]]*\]|/\w+)", header)
    return re.findall(r"/(\w+)", m.group(1).decode("latin-1")) if m else []


MAX_INFLATE = 256 * 2**20  # a self-test page stream is a few MB at most


def _inflate_capped(data: bytes) -> bytes:
    """zlib inflate that stops at :data:`MAX_INFLATE` bytes (a decompression bomb is a ValueError,
    never a MemoryError)."""
    d = zlib.decompressobj()
    out = d.decompress(data, MAX_INFLATE)
    if d.unconsumed_tail:
        raise ValueError(f"stream inflates to more than {MAX_INFLATE // 2**20} MB")
    return out


def _decode_stream(raw: bytes, filters: list[str]) -> tuple[bytes, str | None]:
    """Apply the stream filters; returns the data and the image codec left undecoded (DCT)."""
    data = raw
    for name in filters:
        if name in ("ASCII85Decode", "A85"):
            text = data.strip()
            if text.startswith(b"<~"):
                text = text[2:]
            if text.endswith(b"~>"):
                text = text[:-2]
            data = base64.a85decode(re.sub(rb"\s+", b"", text))
        elif name in ("FlateDecode", "Fl"):
            data = _inflate_capped(data)
        elif name in ("ASCIIHexDecode", "AHx"):
            data = bytes.fromhex(re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">")[0]).decode())
        elif name in ("DCTDecode", "DCT"):
            return data, "DCT"
        else:
            return data, name
    return data, None


def pdf_facts(data: bytes) -> dict:
    """Parse a PDF's structure: header, cross-reference table (every in-use entry must point at
    its object), trailer, catalogue and page tree; decode every stream's filters and every
    embedded JPEG. Returns page count, image count and the font names. Raises SelfTestFailure."""
    from PIL import Image

    _require(data.startswith(b"%PDF-"), "缺少 PDF 文件头", "no PDF header")
    _require(b"%%EOF" in data[-1024:], "缺少 PDF 结束标记", "no %%EOF marker")
    m = list(re.finditer(rb"startxref\s+(\d+)", data))
    _require(bool(m), "缺少 startxref", "no startxref")
    xref_at = int(m[-1].group(1))
    _require(0 < xref_at < len(data), "startxref 越界", "startxref out of range")

    offsets: dict[int, int] = {}
    if data[xref_at:xref_at + 4] == b"xref":
        pos = xref_at + 4
        tail = data[pos:]
        trailer_at = tail.find(b"trailer")
        _require(trailer_at > 0, "缺少 trailer", "no trailer")
        lines = tail[:trailer_at].split()
        i = 0
        while i + 1 < len(lines):
            start, count = int(lines[i]), int(lines[i + 1])
            i += 2
            for n in range(count):
                off, _gen, kind = lines[i], lines[i + 1], lines[i + 2]
                i += 3
                if kind == b"n":
                    offsets[start + n] = int(off)
        trailer = tail[trailer_at:]
    else:  # a cross-reference stream: fall back to locating the objects by scanning
        for om in _OBJ_RE.finditer(data):
            offsets.setdefault(int(om.group(1)), om.start())
        trailer = data[xref_at:]
    _require(bool(offsets), "交叉引用表为空", "empty cross-reference table")

    objects: dict[int, bytes] = {}
    for num, off in offsets.items():
        om = _OBJ_RE.match(data, off) or _OBJ_RE.match(data, off + 1)
        _require(om is not None and int(om.group(1)) == num,
                 f"对象 {num} 的偏移错误", f"xref offset of object {num} is wrong")
        end = data.find(b"endobj", om.end())
        _require(end > 0, f"对象 {num} 未结束", f"object {num} has no endobj")
        objects[num] = data[om.end():end]

    def ref(body: bytes, key: str) -> int:
        rm = re.search(_REF_RE.format(key=key).encode(), body)
        _require(rm is not None, f"缺少 /{key}", f"no /{key} reference")
        return int(rm.group(1))

    root = objects.get(ref(trailer, "Root"))
    _require(root is not None and b"/Catalog" in root, "缺少文档目录", "no document catalogue")
    pages_obj = objects.get(ref(root, "Pages"))
    _require(pages_obj is not None, "缺少页面树", "no page tree")
    cm = re.search(rb"/Count\s+(\d+)", pages_obj)
    _require(cm is not None, "页面树没有 /Count", "page tree has no /Count")
    pages = int(cm.group(1))
    leaf_pages = sum(1 for body in objects.values() if re.search(rb"/Type\s*/Page\b(?!s)", body))
    _require(pages >= 1 and leaf_pages == pages,
             f"页数不一致（{pages} / {leaf_pages}）", f"page count mismatch ({pages} vs {leaf_pages})")

    images = 0
    fonts = set()
    for num, body in objects.items():
        for fm in re.finditer(rb"/BaseFont\s*/([^\s/\]>]+)", body):
            fonts.add(fm.group(1).decode("latin-1"))
        s = body.find(b"stream")
        if s < 0:
            continue
        header = body[:s]
        start = s + len(b"stream")
        if body[start:start + 2] == b"\r\n":
            start += 2
        elif body[start:start + 1] in (b"\n", b"\r"):
            start += 1
        lm = re.search(rb"/Length\s+(\d+)(\s+\d+\s+R)?", header)
        if lm and not lm.group(2):
            raw = body[start:start + int(lm.group(1))]
        else:
            raw = body[start:body.rfind(b"endstream")]
        try:
            decoded, codec = _decode_stream(raw, _filters(header))
        except (ValueError, zlib.error) as exc:
            raise SelfTestFailure(f"对象 {num} 的数据流无法解码 / stream of object {num} "
                                  f"does not decode: {exc}") from exc
        if re.search(rb"/Subtype\s*/Image", header):
            images += 1
            if codec == "DCT":
                try:
                    with Image.open(io.BytesIO(decoded)) as im:
                        im.load()
                except Exception as exc:
                    raise SelfTestFailure(f"内嵌图片 {num} 已损坏 / embedded image {num} is "
                                          f"corrupt: {exc}") from exc
    return {"pages": pages, "images": images, "fonts": sorted(fonts), "objects": len(objects)}


# ----------------------------------------------------------------------------------------------
# Stages


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
    """The studio's own flow: order stored with the exported photo, receipt issued, then
    verified against the store (the PDF's hash and payload must match the order)."""
    from .orders import open_store
    from .services.orders import record_processed
    from .receipts import verify
    from .session import Applicant

    photo = ctx.exported.get("photo")
    if photo is None:
        photo = ctx.out_dir / "photo.jpg"
        photo.write_bytes(ctx.result.jpeg)
    receipt_path = ctx.out_dir / "receipt.pdf"
    # A clearly fictitious applicant (a published sample ID number, no real person).
    applicant = Applicant(name="自检测试", id_number="11010519491231002X", province="广东省",
                          city=ctx.spec.city or "深圳市", phone="13800000000")
    report = ctx.report.to_dict("zh_CN") if ctx.report is not None else None
    with open_store(f"sqlite:///{(ctx.out_dir / 'selftest-orders.db').as_posix()}") as store:
        order = record_processed(store, ctx.spec, applicant, photo, report, receipt=True,
                                 receipt_path=receipt_path, client_token="self-test")
        _require(receipt_path.is_file(), "没有生成回执", "no receipt was written")
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


# ----------------------------------------------------------------------------------------------
# Runner


def _stage_name(key: str) -> str:
    return f"{messages.text('selftest.stage.' + key, 'zh_CN')} / {messages.text('selftest.stage.' + key, 'en')}"


def _status_word(status: str) -> str:
    return f"{messages.text('selftest.' + status, 'zh_CN')} {messages.text('selftest.' + status, 'en')}"


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, StudioError):
        zh, en = exc.message("zh_CN"), exc.message("en")
        return zh if zh == en else f"{zh} / {en}"
    if isinstance(exc, SelfTestFailure):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _safe_stream(stream):
    """A stream that can print Chinese: a Windows console redirected to a file may be cp1252."""
    if stream is None:
        return io.StringIO()  # windowed (no console) frozen build
    try:
        "证件照 – ≥ ° 自检".encode(stream.encoding or "ascii")  # what the report prints
    except (UnicodeEncodeError, LookupError):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass
    return stream


def run_stages(ctx: Context, stream=None, stages=None) -> list[StageResult]:
    stream = _safe_stream(stream if stream is not None else sys.stdout)
    results: dict[str, StageResult] = {}
    for key, func, needs in stages or STAGES:
        missing = [n for n in needs if not results.get(n, StageResult(n, "fail")).ok]
        if missing:
            res = StageResult(key, "skip", 0.0, messages.text("selftest.needs", "zh_CN", names=", ".join(missing))
                              + " / " + messages.text("selftest.needs", "en", names=", ".join(missing)))
        else:
            t0 = time.perf_counter()
            try:
                detail = func(ctx) or ""
                res = StageResult(key, "pass", time.perf_counter() - t0, detail)
            except Exception as exc:  # every failure is reported, never a traceback alone
                res = StageResult(key, "fail", time.perf_counter() - t0, _error_text(exc))
                if os.environ.get("STUDIO_APP_SELFTEST_TRACEBACK"):
                    traceback.print_exc(file=stream)
        results[key] = res
        log.log(logging.INFO if res.ok else logging.WARNING, "self-test %s %s (%.2f s): %s",
                key, res.status, res.seconds, res.detail)
        print(f"[{_status_word(res.status)}] {_stage_name(key)} ({res.seconds:.2f} s): {res.detail}",
              file=stream, flush=True)
    return list(results.values())


def _release(ctx: Context) -> None:
    """Close the MediaPipe graphs now: at interpreter exit their dispatcher may be gone first."""
    if ctx.analysis is None:
        return
    try:
        import gc

        from .vision.analyzer import shared_analyzer

        shared_analyzer().close()
        gc.collect()  # graphs dropped by the pipeline are closed while their dispatcher still runs
    except Exception:
        pass


def run_self_test(out_dir: str | os.PathLike | None = None, *, stream=None, spec_id: str = SPEC_ID,
                  sample: str | os.PathLike | None = None) -> int:
    """Run every stage; 0 when all passed, 1 otherwise. Output goes to a temporary folder that is
    removed afterwards, unless ``out_dir`` (or ``STUDIO_APP_SELFTEST_OUT``) names one to keep."""
    stream = _safe_stream(stream if stream is not None else sys.stdout)
    keep = out_dir or os.environ.get("STUDIO_APP_SELFTEST_OUT")
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="studio-selftest-"))
    work.mkdir(parents=True, exist_ok=True)
    frozen = bool(getattr(sys, "frozen", False))
    where = messages.text("selftest.frozen" if frozen else "selftest.source", "zh_CN") + " / " + \
        messages.text("selftest.frozen" if frozen else "selftest.source", "en")
    print(messages.text("selftest.header", "zh_CN", version=__version__, where=where), file=stream)
    print(messages.text("selftest.header", "en", version=__version__, where=where), file=stream, flush=True)
    t0 = time.perf_counter()
    ctx = Context(out_dir=work, spec_id=spec_id, sample=Path(sample) if sample else None)
    try:
        results = run_stages(ctx, stream)
    finally:
        _release(ctx)
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    failed = [r.key for r in results if not r.ok]
    if failed:
        names = ", ".join(failed)
        print(messages.text("selftest.failed", "zh_CN", names=names), file=stream)
        print(messages.text("selftest.failed", "en", names=names), file=stream, flush=True)
        return 1
    seconds = time.perf_counter() - t0
    print(messages.text("selftest.ok", "zh_CN", n=len(results), seconds=seconds), file=stream)
    print(messages.text("selftest.ok", "en", n=len(results), seconds=seconds), file=stream, flush=True)
    return 0
