file(REMOVE_RECURSE
  "CMakeFiles/dyn_accuracy.dir/bench/dyn_accuracy.c.o"
  "CMakeFiles/dyn_accuracy.dir/bench/dyn_accuracy.c.o.d"
  "dyn_accuracy"
  "dyn_accuracy.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/dyn_accuracy.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
