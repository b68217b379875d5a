"""Passages that arrived before their pass (SPEC §8), kept 60 days (TTL) in the ServiceState table."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from pynamodb.expressions.update import Action

from portpass.store import keys
from portpass.store.failures import condition_held
from portpass.store.models import EarlyPassageItem

KEPT_FOR = timedelta(days=60)


def keep_early_passage(pass_no: str, passed_at: datetime) -> bool:
    """True if ``passed_at`` is newer than the one kept: any order and replays keep the newest."""
    kept = EarlyPassageItem(keys.early_passage_key(pass_no))
    actions: list[Action] = [
        EarlyPassageItem.passed_at.set(passed_at),
        EarlyPassageItem.expires_at.set(int((passed_at + KEPT_FOR).timestamp())),
    ]
    newer = EarlyPassageItem.passed_at.does_not_exist() | (EarlyPassageItem.passed_at < passed_at)
    return condition_held(lambda: kept.update(actions=actions, condition=newer))


def early_passages_of(pass_nos: Iterable[str]) -> dict[str, datetime]:
    by_key = {keys.early_passage_key(pass_no): pass_no for pass_no in pass_nos}
    kept = EarlyPassageItem.batch_get(list(by_key), consistent_read=True)
    return {by_key[item.state_key]: item.passed_at for item in kept}
