from django.contrib import admin

from cqo.core.admin import ReadOnlyAdmin

from .models import Enterprise, Person, Post, PostAssignment, Unit


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["name", "credit_code", "size_class", "region_name"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "parent", "head", "voided_at"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["employee_no", "name", "unit", "job_title", "status"]
    search_fields = ["employee_no", "name", "name_en"]
    list_filter = ["status"]


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "unit", "voided_at"]


@admin.register(PostAssignment)
class PostAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["post", "person", "start_date", "end_date"]
