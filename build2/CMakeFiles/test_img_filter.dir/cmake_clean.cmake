file(REMOVE_RECURSE
  "CMakeFiles/test_img_filter.dir/tests/support/csf_test_dicom.c.o"
  "CMakeFiles/test_img_filter.dir/tests/support/csf_test_dicom.c.o.d"
  "CMakeFiles/test_img_filter.dir/tests/support/csf_test_nifti.c.o"
  "CMakeFiles/test_img_filter.dir/tests/support/csf_test_nifti.c.o.d"
  "CMakeFiles/test_img_filter.dir/tests/support/detect_synth.c.o"
  "CMakeFiles/test_img_filter.dir/tests/support/detect_synth.c.o.d"
  "CMakeFiles/test_img_filter.dir/tests/test_img_filter.c.o"
  "CMakeFiles/test_img_filter.dir/tests/test_img_filter.c.o.d"
  "test_img_filter"
  "test_img_filter.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_img_filter.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
