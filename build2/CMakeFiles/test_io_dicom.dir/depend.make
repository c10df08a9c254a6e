# Empty dependencies file for test_io_dicom.
# This may be replaced when dependencies are built.
