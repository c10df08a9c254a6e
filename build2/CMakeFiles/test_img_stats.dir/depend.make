# Empty dependencies file for test_img_stats.
# This may be replaced when dependencies are built.
