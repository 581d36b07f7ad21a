"""The clauses of DB50/T 1696-2024 the product cites, as one registry.

Features, help texts and audit events cite the clause they serve. Every citation the code makes
is one of ``REGISTRY`` (a test scans the sources for ``§`` and fails on any other), and code that
names a clause as a value goes through ``clause("§6 i)")``, which raises at import on a typo. The
short labels are ours, written in our own words in both languages; the standard's text is never
reproduced in the product.

``cqo clauses`` prints, for each clause, the apps, pages, API routes, services and registrations
(approval kinds, navigation entries) that cite it (``cqo.core.clause_index``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class UnknownClauseError(ValueError):
    """A citation that is not a clause of DB50/T 1696 we know (a typo, or a clause to add to
    ``REGISTRY`` first)."""


@dataclass(frozen=True)
class Clause:
    code: str
    zh: str
    en: str

    @property
    def label(self) -> str:
        """The short label in the active language."""
        lang = (translation.get_language() or "zh-hans").lower()
        return self.zh if lang.startswith("zh") else self.en


def _c(code: str, zh: str, en: str) -> Clause:
    return Clause(code, zh, en)


# Short labels, ours: a reminder of what the clause is about, not its text.
_ALL = [
    _c("§3", "术语", "Terms"),
    _c("§3.1", "首席质量官的任命", "The CQO, appointed by the principal"),
    _c("§4", "岗位设置", "Setting up the post"),
    _c("§4.1", "岗位层级与兼任", "Level of the post, dedicated or held by a deputy"),
    _c("§4.2", "权限与职责形成制度", "Authorities and duties written down"),
    _c("§5", "任职要求", "Requirements of the post"),
    _c("§5.1", "基本条件", "Basic qualification"),
    _c("§5.1.1", "质量法规意识", "Knows the quality laws and policy"),
    _c("§5.1.2", "学历、职称与年限", "Education, title and years in quality"),
    _c("§5.1.3", "培训证书或授权书", "Training certificate or letter of authority"),
    _c("§5.1.4", "不得任职的情形", "Conduct that bars the post"),
    _c("§5.2", "知识", "Knowledge"),
    _c("§5.2.1", "质量管理理论与方法", "Quality theory and methods"),
    _c("§5.2.2", "质量工程与成本", "Quality engineering and cost"),
    _c("§5.2.3", "经营管理知识", "Business management"),
    _c("§5.3", "能力", "Abilities"),
    _c("§5.3.1", "战略思维", "Strategic thinking"),
    _c("§5.3.2", "组织", "Organising"),
    _c("§5.3.3", "沟通", "Communicating"),
    _c("§5.3.4", "协调", "Coordinating"),
    _c("§5.3.5", "创新", "Innovating"),
    _c("§6", "工作权限", "The authorities"),
    _c("§6 a)", "质量战略与计划", "Quality strategy and plans"),
    _c("§6 b)", "参与经营决策与建议", "Business decisions and proposals"),
    _c("§6 c)", "质量计划与异常处理审批", "Approving plans and anomaly handling"),
    _c("§6 d)", "事故调查与处罚", "Incident investigation and penalties"),
    _c("§6 e)", "进厂、过程、出厂检验把关", "Incoming, in-process and outgoing gatekeeping"),
    _c("§6 f)", "质量预算与经费", "Quality budget and funds"),
    _c("§6 g)", "质量绩效考核", "Quality performance appraisal"),
    _c("§6 h)", "品牌与质量文化", "Brand and quality culture"),
    _c("§6 i)", "质量安全一票否决", "One-vote veto on quality safety"),
    _c("§7", "工作职责", "Duties"),
    _c("§7.1", "总体职责", "General duties"),
    _c("§7.1.1", "落实质量法规政策", "Applying quality law and policy"),
    _c("§7.1.2", "质量文化、承诺与目标", "Culture, commitments and goals"),
    _c("§7.1.3", "质量战略与安全保障措施", "Strategy and safety measures"),
    _c("§7.1.4", "先进体系与质量改进", "Advanced systems and improvement"),
    _c("§7.1.5", "质量成本与统计分析", "Quality cost and statistics"),
    _c("§7.1.6", "岗位质量责任监督", "Supervising each post's quality duty"),
    _c("§7.1.7", "质量考核奖惩制度", "Quality rewards and penalties"),
    _c("§7.1.8", "沟通、培训与外部资源", "Communication, training, outside help"),
    _c("§7.2", "具体职责", "Specific duties"),
    _c("§7.2.1", "质量安全", "Quality safety"),
    _c("§7.2.1.1", "质量主体责任", "The enterprise's own quality duty"),
    _c("§7.2.1.2", "安全要求识别与风险研判", "Safety requirements and risk review"),
    _c("§7.2.1.3", "质量安全风险管控", "Quality-safety risk control"),
    _c("§7.2.1.4", "缺陷产品召回", "Recall of defective products"),
    _c("§7.2.2", "质量基础设施", "Quality infrastructure"),
    _c("§7.2.2.1", "计量与检验检测", "Metrology and testing"),
    _c("§7.2.2.2", "标准实施与对标", "Applying and benchmarking standards"),
    _c("§7.2.2.3", "参与标准制修订", "Writing standards"),
    _c("§7.2.2.4", "质量认证", "Certification"),
    _c("§7.2.2.5", "实验室建设", "Laboratories"),
    _c("§7.2.3", "质量竞争力", "Quality competitiveness"),
    _c("§7.2.3.1", "质量创新与攻关", "Innovation and quality breakthroughs"),
    _c("§7.2.3.2", "全面质量管理与方法", "Total quality management and methods"),
    _c("§7.2.3.3", "群众性质量改进", "Improvement by everyone (QC circles)"),
    _c("§7.2.3.4", "质量品牌", "Quality brand"),
    _c("§7.2.3.5", "标杆引领", "Leading by example along the chain"),
    _c("§7.2.3.6", "质量文化建设", "Quality culture"),
    _c("§7.2.3.7", "质量成本控制", "Quality cost control"),
    _c("§7.2.4", "其他职责", "Other duties"),
    _c("§7.2.4.1", "质量人才队伍", "Quality workforce"),
    _c("§7.2.4.2", "质量激励机制", "Quality incentives"),
    _c("§8", "经费保障", "Funding"),
    _c("§8.1", "质量工作专项经费", "The special quality fund"),
    _c("§8.2", "经费足额安排", "Funding in full"),
]

REGISTRY: dict[str, Clause] = {c.code: c for c in _ALL}


def clause(code: str) -> str:
    """``code`` itself when it is a clause we cite; ``UnknownClauseError`` otherwise. Used where a
    module names a clause as a value, so a typo fails when the module is imported."""
    if code not in REGISTRY:
        raise UnknownClauseError(f"Unknown clause of DB50/T 1696: {code!r}")
    return code


def clauses(*codes: str) -> str:
    """Several clauses cited together, each checked: ``clauses("§3.1", "§4.1")`` is
    ``"§3.1, §4.1"``."""
    return ", ".join(clause(c) for c in codes)


def clause_label(code: str) -> str:
    """The short label of ``code`` in the active language (the code itself when unknown)."""
    found = REGISTRY.get(code)
    return found.label if found is not None else code


# Longer summaries shown in help texts (translated in core's catalogue), by citation.
CLAUSES: dict[str, Promise] = {
    "§3.1": _(
        "The CQO is a senior manager appointed or authorised by the legal representative or principal."
    ),
    "§4.1": _("The post sits at decision level, dedicated or held by a deputy head or above."),
    "§4.2": _("The enterprise writes down the CQO's authorities and duties as a system document."),
    "§5.1": _(
        "Basic qualification: education, title, years in quality management, no disqualifying conduct."
    ),
    "§5.2": _("Knowledge the CQO should have."),
    "§5.3": _(
        "The five abilities: strategy, organisation, communication, coordination, innovation."
    ),
    "§6 a)": _("Proposing and carrying out quality strategy, programmes and plans."),
    "§6 b)": _(
        "Taking part in business decisions and proposing quality measures to the decision layer."
    ),
    "§6 c)": _("Approving quality plans and the handling of quality anomalies."),
    "§6 d)": _("Investigating quality incidents and problems; penalties by procedure."),
    "§6 e)": _("Gatekeeping incoming material, the production process and outgoing inspection."),
    "§6 f)": _("Managing the quality budget and quality funds."),
    "§6 g)": _("Appraising quality performance across the enterprise."),
    "§6 h)": _("Building the enterprise brand and quality culture."),
    "§6 i)": _("A one-vote veto on internal quality safety."),
    "§7.1.6": _(
        "Supervising each post's quality responsibility and reporting to the decision layer."
    ),
    "§7.1.8": _("Communication, training and external resources."),
    "§7.2.1.3": _("Quality-safety risk control, key posts and incident rules."),
    "§7.2.4.1": _("Building the quality workforce through training."),
    "§8": _("The special quality fund, spent at the CQO's direction."),
}
for _code in CLAUSES:
    clause(_code)


def clause_summary(citation: str) -> str:
    summary = CLAUSES.get(citation)
    return f"{citation} {summary}" if summary is not None else citation
