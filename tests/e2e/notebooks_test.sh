#!/usr/bin/env bash
# Executes every notebook headless on the outputs of a small run, sweep and plan, so the
# notebooks never rot. usage: notebooks_test.sh PATH/TO/kubetwin
set -eu
kubetwin="$1"
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$kubetwin" run data/scenarios/quickstart.yaml --replications 2 --out "$tmp/run" --quiet >/dev/null || [ $? -eq 1 ]
"$kubetwin" sweep data/scenarios/quickstart.yaml --replications 2 \
  --set "Deployment/checkout:spec.replicas=3,4,5" --out "$tmp/sweep" --quiet >/dev/null || [ $? -eq 1 ]
"$kubetwin" plan data/scenarios/quickstart.yaml --replications 2 \
  --vary "Deployment/checkout:spec.replicas=1..8" --out "$tmp/plan" --quiet >/dev/null
export KUBETWIN_RUN="$tmp/run" KUBETWIN_SWEEP="$tmp/sweep" KUBETWIN_PLAN="$tmp/plan" MPLBACKEND=Agg
for nb in notebooks/*.ipynb; do
  /usr/bin/python3 -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 \
    --output-dir "$tmp/executed" "$nb" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; echo "FAIL $nb"; exit 1; }
  echo "ok   $nb"
done
