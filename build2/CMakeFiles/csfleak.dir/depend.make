# Empty dependencies file for csfleak.
# This may be replaced when dependencies are built.
