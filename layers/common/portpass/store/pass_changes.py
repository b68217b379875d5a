"""Committing one pass change on its own, and reading many passes by number.

The scheduled jobs and the intake change passes one at a time (each in its own
transaction, through :func:`portpass.store.passes.stage_pass_change`), so one conflict or
failure costs that pass only.
"""

from __future__ import annotations

from collections.abc import Iterable

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from portpass.domain.activity import PassActivity
from portpass.domain.passes import Pass
from portpass.store.activity import stage_activity
from portpass.store.failures import LostRace, lost_race
from portpass.store.models import PassItem, connection
from portpass.store.passes import StaleRevision, StoredPass, stage_pass_change, to_stored, update_pass


def commit_pass_change(before: StoredPass | None, after: Pass, activity: PassActivity | None = None) -> None:
    """Write ``after`` over ``before`` with its list-counter moves, or raise LostRace.

    ``activity`` (what a job did, for the statistics and the digest) rides in the same
    transaction, so it is recorded exactly when the change is.
    """
    try:
        with TransactWrite(connection=connection()) as transaction:
            stage_pass_change(transaction, before, after)
            if activity is not None:
                stage_activity(transaction, activity)
    except TransactWriteError as error:
        if lost_race(error, or_collided=True):
            raise LostRace(after.pass_no) from error
        raise


def commit_in_place(before: StoredPass, after: Pass, *, keep_review_keys: bool, flag_passage: bool) -> None:
    """A change that moves no list counter, as one conditional UpdateItem, or raise LostRace."""
    try:
        update_pass(before, after, keep_review_keys=keep_review_keys, flag_passage=flag_passage)
    except StaleRevision as error:
        raise LostRace(after.pass_no) from error


def get_passes(pass_nos: Iterable[str]) -> dict[str, StoredPass]:
    """The stored passes among ``pass_nos`` (consistent reads), by pass number."""
    keys = list(dict.fromkeys(pass_nos))
    return {item.pass_no: to_stored(item) for item in PassItem.batch_get(keys, consistent_read=True)}
