#!/usr/bin/env bash
#   find_package_test.sh BUILD_DIR CONSUMER_SOURCE SCRATCH GENERATOR
set -euo pipefail
build=$1 consumer=$2 scratch=$3 generator=$4
rm -rf "$scratch"; mkdir -p "$scratch"
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
cmake -S "$consumer" -B "$scratch/build" -G "$generator" \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" -DCMAKE_BUILD_TYPE=Release
cmake --build "$scratch/build"
"$scratch/build/consumer"
