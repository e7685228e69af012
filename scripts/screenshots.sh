#!/bin/sh
# Regenerates every picture in docs/images/ (those of README.md and docs/teaching.md) from the
# shipped lecture scenarios: each scenario runs into a temporary folder, and build/sgdsim-gui
# --screenshot or build/sgdsim plot renders the picture from that run. Run it after `make build`
# from anywhere in the repository:
#   scripts/screenshots.sh            # all pictures, into docs/images/
#   BUILD=build-gui scripts/screenshots.sh   # binaries from another build folder
# Needs no display: Qt draws offscreen. Takes a few seconds.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${BUILD:-build}
sgdsim="$build/sgdsim"
gui="$build/sgdsim-gui"
for program in "$sgdsim" "$gui"; do
  if [ ! -x "$program" ]; then
    echo "screenshots.sh: $program is missing; run 'make build' first" >&2
    exit 66
  fi
done

lecture=scenarios/lecture
images=docs/images
size=1200x800
# The runs go to a fixed folder, removed at the start and at the end: the GUI's side panel shows
# each run's path, so a fixed path keeps the screenshots the same from one regeneration to the next.
tmp="${TMPDIR:-/tmp}/sgdsim-screenshots"
rm -rf "$tmp"
mkdir -p "$tmp/xdg" "$images"
chmod 700 "$tmp/xdg"
trap 'rm -rf "$tmp"' EXIT INT TERM
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$tmp/xdg}"

# run NAME SCENARIO [--set key=value ...]: runs SCENARIO into $tmp/NAME (NAME is the legend).
run() {
  name=$1; scenario=$2; shift 2
  "$sgdsim" run "$lecture/$scenario" --out "$tmp/$name" --quiet "$@" >/dev/null
}
# shot IMAGE TAB SCENARIO RUN_DIR...: a screenshot of the GUI's window on TAB, with SCENARIO
# open in the side panel and the runs shown.
shot() {
  image=$1; tab=$2; scenario=$3; shift 3
  "$gui" --screenshot "$images/$image" --tab "$tab" --size "$size" "$lecture/$scenario" "$@" 2>/dev/null
  echo "$images/$image"
}
# plot IMAGE CHART RUN_DIR...: a chart alone, as sgdsim plot draws it for slides.
plot() {
  image=$1; chart=$2; shift 2
  "$sgdsim" plot "$@" --out "$images/$image" --chart "$chart" --size "$size" 2>/dev/null
  echo "$images/$image"
}

# The Classroom tab: the scenario's own knobs, then 20% of tasks eight times slower, live.
"$gui" --screenshot "$images/classroom-stragglers.png" --tab classroom --size "$size" \
  --knob straggler_p=0.2 --knob straggler_factor=8 "$lecture/06_checkpoints_slowest_worker.yaml" 2>/dev/null
echo "$images/classroom-stragglers.png"

# 1. The parameter node and the full gradient: rounds, checkpoints, every worker busy.
run full_gradient 01_parameter_node_full_gradient.yaml
shot lecture-01-full-gradient-timeline.png timeline 01_parameter_node_full_gradient.yaml "$tmp/full_gradient"

# 3. Minibatch SGD: more workers, bigger batches, longer rounds.
run "2 workers" 03_minibatch_sync.yaml --set cluster.workers=2
run "8 workers" 03_minibatch_sync.yaml
run "32 workers" 03_minibatch_sync.yaml --set cluster.workers=32
plot lecture-03-minibatch-loss.png loss "$tmp/2 workers" "$tmp/8 workers" "$tmp/32 workers"

# 4. Model averaging: eight long local runs, one checkpoint at the end.
run averaging 04_model_averaging.yaml
shot lecture-04-averaging-timeline.png timeline 04_model_averaging.yaml "$tmp/averaging"

# 5. Hyperparameter parallelism: four step sizes side by side.
run sweep 05_hyperparameter_parallel.yaml
plot lecture-05-step-sizes-loss.png loss "$tmp"/sweep/settings/*

# 6 and 7. Synchronisation checkpoints and the slowest worker; then asynchrony.
run sync 06_checkpoints_slowest_worker.yaml
run async 07_async_sgd.yaml
shot lecture-06-checkpoints-timeline.png timeline 06_checkpoints_slowest_worker.yaml "$tmp/sync"
shot lecture-07-async-timeline.png timeline 07_async_sgd.yaml "$tmp/async"
plot lecture-07-sync-vs-async-loss.png loss "$tmp/sync" "$tmp/async"
shot lecture-07-async-staleness.png staleness 07_async_sgd.yaml "$tmp/async"

# 8. HOGWILD!: racy writes on dense data against atomic adds.
run "racy writes" 08_hogwild_overwrites.yaml
run "atomic adds" 08_hogwild_overwrites.yaml --set hogwild.writes=atomic_add
plot lecture-08-hogwild-loss.png loss "$tmp/racy writes" "$tmp/atomic adds"

# 9 and 11. Compressed pushes: bytes on each link.
run "no compression" 09_qsgd.yaml --set algorithm.compression=none
run "QSGD 16 levels" 09_qsgd.yaml
run "top-100" 11_sparsification.yaml
plot lecture-09-compression-network.png network "$tmp/no compression" "$tmp/QSGD 16 levels" "$tmp/top-100"

# 10. Backup workers: shorter rounds.
run "no backups" 10_backup_workers.yaml --set algorithm.backup_workers=0
run "2 backups" 10_backup_workers.yaml
plot lecture-10-backup-rounds.png rounds "$tmp/no backups" "$tmp/2 backups"

# 12. Large batches with the linear scaling rule.
run "32 workers, batch 1024" 12_large_batch.yaml
run "4 workers, batch 128" 12_large_batch.yaml --set cluster.workers=4 --set stop.updates=1600
plot lecture-12-large-batch-loss.png loss "$tmp/32 workers, batch 1024" "$tmp/4 workers, batch 128"
