-- POST /entityOperations/upsert with BATCH meters per request (new ids: a batch of creates).
package.path = package.path .. ";" .. (os.getenv("WRK_DIR") or "bench/wrk") .. "/?.lua"
require "common"
require "report"
local run = os.getenv("RUN") or "r"
local batch = tonumber(os.getenv("BATCH") or "100")
request = function()
  local parts = {}
  for i = 1, batch do
    sequence = sequence + 1
    parts[i] = meter("urn:ngsi-ld:Meter:" .. run .. "-" .. thread_number .. "-" .. sequence)
  end
  return wrk.format("POST", "/ngsi-ld/v1/entityOperations/upsert", headers("application/json"),
    "[" .. table.concat(parts, ",") .. "]")
end
