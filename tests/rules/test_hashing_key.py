"""The hashing key is never silently replaced: the pure rule behind the start-up refusal."""

from __future__ import annotations

from bot.rules.suppression import key_fingerprint, key_problem

A, B = "first-key-0123456789abcdef", "second-key-0123456789abcdef"


def test_the_fingerprint_names_the_key_without_revealing_it():
    assert key_fingerprint(A) == key_fingerprint(A) != key_fingerprint(B)
    assert A not in key_fingerprint(A) and key_fingerprint(A).startswith("fp1:")


def test_a_fresh_database_accepts_any_key_and_no_key():
    assert key_problem(configured=A, stored_key=None, stored_fingerprint=None) is None
    assert key_problem(configured=None, stored_key=None, stored_fingerprint=None) is None


def test_the_key_the_hashes_were_made_with_is_accepted():
    assert key_problem(configured=A, stored_key=None, stored_fingerprint=key_fingerprint(A)) is None
    assert key_problem(configured=None, stored_key=A, stored_fingerprint=key_fingerprint(A)) is None
    assert key_problem(configured=A, stored_key=A, stored_fingerprint=key_fingerprint(A)) is None
    assert key_problem(configured=A, stored_key=A, stored_fingerprint=None) is None  # before fingerprints existed


def test_a_changed_key_is_refused_naming_nudge_secret():
    problem = key_problem(configured=B, stored_key=None, stored_fingerprint=key_fingerprint(A))
    assert problem.startswith("NUDGE_SECRET differs") and "\n" not in problem


def test_setting_a_key_over_a_generated_one_is_refused_unless_it_is_the_same():
    assert key_problem(configured=B, stored_key=A, stored_fingerprint=key_fingerprint(A)).startswith("NUDGE_SECRET")
    assert key_problem(configured=B, stored_key=A, stored_fingerprint=None).startswith("NUDGE_SECRET is set")


def test_unsetting_the_key_the_hashes_were_made_with_is_refused():
    assert key_problem(configured=None, stored_key=None, stored_fingerprint=key_fingerprint(A)).startswith(
        "NUDGE_SECRET is unset"
    )
