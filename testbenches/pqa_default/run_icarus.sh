#!/bin/sh
# Replays 235 recorded cycles of pqa_core and checks every output.
set -e
cd "$(dirname "$0")"
iverilog -g2005 -Wall -o simulation -s tb_pqa_core ../../rtl/pqa_default/pqa_layer_control.v ../../rtl/pqa_default/pqa_input_buffer.v ../../rtl/pqa_default/pqa_slot_sequencer.v ../../rtl/pqa_default/pqa_distance_unit.v ../../rtl/pqa_default/pqa_subspace_encoder.v ../../rtl/pqa_default/pqa_encoder.v ../../rtl/pqa_default/fanout_register_width1.v ../../rtl/pqa_default/fanout_register_width3.v ../../rtl/pqa_default/pqa_lookup.v ../../rtl/pqa_default/pqa_running_sum_terms_width14.v ../../rtl/pqa_default/pqa_accumulator_lane.v ../../rtl/pqa_default/pqa_accumulator.v ../../rtl/pqa_default/fanout_register_width8.v ../../rtl/pqa_default/fanout_register_width16.v ../../rtl/pqa_default/fanout_register_width35.v ../../rtl/pqa_default/fanout_register_width5.v ../../rtl/pqa_default/pqa_requantizer_lane.v ../../rtl/pqa_default/pqa_requantizer.v ../../rtl/pqa_default/stream_fifo_depth29_width128_read_parts5.v ../../rtl/pqa_default/pqa_core.v tb_pqa_core.v
vvp -n simulation
