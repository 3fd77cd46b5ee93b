"""The review state machine (no terminal) and code-id completion."""

from __future__ import annotations

from qualcode.models import Coding
from qualcode.review.decisions import Anchor, Decision
from qualcode.review.keys import complete_code
from qualcode.review.session import (
    ACCEPT_KEY,
    ADD_CODE,
    BACK,
    MEMO,
    QUIT,
    REJECT_KEY,
    SKIP,
    Action,
    Item,
    Session,
    start,
    step,
)


def item(segment: int, code: str) -> Item:
    coding = Coding("a.txt", segment, "B", 0, 1, code, "auto", 1, ("w",), f"teks {segment}")
    return Item(coding, Anchor(f"h{segment}", f"teks {segment}"))


ITEMS = [item(2, "x"), item(2, "y"), item(4, "x")]
CODES = ["x", "y", "z", "z.sub"]


def run(session: Session, *actions: Action) -> tuple[Session, int]:
    saves = 0
    for action in actions:
        session, changed = step(session, action)
        saves += changed
    return session, saves


def test_accept_reject_skip_back_and_quit() -> None:
    session = start(ITEMS, [], code_ids=CODES)
    assert session.index == 0 and session.decided == 0
    session, saves = run(
        session, Action(ACCEPT_KEY), Action(SKIP), Action(BACK), Action(REJECT_KEY)
    )
    assert saves == 2 and session.index == 2
    assert {k: d.decision for k, d in session.decisions.items()} == {
        ("a.txt", 2, "x"): "accept",
        ("a.txt", 2, "y"): "reject",
    }
    assert session.decisions[("a.txt", 2, "x")].anchor == Anchor("h2", "teks 2")
    session, _ = run(session, Action(SKIP))
    assert session.at_end and session.current is None
    session, saves = run(session, Action(ACCEPT_KEY))
    assert saves == 0 and "End of the queue" in session.message
    session, _ = run(session, Action(QUIT))
    assert session.quit


def test_resume_starts_at_the_first_item_without_a_decision() -> None:
    earlier = [Decision("a.txt", 2, "x", "accept"), Decision("a.txt", 4, "x", "reject")]
    session = start(ITEMS, earlier)
    assert session.index == 1 and session.decided == 2
    only = start(ITEMS, earlier, only_unreviewed=True)
    assert [i.key for i in only.items] == [("a.txt", 2, "y")] and only.index == 0
    done = start(ITEMS[:1], earlier[:1])
    assert done.at_end


def test_memo_waits_for_a_decision_or_updates_one() -> None:
    session = start(ITEMS, [])
    session, saves = run(session, Action(MEMO, "kutipan bagus"))
    assert saves == 0 and session.pending_memos == {("a.txt", 2, "x"): "kutipan bagus"}
    session, saves = run(session, Action(ACCEPT_KEY), Action(BACK), Action(MEMO, "ganti"))
    assert saves == 2 and session.pending_memos == {}
    assert session.decisions[("a.txt", 2, "x")].memo == "ganti"
    session, _ = run(session, Action(REJECT_KEY))
    assert session.decisions[("a.txt", 2, "x")].memo == "ganti"  # kept when re-deciding


def test_add_code_manual_or_accepts_a_proposal() -> None:
    session = start(ITEMS, [], code_ids=CODES)
    session, saves = run(session, Action(ADD_CODE, "z"))
    assert saves == 1 and session.decisions[("a.txt", 2, "z")].decision == "add"
    assert session.added_codes("a.txt", 2) == ["z"] and session.index == 0
    session, saves = run(
        session, Action(ADD_CODE, "z"), Action(ADD_CODE, "x"), Action(ADD_CODE, "nope")
    )
    assert saves == 0 and "not a code" in session.message
    session, saves = run(session, Action(ADD_CODE, "y"))  # proposed for this segment too
    assert saves == 1 and session.decisions[("a.txt", 2, "y")].decision == "accept"


def test_a_new_decision_replaces_an_orphaned_row_with_the_same_key() -> None:
    orphan = Decision("a.txt", 2, "x", "reject", "lama", Anchor("old", "teks lama"))
    other = Decision("b.txt", 1, "x", "accept")
    session = start(ITEMS, [], kept=[orphan, other])
    assert session.all_decisions() == [orphan, other]
    session, _ = run(session, Action(ACCEPT_KEY))
    assert "replaces an orphaned decision" in session.message
    assert [d.key for d in session.all_decisions()] == [("b.txt", 1, "x"), ("a.txt", 2, "x")]


def test_complete_code_ids() -> None:
    ids = ["kendala.anggota", "kendala.pembina", "kendala.pesaing", "strategi.pembinaan"]
    assert complete_code("kendala.pes", ids) == ("kendala.pesaing", ["kendala.pesaing"])
    assert complete_code("kendala.pe", ids) == (
        "kendala.pe",
        ["kendala.pembina", "kendala.pesaing"],
    )
    assert complete_code("ken", ids)[0] == "kendala."
    assert complete_code("angg", ids) == ("kendala.anggota", ["kendala.anggota"])  # a dotted part
    assert complete_code("xyz", ids) == ("xyz", [])


def test_keys_read_together_are_taken_one_at_a_time() -> None:
    from qualcode.review.keys import one_key_at_a_time

    chunks = iter(["ab", "\x1b[D", "c", ""])
    get = one_key_at_a_time(lambda: next(chunks))
    assert [get() for _ in range(5)] == ["a", "b", "\x1b[D", "c", ""]
