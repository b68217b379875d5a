"""Exemptions (暫緩停用, SPEC §12), kept on the pass item: an exempted ACTIVE pass on no list takes
``byList``'s key ``X#<port>`` (an ended exemption stays there until the pass is next written)."""

from collections.abc import Callable, Iterable
from datetime import date

from pynamodb.transactions import TransactWrite

from portpass.domain.activity import PassActivity
from portpass.domain.history import ExemptionChange, entry_of
from portpass.domain.passes import Pass
from portpass.reference import PORTS
from portpass.store import keys
from portpass.store.access import visibility_items
from portpass.store.activity import stage_activity
from portpass.store.models import AccessItem, PassItem, ReinstatementItem
from portpass.store.passes import StoredPass, change_pass, get_passes
from portpass.store.reinstatements import exemption_item


def current_of_port(port: str, today: date, org_id: str | None = None) -> list[Pass]:
    query = PassItem.by_list.query(keys.exemption_list_key(port))
    numbers = [item.pass_no for item in query if org_id is None or item.org_id == org_id]
    found = [stored.value for stored in get_passes(numbers, consistent=False).values()]
    return [pass_ for pass_ in found if pass_.is_exempt_on(today)]


def current_of_org(org_id: str, today: date) -> list[Pass]:
    return [pass_ for port in PORTS for pass_ in current_of_port(port, today, org_id)]


def _visibility(change: ExemptionChange) -> list[AccessItem]:
    """SPEC §12: a change appears in the history of the pass's company and of its port only:
    not in the pass's partition, so the pass's grantees (other companies) never see it."""
    return visibility_items(entry_of(change), [keys.org_viewer(change.org_id), keys.port_viewer(change.port)])


def store_exemption_history(changes: Iterable[ExemptionChange]) -> None:
    """Write EXEMPTION records and their entries outside the API (demo data, tests): seeding only."""
    with ReinstatementItem.batch_write() as records, AccessItem.batch_write() as entries:
        for change in changes:
            records.save(exemption_item(change))
            for item in _visibility(change):
                entries.save(item)


def commit_exemption_change(
    stored: StoredPass, decide: Callable[[Pass], tuple[Pass, ExemptionChange, PassActivity]]
) -> Pass:
    """The pass, its history record and its digest lines in one transaction (change_pass)."""
    made: dict[str, tuple[ExemptionChange, PassActivity]] = {}

    def decide_pass(current: Pass | None) -> Pass | None:
        if current is None:
            return None
        after, record, activity = decide(current)
        made["change"] = (record, activity)
        return after

    def also(transaction: TransactWrite, after: Pass) -> None:
        change, activity = made["change"]
        transaction.save(
            exemption_item(change), condition=ReinstatementItem.reinstatement_id.does_not_exist()
        )
        for item in _visibility(change):
            transaction.save(item)
        stage_activity(transaction, activity)

    after = change_pass(stored.value.pass_no, stored, decide_pass, also=also)
    return after if after is not None else stored.value
