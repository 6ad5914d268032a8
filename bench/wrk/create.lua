-- POST /entities: one new meter per request, ids unique per run and thread.
package.path = package.path .. ";" .. (os.getenv("WRK_DIR") or "bench/wrk") .. "/?.lua"
require "common"
require "report"
local run = os.getenv("RUN") or "r"
request = function()
  sequence = sequence + 1
  return wrk.format("POST", "/ngsi-ld/v1/entities", headers("application/json"),
    meter("urn:ngsi-ld:Meter:" .. run .. "-" .. thread_number .. "-" .. sequence))
end
