# Empty dependencies file for test_phantom.
# This may be replaced when dependencies are built.
