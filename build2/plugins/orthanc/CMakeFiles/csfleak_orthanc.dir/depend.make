# Empty dependencies file for csfleak_orthanc.
# This may be replaced when dependencies are built.
