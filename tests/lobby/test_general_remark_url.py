"""The general remark page's address, on the kiosk and the ticket, from ``[web] public_url`` and ``[feedback]``."""

from __future__ import annotations

from lobby import queue
from lobby.config import CentreConfig
from lobby.feedback.general import general_remark_url
from lobby.queue.offer import receipt_text


def configured(cfg: CentreConfig, url: str | None, general_qr: bool = True) -> CentreConfig:
    return cfg.model_copy(update={
        "web": cfg.web.model_copy(update={"public_url": url}),
        "feedback": cfg.feedback.model_copy(update={"general_qr": general_qr}),
    })


def test_url_only_with_a_public_address_and_the_key_on(cfg):
    assert cfg.feedback.general_qr is True  # on by default
    assert general_remark_url(configured(cfg, None)) is None
    assert general_remark_url(configured(cfg, "https://hcc.binhan.gov.vn/")) == "https://hcc.binhan.gov.vn/gop-y"
    assert general_remark_url(configured(cfg, "http://192.0.2.1:8080")) == "http://192.0.2.1:8080/gop-y"
    assert general_remark_url(configured(cfg, "http://192.0.2.1:8080", general_qr=False)) is None


def test_receipt_carries_the_remark_url_in_both_languages(store, cfg):
    web = configured(cfg, "http://192.0.2.1:8080")
    with store.session() as s:
        ticket = queue.issue_ticket(s, web, "DKKD")
    vi = receipt_text(web, ticket, "vi")
    en = receipt_text(web, ticket, "en")
    assert vi.remark_url == en.remark_url == "http://192.0.2.1:8080/gop-y"
    assert (vi.labels.remark_caption, en.labels.remark_caption) == (
        "Góp ý, phản ánh — quét mã", "Remarks and complaints — scan")
    assert receipt_text(cfg, ticket, "vi").remark_url is None
    assert receipt_text(configured(cfg, "http://192.0.2.1:8080", False), ticket, "vi").remark_url is None
