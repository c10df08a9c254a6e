file(REMOVE_RECURSE
  "../../csfleak-nii2dcm"
  "../../csfleak-nii2dcm.pdb"
  "CMakeFiles/csfleak-nii2dcm.dir/tools/nii2dcm.c.o"
  "CMakeFiles/csfleak-nii2dcm.dir/tools/nii2dcm.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/csfleak-nii2dcm.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
