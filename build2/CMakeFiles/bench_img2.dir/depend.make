# Empty dependencies file for bench_img2.
# This may be replaced when dependencies are built.
