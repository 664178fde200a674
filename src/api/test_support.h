// Test helpers for api/ tests: the builders of hand-made NodeViews and Snapshots over them
// (no collector, no scoring) from testing/builders.h, plus the request and response
// helpers of rest/test_support.h, all re-exported into api::testing.
// Test-only; not part of pnode_api. Thread-safety: none needed.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "analysis/node_view.h"
#include "http/message.h"
#include "model/snapshot.h"
#include "rest/test_support.h"
#include "testing/builders.h"

namespace pnode::api::testing {

using rest::testing::body_json;
using rest::testing::body_text;
using rest::testing::header;
using rest::testing::make_request;
// The shared builders of views and snapshots over them.
using ::pnode::testing::make_offline_view;
using ::pnode::testing::make_online_view;
using ::pnode::testing::make_snapshot;
using ::pnode::testing::make_views;

}  // namespace pnode::api::testing
