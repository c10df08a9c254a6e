# Empty dependencies file for test_io_bad.
# This may be replaced when dependencies are built.
