file(REMOVE_RECURSE
  "CMakeFiles/phantom_mips.dir/bench/phantom_mips.c.o"
  "CMakeFiles/phantom_mips.dir/bench/phantom_mips.c.o.d"
  "phantom_mips"
  "phantom_mips.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/phantom_mips.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
