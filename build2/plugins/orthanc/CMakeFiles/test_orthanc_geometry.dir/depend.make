# Empty dependencies file for test_orthanc_geometry.
# This may be replaced when dependencies are built.
