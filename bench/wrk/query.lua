-- GET /entities?type=Meter&q=town=="<random>";power><random>&limit=20 over the preloaded meters.
package.path = package.path .. ";" .. (os.getenv("WRK_DIR") or "bench/wrk") .. "/?.lua"
require "common"
require "report"
request = function()
  local q = 'town=="' .. town() .. '";power>' .. math.random(0, 3999)
  q = q:gsub('"', "%%22"):gsub(";", "%%3B"):gsub(">", "%%3E")
  return wrk.format("GET", "/ngsi-ld/v1/entities?type=Meter&limit=20&q=" .. q, headers())
end
