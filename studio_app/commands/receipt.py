"""`studio-app receipt ORDER_OR_RECEIPT_NO [--out FILE]` and `studio-app receipt verify TARGET`."""

from __future__ import annotations

import sys

from .. import messages
from ..errors import StudioError

_WHERE = ("回执号来自订单：`studio-app process 照片 --spec ID --out 文件夹 --name 姓名` 创建订单时打印，"
          "`studio-app orders list` 列出全部订单的回执号",
          "A RECEIPT_NO comes from an order: `studio-app process PHOTO --spec ID --out DIR --name NAME` "
          "prints it when it creates the order; `studio-app orders list` lists every order's receipt number")
messages.register({
    "receipts.cli.where": _WHERE,
    "receipts.cli.not_found": ("找不到订单 {receipt_no}。" + _WHERE[0], "Order {receipt_no} not found. " + _WHERE[1]),
    "receipts.cli.written": ("回执已写入 {path}", "Receipt written to {path}"),
    "receipts.cli.usage": ("用法：studio-app receipt 回执号 [--out 文件] | receipt verify 文件|二维码内容|回执号 | "
                           "receipt public-key [--out 文件] [--add 文件] | receipt rotate-key",
                           "usage: studio-app receipt RECEIPT_NO [--out FILE] | receipt verify FILE|QR_TEXT|RECEIPT_NO | "
                           "receipt public-key [--out FILE] [--add FILE] | receipt rotate-key"),
    "receipts.cli.missing": ("文件不存在：{path}", "No such file: {path}"),
    "receipts.cli.compare": ("请与本人核对：", "Compare with the person:"),
    "receipts.cli.photo": ("存档照片已写入 {path}（核对后请删除）", "The stored photo is written to {path} (delete it after checking)"),
    "receipts.cli.no_photo": ("没有存档照片", "No stored photo"),
    "receipts.cli.key_added": ("已导入公钥 {kids}", "Imported public keys {kids}"),
    "receipts.cli.rotated": ("新的回执签名密钥 {kid} 已启用；旧公钥保留在 {file}，旧回执仍可核验。请把该文件复制到其他工位",
                             "New receipt-signing key {kid} in use; the old public keys stay in {file} so old receipts "
                             "still verify. Copy that file to the other stations"),
})

_EXIT = {"valid": 0, "tampered": 1, "unknown": 3, "legacy": 4, "number": 5}
_FILE_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")


def register(sub) -> None:
    import argparse

    p = sub.add_parser(
        "receipt", help="生成或核验照片回执 / make or verify a photo receipt",
        description="studio-app receipt RECEIPT_NO [--out FILE]  |  studio-app receipt verify FILE.pdf|PHOTO.jpg|RECEIPT_NO",
        epilog=messages.both("receipts.cli.where") + "\n\n退出码 / exit codes (verify): 0 有效 valid, 1 被篡改 tampered, "
        "2 用法错误 usage, 3 回执号不存在 unknown receipt, 4 旧版无签名 legacy, 5 仅编号 number only",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("target", nargs="+", metavar="RECEIPT_NO | verify TARGET")
    p.add_argument("--out", help="PDF 文件 / output PDF file")
    p.add_argument("--template", choices=["A5", "A6", "thermal80"], help="版式 / layout")
    p.add_argument("--add", metavar="FILE", help="public-key: 导入其他工位的公钥文件 / import another station's public keys")
    p.add_argument("--receipt", help="核验照片时指定回执号 / with verify PHOTO: the receipt it should belong to")
    p.set_defaults(func=run)


def _verify(target: str, receipt_no: str | None) -> int:
    import os

    from ..orders import open_store
    from ..paths import data_dir
    from ..services.receipt_check import DETAIL_KEYS, check_receipt
    from ..termtext import clean

    looks_like_file = target.lower().endswith(_FILE_SUFFIXES) or os.sep in target and "SRCPT" not in target
    if looks_like_file and not os.path.isfile(target):
        raise StudioError("receipts.cli.missing", path=target)
    with open_store() as store:
        checked = check_receipt(target, store, receipt_no=receipt_no)
    verdict, details, photo = checked.verdict, checked.details, checked.photo
    print(clean(f"{verdict.status}  {verdict.receipt_no or ''}".rstrip()))
    print(messages.chosen_or_both(lambda lang: clean(verdict.message(lang))))
    if details:
        print(messages.say("receipts.cli.compare"))
        for key in DETAIL_KEYS:
            print(f"  {key:<11}{clean(details[key]) or '—'}")
        if photo:
            # one file, overwritten by each check, so photos of checked customers do not pile up
            out = data_dir() / "verify" / "checked-photo.jpg"
            out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            out.unlink(missing_ok=True)  # never write through a link planted there
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(photo)
            print(messages.say("receipts.cli.photo", path=str(out)))
        else:
            print(messages.say("receipts.cli.no_photo"))
    return _EXIT[verdict.status]


def _public_key(words: list[str], out: str | None, add: str | None) -> int:
    from ..receipts import signing

    if len(words) == 1 and add:
        path = add
        try:
            text = open(path, encoding="ascii").read()
        except FileNotFoundError:
            raise StudioError("receipts.cli.missing", path=path) from None
        added = signing.import_public(text, path)
        print(messages.say("receipts.cli.key_added", kids=", ".join(added) or "—"))
        return 0
    if len(words) != 1:
        print(messages.say("receipts.cli.usage"), file=sys.stderr)
        return 2
    text = signing.export_public(out)
    print(text, end="")
    return 0


def run(args) -> int:
    words = args.target
    if words[0] == "verify":
        if len(words) != 2:
            print(messages.say("receipts.cli.usage"), file=sys.stderr)
            return 2
        return _verify(words[1], args.receipt)
    if words[0] == "public-key":
        return _public_key(words, args.out, args.add)
    if words == ["rotate-key"]:
        from ..receipts import signing

        kid = signing.rotate()
        print(messages.say("receipts.cli.rotated", kid=kid, file=str(signing.public_path())))
        return 0
    if len(words) != 1:
        print(messages.say("receipts.cli.usage"), file=sys.stderr)
        print(messages.say("receipts.cli.where"), file=sys.stderr)
        return 2
    from ..orders import open_store
    from ..services.orders import issue_receipt

    with open_store() as store:
        order = store.find(words[0])
        if order is None:
            raise StudioError("receipts.cli.not_found", receipt_no=words[0])
        path, order = issue_receipt(store, order.receipt_no, args.out, template=args.template)
    print(messages.say("receipts.cli.written", path=str(path)))
    print(f"{order.receipt_no}  {order.image_no}")
    return 0
