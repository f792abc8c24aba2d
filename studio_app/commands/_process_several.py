"""`studio-app process IMG --spec A,B,C`: one capture, several documents (issue 17).

Every spec is made from the same photo, analysed once. With ``--name`` the documents become ONE
order (one receipt number, one receipt listing every document, an image number each) written
by the one order writer into ``OUT/<receipt no>/``. The order is issued whole or not at all: if
any document needs a retake, or is not within its spec after correction, no order is created,
nothing is numbered and nothing printable is written; each document's report.json in
``OUT/<spec>/`` says which and why (a studio retakes once and issues the whole set, rather than
give the customer part of an order and a second visit for the rest). Without ``--name`` each
document is a plain export in ``OUT/<spec>/`` (a retake: its report.json only), with
``--sheet-layout`` one mixed sheet in ``OUT/``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .. import messages

messages.register({
    "process.item_ok": ("{doc}：符合规格（{path}）", "{doc}: meets the spec ({path})"),
    "process.item_retake": ("{doc}：需要重拍：{reasons}", "{doc}: retake needed: {reasons}"),
    "process.item_not_ok": ("{doc}：未达到规格要求：{reasons}", "{doc}: does not meet the spec: {reasons}"),
    "process.order_refused": (
        "整单未出具：{n} 项证件需要重拍或不符合规格。一次拍摄的证件一起出具，未创建订单、未写出任何可冲印的文件"
        "（各证件的 report.json 在 {out}）",
        "The order was not issued: {n} document(s) need a retake or do not meet the spec. The documents of one "
        "capture are issued together: no order was created and nothing printable was written (each "
        "document's report.json is in {out})"),
    "process.order_items": ("已创建订单：回执号 {receipt_no}，{n} 项证件（{items}），回执 {path}",
                            "Order created: receipt {receipt_no}, {n} documents ({items}), receipt PDF {path}"),
})


def run_several(args, specs, applicant, texts) -> int:
    """``specs``: the chosen specs (city variants applied), two or more. ``texts(result, lang)``:
    the problems of a result as the single-spec path says them."""
    from ..atomic import write_bytes_atomic
    from ..imageio import load_image
    from ..imaging.documents import process_documents, verdict
    from ..imaging.export import layout_results, layout_sheet, render_outputs, write_outputs
    from ..imaging.pipeline import ProcessOptions
    from ..settings import load_settings

    rgb = load_image(args.image)
    opts = ProcessOptions(background=args.background, lighting=not args.no_lighting)
    docs = process_documents(rgb, specs, opts)
    lang = messages.language()
    sheet = None if args.sheet == "none" else args.sheet
    settings = load_settings()[0]
    dpi = args.dpi or settings.printer_dpi
    verdicts = [verdict(r) for _, r in docs]
    extra = {"input": str(args.image)}
    out = Path(args.out)
    if args.json:
        print(json.dumps({"items": [r.to_dict(lang) for _, r in docs]}, ensure_ascii=False, indent=2, default=str))
    stream = sys.stderr if args.json else sys.stdout
    for (spec, result), v in zip(docs, verdicts):
        if v != "ok":
            key = "process.item_retake" if v == "retake" else "process.item_not_ok"
            print(messages.say(key, doc=f"{spec.name(lang)} [{spec.id}]",
                               reasons="；".join(texts(result, lang)) or "—"), file=sys.stderr)
    if applicant is not None and all(v == "ok" for v in verdicts):
        from ..orders import open_store
        from ..services.order_writer import write_order

        mixed = None
        if args.sheet_layout and sheet:
            results = layout_results(rgb, args.sheet_layout, {s.id: r for s, r in docs}, opts)
            mixed = layout_sheet(results, args.sheet_layout, sheet=sheet, dpi=dpi, caption=args.caption)
        with open_store(settings=settings) as store:
            written = write_order(store, docs[0][0], applicant, docs[0][1], out, settings=settings, sheet=sheet,
                                  dpi=dpi, caption=args.caption, lang=lang, force=args.force, report_extra=extra,
                                  more=docs[1:], prepared_sheet=mixed)
        order = written.order
        for (spec, _r), item in zip(docs, order.items):
            print(messages.say("process.item_ok", doc=f"{spec.name(lang)} [{spec.id}] {item.image_no}",
                               path=item.photo_path or ""), file=stream)
        print(messages.say("process.order_items", receipt_no=order.receipt_no, n=len(order.items),
                           items=", ".join(f"{i.spec_id} {i.image_no}" for i in order.items),
                           path=str(written.files.get("receipt.pdf") or "")), file=stream)
        return 0
    if applicant is not None:  # refused whole: the reports say why, nothing printable, no order
        for spec, result in docs:
            report = json.loads(render_outputs(result, None, dpi, args.caption, lang, extra, spec=spec)["report.json"])
            report.update(order_refused=True, files=["report.json"])
            write_bytes_atomic(out / spec.id / "report.json",
                               json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8"))
        print(messages.say("process.order_refused", n=sum(v != "ok" for v in verdicts), out=str(out)),
              file=sys.stderr)
    else:
        mixed = None
        if args.sheet_layout and sheet and "retake" not in verdicts:  # one mixed sheet for all, in OUT/
            results = layout_results(rgb, args.sheet_layout, {s.id: r for s, r in docs}, opts)
            mixed = layout_sheet(results, args.sheet_layout, sheet=sheet, dpi=dpi, caption=args.caption)
        for spec, result in docs:
            paths = write_outputs(result, out / spec.id, sheet=None if mixed else sheet, dpi=dpi,
                                  caption=args.caption, lang=lang, extra=extra)
            if verdict(result) == "ok":
                print(messages.say("process.item_ok", doc=f"{spec.name(lang)} [{spec.id}]",
                                   path=str(paths["photo.jpg"])), file=stream)
        if mixed is not None:
            write_bytes_atomic(out / "sheet.jpg", mixed.jpeg)
            write_bytes_atomic(out / "sheet.pdf", mixed.pdf)
    return 3 if "retake" in verdicts else (4 if "problems" in verdicts else 0)
