"""Factories for the organisation's models: set-up for every app's tests (``cqo.testing``).

They write straight to the database (not through the services), as set-up; tests of behaviour
call the services. ``UserFactory(roles=["cqo"])`` puts the account in those role groups.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.contrib.auth import get_user_model

from cqo.organisation import roles as R
from cqo.organisation.models import (
    EducationLevel,
    Enterprise,
    Person,
    Post,
    PostAssignment,
    PostKind,
    SizeClass,
    TitleLevel,
    Unit,
    UnitKind,
)
from cqo.organisation.rules import user_cache_clear
from cqo.organisation.validators import credit_code_complete

TEST_PASSWORD = "Test-Password-2026"
PASSWORD_OK = "Initial-Pass-2026"


def _credit_code(n: int) -> str:
    return credit_code_complete(f"91500112{n:08d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    display_name_en = factory.Sequence(lambda n: f"User {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or not extracted:
            return
        codes = [extracted] if isinstance(extracted, str) else list(extracted)
        unknown = set(codes) - set(R.ROLES)
        if unknown:
            raise ValueError(f"unknown roles: {unknown}")
        groups = {g.name: g for g in R.roles_ensure()}
        user: Any = self  # the User instance factory_boy passes, not the factory
        user.groups.add(*(groups[c] for c in codes))
        user_cache_clear(user)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"重庆测试企业{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Chongqing Test Enterprise {n} Co., Ltd.")
    credit_code = factory.Sequence(_credit_code)
    size_class = SizeClass.MEDIUM
    industry_code = "C3752"
    industry_name = "摩托车零部件及配件制造"
    region_code = "500112"
    region_name = "重庆市渝北区"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    enterprise = factory.LazyAttribute(
        lambda o: o.parent.enterprise if o.parent is not None else EnterpriseFactory()
    )
    parent = None
    kind = UnitKind.DEPARTMENT
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    unit = factory.SubFactory(UnitFactory)
    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    name = factory.Sequence(lambda n: f"员工{n}")
    name_en = factory.Sequence(lambda n: f"Employee {n}")
    job_title = "工程师"
    job_title_en = "Engineer"
    education = EducationLevel.BACHELOR
    title_level = TitleLevel.INTERMEDIATE
    quality_years = 3
    user = None

    class Params:
        with_account = factory.Trait(
            user=factory.SubFactory(
                UserFactory,
                display_name=factory.SelfAttribute("..name"),
                display_name_en=factory.SelfAttribute("..name_en"),
            )
        )


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    unit = factory.SubFactory(UnitFactory)
    enterprise = factory.LazyAttribute(lambda o: o.unit.enterprise)
    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"岗位{n}")
    name_en = factory.Sequence(lambda n: f"Post {n}")
    kind = PostKind.OTHER
    single_holder = False


class PostAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostAssignment

    post = factory.SubFactory(PostFactory)
    person = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..post.unit"))
    start_date = datetime.date(2025, 1, 1)
    end_date = None


def member(roles: Any, *, unit: Unit | None = None, **kwargs: Any) -> Any:
    """An account with ``roles`` and a person record in ``unit``: a typical signed-in user."""
    user = UserFactory(roles=roles, **kwargs)
    PersonFactory(unit=unit or UnitFactory(), user=user)
    user_cache_clear(user)
    return user
