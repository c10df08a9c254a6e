# Empty dependencies file for test_orthanc_config.
# This may be replaced when dependencies are built.
