# Empty dependencies file for test_detect.
# This may be replaced when dependencies are built.
