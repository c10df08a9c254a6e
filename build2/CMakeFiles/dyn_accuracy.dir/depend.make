# Empty dependencies file for dyn_accuracy.
# This may be replaced when dependencies are built.
