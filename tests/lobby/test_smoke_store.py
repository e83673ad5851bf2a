from lobby import queue


def test_issue_and_call(store, cfg):
    with store.session() as s:
        t = queue.issue_ticket(s, cfg, "DKKD")
    assert t.number == "A001"
    with store.session() as s:
        called = queue.call_next(s, cfg, 1)
    assert called is not None and called.number == "A001" and called.counter == 1
