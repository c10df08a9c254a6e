file(REMOVE_RECURSE
  "CMakeFiles/bench_dynamic.dir/bench/bench_dynamic.c.o"
  "CMakeFiles/bench_dynamic.dir/bench/bench_dynamic.c.o.d"
  "bench_dynamic"
  "bench_dynamic.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_dynamic.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
