"""The self-test's file verifiers: a JPEG decoded fully, a PDF's structure parsed and its embedded
images decoded — no trust in what the pipeline reports, the bytes on disk are re-read."""

from __future__ import annotations

import base64
import io
import re
import zlib


class SelfTestFailure(Exception):
    """A verification inside a stage did not hold (the message says which, in both languages)."""


def _require(condition: bool, zh: str, en: str) -> None:
    if not condition:
        raise SelfTestFailure(f"{zh} / {en}")


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
