counter_width8.v
