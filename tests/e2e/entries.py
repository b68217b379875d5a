"""Bus entries other systems send, as the local runtime's PutEvents takes them (SPEC §8)."""

from __future__ import annotations

from typing import Any


def upserted(
    pass_no: str, holder_id: str, org: tuple[str, str], port: str, *, name: str = "王大明"
) -> dict[str, Any]:
    """A PassUpserted of a regular, active pass (version 1, valid 2023-06-01 to 2026-05-31)."""
    return {
        "source": "portpass.issuance",
        "detailType": "PassUpserted",
        "detail": {
            "passNo": pass_no,
            "holderId": holder_id,
            "holderName": name,
            "orgId": org[0],
            "orgName": org[1],
            "port": port,
            "passType": "REGULAR",
            "validFrom": "2023-06-01",
            "validTo": "2026-05-31",
            "status": "ACTIVE",
            "version": 1,
        },
    }


def passages(*pairs: tuple[str, str]) -> dict[str, Any]:
    """A GatePassagesRecorded of gate KH-G01: (passNo, passedAt) pairs."""
    return {
        "source": "portpass.gates",
        "detailType": "GatePassagesRecorded",
        "detail": {"gateId": "KH-G01", "passages": [{"passNo": p, "passedAt": at} for p, at in pairs]},
    }
