# Empty dependencies file for bench_phantom.
# This may be replaced when dependencies are built.
