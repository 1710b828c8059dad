#!/bin/sh
# Replays 202 recorded cycles of pipelined_mac_a8_b8_acc24_signed1 and checks every output.
set -e
cd "$(dirname "$0")"
iverilog -g2005 -Wall -o simulation -s tb_pipelined_mac_a8_b8_acc24_signed1 ../../rtl/examples/mac/pipelined_mac_a8_b8_acc24_signed1.v tb_pipelined_mac_a8_b8_acc24_signed1.v
vvp -n simulation
