"""The still pipeline: analysis -> crop solve -> matte -> lighting -> composite -> encode -> verify.

All image work happens on a "work crop": the spec frame warped straight from the source at up to
1.5x the output resolution (never above the source's own), so a 24 MP photo costs no more than a
webcam frame after the analysis.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import imageops as iops
from .. import messages
from ..compliance.checks import T as _CHECK_T
from ..errors import StudioError
from ..headmodel import CropOptions, spec_crop
from ..specs.model import PALETTE, Background, Range, Spec
from . import crop as cropmod
from . import keys  # noqa: F401
from .encode import KB, Encoded, FileFacts, encode_for_spec, inspect_jpeg
from .lighting import LightingOptions, apply_lighting, plan_lighting
from .matte import composite, gradient_background, refine_matte, segment_person

MAX_UPSCALE_WARN = 1.2  # output px per source px above which sharpness suffers
MAX_UPSCALE = 1.35  # above this the photo has too few pixels (as compliance.resolution)
WORK_SUPERSAMPLE = 1.5  # the work crop is up to 1.5x the output (finer matte edges, then area-averaged)
ROLL_STRAIGHTEN_MAX = _CHECK_T["roll_straighten_max"]  # the roll check calls a tilt up to this fixable
BACKGROUND_TOLERANCE = 6.0  # max mean |diff| of decoded background pixels from the spec colour


@dataclass(frozen=True)
class ProcessOptions:
    background: str | tuple[int, int, int] | None = None  # None: the spec's default colour
    gradient: bool = False  # a vertical gradient background (non-official use only)
    replace_background: bool = True
    lighting: bool = True
    light: LightingOptions = LightingOptions()
    straighten: bool = True
    verify: bool = True  # decode the JPEG and re-run analysis + checks on it
    max_roll: float = ROLL_STRAIGHTEN_MAX  # a roll the checks call fixable is straightened
    extend_bottom: float = 0.0  # share of the height the clothing may be continued past a cut bottom edge (opt-in: it shows)


def resolve_background(value: str | tuple[int, int, int] | None, spec: Spec) -> Background:
    """A palette name, '#RRGGBB', an (r, g, b) tuple, or None for the spec's default."""
    if value is None:
        return spec.default_background
    if isinstance(value, (tuple, list)):
        rgb = tuple(int(v) for v in value)
        if len(rgb) != 3 or not all(0 <= v <= 255 for v in rgb):
            raise StudioError("bg.unknown", value=str(value))
        return Background("custom", rgb)
    text = str(value).strip().lower().replace("-", "_")
    if text in PALETTE:
        return Background(text, PALETTE[text])
    if len(text) == 7 and text.startswith("#"):
        try:
            return Background("custom", tuple(int(text[k:k + 2], 16) for k in (1, 3, 5)))
        except ValueError:
            pass
    raise StudioError("bg.unknown", value=str(value))


@dataclass
class ProcessResult:
    spec: Spec
    photo: np.ndarray  # RGB uint8 at the spec's size (the decoded JPEG when verified)
    jpeg: bytes
    before: Any  # ComplianceReport of the input
    after: Any  # ComplianceReport of the decoded output (None when not verified)
    corrections: list[dict]
    geometry: dict[str, dict]
    file: dict
    background: Background
    ok: bool
    retake: bool
    problems: list[dict]  # blocking: {"key", "params"}
    warnings: list[dict]  # non-blocking: {"key", "params"}
    timings: dict[str, float] = field(default_factory=dict)  # stage -> ms
    matte: dict = field(default_factory=dict)
    alpha: np.ndarray | None = None  # float32 HxW at the spec size: the person's matte (None: no replacement)

    @property
    def file_kb(self) -> float:
        return self.file["kb"]

    def problem_keys(self) -> list[str]:
        return [p["key"] for p in self.problems]

    def messages(self, lang: str | None = None) -> list[str]:
        return [messages.text(p["key"], lang, **_fmt_params(p.get("params", {}), lang)) for p in self.problems]

    def to_dict(self, lang: str = "zh_CN") -> dict:
        def items(lst):
            return [{"key": p["key"], "params": p.get("params", {}),
                     "text": messages.text(p["key"], lang, **_fmt_params(p.get("params", {}), lang))} for p in lst]

        corr = []
        for c in self.corrections:
            corr.append({**c, "text": messages.text(c["key"], lang, **_fmt_params(c.get("params", {}), lang))})
        return {
            "spec": self.spec.id,
            "spec_name": self.spec.name(lang),
            "ok": self.ok,
            "retake": self.retake,
            "problems": items(self.problems),
            "warnings": items(self.warnings),
            "corrections": corr,
            "geometry": self.geometry,
            "file": self.file,
            "background": {"name": self.background.name, "hex": self.background.hex},
            "matte": self.matte,
            "before": self.before.to_dict(lang) if self.before is not None else None,
            "after": self.after.to_dict(lang) if self.after is not None else None,
            "timings_ms": {k: round(v, 1) for k, v in self.timings.items()},
        }


def _fmt_params(params: dict, lang: str | None = None) -> dict:
    """Message parameters with nested message keys rendered in ``lang``."""
    out = {}
    for k, v in params.items():
        if k == "rule" and isinstance(v, str) and messages.has(f"rule.{v}"):
            out[k] = messages.text(f"rule.{v}", lang)
        else:
            out[k] = v
    if "message_key" in params and ("check_params" in params or "check" not in params):
        out["check"] = messages.text(params["message_key"], lang, **params.get("check_params", {}))
    return out


class _Timer:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.times[name] = self.times.get(name, 0.0) + (now - self._t) * 1000
        self._t = now


# --- geometry helpers --------------------------------------------------------------------------

def measure_geometry(analysis, out_h: int) -> dict[str, float]:
    """Geometry values of an analysed photo in its own px."""
    vals = {}
    if analysis.face_width is not None:
        vals["face_width"] = float(analysis.face_width)
    if analysis.eye_left is not None and analysis.eye_right is not None:
        mid = analysis.eye_mid
        vals["eye_x"] = float(mid[0])
        vals["eye_y"] = float(mid[1])
        vals["inter_eye"] = float(analysis.inter_eye)
    if analysis.crown is not None:
        vals["crown_y"] = float(analysis.crown[1])
    if analysis.chin is not None:
        vals["chin_margin"] = float(out_h - analysis.chin[1])
    if analysis.crown is not None and analysis.chin is not None:
        vals["head_height"] = float(analysis.chin[1] - analysis.crown[1])
    return vals


def geometry_report(spec: Spec, predicted: dict[str, float], measured: dict[str, float] | None,
                    tolerance: float = 0.0) -> dict[str, dict]:
    sx, sy = spec.px_per_mm
    out = {}
    ranges = cropmod.spec_ranges(spec)
    for name in cropmod.RULES:
        rng: Range | None = ranges.get(name)
        value = (measured or {}).get(name, predicted.get(name))
        if value is None:
            continue
        scale = sx if cropmod.HORIZONTAL[name] else sy
        entry = {"px": round(value, 1), "mm": round(value / scale, 2)}
        if name in predicted:
            entry["planned_px"] = round(predicted[name], 1)
        if rng is not None:
            entry["limit_px"] = [round(rng.lo, 1), rng.hi if not rng.bounded else round(rng.hi, 1)]
            if not rng.bounded:
                entry["limit_px"][1] = None
            entry["ok"] = rng.distance(value) <= tolerance
            entry["source"] = "spec" if getattr(spec.geometry, name) is not None else "icao_default"
        out[name] = entry
    return out


def _face_masks(landmarks_work: np.ndarray, shape: tuple[int, int], fw: float, eye_y: float, chin_y: float):
    """(face_core, face_region, skin) bool masks in the work frame."""
    h, w = shape
    pts = landmarks_work[:468, :2].astype(np.float32)
    hull = np.round(iops.convex_hull(pts)).astype(np.int32)
    region = iops.fill_polygon(np.zeros((h, w), np.uint8), hull, 1)
    er = max(1, int(0.03 * fw))
    core = iops.erode(region, iops.ellipse_kernel((2 * er + 1, 2 * er + 1)))
    sk = max(1, int(0.08 * fw))
    skin = iops.erode(region, iops.ellipse_kernel((2 * sk + 1, 2 * sk + 1)))
    rows = np.arange(h)[:, None]
    skin = skin.astype(bool) & (rows > eye_y + 0.12 * fw) & (rows < chin_y - 0.22 * fw)
    return core.astype(bool), region.astype(bool), skin


# --- the pipeline --------------------------------------------------------------------------------

def process_photo(rgb: np.ndarray, spec: Spec, options: ProcessOptions = ProcessOptions(),
                  analysis=None) -> ProcessResult:
    """Correct ``rgb`` (RGB uint8) into a verified, spec-exact photo. Raises StudioError when
    there is no face to work from; every other shortfall is in ``problems`` with ``ok`` False."""
    from ..compliance import run_checks
    from ..vision.analyzer import analyze_still

    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError("process_photo needs an RGB uint8 image")
    timer = _Timer()
    if analysis is None or tuple(analysis.image_size) != (rgb.shape[1], rgb.shape[0]):
        # no analysis, or one of another image (a scaled preview): analyse this one
        analysis = analyze_still(rgb, segmentation=True)
    timer.lap("analysis")
    before = run_checks(analysis, spec)
    timer.lap("checks_before")
    if not analysis.has_face or analysis.eye_left is None or analysis.chin is None or analysis.face_width is None:
        raise StudioError("crop.no_face")
    if analysis.crown is None:
        raise StudioError("crop.no_crown")

    problems: list[dict] = []
    warnings: list[dict] = []
    corrections: list[dict] = []
    bg = resolve_background(options.background, spec)

    # 1. crop: the head model's crop (the one the live checks judged): straighten, solve
    plan = spec_crop(analysis, spec, CropOptions(straighten=options.straighten, max_roll=options.max_roll,
                                                 replace_background=options.replace_background,
                                                 extend_bottom=options.extend_bottom))
    if plan is None:
        raise StudioError("crop.no_face")
    sol, pts, rot, extended_bottom = plan.solution, plan.points, plan.rotation, plan.extended_bottom
    if rot is not None:
        corrections.append({"id": "straighten", "key": "crop.straightened", "strength": 1.0,
                            "params": {"angle": round(plan.angle, 2)}})
    if extended_bottom > 0:
        warnings.append({"key": "crop.extended_bottom",
                         "params": {"percent": 100.0 * extended_bottom * sol.scale / spec.height_px}})
    src_bottom = plan.source_bottom
    defaults = set(cropmod.default_ranges(spec))
    for v in sol.violations:
        if v.rule in defaults:  # an ICAO default the spec itself does not ask for: say so, do not reject
            warnings.append({"key": v.key, "params": {**v.params, "default": True}})
        else:
            problems.append({"key": v.key, "params": v.params, "retake": True})
    if sol.scale > MAX_UPSCALE:
        problems.append({"key": "crop.low_resolution", "params": {"factor": sol.scale}, "retake": True})
    elif sol.scale > MAX_UPSCALE_WARN:
        warnings.append({"key": "crop.upscaled", "params": {"factor": sol.scale}})
    corrections.append({"id": "crop", "key": "crop.cropped", "strength": 1.0,
                        "params": {"scale": round(sol.scale, 4),
                                   "window": [round(v, 1) for v in sol.source_window()]}})
    planned = cropmod.predicted(sol, pts)
    timer.lap("crop_solve")

    # 2. work crop
    out_w, out_h = spec.size
    k = float(np.clip(1.0 / sol.scale, 1.0, WORK_SUPERSAMPLE))
    ww, wh = int(round(out_w * k)), int(round(out_h * k))
    kx, ky = ww / out_w, wh / out_h
    m_out = cropmod.compose(sol, rot if rot is not None else np.array([[1, 0, 0], [0, 1, 0]], np.float64))
    m_work = np.diag([kx, ky]) @ m_out
    work = cropmod.warp(rgb, m_work, (ww, wh))
    src_h, src_w = rgb.shape[:2]
    valid = _valid_mask(m_work, (src_w, src_h), (ww, wh))
    outside = valid == 0
    ext_row = None
    if extended_bottom > 0:  # the continued clothing is part of the picture, not canvas
        ext_row = int(max(1, math.floor((sol.scale * src_bottom + sol.b) * ky - 1)))
        if ext_row < wh:
            outside[ext_row:] = False
            # the last row repeated downwards, its texture smoothed out progressively (no streaks)
            ext = work[ext_row:].astype(np.float32)
            smooth = iops.box_blur(ext, (max(3, int(0.08 * ww)) | 1, 1))
            ramp = np.clip(np.arange(1, wh - ext_row + 1, dtype=np.float32) / max(4.0, 0.03 * wh), 0, 1)
            work = work.copy()
            work[ext_row:] = np.clip(ext + (smooth - ext) * ramp[:, None, None], 0, 255).astype(np.uint8)
    lm = analysis.landmarks.astype(np.float64)
    lm_w = np.c_[lm[:, :2], np.ones(len(lm))] @ m_work.T
    fw_w = pts.face_width * sol.scale * kx
    eye_w = (sol.scale * pts.eye_y + sol.b) * ky
    chin_w = (sol.scale * pts.chin_y + sol.b) * ky
    axis_w = (sol.scale * pts.eye_x + sol.a) * kx
    core, region, skin = _face_masks(lm_w, (wh, ww), fw_w, eye_w, chin_w)
    timer.lap("warp")

    # 3. matte
    new_bg = np.asarray(bg.rgb, np.float32)
    matte_info: dict = {}
    if options.replace_background:
        seg = segment_person(work)
        seg[outside] = 0.0
        timer.lap("segment")
        # Hair: off the face, above the mouth, or lower down where the segmentation is unsure
        # (long hair over the shoulders). Clothing: below the mouth where the segmentation is sure
        # (a white collar on a white backdrop must not get holes).
        mouth_w = eye_w + 0.5 * (chin_w - eye_w)
        rows = np.arange(wh)[:, None]
        sure_body = (rows >= mouth_w) & (seg > 0.9)
        off_face = ~iops.dilate(region, iops.rect_kernel((max(3, int(0.06 * fw_w)),) * 2))
        # Ears: solid, often as light as the backdrop; never search them for "gaps".
        ears = np.zeros((wh, ww), bool)
        y0e, y1e = int(max(0, eye_w - 0.15 * fw_w)), int(min(wh, mouth_w))
        for idx_lm, side in ((234, -1), (454, 1)):
            xe = lm_w[idx_lm, 0]
            xa, xb = (xe - 0.28 * fw_w, xe + 0.04 * fw_w) if side < 0 else (xe - 0.04 * fw_w, xe + 0.28 * fw_w)
            ears[y0e:y1e, int(max(0, xa)):int(min(ww, xb))] = True
        ears &= seg > 0.5
        hair_zone = off_face & ~ears & ((rows < mouth_w) | ((rows < chin_w + 0.5 * fw_w) & ~sure_body))
        clothing = sure_body | ears
        mt = refine_matte(work, seg, core, fw_w, outside if outside.any() else None, hair_zone=hair_zone,
                          clothing=clothing)
        alpha, backdrop = mt.alpha, mt.backdrop
        if ext_row is not None and ext_row < wh:
            # the person continues straight down from the last real row
            alpha = alpha.copy()
            alpha[ext_row:] = alpha[ext_row - 1]
        matte_info = {"method": mt.method, "plainness": None if math.isnan(mt.plainness) else round(mt.plainness, 2),
                      "plain": mt.plain}
        if not mt.plain:
            warnings.append({"key": "matte.busy_background",
                             "params": {"plainness": mt.plainness if not math.isnan(mt.plainness) else 99.0}})
        bd_sample = backdrop[(alpha == 0) & ~outside]
        backdrop_rgb = tuple(np.median(bd_sample, axis=0)) if len(bd_sample) > 100 else None
        plain = mt.plain
    else:
        # the photo's own background stays; canvas beyond the photo (a crop that needs a retake)
        # is filled with the spec colour rather than smeared edge pixels
        alpha = (~outside).astype(np.float32)
        backdrop = work.astype(np.float32)
        backdrop_rgb, plain = None, False
    timer.lap("matte")

    # 4. lighting
    img = work.astype(np.float32)
    if options.lighting:
        plan = plan_lighting(img, skin, region, axis_w, fw_w, backdrop_rgb, plain, options.light)
        corrections.extend(plan.corrections)
        if not plan.identity:
            img = apply_lighting(img, plan)
            # the old backdrop estimate only matters where the matte is partial
            part = np.nonzero((alpha > 0) & (alpha < 1)) if options.replace_background else None
            if part is not None:
                backdrop = backdrop.copy()
                backdrop[part] = apply_lighting(backdrop[part], plan, where=part)
    timer.lap("lighting")

    # 5. composite and resize to the spec
    if options.replace_background:
        if options.gradient:
            warnings.append({"key": "bg.gradient", "params": {}})
            top = np.clip(new_bg * 1.0, 0, 255)
            bottom = np.clip(new_bg * 0.82, 0, 255)
            target = gradient_background((ww, wh), tuple(top), tuple(bottom))
        else:
            target = new_bg
        comp = composite(img, alpha, backdrop, target)
        corrections.append({"id": "background", "key": "bg.replaced", "strength": 1.0,
                            "params": {"colour": bg.hex, "colour_zh": f"{bg.label_zh}（{bg.hex}）",
                                       "colour_en": f"{bg.name.replace('_', ' ')} ({bg.hex})",
                                       "gradient": options.gradient, "method": matte_info.get("method")}})
    else:
        comp = composite(img, alpha, img, new_bg) if outside.any() else img
    if (ww, wh) != (out_w, out_h):
        comp = iops.resize(comp, (out_w, out_h), "area")
        alpha_out = iops.resize(alpha, (out_w, out_h), "area")
    else:
        alpha_out = alpha
    photo = np.clip(comp + 0.5, 0, 255).astype(np.uint8)
    if options.replace_background and not options.gradient:
        photo[alpha_out <= 0.0] = np.asarray(bg.rgb, np.uint8)
    timer.lap("composite")

    # 6. encode into the KB band
    enc: Encoded = encode_for_spec(photo, spec)
    if not enc.in_band:
        problems.append({"key": enc.problem, "params": enc.problem_params or {}, "retake": False})
    timer.lap("encode")

    # 7. verify the bytes
    ver = verify_output(enc.data, spec, planned,
                        background=bg if options.replace_background and not options.gradient else None,
                        alpha=alpha_out, analyse=options.verify, timer=timer)
    facts, after, geometry, bg_diff = ver.facts, ver.after, ver.geometry, ver.background_diff
    problems.extend(p for p in ver.problems if not (p["key"] == "verify.kb" and not enc.in_band))  # said once
    warnings.extend(ver.warnings)
    # clothing is judged on the original: on the finished photo a white top on the white backdrop
    # is what the person mask cannot see, so the head would float unsaid (checks_appearance)
    cloth = before.get("clothing") if before is not None and hasattr(before, "get") else None
    if cloth is not None and cloth.status in ("fail", "warn"):
        item = {"key": cloth.message_key, "params": dict(cloth.params or {})}
        problems.append({**item, "retake": True}) if cloth.status == "fail" else warnings.append(item)
    file_info = {"kb": round(facts.kb, 2), "bytes": len(enc.data), "quality": enc.quality,
                 "subsampling": enc.subsampling, "optimize": enc.optimize, "dpi": spec.dpi,
                 "width_px": facts.width, "height_px": facts.height, "print_mm": list(spec.print_mm),
                 "kb_band": [spec.file.kb_min, spec.file.kb_max], "in_band": enc.in_band, "icc": facts.icc,
                 "background_diff": None if bg_diff is None else round(bg_diff, 2)}
    # The input's own report judges the input; once the output is verified, what still fails on
    # the output decides (a face too near the edge of a wide shot is fixed by the crop).
    retake = any(p.get("retake") for p in problems)
    if after is None:
        retake = retake or bool(getattr(before, "needs_retake", False))
    ok = not problems and not retake
    timer.lap("report")
    return ProcessResult(spec=spec, photo=ver.photo, jpeg=enc.data, before=before, after=after,
                         corrections=corrections, geometry=geometry, file=file_info, background=bg, ok=ok,
                         retake=retake, problems=[{k: v for k, v in p.items() if k != "retake"} | {"retake": bool(p.get("retake"))} for p in problems],
                         warnings=warnings, timings=timer.times, matte=matte_info,
                         alpha=alpha_out.astype(np.float32) if options.replace_background else None)


@dataclass
class Verification:
    """What the exported bytes really are: file facts, decoded pixels, checks, geometry."""

    facts: FileFacts
    photo: np.ndarray  # the decoded JPEG
    after: Any  # ComplianceReport of the decoded photo (None when not analysed)
    measured: dict[str, float] | None
    geometry: dict[str, dict]
    problems: list[dict]
    warnings: list[dict]
    background_diff: float | None


def verify_output(jpeg: bytes, spec: Spec, planned: dict[str, float] | None = None,
                  background: Background | None = None, alpha: np.ndarray | None = None,
                  analyse: bool = True, timer: _Timer | None = None) -> Verification:
    """Decode ``jpeg`` and re-check it against ``spec``: pixel size, DPI, KB band, the background
    colour away from the person (``alpha``: the matte at the spec size, 0 = background), and, with
    ``analyse``, a fresh face analysis + every compliance check + the geometry re-measured.
    Problems the spec's own rules raise are ``problems``; misses of ICAO defaults are ``warnings``.
    Usable on any edited photo (e.g. after a manual nudge in the review screen)."""
    from ..compliance import run_checks
    from ..vision.analyzer import analyze_still

    problems: list[dict] = []
    warnings: list[dict] = []
    facts, decoded = inspect_jpeg(jpeg)
    out_w, out_h = spec.size
    if (facts.width, facts.height) != spec.size:
        problems.append({"key": "verify.size", "params": {"got": f"{facts.width}x{facts.height}",
                                                           "want": f"{out_w}x{out_h}"}})
    if facts.dpi is None or round(facts.dpi[0]) != spec.dpi or round(facts.dpi[1]) != spec.dpi:
        problems.append({"key": "verify.dpi", "params": {"got": facts.dpi, "want": spec.dpi}})
    f = spec.file
    if (f.kb_min is not None and len(jpeg) < f.kb_min * KB) or (f.kb_max is not None and len(jpeg) > f.kb_max * KB):
        problems.append({"key": "verify.kb", "params": {"kb": len(jpeg) / KB, "kb_min": f.kb_min or 0,
                                                         "kb_max": f.kb_max if f.kb_max is not None else "∞"}})
    bg_diff = None
    if background is not None and alpha is not None and alpha.shape == decoded.shape[:2]:
        far = iops.erode(alpha <= 0.0, iops.rect_kernel((5, 5)))
        if far.sum() > 50:
            bg_diff = float(np.abs(decoded[far].astype(np.float32) - np.asarray(background.rgb, np.float32)).mean())
            if bg_diff > BACKGROUND_TOLERANCE:
                problems.append({"key": "verify.background", "params": {"diff": bg_diff}})
    after = None
    measured = None
    if analyse:
        after_analysis = analyze_still(decoded, segmentation=True)
        if timer is not None:
            timer.lap("verify_analysis")
        after = run_checks(after_analysis, spec)
        if not after_analysis.has_face:
            problems.append({"key": "verify.no_face", "params": {}, "retake": True})
        else:
            measured = measure_geometry(after_analysis, out_h)
        for r in after.results:
            if r.status == "fail":
                problems.append({"key": "verify.check_failed",
                                 "params": {"id": r.id, "message_key": r.message_key,
                                            "check_params": dict(r.params or {})},
                                 "retake": r.category == "retake"})
        if timer is not None:
            timer.lap("verify_checks")
    geometry = geometry_report(spec, planned or {}, measured)
    if measured is not None:
        defaults = set(cropmod.default_ranges(spec))
        ranges = cropmod.spec_ranges(spec)
        for name, entry in geometry.items():
            if entry.get("ok") is False:
                item = {"key": "verify.geometry", "params": {"rule": name, "measured": entry["px"],
                                                             "limit": ranges[name].text()}}
                (warnings if name in defaults else problems).append(item)
    return Verification(facts, decoded, after, measured, geometry, problems, warnings, bg_diff)


def _valid_mask(m: np.ndarray, src_size: tuple[int, int], size: tuple[int, int]) -> np.ndarray:
    """Which output pixels map inside the source (without warping a huge all-ones image)."""
    w, h = size
    inv = iops.invert_affine(m)
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
    sx = inv[0, 0] * gx + inv[0, 1] * gy + inv[0, 2]
    sy = inv[1, 0] * gx + inv[1, 1] * gy + inv[1, 2]
    ok = (sx >= -0.5) & (sy >= -0.5) & (sx <= src_size[0] - 0.5) & (sy <= src_size[1] - 0.5)
    return ok.astype(np.uint8)
