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
export KUBETWIN_RUN="$tmp/run" KUBETWIN_SWEEP="$tmp/sweep" KUBETWIN_PLAN="$tmp/plan"
for nb in notebooks/*.ipynb; do
  /usr/bin/python3 -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 \
    --output-dir "$tmp/executed" "$nb" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; echo "FAIL $nb"; exit 1; }
  echo "ok   $nb executed"
done
# What they produce, not only that they ran: every notebook draws a figure, the comparison
# lists every policy's SLO outcomes, the frontier marks plan.csv's cheapest passing value.
/usr/bin/python3 - "$tmp" <<'PY'
import base64, csv, json, os, sys
tmp = sys.argv[1]
def outputs(name):
    nb = json.load(open(os.path.join(tmp, "executed", name)))
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
def text(outs):
    return "".join("".join(o.get("data", {}).get("text/plain", "")) + "".join(o.get("text", ""))
                   for o in outs)
for name in ("policy_comparison.ipynb", "time_series.ipynb", "planning_frontier.ipynb"):
    pngs = [base64.b64decode(o["data"]["image/png"]) for o in outputs(name)
            if "image/png" in o.get("data", {})]
    assert pngs and min(len(p) for p in pngs) > 5000, f"{name}: no figure drawn"
summary = json.load(open(os.path.join(tmp, "run", "summary.json")))
table = text(outputs("policy_comparison.ipynb"))
for policy in summary["policies"]:
    assert policy in table, f"policy_comparison: {policy} missing from its tables"
rows = list(csv.DictReader(open(os.path.join(tmp, "plan", "plan.csv"))))
passing = sorted(int(r["value"]) for r in rows if r["pass"] == "1")
frontier = text(outputs("planning_frontier.ipynb"))
assert passing, "the plan found no passing value"
assert str(len(rows) - 1) in frontier.split(), "planning_frontier: its table lacks plan.csv's rows"
print(f"ok   figures drawn; {len(summary['policies'])} policies compared; frontier of {len(rows)} "
      f"probes, cheapest passing {passing[0]}")
PY
