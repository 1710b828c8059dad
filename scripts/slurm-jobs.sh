#!/usr/bin/env bash
# Submits the points of a design-space exploration as one Slurm job array.
#
#   pqa explore --network resnet20 --space space.json --out sweep --emit-jobs
#   scripts/slurm-explore.sh sweep/jobs.txt [sbatch options, e.g. --partition=cpu --time=2:00:00]
#
# jobs.txt holds one independent command per point; array task N runs line N
# and stores its point in sweep/points/. When the array has finished, run the
# same `pqa explore` without --emit-jobs: it finds every point done and writes
# results.csv, results.json and pareto.svg. Points that failed are simply run
# again by that command (or by emitting and submitting the jobs once more).
# Each submission runs its own copy of the jobs file, so emitting jobs again
# while an array is queued does not change what that array runs. Slurm limits
# arrays to MaxArraySize tasks (often 1001); split larger sweeps.
set -euo pipefail

if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
jobs_file=$1
shift
if [ ! -f "$jobs_file" ]; then
  echo "slurm-explore: no jobs file '$jobs_file'; write it with pqa explore ... --emit-jobs" >&2
  exit 1
fi
count=$(sed -n '$=' "$jobs_file")
count=${count:-0}
if [ "$count" -eq 0 ]; then
  echo "slurm-explore: $jobs_file lists no jobs: every point has finished"
  exit 0
fi
if ! command -v sbatch >/dev/null 2>&1; then
  echo "slurm-explore: sbatch not found; run this on a machine of the Slurm cluster" >&2
  exit 1
fi

if grep -q '^[[:space:]]*$' "$jobs_file"; then
  echo "slurm-explore: $jobs_file has blank lines; write it again with --emit-jobs" >&2
  exit 1
fi
case "$jobs_file" in
  *\'*) echo "slurm-explore: the jobs file's path contains a quote; move it" >&2; exit 1 ;;
esac

folder=$(cd "$(dirname "$jobs_file")" && pwd)
stamp=$(date +%Y%m%d-%H%M%S)-$$
jobs_path="$folder/jobs-$stamp.txt"
cp "$jobs_file" "$jobs_path"
task="$folder/slurm-task-$stamp.sh"
cat > "$task" <<TASK
#!/usr/bin/env bash
# One point of the sweep: line \$SLURM_ARRAY_TASK_ID of $jobs_path.
set -euo pipefail
line=\$(sed -n "\${SLURM_ARRAY_TASK_ID}p" '$jobs_path')
echo "pqa explore task \$SLURM_ARRAY_TASK_ID: \$line"
eval "\$line"
TASK
chmod +x "$task"
echo "slurm-explore: submitting $count points from $jobs_path"
sbatch --array="1-$count" --job-name=pqa-explore --output="$folder/slurm-%A_%a.log" "$@" "$task"
