file(REMOVE_RECURSE
  "CMakeFiles/bench_sih.dir/bench/bench_sih.c.o"
  "CMakeFiles/bench_sih.dir/bench/bench_sih.c.o.d"
  "bench_sih"
  "bench_sih.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_sih.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
