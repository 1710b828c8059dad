#!/usr/bin/env bash
# Installs the system tools pqa drives (Verilator, Icarus Verilog, Yosys) from
# Debian's packages when they are missing, and says what it installs.
# Usage: scripts/setup.sh            install what is missing (needs root or sudo)
#        scripts/setup.sh --check    only report what is present, exit 1 if not
set -euo pipefail

declare -A package_for=(
  [verilator]=verilator
  [iverilog]=iverilog
  [yosys]=yosys
)
tools=(verilator iverilog yosys)

missing_packages=()
for tool in "${tools[@]}"; do
  if command -v "$tool" >/dev/null 2>&1; then
    echo "setup: $tool found at $(command -v "$tool")"
  else
    echo "setup: $tool is missing (Debian package '${package_for[$tool]}')"
    missing_packages+=("${package_for[$tool]}")
  fi
done

if [ ${#missing_packages[@]} -eq 0 ]; then
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
  apt=(sudo apt-get)
else
  echo "setup: cannot install ${missing_packages[*]}: not root and no sudo." >&2
  echo "setup: install them with your package manager, then run this again." >&2
  exit 1
fi

echo "setup: installing ${missing_packages[*]} with apt-get (this takes a minute or two)"
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -qq
"${apt[@]}" install -y -qq --no-install-recommends "${missing_packages[@]}" >/dev/null
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "setup: $tool still missing after install" >&2; exit 1; }
done
echo "setup: installed ${missing_packages[*]}"
