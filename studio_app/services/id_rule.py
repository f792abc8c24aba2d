"""The one "ID number required" rule for every shell (CLI ``process --name``, operator window,
kiosk): whether an order for a spec needs the applicant's resident ID number.

``Settings.require_id_number``: "by_document" (default: the documents whose application or receipt
carries the resident ID number need it; a visa or exam photo does not), "always" or "never".
"""

from __future__ import annotations

from .. import messages
from ..errors import StudioError
from ..settings import CHOICES as SETTING_CHOICES

messages.register({
    "applicant.id_required": ("{document_zh}需要申请人的公民身份号码；未创建订单，未写入任何文件",
                              "{document_en} needs the applicant's resident ID number; no order was created and "
                              "nothing was written"),
    "process.id_required": ("{document_zh}需要申请人的公民身份号码：请加 --id-number；未创建订单，未写入任何文件",
                            "{document_en} needs the applicant's resident ID number: add --id-number; no order was "
                            "created and nothing was written"),
})

#: document families whose application/receipt carries the resident ID number
ID_REQUIRED_FAMILIES = frozenset({"social_security", "resident_id", "driving_licence", "exit_entry"})
#: the values of ``Settings.require_id_number``
CHOICES = SETTING_CHOICES["require_id_number"]


def id_number_required(spec, settings=None) -> bool:
    """Does an order for ``spec`` need the applicant's ID number under ``settings``?"""
    rule = getattr(settings, "require_id_number", "by_document") if settings is not None else "by_document"
    if rule == "always":
        return True
    if rule == "never":
        return False
    return str(getattr(spec, "family", "")) in ID_REQUIRED_FAMILIES


def check_id_number(spec, id_number: str | None, settings=None, key: str = "applicant.id_required") -> None:
    """Raise :class:`StudioError` (``key``) when ``spec`` needs an ID number and none is given.
    Whether a given number is valid is :func:`studio_app.codes.idnumber.validate`'s job."""
    if (id_number or "").strip() or not id_number_required(spec, settings):
        return
    raise StudioError(key, document_zh=spec.name("zh_CN"), document_en=spec.name("en"))
