file(REMOVE_RECURSE
  "CMakeFiles/test_img_morph.dir/tests/support/csf_test_dicom.c.o"
  "CMakeFiles/test_img_morph.dir/tests/support/csf_test_dicom.c.o.d"
  "CMakeFiles/test_img_morph.dir/tests/support/csf_test_nifti.c.o"
  "CMakeFiles/test_img_morph.dir/tests/support/csf_test_nifti.c.o.d"
  "CMakeFiles/test_img_morph.dir/tests/support/detect_synth.c.o"
  "CMakeFiles/test_img_morph.dir/tests/support/detect_synth.c.o.d"
  "CMakeFiles/test_img_morph.dir/tests/test_img_morph.c.o"
  "CMakeFiles/test_img_morph.dir/tests/test_img_morph.c.o.d"
  "test_img_morph"
  "test_img_morph.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_img_morph.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
