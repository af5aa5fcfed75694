"""Coverage of the individual 95% bands, by simulation. Not a test: it measures and prints.

    python benchmarks/coverage.py [--studies 200] [--draws 120] [--json OUT]

A known "true" model (the Yan et al. 2025 Table 2 OS model as published: its 8 HRs and prevalences,
baseline solved from the published curve) generates studies of 62 patients, censored like the
published cohort (28 deaths expected). Each study is reduced to what a paper prints: Kaplan–Meier
rates at 12/24/36 months and the median, factor shares, the multivariable Cox HRs with 95% CIs and
the likelihood-ratio chi-square. The app's method then rebuilds individual curves from that summary
alone (applied factors, shrinkage, baseline, support, bootstrap band covering the applied-set and
full-set predictions with the Kaplan–Meier width floor, with fewer draws per study than the app's 500,
to keep the run short) and we count how often each band covers the true curve of the
same patient at 12, 24 and 36 months. Patients outside a study's support get no band and are counted
separately.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hccdecide.engine.baseline import mixture_curves  # noqa: E402
from hccdecide.engine.bootstrap import build_draws, censoring_window, kaplan_meier_at, simulate  # noqa: E402
from hccdecide.engine.derive import derive  # noqa: E402
from hccdecide.engine.prognosis import estimate_curve, fitted_model  # noqa: E402
from hccdecide.engine.uncertainty import band_from_draws  # noqa: E402
from hccdecide.evidence.library import default_library  # noqa: E402
from hccdecide.evidence.schema import Study  # noqa: E402
from hccdecide.patient import Patient  # noqa: E402

MONTHS = (12, 24, 36)
LIVER_A = dict(bilirubin_umol_l=15, albumin_g_l=40, inr=1.0, ascites="none", encephalopathy="none")
# Patients whose true curve is checked (absent keys are unknown, so averaged over the cohort).
PROFILES = {
    "cohort average (all unknown)": {},
    "reference liver, large nodes": dict(LIVER_A, alt_u_l=30, pt_s=12.0, lnm_volume_cc=80),
    "ALT > 35 and large nodes": dict(alt_u_l=50, lnm_volume_cc=80),
    "all 8 factors at reference": dict(LIVER_A, alt_u_l=30, pt_s=12.0, afp_ng_ml=100, lnm_volume_cc=30,
                                       lnm_present=True, lnm_count=1, lnm_stations=["hepatic_hilum"]),
}


def truth_study(yan: Study) -> Study:
    """Yan's study with only the OS Table 2 model, without its chi-square (the truth is not shrunk)."""
    record = yan.model_dump(mode="json")
    model = next(m for m in record["prognostic_models"] if m["id"] == "yan_os_table2")
    model.update(lr_chi2=None, lr_df=None, alternative_models=[])
    record.update(prognostic_models=[model], subgroups=[])
    return Study.model_validate(record)


def published_summary(truth: Study, x, t, e) -> Study | None:
    """What a paper of the simulated study would print, as an evidence record (None: not fittable)."""
    import pandas as pd
    from lifelines import CoxPHFitter, KaplanMeierFitter

    if np.any(x.std(axis=0) == 0):
        return None
    record = truth.model_dump(mode="json")
    model = record["prognostic_models"][0]
    names = [f["id"] for f in model["factors"]]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cph = CoxPHFitter().fit(pd.DataFrame(x, columns=names).assign(T=t, E=e), "T", "E")
    except Exception:  # noqa: BLE001 - a study whose model cannot be fitted would not be published
        return None
    ci = np.exp(cph.confidence_intervals_.to_numpy())
    for j, f in enumerate(model["factors"]):
        hr = float(np.clip(np.exp(cph.params_.iloc[j]), 1e-6, 1e6))
        lo, hi = (float(np.clip(v, 1e-6, 1e6)) for v in ci[j])
        f.update(effect=hr, ci=[min(lo, hr), max(hi, hr)], p=f"{cph.summary['p'].iloc[j]:.3f}",
                 prevalence=float(x[:, j].mean()))
    model.update(lr_chi2=float(cph.log_likelihood_ratio_test().test_statistic), lr_df=len(names),
                 events=int(e.sum()))
    rates = kaplan_meier_at(t, e, np.array(MONTHS, float))
    median = KaplanMeierFitter().fit(t, e).median_survival_time_
    arm = record["arms"][0]
    outcomes = [o for o in arm["outcomes"] if o["endpoint"] != "OS"]
    outcomes += [{"endpoint": "OS", "measure": "rate", "at_months": m, "estimate": {"value": 100 * float(r)},
                  "location": "simulated"} for m, r in zip(MONTHS, rates)]
    if np.isfinite(median) and median < MONTHS[-1]:
        outcomes.append({"endpoint": "OS", "measure": "median", "estimate": {"value": float(median)},
                         "location": "simulated"})
    arm["outcomes"] = outcomes
    if model["lr_chi2"] <= 0:
        return None
    return Study.model_validate(record)


def true_landmarks(truth_fm, facts) -> dict[int, float]:
    states = estimate_curve(truth_fm.study, truth_fm.model, facts, apply_all=True, with_sensitivity=False).states
    present = [s.present for s in states]
    curve = mixture_curves(truth_fm.h0, truth_fm.coef, truth_fm.prevalence, present)[0]
    return {m: float(np.interp(m, truth_fm.grid, curve)) for m in MONTHS}


def run(studies: int, draws: int) -> dict:
    yan = default_library().study("yan2025_lnm")
    truth = truth_study(yan)
    tfm = fitted_model(truth, truth.prognostic_models[0])
    window = censoring_window(tfm, truth.n, tfm.model.events, tfm.model.follow_up_range_months[0])
    facts = {name: derive(Patient.from_dict(v)).facts for name, v in PROFILES.items()}
    truths = {name: true_landmarks(tfm, f) for name, f in facts.items()}
    hits = {name: {m: 0 for m in MONTHS} for name in PROFILES}
    shown = {name: 0 for name in PROFILES}
    widths = {name: {m: [] for m in MONTHS} for name in PROFILES}
    rng = np.random.default_rng(7)
    done = unpublishable = failed_fits = 0
    started = time.perf_counter()
    while done < studies:
        x, t, e = simulate(tfm, rng, truth.n, window)
        study = published_summary(truth, x, t, e)
        if study is None:
            unpublishable += 1
            continue
        model = study.prognostic_models[0]
        fm = fitted_model(study, model)
        d = build_draws(fm, draws=draws, seed=10_000 + done)
        failed_fits += d.failed_fits
        for name, f in facts.items():
            c = estimate_curve(study, model, f, with_sensitivity=False)
            if not c.shown:
                continue
            shown[name] += 1
            band = band_from_draws(c, d)
            for m in MONTHS:
                lo, hi = band.landmark_ci[m]
                hits[name][m] += lo <= truths[name][m] <= hi
                widths[name][m].append(hi - lo)
        done += 1
        if done % 10 == 0:
            print(f"  {done}/{studies} studies, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return {"studies": studies, "draws_per_study": draws, "unpublishable_redrawn": unpublishable,
            "failed_fits": failed_fits, "seconds": round(time.perf_counter() - started),
            "censoring_window_months": [round(v, 1) for v in window],
            "profiles": {name: {"shown": shown[name],
                                "coverage_pct": {m: round(100 * hits[name][m] / max(shown[name], 1), 1) for m in MONTHS},
                                "mean_width_points": {m: round(100 * float(np.mean(widths[name][m])), 1)
                                                      if widths[name][m] else None for m in MONTHS},
                                "true_pct": {m: round(100 * truths[name][m], 1) for m in MONTHS}}
                         for name in PROFILES},
            "overall_coverage_pct": {m: round(100 * sum(hits[n][m] for n in PROFILES) / max(sum(shown.values()), 1), 1)
                                     for m in MONTHS}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=200)
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = run(args.studies, args.draws)
    print(f"Band coverage over {result['studies']} simulated studies of 62 patients "
          f"({result['draws_per_study']} bootstrap draws per study; the app uses 500). "
          f"Target 90-98%.")
    for name, p in result["profiles"].items():
        cov = ", ".join(f"{m} mo {p['coverage_pct'][m]}% (width {p['mean_width_points'][m]})" for m in MONTHS)
        print(f"- {name}: banded in {p['shown']} studies; {cov}")
    print("- overall: " + ", ".join(f"{m} mo {v}%" for m, v in result["overall_coverage_pct"].items()))
    print(f"({result['unpublishable_redrawn']} simulated studies could not be fitted and were redrawn; "
          f"{result['failed_fits']} failed bootstrap refits; {result['seconds']} s)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
