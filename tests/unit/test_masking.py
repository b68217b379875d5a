import pytest

from portpass.domain.masking import mask_holder_id, mask_name


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("蘇小西", "蘇○西"),
        ("淨德測試修正測試", "淨○○○○○○試"),
        ("王明", "王○"),
        ("王", "○"),
        ("", ""),
        ("test1216", "t○○○○○○6"),
    ],
)
def test_names_keep_only_the_first_and_last_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("holder_id", "masked"),
    [
        ("S123456781", "S12345****"),
        ("12345678", "1234****"),
        ("12345", "1****"),
        ("1234", "****"),
        ("123", "***"),
    ],
)
def test_holder_ids_lose_their_last_four_characters(holder_id, masked):
    assert mask_holder_id(holder_id) == masked
