# Empty dependencies file for test_dynamic.
# This may be replaced when dependencies are built.
