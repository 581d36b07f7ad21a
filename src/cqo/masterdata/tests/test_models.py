import pytest

from cqo.authorities.vetoable import flow_for
from cqo.core.models import ProtectedRecordError
from cqo.masterdata.models import Lot, Shipment, StockStatus, Supplier
from cqo.testing.masterdata import LotFactory, ShipmentLineFactory

pytestmark = pytest.mark.django_db


def test_a_lot_is_never_deleted():
    lot = LotFactory()
    with pytest.raises(ProtectedRecordError):
        lot.delete()
    with pytest.raises(ProtectedRecordError):
        Lot.objects.filter(pk=lot.pk).delete()


def test_a_new_lot_waits_in_quarantine():
    assert LotFactory().stock_status == StockStatus.QUARANTINE


def test_lot_release_shipment_release_and_supplier_approval_are_vetoable():
    line = ShipmentLineFactory()
    for obj in (line.lot, line.shipment, line.lot.supplier):
        assert flow_for(obj) is not None
    assert {Lot, Shipment, Supplier} <= {
        type(o) for o in (line.lot, line.shipment, line.lot.supplier)
    }
