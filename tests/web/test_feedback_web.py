"""Rating from the phone, remarks and the manager's inbox through the real ASGI app, on both stores."""
from __future__ import annotations

import html
from datetime import timedelta

from fastapi.testclient import TestClient
from manager_helpers import Clock, add_accounts, csrf_of, signed_in
from sqlalchemy import func, select

from lobby import queue
from lobby.clock import utcnow
from lobby.config import CentreConfig
from lobby.config.feedback import FeedbackConfig
from lobby.staffing.counters import sign_in
from lobby.store.engine import Store
from lobby.store.models import Event, Rating, Remark
from web.app import create_app

TYPED = '<b>Chờ lâu</b> & "khó hiểu"\n  <script>alert(1)</script>  '


def served(store: Store, cfg: CentreConfig) -> str:
    """A ticket served at counter 1 by An (account made if needed); its page token."""
    with store.session() as s:
        ticket = queue.issue_ticket(s, cfg, "DKKD")
    with store.session() as s:
        queue.call_number(s, cfg, 1, ticket.number)
    with store.session() as s:
        queue.finish(s, cfg, 1)
    assert ticket.public_token is not None
    return ticket.public_token


def waiting(store: Store, cfg: CentreConfig) -> str:
    with store.session() as s:
        token = queue.issue_ticket(s, cfg, "DKKD").public_token
    assert token is not None
    return token


def open_counter(store: Store, cfg: CentreConfig) -> None:
    add_accounts(store)
    with store.session() as s:
        sign_in(s, cfg, 1, "an", "135790")


def count(store: Store, model: type) -> int:
    with store.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_served_citizen_rates_once_with_reasons(client: TestClient, store: Store, cfg: CentreConfig) -> None:
    open_counter(store, cfg)
    token = served(store, cfg)
    page = client.get(f"/v/{token}").text
    assert 'id="fb-rate"' in page and "Chờ lâu" in page and "Không hài lòng" in page and "bạn" not in page
    english = client.get(f"/v/{token}?lang=en").text
    assert "How was the service?" in english and "Long wait" in english and "Send the remark" in english
    client.cookies.delete("lang")
    r = client.post(f"/v/{token}/danh-gia", data={"value": "not_satisfied", "reason": ["long_wait", "attitude"]},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("fb=rated#phan-hoi")
    page = client.get(r.headers["location"]).text
    assert "Ông/bà đã đánh giá: Không hài lòng. Lý do: Chờ lâu, Thái độ chưa tốt." in page
    assert "Cảm ơn ông/bà đã đánh giá." in page and 'id="fb-rate"' not in page
    again = client.post(f"/v/{token}/danh-gia", data={"value": "very_satisfied"})
    assert again.status_code == 409 and "đã được đánh giá" in again.text
    with store.read_session() as s:
        row = s.get(Rating, s.scalar(select(Rating.ticket_id)))
        assert row is not None and (row.value, row.channel) == ("not_satisfied", "phone")


def test_no_rating_before_service_nor_with_bad_reasons(client: TestClient, store: Store, cfg: CentreConfig) -> None:
    open_counter(store, cfg)
    token = waiting(store, cfg)
    page = client.get(f"/v/{token}").text
    assert "Sau khi được phục vụ, ông/bà có thể đánh giá tại đây." in page and 'id="fb-rate"' not in page
    refused = client.post(f"/v/{token}/danh-gia", data={"value": "satisfied"})
    assert refused.status_code == 409
    done = served(store, cfg)
    assert client.post(f"/v/{done}/danh-gia", data={"value": "satisfied", "reason": "bribe"}).status_code == 409
    assert client.post(f"/v/{done}/danh-gia", data={}).status_code == 400
    assert client.post("/v/AAAAAAAAAAAAAAAAAAAAAA/danh-gia", data={"value": "satisfied"}).status_code == 404
    assert count(store, Rating) == 0


def test_a_remark_is_stored_as_typed_and_shown_escaped(client: TestClient, store: Store, cfg: CentreConfig) -> None:
    open_counter(store, cfg)
    token = served(store, cfg)
    r = client.post(f"/v/{token}/gop-y", data={"body": TYPED, "contact": "0912 345 678"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "<script>alert(1)</script>" not in page and "<b>Chờ lâu</b>" not in page
    assert html.escape(TYPED, quote=False).split("\n")[0] in page.replace("&#34;", '"').replace("&#39;", "'")
    with store.read_session() as s:
        stored = s.scalars(select(Remark.body)).one()
    assert stored == TYPED  # not trimmed, not normalised


def test_a_remark_over_the_limit_comes_back_whole(client: TestClient, store: Store, cfg: CentreConfig) -> None:
    long_text = "Ý kiến " + "ô" * cfg.feedback.remark_max_chars
    r = client.post("/gop-y", data={"body": long_text, "contact": "a@b.vn"})
    assert r.status_code == 422 and 'role="alert"' in r.text
    assert f"vượt giới hạn {cfg.feedback.remark_max_chars} ký tự" in r.text
    assert f">{long_text}</textarea>" in r.text and 'value="a@b.vn"' in r.text  # the text as typed, whole
    assert count(store, Remark) == 0


def test_remarks_are_limited_per_address_and_cross_site_posts_refused(store: Store, cfg: CentreConfig) -> None:
    strict = cfg.model_copy(update={"feedback": FeedbackConfig.model_validate(
        {**cfg.feedback.model_dump(), "remarks_per_hour": 2})})
    with TestClient(create_app(strict, store)) as client:
        for i in range(2):
            assert client.post("/gop-y", data={"body": f"Góp ý {i}"}).status_code == 200
        third = client.post("/gop-y", data={"body": "Góp ý thứ ba"})
        assert third.status_code == 429 and "Góp ý thứ ba</textarea>" in third.text and "Retry-After" in third.headers
        other_site = client.post("/gop-y", data={"body": "x"}, headers={"Origin": "http://evil.example"})
        assert other_site.status_code == 400
    assert count(store, Remark) == 2


def test_the_general_page_takes_an_anonymous_remark(client: TestClient, store: Store) -> None:
    page = client.get("/gop-y")
    assert page.status_code == 200 and "không cần ghi tên" in page.text
    r = client.post("/gop-y", data={"body": "Cần thêm ghế chờ ở tầng 2."})
    assert r.status_code == 200 and "Đã nhận góp ý số 1" in r.text
    assert client.get("/gop-y?lang=en").text.count("without giving your name") == 1


def test_the_manager_assigns_answers_and_closes_and_the_citizen_sees_the_answer(
        client: TestClient, store: Store, cfg: CentreConfig) -> None:
    open_counter(store, cfg)
    token = served(store, cfg)
    client.post(f"/v/{token}/gop-y", data={"body": TYPED})
    client.post("/gop-y", data={"body": "Ẩn danh: nhà vệ sinh bẩn"})
    clock = Clock(utcnow() + timedelta(days=20))  # both remarks now past their deadline
    client.app.state.manager_clock = clock  # type: ignore[attr-defined]
    csrf = signed_in(client, "quanly")
    inbox = client.get("/quan-ly/gop-y")
    assert inbox.status_code == 200 and inbox.text.count("QUÁ HẠN") == 2
    assert "<script>alert(1)</script>" not in inbox.text and "&lt;script&gt;" in inbox.text
    assert "Từ số A001 · Đăng ký kinh doanh · quầy 1 · Nguyễn Văn An" in inbox.text
    with store.read_session() as s:
        linked = s.scalars(select(Remark.id).where(Remark.ticket_id.is_not(None))).one()
        an_id = s.scalar(select(Event.staff_id).where(Event.kind == "remark_received", Event.ticket_id.is_not(None)))
    assert an_id is not None
    r = client.post(f"/quan-ly/gop-y/{linked}/giao", data={"csrf": csrf, "to": str(an_id)}, follow_redirects=False)
    assert r.status_code == 303
    too_long = "x" * (cfg.feedback.answer_max_chars + 1)
    kept = client.post(f"/quan-ly/gop-y/{linked}/tra-loi", data={"csrf": csrf, "answer": too_long})
    assert kept.status_code == 422 and f">{too_long}</textarea>" in kept.text
    answer = "Xin lỗi ông/bà; trung tâm đã bố trí thêm quầy vào buổi sáng."
    r = client.post(f"/quan-ly/gop-y/{linked}/tra-loi", data={"csrf": csrf, "answer": answer}, follow_redirects=False)
    assert r.status_code == 303
    assert "Đã trả lời góp ý số" in client.get("/quan-ly/gop-y?loc=all").text
    citizen = client.get(f"/v/{token}").text
    assert "Trả lời của trung tâm" in citizen and answer in citizen
    r = client.post(f"/quan-ly/gop-y/{linked}/dong", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/quan-ly/gop-y?loc=overdue").text.count("QUÁ HẠN") == 1  # the anonymous one still waits
    assert client.post(f"/quan-ly/gop-y/{linked}/dong", data={"csrf": "wrong"}).status_code == 403
    with store.read_session() as s:
        kinds = list(s.scalars(select(Event.kind).where(Event.kind.like("remark_%")).order_by(Event.id)))
    assert kinds == ["remark_received", "remark_received", "remark_assigned", "remark_answered", "remark_closed"]


def test_only_managers_read_the_inbox(client: TestClient, store: Store) -> None:
    add_accounts(store)
    assert client.get("/quan-ly/gop-y", follow_redirects=False).status_code == 303  # to the sign-in form
    signed_in(client, "an")
    assert client.get("/quan-ly/gop-y").status_code == 403
    assert csrf_of(client.get("/quan-ly/cua-toi").text)


def test_a_huge_body_is_not_even_read(client: TestClient, store: Store, cfg: CentreConfig) -> None:
    huge = "x" * ((cfg.feedback.remark_max_chars + cfg.feedback.contact_max_chars) * 40)
    r = client.post("/gop-y", data={"body": huge})
    assert r.status_code == 400 and "Biểu mẫu không hợp lệ" in r.text
    assert count(store, Remark) == 0
