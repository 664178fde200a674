-- wrk script for scripts/bench.sh: every request asks for another /pnodes page (skip
-- 0..4999), so the server's page cache misses and each answer is serialised anew.
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/pnodes?limit=100&skip=" .. (counter % 5000))
end
