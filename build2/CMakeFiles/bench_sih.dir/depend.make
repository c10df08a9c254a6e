# Empty dependencies file for bench_sih.
# This may be replaced when dependencies are built.
