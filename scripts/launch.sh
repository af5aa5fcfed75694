#!/usr/bin/env bash
# Set up (first run) and open hccdecide on the bundled example case, or on the case file given.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh
case_file="${1:-resources/cases/example_nodal_disease.json}"
exec .venv/bin/python main.py "$case_file"
