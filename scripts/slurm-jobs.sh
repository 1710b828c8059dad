#!/usr/bin/env bash
# Submits a jobs file written by `pqa explore --emit-jobs` or
# `pqa compare --emit-jobs FILE` as one Slurm job array.
#
#   pqa explore --network resnet20 --space space.json --out sweep --emit-jobs
#   scripts/slurm-jobs.sh sweep/jobs.txt [sbatch options, e.g. --partition=cpu --time=2:00:00]
#
# The file holds one independent command per line; array task N runs line N,
# which stores its result where the command that wrote the file looks for it
# (explore: OUT/points/, compare: its --cache folder). When the array has
# finished, run the same command without --emit-jobs (compare: emit again
# until no job is left) for the report; failed lines are simply run again.
# Each submission runs its own copy of the jobs file, so emitting jobs again
# while an array is queued does not change what that array runs. Slurm limits
# arrays to MaxArraySize tasks (often 1001); split larger files.
set -euo pipefail

if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
jobs_file=$1
shift
if [ ! -f "$jobs_file" ]; then
  echo "slurm-jobs: no jobs file '$jobs_file'; write it with pqa explore or pqa compare --emit-jobs" >&2
  exit 1
fi
count=$(sed -n '$=' "$jobs_file")
count=${count:-0}
if [ "$count" -eq 0 ]; then
  echo "slurm-jobs: $jobs_file lists no jobs: nothing is left to measure"
  exit 0
fi
if ! command -v sbatch >/dev/null 2>&1; then
  echo "slurm-jobs: sbatch not found; run this on a machine of the Slurm cluster" >&2
  exit 1
fi

if grep -q '^[[:space:]]*$' "$jobs_file"; then
  echo "slurm-jobs: $jobs_file has blank lines; write it again with --emit-jobs" >&2
  exit 1
fi
case "$jobs_file" in
  *\'*) echo "slurm-jobs: the jobs file's path contains a quote; move it" >&2; exit 1 ;;
esac

folder=$(cd "$(dirname "$jobs_file")" && pwd)
stamp=$(date +%Y%m%d-%H%M%S)-$$
jobs_path="$folder/jobs-$stamp.txt"
cp "$jobs_file" "$jobs_path"
task="$folder/slurm-task-$stamp.sh"
cat > "$task" <<TASK
#!/usr/bin/env bash
# One job: line \$SLURM_ARRAY_TASK_ID of $jobs_path.
set -euo pipefail
line=\$(sed -n "\${SLURM_ARRAY_TASK_ID}p" '$jobs_path')
echo "pqa task \$SLURM_ARRAY_TASK_ID: \$line"
eval "\$line"
TASK
chmod +x "$task"
echo "slurm-jobs: submitting $count jobs from $jobs_path"
sbatch --array="1-$count" --job-name=pqa-jobs --output="$folder/slurm-%A_%a.log" "$@" "$task"
