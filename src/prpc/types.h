// pRPC wire types, as docs/protocol.md describes them: the model's pod, pod list, stats
// and version (model/pod.h) under the names the pRPC client and parser use.
// Unknown extra fields are ignored by the parser.
// Thread-safety: plain values.
#pragma once

#include "model/pod.h"

namespace pnode::prpc {

using model::NodeStats;
using model::Pod;
using model::PodList;
using model::PodCredit;
using model::CreditList;
using model::VersionInfo;

}  // namespace pnode::prpc
