#!/bin/sh
# Replays 202 recorded cycles of argmin_tree_inputs64_width16_signed0_stage2 and checks every output.
set -e
cd "$(dirname "$0")"
iverilog -g2005 -Wall -o simulation -s tb_argmin_tree_inputs64_width16_signed0_stage2 ../../rtl/examples/argmin/argmin_tree_inputs64_width16_signed0_stage2.v tb_argmin_tree_inputs64_width16_signed0_stage2.v
vvp -n simulation
