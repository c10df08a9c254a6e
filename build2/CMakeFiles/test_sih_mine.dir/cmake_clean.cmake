file(REMOVE_RECURSE
  "CMakeFiles/test_sih_mine.dir/tests/support/csf_test_dicom.c.o"
  "CMakeFiles/test_sih_mine.dir/tests/support/csf_test_dicom.c.o.d"
  "CMakeFiles/test_sih_mine.dir/tests/support/csf_test_nifti.c.o"
  "CMakeFiles/test_sih_mine.dir/tests/support/csf_test_nifti.c.o.d"
  "CMakeFiles/test_sih_mine.dir/tests/support/detect_synth.c.o"
  "CMakeFiles/test_sih_mine.dir/tests/support/detect_synth.c.o.d"
  "CMakeFiles/test_sih_mine.dir/tests/test_sih_mine.c.o"
  "CMakeFiles/test_sih_mine.dir/tests/test_sih_mine.c.o.d"
  "test_sih_mine"
  "test_sih_mine.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_sih_mine.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
