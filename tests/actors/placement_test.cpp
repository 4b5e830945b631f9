// Rendezvous placement of sessions over cluster members.
#define CAF_SUITE placement
#include "sockjs/actors/placement.hpp"

#include <caf/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

using namespace sockjs::cluster;

namespace {

std::vector<std::string> ids(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back("session-" + std::to_string(i * 7919 + 13));
  return out;
}

std::string owner(const std::string& id,
                  const std::vector<std::string>& members) {
  return members[owner_index(id, members)];
}

const std::vector<std::string> three{"127.0.0.1:7001", "127.0.0.1:7002",
                                     "127.0.0.1:7003"};

} // namespace

CAF_TEST(the hash is fixed across builds) {
  // Nodes of one cluster must agree: these values may never change.
  CAF_CHECK_EQUAL(stable_hash(""), 0xf52a15e9a9b5e89bULL);
  CAF_CHECK_EQUAL(stable_hash("abc"), 0x0dd490490804b508ULL);
}

CAF_TEST(the owner does not depend on the order of members) {
  auto shuffled = three;
  std::reverse(shuffled.begin(), shuffled.end());
  for (const auto& id : ids(1000))
    CAF_CHECK_EQUAL(owner(id, three), owner(id, shuffled));
}

CAF_TEST(a single member owns everything) {
  const std::vector<std::string> one{"a:1"};
  for (const auto& id : ids(100)) CAF_CHECK_EQUAL(owner_index(id, one), 0u);
}

CAF_TEST(ownership is balanced within ten percent) {
  for (std::size_t n : {2u, 3u, 5u}) {
    std::vector<std::string> members;
    for (std::size_t i = 0; i < n; ++i)
      members.push_back("10.0.0." + std::to_string(i + 1) + ":7000");
    std::map<std::string, std::size_t> counts;
    const auto all = ids(10000);
    for (const auto& id : all) ++counts[owner(id, members)];
    const double fair = double(all.size()) / double(n);
    for (const auto& [member, count] : counts) {
      CAF_MESSAGE(n << " members: " << member << " owns " << count);
      CAF_CHECK_LESS(std::abs(double(count) - fair), 0.1 * fair);
    }
    CAF_CHECK_EQUAL(counts.size(), n);
  }
}

CAF_TEST(a join moves about one id in N to the newcomer only) {
  auto four = three;
  four.push_back("127.0.0.1:7004");
  std::size_t moved = 0;
  const auto all = ids(10000);
  for (const auto& id : all) {
    const auto before = owner(id, three);
    const auto after = owner(id, four);
    if (before != after) {
      ++moved;
      CAF_CHECK_EQUAL(after, "127.0.0.1:7004");
    }
  }
  CAF_MESSAGE(moved << " of " << all.size() << " ids moved to the new member");
  CAF_CHECK_LESS(std::abs(double(moved) - 2500.0), 250.0);
}

CAF_TEST(a leave moves only the ids of the member that left) {
  const std::vector<std::string> two{three[0], three[2]};
  std::size_t moved = 0;
  const auto all = ids(10000);
  for (const auto& id : all) {
    const auto before = owner(id, three);
    if (before != three[1])
      CAF_CHECK_EQUAL(owner(id, two), before);
    else
      ++moved;
  }
  CAF_MESSAGE(moved << " of " << all.size() << " ids had to move");
  CAF_CHECK_LESS(std::abs(double(moved) - 10000.0 / 3), 10000.0 / 30);
}
