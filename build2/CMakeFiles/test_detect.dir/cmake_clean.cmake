file(REMOVE_RECURSE
  "CMakeFiles/test_detect.dir/tests/support/csf_test_dicom.c.o"
  "CMakeFiles/test_detect.dir/tests/support/csf_test_dicom.c.o.d"
  "CMakeFiles/test_detect.dir/tests/support/csf_test_nifti.c.o"
  "CMakeFiles/test_detect.dir/tests/support/csf_test_nifti.c.o.d"
  "CMakeFiles/test_detect.dir/tests/support/detect_synth.c.o"
  "CMakeFiles/test_detect.dir/tests/support/detect_synth.c.o.d"
  "CMakeFiles/test_detect.dir/tests/test_detect.c.o"
  "CMakeFiles/test_detect.dir/tests/test_detect.c.o.d"
  "test_detect"
  "test_detect.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_detect.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
