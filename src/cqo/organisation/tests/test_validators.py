from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cqo.organisation.validators import (
    CHARSET,
    check_char,
    credit_code_complete,
    credit_code_problems,
    org_check_char,
    validate_credit_code,
)

# Codes printed on the business licences of well-known companies (public record); each passes
# both the GB 32100 check character and the GB 11714 organisation-code check.
PUBLIC_CODES = [
    "91440300708461136T",  # Shenzhen Tencent Computer Systems
    "914403001922038216",  # Huawei Technologies
    "91110000802100433B",  # Beijing Baidu Netcom
    "91110108551385082Q",  # Xiaomi
    "91330100716105852F",  # Alibaba (China)
]

VALID = st.text(alphabet=CHARSET, min_size=8, max_size=8).map(
    lambda body: credit_code_complete("91500112" + body)
)


@pytest.mark.parametrize("code", PUBLIC_CODES)
def test_it_accepts_public_credit_codes(code: str) -> None:
    assert credit_code_problems(code) == []
    validate_credit_code(code)


def test_it_accepts_a_code_typed_in_lower_case_with_spaces() -> None:
    assert credit_code_problems(" 91440300 708461136t ") == []


def test_the_weights_are_powers_of_three_modulo_31() -> None:
    assert check_char("91440300708461136") == "T"
    assert org_check_char("70846113") == "6"


def test_an_organisation_code_check_of_ten_is_written_x() -> None:
    body = next(f"{n:08d}" for n in range(1000) if org_check_char(f"{n:08d}") == "X")
    code = credit_code_complete("91500112" + body)
    assert code[16] == "X"
    assert credit_code_problems(code) == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("9144030070846113", "has 18 characters; this one has 16"),
        ("91440300708461136TT", "has 18 characters; this one has 19"),
        ("", "this one has 0"),
        ("91440300708461136I", "Character 18 (“I”) is not allowed"),
        ("9O440300708461136T", "Character 2 (“O”) is not allowed"),
        ("914403007084611-6T", "Character 16 (“-”) is not allowed"),
        (
            "9144A300708461136T",
            "Characters 3 to 8 must be the six-digit administrative division code",
        ),
        ("91440300708461137T", "character 17 should be 6, not 7"),
        ("91440300708461136A", "The check character (character 18) should be T, not A"),
    ],
)
def test_it_names_what_is_wrong_with_a_malformed_code(code: str, expected: str) -> None:
    with translation.override("en"):
        problems = credit_code_problems(code)
        with pytest.raises(ValidationError) as caught:
            validate_credit_code(code)
    assert any(expected in p for p in problems), problems
    assert caught.value.messages == problems


def test_it_says_what_is_wrong_in_chinese() -> None:
    with translation.override("zh-hans"):
        problems = credit_code_problems("91440300708461136A")
    assert problems == ["校验码（第 18 位）应为 T，而不是 A。"]


@given(VALID)
def test_every_generated_code_is_valid(code: str) -> None:
    assert credit_code_problems(code) == []


@given(
    VALID, st.integers(min_value=0, max_value=17), st.sampled_from(sorted(set(CHARSET + "IOSVZ-a")))
)
def test_changing_any_single_character_makes_the_code_fail(
    code: str, position: int, char: str
) -> None:
    if code[position] == char.upper():
        char = CHARSET[(CHARSET.index(code[position]) + 1) % len(CHARSET)]
    changed = code[:position] + char + code[position + 1 :]
    assert credit_code_problems(changed) != []
