"""The qualification rule sets the product ships (§5.1): DB50/T 1696 as the default, and a
stricter regional example set by firm size.

They are rows in the database, not constants in the check: an enterprise picks one, and a region
with other thresholds is one more set. The regional set follows what Zhangzhou asks of large and
medium firms (a bachelor's degree and five years, and the appointment training); for small and
micro firms it keeps the DB50/T 1696 floor, since a firm in Chongqing still answers to that.
"""

from __future__ import annotations

from typing import Any

DEFAULT_CODE = "db50-t-1696-2024"
STRICT_CODE = "regional-by-size"

# code, name, English name, basis, description, English description, default,
# rows: (size class or "" for any, education, title, years, training)
PRESETS: list[dict[str, Any]] = [
    {
        "code": DEFAULT_CODE,
        "name": "DB50/T 1696-2024 任职条件",
        "name_en": "DB50/T 1696-2024 qualification",
        "basis": "DB50/T 1696-2024 §5.1",
        "description": "大专及以上学历、中级及以上职称、从事企业质量管理工作3年以上；"
        "宜取得培训合格证书或任命授权书（未取得时提示）。",
        "description_en": "Junior college or above, an intermediate title or above, 3 years or "
        "more in enterprise quality management; a training certificate or an authorisation "
        "letter is recommended (a warning when missing).",
        "is_default": True,
        "rows": [("", "junior_college", "intermediate", 3, "recommended")],
    },
    {
        "code": STRICT_CODE,
        "name": "按企业规模从严（地方示例）",
        "name_en": "Stricter by firm size (regional example)",
        "basis": "DB50/T 1696-2024 §5.1; 漳州办法 (2025)",
        "description": "大中型企业：本科及以上学历、质量管理工作5年以上、须取得培训合格证书；"
        "小微企业沿用DB50/T 1696的要求。地方要求请与当地市场监管部门核实。",
        "description_en": "Large and medium firms: a bachelor's degree or above, 5 years or more "
        "in quality management and a training certificate required; small and micro firms keep "
        "the DB50/T 1696 thresholds. Confirm regional rules with the local market regulator.",
        "is_default": False,
        "rows": [
            ("large", "bachelor", "intermediate", 5, "required"),
            ("medium", "bachelor", "intermediate", 5, "required"),
            ("", "junior_college", "intermediate", 3, "recommended"),
        ],
    },
]


def rule_sets_ensure(rule_set_model: Any = None, rule_model: Any = None) -> None:
    """Create the shipped rule sets that are missing; an existing set is left as it is."""
    if rule_set_model is None or rule_model is None:
        from .models import QualificationRule, QualificationRuleSet

        rule_set_model, rule_model = QualificationRuleSet, QualificationRule
    for preset in PRESETS:
        fields = {k: v for k, v in preset.items() if k not in {"rows", "code"}}
        rule_set, created = rule_set_model.objects.get_or_create(
            code=preset["code"], defaults=fields
        )
        if not created:
            continue
        for size, education, title, years, training in preset["rows"]:
            rule_model.objects.create(
                rule_set=rule_set,
                size_class=size,
                min_education=education,
                min_title=title,
                min_years=years,
                training=training,
            )
