#!/usr/bin/env bash
# Regenerates the figures quoted in scenarios/pytorch/lenet_async.yaml's header and the README:
# the scenario as shipped and its three variants, each run into a temporary folder, printed as
# updates and final test accuracy. Needs `make build` and `make data`; a few minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=scenarios/pytorch/lenet_async.yaml
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
while IFS='|' read -r name options; do
  # shellcheck disable=SC2086  # the options are words on purpose
  build/sgdsim run "$scenario" --quiet --out "$out/$name" $options >/dev/null
  /usr/bin/python3 - "$name" "$out/$name/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[2]))
print(f"{sys.argv[1]:8} {s['updates']:6} updates  test accuracy {s['learning']['final']['test_accuracy']:.3f}")
PY
done <<'VARIANTS'
async|
backup|--set algorithm.type=backup --set algorithm.backup_workers=1
sync|--set algorithm.type=sync
ssp|--set algorithm.type=ssp --set algorithm.staleness_bound=3
VARIANTS
