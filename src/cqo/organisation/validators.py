"""The unified social credit code (统一社会信用代码), GB 32100-2015.

Eighteen characters from a 31-character set (the digits and the capital letters without I, O, S,
V and Z):

- position 1: the registering authority (9 for market regulation), position 2: the kind of body;
- positions 3–8: the administrative division code of the registering office (GB/T 2260);
- positions 9–17: the body's identifier, which is its organisation code under GB 11714: eight
  characters and their own check character (0–9 or X) in position 17;
- position 18: the check character of the whole code.

Each kind of mistake gets its own message, so whoever typed the code can see what to fix.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(CHARSET)}
# The weight of position i (counting from 0) is 3**i mod 31.
WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def check_char(first17: str) -> str:
    """The 18th character for the first 17 (which must already be in the character set)."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def _org_value(ch: str) -> int:
    # GB 11714 gives letters their place in the full alphabet: A = 10 ... Z = 35.
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def org_check_char(body8: str) -> str:
    """The check character of an organisation code (GB 11714) for its first eight characters."""
    total = sum(_org_value(ch) * w for ch, w in zip(body8, ORG_WEIGHTS, strict=True))
    rest = 11 - total % 11
    return {10: "X", 11: "0"}.get(rest, str(rest))


def normalise_credit_code(value: str) -> str:
    # People paste codes with spaces or in lower case; neither changes the code.
    return "".join((value or "").split()).upper()


def credit_code_problems(value: str) -> list[str]:
    """What is wrong with ``value`` as a credit code, in the user's language; empty when valid."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        return [
            _("A unified social credit code has 18 characters; this one has %(count)d.")
            % {"count": len(code)}
        ]
    problems: list[str] = []
    for pos, ch in enumerate(code, start=1):
        if ch not in _VALUE:
            problems.append(
                _(
                    "Character %(position)d (“%(char)s”) is not allowed: use digits and capital "
                    "letters other than I, O, S, V and Z."
                )
                % {"position": pos, "char": ch}
            )
    if problems:
        return problems
    if not code[2:8].isdigit():
        problems.append(
            _(
                "Characters 3 to 8 must be the six-digit administrative division code; "
                "got “%(part)s”."
            )
            % {"part": code[2:8]}
        )
    org_expected = org_check_char(code[8:16])
    if code[16] != org_expected:
        problems.append(
            _(
                "The organisation code part (characters 9 to 17) fails its own check: character 17 "
                "should be %(expected)s, not %(actual)s."
            )
            % {"expected": org_expected, "actual": code[16]}
        )
    expected = check_char(code[:17])
    if code[17] != expected:
        problems.append(
            _("The check character (character 18) should be %(expected)s, not %(actual)s.")
            % {"expected": expected, "actual": code[17]}
        )
    return problems


def validate_credit_code(value: str) -> None:
    problems = credit_code_problems(value)
    if problems:
        raise ValidationError(problems, code="invalid_credit_code")


def credit_code_complete(first16: str) -> str:
    """A valid code from its first 16 characters: adds both check characters (for demo data)."""
    first16 = normalise_credit_code(first16)
    if len(first16) != 16 or any(ch not in _VALUE for ch in first16):
        raise ValueError("need 16 characters from the credit-code character set")
    first17 = first16 + org_check_char(first16[8:16])
    return first17 + check_char(first17)
