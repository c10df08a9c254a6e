# Empty dependencies file for test_sih_mine.
# This may be replaced when dependencies are built.
