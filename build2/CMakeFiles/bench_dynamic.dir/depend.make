# Empty dependencies file for bench_dynamic.
# This may be replaced when dependencies are built.
