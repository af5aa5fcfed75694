"""hccdecide: a decision aid for radiotherapy in hepatocellular carcinoma.

It maps a patient's features to the eligibility criteria and prognostic factors of published studies
and shows what the evidence supports, with every figure traced to its source. It does not prescribe.
"""
__version__ = "0.1.0"
