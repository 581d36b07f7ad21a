"""Organisation pages: thin views that check the object permission, parse, call a service, render.

Every view answers 403 when the user lacks the permission on the object (``_check``); the service
checks again, since it is the gate for the API and jobs too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cqo.accounts.actors import actor_of
from cqo.core.views import GET_POST, can, check, errors_apply

from . import selectors as sel
from . import services as S
from .forms import (
    AccountForm,
    AssignForm,
    AssignmentEndForm,
    AuthorityChangeForm,
    EnterpriseForm,
    PeopleFilterForm,
    PersonCreateForm,
    PersonForm,
    PersonLeaveForm,
    PostForm,
    RolesForm,
    SignForm,
    UnitForm,
    UnitMoveForm,
    VoidForm,
    WithdrawForm,
)
from .models import AuthorityChange, Enterprise, Person, Post, PostAssignment, Unit

_check = check
_can = can


def _enterprise_or_404(request: HttpRequest) -> Enterprise:
    enterprise = sel.enterprise_current(request.user)
    if enterprise is None:
        raise Http404(_("No enterprise has been set up yet."))
    return enterprise


# --- enterprise ---------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _check(request, "organisation.view_enterprise")
    return redirect("organisation:enterprise")


@login_required
def enterprise_detail(request: HttpRequest) -> HttpResponse:
    _check(request, "organisation.view_enterprise")
    enterprise = sel.enterprise_current(request.user)
    if enterprise is not None:
        _check(request, "organisation.view_enterprise", enterprise)
    units = sel.units_visible(request.user).count()
    people = sel.people_visible(request.user).count()
    return render(
        request,
        "organisation/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "unit_count": units,
            "people_count": people,
            "can": _can(
                request,
                "organisation.change_enterprise",
                "organisation.add_enterprise",
                obj=enterprise,
            ),
        },
    )


@login_required
@GET_POST
def enterprise_edit(request: HttpRequest) -> HttpResponseBase:
    enterprise = sel.enterprise_current(request.user)
    if enterprise is None:
        _check(request, "organisation.add_enterprise")
    else:
        _check(request, "organisation.change_enterprise", enterprise)
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            if enterprise is None:
                S.enterprise_create(actor=actor_of(request), **data)
            else:
                S.enterprise_update(actor=actor_of(request), enterprise=enterprise, **data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The enterprise profile was saved."))
            return redirect("organisation:enterprise")
    return render(
        request, "organisation/enterprise_form.html", {"form": form, "enterprise": enterprise}
    )


# --- units --------------------------------------------------------------------------------


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    _check(request, "organisation.view_unit")
    return render(
        request,
        "organisation/unit_tree.html",
        {
            "roots": sel.unit_tree(request.user),
            "enterprise": sel.enterprise_current(request.user),
            "can": _can(request, "organisation.add_unit"),
        },
    )


@login_required
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    """The children of a unit as a list fragment, for htmx to load into the tree."""
    unit = get_object_or_404(Unit, pk=pk)
    _check(request, "organisation.view_unit", unit)
    return render(
        request,
        "organisation/_unit_children.html",
        {"children": sel.unit_children(request.user, unit)},
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent", "head", "enterprise"), pk=pk)
    _check(request, "organisation.view_unit", unit)
    return render(
        request,
        "organisation/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": sel.unit_children(request.user, unit),
            "people": sel.people_visible(request.user, unit=unit, subtree=False),
            "subtree_people": sel.people_visible(request.user, unit=unit).count(),
            "posts": sel.posts_visible(request.user).filter(unit=unit),
            "can": _can(
                request,
                "organisation.change_unit",
                "organisation.move_unit",
                "organisation.void_unit",
                "organisation.add_unit",
                obj=unit,
            ),
        },
    )


@login_required
@GET_POST
def unit_create(request: HttpRequest) -> HttpResponseBase:
    _check(request, "organisation.add_unit")
    enterprise = _enterprise_or_404(request)
    parent = None
    if request.GET.get("parent", "").isdigit():
        parent = get_object_or_404(Unit, pk=int(request.GET["parent"]), enterprise=enterprise)
    _check(request, "organisation.add_unit", parent)
    form = UnitForm(request.POST or None, enterprise=enterprise, initial={"parent": parent})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data.get("parent") is not None:
            _check(request, "organisation.add_unit", data["parent"])
        try:
            unit = S.unit_create(actor=actor_of(request), enterprise=enterprise, **data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The unit was created."))
            return redirect("organisation:unit_detail", pk=unit.pk)
    return render(request, "organisation/unit_form.html", {"form": form, "unit": None})


@login_required
@GET_POST
def unit_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    unit = get_object_or_404(Unit, pk=pk)
    _check(request, "organisation.change_unit", unit)
    form = UnitForm(request.POST or None, instance=unit, enterprise=unit.enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            S.unit_update(actor=actor_of(request), unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The unit was saved."))
            return redirect("organisation:unit_detail", pk=unit.pk)
    return render(request, "organisation/unit_form.html", {"form": form, "unit": unit})


@login_required
@GET_POST
def unit_move(request: HttpRequest, pk: int) -> HttpResponseBase:
    unit = get_object_or_404(Unit, pk=pk)
    _check(request, "organisation.move_unit", unit)
    form = UnitMoveForm(request.POST or None, unit=unit, initial={"parent": unit.parent})
    if request.method == "POST" and form.is_valid():
        try:
            S.unit_move(
                actor=actor_of(request),
                unit=unit,
                new_parent=form.cleaned_data["parent"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The unit was moved."))
            return redirect("organisation:unit_detail", pk=unit.pk)
    return render(request, "organisation/unit_move.html", {"form": form, "unit": unit})


@login_required
@GET_POST
def unit_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    unit = get_object_or_404(Unit, pk=pk)
    _check(request, "organisation.void_unit", unit)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            S.unit_void(actor=actor_of(request), unit=unit, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The unit was voided."))
            return redirect("organisation:unit_tree")
    return render(
        request,
        "organisation/void_form.html",
        {
            "form": form,
            "object": unit,
            "cancel_url": reverse("organisation:unit_detail", args=[unit.pk]),
        },
    )


# --- people -------------------------------------------------------------------------------


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    _check(request, "organisation.view_person")
    enterprise = sel.enterprise_current(request.user)
    form = PeopleFilterForm(request.GET or None, enterprise=enterprise)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "q": form.cleaned_data["q"],
            "unit": form.cleaned_data["unit"],
            "include_left": form.cleaned_data["include_left"],
        }
    page = Paginator(sel.people_visible(request.user, **filters), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can": _can(request, "organisation.add_person"),
    }
    template = (
        "organisation/_person_rows.html"
        if getattr(request, "htmx", False)
        else "organisation/person_list.html"
    )
    return render(request, template, context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("unit", "user"), pk=pk)
    _check(request, "organisation.view_person", person)
    return render(
        request,
        "organisation/person_detail.html",
        {
            "person": person,
            "roles": sel.person_roles(person),
            "assignments": sel.person_assignments(request.user, person),
            "can": _can(
                request,
                "organisation.change_person",
                "organisation.leave_person",
                "organisation.set_person_roles",
                "organisation.add_person_account",
                obj=person,
            ),
        },
    )


@login_required
@GET_POST
def person_create(request: HttpRequest) -> HttpResponseBase:
    _check(request, "organisation.add_person")
    enterprise = _enterprise_or_404(request)
    form = PersonCreateForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        _check(request, "organisation.add_person", data["unit"])
        try:
            person = S.person_create(actor=actor_of(request), **data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("%(person)s was added.") % {"person": person})
            return redirect("organisation:person_detail", pk=person.pk)
    return render(request, "organisation/person_form.html", {"form": form, "person": None})


@login_required
@GET_POST
def person_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    person = get_object_or_404(Person, pk=pk)
    _check(request, "organisation.change_person", person)
    form = PersonForm(request.POST or None, instance=person, enterprise=person.unit.enterprise)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "employee_no"}
        try:
            S.person_update(actor=actor_of(request), person=person, **data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("%(person)s was saved.") % {"person": person})
            return redirect("organisation:person_detail", pk=person.pk)
    return render(request, "organisation/person_form.html", {"form": form, "person": person})


@login_required
@GET_POST
def person_leave(request: HttpRequest, pk: int) -> HttpResponseBase:
    person = get_object_or_404(Person, pk=pk)
    _check(request, "organisation.leave_person", person)
    form = PersonLeaveForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            S.person_leave(actor=actor_of(request), person=person, **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(
                request, _("%(person)s is recorded as having left.") % {"person": person}
            )
            return redirect("organisation:person_detail", pk=person.pk)
    return render(request, "organisation/person_leave.html", {"form": form, "person": person})


@login_required
@GET_POST
def person_roles(request: HttpRequest, pk: int) -> HttpResponseBase:
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    _check(request, "organisation.set_person_roles", person)
    form = RolesForm(request.POST or None, initial={"roles": sel.person_roles(person)})
    if request.method == "POST" and form.is_valid():
        try:
            S.person_roles_set(actor=actor_of(request), person=person, **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The roles were saved."))
            return redirect("organisation:person_detail", pk=person.pk)
    return render(request, "organisation/person_roles.html", {"form": form, "person": person})


@login_required
@GET_POST
def person_account(request: HttpRequest, pk: int) -> HttpResponseBase:
    person = get_object_or_404(Person, pk=pk)
    _check(request, "organisation.add_person_account", person)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            S.person_account_create(actor=actor_of(request), person=person, **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The account was opened."))
            return redirect("organisation:person_detail", pk=person.pk)
    return render(request, "organisation/person_account.html", {"form": form, "person": person})


# --- posts --------------------------------------------------------------------------------


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    _check(request, "organisation.view_post")
    kind = request.GET.get("kind", "")
    return render(
        request,
        "organisation/post_list.html",
        {
            "posts": sel.posts_visible(request.user, kind=kind),
            "kind": kind,
            "can": _can(request, "organisation.add_post"),
        },
    )


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("unit", "enterprise"), pk=pk)
    _check(request, "organisation.view_post", post)
    can = _can(
        request,
        "organisation.change_post",
        "organisation.assign_post",
        "organisation.void_post",
        obj=post,
    )
    return render(
        request,
        "organisation/post_detail.html",
        {
            "post": post,
            "assignments": sel.post_assignments(request.user, post),
            "assign_form": AssignForm(post=post)
            if can["assign_post"] and not post.is_voided
            else None,
            "can": can,
        },
    )


@login_required
@GET_POST
def post_create(request: HttpRequest) -> HttpResponseBase:
    _check(request, "organisation.add_post")
    enterprise = _enterprise_or_404(request)
    form = PostForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        _check(request, "organisation.add_post", data["unit"])
        try:
            post = S.post_create(actor=actor_of(request), **data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The post was created."))
            return redirect("organisation:post_detail", pk=post.pk)
    return render(request, "organisation/post_form.html", {"form": form, "post": None})


@login_required
@GET_POST
def post_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    post = get_object_or_404(Post, pk=pk)
    _check(request, "organisation.change_post", post)
    form = PostForm(request.POST or None, instance=post, enterprise=post.enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            S.post_update(actor=actor_of(request), post=post, **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The post was saved."))
            return redirect("organisation:post_detail", pk=post.pk)
    return render(request, "organisation/post_form.html", {"form": form, "post": post})


@login_required
@GET_POST
def post_assign(request: HttpRequest, pk: int) -> HttpResponseBase:
    post = get_object_or_404(Post.objects.select_related("enterprise"), pk=pk)
    _check(request, "organisation.assign_post", post)
    form = AssignForm(request.POST or None, post=post)
    if request.method == "POST" and form.is_valid():
        try:
            S.post_assign(actor=actor_of(request), post=post, **form.cleaned_data)
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The assignment was recorded."))
            return redirect("organisation:post_detail", pk=post.pk)
    return render(request, "organisation/post_assign.html", {"form": form, "post": post})


@login_required
@GET_POST
def post_void(request: HttpRequest, pk: int) -> HttpResponseBase:
    post = get_object_or_404(Post, pk=pk)
    _check(request, "organisation.void_post", post)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            S.post_void(actor=actor_of(request), post=post, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The post was voided."))
            return redirect("organisation:post_list")
    return render(
        request,
        "organisation/void_form.html",
        {
            "form": form,
            "object": post,
            "cancel_url": reverse("organisation:post_detail", args=[post.pk]),
        },
    )


@login_required
@GET_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponseBase:
    assignment = get_object_or_404(PostAssignment.objects.select_related("post", "person"), pk=pk)
    _check(request, "organisation.end_postassignment", assignment)
    form = AssignmentEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            S.post_assignment_end(
                actor=actor_of(request), assignment=assignment, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_apply(form, exc)
        else:
            messages.success(request, _("The assignment was ended."))
            return redirect("organisation:post_detail", pk=assignment.post_id)
    return render(
        request, "organisation/assignment_end.html", {"form": form, "assignment": assignment}
    )


# --- authority changes (decision 0006) ------------------------------------------------------


@login_required
@GET_POST
def authority_changes(request: HttpRequest) -> HttpResponseBase:
    """Proposed and applied changes to who holds authority; propose one here (§3.1, §4.2)."""
    _check(request, "organisation.view_authoritychange")
    may_propose = request.user.has_perm("organisation.propose_authoritychange")
    form = AuthorityChangeForm(request.POST or None) if may_propose else None
    if request.method == "POST":
        _check(request, "organisation.propose_authoritychange")
        assert form is not None
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["password"] = data.get("password") or None
            try:
                S.authority_change_propose(actor=actor_of(request), **data)
            except ValidationError as exc:
                errors_apply(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The authority change was recorded."))
                return redirect("organisation:authority_changes")
    changes = AuthorityChange.objects.select_related("person", "proposed_by", "confirmed_by")
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "organisation/authority_changes.html",
        {"form": form, "page": page, "sign_form": SignForm(), "withdraw_form": WithdrawForm()},
    )


@login_required
@require_http_methods(["POST"])
def authority_change_act(request: HttpRequest, pk: int, step: str) -> HttpResponseBase:
    """Confirm (with the password) or withdraw (with a reason) one proposed change."""
    change = get_object_or_404(AuthorityChange, pk=pk)
    if step not in ("confirm", "withdraw"):
        raise Http404
    _check(request, f"organisation.{step}_authoritychange", change)
    try:
        if step == "confirm":
            form: Any = SignForm(request.POST)
            if form.is_valid():
                S.authority_change_confirm(
                    actor=actor_of(request), change=change, **form.cleaned_data
                )
                messages.success(request, _("The authority change was signed and applied."))
        else:
            form = WithdrawForm(request.POST)
            if form.is_valid():
                S.authority_change_withdraw(
                    actor=actor_of(request), change=change, **form.cleaned_data
                )
                messages.success(request, _("The authority change was withdrawn."))
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", None) or [str(exc)]:
            messages.error(request, message)
    return redirect("organisation:authority_changes")
