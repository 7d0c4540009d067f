#!/usr/bin/env bash
# Installs what building heatplan needs when it is missing: HiGHS is compiled
# from source by the highs-sys crate, which needs cmake and libclang (bindgen)
# besides a C++ compiler. Idempotent: does nothing when all is there.
set -euo pipefail

missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v c++ >/dev/null 2>&1 || missing+=(g++)
if ! ls /usr/lib/llvm-*/lib/libclang*.so* /usr/lib/x86_64-linux-gnu/libclang*.so* >/dev/null 2>&1; then
  missing+=(libclang-dev)
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is not installed; install Rust from your distribution or rustup first" >&2
  exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
