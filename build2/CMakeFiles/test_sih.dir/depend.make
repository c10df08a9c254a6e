# Empty dependencies file for test_sih.
# This may be replaced when dependencies are built.
