file(REMOVE_RECURSE
  "CMakeFiles/test_sih.dir/tests/support/csf_test_dicom.c.o"
  "CMakeFiles/test_sih.dir/tests/support/csf_test_dicom.c.o.d"
  "CMakeFiles/test_sih.dir/tests/support/csf_test_nifti.c.o"
  "CMakeFiles/test_sih.dir/tests/support/csf_test_nifti.c.o.d"
  "CMakeFiles/test_sih.dir/tests/support/detect_synth.c.o"
  "CMakeFiles/test_sih.dir/tests/support/detect_synth.c.o.d"
  "CMakeFiles/test_sih.dir/tests/test_sih.c.o"
  "CMakeFiles/test_sih.dir/tests/test_sih.c.o.d"
  "test_sih"
  "test_sih.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_sih.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
