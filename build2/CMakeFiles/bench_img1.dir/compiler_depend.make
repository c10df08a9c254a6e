# Empty compiler generated dependencies file for bench_img1.
# This may be replaced when dependencies are built.
