-- Shared by the wrk scripts: one smart meter as the load generator writes it (LoadGenerator.meter).
local towns = {"Utrecht", "Arnhem", "Zwolle", "Delft", "Groningen", "Almere", "Breda", "Tilburg"}

function meter(id)
  return string.format(
    '{"id":"%s","type":"Meter","power":{"type":"Property","value":%d,"unitCode":"WTT","observedAt":"2026-11-23T12:00:00Z"},' ..
    '"energy":{"type":"Property","value":%d,"unitCode":"KWH"},"town":{"type":"Property","value":"%s"},' ..
    '"firmware":{"type":"Property","value":"5.%d.0"},"capacity":{"type":"Property","value":25,"unitCode":"AMP"},' ..
    '"vendor":{"type":"Relationship","object":"urn:ngsi-ld:Organization:vendor-%d"},' ..
    '"location":{"type":"GeoProperty","value":{"type":"Point","coordinates":[%.5f,%.5f]}}}',
    id, math.random(0, 3999), math.random(0, 99999), towns[math.random(1, #towns)], math.random(0, 3),
    math.random(0, 2), 3.3 + math.random() * 3.8, 50.7 + math.random() * 2.8)
end

function town()
  return towns[math.random(1, #towns)]
end

-- Every wrk thread gets its own number, so ids made by different threads never collide.
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
end

function init(args)
  math.randomseed(2026 + thread_number)
  sequence = 0
end

function headers(content_type)
  local h = {["NGSILD-Tenant"] = os.getenv("TENANT") or ""}
  if os.getenv("TOKEN") then h["Authorization"] = "Bearer " .. os.getenv("TOKEN") end
  if content_type then h["Content-Type"] = content_type end
  return h
end
