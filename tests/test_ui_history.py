"""History: find an order as the counter is asked for it (kiosk pick-up code, receipt number, name,
part of a phone number) and erase one at the customer's request — on a real order store."""

from __future__ import annotations

import datetime as _dt
import io
from types import SimpleNamespace

import numpy as np
import pytest

pytest.importorskip("pytestqt")

pytestmark = pytest.mark.gui


def _jpeg() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.full((441, 358, 3), 200, np.uint8)).save(buf, "JPEG")
    return buf.getvalue()


def pickup_code(receipt_no: str) -> str:
    """The code the kiosk shows (its own function, so a change there is tested here)."""
    from studio_app.ui.kiosk.services import KioskServices

    return KioskServices.pickup_code(None, SimpleNamespace(receipt_no=receipt_no))


@pytest.fixture
def store(db_url):
    from studio_app.orders import open_store

    s = open_store(db_url)
    yield s
    s.close()


@pytest.fixture
def orders(store):
    """A counter's morning: operator orders with names and phones, and a kiosk order (no name)."""
    from studio_app.ui.applicant_form import normalise_phone
    from studio_app.ui.kiosk.services import KIOSK_APPLICANT_NAME

    made = {"zhang": store.create_order("sscard", "张三", None, "深圳市", phone=normalise_phone("138 0013 8000"))}
    for i, name in enumerate(("李四", "王芳", "赵敏", "陈晨", "刘洋", "周杰")):
        store.create_order("sscard", name, None, None, phone=f"1590000{i:04d}")
    made["kiosk"] = store.create_order("sscard", KIOSK_APPLICANT_NAME, None, None, phone="13912345678")
    for name in ("孙丽", "吴刚", "郑爽"):
        store.create_order("sscard", name, None, None)
    return made


@pytest.fixture
def history(qtbot, store):
    from studio_app.settings import Settings
    from studio_app.ui.history import HistoryDialog

    def make(lang="zh_CN"):
        dlg = HistoryDialog(store, Settings(), lang=lang)
        qtbot.addWidget(dlg)
        return dlg

    return make


def _found(dlg) -> list[str]:
    return [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())]


def test_history_finds_a_kiosk_order_by_its_pickup_code(history, orders):
    kiosk = orders["kiosk"].receipt_no
    code = pickup_code(kiosk)
    assert len(code) == 5 and kiosk.endswith(code)
    dlg = history()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)  # a Chinese IME in full-width mode
    for typed in (code, code.lower(), f" {code} ", f"{code[:4]} {code[4]}", " ".join(code), full_width, kiosk,
                  kiosk.lower()):
        dlg.search.setText(typed)
        assert _found(dlg)[:1] == [kiosk], typed
        assert dlg.table.item(0, 5).text() == "待审核"  # waiting for the counter's review
    # what the operator reads next to it: the kiosk customer's row, its status, one match
    dlg.search.setText(code)
    assert _found(dlg) == [kiosk]


def test_history_finds_by_receipt_number_name_and_part_of_a_phone(history, orders):
    zhang = orders["zhang"].receipt_no
    assert orders["zhang"].phone == "13800138000"  # the form stores digits only
    dlg = history()
    for typed in (zhang, "张三", "张", "0013800", "138 0013", "138-0013-8000", "８０００", "+86 138 0013 8000"):
        dlg.search.setText(typed)
        assert _found(dlg) == [zhang], typed
    dlg.search.setText("2345678")
    assert _found(dlg) == [orders["kiosk"].receipt_no]
    dlg.search.setText("王五")
    assert _found(dlg) == []


def test_pickup_code_matches_rank_first_and_today_first():
    from studio_app.ui.history import rank_matches

    now = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)

    def o(rno, days_ago=0):
        return SimpleNamespace(receipt_no=rno, captured_at=now - _dt.timedelta(days=days_ago),
                               captured_local=lambda d=days_ago: (_dt.datetime.now() - _dt.timedelta(days=d)))

    phone_hit, yesterday, today = o("A012611250001K"), o("A01261124000Y7", 1), o("A01261125000Y7")
    # the store lists newest first; a phone or image number containing the code may come first
    assert [x.receipt_no for x in rank_matches([phone_hit, today, yesterday], "000Y7")] == \
        [today.receipt_no, yesterday.receipt_no, phone_hit.receipt_no]
    assert [x.receipt_no for x in rank_matches([yesterday, today], "000Y7")][0] == today.receipt_no
    assert rank_matches([phone_hit, today], "张三") == [phone_hit, today]


def test_search_box_says_what_it_finds(history, qapp):
    from studio_app.ui.i18n import install_translators

    dlg = history()
    text = dlg.search.placeholderText()
    assert all(w in text for w in ("回执号", "取件码", "姓名", "电话")), text
    try:
        install_translators(qapp, "en")
        dlg_en = history("en")
        text = dlg_en.search.placeholderText()
        assert all(w in text.lower() for w in ("receipt", "pick-up code", "name", "phone")), text
    finally:
        install_translators(qapp, "zh_CN")


# -- erase at the customer's request ------------------------------------------------------------------
def _export(store, order, tmp_path):
    folder = tmp_path / "out" / order.receipt_no
    folder.mkdir(parents=True)
    store.export_photo(order.receipt_no, _jpeg(), folder / "photo.jpg")
    return folder / "photo.jpg"


class RecordingStore:
    """The real store, with an ``erase`` that records its calls (for the confirmation's tests)."""

    def __init__(self, store):
        self._store = store
        self.calls = []

    def __getattr__(self, name):
        return getattr(self._store, name)

    def erase(self, receipt_no, *, reason, operator=None):
        self.calls.append((receipt_no, reason, operator))


def test_erase_asks_naming_the_receipt_and_cancel_keeps_the_order(qtbot, store, orders):
    from PySide6.QtWidgets import QMessageBox

    from studio_app.settings import Settings
    from studio_app.ui.history import HistoryDialog

    rec = RecordingStore(store)
    dlg = HistoryDialog(rec, Settings())
    qtbot.addWidget(dlg)
    dlg.search.setText("张三")
    assert dlg.erase.isVisible() or not dlg.isVisible()
    assert not dlg.erase.isEnabled()  # nothing selected
    dlg.select_row(0)
    assert dlg.erase.isEnabled()
    zhang = orders["zhang"].receipt_no
    box = dlg.erase_box(dlg.selected())
    qtbot.addWidget(box)
    assert zhang in box.text() and "无法撤销" in box.informativeText()
    assert box.defaultButton().text() == "取消"  # Enter does not delete
    assert any(zhang in b.text() for b in box.buttons())
    assert box.icon() == QMessageBox.Icon.Warning

    assert "张三" in box.text()
    linked = dlg.erase_box(dlg.selected(), ["A0126112500099"])
    qtbot.addWidget(linked)
    assert "A0126112500099" in linked.informativeText()

    dlg.confirm_erase = lambda o, linked=None: False  # the operator cancels
    dlg.erase.click()
    assert rec.calls == [] and _found(dlg) == [zhang]
    dlg.confirm_erase = lambda o, linked=None: o.receipt_no == zhang
    dlg.erase.click()
    assert [c[0] for c in rec.calls] == [zhang]
    reason = rec.calls[0][1]
    assert reason.strip() and "张三" not in reason  # the audit gets a reason, never the name


def test_erase_button_hidden_when_the_store_cannot_erase(qtbot, store, orders):
    from studio_app.settings import Settings
    from studio_app.ui.history import HistoryDialog

    class NoErase:
        def __init__(self, s):
            self._s = s

        def list(self, **kw):
            return self._s.list(**kw)

    dlg = HistoryDialog(NoErase(store), Settings())
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.select_row(0)
    assert not dlg.erase.isVisible() and not dlg.erase.isEnabled()


def test_erase_end_to_end_with_the_real_store(qtbot, store, orders, tmp_path):
    from studio_app.orders.store import OrderStore
    from studio_app.settings import Settings
    from studio_app.ui.history import HistoryDialog

    if not callable(getattr(OrderStore, "erase", None)):
        pytest.skip("OrderStore.erase is not in the store yet")
    kiosk = orders["kiosk"]
    photo = _export(store, kiosk, tmp_path)
    assert photo.is_file() and store.photo(kiosk.receipt_no)
    dlg = HistoryDialog(store, Settings())
    qtbot.addWidget(dlg)
    dlg.search.setText(pickup_code(kiosk.receipt_no))
    dlg.select_row(0)
    asked = []
    dlg.confirm_erase = lambda o, linked=None: asked.append(o.receipt_no) or True
    dlg.erase.click()
    assert asked == [kiosk.receipt_no]
    assert kiosk.receipt_no in dlg.info.text() and "已删除" in dlg.info.text()
    assert not photo.exists() and not photo.parent.joinpath("photo.jpg").exists()
    assert _found(dlg) == []  # gone from the history
    dlg.search.setText("13912345678")
    assert _found(dlg) == []
    after = store.get(kiosk.receipt_no)  # the number stays (never reused), the personal data is gone
    assert after.erase_state == "erased" and after.phone is None and not after.applicant_name
    assert not store.photo(kiosk.receipt_no)
    entries = store.audit_entries(kiosk.receipt_no)
    asked_entry = [e for e in entries if e.get("action") == "erase_requested"]
    assert asked_entry, entries
    assert "13912345678" not in str(entries)
    # the other orders are untouched
    dlg.search.setText("张三")
    assert _found(dlg) == [orders["zhang"].receipt_no]


def test_statuses_read_as_words_in_both_languages(history, orders, store):
    from studio_app.ui.history import STATUS_ZH, status_text

    store.set_status(orders["zhang"].receipt_no, "rejected", reasons=["头发遮挡耳朵", "背景不符"])
    dlg = history("en")
    dlg.search.setText(pickup_code(orders["kiosk"].receipt_no))
    assert dlg.table.item(0, 5).text() == "Awaiting review"  # not the internal "captured"
    dlg.search.setText(orders["zhang"].receipt_no)
    assert dlg.table.item(0, 5).text() == "Rejected: 头发遮挡耳朵; 背景不符"
    assert [dlg.status.itemText(i) for i in range(1, dlg.status.count())] == \
        [status_text(k, "en") for k in STATUS_ZH]
    assert all(status_text(k, "en") != k for k in STATUS_ZH)
    zh = history()
    zh.search.setText(orders["zhang"].receipt_no)
    assert zh.table.item(0, 5).text() == "不合格：头发遮挡耳朵；背景不符"
