#include "throng/test_support/listening_address.h"

#include <regex>
#include <stdexcept>

namespace throng::test_support {

ListeningAddress WaitForListening(ChildProcess& child, std::chrono::milliseconds timeout) {
  static const std::regex kPattern(R"(listening on http://([^\s:]+|\[[^\]]+\]):(\d+))");
  std::string line = child.WaitForLine(kPattern, timeout);
  std::smatch match;
  std::regex_search(line, match, kPattern);
  std::string host = match[1].str();
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return ListeningAddress{host, static_cast<uint16_t>(std::stoi(match[2].str()))};
}

}  // namespace throng::test_support
