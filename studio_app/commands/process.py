"""`studio-app process IMAGE --spec ID --out DIR`: correct a photo and export spec-exact files."""

from __future__ import annotations

import json
import sys

from .. import messages

messages.register({
    "process.help": ("校正照片并导出符合规格的文件", "correct a photo and export spec-exact files"),
    "process.written": ("已写出：{files}", "Written: {files}"),
    "process.warning": ("提示：{text}", "Note: {text}"),
    "process.applicant_needs_name": ("创建订单需要 --name（申请人姓名）",
                                     "Creating an order needs --name (the applicant's name)"),
    "process.city_spec": ("办证城市 {city} 有自己的规格，已改用 {spec}：{w}×{h} 像素，文件 {kb}（{base} 为 {base_kb}）",
                          "{city} has its own spec, now using {spec}: {w}x{h} px, file {kb} ({base}: {base_kb})"),
    "process.order": ("已创建订单：回执号 {receipt_no}，图像号 {image_no}，回执 {path}",
                      "Order created: receipt {receipt_no}, image {image_no}, receipt PDF {path}"),
})


def register(sub) -> None:
    p = sub.add_parser("process", help="校正照片并导出 / correct a photo and export spec-exact files",
                       epilog="退出码 / exit codes: 0 符合规格 ok, 2 输入错误 bad input, 3 需要重拍 retake needed "
                              "(只写出 report.json / only report.json written), 4 校正后仍不符合 not ok after correction")
    p.add_argument("image", help="照片文件 / photo file")
    p.add_argument("--spec", required=True,
                   help="规格 ID，多个用逗号分隔：一次拍摄做成几种证件（同一订单、同一回执）/ spec id, or several "
                        "separated by commas: one capture, several documents (one order, one receipt), e.g. "
                        "resident_id,sscard,two_inch (see `studio-app specs`)")
    p.add_argument("--out", required=True, help="输出文件夹 / output folder")
    p.add_argument("--background", help="white|blue|red|light_grey|light_blue|#RRGGBB（默认：规格的第一种 / default: the spec's first）")
    p.add_argument("--sheet", default="6inch", choices=["6inch", "5inch", "a4", "none"],
                   help="冲印版式 / print sheet (default 6inch)")
    p.add_argument("--sheet-layout", help='混排版式，例如 "one_inch:4,two_inch:2" / mixed sheet, e.g. "one_inch:4,two_inch:2"')
    p.add_argument("--dpi", type=int, default=None,
                   help="冲印分辨率（默认：设置中的打印机分辨率）/ printer dpi (default: the settings' printer_dpi; 300 or 254)")
    p.add_argument("--caption", help="版面说明文字（回执号、姓名）/ caption on the sheet")
    p.add_argument("--no-lighting", action="store_true", help="不做光线校正 / no lighting correction")
    p.add_argument("--json", action="store_true", help="把报告以 JSON 输出到标准输出 / print the report as JSON")
    g = p.add_argument_group("订单与回执 / order and receipt (with --name: the order and its files go to DIR/<receipt no>/)")
    g.add_argument("--name", help="申请人姓名 / applicant name")
    g.add_argument("--id-number", help="公民身份号码 / resident ID number")
    g.add_argument("--city", help="办证城市，例如 深圳市 / city of the application, e.g. 深圳市")
    g.add_argument("--phone", help="电话（可选）/ phone (optional)")
    g.add_argument("--force", action="store_true",
                   help="替换文件夹里已有订单的文件 / replace the files of an order already in the folder")
    p.set_defaults(func=run)


def _applicant(args):
    """Validate the applicant before any work is done, so a typo never costs a processing run."""
    if not any((args.name, args.id_number, args.city, args.phone)):
        return None
    from ..errors import StudioError
    from ..codes.idnumber import validate, validate_name
    from ..codes.regions import check_city
    from ..services.orders import Applicant

    if not args.name:
        raise StudioError("process.applicant_needs_name")
    for check in (validate_name(args.name),
                  validate(args.id_number) if args.id_number else None,
                  check_city(args.city) if args.city else None):
        if check is not None and not check.ok:
            raise _InvalidApplicant(check)
    city = check_city(args.city).city if args.city else None
    number = validate(args.id_number).number if args.id_number else None
    return Applicant(args.name.strip(), number, city, args.phone)


class _InvalidApplicant(Exception):
    def __init__(self, check) -> None:
        super().__init__(check.message("en"))
        self.check = check


def run(args) -> int:
    from ..imageio import load_image
    from ..imaging.export import write_outputs
    from ..imaging.pipeline import ProcessOptions, process_photo
    from ..specs import get_spec

    specs = [get_spec(s.strip()) for s in args.spec.split(",") if s.strip()] or [get_spec(args.spec)]
    try:
        applicant = _applicant(args)
    except _InvalidApplicant as exc:
        print(exc.check.message("zh_CN"), file=sys.stderr)
        print(exc.check.message("en"), file=sys.stderr)
        return 2
    if applicant is not None and applicant.city:
        specs = [_city_variant(s, applicant.city) for s in specs]
    from ..settings import load_settings

    settings = load_settings()[0]
    if applicant is not None:  # the one ID-number rule (operator window and kiosk too), before any work
        from ..services.id_rule import check_id_number

        for s in specs:
            check_id_number(s, applicant.id_number, settings, key="process.id_required")
    if args.sheet_layout:
        from ..imaging.sheets import parse_layout

        parse_layout(args.sheet_layout)  # a typo fails before any work
    if len({s.id for s in specs}) > 1:  # one capture, several documents: one order
        from ._process_several import run_several

        return run_several(args, specs, applicant, _texts)
    spec = specs[0]
    rgb = load_image(args.image)
    opts = ProcessOptions(background=args.background, lighting=not args.no_lighting)
    result = process_photo(rgb, spec, opts)
    lang = messages.language()
    sheet = None if args.sheet == "none" else args.sheet
    dpi = args.dpi or settings.printer_dpi  # the same printer rules as the operator window and kiosk
    written = None
    mixed = None
    if args.sheet_layout and sheet and not result.retake:
        from ..imaging.export import layout_results, layout_sheet

        mixed = layout_sheet(layout_results(rgb, args.sheet_layout, {spec.id: result}, opts), args.sheet_layout,
                             sheet=sheet, dpi=dpi, caption=args.caption)
    if result.ok and applicant is not None:
        # the order writer: DIR/<receipt no>/ from the bytes in memory, every file recorded
        from ..orders import open_store
        from ..services.order_writer import write_order

        store = open_store(settings=settings)
        try:
            written = write_order(store, spec, applicant, result, args.out, settings=settings, sheet=sheet,
                                  dpi=dpi, caption=args.caption, lang=lang, force=args.force,
                                  report_extra={"input": str(args.image)}, prepared_sheet=mixed)
        finally:
            store.close()
        paths = written.files
    else:
        _refuse_order_folder(args.out, args.force)
        paths = write_outputs(result, args.out, sheet=sheet, dpi=dpi, caption=args.caption, lang=lang,
                              extra={"input": str(args.image)}, prepared_sheet=mixed)
    if args.json:
        print(json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2, default=str))
    for w in result.to_dict("zh_CN")["warnings"]:
        print(messages.text("process.warning", "zh_CN", text=w["text"]), file=sys.stderr)
    for w in result.to_dict("en")["warnings"]:
        print(messages.text("process.warning", "en", text=w["text"]), file=sys.stderr)
    if result.ok:
        if not args.json:
            print(messages.both("process.ok", path=str(paths["photo.jpg"])))
        if written is not None:
            order = written.order
            print(messages.say("process.order", receipt_no=order.receipt_no, image_no=order.image_no,
                               path=str(written.files.get("receipt.pdf") or "")),
                  file=sys.stderr if args.json else sys.stdout)
        return 0
    reasons_zh = "；".join(_texts(result, "zh_CN"))
    reasons_en = "; ".join(_texts(result, "en"))
    key = "process.retake" if result.retake else "process.not_ok"
    print(messages.text(key, "zh_CN", reasons=reasons_zh), file=sys.stderr)
    print(messages.text(key, "en", reasons=reasons_en), file=sys.stderr)
    if result.retake:  # write_outputs wrote only report.json: nothing printable from a retake
        print(messages.say("export.retake_not_written"), file=sys.stderr)
    print(messages.say("process.written", files=", ".join(str(p) for p in paths.values())), file=sys.stderr)
    return 3 if result.retake else 4


def _city_variant(spec, city: str):
    from ..services.orders import spec_for_city

    variant = spec_for_city(spec, city)  # 深圳市 -> the Shenzhen variant
    if variant.id != spec.id:  # say so: the photo is sized and compressed to the city's band
        print(messages.chosen_or_both(lambda lang: messages.text(
            "process.city_spec", lang, city=city, spec=f"{variant.name(lang)} [{variant.id}]",
            w=variant.size[0], h=variant.size[1], kb=_kb_band(variant), base=f"{spec.name(lang)} [{spec.id}]",
            base_kb=_kb_band(spec))), file=sys.stderr)
    return variant


def _kb_band(spec) -> str:
    lo, hi = spec.file.kb_min, spec.file.kb_max
    return f"{lo or 0:g}–{hi:g} KB" if hi else (f">= {lo:g} KB" if lo else "—")


def _refuse_order_folder(out, force: bool) -> None:
    """A plain export (no order) never overwrites the files an order recorded in ``out``; with
    ``--force`` that order's files are retired through the store first (an erasure of it later
    cannot delete the new files)."""
    from pathlib import Path

    from ..services.order_writer import KINDS

    folder = Path(out)
    if not any((folder / name).exists() for name in KINDS):
        return
    from ..errors import StudioError
    from ..orders import open_store

    with open_store() as store:
        owners = store.owners_of_folder(folder)
        if owners and not force:
            raise StudioError("orders.folder_taken", folder=str(folder.resolve()), other=", ".join(sorted(owners)))
        for other in sorted(owners):
            store.retire_files(other, reason="replaced by a plain export (--force)")


def _texts(result, lang: str) -> list[str]:
    out = []
    for item in result.to_dict(lang)["problems"]:
        if item["text"] not in out:
            out.append(item["text"])
    before = result.before
    if result.after is None and before is not None and getattr(before, "needs_retake", False):
        for r in before.failed:
            if r.category == "retake":
                t = r.message(lang)
                if t not in out:
                    out.append(t)
    return out
