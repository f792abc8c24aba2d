"""`studio-app orders list|show|approve|reject|check|purge|erase|rotate-key` on either backend
(--database URL)."""

from __future__ import annotations

import datetime as _dt
import json
import sys

from .. import messages
from ..errors import StudioError
from ..termtext import clean
from ._args import int_in, json_lines

messages.register({
    "orders.cli.none": ("没有订单", "No orders"),
    "orders.cli.count": ("共 {n} 个订单", "{n} orders"),
    "orders.cli.consistent": ("订单库一致，没有发现问题", "The order store is consistent"),
    "orders.cli.problem": ("问题", "problem"),
    "orders.cli.repaired": ("已修复", "repaired"),
    "orders.cli.purged": ("已清除 {n} 个过期订单（超过 {days} 天）", "Purged {n} expired orders (older than {days} days)"),
    "orders.cli.bad_date": ("日期无效：{text}（格式 YYYY-MM-DD）", "Invalid date: {text} (use YYYY-MM-DD)"),
    "orders.status.captured": ("待审核", "captured"),
    "orders.status.approved": ("已通过", "approved"),
    "orders.status.rejected": ("已退回", "rejected"),
    "orders.status.exported": ("已导出", "exported"),
    "orders.status.printed": ("已打印", "printed"),
    "orders.cli.erase_confirm": ("将永久删除订单 {receipt_no}（{name}）的个人信息与照片、回执文件，无法恢复。确认请输入回执号：",
                                 "This permanently erases the personal data, photo and receipt files of order "
                                 "{receipt_no} ({name}); it cannot be undone. Type the receipt number to confirm: "),
    "orders.cli.erase_cancelled": ("已取消，未删除任何数据", "Cancelled; nothing was erased"),
    "orders.cli.erase_needs_tty": ("没有终端可确认：请加 --yes", "No terminal to confirm on: add --yes"),
    "orders.cli.erased": ("订单 {receipt_no} 的个人信息已删除（回执号保留，审计记录已写入）",
                          "The personal data of order {receipt_no} was erased (the number and an audit entry stay)"),
    "orders.cli.already_erased": ("订单 {receipt_no} 的个人信息早已删除", "Order {receipt_no} was already erased"),
    "orders.cli.erase_pending": ("数据库中的个人信息已删除；文件在工位 {station} 上，将由该工位下次清理或 "
                                 "`studio-app orders check --repair` 删除",
                                 "The personal data in the database is erased; the files are on station {station} and "
                                 "are deleted by that station's next purge or `studio-app orders check --repair`"),
    "orders.cli.erase_linked": ("注意：关联订单 {others} 属于同一申请人，如需一并删除请分别执行",
                                "Note: linked orders {others} belong to the same applicant; erase them too if asked"),
    "orders.cli.compacted": ("已清理数据库文件", "The database files are compacted"),
    "orders.cli.rotate_start": ("正在用新密钥重新加密身份证号码…", "Re-encrypting ID numbers under a new key…"),
    "orders.cli.rotate_progress": ("  已重新加密 {n} 个", "  {n} re-encrypted"),
    "orders.cli.rotated": ("完成：当前密钥 {current}，重新加密 {n} 个订单，停用密钥 {retired}，用时 {seconds} 秒",
                           "Done: current key {current}, {n} orders re-encrypted, retired {retired}, {seconds} s"),
    "orders.cli.rotate_prepared": ("新密钥 {kid} 已加入密钥文件 {file}（尚未启用）：复制到所有工位后再运行 "
                                   "studio-app orders rotate-key",
                                   "New key {kid} added to the key file {file} (not used yet): copy it to every "
                                   "station, then run studio-app orders rotate-key"),
    "orders.cli.rotate_copy": ("请把密钥文件 {file} 复制到共用此数据库的所有工位（覆盖旧文件，权限 600），"
                               "并另行备份；旧备份中的身份证号码需要旧密钥才能解密",
                               "Copy the key file {file} to every station sharing this database (replace the old one, "
                               "mode 600) and back it up; ID numbers in older backups need the old key"),
})


def register(sub) -> None:
    p = sub.add_parser("orders", help="订单列表与详情 / list and show orders")
    osub = p.add_subparsers(dest="orders_action", metavar="ACTION")
    p.set_defaults(func=_list, json=False, status=None, search=None, since=None, until=None, limit=200)
    ls = osub.add_parser("list", help="列出订单 / list orders")
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--status", nargs="+", choices=["captured", "approved", "rejected", "exported", "printed"])
    ls.add_argument("--search", help="回执号、姓名、城市… / receipt no, name, city…")
    ls.add_argument("--since", help="YYYY-MM-DD")
    ls.add_argument("--until", help="YYYY-MM-DD (inclusive)")
    ls.add_argument("--limit", type=int_in(1, 1_000_000), default=200)
    ls.set_defaults(func=_list)
    sh = osub.add_parser("show", help="订单详情 / one order")
    sh.add_argument("receipt_no")
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(func=_show)
    ap = osub.add_parser("approve", help="审核通过 / approve")
    ap.add_argument("receipt_no")
    ap.set_defaults(func=_approve)
    rj = osub.add_parser("reject", help="退回 / reject")
    rj.add_argument("receipt_no")
    rj.add_argument("--reason", action="append", required=True)
    rj.set_defaults(func=_reject)
    ck = osub.add_parser("check", help="检查一致性 / check consistency")
    ck.add_argument("--repair", action="store_true")
    ck.add_argument("--all-stations", action="store_true", help="所有工位的订单 / every station's orders")
    ck.set_defaults(func=_check)
    pg = osub.add_parser("purge", help="清除过期订单 / purge expired orders")
    pg.add_argument("--days", type=int_in(0, 36_500), help="0–36500")
    pg.add_argument("--all-stations", action="store_true", help="所有工位的订单 / every station's orders")
    pg.set_defaults(func=_purge)
    er = osub.add_parser("erase", help="按顾客申请删除一个订单的个人信息 / erase one order's personal data (PIPL)")
    er.add_argument("receipt_no")
    er.add_argument("--reason", required=True, metavar="CODE",
                    help="原因代码 / reason code: customer_request, duplicate, mistake, other")
    er.add_argument("--note", help="补充说明（其中的姓名、证件号、电话会被删去）/ a note (the order's name, ID and "
                                   "phone are removed from it)")
    er.add_argument("--operator", help="操作员 / operator")
    er.add_argument("--yes", action="store_true", help="不再确认 / do not ask for confirmation")
    er.set_defaults(func=_erase)
    cp = osub.add_parser("compact", help="从数据库文件中清除已删除数据的残留 / remove the bytes of erased and "
                                         "purged orders from the database files (PostgreSQL: VACUUM FULL)")
    cp.set_defaults(func=_compact)
    rk = osub.add_parser("rotate-key", help="更换身份证号码加密密钥 / re-encrypt ID numbers under a new key")
    rk.add_argument("--batch", type=int, default=500, help="每个事务的订单数 / orders per transaction")
    rk.add_argument("--prepare", action="store_true",
                    help="只生成新密钥（先分发到各工位）/ only add the new key to the key file (distribute it first)")
    rk.add_argument("--keep-old", action="store_true",
                    help="暂不停用旧密钥 / re-encrypt but keep the old key until the next run")
    rk.add_argument("--json", action="store_true")
    rk.set_defaults(func=_rotate_key)


def _store():
    from ..orders import open_store

    return open_store()


def _date(text: str | None) -> _dt.date | None:
    if not text:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise StudioError("orders.cli.bad_date", text=text) from None


def _width(s: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * max(0, n - _width(s))


def _list(args) -> int:
    with _store() as store:
        found = store.list(status=args.status, search=args.search, since=_date(args.since),
                           until=_date(args.until), limit=args.limit)
    if args.json:
        print(json_lines(json.dumps([o.to_dict() | {"report": None} for o in found], ensure_ascii=False, indent=2)))
        return 0
    if not found:
        print(messages.text("orders.cli.none"))
        return 0
    rows = [("回执号 Receipt", "图像号 Image", "状态 Status", "姓名 Name", "城市 City", "规格 Spec", "采集 Captured")]
    for o in found:
        rows.append(tuple(clean(v) for v in (o.receipt_no, o.image_no, messages.text(f"orders.status.{o.status}"),
                                             o.applicant_name, o.city or "", "+".join(d.spec_id for d in o.documents),
                                             o.captured_local().strftime("%Y-%m-%d %H:%M"))))
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip())
    print(messages.text("orders.cli.count", n=len(found)))
    return 0


def _show(args) -> int:
    with _store() as store:
        order = store.find(args.receipt_no) or store.get(args.receipt_no)
        history = store.audit_entries(order.receipt_no)
    data = order.to_dict()
    data["history"] = [{"at": h["at"].replace(tzinfo=_dt.timezone.utc).isoformat(timespec="seconds"),
                        "station": h["station"], "action": h["action"],
                        "detail": json.loads(h["detail"]) if h["detail"] else None} for h in history]
    if args.json:
        print(json_lines(json.dumps(data, ensure_ascii=False, indent=2)))
        return 0
    for key in ("receipt_no", "image_no", "status", "spec_id", "doc_type", "applicant_name", "id_masked", "province",
                "city", "phone", "captured_at", "photo_sha256", "export_state", "resubmit_of", "station", "erase_state",
                "erased_at"):
        value = data[key]
        if key == "status":
            value = f"{messages.text(f'orders.status.{value}')} ({value})"
        print(f"  {key:<15}{clean(value) if value not in (None, '') else '—'}")
    if order.reasons:
        print(f"  {'reasons':<15}{clean('；'.join(order.reasons))}")
    for kind, info in order.files.items():
        print(f"  {'file.' + kind:<15}{clean(info['path'])}")
    if len(order.items) > 1:  # one capture, several documents: each with its image number and photo
        for item in order.items:
            print(clean(f"  {'document.' + str(item.position + 1):<15}{item.spec_id}  {item.image_no}  "
                        f"{item.verdict or '—'}  {item.photo_path or ''}".rstrip()))
    print("  history")
    for h in data["history"]:
        detail = json.dumps(h["detail"], ensure_ascii=False) if h["detail"] else ""
        print(clean(f"    {h['at']}  {h['station']:<6} {h['action']:<16} {detail}"))
    return 0


def _approve(args) -> int:
    with _store() as store:
        order = store.set_status(args.receipt_no, "approved")
    print(f"{order.receipt_no}: {messages.text('orders.status.approved')}")
    return 0


def _reject(args) -> int:
    with _store() as store:
        order = store.set_status(args.receipt_no, "rejected", reasons=args.reason)
    print(f"{order.receipt_no}: {messages.text('orders.status.rejected')} — {'；'.join(order.reasons)}")
    return 0


def _check(args) -> int:
    with _store() as store:
        problems = store.check_consistency(repair=args.repair, all_stations=args.all_stations)
    if not problems:
        print(messages.text("orders.cli.consistent"))
        return 0
    for p in problems:
        tag = messages.text("orders.cli.repaired") if p.repaired else messages.text("orders.cli.problem")
        print(f"  [{tag}] {p.kind:<20} {p.receipt_no or '':<16} {p.detail}")
    return 0 if all(p.repaired for p in problems) else 1


def _purge(args) -> int:
    with _store() as store:
        days = store.retention_days if args.days is None else args.days
        n = store.purge_expired(days, all_stations=args.all_stations)
    print(messages.text("orders.cli.purged", n=n, days=days))
    return 0


def _erase(args) -> int:
    from ..orders.erase_reason import check_reason

    check_reason(args.reason)  # before asking for confirmation
    with _store() as store:
        try:
            order = store.get(args.receipt_no)
        except StudioError as exc:
            if exc.key != "orders.not_found":
                raise
            raise StudioError("orders.erase_unknown", receipt_no=args.receipt_no.strip()) from None
        if order.erase_state == "erased":
            print(messages.text("orders.cli.already_erased", receipt_no=order.receipt_no))
            return 0
        if not args.yes:
            if not sys.stdin or not sys.stdin.isatty():
                raise StudioError("orders.cli.erase_needs_tty")
            answer = input(messages.text("orders.cli.erase_confirm", receipt_no=order.receipt_no,
                                         name=order.applicant_name or "—"))
            if answer.strip().upper() != order.receipt_no:
                print(messages.text("orders.cli.erase_cancelled"))
                return 1
        linked = store.linked_orders(order.receipt_no)
        store.erase(order.receipt_no, reason=args.reason, note=args.note, operator=args.operator)
        after = store.get(order.receipt_no)
    print(messages.text("orders.cli.erased", receipt_no=order.receipt_no))
    if after.erase_state == "erasing":
        print(messages.text("orders.cli.erase_pending", station=after.station))
    if linked:
        print(messages.text("orders.cli.erase_linked", others=", ".join(linked)))
    return 0


def _compact(args) -> int:
    with _store() as store:
        store.compact()
    print(messages.text("orders.cli.compacted"))
    return 0


def _rotate_key(args) -> int:
    from ..orders import crypto

    with _store() as store:
        if args.prepare:
            result = store.rotate_key(prepare=True, batch=args.batch)
        else:
            if not args.json:
                print(messages.text("orders.cli.rotate_start"))
            last = [0]

            def progress(n):
                if not args.json and n - last[0] >= 2000:
                    last[0] = n
                    print(messages.text("orders.cli.rotate_progress", n=n), flush=True)

            result = store.rotate_key(batch=args.batch, keep_old=args.keep_old, progress=progress)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    if args.prepare:
        print(messages.text("orders.cli.rotate_prepared", kid=result["prepared"], file=str(crypto.key_path())))
        return 0
    print(messages.text("orders.cli.rotated", current=result["current"], n=result["reencrypted"],
                        retired=", ".join(result["retired"]) or "—", seconds=result["seconds"]))
    print(messages.text("orders.cli.rotate_copy", file=str(crypto.key_path())))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0)
