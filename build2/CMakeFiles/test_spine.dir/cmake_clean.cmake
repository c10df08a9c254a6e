file(REMOVE_RECURSE
  "CMakeFiles/test_spine.dir/tests/support/csf_test_dicom.c.o"
  "CMakeFiles/test_spine.dir/tests/support/csf_test_dicom.c.o.d"
  "CMakeFiles/test_spine.dir/tests/support/csf_test_nifti.c.o"
  "CMakeFiles/test_spine.dir/tests/support/csf_test_nifti.c.o.d"
  "CMakeFiles/test_spine.dir/tests/support/detect_synth.c.o"
  "CMakeFiles/test_spine.dir/tests/support/detect_synth.c.o.d"
  "CMakeFiles/test_spine.dir/tests/test_spine.c.o"
  "CMakeFiles/test_spine.dir/tests/test_spine.c.o.d"
  "test_spine"
  "test_spine.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_spine.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
