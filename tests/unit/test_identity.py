import pytest

from portpass.domain.identity import (
    InvalidIdentifier,
    is_valid_holder_id,
    normalize_identifier,
    parse_holder_id,
    parse_pass_no,
    parse_port,
)


def test_pass_numbers_are_trimmed_and_upper_cased():
    assert parse_pass_no("  khps112-000045 ") == "KHPS112-000045"


@pytest.mark.parametrize("raw", ["KHPS112000045", "KHP112-000045", "KHPS112-00004", "", "KHPS112-0000450"])
def test_malformed_pass_numbers_are_refused(raw):
    with pytest.raises(InvalidIdentifier):
        parse_pass_no(raw)


@pytest.mark.parametrize(
    "holder_id",
    [
        "A123456789",  # national ID, SPEC §2 example
        "M200000012",  # a manual sample with a valid check digit
        "A800000014",  # new-style resident certificate
        "AC01234567",  # old-style resident certificate (second letter)
    ],
)
def test_taiwan_ids_with_a_valid_check_digit_are_accepted(holder_id):
    assert is_valid_holder_id(holder_id)


@pytest.mark.parametrize("holder_id", ["A123456788", "S123456781", "E124079438"])
def test_taiwan_shaped_ids_with_a_wrong_check_digit_are_refused(holder_id):
    assert not is_valid_holder_id(holder_id)


@pytest.mark.parametrize("holder_id", ["12345678", "TEST0130", "M20000017", "X012345678", "P1234567"])
def test_other_documents_of_6_to_20_letters_and_digits_are_accepted(holder_id):
    assert is_valid_holder_id(holder_id)


@pytest.mark.parametrize("holder_id", ["12345", "A" * 21, "E12-345678", "王小明123456"])
def test_other_documents_outside_the_pattern_are_refused(holder_id):
    assert not is_valid_holder_id(holder_id)


def test_holder_ids_are_normalised_before_validation():
    assert parse_holder_id(" a123456789 ") == "A123456789"
    with pytest.raises(InvalidIdentifier):
        parse_holder_id("  ")


# SPEC §2: identifiers typed with a Chinese input method arrive full-width.
def test_full_width_holder_ids_are_the_ascii_id():
    assert parse_holder_id("　Ｓ１２３４５６７８４　") == "S123456784"
    assert parse_holder_id("ｓ１２３４５６７８４") == "S123456784"


def test_full_width_pass_numbers_are_the_ascii_pass_number():
    assert parse_pass_no("ＫＨＰＳ１１２－００００４５") == "KHPS112-000045"


def test_full_width_port_codes_are_the_ascii_code():
    assert parse_port(" ｋｈ ") == "KH"


@pytest.mark.parametrize(
    "raw",
    [
        "S١٢٣٤٥٦٧٨٤",  # Arabic-Indic digits: digits to \d, but not ASCII
        "ＡＢＣ１２３ß",  # upper-cases to SS: still not an ASCII letter as typed
        "Ａ12345678\u200b9",  # a zero-width space inside
        "A12345678\u0130",  # dotted capital I
    ],
)
def test_what_is_still_not_ascii_after_nfkc_is_a_malformed_holder_id(raw):
    with pytest.raises(InvalidIdentifier):
        parse_holder_id(raw)


@pytest.mark.parametrize("raw", ["KHPS١١٢-000045", "KHPS112‐000045", "KHPS112-00004５\u0301"])
def test_what_is_still_not_ascii_after_nfkc_is_a_malformed_pass_number(raw):
    with pytest.raises(InvalidIdentifier):
        parse_pass_no(raw)


@pytest.mark.parametrize("raw", ["XX", "K H", "ＫＨ１", "", "kh-"])
def test_unknown_port_codes_are_refused(raw):
    with pytest.raises(InvalidIdentifier):
        parse_port(raw)


def test_one_function_normalises_every_identifier():
    assert normalize_identifier(" ＫＨＰＳ１１２－００００４５ ") == "KHPS112-000045"
    with pytest.raises(InvalidIdentifier):
        normalize_identifier("A1234_5678")
