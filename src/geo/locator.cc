#include "geo/locator.h"

#include <arpa/inet.h>
extern "C" {  // libloc's headers declare C functions without saying so
#include <libloc/as.h>
#include <libloc/country.h>
#include <libloc/database.h>
#include <libloc/libloc.h>
#include <libloc/network.h>
}

#include <cstdio>
#include <cstring>
#include <utility>

namespace pnode::geo {
namespace {

constexpr size_t kMaxAddressText = INET6_ADDRSTRLEN;

bool in_v4(uint32_t address, uint32_t network, int prefix) {
  const uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  return (address & mask) == (network & mask);
}

bool is_local_v4(uint32_t a) {
  return in_v4(a, 0x7f000000, 8) || in_v4(a, 0x0a000000, 8) || in_v4(a, 0xac100000, 12) ||
         in_v4(a, 0xc0a80000, 16) || in_v4(a, 0xa9fe0000, 16) || in_v4(a, 0x64400000, 10) ||
         in_v4(a, 0x00000000, 8);
}

bool is_local_v6(const in6_addr& a) {
  static const in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
  if (std::memcmp(&a, &loopback, sizeof a) == 0) return true;
  if ((a.s6_addr[0] & 0xfe) == 0xfc) return true;                             // fc00::/7 unique local
  if (a.s6_addr[0] == 0xfe && (a.s6_addr[1] & 0xc0) == 0x80) return true;     // fe80::/10 link-local
  if (IN6_IS_ADDR_V4MAPPED(&a)) {
    uint32_t v4;
    std::memcpy(&v4, &a.s6_addr[12], 4);
    return is_local_v4(ntohl(v4));
  }
  return IN6_IS_ADDR_UNSPECIFIED(&a);
}

// NUL-terminated copy of an address literal, or empty when it cannot be one.
std::string address_text(std::string_view ip) {
  if (ip.empty() || ip.size() >= kMaxAddressText || ip.find('\0') != std::string_view::npos) return {};
  return std::string(ip);
}

std::string copy_or_empty(const char* s) { return s ? std::string(s) : std::string(); }

}  // namespace

bool is_local_address(std::string_view ip) {
  const std::string text = address_text(ip);
  if (text.empty()) return false;
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) return is_local_v4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (::inet_pton(AF_INET6, text.c_str(), &v6) == 1) return is_local_v6(v6);
  return false;
}

struct Locator::Handles {
  loc_ctx* ctx = nullptr;
  loc_database* db = nullptr;
  ~Handles() {
    if (db) loc_database_unref(db);
    if (ctx) loc_unref(ctx);
  }
};

Locator::Locator(std::unique_ptr<Handles> handles) : handles_(std::move(handles)) {}

Locator::~Locator() = default;

Result<std::unique_ptr<Locator>> Locator::open(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (!file) return make_error(ErrorCode::kNotFound, "no location database at " + path + " (Debian: libloc-database)");
  auto handles = std::make_unique<Handles>();
  int rc = loc_new(&handles->ctx);
  if (rc == 0) rc = loc_database_new(handles->ctx, &handles->db, file);
  std::fclose(file);  // libloc maps what it needs
  if (rc != 0 || !handles->db) return make_error(ErrorCode::kCorrupt, "cannot read the location database " + path);
  return std::unique_ptr<Locator>(new Locator(std::move(handles)));
}

Location Locator::locate(std::string_view ip) const {
  const std::string text = address_text(ip);
  in6_addr ignored{};
  in_addr ignored4{};
  if (text.empty() ||
      (::inet_pton(AF_INET, text.c_str(), &ignored4) != 1 && ::inet_pton(AF_INET6, text.c_str(), &ignored) != 1))
    return Location{};
  if (is_local_address(text)) return Location{.reach = Reach::kLocal};
  std::lock_guard lock(mutex_);
  return lookup_public(text);
}

Location Locator::lookup_public(const std::string& ip) const {
  Location out;
  out.reach = Reach::kPublic;
  loc_network* network = nullptr;
  if (loc_database_lookup_from_string(handles_->db, ip.c_str(), &network) != 0 || !network) return out;
  out.country_code = copy_or_empty(loc_network_get_country_code(network));
  out.asn = loc_network_get_asn(network);
  out.anycast = loc_network_has_flag(network, LOC_NETWORK_FLAG_ANYCAST) != 0;
  loc_network_unref(network);
  if (!out.country_code.empty()) {
    loc_country* country = nullptr;
    if (loc_database_get_country(handles_->db, &country, out.country_code.c_str()) == 0 && country) {
      out.country_name = copy_or_empty(loc_country_get_name(country));
      loc_country_unref(country);
    }
  }
  if (out.asn != 0) {
    loc_as* as = nullptr;
    if (loc_database_get_as(handles_->db, &as, out.asn) == 0 && as) {
      out.as_name = copy_or_empty(loc_as_get_name(as));
      loc_as_unref(as);
    }
  }
  return out;
}

std::string Locator::vendor() const {
  std::lock_guard lock(mutex_);
  return copy_or_empty(loc_database_get_vendor(handles_->db));
}

std::time_t Locator::created_at() const {
  std::lock_guard lock(mutex_);
  return loc_database_created_at(handles_->db);
}

}  // namespace pnode::geo
