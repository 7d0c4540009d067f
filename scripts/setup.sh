#!/usr/bin/env bash
# Installs what building heatplan needs when it is missing: HiGHS is compiled
# from source by the highs-sys crate, which needs cmake and libclang (bindgen)
# besides a C++ compiler. Idempotent: does nothing when all is there.
set -euo pipefail

missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v c++ >/dev/null 2>&1 || missing+=(g++)
# bindgen loads libclang itself (libclang.so or libclang-N.so, with or without
# a version suffix); libclang-cpp, which some toolchains bring alone, is not it.
if ! find /usr/lib /usr/local/lib -maxdepth 4 -regextype posix-extended \
  -regex '.*/libclang(-[0-9.]+)?\.so(\.[0-9.]+)?' -print -quit 2>/dev/null | grep -q .; then
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
