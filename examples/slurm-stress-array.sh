#!/bin/bash
# Fulcrum cascade lab as a Slurm job array: task I of N runs `fulcrum stress --shard I/N`; a dependent job merges.
#
#   N=8; mkdir -p shards
#   jid=$(sbatch --parsable --array=0-$((N-1)) examples/slurm-stress-array.sh)
#   sbatch --dependency=afterok:$jid --wrap "fulcrum merge shards/shard-*.tsv --json > stress.json"
#
# Every task must use the same binary, scenario, --paths and --seed. The merged result equals the unsharded run.
#SBATCH --job-name=fulcrum-stress
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=01:00:00
#SBATCH --output=shards/slurm-%A_%a.log
set -euo pipefail
N=${SLURM_ARRAY_TASK_COUNT:?run as an array job}
I=${SLURM_ARRAY_TASK_ID:?run as an array job}
fulcrum stress --paths 1000 --seed 42 --accounts 100000 \
  --threads "${SLURM_CPUS_PER_TASK:-2}" \
  --shard "${I}/${N}" --output "shards/shard-${I}.tsv"
