#!/bin/sh
# Replays 202 recorded cycles of stream_fifo_depth4_width8 and checks every output.
set -e
cd "$(dirname "$0")"
iverilog -g2005 -Wall -o simulation -s tb_stream_fifo_depth4_width8 ../../rtl/examples/fifo/stream_fifo_depth4_width8.v tb_stream_fifo_depth4_width8.v
vvp -n simulation
