-- GET /entities/{id} of a random preloaded meter (urn:ngsi-ld:Meter:p0 .. p<POPULATION-1>).
package.path = package.path .. ";" .. (os.getenv("WRK_DIR") or "bench/wrk") .. "/?.lua"
require "common"
require "report"
local population = tonumber(os.getenv("POPULATION") or "100000")
request = function()
  return wrk.format("GET", "/ngsi-ld/v1/entities/urn:ngsi-ld:Meter:p" .. math.random(0, population - 1), headers())
end
