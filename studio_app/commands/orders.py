"""`studio-app orders list|show|approve|reject|check|purge` on either backend (--database URL)."""

from __future__ import annotations

import datetime as _dt
import json
import sys

from .. import messages
from ..errors import StudioError

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
    ls.add_argument("--limit", type=int, default=200)
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
    pg.add_argument("--days", type=int)
    pg.add_argument("--all-stations", action="store_true", help="所有工位的订单 / every station's orders")
    pg.set_defaults(func=_purge)


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
        print(json.dumps([o.to_dict() | {"report": None} for o in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print(messages.text("orders.cli.none"))
        return 0
    rows = [("回执号 Receipt", "图像号 Image", "状态 Status", "姓名 Name", "城市 City", "规格 Spec", "采集 Captured")]
    for o in found:
        rows.append((o.receipt_no, o.image_no, messages.text(f"orders.status.{o.status}"), o.applicant_name,
                     o.city or "", o.spec_id, o.captured_local().strftime("%Y-%m-%d %H:%M")))
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
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for key in ("receipt_no", "image_no", "status", "spec_id", "doc_type", "applicant_name", "id_masked", "province",
                "city", "phone", "captured_at", "photo_sha256", "export_state", "resubmit_of", "station"):
        value = data[key]
        if key == "status":
            value = f"{messages.text(f'orders.status.{value}')} ({value})"
        print(f"  {key:<15}{value if value not in (None, '') else '—'}")
    if order.reasons:
        print(f"  {'reasons':<15}{'；'.join(order.reasons)}")
    for kind, info in order.files.items():
        print(f"  {'file.' + kind:<15}{info['path']}")
    print("  history")
    for h in data["history"]:
        detail = json.dumps(h["detail"], ensure_ascii=False) if h["detail"] else ""
        print(f"    {h['at']}  {h['station']:<6} {h['action']:<16} {detail}")
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(0)
