"""The curated evidence: typed records (schema), loading and validation (library), cross-checks."""
