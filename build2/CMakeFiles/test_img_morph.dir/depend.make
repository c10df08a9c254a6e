# Empty dependencies file for test_img_morph.
# This may be replaced when dependencies are built.
