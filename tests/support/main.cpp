// The tests' main: doctest's, and a guard. CTest runs each test case by its name
// (doctest_discover_tests); a filter that matches no test case must fail rather than pass having
// run nothing (a ';' in a name once split it in CMake's lists, and those cases never ran).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <string_view>

namespace {

int started = 0;

struct CountStarted : doctest::IReporter {
  explicit CountStarted(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData&) override { ++started; }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

}  // namespace

DOCTEST_REGISTER_LISTENER("count-started", 1, CountStarted);

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int rc = context.run();
  if (context.shouldExit() || rc != 0) return rc;
  bool filtered = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    filtered = filtered || a.starts_with("--test-case=") || a.starts_with("-tc=");
    if (a == "--list-test-cases" || a == "-ltc" || a.starts_with("--count")) return rc;
  }
  if (filtered && started == 0) {
    std::fprintf(stderr, "no test case matches the filter: nothing ran\n");
    return 1;
  }
  return rc;
}
