file(REMOVE_RECURSE
  "CMakeFiles/test_io_bad.dir/tests/support/csf_test_dicom.c.o"
  "CMakeFiles/test_io_bad.dir/tests/support/csf_test_dicom.c.o.d"
  "CMakeFiles/test_io_bad.dir/tests/support/csf_test_nifti.c.o"
  "CMakeFiles/test_io_bad.dir/tests/support/csf_test_nifti.c.o.d"
  "CMakeFiles/test_io_bad.dir/tests/support/detect_synth.c.o"
  "CMakeFiles/test_io_bad.dir/tests/support/detect_synth.c.o.d"
  "CMakeFiles/test_io_bad.dir/tests/test_io_bad.c.o"
  "CMakeFiles/test_io_bad.dir/tests/test_io_bad.c.o.d"
  "test_io_bad"
  "test_io_bad.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_io_bad.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
