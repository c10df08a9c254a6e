
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/dynamic/src/cli/analyze_png.c" "CMakeFiles/csfleak.dir/src/cli/analyze_png.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/analyze_png.c.o.d"
  "/work/wt/dynamic/src/cli/analyze_run.c" "CMakeFiles/csfleak.dir/src/cli/analyze_run.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/analyze_run.c.o.d"
  "/work/wt/dynamic/src/cli/batch_acc.c" "CMakeFiles/csfleak.dir/src/cli/batch_acc.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/batch_acc.c.o.d"
  "/work/wt/dynamic/src/cli/batch_cohort.c" "CMakeFiles/csfleak.dir/src/cli/batch_cohort.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/batch_cohort.c.o.d"
  "/work/wt/dynamic/src/cli/batch_html.c" "CMakeFiles/csfleak.dir/src/cli/batch_html.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/batch_html.c.o.d"
  "/work/wt/dynamic/src/cli/batch_list.c" "CMakeFiles/csfleak.dir/src/cli/batch_list.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/batch_list.c.o.d"
  "/work/wt/dynamic/src/cli/batch_run.c" "CMakeFiles/csfleak.dir/src/cli/batch_run.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/batch_run.c.o.d"
  "/work/wt/dynamic/src/cli/batch_slurm.c" "CMakeFiles/csfleak.dir/src/cli/batch_slurm.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/batch_slurm.c.o.d"
  "/work/wt/dynamic/src/cli/batch_store.c" "CMakeFiles/csfleak.dir/src/cli/batch_store.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/batch_store.c.o.d"
  "/work/wt/dynamic/src/cli/batch_study.c" "CMakeFiles/csfleak.dir/src/cli/batch_study.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/batch_study.c.o.d"
  "/work/wt/dynamic/src/cli/batch_util.c" "CMakeFiles/csfleak.dir/src/cli/batch_util.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/batch_util.c.o.d"
  "/work/wt/dynamic/src/cli/cli_common.c" "CMakeFiles/csfleak.dir/src/cli/cli_common.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cli_common.c.o.d"
  "/work/wt/dynamic/src/cli/cli_phantom.c" "CMakeFiles/csfleak.dir/src/cli/cli_phantom.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cli_phantom.c.o.d"
  "/work/wt/dynamic/src/cli/cmd_analyze.c" "CMakeFiles/csfleak.dir/src/cli/cmd_analyze.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cmd_analyze.c.o.d"
  "/work/wt/dynamic/src/cli/cmd_batch.c" "CMakeFiles/csfleak.dir/src/cli/cmd_batch.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cmd_batch.c.o.d"
  "/work/wt/dynamic/src/cli/cmd_convert.c" "CMakeFiles/csfleak.dir/src/cli/cmd_convert.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cmd_convert.c.o.d"
  "/work/wt/dynamic/src/cli/cmd_demo.c" "CMakeFiles/csfleak.dir/src/cli/cmd_demo.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cmd_demo.c.o.d"
  "/work/wt/dynamic/src/cli/cmd_dynamic.c" "CMakeFiles/csfleak.dir/src/cli/cmd_dynamic.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cmd_dynamic.c.o.d"
  "/work/wt/dynamic/src/cli/cmd_evaluate.c" "CMakeFiles/csfleak.dir/src/cli/cmd_evaluate.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cmd_evaluate.c.o.d"
  "/work/wt/dynamic/src/cli/cmd_info.c" "CMakeFiles/csfleak.dir/src/cli/cmd_info.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cmd_info.c.o.d"
  "/work/wt/dynamic/src/cli/cmd_phantom.c" "CMakeFiles/csfleak.dir/src/cli/cmd_phantom.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cmd_phantom.c.o.d"
  "/work/wt/dynamic/src/cli/cmd_phantom_suite.c" "CMakeFiles/csfleak.dir/src/cli/cmd_phantom_suite.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cmd_phantom_suite.c.o.d"
  "/work/wt/dynamic/src/cli/cmd_report.c" "CMakeFiles/csfleak.dir/src/cli/cmd_report.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cmd_report.c.o.d"
  "/work/wt/dynamic/src/cli/cmd_sih.c" "CMakeFiles/csfleak.dir/src/cli/cmd_sih.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cmd_sih.c.o.d"
  "/work/wt/dynamic/src/cli/cmd_stats.c" "CMakeFiles/csfleak.dir/src/cli/cmd_stats.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/cmd_stats.c.o.d"
  "/work/wt/dynamic/src/cli/evaluate_acc.c" "CMakeFiles/csfleak.dir/src/cli/evaluate_acc.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/evaluate_acc.c.o.d"
  "/work/wt/dynamic/src/cli/main.c" "CMakeFiles/csfleak.dir/src/cli/main.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/main.c.o.d"
  "/work/wt/dynamic/src/cli/sih_report.c" "CMakeFiles/csfleak.dir/src/cli/sih_report.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/sih_report.c.o.d"
  "/work/wt/dynamic/src/cli/sih_score.c" "CMakeFiles/csfleak.dir/src/cli/sih_score.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/sih_score.c.o.d"
  "/work/wt/dynamic/src/cli/sih_workup.c" "CMakeFiles/csfleak.dir/src/cli/sih_workup.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/sih_workup.c.o.d"
  "/work/wt/dynamic/src/cli/stats_json.c" "CMakeFiles/csfleak.dir/src/cli/stats_json.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/stats_json.c.o.d"
  "/work/wt/dynamic/src/cli/stats_print.c" "CMakeFiles/csfleak.dir/src/cli/stats_print.c.o" "gcc" "CMakeFiles/csfleak.dir/src/cli/stats_print.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/dynamic/build2/CMakeFiles/csfleak_lib.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
