// Locator: the country and the autonomous system (number and name) of an IP address,
// looked up in an offline database with libloc (Debian's libloc-database, the IPFire
// location database). Nothing is sent anywhere: the database is a local file, and the
// updater that would fetch a newer one (the `location` tool) is not used.
// Addresses that are not on the public internet (loopback, private ranges, link-local,
// carrier-grade NAT, unique-local IPv6) are reported as local, without a lookup: the
// simulator's pods all live on 127.0.0.0/8 and show as "local".
// Input is bounded: a string longer than an IPv6 literal, or one that is not an address,
// gives an unknown location.
// Thread-safety: locate() may be called from several threads (a mutex guards libloc,
// whose objects are reference-counted without atomics).
#pragma once

#include <cstdint>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "util/result.h"

namespace pnode::geo {

inline constexpr const char* kDefaultDatabasePath = "/usr/share/libloc-location/location.db";

enum class Reach { kPublic, kLocal, kUnknown };

struct Location {
  Reach reach = Reach::kUnknown;
  std::string country_code;  // ISO 3166-1 alpha-2 ("DE"); empty when unknown or local
  std::string country_name;
  uint32_t asn = 0;          // 0 when unknown or local
  std::string as_name;
  bool anycast = false;      // the network is anycast: its "country" says little
};

// True for addresses that never leave a site (see the header comment); the text must be
// an IPv4 or IPv6 literal.
bool is_local_address(std::string_view ip);

class Locator {
 public:
  // Opens the database; "not_found" when the file is missing, "corrupt" when libloc
  // cannot read it.
  static Result<std::unique_ptr<Locator>> open(const std::string& path = kDefaultDatabasePath);
  ~Locator();
  Locator(const Locator&) = delete;
  Locator& operator=(const Locator&) = delete;

  Location locate(std::string_view ip) const;

  // What the database says of itself, for /health and the docs: vendor, description,
  // and when it was made (its facts are as old as that).
  std::string vendor() const;
  std::time_t created_at() const;

 private:
  struct Handles;
  explicit Locator(std::unique_ptr<Handles> handles);
  Location lookup_public(const std::string& ip) const;

  std::unique_ptr<Handles> handles_;
  mutable std::mutex mutex_;
};

}  // namespace pnode::geo
