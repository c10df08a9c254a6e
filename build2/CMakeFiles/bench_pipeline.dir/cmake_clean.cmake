file(REMOVE_RECURSE
  "CMakeFiles/bench_pipeline.dir/bench/bench_pipeline.c.o"
  "CMakeFiles/bench_pipeline.dir/bench/bench_pipeline.c.o.d"
  "bench_pipeline"
  "bench_pipeline.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_pipeline.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
