"""`studio-app receipt ORDER_OR_RECEIPT_NO [--out FILE]` and `studio-app receipt verify TARGET`."""

from __future__ import annotations

import sys

from .. import messages
from ..errors import StudioError

messages.register({
    "receipts.cli.written": ("回执已写入 {path}", "Receipt written to {path}"),
    "receipts.cli.usage": ("用法：studio-app receipt 回执号 [--out 文件] 或 studio-app receipt verify 文件|回执号",
                           "usage: studio-app receipt RECEIPT_NO [--out FILE] | studio-app receipt verify FILE|RECEIPT_NO"),
})


def register(sub) -> None:
    p = sub.add_parser(
        "receipt", help="生成或核验照片回执 / make or verify a photo receipt",
        description="studio-app receipt RECEIPT_NO [--out FILE]  |  studio-app receipt verify FILE.pdf|PHOTO.jpg|RECEIPT_NO")
    p.add_argument("target", nargs="+", metavar="RECEIPT_NO | verify TARGET")
    p.add_argument("--out", help="PDF 文件 / output PDF file")
    p.add_argument("--template", choices=["A5", "A6", "thermal80"], help="版式 / layout")
    p.add_argument("--receipt", help="核验照片时指定回执号 / with verify PHOTO: the receipt it should belong to")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..orders import open_store

    words = args.target
    if words[0] == "verify":
        if len(words) != 2:
            print(messages.text("receipts.cli.usage"), file=sys.stderr)
            return 2
        from ..receipts import verify

        with open_store() as store:
            verdict = verify(words[1], store, receipt_no=args.receipt)
        print(f"{verdict.status}  {verdict.receipt_no or ''}".rstrip())
        print(verdict.message())
        return {"valid": 0, "tampered": 1, "unknown": 3}[verdict.status]
    if len(words) != 1:
        print(messages.text("receipts.cli.usage"), file=sys.stderr)
        return 2
    from ..services.orders import issue_receipt

    with open_store() as store:
        order = store.find(words[0])
        if order is None:
            raise StudioError("orders.not_found", receipt_no=words[0])
        path, order = issue_receipt(store, order.receipt_no, args.out, template=args.template)
    print(messages.text("receipts.cli.written", path=str(path)))
    print(f"{order.receipt_no}  {order.image_no}")
    return 0
