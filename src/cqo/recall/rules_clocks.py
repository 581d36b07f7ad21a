"""Who may do what with the regulator's clocks and the working-day calendar (§7.2.1.4).

=====================================  =====================================================
permission                             who holds it
=====================================  =====================================================
recall.view_clockprofile,              every member: the deadlines a recall runs against
recall.view_recallclock,               and the calendar they are counted on are no secret
recall.view_workcalendar
recall.change_clockprofile             the CQO in office, and the administrator (a new
                                       profile, or a new version of one; audited)
recall.run_recallclock                 the CQO in office, who leads the recall: records a
                                       case event on the clocks, stops a clock kept by hand,
                                       marks one not applicable, chooses a case's profile
recall.change_workcalendar             the administrator: adds a year's arrangement, corrects
                                       a single day (audited)
delete_* (clocks' models)              nobody: clocks are voided, profiles get new versions
=====================================  =====================================================
"""

from __future__ import annotations

import rules

from cqo.authorities.rules import is_current_cqo
from cqo.organisation.rules import is_active_user, is_admin, is_member

for _model in ("clockprofile", "clockprofileversion", "clockdeadline", "recallclock",
               "caseclockprofile"):  # fmt: skip
    rules.add_perm(f"recall.delete_{_model}", rules.always_deny)

rules.add_perm("recall.view_clockprofile", is_member)
rules.add_perm("recall.view_recallclock", is_member)
rules.add_perm("recall.view_workcalendar", is_member)
rules.add_perm("recall.change_clockprofile", (is_active_user & is_current_cqo) | is_admin)
rules.add_perm("recall.run_recallclock", is_active_user & is_current_cqo)
rules.add_perm("recall.change_workcalendar", is_admin)
