"""Cold start: every model and every transaction share the process's one botocore session."""

from __future__ import annotations

from typing import Any

from pynamodb.models import Model

from portpass.store import models


def _item_models() -> list[type[Model]]:
    found: list[type[Model]] = []
    pending: list[type[Model]] = [models._Item]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if getattr(sub, "Meta", None) is not None:
                found.append(sub)
    return found


def test_every_model_of_the_store_derives_from_the_shared_connection_base() -> None:
    declared = {
        value
        for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, Model) and value not in (Model, models._Item)
    }
    assert declared <= set(_item_models())


def test_every_model_uses_the_one_connection_and_its_one_session(dynamodb: Any) -> None:
    item_models = _item_models()
    assert len(item_models) >= 6
    for model in item_models:
        assert model._get_connection().connection is models.connection()
    # Reading through two models opens one session and one client between them.
    models.PassItem.count("nobody", limit=1)
    models.AccessItem.count("nobody", limit=1)
    shared = models.connection()
    assert models.PassItem._get_connection().connection.client is shared.client
    assert models.AccessItem._get_connection().connection.session is shared.session
