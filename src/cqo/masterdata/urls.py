"""Pages of the master data, mounted at /masterdata/."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views as V
from . import views_genealogy as VG

app_name = "masterdata"

# /masterdata/<slug>/ for each list; the lot is read here, changed at the gate.
SLUGS = {
    "item": "items",
    "characteristic": "characteristics",
    "supplier": "suppliers",
    "asl": "asl",
    "customer": "customers",
    "workcentre": "work-centres",
    "operation": "operations",
    "instrument": "instruments",
    "lot": "lots",
}
SPECIAL_DETAIL = {"item": V.item_detail, "supplier": V.supplier_detail, "lot": V.lot_detail}

urlpatterns: list[URLPattern] = [path("", V.index, name="index")]
for key, slug in SLUGS.items():
    kind = V.KINDS[key]
    urlpatterns.append(path(f"{slug}/", V._list_view(key), name=f"{key}_list"))
    if key != "asl":
        detail = SPECIAL_DETAIL.get(key) or V._detail_view(key)
        urlpatterns.append(path(f"{slug}/<int:pk>/", detail, name=f"{key}_detail"))
    if kind.create is not None:
        new = V._form_view(V.entity_create, key, "create")
        route = f"items/<int:pk>/{slug}/new/" if kind.parent else f"{slug}/new/"
        urlpatterns.append(path(route, new, name=f"{key}_create"))
    if kind.update is not None:
        edit = V._form_view(V.entity_edit, key, "edit")
        urlpatterns.append(path(f"{slug}/<int:pk>/edit/", edit, name=f"{key}_edit"))
    if kind.void is not None:
        void = V._form_view(V.entity_void, key, "void")
        urlpatterns.append(path(f"{slug}/<int:pk>/void/", void, name=f"{key}_void"))
urlpatterns += [
    path("suppliers/<int:pk>/approve/", V.supplier_approve, name="supplier_approve"),
    path("suppliers/<int:pk>/status/", V.supplier_status, name="supplier_status"),
    path("excel/<slug:sheet>/export.xlsx", V.sheet_export, name="sheet_export"),
    path("excel/<slug:sheet>/template.xlsx", V.sheet_template, name="sheet_template"),
    path("excel/<slug:sheet>/import/", V.sheet_import, name="sheet_import"),
    # The lot genealogy (§7.2.3.2): the trace, its export, the feed from Excel, a link by hand.
    path("genealogy/", VG.trace, name="genealogy_trace"),
    path("genealogy/export.xlsx", VG.trace_export, name="genealogy_trace_export"),
    path("genealogy/import/", VG.genealogy_import, name="genealogy_import"),
    path("genealogy/template.xlsx", VG.genealogy_template, name="genealogy_template"),
    path("lots/<int:pk>/links/new/", VG.lot_link_create, name="lot_link_create"),
    path("lots/<int:pk>/serials/new/", VG.lot_serial_create, name="lot_serial_create"),
    path("serials/<int:pk>/void/", VG.serial_void, name="serial_void"),
]
