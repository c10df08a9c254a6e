# Empty dependencies file for csfleak-nii2dcm.
# This may be replaced when dependencies are built.
