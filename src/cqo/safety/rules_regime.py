"""Who may do what with the daily control, weekly check and monthly dispatch records (§7.2.1,
§7.2.1.2). The quality-safety posts are organisation posts (``PostKind``); who holds one today is
read from the post assignments.

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
view_dailyrecord, view_weeklyreport,   every member (the records are shown to an inspector;
view_monthlydispatch, view_rectifica-  everyone in the enterprise may read them)
tiontask, view_regimepolicy
add_dailyrecord                        a quality-safety officer today (the director stands in)
add_weeklyreport, void_dailyrecord,    the quality-safety director today; the CQO in office
void_weeklyreport                      while nobody holds the director's post
add_monthlydispatch (the report)       the director, or the CQO in office
record_monthlydispatch, void_monthly-  the principal
dispatch
add_rectificationtask (obj)            on a weekly report: the director; on a monthly
                                       dispatch: the principal
close_rectificationtask (obj)          the task's owner, or the director
change_regimepolicy                    the CQO in office
delete_*, change_* (others)            nobody: records are voided with a reason
=====================================  =====================================================
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from cqo.authorities.rules import is_current_cqo
from cqo.core import request_cache
from cqo.organisation.models import PostAssignment, PostKind
from cqo.organisation.rules import has_role, is_active_user, is_member, user_person


def post_holder_ids(kind: str) -> list[int]:
    """The user ids of the people holding a post of ``kind`` today (read once per request)."""

    def compute() -> list[int]:
        return list(
            PostAssignment.objects.current(timezone.localdate())
            .filter(post__kind=kind, post__voided_at__isnull=True, person__user__isnull=False,
                    person__status="active", person__user__is_active=True)
            .values_list("person__user_id", flat=True)
            .distinct()
        )  # fmt: skip

    return request_cache.remember(("safety.post_holders", kind, timezone.localdate()), compute)


def _holds(user: Any, kind: str) -> bool:
    return user_person(user) is not None and user.pk in post_holder_ids(kind)


@rules.predicate
def is_safety_officer(user: Any) -> bool:
    return _holds(user, PostKind.QUALITY_SAFETY_OFFICER)


@rules.predicate
def is_safety_director(user: Any) -> bool:
    """The quality-safety director today; the CQO in office while the post has no holder."""
    if _holds(user, PostKind.QUALITY_SAFETY_DIRECTOR):
        return True
    return not post_holder_ids(PostKind.QUALITY_SAFETY_DIRECTOR) and bool(is_current_cqo(user))


@rules.predicate
def owns_task(user: Any, obj: Any) -> bool:
    return obj is not None and getattr(obj, "owner_id", None) == user.pk


@rules.predicate
def may_raise_task(user: Any, obj: Any) -> bool:
    from .models_regime import MonthlyDispatch, WeeklyReport

    if isinstance(obj, WeeklyReport):
        return bool(is_safety_director(user))
    if isinstance(obj, MonthlyDispatch):
        return bool(has_role("principal")(user))
    return bool(is_safety_director(user) or has_role("principal")(user))


director = is_active_user & is_safety_director
principal = is_active_user & has_role("principal")

for _model in ("dailyrecord", "dailycheck", "weeklyreport", "monthlydispatch",
               "rectificationtask", "regimepolicy"):  # fmt: skip
    rules.add_perm(f"safety.view_{_model}", is_member)
    rules.add_perm(f"safety.delete_{_model}", rules.always_deny)

rules.add_perm("safety.add_dailyrecord", is_active_user & (is_safety_officer | is_safety_director))
rules.add_perm("safety.add_weeklyreport", director)
rules.add_perm("safety.void_dailyrecord", director)
rules.add_perm("safety.void_weeklyreport", director)
rules.add_perm("safety.add_monthlydispatch", is_active_user & (is_safety_director
                                                              | is_current_cqo))  # fmt: skip
rules.add_perm("safety.record_monthlydispatch", principal)
rules.add_perm("safety.void_monthlydispatch", principal)
rules.add_perm("safety.add_rectificationtask", is_active_user & may_raise_task)
rules.add_perm("safety.close_rectificationtask", is_active_user & (owns_task | is_safety_director))
rules.add_perm("safety.change_regimepolicy", is_active_user & is_current_cqo)
