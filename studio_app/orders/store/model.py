"""What the store hands out: statuses and their transitions, ``Order`` and ``Problem``, and the
order messages (zh/en) every part of the store raises."""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field

from ... import messages

STATUSES = ("captured", "approved", "rejected", "exported", "printed")
# status -> statuses it may move to
TRANSITIONS = {
    "captured": {"approved", "rejected", "exported", "printed"},
    "approved": {"exported", "printed", "rejected"},
    "exported": {"printed", "approved", "rejected"},
    "printed": {"printed", "rejected"},
    "rejected": set(),  # a rejected photo is resubmitted as a new, linked order
}
FILE_KINDS = ("photo", "receipt", "sheet", "sheet_pdf", "report", "other")

messages.register({
    "orders.not_found": ("找不到订单 {receipt_no}", "Order {receipt_no} not found"),
    "orders.bad_status": ("未知的订单状态“{status}”（可用：{allowed}）", "Unknown order status “{status}” ({allowed})"),
    "orders.bad_transition": ("订单 {receipt_no} 不能从“{old}”改为“{new}”",
                              "Order {receipt_no} cannot go from “{old}” to “{new}”"),
    "orders.reject_needs_reason": ("退回订单须说明原因", "A rejection needs at least one reason"),
    "orders.resubmit_not_rejected": ("只有被退回的订单才能重新提交（{receipt_no} 的状态是“{status}”）",
                                     "Only a rejected order can be resubmitted ({receipt_no} is “{status}”)"),
    "orders.already_resubmitted": ("订单 {receipt_no} 已重新提交为 {other}",
                                   "Order {receipt_no} was already resubmitted as {other}"),
    "orders.hash_mismatch": ("文件 {path} 的 SHA-256 与记录不符", "The SHA-256 of {path} does not match"),
    "orders.file_missing": ("文件不存在：{path}", "File not found: {path}"),
    "orders.bad_id": ("身份证号码无效：{message}", "Invalid ID number: {message}"),
    "orders.bad_name": ("姓名无效：{message}", "Invalid name: {message}"),
    "orders.bad_city": ("城市无效：{message}", "Invalid city: {message}"),
    "orders.bad_phone": ("电话号码无效：只能包含数字、空格、连字符和开头的 +，共 5 到 20 位数字",
                         "Invalid phone number: digits, spaces, hyphens and a leading + only, 5 to 20 digits"),
    "orders.db_unreachable": (
        "无法连接订单数据库 {url}（{problem}）。已保存的订单不会丢失；请检查网络或服务器后重试",
        "Cannot reach the order database {url} ({problem}). Saved orders are safe; check the network "
        "or server and try again"),
    "orders.db_error": ("订单数据库 {url} 无法写入：{problem}（请检查磁盘空间与文件权限；已保存的订单不会丢失）",
                        "The order database {url} cannot be written: {problem} (check free disk space and file "
                        "permissions; saved orders are safe)"),
    "orders.db_busy": ("订单数据库正忙（{problem}），请稍后重试", "The order database is busy ({problem}); try again"),
    "orders.bad_url": ("订单数据库地址无效：{url}（支持 sqlite:///文件 或 postgresql://用户:密码@主机/库）",
                       "Invalid order database URL: {url} (use sqlite:///FILE or postgresql://user:pass@host/db)"),
    "orders.no_driver": ("使用 PostgreSQL 需要安装 psycopg：pip install 'studio-app[postgres]'",
                         "PostgreSQL needs psycopg: pip install 'studio-app[postgres]'"),
    "orders.erase_unknown": ("找不到订单 {receipt_no}，没有删除任何数据（请核对回执号）",
                             "Order {receipt_no} not found; nothing was erased (check the receipt number)"),
    "orders.erase_needs_reason": ("删除个人信息须说明原因（例如：顾客本人申请）",
                                  "Erasing personal data needs a reason (e.g. the customer's request)"),
    "orders.erased": ("订单 {receipt_no} 的个人信息已按申请删除，不能再修改或出具",
                      "The personal data of order {receipt_no} was erased on request; it cannot be changed or "
                      "issued again"),
    "orders.key.retired": ("本工位用于加密身份证号码的密钥 {kid} 已停用：请从执行密钥轮换的工位复制最新的密钥文件"
                           "（docs/multi-station.md）",
                           "This station's ID-number key {kid} has been retired: copy the current key file from "
                           "the station that rotated the key (docs/multi-station.md)"),
    "orders.key.still_used": ("旧密钥仍被 {n} 个订单使用（工位 {stations}），未停用；请先给这些工位复制新的密钥文件，"
                              "再运行 studio-app orders rotate-key",
                              "The old key is still used by {n} orders (stations {stations}) and was kept: give those "
                              "stations the new key file, then run studio-app orders rotate-key again"),
})

ERASE_STATES = ("erasing", "erased")  # orders.purge_state of an order erased at the customer's request


def utcnow() -> _dt.datetime:
    """Naive UTC (both backends store ``timestamp without time zone``)."""
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class OrderItem:
    """One document of an order (one capture, several documents): its spec, its own image number,
    its verdict and problems (message keys) and its files (kind -> {"path", "sha256"})."""
    position: int
    spec_id: str
    doc_type: str
    image_no: str
    verdict: str | None  # ok | problems (approved with fixable problems) | None: nothing written yet
    problems: tuple[dict, ...] = ()
    photo_sha256: str | None = None
    files: dict = field(default_factory=dict)

    @property
    def photo_path(self) -> str | None:
        f = self.files.get("photo")
        return f["path"] if f else None

    def to_dict(self) -> dict:
        return {"position": self.position, "spec_id": self.spec_id, "doc_type": self.doc_type,
                "image_no": self.image_no, "verdict": self.verdict, "problems": list(self.problems),
                "photo_sha256": self.photo_sha256, "files": self.files}


@dataclass(frozen=True)
class Order:
    id: int
    receipt_no: str
    image_no: str
    station: str
    spec_id: str
    doc_type: str
    province: str | None
    city: str | None
    applicant_name: str
    id_masked: str | None
    has_id_number: bool
    phone: str | None
    status: str
    reasons: tuple[str, ...]
    report: dict | None
    photo_sha256: str | None
    export_state: str
    resubmit_of: str | None  # receipt number of the rejected order this one resubmits
    captured_at: _dt.datetime  # naive UTC
    created_at: _dt.datetime
    updated_at: _dt.datetime
    files: dict = field(default_factory=dict)  # kind -> {"path", "sha256"}
    erase_state: str | None = None  # "erasing" (personal data gone, files being deleted) | "erased"
    erased_at: _dt.datetime | None = None  # naive UTC
    items: tuple[OrderItem, ...] = ()  # the documents of the order, position 0 first (empty: none recorded)

    @property
    def documents(self) -> tuple[OrderItem, ...]:
        """The order's documents: its items, or (an order from before v5 without any) itself as one."""
        if self.items:
            return self.items
        return (OrderItem(0, self.spec_id, self.doc_type, self.image_no, None, (), self.photo_sha256,
                          {k: v for k, v in self.files.items() if k in ("photo", "sheet", "sheet_pdf")}),)

    @property
    def erased(self) -> bool:
        """Personal data erased at the customer's request (only the numbers and dates are left)."""
        return self.erase_state is not None

    @property
    def photo_path(self) -> str | None:
        f = self.files.get("photo")
        return f["path"] if f else None

    @property
    def receipt_path(self) -> str | None:
        f = self.files.get("receipt")
        return f["path"] if f else None

    def captured_local(self) -> _dt.datetime:
        return self.captured_at.replace(tzinfo=_dt.timezone.utc).astimezone()

    def to_dict(self) -> dict:
        """JSON-ready; contains the masked ID number only."""
        return {
            "receipt_no": self.receipt_no, "image_no": self.image_no, "station": self.station,
            "spec_id": self.spec_id, "doc_type": self.doc_type, "province": self.province, "city": self.city,
            "applicant_name": self.applicant_name, "id_masked": self.id_masked, "phone": self.phone,
            "status": self.status, "reasons": list(self.reasons), "photo_sha256": self.photo_sha256,
            "export_state": self.export_state, "resubmit_of": self.resubmit_of,
            "captured_at": self.captured_local().isoformat(timespec="seconds"),
            "created_at": self.created_at.replace(tzinfo=_dt.timezone.utc).isoformat(timespec="seconds"),
            "updated_at": self.updated_at.replace(tzinfo=_dt.timezone.utc).isoformat(timespec="seconds"),
            "files": self.files, "report": self.report, "erase_state": self.erase_state,
            "items": [i.to_dict() for i in self.items],
            "erased_at": self.erased_at.replace(tzinfo=_dt.timezone.utc).isoformat(timespec="seconds")
            if self.erased_at else None,
        }


@dataclass(frozen=True)
class Problem:
    kind: str  # interrupted_export | photo_missing | photo_changed | purge_interrupted | temp_file | integrity
    receipt_no: str | None
    detail: str
    repaired: bool = False
