"""The special quality fund (§8.1): applications as approval requests to the CQO (and above the
threshold also to the principal) with e-signature, balances per purpose, refusals over the
balance or outside the purposes, the CQO's veto (§6 i)), payments with vouchers, the report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cqo.audit.models import AuditEvent, Signature
from cqo.audit.services import audit_detached_flush
from cqo.authorities.models import ApprovalRequest
from cqo.authorities.services import veto_impose
from cqo.authorities.vetoable import VetoActiveError
from cqo.costs import reports_fund
from cqo.costs import selectors_fund as sel
from cqo.costs import services_fund as S
from cqo.costs.models import FundPurpose, PurposeKind, SpendingStatus
from cqo.testing.fund import (
    decide,
    fund_with_purposes,
    spending_applied,
    spending_approved,
    voucher,
)
from cqo.testing.pdf import pdf_text
from cqo.testing.world import PASSWORD, Org, today


@pytest.fixture
def org(db: Any) -> Org:
    return Org()


def _balance(fund: Any, kind: str) -> Any:
    return next(r for r in sel.fund_balances(fund).rows if r.purpose.kind == kind)


def test_a_units_application_goes_to_the_cqo_who_approves_it_with_an_e_signature(org: Org) -> None:
    fund, purposes = fund_with_purposes(org)
    spending = spending_applied(org, fund, purposes[PurposeKind.TALENT], "8000.50")
    request = ApprovalRequest.objects.get(pk=spending.approval_id)
    assert request.kind == "fund_spending" and request.authority == "f"
    assert request.amount == Decimal("8000.50") and request.unit == org.production
    row = _balance(fund, PurposeKind.TALENT)
    assert (row.balance, row.pending, row.available) == (
        Decimal("40000.00"), Decimal("8000.50"), Decimal("31999.50"))  # fmt: skip
    spending = decide(org.cqo, spending)
    assert spending.status == SpendingStatus.APPROVED
    row = _balance(fund, PurposeKind.TALENT)
    assert (row.balance, row.approved, row.pending) == (
        Decimal("31999.50"), Decimal("8000.50"), Decimal("0"))  # fmt: skip
    signature = Signature.objects.get(object_type="authorities.approvalrequest",
                                      object_id=str(request.pk))  # fmt: skip
    assert signature.signer == org.cqo


def test_the_applicant_never_approves_their_own_spending(org: Org) -> None:
    fund, purposes = fund_with_purposes(org)
    spending = spending_applied(org, fund, purposes[PurposeKind.TALENT], by=org.deputy)
    with pytest.raises(PermissionDenied):
        decide(org.deputy, spending)
    assert spending.status == SpendingStatus.SUBMITTED


def test_above_the_threshold_the_principal_approves_after_the_cqo(org: Org) -> None:
    fund, purposes = fund_with_purposes(org, threshold="5000")
    spending = spending_applied(org, fund, purposes[PurposeKind.TALENT], "6000")
    spending = decide(org.cqo, spending)
    assert spending.status == SpendingStatus.PRINCIPAL
    assert _balance(fund, PurposeKind.TALENT).pending == Decimal("6000.00")
    with pytest.raises(PermissionDenied):
        decide(org.cqo, spending)
    spending = decide(org.principal, spending)
    assert spending.status == SpendingStatus.APPROVED
    assert ApprovalRequest.objects.filter(kind="fund_spending", status="approved").count() == 2


def test_a_rejected_spending_leaves_the_balance_whole(org: Org) -> None:
    fund, purposes = fund_with_purposes(org)
    spending = decide(org.cqo, spending_applied(org, fund, purposes[PurposeKind.REWARDS]),
                      "reject", "不属于奖励范围")  # fmt: skip
    assert spending.status == SpendingStatus.REJECTED
    row = _balance(fund, PurposeKind.REWARDS)
    assert row.balance == row.available == Decimal("30000.00")


def test_it_refuses_a_spending_over_the_balance_and_keeps_the_refused_attempt(org: Org) -> None:
    fund, purposes = fund_with_purposes(org)
    decide(org.cqo, spending_applied(org, fund, purposes[PurposeKind.METROLOGY], "7000"))
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        spending_applied(org, fund, purposes[PurposeKind.METROLOGY], "3000.01")
    message = caught.value.message_dict["amount"][0]
    assert "§8.1" in message and "3,000.00" in message and "余额" in message
    audit_detached_flush(actor=org.head)
    assert len(sel.refused_applications(fund)) == 1
    assert _balance(fund, PurposeKind.METROLOGY).balance == Decimal("3000.00")
    spending_applied(org, fund, purposes[PurposeKind.METROLOGY], "3000")  # the balance exactly


def test_it_refuses_a_spending_outside_the_funds_purposes(org: Org) -> None:
    fund, _purposes = fund_with_purposes(org)
    _other, other_purposes = fund_with_purposes(org, year=today().year - 1)
    for purpose in (other_purposes[PurposeKind.TALENT], "999999", "abc", None):
        with pytest.raises(ValidationError) as caught:
            spending_applied(org, fund, purpose)  # type: ignore[arg-type]
        assert "§8.1" in caught.value.message_dict["purpose"][0]


def test_the_allocations_never_exceed_the_fund(org: Org) -> None:
    fund, _ = fund_with_purposes(org)  # 80,000 of 100,000 allocated
    with pytest.raises(ValidationError) as caught:
        S.fund_purpose_add(actor=org.cqo, fund=fund, kind=PurposeKind.BRAND, allocation="20000.01")
    assert "allocation" in caught.value.message_dict
    purpose = S.fund_purpose_add(actor=org.cqo, fund=fund, kind=PurposeKind.OTHER,
                                 name="质量文化月", allocation="20000")  # fmt: skip
    assert isinstance(purpose, FundPurpose) and purpose.title == "质量文化月"
    with pytest.raises(ValidationError) as caught:
        S.fund_purpose_add(actor=org.cqo, fund=fund, kind=PurposeKind.OTHER, allocation="0")
    assert "name" in caught.value.message_dict


def test_a_payment_with_its_voucher_pays_the_spending_and_never_more(org: Org) -> None:
    spending = spending_approved(org, "8000")
    S.fund_payment_record(actor=org.cqo, spending=spending, amount="5000", paid_on=today(),
                          voucher_no="记-001", voucher=voucher())  # fmt: skip
    spending.refresh_from_db()
    assert spending.status == SpendingStatus.APPROVED
    with pytest.raises(ValidationError) as caught:
        S.fund_payment_record(actor=org.cqo, spending=spending, amount="3000.01",
                              paid_on=today(), voucher_no="记-002", voucher=voucher())  # fmt: skip
    assert "amount" in caught.value.message_dict
    payment = S.fund_payment_record(actor=org.cqo, spending=spending, amount="3000",
                                    paid_on=today(), voucher_no="记-002", voucher=voucher())  # fmt: skip
    spending.refresh_from_db()
    assert spending.status == SpendingStatus.PAID and len(payment.voucher_sha256) == 64
    row = _balance(spending.fund, PurposeKind.TALENT)
    assert (row.paid, row.approved, row.balance) == (
        Decimal("8000.00"), Decimal("0.00"), Decimal("32000.00"))  # fmt: skip


def test_it_refuses_a_voucher_that_is_not_a_document(org: Org) -> None:
    spending = spending_approved(org)
    fake = SimpleUploadedFile("voucher.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(ValidationError) as caught:
        S.fund_payment_record(actor=org.cqo, spending=spending, amount="1", paid_on=today(),
                              voucher_no="记-003", voucher=fake)  # fmt: skip
    assert "voucher" in caught.value.message_dict


def test_only_a_holder_of_6f_records_a_payment(org: Org) -> None:
    spending = spending_approved(org)
    with pytest.raises(PermissionDenied):
        S.fund_payment_record(actor=org.head, spending=spending, amount="1", paid_on=today(),
                              voucher_no="记-004", voucher=voucher())  # fmt: skip


def test_the_cqos_veto_holds_a_spending_that_touches_quality_safety(org: Org) -> None:
    fund, purposes = fund_with_purposes(org)
    spending = spending_applied(org, fund, purposes[PurposeKind.METROLOGY], "5000",
                                touches_safety=True)  # fmt: skip
    veto_impose(
        actor=org.cqo, subject=spending, reason="量具精度不满足安全件要求", password=PASSWORD
    )
    with pytest.raises(VetoActiveError):
        decide(org.cqo, spending)
    spending.refresh_from_db()
    assert spending.status == SpendingStatus.SUBMITTED


def test_the_year_end_report_lists_purposes_spendings_and_refusals(org: Org) -> None:
    spending = spending_approved(org, "8000")
    S.fund_payment_record(actor=org.cqo, spending=spending, amount="8000", paid_on=today(),
                          voucher_no="记-010", voucher=voucher())  # fmt: skip
    fund = spending.fund
    text = pdf_text(reports_fund.fund_report_pdf(fund, language="en"))
    assert "Metrology" in text and spending.number in text and "记-010" in text
    data = reports_fund.fund_report_xlsx(fund)
    assert data[:2] == b"PK"


def test_every_write_leaves_one_audit_event_with_its_clause(org: Org) -> None:
    before = AuditEvent.objects.count()
    _fund, _purposes = fund_with_purposes(org)
    assert AuditEvent.objects.count() == before + 4
    assert set(AuditEvent.objects.filter(action__startswith="costs.").values_list(
        "clause", flat=True)) == {"§8.1"}  # fmt: skip
