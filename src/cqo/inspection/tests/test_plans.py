"""Inspection plans: drafted, sampled per class against the GB/T 2828.1 tables, approved
through the inbox (§6 c)) into force at the gate (§6 e)), versioned, imported from Excel."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cqo.audit.models import AuditEvent
from cqo.authorities import services as AS
from cqo.inspection import services_plans as S
from cqo.inspection import transfer_plans as T
from cqo.inspection.models import InspectionPlan, PlanSampling, PlanStatus
from cqo.inspection.selectors_plans import plan_in_force
from cqo.testing.factories import TEST_PASSWORD
from cqo.testing.inspection import approved_plan
from cqo.testing.masterdata import (
    AttributeCharacteristicFactory,
    CharacteristicFactory,
    ItemFactory,
)
from cqo.testing.world import Org

pytestmark = pytest.mark.django_db


def _draft(org: Org, **kwargs: Any) -> InspectionPlan:
    item = kwargs.pop("item", None) or ItemFactory()
    ch = CharacteristicFactory(item=item)
    plan = S.plan_create(actor=org.engineer, item=item, gate=kwargs.pop("gate", "iqc"), **kwargs)
    S.plan_characteristics_set(actor=org.engineer, plan=plan, characteristics=[ch])
    S.plan_sampling_set(actor=org.engineer, plan=plan, defect_class="MA", method="gbt2828",
                        level="II", aql="1.0")  # fmt: skip
    return plan


def _approve(org: Org, plan: InspectionPlan) -> InspectionPlan:
    request = S.plan_submit(actor=org.engineer, plan=plan)
    AS.approval_decide(
        actor=org.cqo,
        request=request,
        decision="approve",
        reason="符合图纸",
        password=TEST_PASSWORD,
    )
    plan.refresh_from_db()
    return plan


@pytest.mark.parametrize("aql", ["0.7", "3", "abc", ""])
def test_an_aql_not_in_the_tables_is_refused_naming_the_field_and_nothing_is_written(
    org: Org, aql: str
) -> None:
    plan = _draft(org)
    rows = PlanSampling.objects.count()
    with pytest.raises(ValidationError) as exc:
        S.plan_sampling_set(actor=org.engineer, plan=plan, defect_class="MI", method="gbt2828",
                            level="II", aql=aql)  # fmt: skip
    assert list(exc.value.message_dict) == ["aql"]
    assert PlanSampling.objects.count() == rows


def test_a_level_not_in_table_1_is_refused(org: Org) -> None:
    plan = _draft(org)
    with pytest.raises(ValidationError) as exc:
        S.plan_sampling_set(actor=org.engineer, plan=plan, defect_class="MI", method="gbt2828",
                            level="IV", aql="1.0")  # fmt: skip
    assert list(exc.value.message_dict) == ["level"]


@pytest.mark.parametrize(
    ("n", "ac", "field"), [(0, 0, "fixed_n"), (5, 5, "fixed_ac"), (5, -1, "fixed_ac")]
)
def test_a_fixed_sample_needs_n_and_an_ac_below_it(org: Org, n: int, ac: int, field: str) -> None:
    plan = _draft(org)
    with pytest.raises(ValidationError) as exc:
        S.plan_sampling_set(actor=org.engineer, plan=plan, defect_class="MI", method="fixed",
                            fixed_n=n, fixed_ac=ac)  # fmt: skip
    assert field in exc.value.message_dict


def test_approval_puts_the_plan_in_force_and_supersedes_the_previous_version(org: Org) -> None:
    first = _approve(org, _draft(org))
    assert first.status == PlanStatus.APPROVED and first.approved_by == org.cqo
    assert plan_in_force(item=first.item, gate="iqc") == first
    second = S.plan_version_new(actor=org.engineer, plan=first)
    assert (second.version, second.status) == (2, PlanStatus.DRAFT)
    assert list(second.samplings.values_list("defect_class", "aql")) == [("MA", "1.0")]
    assert second.characteristics.count() == 1
    assert plan_in_force(item=first.item, gate="iqc") == first  # a draft is not used
    second = _approve(org, second)
    first.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED and second.status == PlanStatus.APPROVED
    assert plan_in_force(item=first.item, gate="iqc") == second
    assert AuditEvent.objects.filter(action="inspection.plan.superseded", object_id=str(first.pk))


def test_a_rejected_plan_returns_to_its_author_for_editing(org: Org) -> None:
    plan = _draft(org)
    request = S.plan_submit(actor=org.engineer, plan=plan)
    with pytest.raises(ValidationError):
        S.plan_sampling_set(actor=org.engineer, plan=plan, defect_class="MI", method="full")
    AS.approval_decide(actor=org.cqo, request=request, decision="reject", reason="AQL 太松",
                       password=TEST_PASSWORD)  # fmt: skip
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    S.plan_sampling_set(actor=org.engineer, plan=plan, defect_class="MI", method="full")


def test_the_author_cannot_approve_their_own_plan(org: Org) -> None:
    plan = _draft(org, item=ItemFactory())
    plan.owner = org.cqo
    plan.save()
    request = S.plan_submit(actor=org.cqo, plan=plan)
    with pytest.raises((PermissionDenied, ValidationError)):
        AS.approval_decide(actor=org.cqo, request=request, decision="approve", reason="",
                           password=TEST_PASSWORD)  # fmt: skip


def test_a_plan_without_characteristics_or_sampling_cannot_be_submitted(org: Org) -> None:
    plan = S.plan_create(actor=org.engineer, item=ItemFactory(), gate="iqc")
    with pytest.raises(ValidationError) as exc:
        S.plan_submit(actor=org.engineer, plan=plan)
    assert {"characteristics", "samplings"} <= set(exc.value.message_dict)


def test_a_class_checked_but_not_sampled_keeps_the_plan_from_approval(org: Org) -> None:
    plan = _draft(org)
    extra = AttributeCharacteristicFactory(item=plan.item, defect_class="CR")
    S.plan_characteristics_set(
        actor=org.engineer, plan=plan, characteristics=[*plan.item.characteristics.all()]
    )
    with pytest.raises(ValidationError) as exc:
        S.plan_submit(actor=org.engineer, plan=plan)
    assert "CR" in exc.value.message_dict["samplings"][0]
    assert extra.defect_class == "CR"


def test_a_characteristic_of_another_item_is_refused(org: Org) -> None:
    plan = _draft(org)
    with pytest.raises(ValidationError) as exc:
        S.plan_characteristics_set(
            actor=org.engineer, plan=plan, characteristics=[CharacteristicFactory()]
        )
    assert "characteristics" in exc.value.message_dict


def test_patrol_and_first_article_belong_to_the_in_process_gate(org: Org) -> None:
    with pytest.raises(ValidationError):
        S.plan_create(actor=org.engineer, item=ItemFactory(), gate="iqc", first_article=True)
    plan = S.plan_create(actor=org.engineer, item=ItemFactory(), gate="ipqc", first_article=True,
                         patrol_interval_minutes=120, last_piece=True)  # fmt: skip
    assert (plan.first_article, plan.patrol_interval_minutes, plan.last_piece) == (True, 120, True)


def test_an_inspector_cannot_write_plans(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        S.plan_create(actor=org.inspector, item=ItemFactory(), gate="iqc")


def _workbook(rows: list[list[Any]]) -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["part_number", "gate", "supplier", "defect_class", "method", "level", "aql",
               "fixed_n", "fixed_ac", "characteristics"])  # fmt: skip
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("plans.xlsx", buf.getvalue())


def test_an_import_drafts_every_plan_of_the_workbook(org: Org) -> None:
    item = ItemFactory()
    CharacteristicFactory(item=item, code="D1")
    AttributeCharacteristicFactory(item=item, code="A1", defect_class="MI")
    f = _workbook([
        [item.part_number, "iqc", "", "MA", "gbt2828", "II", "1.0", None, None, "D1, A1"],
        [item.part_number, "iqc", "", "MI", "fixed", "", "", 13, 1, ""],
    ])  # fmt: skip
    (plan,) = T.plans_import(actor=org.engineer, file=f)
    assert plan.status == PlanStatus.DRAFT
    assert sorted(plan.samplings.values_list("defect_class", "method")) == [
        ("MA", "gbt2828"), ("MI", "fixed"),
    ]  # fmt: skip
    assert plan.characteristics.count() == 2


def test_an_import_with_one_bad_aql_writes_nothing_and_names_row_and_column(org: Org) -> None:
    good, bad = ItemFactory(), ItemFactory()
    f = _workbook([
        [good.part_number, "iqc", "", "MA", "gbt2828", "II", "1.0", None, None, ""],
        [bad.part_number, "iqc", "", "MA", "gbt2828", "II", "0.7", None, None, ""],
        ["NOPE", "iqc", "", "MA", "gbt2828", "II", "1.0", None, None, ""],
    ])  # fmt: skip
    plans = InspectionPlan.objects.count()
    with pytest.raises(ValidationError) as exc:
        T.plans_import(actor=org.engineer, file=f)
    messages = exc.value.message_dict["file"]
    assert len(messages) == 2
    assert "3" in messages[0] and "AQL" in messages[0] and "0.7" in messages[0]
    assert "4" in messages[1] and "NOPE" in messages[1]
    assert InspectionPlan.objects.count() == plans


def test_the_export_reads_back_through_the_import(org: Org) -> None:
    plan = approved_plan()
    data = T.plans_export(org.engineer)
    f = SimpleUploadedFile("export.xlsx", data)
    (copy,) = T.plans_import(actor=org.engineer, file=f)
    assert (copy.item, copy.version, copy.status) == (plan.item, 2, PlanStatus.DRAFT)
    assert sorted(copy.samplings.values_list("defect_class", "aql")) == sorted(
        plan.samplings.values_list("defect_class", "aql")
    )


def test_the_plan_page_sets_sampling_and_shows_the_aql_error_on_its_field(
    org: Org, client: Any
) -> None:
    plan = _draft(org)
    client.force_login(org.engineer)
    url = reverse("inspection:plan_detail", args=[plan.pk])
    response = client.post(url, {"action": "sampling", "defect_class": "MI", "method": "gbt2828",
                                 "level": "II", "aql": "0.7"})  # fmt: skip
    assert response.status_code == 200 and "aql" in response.context["sampling_form"].errors
    response = client.post(url, {"action": "sampling", "defect_class": "MI", "method": "gbt2828",
                                 "level": "II", "aql": "2.5"})  # fmt: skip
    assert response.status_code == 302
    assert plan.samplings.get(defect_class="MI").aql == "2.5"


def test_the_plan_pages_render(org: Org, client: Any) -> None:
    plan = approved_plan()
    client.force_login(org.auditor)
    assert client.get(reverse("inspection:plan_list")).status_code == 200
    assert client.get(reverse("inspection:plan_detail", args=[plan.pk])).status_code == 200
    export = client.get(reverse("inspection:plan_export"))
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_the_api_drafts_a_plan_and_refuses_an_aql_not_in_the_tables(org: Org, client: Any) -> None:
    item = ItemFactory()
    client.force_login(org.engineer)
    created = client.post(reverse("api:inspection:plan-list"), {"item": item.pk, "gate": "iqc"},
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 201
    url = reverse("api:inspection:plan-sampling", args=[created.json()["id"]])
    bad = client.post(url, {"defect_class": "MA", "method": "gbt2828", "level": "II",
                            "aql": "0.7"}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "aql" in bad.json()
