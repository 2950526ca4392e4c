// A writer beside the audit: opens the store at argv[1] for writing, publishes one plan, prints
// "ready" and holds the store open until its stdin closes (or two minutes pass).
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "onex/declaration.h"
#include "onex/event_store.h"
#include "onex/workflows.h"

int main(int argc, char** argv) {
  using namespace onex;
  if (argc != 2) {
    std::fprintf(stderr, "usage: cli_writer_child DIR\n");
    return 2;
  }
  alarm(120);
  auto store = open_store(StoreOptions{.path = argv[1], .inline_projections = all_projections()});
  if (!store) {
    std::fprintf(stderr, "open: %s\n", store.status().to_string().c_str());
    return 1;
  }
  ManualClock clock(parse_time("2020-04-02T09:00:00+08:00").value());
  {
    DeclarationService service(**store, clock);
    auto plan = service.publish_plan(
        Request{Actor{"acct-province", "province", "44", "", "", ""}, "", "corr-child", {}},
        PlanInput{2020, "2020年第二次", parse_time("2020-05-01T00:00:00+08:00").value(),
                  parse_time("2020-05-31T23:59:59+08:00").value(), false, false});
    if (!plan) {
      std::fprintf(stderr, "publish: %s\n", plan.status().to_string().c_str());
      return 1;
    }
  }
  std::printf("ready\n");
  std::fflush(stdout);
  std::string line;
  std::getline(std::cin, line);
  return 0;
}
