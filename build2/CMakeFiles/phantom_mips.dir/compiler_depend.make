# Empty compiler generated dependencies file for phantom_mips.
# This may be replaced when dependencies are built.
