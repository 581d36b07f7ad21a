"""The nine authorities of DB50/T 1696 §6 a)–i), as the system knows them.

Each authority is a permission the CQO holds by appointment (see ``engine``), never a static
group. ``delegable`` says whether the CQO may hand it to someone else; the one-vote veto (i) is
delegable only when the published charter (§4.2) says so, which ``engine.veto_delegable`` asks.
The labels are our own short words, not the standard's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Authority:
    code: str
    label: Promise | str
    clause: str
    delegable: bool = True

    @property
    def perm(self) -> str:
        """The object permission services ask for: ``authorities.exercise_<code>``."""
        return f"authorities.exercise_{self.code}"

    def __str__(self) -> str:
        return f"{self.clause} {self.label}"


AUTHORITIES: tuple[Authority, ...] = (
    Authority("a", _("Quality strategy, programmes and plans"), "§6 a)"),
    Authority("b", _("Proposals to the decision layer"), "§6 b)"),
    Authority("c", _("Approval of quality plans and anomaly handling"), "§6 c)"),
    Authority("d", _("Investigation of quality incidents and penalties"), "§6 d)"),
    Authority("e", _("Gatekeeping of incoming, in-process and outgoing inspection"), "§6 e)"),
    Authority("f", _("Quality budget and quality funds"), "§6 f)"),
    Authority("g", _("Quality performance appraisal"), "§6 g)"),
    Authority("h", _("Brand and quality culture"), "§6 h)"),
    Authority("i", _("One-vote veto on internal quality safety"), "§6 i)", delegable=False),
)

BY_CODE: dict[str, Authority] = {a.code: a for a in AUTHORITIES}
CODES: tuple[str, ...] = tuple(BY_CODE)
AUTHORITY_CHOICES: list[tuple[str, Promise]] = [
    (a.code, format_lazy("{}) {}", a.code, a.label)) for a in AUTHORITIES
]
VETO = "i"


def authority(code: str) -> Authority:
    """The authority with this code; KeyError for anything else ("a".."i" only)."""
    return BY_CODE[code]


def clause_of(code: str) -> str:
    return BY_CODE[code].clause


# The authorities some installed module actually exercises. An app registers the codes its
# services check (``exercised_register`` in its ``ready()``); delegating any other authority would
# hand over nothing, so the delegation service refuses it.
_EXERCISED: set[str] = set()


def exercised_register(*codes: str) -> None:
    for code in codes:
        if code not in BY_CODE:
            raise KeyError(f"unknown authority {code!r}")
        _EXERCISED.add(code)


def is_exercised(code: str) -> bool:
    return code in _EXERCISED
