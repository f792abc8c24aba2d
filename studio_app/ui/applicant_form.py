"""The applicant form: name, resident ID number, province/city, phone — validated as you type."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from ..session import Applicant


def normalise_phone(text: str) -> str:
    """The phone number as stored: ASCII digits only (a leading + kept). A Chinese input method in
    full-width mode types "１３８", and "138 0013 8000" / "138-0013-8000" are common; stored as typed,
    the history's partial-number search ("0013800") would not find them."""
    import re
    import unicodedata

    t = unicodedata.normalize("NFKC", text or "").strip()
    plus = t.startswith("+")
    digits = re.sub(r"[\s\-().]", "", t).lstrip("+")
    return ("+" if plus and digits else "") + digits


def _orders():
    from ..orders import idnumber, regions

    return idnumber, regions


class ApplicantForm(QWidget):
    """Emits ``validityChanged(bool)`` whenever the form becomes valid or invalid."""

    validityChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None, require_id: bool = True):
        super().__init__(parent)
        self.require_id = require_id
        idnumber, regions = _orders()
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("申请人姓名"))
        self.name.setMaxLength(idnumber.NAME_MAX)
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(self.tr("18 位身份证号码"))
        self.id_number.setMaxLength(22)
        self.province = QComboBox()
        self.province.addItem(self.tr("（选择省份）"), "")
        for p in regions.provinces():
            self.province.addItem(p, p)
        self.city = QComboBox()
        self.city.setEditable(True)
        self.city.lineEdit().setPlaceholderText(self.tr("城市，如 深圳市"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(self.tr("手机号（可选）"))
        self.phone.setMaxLength(20)
        self.name_msg, self.id_msg, self.city_msg, self.phone_msg = (QLabel() for _ in range(4))
        for lab in (self.name_msg, self.id_msg, self.city_msg, self.phone_msg):
            lab.setWordWrap(True)
            lab.setObjectName("fieldMessage")
        form = QFormLayout(self)
        form.addRow(self.tr("姓名"), self.name)
        form.addRow("", self.name_msg)
        form.addRow(self.tr("身份证号"), self.id_number)
        form.addRow("", self.id_msg)
        form.addRow(self.tr("省份"), self.province)
        form.addRow(self.tr("城市"), self.city)
        form.addRow("", self.city_msg)
        form.addRow(self.tr("电话"), self.phone)
        form.addRow("", self.phone_msg)
        self._valid = False
        self.name.textChanged.connect(self.validate)
        self.id_number.textChanged.connect(self.validate)
        self.province.currentIndexChanged.connect(self._fill_cities)
        self.city.editTextChanged.connect(self.validate)
        self.phone.textChanged.connect(self.validate)
        self.validate()

    # -- data -------------------------------------------------------------------------------------
    def set_require_id(self, required: bool) -> None:
        """The ID-number rule of the document being made (the same rule as the CLI and kiosk)."""
        self.require_id = bool(required)
        self.validate()

    def set_city(self, city: str, province: str = "") -> None:
        _, regions = _orders()
        province = province or (regions.province_of(city) or "")
        idx = self.province.findData(province)
        if idx >= 0:
            self.province.setCurrentIndex(idx)
        self.city.setEditText(city)
        self.validate()

    def applicant(self) -> Applicant:
        idnumber, regions = _orders()
        cc = regions.check_city(self.city.currentText(), self.province.currentData() or None)
        return Applicant(
            name=idnumber.validate_name(self.name.text()).name,
            id_number=self.id_number.text().strip().upper(),
            province=(cc.province or "") if cc.ok else (self.province.currentData() or ""),
            city=(cc.city or "") if cc.ok else self.city.currentText().strip(),
            phone=normalise_phone(self.phone.text()),
        )

    def clear(self) -> None:
        for w in (self.name, self.id_number, self.phone):
            w.clear()
        self.city.setEditText("")
        self.validate()

    @property
    def valid(self) -> bool:
        return self._valid

    # -- validation -------------------------------------------------------------------------------
    def _fill_cities(self) -> None:
        _, regions = _orders()
        current = self.city.currentText()
        self.city.blockSignals(True)
        self.city.clear()
        prov = self.province.currentData()
        if prov:
            self.city.addItems(list(regions.cities(prov)))
        self.city.setEditText(current if current in regions.cities(prov or "") else (
            self.city.itemText(0) if self.city.count() == 1 else current))
        self.city.blockSignals(False)
        self.validate()

    def _show(self, label: QLabel, ok: bool | None, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))
        colour = "#1e8449" if ok else ("#c0392b" if ok is False else "#666666")
        label.setStyleSheet(f"color: {colour};")

    def validate(self) -> bool:
        idnumber, regions = _orders()
        name_text = self.name.text()
        nc = idnumber.validate_name(name_text)
        name_ok = nc.ok
        self._show(self.name_msg, name_ok if name_text.strip() else None,
                   "" if name_ok else nc.message())
        id_text = self.id_number.text().strip()
        if id_text:
            ic = idnumber.validate(id_text)
            id_ok = ic.ok
            self._show(self.id_msg, id_ok, ic.message())
        else:
            id_ok = not self.require_id
            self._show(self.id_msg, None, self.tr("必填") if self.require_id else "")
        city_text = self.city.currentText().strip()
        cc = regions.check_city(city_text, self.province.currentData() or None)
        city_ok = cc.ok
        if city_ok:
            self._show(self.city_msg, True, f"{cc.province} · {cc.city}")
        else:
            self._show(self.city_msg, False if city_text else None, cc.message() if city_text else self.tr("必填"))
        phone = self.phone.text().strip()
        digits = normalise_phone(phone).lstrip("+")
        phone_ok = (not phone) or (digits.isascii() and digits.isdigit() and 5 <= len(digits) <= 15)
        self._show(self.phone_msg, phone_ok if phone else None, "" if phone_ok else self.tr("电话号码格式不正确"))
        valid = name_ok and id_ok and city_ok and phone_ok
        if valid != self._valid:
            self._valid = valid
            self.validityChanged.emit(valid)
        self._valid = valid
        return valid
