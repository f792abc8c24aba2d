"""Choose the video source: a camera (device + format, optionally with a DSLR taking the photo),
a file or folder, a hot folder (tethering software saves each shot there), a gPhoto2 DSLR, or the
demo."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLineEdit, QPushButton, QRadioButton, QVBoxLayout)

from .. import messages
from ..camera.demo import SUBJECTS
from ..camera.qt_source import camera_devices, device_id, format_label


class SourceDialog(QDialog):
    def __init__(self, parent=None, settings=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("视频源"))
        self.camera = QRadioButton(self.tr("相机"))
        self.file = QRadioButton(self.tr("文件或文件夹"))
        self.demo = QRadioButton(self.tr("演示画面"))
        self.hot = QRadioButton(self.tr("热文件夹（联机拍摄软件保存的每张照片直接进入审核）"))
        self.dslr = QRadioButton(self.tr("单反/微单相机（gPhoto2：取景和拍照）"))
        self.dslr_shutter = QCheckBox(self.tr("用单反/微单拍照（gPhoto2），此相机只用于取景"))
        group = QButtonGroup(self)
        for b in (self.camera, self.file, self.hot, self.dslr, self.demo):
            group.addButton(b)
        self.device = QComboBox()
        self.format = QComboBox()
        self._devices = camera_devices()
        for dev in self._devices:
            self.device.addItem(dev.description(), device_id(dev))
        self.device.currentIndexChanged.connect(self._fill_formats)
        self.path = QLineEdit()
        # the demo's "customers": the first passes and auto-captures, the others show a problem each
        self.subject = QComboBox()
        zh = messages.language() != "en"
        for i, subj in enumerate(SUBJECTS):
            self.subject.addItem(f"{i + 1}. {subj.label[0] if zh else subj.label[1]}", subj.key)
        self.subject.activated.connect(lambda _i: self.demo.setChecked(True))
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.hot_path = QLineEdit()
        self.hot_path.setPlaceholderText(self.tr("例如 EOS Utility 的保存文件夹"))
        self.hot_path.textEdited.connect(lambda _t: self.hot.setChecked(True))
        hot_browse = QPushButton(self.tr("选择文件夹…"))
        hot_browse.clicked.connect(self._browse_hot)
        hot_row = QHBoxLayout()
        hot_row.addWidget(self.hot_path, 1)
        hot_row.addWidget(hot_browse)
        form = QFormLayout()
        form.addRow(self.camera)
        form.addRow(self.tr("设备"), self.device)
        form.addRow(self.tr("分辨率"), self.format)
        form.addRow("", self.dslr_shutter)
        form.addRow(self.file)
        form.addRow(self.tr("路径"), row)
        form.addRow(self.hot)
        form.addRow(self.tr("文件夹"), hot_row)
        form.addRow(self.dslr)
        form.addRow(self.demo, self.subject)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)
        if self._devices:
            self.camera.setChecked(True)
            want = getattr(settings, "camera_device", "") if settings else ""
            idx = self.device.findData(want)
            self.device.setCurrentIndex(max(0, idx))
            self._fill_formats()
            fidx = self.format.findData(getattr(settings, "camera_format", "") if settings else "")
            if fidx >= 0:
                self.format.setCurrentIndex(fidx)
        else:
            self.camera.setEnabled(False)
            self.dslr_shutter.setEnabled(False)
            self.demo.setChecked(True)
        from ..camera.gphoto import supported

        if not supported():  # no gPhoto2 wheels on Windows: the hot folder is the way there
            self.dslr.setEnabled(False)
            self.dslr_shutter.setEnabled(False)

    def _fill_formats(self) -> None:
        self.format.clear()
        i = self.device.currentIndex()
        if 0 <= i < len(self._devices):
            seen = set()
            for f in self._devices[i].videoFormats():
                label = format_label(f)
                if label not in seen:
                    seen.add(label)
                    self.format.addItem(label, label)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择视频或图片"), "",
                                              self.tr("视频或图片 (*.mp4 *.avi *.mov *.mkv *.jpg *.jpeg *.png)"))
        if path:
            self.path.setText(path)
            self.file.setChecked(True)

    def _browse_hot(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("选择热文件夹"), self.hot_path.text())
        if path:
            self.hot_path.setText(path)
            self.hot.setChecked(True)

    def choice(self) -> dict:
        if self.camera.isChecked():
            return {"kind": "camera", "device": self.device.currentData() or "", "format": self.format.currentData() or "",
                    "dslr_shutter": self.dslr_shutter.isChecked()}
        if self.hot.isChecked() and self.hot_path.text().strip():
            return {"kind": "hot", "path": self.hot_path.text().strip()}
        if self.dslr.isChecked():
            return {"kind": "dslr"}
        if self.file.isChecked() and self.path.text().strip():
            return {"kind": "file", "path": self.path.text().strip()}
        return {"kind": "demo", "subject": self.subject.currentData() or ""}
