file(REMOVE_RECURSE
  "CMakeFiles/test_dynamic.dir/tests/support/csf_test_dicom.c.o"
  "CMakeFiles/test_dynamic.dir/tests/support/csf_test_dicom.c.o.d"
  "CMakeFiles/test_dynamic.dir/tests/support/csf_test_nifti.c.o"
  "CMakeFiles/test_dynamic.dir/tests/support/csf_test_nifti.c.o.d"
  "CMakeFiles/test_dynamic.dir/tests/support/detect_synth.c.o"
  "CMakeFiles/test_dynamic.dir/tests/support/detect_synth.c.o.d"
  "CMakeFiles/test_dynamic.dir/tests/test_dynamic.c.o"
  "CMakeFiles/test_dynamic.dir/tests/test_dynamic.c.o.d"
  "test_dynamic"
  "test_dynamic.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_dynamic.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
