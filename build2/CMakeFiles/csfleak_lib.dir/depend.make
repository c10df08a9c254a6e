# Empty dependencies file for csfleak_lib.
# This may be replaced when dependencies are built.
