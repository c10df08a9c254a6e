file(REMOVE_RECURSE
  "CMakeFiles/test_img_label.dir/tests/support/csf_test_dicom.c.o"
  "CMakeFiles/test_img_label.dir/tests/support/csf_test_dicom.c.o.d"
  "CMakeFiles/test_img_label.dir/tests/support/csf_test_nifti.c.o"
  "CMakeFiles/test_img_label.dir/tests/support/csf_test_nifti.c.o.d"
  "CMakeFiles/test_img_label.dir/tests/support/detect_synth.c.o"
  "CMakeFiles/test_img_label.dir/tests/support/detect_synth.c.o.d"
  "CMakeFiles/test_img_label.dir/tests/test_img_label.c.o"
  "CMakeFiles/test_img_label.dir/tests/test_img_label.c.o.d"
  "test_img_label"
  "test_img_label.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_img_label.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
