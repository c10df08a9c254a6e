# Empty dependencies file for test_img_label.
# This may be replaced when dependencies are built.
