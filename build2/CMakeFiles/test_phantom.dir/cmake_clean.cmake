file(REMOVE_RECURSE
  "CMakeFiles/test_phantom.dir/tests/support/csf_test_dicom.c.o"
  "CMakeFiles/test_phantom.dir/tests/support/csf_test_dicom.c.o.d"
  "CMakeFiles/test_phantom.dir/tests/support/csf_test_nifti.c.o"
  "CMakeFiles/test_phantom.dir/tests/support/csf_test_nifti.c.o.d"
  "CMakeFiles/test_phantom.dir/tests/support/detect_synth.c.o"
  "CMakeFiles/test_phantom.dir/tests/support/detect_synth.c.o.d"
  "CMakeFiles/test_phantom.dir/tests/test_phantom.c.o"
  "CMakeFiles/test_phantom.dir/tests/test_phantom.c.o.d"
  "test_phantom"
  "test_phantom.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_phantom.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
