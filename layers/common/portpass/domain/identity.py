"""Validation and normalisation of identifiers: pass numbers, holder IDs, port codes (SPEC §2)."""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from portpass.domain.errors import InvalidInput
from portpass.reference import PORTS

# ASCII only: \d would also match other scripts' digits (SPEC §2: ASCII letters and digits).
PASS_NO_PATTERN = re.compile(r"^[A-Z]{4}[0-9]{3}-[0-9]{6}$")
# A Taiwan national ID (second character 1/2) or an old (A-D) or new (8/9) resident certificate.
TAIWAN_ID_SHAPE = re.compile(r"^[A-Z][12ABCD89][0-9]{8}$")
# SPEC §8 (v1.2): checked before any key is built from it: no ``ORG-UTRON#KL`` reaches another's key.
ORG_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# SPEC §8 (v1.2): an issuance system's version is a JSON-safe integer.
MAX_VERSION = 2**53 - 1
# The area letters of Taiwan IDs in the order of their two-digit codes, from 10.
_AREA_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"


class InvalidIdentifier(ValueError):
    """A pass number or holder ID that does not have a valid form."""


def normalize_identifier(raw: str) -> str:
    """SPEC §2: NFKC (full-width letters and digits are ASCII), trimmed, upper-cased.

    Other characters are refused first: upper-casing turns some of them into ASCII (ß into SS).
    """
    value = unicodedata.normalize("NFKC", raw).strip()
    if not re.fullmatch(r"[A-Za-z0-9-]*", value):
        raise InvalidIdentifier("identifiers are ASCII letters, digits and the pass number's hyphen")
    return value.upper()


def parse_pass_no(raw: str) -> str:
    value = normalize_identifier(raw)
    if not PASS_NO_PATTERN.fullmatch(value):
        raise InvalidIdentifier("pass number must look like KHPS112-000045")
    return value


@dataclass(frozen=True)
class PassNoFilter:
    value: str
    exact: bool

    def matches(self, pass_no: str) -> bool:
        return pass_no == self.value if self.exact else pass_no.startswith(self.value)


def parse_pass_no_filter(raw: str) -> PassNoFilter:
    """SPEC §9 v1.1: a full pass number matches exactly, 4 or more leading characters as a prefix."""
    refusal = "pass number filter must be KHPS112-000045 or its first 4+ characters"
    try:
        value = normalize_identifier(raw)
    except InvalidIdentifier:
        raise InvalidIdentifier(refusal) from None
    if PASS_NO_PATTERN.fullmatch(value):
        return PassNoFilter(value, exact=True)
    if not re.fullmatch(r"[A-Z]{4}(?:[0-9]{0,3}|[0-9]{3}-[0-9]{0,5})", value):
        raise InvalidIdentifier(refusal)
    return PassNoFilter(value, exact=False)


def has_valid_taiwan_check_digit(value: str) -> bool:
    code = _AREA_LETTERS.index(value[0]) + 10
    # Old resident certificates carry a letter in second place: its code's last digit.
    second_digit = _AREA_LETTERS.index(value[1]) % 10 if value[1].isalpha() else int(value[1])
    digits = [second_digit, *(int(c) for c in value[2:])]
    weights = (8, 7, 6, 5, 4, 3, 2, 1, 1)
    total = code // 10 + (code % 10) * 9 + sum(d * w for d, w in zip(digits, weights, strict=True))
    return total % 10 == 0


def is_valid_holder_id(value: str) -> bool:
    """A Taiwan ID with a valid check digit, or another document (a foreign worker's passport)."""
    if TAIWAN_ID_SHAPE.fullmatch(value):
        return has_valid_taiwan_check_digit(value)
    return bool(re.fullmatch(r"[A-Z0-9]{6,20}", value))


def parse_holder_id(raw: str) -> str:
    value = normalize_identifier(raw)
    if not is_valid_holder_id(value):
        raise InvalidIdentifier(
            "holder ID must be a Taiwan ID with a valid check digit or 6-20 letters and digits"
        )
    return value


def parse_org_id(raw: str) -> str:
    """A company's ID (SPEC §8 v1.2): 1 to 64 ASCII letters, digits, ``.``, ``_`` and ``-``."""
    if not ORG_ID_PATTERN.fullmatch(raw):
        raise InvalidIdentifier("orgId must be 1 to 64 letters, digits, '.', '_' or '-'")
    return raw


def parse_display_name(raw: str) -> str:
    """A holder's or company's name (SPEC §8 v1.2): 1 to 200 characters, no control characters."""
    value = raw.strip()
    if not 1 <= len(value) <= 200:
        raise ValueError("a name is 1 to 200 characters")
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValueError("a name may not hold control characters")
    return value


def parse_port(raw: str) -> str:
    """A port code of SPEC §2 (KL, TP, SA, TX, KH, AP, HL), normalised like every identifier."""
    value = normalize_identifier(raw)
    if value not in PORTS:
        raise InvalidIdentifier(f"port must be one of {', '.join(PORTS)}")
    return value


def parse_or_refuse[Parsed](
    parse: Callable[[str], Parsed], raw: str, *, field: str, code: str, location: str = "query"
) -> Parsed:
    """``parse(raw)``, or the 400 naming the field (SPEC §9: INVALID_PASS_NO, INVALID_HOLDER_ID)."""
    try:
        return parse(raw)
    except InvalidIdentifier as error:
        raise InvalidInput(code, [{"location": location, "field": field, "type": "format"}]) from error


def parse_filter[Parsed](
    parse: Callable[[str], Parsed], raw: str | None, *, field: str, code: str
) -> Parsed | None:
    return None if raw is None else parse_or_refuse(parse, raw, field=field, code=code)
