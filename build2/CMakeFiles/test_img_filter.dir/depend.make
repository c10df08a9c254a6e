# Empty dependencies file for test_img_filter.
# This may be replaced when dependencies are built.
