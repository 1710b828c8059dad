import HDL
