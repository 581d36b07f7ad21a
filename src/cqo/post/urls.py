from django.urls import path

from . import views

app_name = "post"
urlpatterns = [
    path("", views.index, name="index"),
    path("appointments/", views.appointment_list, name="appointment_list"),
    path("appointments/new/", views.appointment_new, name="appointment_new"),
    path("appointments/filing.xlsx", views.appointment_filing_xlsx, name="filing_xlsx_all"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("appointments/<int:pk>/sign/", views.appointment_sign, name="appointment_sign"),
    path("appointments/<int:pk>/renew/", views.appointment_renew, name="appointment_renew"),
    path(
        "appointments/<int:pk>/handover/", views.appointment_handover, name="appointment_handover"
    ),
    path("appointments/<int:pk>/remove/", views.appointment_remove, name="appointment_remove"),
    path(
        "appointments/<int:pk>/withdraw/", views.appointment_withdraw, name="appointment_withdraw"
    ),
    path("appointments/<int:pk>/letter.pdf", views.appointment_letter_pdf, name="letter_pdf"),
    path("appointments/<int:pk>/filing.pdf", views.appointment_filing_pdf, name="filing_pdf"),
    path("appointments/<int:pk>/filing.xlsx", views.appointment_filing_xlsx, name="filing_xlsx"),
    path("qualification/", views.qualification_index, name="qualification_index"),
    path("qualification/policy/", views.qualification_policy, name="qualification_policy"),
    path("qualification/<int:pk>/", views.qualification_report, name="qualification"),
    path("qualification/<int:pk>/report.pdf", views.qualification_pdf, name="qualification_pdf"),
    path(
        "qualification/<int:pk>/declare/", views.qualification_declare, name="qualification_declare"
    ),
    path("qualification/<int:pk>/evidence/new/", views.evidence_new, name="evidence_new"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/void/", views.evidence_void, name="evidence_void"),
    path("competence/", views.competence_list, name="competence_list"),
    path("competence/<int:pk>/", views.competence_detail, name="competence_detail"),
    path("competence/<int:pk>/score/", views.competence_score, name="competence_score"),
    path("competence/<int:pk>/actions/", views.competence_action, name="competence_action"),
    path(
        "competence/actions/<int:pk>/done/",
        views.competence_action_done,
        name="competence_action_done",
    ),
    path("competence/<int:pk>/complete/", views.competence_complete, name="competence_complete"),
]
