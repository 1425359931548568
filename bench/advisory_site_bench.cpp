// advisory_site_bench: build the whole advisory site (index, year sections, one page, rST text and
// OSV record per advisory, CNA containers, Atom feed) from the published corpus, 5 times, and print
// each run and the median. Every run loads all YAML and renders every file; the first writes into
// an empty folder, the later ones rebuild it (writing only files whose bytes changed). Target: under 150 ms on the project's 2-core machine (the Sphinx
// toolchain that builds the real site takes about 23 s there).
//
// Usage: advisory_site_bench [SOURCE_DIR [RUNS [OUT_PARENT]]]
//   defaults: ../shared/corpus/ossa/yaml, 5 runs, the current folder (the site is written to
//   OUT_PARENT/vmt-site-bench-XXXXXX/site and removed afterwards). The folder matters: on this
//   machine creating files under /tmp costs several times what it costs under /work.
// Exit status: 0 done, 66 when the corpus is absent, 65 when a build fails.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "advisory/render.h"
#include "advisory/site.h"

int main(int argc, char** argv) {
  std::string src = argc > 1 ? argv[1] : std::string(VMT_SHARED_DIR) + "/corpus/ossa/yaml";
  int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  if (!std::filesystem::exists(src)) {
    std::fprintf(stderr, "advisory_site_bench: %s is absent\n", src.c_str());
    return 66;
  }
  std::string parent = argc > 3 ? argv[3] : ".";
  std::string tmpl = parent + "/vmt-site-bench-XXXXXX";
  if (!::mkdtemp(tmpl.data())) {
    std::perror(tmpl.c_str());
    return 73;
  }
  std::string dir = tmpl;
  std::vector<double> ms, cpu;
  auto cpu_ms = [] {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);  // all threads of the process
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
  };
  vmt::advisory::render_options opts;
  opts.template_roots = {std::string(VMT_SOURCE_DIR) + "/templates"};
  for (int i = 0; i < runs; ++i) {
    double c0 = cpu_ms();
    auto t0 = std::chrono::steady_clock::now();
    vmt::advisory::renderer r(opts);  // templates are read and parsed again on every run
    // Run 1 builds into an empty folder; the others rebuild it, as `vmt advisory site` is used.
    auto st = vmt::advisory::build_site(r, src, dir + "/site");
    auto t1 = std::chrono::steady_clock::now();
    if (!st) {
      std::fprintf(stderr, "advisory_site_bench: %s\n", st.err().message().c_str());
      return 65;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    cpu.push_back(cpu_ms() - c0);
    std::printf("run %d: %.1f ms wall, %.1f ms CPU (%d advisories, %d files)\n", i + 1, ms.back(), cpu.back(),
                st->advisories, st->files);
  }
  std::filesystem::remove_all(dir);
  double cold = ms.front();
  std::sort(ms.begin(), ms.end());
  std::sort(cpu.begin(), cpu.end());
  // Wall time depends on what else the machine runs; CPU time (all threads) does not, much.
  double load[1] = {0};
  ::getloadavg(load, 1);
  std::printf("advisory site build: median of %d runs: %.1f ms (target < 150 ms); first build into an empty folder "
              "%.1f ms; CPU median %.1f ms; load average %.2f\n",
              runs, ms[ms.size() / 2], cold, cpu[cpu.size() / 2], load[0]);
  return 0;
}
