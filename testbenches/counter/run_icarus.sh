#!/bin/sh
# Replays 202 recorded cycles of counter_width8 and checks every output.
set -e
cd "$(dirname "$0")"
iverilog -g2005 -Wall -o simulation -s tb_counter_width8 ../../rtl/examples/counter/counter_width8.v tb_counter_width8.v
vvp -n simulation
