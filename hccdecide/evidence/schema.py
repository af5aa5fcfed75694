"""Typed records for one study's curated evidence (one YAML file per study under resources/evidence/).

Every figure carries ``location``: where in the source document it stands (section, table, figure).
Labels and notes are our own words; nothing here is a quotation.
"""
from __future__ import annotations

from enum import Enum
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator


class Strict(BaseModel):
    # The library validates files with strict=True in JSON mode (library.validate_study): "5" is not
    # a number, true is not a count, 62.5 is not a whole number; lists still read as tuples.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Design(str, Enum):
    META_ANALYSIS = "meta_analysis"
    RCT_PHASE3 = "randomised_phase3"
    RCT_PHASE2 = "randomised_phase2"
    RANDOMISED = "randomised_phase_not_stated"
    RANDOMISED_PILOT = "randomised_pilot"
    PROSPECTIVE = "prospective_single_arm"  # phase I/II single arm or non-randomised prospective
    PROSPECTIVE_OBSERVATIONAL = "prospective_observational"
    RETROSPECTIVE = "retrospective"
    PROTOCOL = "protocol"


class Op(str, Enum):
    EQ = "eq"
    NE = "ne"
    IN = "in"
    NOT_IN = "not_in"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    BETWEEN = "between"  # inclusive [low, high]
    IS_TRUE = "is_true"
    IS_FALSE = "is_false"
    CONTAINS_ANY = "contains_any"  # list variable shares an element with value


class Condition(Strict):
    """A test on one variable. ``unit`` must equal the variable's unit (``xULN`` for ULN multiples)."""

    var: str
    op: Op
    value: Any = None
    unit: str = ""

    @model_validator(mode="after")
    def _value_fits_op(self) -> "Condition":
        needs_list = self.op in (Op.IN, Op.NOT_IN, Op.BETWEEN, Op.CONTAINS_ANY)
        if self.op in (Op.IS_TRUE, Op.IS_FALSE):
            if self.value is not None:
                raise ValueError(f"op {self.op.value} takes no value")
        elif needs_list and not isinstance(self.value, list):
            raise ValueError(f"op {self.op.value} needs a list value")
        elif self.op == Op.BETWEEN and len(self.value) != 2:
            raise ValueError("op between needs [low, high]")
        elif not needs_list and self.value is None:
            raise ValueError(f"op {self.op.value} needs a value")
        return self


class AnyOf(Strict):
    any_of: list["Rule"] = Field(min_length=2)


class AllOf(Strict):
    all_of: list["Rule"] = Field(min_length=2)


Rule = Union[Condition, AnyOf, AllOf]
AnyOf.model_rebuild()
AllOf.model_rebuild()


CoreDomain = Literal["liver_function", "performance_status", "extent", "setting"]


class DomainCoverage(Strict):
    """How the source bounds one core domain: by criteria (ids of this study's criteria), or by an
    explicit statement that the domain was unrestricted (with its location). A domain the study does
    not list is one the source does not report."""

    criteria: list[str] = []
    unrestricted: bool = False
    location: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _criteria_or_unrestricted(self) -> "DomainCoverage":
        if bool(self.criteria) == self.unrestricted:
            raise ValueError("a domain is covered by criteria, or stated unrestricted (not both)")
        if self.unrestricted and not self.location:
            raise ValueError("an unrestricted domain needs the location where the source says so")
        return self


class UnavailableCriteria(Strict):
    """Criteria the source says exist but does not print (e.g. a complete list kept in a supplement the
    source document lacks): a patient can never be "eligible" on criteria that could not be checked."""

    what: str  # own words, e.g. "exclusion criteria"
    why: str  # own words, e.g. "the complete eligibility list is in a supplement that is not available"
    location: str


class Criterion(Strict):
    """One eligibility requirement, phrased as what the patient must satisfy.

    An exclusion criterion is stored as its negation (``from_list: exclusion``), so *met* always
    means "this requirement does not keep the patient out". Administrative criteria (consent,
    sample availability, clinician judgement) have no rule and never decide the status.
    """

    id: str
    label: str
    # "setting": not a listed criterion but implied by the population the source describes
    # (e.g. a TACE trial in liver-confined disease); its location names where the setting is described.
    from_list: Literal["inclusion", "exclusion", "setting"] = "inclusion"
    rule: Optional[Rule] = None
    administrative: bool = False
    location: str
    note: str = ""
    # Whether the source states this as an eligibility rule ("criterion") or only reports the range of
    # the patients it happened to treat ("cohort_description", e.g. a baseline table). A descriptive
    # range never admits a patient past a clinical gate on its own. Left out, it follows from_list:
    # listed inclusion/exclusion items are criteria, "setting" items (read from the population the
    # source describes) are descriptions -- the reading that never opens a gate by omission.
    basis: Literal["criterion", "cohort_description"] = "criterion"
    # for a cohort description: how many treated patients sat at the edge of the range, in own words
    # (e.g. "2 of 21 were Child-Pugh C"), so a message can say how thin the evidence there is
    cohort_count: str = ""

    @model_validator(mode="before")
    @classmethod
    def _basis_follows_list(cls, data: Any) -> Any:
        if isinstance(data, dict) and "basis" not in data and data.get("from_list") == "setting":
            return {**data, "basis": "cohort_description"}
        return data

    @model_validator(mode="after")
    def _cohort_count_only_for_descriptions(self) -> "Criterion":
        if self.cohort_count and self.basis != "cohort_description":
            raise ValueError("cohort_count belongs to a cohort_description criterion")
        return self

    @model_validator(mode="after")
    def _rule_or_administrative(self) -> "Criterion":
        if self.administrative == (self.rule is not None):
            raise ValueError("a criterion has a rule, or is administrative and has none")
        return self


class Estimate(Strict):
    """A point estimate with optional confidence interval."""

    value: Optional[float] = None
    ci: Optional[tuple[float, float]] = None
    ci_level: float = 95
    reached: bool = True  # False for "median not reached" (value then absent)

    @model_validator(mode="after")
    def _ci_holds_value(self) -> "Estimate":
        if self.value is None and self.reached:
            raise ValueError("an estimate needs a value unless it was not reached")
        if self.ci is not None:
            lo, hi = self.ci
            if lo > hi:
                raise ValueError(f"CI lower bound {lo} above upper bound {hi}")
            if self.value is not None and not (lo <= self.value <= hi):
                raise ValueError(f"CI [{lo}, {hi}] does not contain the estimate {self.value}")
        return self


Endpoint = Literal["ORR", "DCR", "CR", "OS", "PFS", "RFS", "DFS", "TTP", "LC", "LPFS", "PCR_MPR",
                   "PCR", "PAIN_RESPONSE", "TOX_G3PLUS", "INFIELD_PFS", "FREEDOM_FROM_SYSTEMIC_CHANGE",
                   "TRANSPLANT_DROPOUT", "LOCAL_PROGRESSION",
                   "VASCULAR_RESPONSE", "VASCULAR_DCR"]
Measure = Literal["rate", "median", "mean"]


class Outcome(Strict):
    """One reported result of one arm. ``measure`` rate is in percent; median in months."""

    endpoint: Endpoint
    measure: Measure
    estimate: Estimate
    at_months: Optional[float] = None  # landmark time for a rate of a time-to-event endpoint
    definition: str = ""  # own-words endpoint definition
    time_origin: str = ""  # e.g. "start of treatment", "diagnosis", "surgery"; "" = not stated
    # what was counted: patients, lesions, or not stated (e.g. a rate that is not k/n of the patients)
    unit_of_analysis: Literal["patients", "lesions", "not_stated"] = "patients"
    population: str = ""  # e.g. "all enrolled", "resected patients (n = 15)"
    # what the figure covers, so a range never merges different things: the disease site ("" = the whole
    # patient, all sites), the population (the whole cohort; a subgroup known before treatment; or a
    # subgroup selected by what happened after treatment, such as being resected after induction, which
    # is never the study's result), and the treatment phase ("" = the whole course)
    site: str = ""
    population_kind: Literal["whole", "subgroup", "outcome_defined"] = "whole"
    phase: str = ""
    # when the study gives more than one figure for the same measure: what sets this one apart from the
    # others, in own words, or that the source does not say ("" = the study gives only this one)
    sets_apart: str = ""
    location: str
    note: str = ""
    # a comparative study: the test of this figure against the comparison arm, as printed ("0.072",
    # "<0.001"; "NS" or "significant" when the source says only that, without a p)
    vs_control_p: Optional[str] = None

    @model_validator(mode="after")
    def _subgroup_is_named(self) -> "Outcome":
        if self.population_kind != "whole" and not self.population:
            raise ValueError(f"a {self.population_kind} figure names its population")
        return self

    @property
    def unit(self) -> str:
        return "%" if self.measure == "rate" else "months"


class ToxicEvent(Strict):
    event: str
    grade3plus_pct: Optional[float] = None
    any_grade_pct: Optional[float] = None
    location: str


class Regimen(Strict):
    rt_technique: Optional[str] = None  # IMRT, SBRT, 3D-CRT, PBT, EBRT ...
    dose_gy: Optional[float] = None
    dose_range_gy: Optional[tuple[float, float]] = None
    fractions: Optional[int] = None
    fractions_range: Optional[tuple[int, int]] = None
    # The BED10 span the source prints, when it gives one: with a dose range and a fraction range, not
    # every pairing of their ends was given (Yan 2025: 52-66 Gy in 20-33 fractions, BED10 62.4-79.2 Gy).
    bed10_range_gy: Optional[tuple[float, float]] = None
    systemic: list[str] = []
    tace: bool = False
    surgery: bool = False
    description: str


class Arm(Strict):
    id: str
    label: str
    n: Optional[int] = None
    regimen_key: Optional[str] = None  # key into resources/reference/regimens.yaml; None = control
    regimen: Regimen
    outcomes: list[Outcome] = []
    toxicities: list[ToxicEvent] = []
    location: str


class Comparison(Strict):
    """A treatment effect between two arms (experimental vs control)."""

    endpoint: Endpoint
    experimental: str
    control: str
    # HR: hazard ratio; difference: experimental minus control rate, in percentage points
    measure: Literal["HR", "difference"] = "HR"
    estimate: Estimate
    p: Optional[str] = None  # as printed: "0.014", "<0.001", "NS"
    analysis: str = ""  # ITT, per protocol ...
    location: str
    note: str = ""


class Factor(Strict):
    """A prognostic factor: the adverse (comparison) level against the reference level."""

    id: str
    label: str
    reference: str  # own words, e.g. "ALT <= 35 U/L"
    comparison: str
    present_when: Optional[Rule] = None  # rule on patient variables that puts the patient at comparison level
    effect: Optional[float] = None  # HR or RR of comparison vs reference
    # a test statistic printed where an effect was expected (1-df chi-square): it carries a p-value but
    # no direction and no effect size, so it is never shown or used as a ratio
    statistic: Optional[float] = Field(default=None, ge=0)
    ci: Optional[tuple[float, float]] = None
    p: Optional[str] = None
    timing: Literal["baseline", "post_treatment"] = "baseline"
    prevalence: Optional[float] = None  # share of the cohort at comparison level (0-1)
    prevalence_location: str = ""
    # post-treatment factors: when the source assesses it (months from the start of treatment); the
    # after-response estimate is a landmark analysis conditioned on being event-free at that time
    assessed_at_months: Optional[float] = None
    assessed_at_location: str = ""
    location: str
    note: str = ""

    @model_validator(mode="after")
    def _statistic_is_no_effect(self) -> "Factor":
        if self.statistic is not None and (self.effect is not None or self.ci is not None):
            raise ValueError("a factor reported by a test statistic has no effect or CI")
        return self

    @model_validator(mode="after")
    def _ci_holds_effect(self) -> "Factor":
        if self.ci is not None and self.effect is not None:
            lo, hi = self.ci
            if not (lo <= self.effect <= hi):
                raise ValueError(f"CI [{lo}, {hi}] does not contain {self.effect}")
        if self.prevalence is not None and not (0 <= self.prevalence <= 1):
            raise ValueError("prevalence is a share between 0 and 1")
        return self


Analysis = Literal["multivariable_cox", "univariable_cox", "multivariable_rr_no_ci",
                   "multivariable_chi2_statistic"]


class PrognosticModel(Strict):
    """Factors reported together from one analysis of one endpoint.

    Only ``multivariable_cox`` models with CIs are combined into individual curves; the rest are
    shown as reported.
    """

    id: str
    endpoint: Endpoint
    analysis: Analysis
    label: str
    default: bool = False
    calibrate_to_arm: Optional[str] = None  # arm whose landmarks give the baseline curve
    factors: list[Factor]
    location: str
    note: str = ""
    # the fitted model's likelihood-ratio chi-square and its degrees of freedom, as printed (shrinkage)
    lr_chi2: Optional[float] = Field(default=None, gt=0)
    lr_df: Optional[int] = Field(default=None, ge=1)
    lr_chi2_location: str = ""
    # events behind the fit and the follow-up window, to simulate cohorts like the published one
    events: Optional[int] = Field(default=None, ge=1)
    events_location: str = ""
    events_note: str = ""
    follow_up_range_months: Optional[tuple[float, float]] = None
    follow_up_location: str = ""
    # other models of the same study and endpoint, shown beside this one as sensitivity analyses
    alternative_models: list[str] = []

    @model_validator(mode="after")
    def _chi2_with_df(self) -> "PrognosticModel":
        if (self.lr_chi2 is None) != (self.lr_df is None):
            raise ValueError("lr_chi2 and lr_df go together")
        if self.lr_df is not None and self.lr_df != len(self.factors):
            raise ValueError(f"lr_df {self.lr_df} differs from the model's {len(self.factors)} covariates")
        return self


class SubgroupLevel(Strict):
    label: str
    n: Optional[int] = None
    median_months: Optional[float] = None
    reached: bool = True
    ci: Optional[tuple[float, float]] = None
    present_when: Optional[Rule] = None


class SubgroupComparison(Strict):
    """Medians by subgroup from a log-rank or Kaplan–Meier comparison (univariable)."""

    id: str
    endpoint: Endpoint
    factor: str
    timing: Literal["baseline", "post_treatment"] = "baseline"
    levels: list[SubgroupLevel] = Field(min_length=2)
    p: Optional[str] = None
    location: str
    note: str = ""


class Bound(Strict):
    """The range of a variable actually seen in the cohort, for "outside the population" warnings."""

    var: str
    low: Optional[float] = None
    high: Optional[float] = None
    location: str
    note: str = ""


class DoseRequirement(Strict):
    """A protocol's dose requirement for every treated lesion, as BED with alpha/beta 10 Gy."""

    min_bed10_gy: Optional[float] = None
    max_bed10_gy: Optional[float] = None
    location: str
    note: str = ""


class Pooled(Strict):
    """What a meta-analysis pools, as its source states it (an empty list: the source does not say)."""

    designs: list[Design] = []
    studies: Optional[int] = None
    location: str
    note: str = ""


class ValueAt(Strict):
    value: str
    location: str


class Discrepancy(Strict):
    topic: str
    values: list[ValueAt] = Field(min_length=2)
    used: str  # which value the app uses
    why: str


class HccShare(Strict):
    """A cohort of liver cancers of which only part were HCC: its figures are not HCC figures alone."""
    percent: float = Field(gt=0, lt=100)
    location: str


class Study(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    short_name: str  # e.g. "Yan 2025"
    title: str  # own-words description of the study, not the article title verbatim
    first_author: str
    year: Optional[int] = None
    journal: Optional[str] = None
    registry: Optional[str] = None
    doi: Optional[str] = None
    trial_name: Optional[str] = None
    source_document: str  # file under the seeds folder
    source_citation: str  # e.g. "Kang 2026, Table 2" for studies known through the review
    summarised_by_review: bool = False
    # a study the source discusses without any figure: kept so every discussed study is listed, with
    # its population only as described (never a full set of core domains, so never "eligible")
    qualitative: bool = False
    # a study not limited to HCC (e.g. mixed solid tumours): indirect evidence for an HCC patient, so it
    # never heads a regimen (level or key figure) while an HCC study gives the regimen the same status
    indirect: bool = False
    hcc_share: Optional[HccShare] = None  # set when not every patient had HCC
    design: Design
    phase: Optional[str] = None
    n: Optional[int] = None  # analysed; planned for a protocol
    setting: str
    regimen_keys: list[str] = []
    criteria: list[Criterion] = []
    arms: list[Arm] = []
    comparisons: list[Comparison] = []
    prognostic_models: list[PrognosticModel] = []
    subgroups: list[SubgroupComparison] = []
    population_bounds: list[Bound] = []
    core_domains: dict[CoreDomain, DomainCoverage] = {}
    unavailable_criteria: list[UnavailableCriteria] = []
    pooled: Optional[Pooled] = None  # meta-analyses: the designs they pool, which set their level
    # randomised only between variants of one strategy (e.g. SBRT + one or two checkpoint inhibitors):
    # for the strategy itself there is no randomised control, so it is graded as a prospective series
    randomised_within_strategy: bool = False
    # randomised, but its arms are each judged on their own (a "non-comparative randomised" trial): no
    # randomised comparison of the arms, so graded as a prospective series and no benefit derived
    non_comparative: bool = False
    dose_requirement: Optional[DoseRequirement] = None
    follow_up_months: Optional[float] = None
    discrepancies: list[Discrepancy] = []
    notes: str = ""

    @field_validator("criteria")
    @classmethod
    def _unique_criterion_ids(cls, v: list[Criterion]) -> list[Criterion]:
        ids = [c.id for c in v]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate criterion ids: {sorted(dup)}")
        return v

    @field_validator("arms")
    @classmethod
    def _protocol_has_no_outcomes(cls, arms: list[Arm], info: ValidationInfo) -> list[Arm]:
        # a field validator (not a model one) so the error names arms, not the whole record
        if info.data.get("design") == Design.PROTOCOL:
            with_outcomes = [f"arms.{i}.outcomes" for i, a in enumerate(arms) if a.outcomes]
            if with_outcomes:
                raise ValueError(f"a protocol without results carries no outcomes ({', '.join(with_outcomes)})")
        return arms

    @model_validator(mode="after")
    def _within_strategy_needs_randomisation(self) -> "Study":
        randomised = (Design.RCT_PHASE3, Design.RCT_PHASE2, Design.RANDOMISED, Design.RANDOMISED_PILOT)
        for flag in ("randomised_within_strategy", "non_comparative"):
            if getattr(self, flag) and self.design not in randomised:
                raise ValueError(f"{flag} belongs to a randomised design")
        return self

    @model_validator(mode="after")
    def _qualitative_has_no_figures(self) -> "Study":
        if self.qualitative:
            figures = [name for name, held in (
                ("arms.outcomes", any(a.outcomes for a in self.arms)), ("comparisons", self.comparisons),
                ("prognostic_models", self.prognostic_models), ("subgroups", self.subgroups)) if held]
            if figures:
                raise ValueError(f"a qualitative record carries no figures ({', '.join(figures)})")
        return self

    @model_validator(mode="after")
    def _references_resolve(self) -> "Study":
        arm_ids = {a.id for a in self.arms}
        for c in self.comparisons:
            for ref in (c.experimental, c.control):
                if ref not in arm_ids:
                    raise ValueError(f"comparison names unknown arm {ref!r}")
        rule_ids = {c.id for c in self.criteria if c.rule is not None}
        for domain, cover in self.core_domains.items():
            unknown = [i for i in cover.criteria if i not in rule_ids]
            if unknown:
                raise ValueError(f"core_domains.{domain} names no checkable criterion {unknown}")
        for m in self.prognostic_models:
            if m.calibrate_to_arm and m.calibrate_to_arm not in arm_ids:
                raise ValueError(f"model {m.id} calibrates to unknown arm {m.calibrate_to_arm!r}")
        model_ids = {m.id for m in self.prognostic_models}
        for m in self.prognostic_models:
            for alt in m.alternative_models:
                if alt not in model_ids or alt == m.id:
                    raise ValueError(f"model {m.id} names unknown alternative model {alt!r}")
        return self

    @property
    def is_protocol(self) -> bool:
        return self.design == Design.PROTOCOL
