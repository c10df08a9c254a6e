# Empty dependencies file for test_stats_io.
# This may be replaced when dependencies are built.
